// Binds a build-time plan form (passo/forms/form_html.py) to plan data: reads and fills values, list add/remove/move,
// commitment prompts, the "depends on me alone" note and error messages. The markup is the contract: values live
// in [data-kind] elements keyed by data-key; a list's items are cloned from its <template>.

import { t } from "../core/i18n.js";
import { validate } from "./validate.js";

const KINDS = "[data-kind]";
let counter = 0;

/** The value elements directly inside `el` (not inside a nested value element or a template). */
function valueChildren(el) {
  const out = [];
  for (const child of el.children) {
    if (child.tagName === "TEMPLATE") continue;
    if (child.matches(KINDS)) out.push(child);
    else out.push(...valueChildren(child));
  }
  return out;
}

const kindOf = (el) => (el.tagName === "FORM" ? "object" : el.dataset.kind); // the form is the plan's root object
const itemsOf = (list) => [...list.querySelector(":scope > [data-items]").children];
const itemValue = (li) => valueChildren(li)[0];
const ownItem = (li, selector) => [...li.querySelectorAll(selector)].filter((e) => e.closest("li") === li);
const controls = (el) => el.matches("input") ? [el] : [...el.querySelectorAll("input, select, textarea")]
  .filter((c) => c.closest(KINDS) === el);

function zone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// -- reading ---------------------------------------------------------------------------------------------------

function readScalar(el) {
  const type = el.dataset.type;
  const enumValues = el.dataset.enum ? JSON.parse(el.dataset.enum) : null;
  // data-type json: a value a widget of its own keeps as JSON (the repeat picker, checkin/plan-checkin.js)
  if (el.matches("input[type=hidden]")) return el.value === "" ? undefined : type === "json" ? JSON.parse(el.value) : el.value;
  const [first] = controls(el);
  if (first.type === "radio") {
    const on = controls(el).find((c) => c.checked);
    if (!on) return undefined;
    return enumValues ? enumValues[+on.value] : Number(on.value);
  }
  if (first.type === "checkbox") return first.checked ? true : undefined;
  if (first.tagName === "SELECT") return first.value === "" ? undefined : enumValues[+first.value];
  if (first.value === "") return undefined;
  if (type === "integer" || type === "number") return Number(first.value);
  return first.value;
}

/** The plan data inside `el`; undefined when nothing is filled in (so empty groups stay out of the plan). */
function read(el, isItem = false) {
  const kind = kindOf(el);
  if (kind === "object") {
    const out = {};
    let filled = false;
    let idInput = null;
    let tzInput = null;
    for (const child of valueChildren(el)) {
      if (child.dataset.generate === "uuid") idInput = child;
      if (child.dataset.generate === "tz") tzInput = child;
      const value = read(child);
      if (value === undefined) continue;
      out[child.dataset.key] = value;
      if (!child.dataset.generate) filled = true;
    }
    if (!filled && !isItem) return undefined;
    // An item that can become a calendar event gets its id once it exists, and keeps it for ever.
    if (idInput && !idInput.value) out.id = idInput.value = uuid();
    if (tzInput && !tzInput.value) out.tz = tzInput.value = zone();
    return out;
  }
  if (kind === "array") {
    const items = itemsOf(el).map((li) => {
      const value = read(itemValue(li), true);
      return value === undefined ? (itemValue(li).dataset.type === "string" ? "" : null) : value;
    });
    return items.length ? items : undefined;
  }
  if (kind === "checks") {
    const values = JSON.parse(el.dataset.enum);
    const picked = controls(el).filter((c) => c.checked).map((c) => values[+c.value]);
    return picked.length ? picked : undefined;
  }
  return readScalar(el);
}

// -- writing ---------------------------------------------------------------------------------------------------

function write(el, value, state) {
  const kind = kindOf(el);
  if (value !== undefined) state.filled.add(el);
  else state.filled.delete(el);
  if (kind === "object") {
    const obj = value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
    for (const child of valueChildren(el)) {
      const key = child.dataset.key;
      write(child, Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined, state);
    }
  } else if (kind === "array") {
    for (const li of itemsOf(el)) li.remove();
    if (Array.isArray(value)) for (const item of value) addItem(el, item, state);
    renumber(el);
  } else if (kind === "checks") {
    const values = JSON.parse(el.dataset.enum);
    for (const c of controls(el)) c.checked = Array.isArray(value) && value.includes(values[+c.value]);
  } else if (el.matches("input[type=hidden]")) {
    el.value = value == null ? "" : el.dataset.type === "json" ? JSON.stringify(value) : String(value);
  } else {
    const enumValues = el.dataset.enum ? JSON.parse(el.dataset.enum) : null;
    const index = enumValues ? enumValues.findIndex((v) => v === value) : -1;
    for (const c of controls(el)) {
      if (c.type === "radio") c.checked = enumValues ? +c.value === index : Number(c.value) === value;
      else if (c.type === "checkbox") c.checked = value === true;
      else if (c.tagName === "SELECT") c.value = index >= 0 ? String(index) : "";
      else c.value = value === undefined || value === null ? "" : String(value);
    }
  }
}

