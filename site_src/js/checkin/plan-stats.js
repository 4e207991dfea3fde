// How a plan's dated actions went: done on time, done late, not done. Pure; my plans shows the counts.
//
// The rules, in one place. Days are the item's own: its date, and the day it is (or was) in its zone.
// - Only actions with a date count; reviews and undated actions do not.
// - An action is due by the end of its day, with or without a time. Its day is the one it has now: a move (a new
//   date, the plan B) sets the new deadline, and stays in the history.
// - Done on time / late: done, and its latest "done" check-in fell on / after its day. Done with no "done"
//   check-in (ticked in the form) counts as done, time unknown.
// - Dropped (latest check-in "dropped", not done) is counted apart, never as not done.
// - Not done: neither done nor dropped, and its day is over. Before that it is open.

// - A repeating action counts each occurrence up to today, not itself (repeat/habit.js): done on time when done,
//   not done when missed, not done or partly done; a skipped occurrence is counted apart, never as not done.

import { isDate, today } from "../time/zone-day.js";
import { expandable, occurrenceCounts } from "../repeat/habit.js";

/**
 * One action's state: "on-time", "late", "done" (time unknown), "not-done", "dropped", "open" (not yet due),
 * or null when it does not count. checkins: that item's, oldest first; now: ms.
 */
export function itemOutcome(item, checkins, now) {
  if (!item || (item.kind || "action") !== "action" || !item.when || !isDate(item.when.date)) return null;
  const { date, tz } = item.when;
  const list = Array.isArray(checkins) ? checkins : [];
  if (item.done === true) {
    const done = list.filter((c) => c.outcome === "done").pop();
    const at = done ? Date.parse(done.at) : NaN;
    if (!Number.isFinite(at)) return "done";
    return today(at, tz) <= date ? "on-time" : "late";
  }
  const last = list[list.length - 1];
  if (item.dropped === true || (last && last.outcome === "dropped")) return "dropped";
  return today(now, tz) > date ? "not-done" : "open";
}

const KEYS = { "on-time": "onTime", late: "late", done: "done", "not-done": "notDone", dropped: "dropped", open: "open" };

/**
 * Counts for one plan, {onTime, late, done, notDone, dropped, open}: items from plan-items.js, the plan's check-ins
 * ({item, at, outcome}, any order), now in ms.
 */
export function planStats(items, checkins, now) {
  const counts = { onTime: 0, late: 0, done: 0, notDone: 0, dropped: 0, open: 0, skipped: 0 };
  const byItem = new Map();
  for (const c of Array.isArray(checkins) ? checkins : []) {
    if (c && typeof c.item === "string") byItem.set(c.item, [...(byItem.get(c.item) || []), c]);
  }
  for (const list of byItem.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const item of Array.isArray(items) ? items : []) {
    if (item && (item.kind || "action") === "action" && item.when && expandable(item.when) && !item.done) {
      const c = occurrenceCounts(item.when, byItem.get(item.id) || [], item.id, item.when.date,
        today(now, item.when.tz), now);
      counts.onTime += c.done;
      counts.notDone += c.notDone + c.partly;
      counts.dropped += c.dropped;
      counts.skipped += c.skipped;
      counts.open += c.due;
      continue;
    }
    const outcome = itemOutcome(item, byItem.get(item && item.id) || [], now);
    if (outcome) counts[KEYS[outcome]] += 1;
  }
  return counts;
}
