// The agenda's sections and how late an item is. Pure (no DOM, no storage): Node tests drive it as is.
//
// Time is a place. A timed item is a moment: it is overdue once that moment has passed, and it falls on the
// calendar day on which that moment falls on this device, so an item at 01:00 on the 11th in Rome is "Today" on
// the 10th in New York, where it is 19:00, and the date the agenda shows beside it (when-text.js, device time
// first) never disagrees with its section. An all-day item is a day in its own zone (`when.tz`, the device's when
// it has none): "Today" while that day lasts there, overdue once it has ended there. The device's zone is a
// parameter (default: the runtime's), so Node tests can be anywhere.

import { DAY as DAY_MS, overdueFrom, zonedToUtc } from "../time/zoned-time.js";
import { addDays, today } from "../time/zone-day.js";

export const SECTIONS = ["overdue", "today", "week", "later", "undated"];

/** UTC ms an item starts: its time in its zone, or the start of its day there when it has no time. */
export function startsAt(when) {
  return zonedToUtc(when.date, when.time || "00:00", when.tz);
}

// When an item is overdue lives beside the zone arithmetic (repeat/habit.js judges occurrences by it too).
export { overdueFrom };

/**
 * The calendar day ("YYYY-MM-DD") an item falls on for this device: a timed item's moment seen in deviceTz, an
 * all-day item's own date.
 */
export function dayOf(when, deviceTz = undefined) {
  return when.time ? today(startsAt(when), deviceTz) : when.date;
}

/** Today's date for an item at now: on this device for a timed item, in the item's own zone for an all-day one. */
function todayFor(when, now, deviceTz) {
  return today(now, when.time ? deviceTz : when.tz);
}

/** The section of an item with `when` ({date, time, tz} or null) at instant now (ms), on a device in deviceTz. */
export function sectionOf(when, now, deviceTz = undefined) {
  if (!when) return "undated";
  if (overdueFrom(when) <= now) return "overdue";
  const day = todayFor(when, now, deviceTz);
  const date = dayOf(when, deviceTz);
  if (date <= day) return "today";
  return date <= addDays(day, 7) ? "week" : "later";
}

/** Whole calendar days from date a to date b (ISO dates; no zone involved). */
export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * How late an overdue item is at now: {days} (calendar days since its day, counted where sectionOf counts them)
 * once its day is behind, else {hours} or {minutes} since its time; null when it is not overdue.
 */
export function lateness(when, now, deviceTz = undefined) {
  if (!when || overdueFrom(when) > now) return null;
  const days = daysBetween(dayOf(when, deviceTz), todayFor(when, now, deviceTz));
  if (days >= 1) return { days };
  const minutes = Math.max(0, Math.floor((now - startsAt(when)) / 60000));
  return minutes >= 60 ? { hours: Math.floor(minutes / 60) } : { minutes };
}

/**
 * Group entries ({when, done, dropped, ...}) for the agenda at now: {overdue, today, week, later, undated}, each a
 * list of {...entry, section, starts, late}. Done and dropped items are left out. Dated sections run oldest first
 * (by the moment each starts); undated entries keep their order.
 */
export function groupAgenda(entries, now, deviceTz = undefined) {
  const out = Object.fromEntries(SECTIONS.map((s) => [s, []]));
  for (const entry of entries) {
    if (entry.done || entry.dropped) continue;
    const section = sectionOf(entry.when, now, deviceTz);
    const starts = entry.when ? startsAt(entry.when) : null;
    const late = section === "overdue" ? lateness(entry.when, now, deviceTz) : null;
    out[section].push({ ...entry, section, starts, late });
  }
  for (const s of SECTIONS) if (s !== "undated") out[s].sort((a, b) => a.starts - b.starts);
  return out;
}

/** Counts for the badge and the home page: {overdue, today}. */
export function dueCounts(entries, now, deviceTz = undefined) {
  let overdue = 0;
  let dueToday = 0;
  for (const e of entries) {
    if (e.done || e.dropped || !e.when) continue;
    const s = sectionOf(e.when, now, deviceTz);
    if (s === "overdue") overdue += 1;
    else if (s === "today") dueToday += 1;
  }
  return { overdue, today: dueToday };
}
