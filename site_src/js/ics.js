// RFC 5545 calendar writer: plain data in, one string out (no DOM, no storage), so Node tests drive it as is.
//
// Times: a timed event is written in UTC ("...Z") computed from the local date, time and IANA zone the
// coachee entered, so no VTIMEZONE is needed and every client shows the right instant after a DST change.
// Local times that do not exist or occur twice are resolved as RFC 5545 3.3.5 says for TZID times:
// in a spring-forward gap the offset before the gap applies (02:30 in Rome on the change day is 03:30 CEST);
// in a fall-back overlap the first occurrence wins (02:30 is 02:30 CEST, not CET).

const DAY = 86400000;
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

/** Offset of zone tz from UTC at instant ms, in ms (positive east of Greenwich). */
function offsetAt(tz, ms) {
  const p = {};
  for (const { type, value } of zoneFormat(tz).formatToParts(new Date(ms))) p[type] = +value;
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

function validZone(tz) {
  try {
    if (!tz) throw new RangeError("no zone");
    zoneFormat(tz);
    return tz;
  } catch {
    // No zone, or one this browser does not know (older ICU): the device's own zone is the best guess left.
    return new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }
}

/** UTC milliseconds of a local wall time ("YYYY-MM-DD", "HH:MM") in zone tz. */
export function zonedToUtc(date, time, tz) {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const zone = validZone(tz);
  const local = Date.UTC(y, mo - 1, d, h, mi);
  // Offsets a day either side bracket at most one transition; each is right iff it maps back to itself.
  const before = offsetAt(zone, local - DAY);
  const after = offsetAt(zone, local + DAY);
  const fits = [before, after].filter((o) => offsetAt(zone, local - o) === o).map((o) => local - o);
  if (fits.length) return Math.min(...fits); // overlap: the earlier instant is the first occurrence
  return local - before; // gap: the offset before the transition
}

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

const encoder = new TextEncoder();

/** Fold one content line at 75 octets, never inside a UTF-8 sequence; continuation lines start with a space. */
export function foldLine(line) {
  if (line.length <= 75 && encoder.encode(line).length <= 75) return line;
  const out = [];
  let cur = "";
  let size = 0;
  let limit = 75;
  for (const ch of line) { // code points, so a surrogate pair is never cut either
    const n = encoder.encode(ch).length;
    if (size + n > limit) {
      out.push(cur);
      cur = "";
      size = 0;
      limit = 74; // the leading space takes one octet of every continuation line
    }
    cur += ch;
    size += n;
  }
  out.push(cur);
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
    const day = Date.UTC(y, mo - 1, d);
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
