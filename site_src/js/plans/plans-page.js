// plans/: my plans (this module, with plans-stats.js for its on-time counts) and the plan form page
// (plan-page.js).
//
// My plans: every plan on this device with its title, kind, last change and progress; open, duplicate,
// delete with undo, and mark actions done from the list.
//
// Speed: 1,000 plans render from one cloned <template> row each, text set with textContent (never stored
// text as HTML), appended once as a DocumentFragment. A plan's action checkboxes are built only when its
// disclosure opens.

import { renderScaleChart } from "../charts/charts.js";
import { formatDateTime, loadMessages, n, t, tp } from "../core/i18n.js";
import { loadSchema, loadSchemaIndex, migrationInfo } from "../store/migrate.js";
import { deref as derefSchema, escapePtr, expand, planItems, planTitle, setAt } from "../schema/plan-items.js";
import {
  backupDue, deletePlan, getMeta, getPlan, listPlans, newId, onPlansChanged, putPlans, savePlan,
} from "../store/store.js";

// ---- Reading a plan through its schema (pure; its dated items through plan-items.js) ----

const firstText = (v) => (typeof v === "string" && v.trim() ? v.trim() : "");
const deref = (root, node) => derefSchema(root, node)[0];

const readers = new WeakMap();

/** Where a schema keeps its scales, as paths of keys with "*" for every list item, found once per schema. */
function scalesOf(schema) {
  let scales = readers.get(schema);
  if (scales) return scales;
  scales = [];
  const walk = (node, path, parent, depth) => {
    node = deref(schema, node);
    if (!node || depth > 32) return;
    if (node.items) {
      const item = deref(schema, node.items);
      if (isScale(item)) scales.push({ path, parent });
      else walk(node.items, [...path, "*"], parent, depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(node.properties || {})) walk(child, [...path, key], node, depth + 1);
  };
  walk(schema, [], null, 0);
  readers.set(schema, scales);
  return scales;
}

/**
 * What the list shows of a plan: {title, actions: [{ptr, donePtr, label, done}], done, total,
 * scales: [{label, points}]}. Actions are the plan's items of kind "action" (plan-items.js); scales are
 * lists of dated 1-10 scores (the OSKAR outcomes' {date, score}).
 */
export function summarise(plan, schema, checkins = []) {
  const data = plan.data;
  const out = { title: "", actions: [], done: 0, total: 0, scales: [] };
  if (!schema || data == null || typeof data !== "object") return out;
  for (const item of planItems(plan, schema, checkins)) {
    if (item.kind !== "action") continue;
    out.actions.push({ ptr: item.pointer, donePtr: item.donePointer, done: item.done, label: item.summary,
      id: item.id });
  }
  for (const { path, parent } of scalesOf(schema)) {
    const key = path[path.length - 1];
    for (const [obj, ptr] of expand(data, path.slice(0, -1))) {
      const list = obj && !Array.isArray(obj) && Object.hasOwn(obj, key) ? obj[key] : null;
      if (!Array.isArray(list)) continue;
      out.scales.push({
        label: parent ? scaleLabel(schema, parent, obj) : "", ptr: `${ptr}/${escapePtr(key)}`,
        points: list.filter((p) => p && typeof p === "object"),
      });
    }
  }
  // The title is the text at x-title, as on the plan's own page (docs/schemas.md); else "Untitled plan".
  out.title = planTitle(plan, schema);
  out.total = out.actions.length;
  out.done = out.actions.filter((a) => a.done).length;
  return out;
}

/** A list of dated 1-10 scores (OSKAR): objects with a date and one integer scale from 1 to 10. */
function isScale(item) {
  const props = item && !item["x-calendar"] && item.properties;
  if (!props || !props.date) return false;
  return Object.entries(props).some(([k, p]) => k !== "date" && p.type === "integer" && p.minimum === 1
    && p.maximum === 10);
}

/** An outcome's name for its scale: the first free text its object holds (not a date, id or choice). */
function scaleLabel(schema, node, value) {
  for (const [key, prop] of Object.entries(node.properties || {})) {
    const p = deref(schema, prop);
    if (p && p.type === "string" && !p.format && !p.enum && p["x-widget"] !== "hidden") {
      const v = firstText(value[key]);
      if (v) return v;
    }
  }
  return "";
}

// ---- The page ----

const TOAST_MS = 8000;
// mine: ids this page is changing right now, whose own change events it ignores.
const state = { rows: new Map(), schemas: {}, forms: new Map(), index: null, mine: new Set() };

let els = null;

async function ours(id, operation) {
  state.mine.add(id);
  try {
    return await operation();
  } finally {
    state.mine.delete(id);
  }
}

function kindTitle(schemaId) {
  const form = state.forms.get(schemaId);
  if (form) return form.title;
  const s = state.schemas[schemaId];
  return s && s.title ? tp(`${schemaId}:/title`, s.title) : schemaId;
}

function progressText(s) {
  if (!s.total) return t("No actions yet");
  return n("{done} of {n} action done", "{done} of {n} actions done", s.total, { done: s.done });
}

function noteFor(plan) {
  const info = migrationInfo(plan);
  if (!info) return "";
  if (info.status === "newer") return t("Saved by a newer version of Passo: reload to update Passo before changing it.");
  if (info.status === "failed") return t("This plan could not be updated to the current form. It is kept unchanged.");
  if (info.status === "unknown-schema") return t("This kind of plan is not part of this site any more. It is kept unchanged.");
  return "";
}

const editable = (plan) => !migrationInfo(plan) || migrationInfo(plan).status === "migrated";

/** One row: cloned from the template, every piece of plan text set with textContent. */
function buildRow(plan) {
  const s = summarise(plan, state.schemas[plan.schema]);
  const li = els.template.content.firstElementChild.cloneNode(true);
  // Children by position (the template's order), not querySelector: a thousand rows add up.
  const [heading, meta, note, progress, details, buttons] = li.children;
  const link = heading.firstElementChild;
  const titleId = `plan-${plan.id}`;
  li.dataset.id = plan.id;
  link.id = titleId;
  link.textContent = s.title || t("Untitled plan");
  if (plan.lang) link.lang = plan.lang;
  const form = state.forms.get(plan.schema);
  if (form) link.href = `${form.href}?id=${encodeURIComponent(plan.id)}`;
  else link.removeAttribute("href");
  meta.firstElementChild.textContent = kindTitle(plan.schema);
  const time = meta.lastElementChild;
  time.dateTime = plan.updated || "";
  time.textContent = formatDateTime(plan.updated);
  const text = noteFor(plan);
  if (text) {
    note.textContent = text;
    note.hidden = false;
  }
  fillProgress(progress, s);
  for (const b of buttons.children) b.setAttribute("aria-describedby", titleId);
  if (!s.total) details.remove();
  const spark = progress.lastElementChild;
  const scale = s.scales.find((x) => x.points.length);
  if (scale) renderScaleChart(spark, scale.points, { label: scale.label || t("Scale"), compact: true });
  else spark.remove();
  state.rows.set(plan.id, { plan, summary: s, row: li });
  return li;
}

/** progress: the row's .plan-progress (a bar, then the count). */
function fillProgress(progress, s) {
  const [bar, count] = progress.children;
  count.textContent = progressText(s);
  bar.max = Math.max(1, s.total);
  bar.value = s.done;
  bar.hidden = !s.total;
}

function fillActions(entry) {
  const list = entry.row.querySelector(".action-list");
  const can = editable(entry.plan);
  const frag = document.createDocumentFragment();
  entry.summary.actions.forEach((a, i) => {
    const li = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = a.done;
    box.disabled = !can || !a.donePtr;
    box.dataset.ptr = a.donePtr || "";
    const text = document.createElement("span");
    text.textContent = a.label || t("Action {number}", { number: i + 1 });
    if (entry.plan.lang) text.lang = entry.plan.lang;
    label.append(box, text);
    li.appendChild(label);
    frag.appendChild(li);
  });
  list.replaceChildren(frag);
  list.dataset.filled = "1";
}

function updateCount() {
  const count = state.rows.size;
  els.count.textContent = n("{n} plan on this device", "{n} plans on this device", count);
  els.empty.hidden = count > 0;
  els.count.hidden = count === 0;
}

function replaceRow(plan) {
  const old = state.rows.get(plan.id);
  const row = buildRow(plan);
  if (old) {
    const wasOpen = old.row.querySelector(".plan-actions")?.open;
    old.row.replaceWith(row);
    if (wasOpen && row.querySelector(".plan-actions")) {
      row.querySelector(".plan-actions").open = true;
      fillActions(state.rows.get(plan.id));
    }
  } else {
    els.list.prepend(row);
  }
  updateCount();
  return row;
}

function removeRow(id) {
  const entry = state.rows.get(id);
  if (!entry) return null;
  const next = entry.row.nextElementSibling;
  entry.row.remove();
  state.rows.delete(id);
  updateCount();
  return next ? next.dataset.id : null;
}

// ---- Toasts: status (polite, with an optional action) and errors (with "Try again") ----

let toastTimer = null;

function clearToast() {
  clearTimeout(toastTimer);
  toastTimer = null;
  els.toast.replaceChildren();
  els.toast.classList.remove("is-shown");
}

function armTimer() {
  clearTimeout(toastTimer);
  toastTimer = setTimeout(clearToast, TOAST_MS);
}

/** A short message; with an action button it stays while focused or hovered (WCAG 2.2.1), else ~8 s. */
function toast(message, action) {
  clearToast();
  const p = document.createElement("p");
  p.textContent = message;
  els.toast.appendChild(p);
  let button = null;
  if (action) {
    button = document.createElement("button");
    button.type = "button";
    button.textContent = action.label;
    button.addEventListener("click", () => {
      clearToast();
      action.run();
    });
    els.toast.appendChild(button);
  }
  els.toast.classList.add("is-shown");
  armTimer();
  return button;
}

function showError(err, onRetried) {
  const box = els.alert;
  box.replaceChildren();
  const p = document.createElement("p");
  p.textContent = (err && err.name === "StorageError" && err.message) || t("Something went wrong. Try again.");
  box.appendChild(p);
  const retry = err && typeof err.retry === "function" ? err.retry : null;
  if (retry) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = t("Try again");
    b.addEventListener("click", () => {
      box.replaceChildren();
      retry().then(onRetried, (e) => showError(e, onRetried));
    });
    box.appendChild(b);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "button-secondary";
  close.textContent = t("Dismiss");
  close.addEventListener("click", () => box.replaceChildren());
  box.appendChild(close);
  box.hidden = false;
  (box.querySelector("button") || close).focus();
}

// ---- Actions ----

async function toggleDone(box) {
  const id = box.closest(".plan").dataset.id;
  const entry = state.rows.get(id);
  const want = box.checked;
  const ptr = box.dataset.ptr;
  const apply = (plan) => ({ ...plan, data: setAt(plan.data, ptr, want) });
  // The box shows the coachee's choice at once; a failed save puts it back and says why.
  const failed = (e) => {
    box.checked = !want;
    showError(e, done);
  };
  const done = (saved) => {
    const row = replaceRow(saved);
    const again = row.querySelector(`input[data-ptr="${CSS.escape(ptr)}"]`);
    if (again && document.activeElement !== again) again.focus();
  };
  try {
    done(await ours(id, () => savePlan(apply(entry.plan), { baseRevision: entry.plan.revision })));
  } catch (e) {
    if (e.kind === "conflict") {
      // Saved in another tab meanwhile: apply this one checkbox to the newer plan, never overwrite it.
      try {
        const current = await getPlan(id);
        done(await ours(id, () => savePlan(apply(current), { baseRevision: current.revision })));
      } catch (e2) {
        failed(e2);
      }
    } else {
      failed(e);
    }
  }
}

async function duplicate(id) {
  const { plan, summary } = state.rows.get(id);
  const copy = { ...plan, id: newId(), revision: 0, created: undefined, data: structuredClone(plan.data) };
  const shown = (saved) => {
    replaceRow(saved);
    const title = summary.title || t("Untitled plan");
    toast(t("Copy saved at the top of the list: “{title}”", { title }));
  };
  try {
    shown(await ours(copy.id, () => savePlan(copy)));
  } catch (e) {
    showError(e, shown);
  }
}

async function remove(id) {
  const { summary } = state.rows.get(id);
  const title = summary.title || t("Untitled plan");
  const gone = (old) => {
    const nextId = removeRow(id);
    if (!old) return;
    const button = toast(t("Deleted “{title}”.", { title }), {
      label: t("Undo"),
      run: () => restore(old, nextId, title),
    });
    button.focus();
  };
  try {
    gone(await ours(id, () => deletePlan(id)));
  } catch (e) {
    showError(e, gone);
  }
}

async function restore(old, nextId, title) {
  const back = () => {
    removeRow(old.id);
    const row = buildRow(old);
    const next = nextId && state.rows.get(nextId);
    if (next) next.row.before(row);
    else els.list.appendChild(row);
    updateCount();
    row.querySelector(".plan-open").focus();
    toast(t("Restored “{title}”.", { title }));
  };
  try {
    await ours(old.id, async () => {
      await putPlans([old]);
      // Read it back through the read path, so a plan needing migration shows as it will open.
      old = (await getPlan(old.id)) || old;
      back();
    });
  } catch (e) {
    showError(e, back);
  }
}

async function refresh(id, revision) {
  const known = state.rows.get(id);
  if (known && revision != null && known.plan.revision >= revision) return; // this page made that change
  const plan = await getPlan(id);
  const now = state.rows.get(id);
  if (plan && now && now.plan.revision >= plan.revision) return; // shown meanwhile
  if (plan) {
    await ensureSchemas([plan]);
    replaceRow(plan);
  } else {
    removeRow(id);
  }
}

async function ensureSchemas(plans) {
  const wanted = [...new Set(plans.map((p) => p.schema))].filter((id) => !(id in state.schemas));
  await Promise.all(wanted.map((id) =>
    loadSchema(id, state.index).then((s) => { state.schemas[id] = s; }, () => { state.schemas[id] = null; }),
  ));
}

function renderAll(plans) {
  const frag = document.createDocumentFragment();
  state.rows.clear();
  for (const plan of plans) frag.appendChild(buildRow(plan));
  els.list.replaceChildren(frag);
  updateCount();
  performance.mark("passo:plans-rendered"); // for bench/ and the browser's performance panel
}

async function loadAll() {
  // Messages, the schema index, every schema and the plans load side by side; rendering waits for all.
  const index = loadSchemaIndex().catch(() => null);
  const schemas = index.then((ix) => ix && Promise.all(Object.keys(ix.schemas).map((id) =>
    loadSchema(id, ix).then((s) => { state.schemas[id] = s; }, () => { state.schemas[id] = null; }))));
  const [plans] = await Promise.all([listPlans(), schemas, loadMessages()]);
  state.index = await index;
  if (state.index) await ensureSchemas(plans); // only plans of kinds the index does not list
  renderAll(plans);
  remindBackup().catch(() => {});
}

/** The backup reminder at the top of the list, where a coachee with many plans still sees it. */
async function remindBackup() {
  const [lastBackup, lastChange] = await Promise.all([getMeta("lastBackup"), getMeta("lastChange")]);
  let first = null;
  let newest = lastChange || "";
  for (const { plan } of state.rows.values()) {
    if (plan.created && (!first || plan.created < first)) first = plan.created;
    if (plan.updated && plan.updated > newest) newest = plan.updated;
  }
  document.getElementById("plans-reminder").hidden = !(state.rows.size && backupDue(lastBackup, newest, first));
}

function safariNotes() {
  // Only Safari on iOS/iPadOS has navigator.standalone: false in a tab, true in a Home Screen app.
  const standalone = navigator.standalone;
  if (typeof standalone !== "boolean") return;
  document.getElementById("plans-ios-tab").hidden = standalone;
  document.getElementById("plans-ios-app").hidden = !standalone;
}

export async function init() {
  const root = document.getElementById("plans");
  if (!root) return;
  els = {
    list: document.getElementById("plan-list"),
    template: document.getElementById("plan-row"),
    count: document.getElementById("plans-count"),
    empty: document.getElementById("plans-empty"),
    loading: document.getElementById("plans-loading"),
    toast: document.getElementById("plans-toast"),
    alert: document.getElementById("plans-alert"),
  };
  for (const a of document.querySelectorAll("a[data-schema]")) {
    state.forms.set(a.dataset.schema, { href: a.getAttribute("href"), title: a.textContent.trim() });
  }
  els.toast.addEventListener("focusin", () => clearTimeout(toastTimer));
  els.toast.addEventListener("mouseenter", () => clearTimeout(toastTimer));
  els.toast.addEventListener("focusout", (ev) => {
    if (!els.toast.contains(ev.relatedTarget) && els.toast.childElementCount) armTimer();
  });
  els.toast.addEventListener("mouseleave", () => els.toast.childElementCount && armTimer());

  els.list.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-act]");
    if (!b) return;
    const id = b.closest(".plan").dataset.id;
    if (b.dataset.act === "duplicate") duplicate(id);
    else if (b.dataset.act === "delete") remove(id);
  });
  els.list.addEventListener("change", (ev) => {
    if (ev.target.matches("input[type=checkbox][data-ptr]")) toggleDone(ev.target);
  });
  // toggle does not bubble: listen in the capture phase to fill a plan's actions when first opened.
  els.list.addEventListener("toggle", (ev) => {
    const details = ev.target;
    if (!details.open || !details.matches(".plan-actions")) return;
    const entry = state.rows.get(details.closest(".plan").dataset.id);
    if (entry && !details.querySelector(".action-list").dataset.filled) fillActions(entry);
  }, true);

  // Changes are gathered for one frame: an imported backup sends one message per plan, and past a handful
  // one reload of the list is cheaper than a read per plan.
  let pending = [];
  const apply = () => {
    const batch = pending;
    pending = [];
    if (batch.some((m) => m.erased) || batch.length > 20) {
      loadAll().catch((e) => showError(e, () => loadAll()));
      return;
    }
    for (const msg of batch) {
      if (msg.deleted) removeRow(msg.id);
      else if (msg.id) refresh(msg.id, msg.revision).catch(() => {});
    }
  };
  const changed = (msg) => {
    if (!pending.length) requestAnimationFrame(apply);
    pending.push(msg);
  };
  onPlansChanged(changed);
  // This tab's own imports (the import/backup partial) arrive as a window event.
  window.addEventListener("passo:plans-changed", (ev) => state.mine.has(ev.detail.id) || changed(ev.detail));
  window.addEventListener("passo:meta-changed", (ev) => ev.detail.key === "lastBackup" && remindBackup());
  safariNotes();
  // Back from a plan via the back button (bfcache): the list may be stale.
  window.addEventListener("pageshow", (ev) => ev.persisted && loadAll().catch(() => {}));

  try {
    await loadAll();
  } catch (e) {
    showError(e, () => loadAll());
  } finally {
    els.loading.hidden = true;
    root.setAttribute("aria-busy", "false");
    document.documentElement.dataset.plansReady = "1";
  }
  await import("../share/shared-list.js").then((m) => m.init()).catch(() => {}); // "Shared with me" and sharing
}
