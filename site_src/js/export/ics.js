// RFC 5545 calendar writer: plain data in, one string out (no DOM, no storage), so Node tests drive it as is.
//
// Times: a timed event is written in UTC ("...Z") computed from the local date, time and IANA zone the
// coachee entered, so no VTIMEZONE is needed and every client shows the right instant after a DST change.
// The wall-clock arithmetic is in zoned-time.js, which the agenda and my plans load without the writer.
//
// A repeating event (`repeat`, the item's rule as plan-events.js gives it) is the exception: one VEVENT with an
// RRULE, written in its own zone (DTSTART;TZID=...) with that zone's VTIMEZONE (vtimezone.js), since each
// occurrence keeps its wall-clock time there and a rule in UTC would drift by an hour at every change. UNTIL is in
// UTC for a timed event (RFC 5545 3.3.10 wants that beside a TZID start), a DATE for an all-day one. Skipped and
// dropped occurrences are EXDATEs; a moved one is a VEVENT of its own with the same UID and a RECURRENCE-ID.

import { DAY, utc, validZone, zonedToUtc } from "../time/zoned-time.js";
import { lastOccurrence } from "../time/repeat.js";
import { vtimezoneLines } from "./vtimezone.js";

export { zonedToUtc };

const pad = (n, w = 2) => String(n).padStart(w, "0");

