// Plan + schema -> calendar events for ics.js. Pure: storage and settings come in as arguments.
//
// Object schemas carrying `x-calendar` turn each of their instances into one event (see docs/schemas.md):
// {"kind": "action"|"review", "summary": <rel. pointer> | "summaryText": <English text>,
//  "when": <rel. pointer to {date, time?, tz}>, "description": [<rel. pointers>], "done": <rel. pointer>}.
// Pointers are relative JSON pointers ("0/what", "1/title"); "/what" and "what" mean "0/what".

import { t, tp } from "./i18n.js";

export const DEFAULT_SETTINGS = Object.freeze({
  durationMinutes: 60,
  // An hour ahead leaves time to get ready; an all-day event reminds at 09:00 on the day (9 h after its start).
  alarmMinutesBefore: 60,
  allDayAlarmMinutesBefore: -540,
});

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const unescapePtr = (s) => s.replace(/~1/g, "/").replace(/~0/g, "~");
const escapePtr = (s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Follow local $refs. Keywords beside a $ref describe this use of the target and win over the target's own:
 * returns {node: the target, sptr: its pointer, vis, topic, title, titlePtr} with the outermost of each.
 */
export function resolveSchema(root, node, sptr) {
  const out = { vis: undefined, topic: undefined, title: undefined, titlePtr: undefined };
  for (let guard = 0; node && guard < 32; guard++) {
    if (out.vis === undefined && node["x-visibility"] !== undefined) out.vis = node["x-visibility"];
    if (out.topic === undefined && typeof node["x-topic"] === "string") out.topic = node["x-topic"];
    if (out.title === undefined && typeof node.title === "string") {
      out.title = node.title;
      out.titlePtr = `${sptr}/title`;
    }
    if (typeof node.$ref !== "string" || !node.$ref.startsWith("#")) break;
    sptr = node.$ref.slice(1);
    node = sptr.split("/").slice(1).map(unescapePtr).reduce((s, k) => (s == null ? s : s[k]), root);
  }
  return { ...out, node, sptr };
}

function deref(root, schema, sptr) {
  const r = resolveSchema(root, schema, sptr);
  return [r.node, r.sptr];
}

function own(obj, key) {
  return obj != null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Parse a relative pointer into {up, path: [keys]}. */
function relative(rel) {
  const m = /^([0-9]+)(\/.*)?$/.exec(rel);
  if (m) return { up: +m[1], path: m[2] ? m[2].split("/").slice(1).map(unescapePtr) : [] };
  const p = rel.startsWith("/") ? rel.slice(1) : rel;
  return { up: 0, path: p ? p.split("/").map(unescapePtr) : [] };
}

/** Value at a relative pointer from stack (ancestors: [{value, schema, sptr}], the event object last). */
function resolve(stack, rel, root) {
  const { up, path } = relative(rel);
  if (up >= stack.length) return {};
  let { value, schema, sptr } = stack[stack.length - 1 - up];
  for (const key of path) {
    [schema, sptr] = deref(root, schema, sptr);
    value = own(value, key) ? value[key] : undefined;
    if (schema && own(schema.properties, key)) {
      schema = schema.properties[key];
      sptr = `${sptr}/properties/${escapePtr(key)}`;
    } else if (schema && schema.items && /^[0-9]+$/.test(key)) {
      schema = schema.items;
      sptr = `${sptr}/items`;
    } else {
      schema = null;
    }
  }
  const r = schema ? resolveSchema(root, schema, sptr) : {};
  return { value, schema: r.node, title: r.title, titlePtr: r.titlePtr, key: path[path.length - 1] };
}

function label(schemaId, found) {
  return found.title !== undefined ? tp(`${schemaId}:${found.titlePtr}`, found.title) : found.key || "";
}

function present(value, schema) {
  if (value == null || value === "") return "";
  if (typeof value === "boolean") return value ? t("Yes") : t("No");
  if (typeof value === "number") {
    // A bounded scale (commitment 1-10) reads better as "8/10".
    return schema && typeof schema.maximum === "number" ? `${value}/${schema.maximum}` : String(value);
  }
  if (Array.isArray(value)) {
    return value.map((v) => present(v, schema && schema.items)).filter(Boolean).map((s) => `• ${s}`).join("\n");
  }
  if (typeof value === "object") {
    return Object.values(value).map((v) => present(v, null)).filter(Boolean).join(", ");
  }
  return String(value).trim();
}

function describe(schemaId, stack, pointers, root) {
  const parts = [];
  for (const rel of pointers || []) {
    const found = resolve(stack, rel, root);
    const text = present(found.value, found.schema);
    if (!text) continue;
    const name = label(schemaId, found);
    // Titles are often questions ("Who else is involved?"): a colon only after a bare label.
    const sep = /[?!:.]$/.test(name) ? "" : ":";
    parts.push(text.includes("\n") ? `${name}${sep}\n${text}` : `${name}${sep} ${text}`);
  }
  return parts.join("\n");
}

/** One event for the object at the top of stack, or null when it has no usable date. */
function eventFor(plan, root, stack, cal, pointer, settings) {
  const when = resolve(stack, cal.when || "0/when", root).value;
  if (!when || typeof when !== "object" || !DATE.test(when.date || "")) return null;
  const time = TIME.test(when.time || "") ? when.time : null;
  const item = stack[stack.length - 1].value;
  const { sptr } = stack[stack.length - 1];
  let summary = "";
  if (cal.summary) summary = present(resolve(stack, cal.summary, root).value, null);
  if (!summary && cal.summaryText) {
    summary = tp(`${plan.schema}:${sptr}/x-calendar/summaryText`, cal.summaryText);
  }
  if (!summary) summary = cal.kind === "review" ? t("Review") : t("Action");
  const done = cal.done ? resolve(stack, cal.done, root).value === true : false;
  // The item's own id keeps the UID through reordering; an object outside a list falls back to its place.
  const itemId = typeof item.id === "string" && item.id ? item.id : pointer.slice(1).replace(/\//g, "-") || "plan";
  return {
    uid: `${itemId}@${plan.id}.passo`,
    summary: done ? `✓ ${summary}` : summary,
    description: describe(plan.schema, stack, cal.description, root),
    date: when.date,
    time,
    tz: typeof when.tz === "string" && when.tz ? when.tz : null,
    durationMinutes: settings.durationMinutes,
    // A done action needs no reminder any more.
    alarmMinutesBefore: done ? null : time ? settings.alarmMinutesBefore : settings.allDayAlarmMinutesBefore,
    sequence: plan.revision,
    status: "CONFIRMED",
    kind: cal.kind || "action",
    pointer,
  };
}

/** Every event of one plan, in document order. */
export function planEvents(plan, schema, settings = DEFAULT_SETTINGS) {
  settings = { ...DEFAULT_SETTINGS, ...settings };
  const events = [];
  const walk = (node, sptr, value, pointer, stack) => {
    [node, sptr] = deref(schema, node, sptr);
    if (!node || value == null || typeof value !== "object") return;
    stack = [...stack, { value, schema: node, sptr }];
    if (!Array.isArray(value) && node["x-calendar"]) {
      const ev = eventFor(plan, schema, stack, node["x-calendar"], pointer, settings);
      if (ev) events.push(ev);
    }
    if (Array.isArray(value)) {
      if (node.items) value.forEach((v, i) => walk(node.items, `${sptr}/items`, v, `${pointer}/${i}`, stack));
    } else if (node.properties) {
      for (const key of Object.keys(node.properties)) {
        if (own(value, key)) {
          const k = escapePtr(key);
          walk(node.properties[key], `${sptr}/properties/${k}`, value[key], `${pointer}/${k}`, stack);
        }
      }
    }
  };
  walk(schema, "", plan.data, "", []);
  return events;
}

/** What is remembered of an exported event: enough to cancel it later (DTSTART is required then too). */
function snapshot(ev) {
  return { summary: ev.summary, date: ev.date, time: ev.time, tz: ev.tz, durationMinutes: ev.durationMinutes };
}

/**
 * Events for one calendar export of a plan, given what the last export of that plan held (`previous`:
 * {uid: snapshot} or null). Items exported before and gone now are sent once more as CANCELLED; `remembered`
 * is what to store for next time. With `only` (a set of UIDs, for one action's "Add to calendar") only those
 * are sent; the rest of the memory is kept as it was, so the next full export still cancels what is gone.
 */
export function calendarExport(plan, schema, previous, settings, only = null) {
  only = only ? new Set(only) : null;
  const current = planEvents(plan, schema, settings);
  const prev = previous && typeof previous === "object" ? previous : {};
  const remembered = {};
  const events = [];
  if (only) {
    for (const [uid, snap] of Object.entries(prev)) remembered[uid] = snap;
  }
  for (const ev of current) {
    if (only && !only.has(ev.uid)) continue;
    remembered[ev.uid] = snapshot(ev);
    events.push(ev);
  }
  if (!only) {
    const live = new Set(current.map((ev) => ev.uid));
    for (const [uid, snap] of Object.entries(prev)) {
      if (live.has(uid) || !snap || !DATE.test(snap.date || "")) continue;
      events.push({
        ...snap, uid, sequence: plan.revision, status: "CANCELLED", alarmMinutesBefore: null, description: "",
      });
    }
  }
  return { events, remembered };
}
