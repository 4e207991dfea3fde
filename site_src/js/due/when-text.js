// How a stored {date, time?, tz} reads in the page language, two ways: where it falls on this device (the agenda,
// "Next up", the check-in: "Wed 20 May, 1:00 PM (7:00 PM in Rome)"), and as the coachee entered it, in the item's
// own zone (an item's history, the review: "20 May 2026, 7:00 PM"). Both format clock times the same way, here.

import { formatDate, formatDateTime, t } from "../core/i18n.js";
import { startsAt } from "./sections.js";
import { deviceZone } from "../time/device-zone.js";

// Option objects made once: i18n.js caches a formatter per options object.
const DAY = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
const MOMENT = { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit" };
const clocks = new Map(); // zone -> clock options in that zone

// The device's IANA zone: new dates entered here (a move) are in it.
export { deviceZone };

const zoneName = (tz) => tz.slice(tz.lastIndexOf("/") + 1).replace(/_/g, " ");

/** The clock time of an instant in a zone ("7:00 PM"); throws for a zone this browser does not know. */
function clockIn(at, tz) {
  if (!clocks.has(tz)) clocks.set(tz, { hour: "numeric", minute: "2-digit", timeZone: tz });
  return formatDateTime(at, clocks.get(tz));
}

/**
 * An item's date (and time) where it falls on this device. When it was entered in another zone, its own time
 * there follows ("13:00 (19:00 in Rome)").
 */
export function whenHere(when) {
  if (!when) return t("No date yet");
  if (!when.time) return formatDate(when.date, DAY);
  const at = new Date(startsAt(when));
  const here = formatDateTime(at, MOMENT);
  if (!when.tz || when.tz === deviceZone()) return here;
  let there;
  try {
    there = clockIn(at, when.tz);
  } catch {
    return here; // a zone this browser does not know: the moment on this device is still right
  }
  return t("{time} ({local} in {zone})", { time: here, local: there, zone: zoneName(when.tz) });
}

/** A stored {date, time?, tz} as the coachee entered it, in the item's own zone; "" without a date. */
export function whenEntered(when) {
  if (!when || !when.date) return "";
  const day = formatDate(when.date);
  if (!when.time) return day;
  const [h, m] = when.time.split(":").map(Number);
  return `${day}, ${clockIn(new Date(Date.UTC(2000, 0, 1, h, m)), "UTC")}`;
}