// -- lists -----------------------------------------------------------------------------------------------------

function addItem(list, value, state) {
  const template = list.querySelector(":scope > template");
  const li = template.content.firstElementChild.cloneNode(true);
  const n = `n${(counter += 1)}`;
  // Ids in a template carry __i__; each clone gets its own number so labels and descriptions stay tied.
  for (const node of [li, ...li.querySelectorAll("*")]) {
    for (const attr of ["id", "for", "name", "aria-describedby", "aria-labelledby"]) {
      const v = node.getAttribute(attr);
      if (v && v.includes("__i__")) node.setAttribute(attr, v.replaceAll("__i__", n));
    }
  }
  list.querySelector(":scope > [data-items]").append(li);
  write(itemValue(li), value, state);
  return li;
}

function itemName(list, li, index) {
  const label = ownItem(li, "[data-item-label]")[0];
  return `${label ? label.textContent : list.dataset.itemTitle} ${index + 1}`;
}

function renumber(list) {
  const items = itemsOf(list);
  items.forEach((li, i) => {
    const name = itemName(list, li, i);
    for (const span of ownItem(li, "[data-n]")) span.textContent = String(i + 1);
    const tools = li.querySelector(":scope > .item-tools");
    const [up, down, remove] = tools.querySelectorAll("button");
    up.lastElementChild.textContent = t("Move {item} up", { item: name });
    down.lastElementChild.textContent = t("Move {item} down", { item: name });
    remove.textContent = t("Remove {item}", { item: name });
    up.disabled = i === 0;
    down.disabled = i === items.length - 1;
  });
  const add = list.querySelector(":scope > [data-list-add]");
  const max = list.dataset.max ? Number(list.dataset.max) : Infinity;
  add.disabled = items.length >= max;
}

function firstControl(el) {
  return el.querySelector("input:not([type=hidden]), select, textarea, button:not([disabled])");
}

// -- the form --------------------------------------------------------------------------------------------------

/**
 * Bind `form` to plan data validated by `schema` (may be null: then nothing is validated).
 * onChange() runs after every edit. Returns {getData, setData, showErrors, setDisabled}.
 */
