// Plan + schema -> calendar events for ics.js. Pure: storage and settings come in as arguments.
//
// Object schemas carrying `x-calendar` turn each of their instances into one event (see docs/schemas.md):
// {"kind": "action"|"review", "summary": <rel. pointer> | "summaryText": <English text>,
//  "when": <rel. pointer to {date, time?, tz}>, "description": [<rel. pointers>], "done": <rel. pointer>}.
// Pointers are relative JSON pointers ("0/what", "1/title"); "/what" and "what" mean "0/what".

import { t, tp } from "../core/i18n.js";
import { DEFAULT_SETTINGS } from "./calendar-defaults.js";
import { absolute, getAt, planItems, schemaAt } from "../schema/plan-items.js";

export { DEFAULT_SETTINGS };

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;


/** The value at a relative pointer from the item at itemPtr, with its schema node and title. */
function resolve(plan, root, itemPtr, rel) {
  const pointer = absolute(itemPtr, rel);
  const found = schemaAt(root, pointer);
  return { value: getAt(plan.data, pointer), schema: found.node, title: found.title, titlePtr: found.titlePtr,
    key: found.key };
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

function describe(plan, itemPtr, pointers, root) {
  const parts = [];
  for (const rel of pointers || []) {
    const found = resolve(plan, root, itemPtr, rel);
    const text = present(found.value, found.schema);
    if (!text) continue;
    const name = label(plan.schema, found);
    // Titles are often questions ("Who else is involved?"): a colon only after a bare label.
    const sep = /[?!:.]$/.test(name) ? "" : ":";
    parts.push(text.includes("\n") ? `${name}${sep}\n${text}` : `${name}${sep} ${text}`);
  }
  return parts.join("\n");
}

/** Every event of one plan, in document order: one per dated item (an item with no valid date has none). */
export function planEvents(plan, schema, settings = DEFAULT_SETTINGS, checkins = []) {
  settings = { ...DEFAULT_SETTINGS, ...settings };
  const events = [];
  for (const item of planItems(plan, schema, checkins)) {
    // A dropped item leaves the calendar: missing from `current`, calendarExport cancels it once, like a deletion.
    if (!item.when || item.dropped) continue;
    const { when, done } = item;
    events.push({
      uid: `${item.id}@${plan.id}.passo`,
      summary: done ? `✓ ${item.text}` : item.text,
      description: describe(plan, item.pointer, item.cal.description, schema),
      date: when.date,
      time: when.time,
      tz: when.tz,
      durationMinutes: settings.durationMinutes,
      // A done action needs no reminder any more.
      alarmMinutesBefore: done ? null : when.time ? settings.alarmMinutesBefore : settings.allDayAlarmMinutesBefore,
      sequence: plan.revision,
      status: "CONFIRMED",
      kind: item.kind,
      pointer: item.pointer,
    });
  }
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
export function calendarExport(plan, schema, previous, settings, only = null, checkins = []) {
  only = only ? new Set(only) : null;
  const current = planEvents(plan, schema, settings, checkins);
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
