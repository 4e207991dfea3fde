// RFC 5545 calendar writer: plain data in, one string out (no DOM, no storage), so Node tests drive it as is.
//
// Times: a timed event is written in UTC ("...Z") computed from the local date, time and IANA zone the
// coachee entered, so no VTIMEZONE is needed and every client shows the right instant after a DST change.
// The wall-clock arithmetic is in zoned-time.js, which the agenda and my plans load without the writer.

import { DAY, utc, zonedToUtc } from "../time/zoned-time.js";

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

function eventLines(ev, stamp) {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${escapeText(ev.uid)}`,
    `DTSTAMP:${stamp}`,
    `SEQUENCE:${Math.max(0, Math.trunc(ev.sequence) || 0)}`,
  ];
  if (ev.time) {
    const start = zonedToUtc(ev.date, ev.time, ev.tz);
    const minutes = ev.durationMinutes > 0 ? ev.durationMinutes : 60;
    lines.push(`DTSTART:${utcStamp(start)}`, `DTEND:${utcStamp(start + minutes * 60000)}`);
  } else {
    const [y, mo, d] = ev.date.split("-").map(Number);
    const day = utc(y, mo - 1, d);
    lines.push(`DTSTART;VALUE=DATE:${dateValue(day)}`, `DTEND;VALUE=DATE:${dateValue(day + DAY)}`);
  }
  lines.push(`SUMMARY:${escapeText(ev.summary)}`);
  if (ev.description) lines.push(`DESCRIPTION:${escapeText(ev.description)}`);
  const cancelled = ev.status === "CANCELLED";
  lines.push(`STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`);
  // A negative lead time means "after the start": for all-day events that is the morning of the day.
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

/** The whole VCALENDAR as a string with CRLF line ends (the final line ends with CRLF too). */
export function buildCalendar({ events, prodid = "-//Passo//Passo//EN", now = new Date() }) {
  const stamp = utcStamp(new Date(now).getTime());
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${prodid}`, "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  for (const ev of events) lines.push(...eventLines(ev, stamp));
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
