// Each occurrence of a repeating item and what became of it, from the check-ins that name it (`occurrence`): what
// the agenda shows (the next one, the missed ones, the moved ones), the habit strip and the counts of my plans and
// the review. Pure (no DOM, no storage): Node tests drive it as is.
//
// The rules, in one place:
// - An occurrence's state is its latest check-in's outcome: done, partly, not-done, skipped, dropped, moved.
// - Without one it is "missed" once it is overdue (its moment passed, or its day ended without a time, in the
//   item's zone; the same rule as due/sections.js), else "due".
// - A moved occurrence is due at its new `to`, and missed once that has passed without a later check-in.
// - Skipped and dropped occurrences are never counted as failures: they leave the counts.
// - The agenda looks back at most LOOKBACK_DAYS: a rule ignored for years costs what a year costs, and what lies
//   further back stays in the item's history.

import { overdueFrom } from "../time/zoned-time.js";
import { addDays, today } from "../time/zone-day.js";
import { dayNumber, nextOccurrence, occurrenceWhen, occurrences, repeatProblems, repeats } from "../time/repeat.js";

export const LOOKBACK_DAYS = 400;

/** True when the item's `when` holds a repeat rule that can be expanded. */
export function expandable(when) {
  return repeats(when) && !repeatProblems(when).length && !Number.isNaN(dayNumber(when.date));
}

/** The latest check-in on each occurrence of one item: Map(date -> check-in). checkins: any order. */
export function occurrenceCheckins(checkins, itemId) {
  const list = (Array.isArray(checkins) ? checkins : [])
    .filter((c) => c && c.item === itemId && typeof c.occurrence === "string");
  list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const out = new Map();
  for (const c of list) out.set(c.occurrence, c);
  return out;
}

/** Whether an occurrence's moment is past at now: any earlier day in its zone, or today once its time passed. */
function isOverdue(when, date, day, now) {
  if (date < day) return true;
  if (date > day) return false;
  return overdueFrom(occurrenceWhen(when, date)) <= now;
}

/** The state of one occurrence at now: an outcome, or "missed" / "due" without a check-in. */
export function occurrenceState(when, date, latest, now) {
  const day = today(now, when.tz);
  if (latest && latest.outcome === "moved" && latest.to && latest.to.date) {
    const to = latest.to;
    return isOverdue({ ...to, tz: to.tz || when.tz }, to.date, today(now, to.tz || when.tz), now) ? "missed" : "due";
  }
  if (latest) return latest.outcome;
  return isOverdue(when, date, day, now) ? "missed" : "due";
}

/**
 * What the agenda shows of a repeating item at now: {missed: [dates, oldest first] (overdue, no check-in),
 * next: the first occurrence not yet overdue and not checked in (or null), moved: [{occurrence, to}] still open}.
 */
export function agendaParts(when, checkins, itemId, now) {
  const latest = occurrenceCheckins(checkins, itemId);
  const day = today(now, when.tz);
  const from = addDays(day, -LOOKBACK_DAYS) > when.date ? addDays(day, -LOOKBACK_DAYS) : when.date;
  const missed = [];
  let next = null;
  for (const date of occurrences(when, from, day)) {
    if (latest.has(date)) continue;
    if (isOverdue(when, date, day, now)) missed.push(date);
    else if (!next) next = date;
  }
  // Ahead of today: the first occurrence nobody has checked in yet (one may be skipped ahead of time).
  for (let d = addDays(day, 1), i = 0; !next && i < 400; i += 1) {
    const found = nextOccurrence(when, d, 400);
    if (!found) break;
    if (!latest.has(found)) next = found;
    d = addDays(found, 1);
  }
  const moved = [];
  for (const [date, c] of latest) {
    if (c.outcome === "moved" && c.to && c.to.date) moved.push({ occurrence: date, to: c.to });
  }
  return { missed, next, moved };
}

/**
 * The occurrences of the last `weeks` weeks up to today, and the next one, each with its state:
 * [{date, state}] oldest first, for the habit strip.
 */
export function recentOccurrences(when, checkins, itemId, now, weeks = 6) {
  if (!expandable(when)) return [];
  const latest = occurrenceCheckins(checkins, itemId);
  const day = today(now, when.tz);
  const out = occurrences(when, addDays(day, 1 - 7 * weeks), day)
    .map((date) => ({ date, state: occurrenceState(when, date, latest.get(date), now) }));
  const next = nextOccurrence(when, addDays(day, 1), 400);
  if (next && !out.some((o) => o.state === "due")) {
    out.push({ date: next, state: occurrenceState(when, next, latest.get(next), now) });
  }
  return out;
}

/** "done 9 of the last 12": {done, of} over the last `last` settled occurrences (skipped and dropped left out). */
export function doneOfLast(states, last = 12) {
  const counted = states.filter((s) => s !== "due" && s !== "skipped" && s !== "dropped").slice(-last);
  return { done: counted.filter((s) => s === "done").length, of: counted.length };
}

/**
 * The counts of one repeating item's occurrences from `from` to `to` (ISO dates, inclusive) at now:
 * {done, partly, notDone (not done or missed), skipped, dropped, due, total}. `total` leaves skipped and dropped out.
 */
export function occurrenceCounts(when, checkins, itemId, from, to, now) {
  const counts = { done: 0, partly: 0, notDone: 0, skipped: 0, dropped: 0, due: 0, total: 0 };
  if (!expandable(when)) return counts;
  const latest = occurrenceCheckins(checkins, itemId);
  const start = addDays(to, -LOOKBACK_DAYS) > from ? addDays(to, -LOOKBACK_DAYS) : from;
  const key = { done: "done", partly: "partly", "not-done": "notDone", missed: "notDone", skipped: "skipped",
    dropped: "dropped", due: "due" };
  for (const date of occurrences(when, start, to)) {
    const state = occurrenceState(when, date, latest.get(date), now);
    counts[key[state] || "due"] += 1;
  }
  counts.total = counts.done + counts.partly + counts.notDone + counts.due;
  return counts;
}
