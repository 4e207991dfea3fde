// The review's period and what fell due in it. Pure (no DOM, no storage): Node tests drive it as is.
//
// Every comparison uses the item's own calendar day, the day it has in the zone it was entered in: an action
// on 3 May in Rome falls in a period ending 3 May even on a device in New York, where it is still 2 May.

import { deadline } from "./plan-stats.js";

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
export const DEFAULT_DAYS = 14;

/** Today's date ("YYYY-MM-DD") at instant ms in zone tz (the device's zone when none is given). */
export function today(ms, tz) {
  const options = { year: "numeric", month: "2-digit", day: "2-digit" };
  let format;
  try {
    format = new Intl.DateTimeFormat("en-CA", { ...options, timeZone: tz || undefined });
  } catch {
    format = new Intl.DateTimeFormat("en-CA", options); // a zone this browser does not know: the device's
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** date plus days (negative: minus), as a date; calendar arithmetic, no zone involved. */
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The default period {from, to, since}: from the latest review date of any plan whose day is over in its own
 * zone (since: "review"), else the last 14 days (since: "days"); to is today on this device. A review on
 * today's date does not count yet: the review done on the day of the session covers the weeks before it.
 * items: dated items of every plan ({kind, when}); now: ms; tz: the device's zone (tests pass one).
 */
export function defaultPeriod(items, now, tz) {
  const to = today(now, tz);
  let latest = null;
  let latestEnd = -Infinity;
  for (const item of Array.isArray(items) ? items : []) {
    if (!item || item.kind !== "review") continue;
    const end = deadline(item.when);
    if (end !== null && end <= now && end > latestEnd) {
      latest = item.when.date;
      latestEnd = end;
    }
  }
  if (latest) return { from: latest, to, since: "review" };
  return { from: addDays(to, -DEFAULT_DAYS), to, since: "days" };
}

/** A period the coachee typed: both real dates, from on or before to; else null. */
export function validPeriod(from, to) {
  const real = (d) => DATE.test(d || "") && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  return real(from) && real(to) && from <= to ? { from, to } : null;
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
    if (within(item.when.date, period) || movedFrom) found.push(entry);
  }
  const key = (e) => `${e.item.when.date} ${e.item.when.time || "24:00"}`;
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The entries still to do: neither done nor dropped. */
export function unfinished(entries) {
  return entries.filter((e) => !e.item.done && !e.item.dropped);
}
