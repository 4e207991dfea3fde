// How a plan's dated actions went: done on time, done late, not done. Pure (no DOM, no storage), so Node
// tests drive it as is; my plans shows the counts.
//
// The rules, in one place:
// - Only actions with a date count (kind "action" with a valid `when`); reviews and undated actions do not.
// - An action is due at the end of its day, in its own time zone (`when.tz`), with or without a time: a call
//   planned for 19:00 and done at 21:00 the same evening is on time. Its day is the one it has now, so a
//   move agreed with oneself (a new date, the plan B) sets the new deadline; the move is in the history.
// - Dropped: the latest check-in of the item says "dropped" and it is not done. Counted apart, never as not done.
// - Done on time / late: the item is done and its latest "done" check-in is before / after its deadline.
//   Done with no "done" check-in (ticked in the form or in my plans) is counted as done, time unknown.
// - Not done: not done, not dropped, and its deadline has passed. Before its deadline it is still open.

import { zonedToUtc } from "./ics.js";

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** The day after an ISO date, as an ISO date (calendar arithmetic, no zone involved); null for 2026-02-30. */
export function nextDay(date) {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) return null;
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** UTC ms at which an item's day ends in its own zone, or null without a valid date. */
export function deadline(when) {
  if (!when || typeof when !== "object" || !DATE.test(when.date || "")) return null;
  const next = nextDay(when.date);
  return next === null ? null : zonedToUtc(next, "00:00", when.tz);
}

/** Check-ins per item id, oldest first (the store gives them oldest first already; sorting keeps it so). */
function byItem(checkins) {
  const map = new Map();
  for (const c of Array.isArray(checkins) ? checkins : []) {
    if (!c || typeof c.item !== "string") continue;
    if (!map.has(c.item)) map.set(c.item, []);
    map.get(c.item).push(c);
  }
  for (const list of map.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return map;
}

/**
 * One action's state: "on-time", "late", "done" (time unknown), "not-done", "dropped", "open" (not yet due),
 * or null when it does not count (no date, or not an action).
 */
export function itemOutcome(item, checkins, now) {
  if (!item || (item.kind || "action") !== "action") return null;
  const end = deadline(item.when);
  if (end === null) return null;
  const list = Array.isArray(checkins) ? checkins : [];
  const last = list[list.length - 1];
  if (item.done === true) {
    const done = list.filter((c) => c.outcome === "done").pop();
    if (!done || !Number.isFinite(Date.parse(done.at))) return "done";
    return Date.parse(done.at) < end ? "on-time" : "late";
  }
  if (item.dropped === true || (last && last.outcome === "dropped")) return "dropped";
  return now >= end ? "not-done" : "open";
}

/**
 * Counts for one plan: {onTime, late, done, notDone, dropped, open}. items: the plan's dated items
 * ({id, kind, when: {date, time?, tz}, done}); checkins: the plan's check-ins ({item, at, outcome}); now: ms.
 */
export function planStats(items, checkins, now) {
  const counts = { onTime: 0, late: 0, done: 0, notDone: 0, dropped: 0, open: 0 };
  const key = { "on-time": "onTime", late: "late", done: "done", "not-done": "notDone", dropped: "dropped", open: "open" };
  const history = byItem(checkins);
  for (const item of Array.isArray(items) ? items : []) {
    const outcome = itemOutcome(item, history.get(item && item.id) || [], now);
    if (outcome) counts[key[outcome]] += 1;
  }
  return counts;
}
