// time/: a date is a place and a moment. Wall-clock times in an item's IANA zone (this module) and calendar
// days in a zone (zone-day.js); every "now" comparison in the app goes through them.
//
// Wall-clock time in an IANA zone -> UTC, without a library: the calendar writer (ics.js), the agenda and my plans
// all compare "now" with a moment entered as a local date, time and zone.
//
// Local times that do not exist or occur twice are resolved as RFC 5545 3.3.5 says for TZID times:
// in a spring-forward gap the offset before the gap applies (02:30 in Rome on the change day is 03:30 CEST);
// in a fall-back overlap the first occurrence wins (02:30 is 02:30 CEST, not CET).

export const DAY = 86400000;

/** Date.UTC without its quirk of reading years 0-99 as 1900-1999. */
export function utc(y, mo, d, h = 0, mi = 0, sec = 0) {
  const t = new Date(Date.UTC(2000, mo, d, h, mi, sec));
  t.setUTCFullYear(y, mo, d);
  return t.getTime();
}
const zoneFormats = new Map();

function zoneFormat(tz) {
  let f = zoneFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric",
    });
    zoneFormats.set(tz, f);
  }
  return f;
}

const WALL = /(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)/;

/** Offset of zone tz from UTC at instant ms, in ms (positive east of Greenwich); throws for an unknown zone. */
export function offsetAt(tz, ms) {
  // format() and a regex: several times faster than formatToParts(), which dominated big exports.
  const m = WALL.exec(zoneFormat(tz).format(new Date(ms)));
  const wall = utc(+m[3], +m[1] - 1, +m[2], +m[4], +m[5], +m[6]);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** tz when this runtime knows it, else the device's own zone (the best guess left), else "UTC". */
export function validZone(tz) {
  try {
    if (!tz) throw new RangeError("no zone");
    zoneFormat(tz);
    return tz;
  } catch {
    // No zone, or one this browser does not know (older ICU): the device's own zone is the best guess left.
    return new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }
}

// Per zone and day: the offset when it is the same from the day before to the day after (no change near
// that day), else null. Most days of most zones need two lookups this way, however many events they hold.
const steadyDays = new Map();

/** UTC milliseconds of a local wall time ("YYYY-MM-DD", "HH:MM") in zone tz. */
export function zonedToUtc(date, time, tz) {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const zone = validZone(tz);
  const local = utc(y, mo - 1, d, h, mi);
  const key = `${zone}|${date}`;
  let steady = steadyDays.get(key);
  if (steady === undefined) {
    const day = utc(y, mo - 1, d);
    const a = offsetAt(zone, day - DAY);
    steady = a === offsetAt(zone, day + 2 * DAY) ? a : null;
    steadyDays.set(key, steady);
  }
  if (steady !== null) return local - steady;
  // Offsets a day either side bracket the one transition; each is right iff it maps back to itself.
  const before = offsetAt(zone, local - DAY);
  const after = offsetAt(zone, local + DAY);
  const fits = [before, after].filter((o) => offsetAt(zone, local - o) === o).map((o) => local - o);
  if (fits.length) return Math.min(...fits); // overlap: the earlier instant is the first occurrence
  return local - before; // gap: the offset before the transition
}

/** UTC ms at which an item's day ({date, tz}) ends in its own zone, or null without a real date. */
export function deadline(when) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec((when && when.date) || "");
  if (!m) return null;
  const day = new Date(utc(+m[1], +m[2] - 1, +m[3]));
  if (day.getUTCMonth() !== +m[2] - 1 || day.getUTCDate() !== +m[3]) return null; // 2026-02-30
  return zonedToUtc(new Date(day.getTime() + DAY).toISOString().slice(0, 10), "00:00", when.tz);
}

/** UTC ms from which an item is overdue: its moment, or the end of its day in its zone when it has no time. */
export function overdueFrom(when) {
  return when.time ? zonedToUtc(when.date, when.time, when.tz) : deadline(when);
}
