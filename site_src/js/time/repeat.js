// An item's repeat rule (DESIGN.md "Recurring actions"): RFC 5545's RRULE in JSON, expanded in the item's own zone
// from its local `date` (and `time`). Pure (no DOM, no storage): Node tests check it against python-dateutil.
//
// `repeat` is {freq: "daily" | "weekly" | "monthly", interval: 1-99, byday: ["MO", ...] (weekly),
// bymonthday: 1-31 (monthly; the month's last day when the month is shorter), until: "YYYY-MM-DD" | count: 1-1000}.
// An occurrence is named by its local date. The rule is expanded as python-dateutil does: the first occurrence is
// the first date on or after `date` that the rule produces (`date` itself when it fits), `count` counts from there
// and `until` is inclusive. Since each occurrence keeps the item's wall-clock time in its zone, a weekly 19:00 in
// Rome stays 19:00 in Rome across a daylight-saving change: only the local date is computed here.
//
// Expanding never walks the whole rule: the number of occurrences before a window is arithmetic (each day, week
// or month of the rule holds a known number of them), so a daily rule over ten years costs what the window costs.

import { DAY } from "./zoned-time.js";

export const FREQS = ["daily", "weekly", "monthly"];
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
export const LIMITS = { interval: [1, 99], count: [1, 1000], bymonthday: [1, 31] };

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Days since 1970-01-01 of an ISO date, or NaN when it is not a real calendar date. */
export function dayNumber(date) {
  const m = typeof date === "string" ? ISO_DATE.exec(date) : null;
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).getUTCDate() === Number(m[3]) ? ms / DAY : NaN;
}

const PAD = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, "0"));

/**
 * The ISO date of a day number, from the date's own fields: toISOString() was most of the agenda's time (it names
 * every day of a daily rule's look-back).
 */
export function dateOf(days) {
  const d = new Date(days * DAY);
  const y = d.getUTCFullYear();
  return y < 1000 || y > 9999 ? d.toISOString().slice(0, 10) : `${y}-${PAD[d.getUTCMonth() + 1]}-${PAD[d.getUTCDate()]}`;
}

