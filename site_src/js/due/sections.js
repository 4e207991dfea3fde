// The agenda's sections and how late an item is. Pure (no DOM, no storage): Node tests drive it as is.
//
// Time is a place: every comparison with "now" happens in the item's own zone (`when.tz`, the device's zone when
// it has none). A timed item is overdue once its moment has passed; an all-day item once its day has ended in
// its zone. "Today" and "Next 7 days" are calendar days in the item's zone, so an item on 21 May in Tokyo is
// "Next 7 days" on a device in New York where it is still 20 May, and shows at the New York time it falls.

import { DAY as DAY_MS, deadline, zonedToUtc } from "../time/zoned-time.js";
import { addDays, today } from "../time/zone-day.js";

export const SECTIONS = ["overdue", "today", "week", "later", "undated"];

/** UTC ms an item starts: its time in its zone, or the start of its day there when it has no time. */
export function startsAt(when) {
  return zonedToUtc(when.date, when.time || "00:00", when.tz);
}

/** UTC ms from which an item is overdue: its moment, or the end of its day in its zone when it has no time. */
export function overdueFrom(when) {
  return when.time ? startsAt(when) : deadline(when);
}

/** The section of an item with `when` ({date, time, tz} or null) at instant now (ms). */
export function sectionOf(when, now) {
  if (!when) return "undated";
  if (overdueFrom(when) <= now) return "overdue";
  const day = today(now, when.tz);
  if (when.date <= day) return "today";
  return when.date <= addDays(day, 7) ? "week" : "later";
}

/** Whole calendar days from date a to date b (ISO dates; no zone involved). */
function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * How late an overdue item is at now: {days} (calendar days since its date, in its zone) once its date is
 * behind, else {hours} or {minutes} since its time; null when it is not overdue.
 */
export function lateness(when, now) {
  if (!when || overdueFrom(when) > now) return null;
  const days = daysBetween(when.date, today(now, when.tz));
  if (days >= 1) return { days };
  const minutes = Math.max(0, Math.floor((now - startsAt(when)) / 60000));
  return minutes >= 60 ? { hours: Math.floor(minutes / 60) } : { minutes };
}

/**
 * Group entries ({when, done, dropped, ...}) for the agenda at now: {overdue, today, week, later, undated}, each a
 * list of {...entry, section, starts, late}. Done and dropped items are left out. Dated sections run oldest first
 * (by the moment each starts); undated entries keep their order.
 */
export function groupAgenda(entries, now) {
  const out = Object.fromEntries(SECTIONS.map((s) => [s, []]));
  for (const entry of entries) {
    if (entry.done || entry.dropped) continue;
    const section = sectionOf(entry.when, now);
    const starts = entry.when ? startsAt(entry.when) : null;
    out[section].push({ ...entry, section, starts, late: section === "overdue" ? lateness(entry.when, now) : null });
  }
  for (const s of SECTIONS) if (s !== "undated") out[s].sort((a, b) => a.starts - b.starts);
  return out;
}

/** Counts for the badge and the home page: {overdue, today}. */
export function dueCounts(entries, now) {
  let overdue = 0;
  let dueToday = 0;
  for (const e of entries) {
    if (e.done || e.dropped || !e.when) continue;
    const s = sectionOf(e.when, now);
    if (s === "overdue") overdue += 1;
    else if (s === "today") dueToday += 1;
  }
  return { overdue, today: dueToday };
}
