// The review's period and what fell due in it. Pure (no DOM, no storage): Node tests drive it as is.
//
// An action falls on the day the agenda shows it (due/sections.js dayOf): a timed one on the day its moment falls
// on this device (19:00 on 2 May in New York for 01:00 on 3 May in Rome), an all-day one on its own date. A
// review meeting's day is over once it has ended in its own zone.

import { dayOf, startsAt } from "../due/sections.js";
import { addDays, isDate, today } from "../time/zone-day.js";
import { occurrences, occurrenceWhen, repeats } from "../time/repeat.js";

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
 * day in the period (the coach hears about the move). tz: the device's zone (tests pass one).
 */
export function dueInPeriod(entries, period, tz = undefined) {
  const found = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    const { item, checkins = [] } = entry;
    if (!item || item.kind !== "action" || !item.when || !isDate(item.when.date)) continue;
    const movedFrom = checkins.some((c) => c && c.from && isDate(c.from.date) && within(dayOf(c.from, tz), period));
    // A repeating action is listed once when any of its occurrences falls in the period (counts: review-page.js),
    // each on the day the agenda shows it (a day either side of the period's dates, for timed ones abroad).
    const repeating = repeats(item.when) && occurrences(item.when, addDays(period.from, -1), addDays(period.to, 1))
      .some((date) => within(dayOf(occurrenceWhen(item.when, date), tz), period));
    if (within(dayOf(item.when, tz), period) || movedFrom || repeating) found.push(entry);
  }
  // By day, then by moment; an all-day action ("~") after the timed ones of its day.
  const key = ({ item: { when } }) => `${dayOf(when, tz)} ${when.time ? new Date(startsAt(when)).toISOString() : "~"}`;
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The entries still to do: neither done nor dropped. */
export function unfinished(entries) {
  return entries.filter((e) => !e.item.done && !e.item.dropped);
}