export function bindForm(form, schema, { onChange = () => {} } = {}) {
  const state = { filled: new WeakSet(), touched: new Set(), shown: new Set() };
  const live = form.querySelector("[data-live]");
  let lastMessages = new Map();
  const announced = new WeakMap(); // the message last said aloud per field, so it is said once

  const announce = (text) => {
    live.textContent = "";
    // A fresh text node after a tick makes screen readers announce the same sentence twice in a row too.
    setTimeout(() => { live.textContent = text; }, 50);
  };

  const getData = () => read(form, true) || {};

  function updatePrompts(scope = form) {
    for (const box of scope.querySelectorAll(".with-prompts")) {
      const value = readScalar(box.querySelector(KINDS));
      for (const prompt of box.querySelectorAll(":scope > [data-prompts] > .prompt")) {
        prompt.hidden = !(value >= +prompt.dataset.min && value <= +prompt.dataset.max);
      }
    }
    for (const note of scope.querySelectorAll("[data-confirm]")) {
      note.hidden = note.parentElement.querySelector("input[type=checkbox]").checked;
    }
  }

  /** The element an error belongs to, following the pointer through keys and list items. */
  function elementAt(pointer) {
    let el = form;
    for (const raw of pointer.split("/").slice(1)) {
      const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      let next;
      if (el.dataset.kind === "array") {
        const li = itemsOf(el)[Number(part)];
        next = li && itemValue(li);
      } else if (el === form || el.dataset.kind === "object") {
        next = valueChildren(el).find((c) => c.dataset.key === part);
      }
      if (!next) break;
      el = next;
    }
    return el;
  }

  function showErrors(data = getData(), all = false) {
    if (!schema) return [];
    const errors = validate(schema, data);
    const byElement = new Map();
    const near = (group) => [...state.touched].some((el) => group.contains(el));
    for (const error of errors) {
      let el = elementAt(error.pointer);
      // A missing value is due once the coachee has been in its group (typed a time, but no date yet).
      let missingDue = false;
      if (error.keyword === "required") {
        missingDue = near(el);
        const missing = elementAt(`${error.pointer}/${error.property.replace(/~/g, "~0").replace(/\//g, "~1")}`);
        if (missing !== el) el = missing;
      }
      while (el !== form && (el.matches("input[type=hidden]") || !el.querySelector(":scope > [data-error]"))) {
        el = el.parentElement.closest(KINDS) || form;
      }
      const group = el === form || el.dataset.kind === "object" || el.dataset.kind === "array";
      // A message waits until the coachee has been there: a new form is not a page of red.
      const due = error.keyword === "required" ? missingDue || state.touched.has(el)
        : all || group || state.touched.has(el) || state.filled.has(el);
      if (!due) continue;
      if (!byElement.has(el)) byElement.set(el, []);
      if (!byElement.get(el).includes(error.message)) byElement.get(el).push(error.message);
    }
    // A number box holding what is not a number (say "1e") reports "": the browser keeps the text, so must we.
    for (const input of form.querySelectorAll("input[type=number]")) {
      if (!input.validity.badInput) continue;
      const el = input.closest(KINDS);
      byElement.set(el, [...(byElement.get(el) || []), t("Enter a number.")]);
    }
    for (const el of state.shown) {
      if (byElement.has(el) || !el.isConnected) continue;
      const box = el === form ? null : el.querySelector(":scope > [data-error]");
      if (box) {
        box.hidden = true;
        box.textContent = "";
      }
      for (const c of controls(el)) c.removeAttribute("aria-invalid");
      state.shown.delete(el);
    }
    const messages = new Map();
    for (const [el, list] of byElement) {
      const box = el === form ? null : el.querySelector(":scope > [data-error]");
      if (!box) continue;
      box.textContent = list.join(" ");
      box.hidden = false;
      for (const c of controls(el)) c.setAttribute("aria-invalid", "true");
      state.shown.add(el);
      messages.set(el, box.textContent);
    }
    lastMessages = messages;
    return errors;
  }

  function setData(data, { showAll = false } = {}) {
    state.touched = new Set();
    write(form, data && typeof data === "object" ? data : {}, state);
    updatePrompts();
    showErrors(getData(), showAll);
  }

  function touch(target) {
    const el = target.closest(KINDS);
    if (el) state.touched.add(el);
  }

  function edited(target) {
    const when = target.closest(".when");
    // The zone of the device at entry: calendar times are computed from date, time and this zone.
    if (when) {
      const tz = valueChildren(when).find((c) => c.dataset.generate === "tz");
      if (tz) tz.value = zone();
    }
    touch(target);
    updatePrompts(target.closest("li") || form);
    onChange();
  }

  form.addEventListener("input", (e) => {
    edited(e.target);
    showErrors();
  });
  // A text field's change comes on blur, after its input events: treating it as an edit again would redraw
  // the page under the finger that is tapping a button elsewhere. It only says the field's message aloud.
  form.addEventListener("change", (e) => {
    if (e.target.matches("[type=checkbox], [type=radio], select")) edited(e.target); // old Safari: no input event
    showErrors();
    const el = e.target.closest(KINDS);
    const message = el && lastMessages.get(el);
    if (message && announced.get(el) !== message) announce(message);
    if (el) announced.set(el, message);
  });
  form.addEventListener("submit", (e) => e.preventDefault()); // Enter in a text field must not reload the page

  form.addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button || !form.contains(button)) return;
    const list = button.closest("[data-kind=array]");
    if (button.matches("[data-list-add]")) {
      const li = addItem(list, undefined, state);
      renumber(list);
      updatePrompts(li);
      read(itemValue(li), true); // gives it its id now
      firstControl(li).focus();
      announce(t("{item} added.", { item: itemName(list, li, itemsOf(list).length - 1) }));
      onChange();
    } else if (button.matches("[data-list-remove]")) {
      const li = button.closest("li");
      const items = itemsOf(list);
      const index = items.indexOf(li);
      const name = itemName(list, li, index);
      li.remove();
      renumber(list);
      const next = itemsOf(list)[index] || itemsOf(list)[index - 1];
      (next ? firstControl(next) : list.querySelector(":scope > [data-list-add]")).focus();
      announce(t("{item} removed.", { item: name }));
      showErrors();
      onChange();
    } else if (button.matches("[data-list-move]")) {
      const li = button.closest("li");
      const step = Number(button.dataset.listMove);
      const sibling = step < 0 ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) return;
      if (step < 0) sibling.before(li);
      else sibling.after(li);
      renumber(list);
      const index = itemsOf(list).indexOf(li);
      // Keep focus on the button that moved, or its twin once the item reaches the top or the bottom.
      const [up, down] = li.querySelector(":scope > .item-tools").querySelectorAll("button");
      const again = step < 0 ? up : down;
      (again.disabled ? (step < 0 ? down : up) : again).focus();
      announce(t("{item} moved to position {n}.", { item: ownItem(li, "[data-item-label]")[0]?.textContent
        || list.dataset.itemTitle, n: index + 1 }));
      showErrors();
      onChange();
    }
  });

  function setDisabled(disabled) {
    for (const c of form.querySelectorAll("input, select, textarea, button")) c.disabled = disabled;
    if (!disabled) for (const list of form.querySelectorAll("[data-kind=array]")) renumber(list);
  }

  for (const list of form.querySelectorAll("[data-kind=array]")) renumber(list);
  updatePrompts();
  return { getData, setData, showErrors, setDisabled };
}

/** The text a plan is named by: the value at the schema's x-title pointer, if it is text. */
export function titleOf(data, pointer) {
  let value = data;
  for (const part of (pointer || "").split("/").slice(1)) {
    if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, part)) return "";
    value = value[part];
  }
  return typeof value === "string" ? value.trim() : "";
}
