// RFC 5545 calendar writer: plain data in, one string out (no DOM, no storage), so Node tests drive it as is.
//
// Times: a timed event is written in UTC ("...Z") computed from the local date, time and IANA zone the
// coachee entered, so no VTIMEZONE is needed and every client shows the right instant after a DST change.
// Local times that do not exist or occur twice are resolved as RFC 5545 3.3.5 says for TZID times:
// in a spring-forward gap the offset before the gap applies (02:30 in Rome on the change day is 03:30 CEST);
// in a fall-back overlap the first occurrence wins (02:30 is 02:30 CEST, not CET).

const DAY = 86400000;

/** Date.UTC without its quirk of reading years 0-99 as 1900-1999. */
function utc(y, mo, d, h = 0, mi = 0, sec = 0) {
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

/** Offset of zone tz from UTC at instant ms, in ms (positive east of Greenwich). */
function offsetAt(tz, ms) {
  // format() and a regex: several times faster than formatToParts(), which dominated big exports.
  const m = WALL.exec(zoneFormat(tz).format(new Date(ms)));
  const wall = utc(+m[3], +m[1] - 1, +m[2], +m[4], +m[5], +m[6]);
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