function utcStamp(ms) {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

function dateValue(ms) {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/**
 * TEXT value escaping (RFC 5545 3.3.11). Line breaks of any kind become \n; other control characters are
 * dropped because TEXT may not contain them and parsers disagree on what to do with them.
 */
export function escapeText(s) {
  return String(s ?? "")
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/[\\;,\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/** UTF-8 length of one code point, without encoding it (encoding char by char is slow on big files). */
const octets = (cp) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/** Fold one content line at 75 octets, never inside a UTF-8 sequence; continuation lines start with a space. */
export function foldLine(line) {
  // eslint-disable-next-line no-control-regex
  if (line.length <= 75 && /^[\x00-\x7f]*$/.test(line)) return line;
  const out = [];
  let start = 0;
  let size = 0;
  let limit = 75;
  for (let i = 0; i < line.length;) {
    const cp = line.codePointAt(i);
    const n = octets(cp);
    if (size + n > limit) {
      out.push(line.slice(start, i));
      start = i;
      size = 0;
      limit = 74; // the leading space takes one octet of every continuation line
    }
    size += n;
    i += cp > 0xffff ? 2 : 1; // a surrogate pair is one code point: never cut between its halves
  }
  out.push(line.slice(start));
  return out.join("\r\n ");
}

function durationMinutes(m) {
  return `${m < 0 ? "" : "-"}PT${Math.abs(m)}M`;
}

/** "20270301T190000": a local date and time as RFC 5545 writes them beside a TZID. */
function localStamp(date, time) {
  return `${date.replace(/-/g, "")}T${time.replace(":", "")}00`;
}

/** DTSTART and DTEND of a single event (or a moved occurrence): UTC for a timed one, DATEs for an all-day one. */
function timeLines(ev) {
  if (ev.time) {
    const start = zonedToUtc(ev.date, ev.time, ev.tz);
    const minutes = ev.durationMinutes > 0 ? ev.durationMinutes : 60;
    return [`DTSTART:${utcStamp(start)}`, `DTEND:${utcStamp(start + minutes * 60000)}`];
  }
  const [y, mo, d] = ev.date.split("-").map(Number);
  const day = utc(y, mo - 1, d);
  return [`DTSTART;VALUE=DATE:${dateValue(day)}`, `DTEND;VALUE=DATE:${dateValue(day + DAY)}`];
}

/** The RRULE value of a repeat rule (bymonthday and byday already filled in by plan-events.js). */
function rruleValue(ev, zone) {
  const r = ev.repeat;
  const parts = [`FREQ=${r.freq.toUpperCase()}`];
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  if (r.freq === "weekly" && r.byday) parts.push(`BYDAY=${r.byday.join(",")}`);
  if (r.freq === "monthly" && r.bymonthday) {
    // The 29th to 31st fall on the month's last day when it is shorter: the last of 28..d that the month has. The
    // 31st is simply the last day, which every reader knows (ical.js ignores BYSETPOS here, its issue #960).
    if (r.bymonthday <= 28) parts.push(`BYMONTHDAY=${r.bymonthday}`);
    else if (r.bymonthday === 31) parts.push("BYMONTHDAY=-1");
    else {
      const days = [];
      for (let d = 28; d <= r.bymonthday; d += 1) days.push(d);
      parts.push(`BYMONTHDAY=${days.join(",")}`, "BYSETPOS=-1");
    }
  }
  if (r.count) parts.push(`COUNT=${r.count}`);
  else if (r.until) {
    // The rule's last occurrence itself, so the bound can never cut it or let one more through.
    const last = lastOccurrence({ date: ev.date, time: ev.time, tz: ev.tz, repeat: r }) || ev.date;
    parts.push(`UNTIL=${ev.time ? utcStamp(zonedToUtc(last, ev.time, zone)) : last.replace(/-/g, "")}`);
  }
  return parts.join(";");
}

/** DTSTART, DTEND, RRULE and EXDATEs of a repeating event, in its zone (`zone`) when it has a time. */
function ruleLines(ev, zone) {
  const lines = [];
  if (ev.time) {
    const minutes = ev.durationMinutes > 0 ? ev.durationMinutes : 60;
    // DTEND on the same wall clock: each occurrence lasts DTEND - DTSTART, whatever its day's offset.
    const [y, mo, d] = ev.date.split("-").map(Number);
    const [h, m] = ev.time.split(":").map(Number);
    const end = new Date(utc(y, mo - 1, d, h, m) + minutes * 60000).toISOString();
    lines.push(`DTSTART;TZID=${zone}:${localStamp(ev.date, ev.time)}`,
      `DTEND;TZID=${zone}:${localStamp(end.slice(0, 10), end.slice(11, 16))}`);
  } else {
    lines.push(...timeLines(ev));
  }
  lines.push(`RRULE:${rruleValue(ev, zone)}`);
  for (const date of ev.exdates || []) {
    lines.push(ev.time ? `EXDATE;TZID=${zone}:${localStamp(date, ev.time)}` :
      `EXDATE;VALUE=DATE:${date.replace(/-/g, "")}`);
  }
  return lines;
}

/** SUMMARY to the end of the VEVENT: the same for a series and its moved occurrences. */
function bodyLines(ev) {
  const lines = [`SUMMARY:${escapeText(ev.summary)}`];
  if (ev.description) lines.push(`DESCRIPTION:${escapeText(ev.description)}`);
  const cancelled = ev.status === "CANCELLED";
  lines.push(`STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`);
  // A negative lead time means "after the start": for all-day events that is the morning of the day. In a
  // repeating event the alarm belongs to every occurrence.
  if (!cancelled && Number.isFinite(ev.alarmMinutesBefore)) {
    lines.push(
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `TRIGGER:${durationMinutes(Math.trunc(ev.alarmMinutesBefore))}`,
      `DESCRIPTION:${escapeText(ev.summary)}`,
      "END:VALARM",
    );
  }
  lines.push("END:VEVENT");
  return lines;
}

function eventLines(ev, stamp) {
  const head = [
    "BEGIN:VEVENT",
    `UID:${escapeText(ev.uid)}`,
    `DTSTAMP:${stamp}`,
    `SEQUENCE:${Math.max(0, Math.trunc(ev.sequence) || 0)}`,
  ];
  if (!ev.repeat) return [...head, ...timeLines(ev), ...bodyLines(ev)];
  const zone = validZone(ev.tz);
  const lines = [...head, ...ruleLines(ev, zone), ...bodyLines(ev)];
  // A moved occurrence: named by where the rule put it (RECURRENCE-ID), shown where it went.
  for (const moved of ev.moved || []) {
    lines.push(...head, ev.time ? `RECURRENCE-ID;TZID=${zone}:${localStamp(moved.occurrence, ev.time)}` :
      `RECURRENCE-ID;VALUE=DATE:${moved.occurrence.replace(/-/g, "")}`,
    ...timeLines({ ...moved.to, durationMinutes: ev.durationMinutes }), ...bodyLines(ev));
  }
  return lines;
}

/** The VTIMEZONEs the repeating timed events need: per zone, over the years from their first to last date. */
function zoneLines(events) {
  const years = new Map();
  for (const ev of events) {
    if (!ev.repeat || !ev.time) continue;
    const zone = validZone(ev.tz);
    const last = lastOccurrence({ date: ev.date, time: ev.time, tz: ev.tz, repeat: ev.repeat }) || ev.date;
    const [a, b] = [Number(ev.date.slice(0, 4)), Number(last.slice(0, 4))];
    const known = years.get(zone);
    years.set(zone, known ? [Math.min(known[0], a), Math.max(known[1], b)] : [a, b]);
  }
  return [...years].sort(([x], [y]) => (x < y ? -1 : 1)).flatMap(([zone, [a, b]]) => vtimezoneLines(zone, a, b));
}

/** The whole VCALENDAR as a string with CRLF line ends (the final line ends with CRLF too). */
export function buildCalendar({ events, prodid = "-//Passo//Passo//EN", now = new Date() }) {
  const stamp = utcStamp(new Date(now).getTime());
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${prodid}`, "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  lines.push(...zoneLines(events));
  for (const ev of events) lines.push(...eventLines(ev, stamp));
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
