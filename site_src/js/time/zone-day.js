// Calendar days: the day it is in an IANA zone at an instant, and arithmetic on "YYYY-MM-DD".

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const formats = new Map();

/** The date ("YYYY-MM-DD") at instant ms in zone tz; the device's zone when tz is missing or unknown here. */
export function today(ms, tz) {
  let f = formats.get(tz || "");
  if (!f) {
    const options = { year: "numeric", month: "2-digit", day: "2-digit" };
    try {
      f = new Intl.DateTimeFormat("en-CA", { ...options, timeZone: tz || undefined });
    } catch {
      f = new Intl.DateTimeFormat("en-CA", options);
    }
    formats.set(tz || "", f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Whether date is a real calendar day ("2026-02-30" is not). */
export function isDate(date) {
  return DATE.test(date || "") && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
}

/** date plus days (negative: minus), as a date. */
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
