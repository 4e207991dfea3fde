// schema/: reading plan data through its schema: dated items (this module), JSON pointers, field labels
// (schema-fields.js), the validator (validate.js) and the form bound to the data (form.js).
//
// A plan's dated items (every object whose schema carries `x-calendar`): the only module that knows where a plan
// keeps them. The calendar (plan-events.js), my plans (plans-page.js), the agenda, the check-in and the review all
// read items through it. Pure: plans, schemas and check-ins come in as arguments, so Node tests drive it as is.
//
// x-calendar pointers are relative to the item ("0/what", "/what", "what" mean the item's own "what"; "1/title"
// its parent's). Optional "planB" and "commitment" pointers default to the item's own "planB" and "commitment".

import { t, tp } from "../core/i18n.js";
import { applyEdits, escapePtr, getAt, keysOf, own, refTarget, setAt, unescapePtr } from "./json-pointer.js";

export { applyEdits, escapePtr, getAt, setAt, unescapePtr };

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Follow local $refs: [target node, its schema pointer]. */
export function deref(root, node, sptr = "") {
  for (let i = 0; node && typeof node.$ref === "string" && node.$ref.startsWith("#") && i < 32; i += 1) {
    ({ node, sptr } = refTarget(root, node.$ref));
  }
  return [node || null, sptr];
}

/** A relative pointer ("0/done", "/done", "done", "1/title") from the item at itemPtr, made absolute. */
export function absolute(itemPtr, rel) {
  const m = /^([0-9]+)(\/.*)?$/.exec(rel);
  let up = 0;
  let rest = rel;
  if (m) {
    up = +m[1];
    rest = m[2] || "";
  } else if (!rel.startsWith("/")) {
    rest = `/${rel}`;
  }
  const parts = itemPtr.split("/");
  return parts.slice(0, parts.length - up).join("/") + (rest === "/" ? "" : rest);
}

/** The schema node of the value at a data pointer: {node, sptr, title, titlePtr, key}; a title beside a $ref wins. */
export function schemaAt(root, pointer) {
  let node = root;
  let sptr = "";
  let title;
  let titlePtr;
  const keys = keysOf(pointer);
  for (const key of keys) {
    [node, sptr] = deref(root, node, sptr);
    if (node && own(node.properties, key)) {
      node = node.properties[key];
      sptr = `${sptr}/properties/${escapePtr(key)}`;
    } else if (node && node.items && /^[0-9]+$/.test(key)) {
      node = node.items;
      sptr = `${sptr}/items`;
    } else {
      return { node: null, sptr: null, key };
    }
  }
  // The outermost title along the $ref chain is the one for this use.
  for (let i = 0, n = node, p = sptr; n && i < 32; i += 1) {
    if (title === undefined && typeof n.title === "string") {
      title = n.title;
      titlePtr = `${p}/title`;
    }
    if (typeof n.$ref !== "string" || !n.$ref.startsWith("#")) break;
    [n, p] = deref(root, { $ref: n.$ref }, p);
    node = n;
    sptr = p;
  }
  return { node, sptr, title, titlePtr, key: keys[keys.length - 1] };
}

const locationsCache = new WeakMap();

/** Where a schema keeps its dated items ([{path ("*": any list item), sptr, cal}]), found once per schema. */
export function itemLocations(schema) {
  let found = locationsCache.get(schema);
  if (found) return found;
  found = [];
  const walk = (node, sptr, path, depth) => {
    [node, sptr] = deref(schema, node, sptr);
    if (!node || depth > 32) return;
    if (node.items) {
      walk(node.items, `${sptr}/items`, [...path, "*"], depth + 1);
      return;
    }
    if (isObject(node["x-calendar"])) found.push({ path, sptr, cal: node["x-calendar"] });
    for (const [key, child] of Object.entries(node.properties || {})) {
      walk(child, `${sptr}/properties/${escapePtr(key)}`, [...path, key], depth + 1);
    }
  };
  if (schema) walk(schema, "", [], 0);
  locationsCache.set(schema, found);
  return found;
}

/** Every [value, pointer] that a path of keys ("*": each list item) reaches in data. */
export function expand(data, path) {
  let found = [[data, ""]];
  for (const key of path) {
    const next = [];
    for (const [value, ptr] of found) {
      if (key === "*") {
        if (Array.isArray(value)) value.forEach((v, i) => next.push([v, `${ptr}/${i}`]));
      } else if (!Array.isArray(value) && own(value, key)) {
        next.push([value[key], `${ptr}/${escapePtr(key)}`]);
      }
    }
    found = next;
  }
  return found;
}

