// Plan + schema -> calendar events for ics.js. Pure: storage and settings come in as arguments.
//
// Object schemas carrying `x-calendar` turn each of their instances into one event (see docs/schemas.md):
// {"kind": "action"|"review", "summary": <rel. pointer> | "summaryText": <English text>,
//  "when": <rel. pointer to {date, time?, tz}>, "description": [<rel. pointers>], "done": <rel. pointer>}.
// Pointers are relative JSON pointers ("0/what", "1/title"); "/what" and "what" mean "0/what".

import { t, tp } from "../core/i18n.js";
import { DEFAULT_SETTINGS } from "./calendar-defaults.js";
import { absolute, getAt, planItems, schemaAt, whenOf } from "../schema/plan-items.js";
import {
  dayNumber, firstOccurrence, isOccurrence, repeatProblems, WEEKDAYS, weekdayOf,
} from "../time/repeat.js";

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

/**
 * A repeating item's rule as the calendar writes it, or null (no rule, or one with problems: the item is then one
 * event on its date, as before it repeated). The weekly weekday and the monthly day default to the start's, and
 * are written out, so that no calendar app has to guess them; `date` is the rule's first occurrence (DTSTART).
 */
function calendarRule(when) {
  const repeat = when.repeat;
  if (!repeat || repeatProblems(when).length) return null;
  const first = firstOccurrence(when);
  if (!first) return null;
  const start = dayNumber(when.date);
  const rule = { ...repeat };
  if (rule.freq === "weekly" && !rule.byday) rule.byday = [WEEKDAYS[weekdayOf(start)]];
  if (rule.freq === "monthly" && !rule.bymonthday) rule.bymonthday = Number(when.date.slice(8, 10));
  return { rule, first };
}

/**
 * What the plan's check-ins did to single occurrences of a repeating item, oldest first, the last word winning:
 * skipped or dropped ones (EXDATE) and moved ones with where they went (RECURRENCE-ID). Done, partly or not done
 * leave an occurrence where the rule put it; a check-in naming a date the rule does not produce is ignored.
 */
function occurrenceChanges(when, itemId, checkins) {
  const state = new Map();
  for (const c of checkins || []) {
    if (!c || c.item !== itemId || typeof c.occurrence !== "string" || !isOccurrence(when, c.occurrence)) continue;
    if (c.outcome === "skipped" || c.outcome === "dropped") state.set(c.occurrence, null);
    else if (c.outcome === "moved" && whenOf(c.to)) state.set(c.occurrence, whenOf(c.to));
  }
  const exdates = [];
  const moved = [];
  for (const [occurrence, to] of [...state].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (to) moved.push({ occurrence, to });
    else exdates.push(occurrence);
  }
  return { exdates, moved };
}

/** The last outcome of a check-in on the whole item (not on one occurrence), or undefined. */
function wholeItemOutcome(itemId, checkins) {
  let outcome;
  for (const c of checkins || []) if (c && c.item === itemId && !c.occurrence) outcome = c.outcome;
  return outcome;
}

/** Every event of one plan, in document order: one per dated item (an item with no valid date has none). */
export function planEvents(plan, schema, settings = DEFAULT_SETTINGS, checkins = []) {
  settings = { ...DEFAULT_SETTINGS, ...settings };
  const events = [];
  for (const item of planItems(plan, schema, checkins)) {
    if (!item.when) continue;
    const raw = getAt(plan.data, item.whenPointer);
    const rule = raw && raw.repeat ? calendarRule({ ...item.when, repeat: raw.repeat }) : null;
    let { when, done, dropped } = item;
    if (rule) {
      // A check-in on one occurrence neither ends nor ticks the whole series: only one on the item does.
      const outcome = wholeItemOutcome(item.id, checkins);
      dropped = outcome === "dropped";
      done = item.donePointer ? item.done : outcome === "done";
    }
    // A dropped item leaves the calendar: missing from `current`, calendarExport cancels it once, like a deletion.
    if (dropped) continue;
    const series = rule ? { repeat: rule.rule, ...occurrenceChanges({ ...when, repeat: raw.repeat }, item.id,
      checkins) } : {};
    if (rule) when = { ...when, date: rule.first };
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
      ...series,
    });
  }
  return events;
}

/** What is remembered of an exported event: enough to cancel it later (DTSTART is required then too). */
function snapshot(ev) {
  const snap = { summary: ev.summary, date: ev.date, time: ev.time, tz: ev.tz, durationMinutes: ev.durationMinutes };
  // A series is cancelled as a series: the same rule, so no client reads the cancellation as its first one only.
  if (ev.repeat) snap.repeat = ev.repeat;
  return snap;
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
