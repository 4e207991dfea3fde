// A VTIMEZONE (RFC 5545 3.6.5) for an IANA zone, from what the browser's Intl knows of it: a repeating event is
// written in its own zone (DTSTART;TZID=Europe/Rome) so that a weekly 19:00 stays 19:00 across a daylight-saving
// change, and a calendar app needs the zone's rules beside it. Browsers expose no zone rules, only the offset at
// an instant, so the changes are found by looking at each day of the years the event spans, then the minute of
// each change by halving. The changes of the last years that follow one pattern ("last Sunday of March at 02:00")
// become a yearly RRULE, so an event without an end keeps the right offsets after those years as well.

import { DAY, offsetAt as zoneOffset, utc } from "../time/zoned-time.js";

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const pad = (n, w = 2) => String(n).padStart(w, "0");

/** Offset of zone tz from UTC at instant ms, in whole minutes. */
const offsetAt = (tz, ms) => Math.round(zoneOffset(tz, ms) / 60000);

/** "+0100", "-0430", "+0530". */
function offsetText(minutes) {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

/** The local wall time of instant ms at a given offset, as RFC 5545's "YYYYMMDDTHHMMSS" and its parts. */
function wallAt(ms, offset) {
  const d = new Date(ms + offset * 60000);
  const [y, mo, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(),
    d.getUTCMinutes()];
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return {
    text: `${pad(y, 4)}${pad(mo + 1)}${pad(day)}T${pad(h)}${pad(mi)}00`,
    year: y,
    // Which of its kind in the month: -1 for the last one (25-31 March), else 1-4 from the start.
    rule: `${mo + 1}|${day + 7 > last ? -1 : Math.ceil(day / 7)}${WEEKDAYS[d.getUTCDay()]}|${h}:${mi}`,
  };
}

/** The changes of offset in [from, to) ms: [{at (first ms of the new offset), from, to}]. */
function changes(tz, from, to) {
  const found = [];
  let prev = offsetAt(tz, from);
  for (let t = from + DAY; t < to + DAY; t += DAY) {
    const now = offsetAt(tz, t);
    if (now === prev) continue;
    let lo = t - DAY; // offset prev here
    let hi = t; // offset now here
    while (hi - lo > 60000) {
      const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
      if (offsetAt(tz, mid) === prev) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, from: prev, to: now });
    prev = now;
  }
  return found;
}

/**
 * The VTIMEZONE lines of zone tz for events from year `first` to year `last` (inclusive; local years). Offsets
 * before the first change of `first` come from a leading observance at 1 January of that year.
 */
export function vtimezoneLines(tz, first, last) {
  // Two more years than the events need: enough to tell a pattern from a one-off change.
  const from = utc(first, 0, 1) - DAY;
  const found = changes(tz, from, utc(last + 3, 0, 1));
  const lines = ["BEGIN:VTIMEZONE", `TZID:${tz}`];
  const start = offsetAt(tz, from);
  const component = (daylight, dtstart, off0, off1, rrule) => {
    const kind = daylight ? "DAYLIGHT" : "STANDARD";
    lines.push(`BEGIN:${kind}`, `DTSTART:${dtstart}`, `TZOFFSETFROM:${offsetText(off0)}`,
      `TZOFFSETTO:${offsetText(off1)}`);
    if (rrule) lines.push(rrule);
    lines.push(`END:${kind}`);
  };
  const daylightFirst = found.length > 0 && found[0].to > found[0].from;
  component(found.length > 0 && !daylightFirst, `${pad(first, 4)}0101T000000`, start, start, null);
  // Per direction of change (into summer time or out of it), the last run of changes that share month, weekday,
  // position and time, and offsets, reaching the end of the years looked at, becomes one yearly rule.
  const marks = found.map((c) => ({ ...c, wall: wallAt(c.at, c.from), daylight: c.to > c.from }));
  const yearly = new Set();
  for (const daylight of [true, false]) {
    const own = marks.filter((m) => m.daylight === daylight);
    let i = own.length - 1;
    const same = (a, b) => a.wall.rule === b.wall.rule && a.from === b.from && a.to === b.to &&
      a.wall.year === b.wall.year + 1;
    while (i > 0 && same(own[i], own[i - 1])) i -= 1;
    if (own.length && own.length - i >= 3 && own[own.length - 1].wall.year >= last + 2) yearly.add(own[i]);
    for (let j = i + 1; j < own.length && yearly.has(own[i]); j += 1) own[j].covered = true;
  }
  for (const m of marks) {
    if (m.covered) continue;
    let rrule = null;
    if (yearly.has(m)) {
      const [month, byday] = m.wall.rule.split("|");
      rrule = `RRULE:FREQ=YEARLY;BYMONTH=${month};BYDAY=${byday}`;
    }
    component(m.daylight, m.wall.text, m.from, m.to, rrule);
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