/** {date, time, tz} from a stored "when", or null when it has no valid date. time and tz may be null. */
export function whenOf(value) {
  if (!isObject(value) || !DATE.test(value.date || "")) return null;
  const out = {
    date: value.date,
    time: TIME.test(value.time || "") ? value.time : null,
    tz: typeof value.tz === "string" && value.tz ? value.tz : null,
  };
  // A repeat rule (DESIGN.md "Recurring actions") goes with it; time/repeat.js expands it.
  if (isObject(value.repeat)) out.repeat = value.repeat;
  return out;
}

function text(value) {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return "";
}

/** Every dated item of a plan, in document order (fields: docs/follow-through.md). */
export function planItems(plan, schema, checkins = []) {
  const data = plan && plan.data;
  const out = [];
  if (!schema || !isObject(data)) return out;
  const last = new Map();
  // A check-in on one occurrence of a repeating item says nothing about the item as a whole.
  for (const c of checkins || []) if (c && typeof c.item === "string" && !c.occurrence) last.set(c.item, c.outcome);
  for (const { path, sptr, cal } of itemLocations(schema)) {
    for (const [value, pointer] of expand(data, path)) {
      if (!isObject(value)) continue;
      const at = (rel) => (typeof rel === "string" && rel ? absolute(pointer, rel) : null);
      // The item's own id keeps it recognisable through reordering; an object outside a list has its place.
      const id = typeof value.id === "string" && value.id ? value.id : pointer.slice(1).replace(/\//g, "-") || "plan";
      const kind = cal.kind === "review" ? "review" : "action";
      const summary = cal.summary ? text(getAt(data, at(cal.summary))) : "";
      let shown = summary;
      if (!shown && typeof cal.summaryText === "string") {
        shown = tp(`${plan.schema}:${sptr}/x-calendar/summaryText`, cal.summaryText);
      }
      if (!shown) shown = kind === "review" ? t("Review") : t("Action");
      const whenPointer = at(cal.when || "0/when");
      const donePointer = at(cal.done);
      const outcome = last.get(id);
      const planBPointer = at(cal.planB || "0/planB");
      const commitmentPointer = at(cal.commitment || "0/commitment");
      const commitment = getAt(data, commitmentPointer);
      const rawWhen = getAt(data, whenPointer);
      out.push({
        id, pointer, kind, summary, text: shown, sptr, cal, value,
        when: whenOf(rawWhen), whenPointer,
        repeats: isObject(rawWhen) && isObject(rawWhen.repeat),
        done: donePointer ? getAt(data, donePointer) === true : outcome === "done",
        donePointer,
        dropped: outcome === "dropped",
        planB: text(getAt(data, planBPointer)),
        commitment: Number.isInteger(commitment) && commitment >= 1 && commitment <= 10 ? commitment : null,
        commitmentPointer,
      });
    }
  }
  return out;
}

/** One item by id, or null. */
export function findItem(plan, schema, itemId, checkins = []) {
  return planItems(plan, schema, checkins).find((i) => i.id === itemId) || null;
}

/** The edits [{pointer, value}] for {done} (if the schema has a done field) and/or {when}; throws without the item. */
export function changeItem(plan, schema, itemId, change) {
  const item = findItem(plan, schema, itemId);
  if (!item) throw new Error(`no item ${itemId} in plan ${plan && plan.id}`);
  const edits = [];
  if ("done" in change && item.donePointer) edits.push({ pointer: item.donePointer, value: change.done === true });
  if ("when" in change && change.when) {
    const w = { date: change.when.date };
    if (change.when.time) w.time = change.when.time;
    if (change.when.tz) w.tz = change.when.tz;
    if (isObject(change.when.repeat)) w.repeat = change.when.repeat;
    edits.push({ pointer: item.whenPointer, value: w });
  }
  return edits;
}

/** The plan's title: the first text at the schema's x-title pointer(s), or "" (callers add "Untitled plan"). */
export function planTitle(plan, schema) {
  const pointers = schema ? schema["x-title"] : null;
  for (const p of Array.isArray(pointers) ? pointers : pointers ? [pointers] : []) {
    const v = getAt(plan && plan.data, p);
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return "";
}
