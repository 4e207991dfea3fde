// The review's period and what fell due in it. Pure (no DOM, no storage): Node tests drive it as is.
//
// Every comparison uses the item's own calendar day, the day it has in the zone it was entered in: an action
// on 3 May in Rome falls in a period ending 3 May even on a device in New York, where it is still 2 May.

import { addDays, isDate, today } from "../time/zone-day.js";
import { occurrences, repeats } from "../time/repeat.js";

// Day helpers, for the modules that import them from here.
export { addDays, today };

export const DEFAULT_DAYS = 14;

/**
 * The default period {from, to, since}: from the latest review date of any plan whose day is over in its own
 * zone (since: "review"), else the last 14 days (since: "days"); to is today on this device. A review on
 * today's date does not count yet: the review done on the day of the session covers the weeks before it.
 * items: dated items of every plan ({kind, when}); now: ms; tz: the device's zone (tests pass one).
 */
export function defaultPeriod(items, now, tz) {
  const to = today(now, tz);
  let latest = null;
  for (const item of Array.isArray(items) ? items : []) {
    if (!item || item.kind !== "review" || !item.when || !isDate(item.when.date)) continue;
    const { date } = item.when;
    if (today(now, item.when.tz) > date && (!latest || date > latest)) latest = date;
  }
  if (latest) return { from: latest, to, since: "review" };
  return { from: addDays(to, -DEFAULT_DAYS), to, since: "days" };
}

/** A period the coachee typed: both real dates, from on or before to; else null. */
export function validPeriod(from, to) {
  return isDate(from) && isDate(to) && from <= to ? { from, to } : null;
}

const within = (date, period) => typeof date === "string" && date >= period.from && date <= period.to;

/**
 * The actions that fell due in the period, oldest first: entries [{plan, item, checkins}] (checkins: that
 * item's, oldest first). An action counts when its day is in the period, or when it was moved away from a
 * day in the period (the coach hears about the move).
 */
export function dueInPeriod(entries, period) {
  const found = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const { item, checkins = [] } = entry;
    if (!item || item.kind !== "action" || !item.when) continue;
    const movedFrom = checkins.some((c) => c && c.from && within(c.from.date, period));
    // A repeating action is listed once when any of its occurrences falls in the period (counts: review-page.js).
    const repeating = repeats(item.when) && occurrences(item.when, period.from, period.to).length > 0;
    if (within(item.when.date, period) || movedFrom || repeating) found.push(entry);
  }
  const key = (e) => `${e.item.when.date} ${e.item.when.time || "24:00"}`;
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The entries still to do: neither done nor dropped. */
export function unfinished(entries) {
  return entries.filter((e) => !e.item.done && !e.item.dropped);
}