/** 0 for Monday ... 6 for Sunday (RFC 5545's week starts on Monday, WKST=MO). */
export function weekdayOf(days) {
  return (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function inRange(value, [lo, hi]) {
  return Number.isInteger(value) && value >= lo && value <= hi;
}

/**
 * What is wrong with `when.repeat`, as [{path, code}] with path relative to `when` ("/repeat/interval") and a code
 * the form and the importer turn into words: interval, count, until, until-before-start, until-and-count, byday,
 * bymonthday, freq, keys. [] when the rule is fine or there is none.
 */
export function repeatProblems(when) {
  const repeat = when && when.repeat;
  if (repeat === undefined || repeat === null) return [];
  if (typeof repeat !== "object" || Array.isArray(repeat)) return [{ path: "/repeat", code: "keys" }];
  const problems = [];
  const add = (key, code = key) => problems.push({ path: `/repeat/${key}`, code });
  const known = new Set(["freq", "interval", "byday", "bymonthday", "until", "count"]);
  for (const key of Object.keys(repeat)) if (!known.has(key)) add(key, "keys");
  if (!FREQS.includes(repeat.freq)) add("freq");
  if (repeat.interval !== undefined && !inRange(repeat.interval, LIMITS.interval)) add("interval");
  if (repeat.count !== undefined && !inRange(repeat.count, LIMITS.count)) add("count");
  if (repeat.until !== undefined && repeat.count !== undefined) add("count", "until-and-count");
  if (repeat.until !== undefined) {
    const until = dayNumber(repeat.until);
    if (Number.isNaN(until)) add("until");
    else if (until < dayNumber(when.date)) add("until", "until-before-start");
  }
  if (repeat.byday !== undefined) {
    const ok = Array.isArray(repeat.byday) && repeat.byday.length > 0 && repeat.freq === "weekly" &&
      repeat.byday.every((d) => WEEKDAYS.includes(d)) && new Set(repeat.byday).size === repeat.byday.length;
    if (!ok) add("byday");
  }
  if (repeat.bymonthday !== undefined &&
      (repeat.freq !== "monthly" || !inRange(repeat.bymonthday, LIMITS.bymonthday))) add("bymonthday");
  // An until between `date` and the rule's first date (every Thursday from a Monday, until Tuesday) leaves a rule
  // with no occurrence at all: the same mistake as an until before `date`.
  if (!problems.length && repeat.until !== undefined && dayNumber(repeat.until) < firstDay(when)) {
    add("until", "until-before-start");
  }
  return problems;
}

/** True when `when` holds a repeat rule (valid or not: see repeatProblems). */
export function repeats(when) {
  return Boolean(when && when.repeat && typeof when.repeat === "object");
}

// A rule split into periods (days, weeks or months) numbered from the period holding the start date: period k
// holds the rule's candidate dates when k is a multiple of the interval. Each period kind answers three things:
// which period a day falls in, the candidate days of a period, and how many occurrences come before a period.
function periodsOf(when) {
  const repeat = when.repeat;
  const start = dayNumber(when.date);
  const interval = repeat.interval || 1;
  if (repeat.freq === "daily") {
    return {
      start, interval,
      periodOf: (day) => day - start,
      days: (k) => [start + k],
      before: (k) => Math.ceil(k / interval),
    };
  }
  if (repeat.freq === "weekly") {
    const weekdays = (repeat.byday || [WEEKDAYS[weekdayOf(start)]]).map((d) => WEEKDAYS.indexOf(d)).sort();
    const monday = start - weekdayOf(start);
    const skippedInFirst = weekdays.filter((w) => monday + w < start).length;
    return {
      start, interval,
      periodOf: (day) => Math.floor((day - monday) / 7),
      days: (k) => weekdays.map((w) => monday + 7 * k + w).filter((d) => d >= start),
      before: (k) => (k <= 0 ? 0 : Math.ceil(k / interval) * weekdays.length - skippedInFirst),
    };
  }
  const first = new Date(start * DAY);
  const y0 = first.getUTCFullYear();
  const m0 = first.getUTCMonth();
  const wanted = repeat.bymonthday || first.getUTCDate();
  const dayIn = (k) => {
    const y = y0 + Math.floor((m0 + k) / 12);
    const m = (((m0 + k) % 12) + 12) % 12;
    return Date.UTC(y, m, Math.min(wanted, daysInMonth(y, m))) / DAY;
  };
  const firstSkipped = dayIn(0) < start ? 1 : 0;
  return {
    start, interval,
    periodOf: (day) => {
      const d = new Date(day * DAY);
      return (d.getUTCFullYear() - y0) * 12 + d.getUTCMonth() - m0;
    },
    days: (k) => [dayIn(k)].filter((d) => d >= start),
    before: (k) => (k <= 0 ? 0 : Math.ceil(k / interval) - firstSkipped),
  };
}

// Periods of a rule looked at since the module loaded: tests read it to prove a window costs what it holds.
let periodsVisited = 0;

/** How many periods (days, weeks or months of a rule) occurrences() has looked at so far. */
export function workDone() {
  return periodsVisited;
}

/** Day number of a valid rule's first occurrence, its until and count aside: in period 0 or the next one taken. */
function firstDay(when) {
  const rule = periodsOf(when);
  const days = rule.days(0);
  return days.length ? days[0] : rule.days(rule.interval)[0];
}

/**
 * The occurrences (ISO local dates, oldest first) of `when`'s rule from `from` to `to` (ISO dates, inclusive). A
 * `when` without a repeat has its own date as its one occurrence. An invalid rule gives [].
 */
export function occurrences(when, from, to) {
  if (!when || Number.isNaN(dayNumber(when.date))) return [];
  const lo = dayNumber(from);
  const hi = dayNumber(to);
  if (!repeats(when)) return when.date >= from && when.date <= to ? [when.date] : [];
  if (repeatProblems(when).length || Number.isNaN(lo) || Number.isNaN(hi)) return [];
  const rule = periodsOf(when);
  const repeat = when.repeat;
  const until = repeat.until ? dayNumber(repeat.until) : Infinity;
  const last = Math.min(hi, until);
  const out = [];
  // The first period of the rule (a multiple of the interval) that can hold a day on or after the window's start.
  let k = Math.max(0, rule.periodOf(Math.max(lo, rule.start)));
  k = Math.ceil(k / rule.interval) * rule.interval;
  let counted = rule.before(k);
  for (; ; k += rule.interval) {
    periodsVisited += 1;
    const days = rule.days(k);
    if (days.length && days[0] > last) break;
    if (!days.length && rule.periodOf(last) < k) break;
    for (const day of days) {
      if (repeat.count !== undefined && counted >= repeat.count) return out;
      counted += 1;
      if (day >= lo && day <= last) out.push(dateOf(day));
    }
  }
  return out;
}

/** True when the rule of `when` produces the local date `date`. */
export function isOccurrence(when, date) {
  return occurrences(when, date, date).length === 1;
}

/** The first occurrence on or after `date` within `limitDays` days (default: a year and a bit), or null. */
export function nextOccurrence(when, date, limitDays = 400) {
  const from = dayNumber(date);
  if (Number.isNaN(from)) return null;
  const found = occurrences(when, date, dateOf(from + limitDays));
  return found.length ? found[0] : null;
}

/** The rule's first occurrence (null when it produces none). */
export function firstOccurrence(when) {
  if (!repeats(when)) return nextOccurrence(when, when.date, 0);
  // It lies in the rule's first period or the next one the interval takes: every 30 months on the 10th, from a
  // 15 January, first falls 30 months later, so no fixed limit of days would do.
  return nextOccurrence(when, when.date, ((when.repeat.interval || 1) + 1) * 31 + 7);
}

/**
 * The rule's last occurrence, or null when it never ends. With `until` it is the last one on or before that date;
 * with `count` the count-th one.
 */
export function lastOccurrence(when) {
  if (!repeats(when)) return when ? when.date : null;
  const repeat = when.repeat;
  if (repeat.until === undefined && repeat.count === undefined) return null;
  // Each period of the rule that the interval picks holds at least one occurrence (the first may hold none), so
  // the last occurrence before `until` lies within one interval of months of it; a count walks count periods.
  const span = ((repeat.interval || 1) + 1) * 31;
  const start = dayNumber(when.date);
  const found = repeat.until !== undefined
    ? occurrences(when, dateOf(Math.max(start, dayNumber(repeat.until) - span)), repeat.until)
    : occurrences(when, when.date, dateOf(start + (repeat.count + 1) * span));
  return found.length ? found[found.length - 1] : null;
}

/** The `when` of one occurrence: the item's own time and zone on that local date, without the rule. */
export function occurrenceWhen(when, date) {
  const out = { date };
  if (when.time) out.time = when.time;
  out.tz = when.tz;
  return out;
}
