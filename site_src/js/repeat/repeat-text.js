// repeat/: actions that repeat (DESIGN.md "Recurring actions"): a rule in words and its problems in words (this
// module), the form's repeat picker (repeat-picker.js, loaded on demand) and each occurrence's state from the
// check-ins (occurrences.js). The rule itself is expanded by time/repeat.js, and nowhere else.
//
// Every text is made from whole translated sentences and Intl (weekday names, lists, dates), so each language
// orders its words its own way.

import { formatDate, n, pageLang, t } from "../core/i18n.js";
import { WEEKDAYS } from "../time/repeat.js";

// Option objects made once: i18n.js caches a formatter per options object.
const LONG_DAY = { weekday: "long" };
const SHORT_DAY = { weekday: "short" };
const SHORT_DATE = { day: "numeric", month: "short" };
const DAY_MONTH = { day: "numeric", month: "long" };
const DAY_MONTH_YEAR = { day: "numeric", month: "long", year: "numeric" };
const NAMED = { weekday: "long", day: "numeric", month: "long" };
const lists = new Map();

// 2024-01-01 was a Monday: the weekday names follow from it in RFC 5545's order (MO ... SU).
const mondayPlus = (i) => `2024-01-0${i + 1}`;

/** The weekday names in the page language, Monday first: [{code: "MO", long: "Monday", short: "Mon"}]. */
export function weekdayNames() {
  return WEEKDAYS.map((code, i) => ({ code, long: formatDate(mondayPlus(i), LONG_DAY),
    short: formatDate(mondayPlus(i), SHORT_DAY) }));
}

/** A list in the page language: "Monday and Thursday", "Mon, Tue, Wed" (kind "unit"). */
export function listOf(words, kind = "conjunction") {
  const lang = pageLang();
  const key = `${lang}|${kind}`;
  if (!lists.has(key)) {
    let f;
    try {
      f = new Intl.ListFormat(lang, { type: kind, style: kind === "unit" ? "short" : "long" });
    } catch {
      f = { format: (w) => w.join(", ") };
    }
    lists.set(key, f);
  }
  return lists.get(key).format(words);
}

/** An occurrence's name: "Monday 15 March". */
export function occurrenceName(date) {
  return formatDate(date, NAMED);
}

/**
 * Occurrences' short names, for a row of missed ones: weekdays ("Mon") when they all fall within a week, else
 * days of the month ("Mar 15"), so a name never stands for two days.
 */
export function occurrenceShorts(dates) {
  const span = dates.length ? (Date.parse(dates[dates.length - 1]) - Date.parse(dates[0])) / 86400000 : 0;
  return dates.map((d) => formatDate(d, span < 7 ? SHORT_DAY : SHORT_DATE));
}

function ruleText(repeat, start) {
  const every = repeat.interval || 1;
  if (repeat.freq === "daily") return every === 1 ? t("Every day") : n("Every {n} day", "Every {n} days", every);
  if (repeat.freq === "weekly") {
    const names = weekdayNames();
    const codes = repeat.byday && repeat.byday.length ? repeat.byday
      : [WEEKDAYS[(new Date(`${start}T12:00:00Z`).getUTCDay() + 6) % 7]];
    const days = listOf(names.filter((d) => codes.includes(d.code)).map((d) => d.long));
    return every === 1 ? t("Every week on {days}", { days })
      : n("Every {n} week on {days}", "Every {n} weeks on {days}", every, { days });
  }
  const day = repeat.bymonthday || Number(String(start).slice(8, 10)) || 1;
  const text = every === 1 ? t("Every month on day {day}", { day })
    : n("Every {n} month on day {day}", "Every {n} months on day {day}", every, { day });
  return day > 28 ? t("{rule} (the last day in a shorter month)", { rule: text }) : text;
}

/**
 * A repeat rule in plain words: "Every week on Monday and Thursday, until 30 June". `when` is the item's
 * {date, time, tz, repeat}; "" when it does not repeat.
 */
export function repeatSummary(when) {
  const repeat = when && when.repeat;
  if (!repeat || typeof repeat !== "object") return "";
  const rule = ruleText(repeat, when.date);
  if (repeat.until) {
    const sameYear = String(repeat.until).slice(0, 4) === String(when.date || "").slice(0, 4);
    return t("{rule}, until {date}", { rule, date: formatDate(repeat.until, sameYear ? DAY_MONTH : DAY_MONTH_YEAR) });
  }
  if (repeat.count) return n("{rule}, {n} time", "{rule}, {n} times", repeat.count, { rule });
  return rule;
}

/** A problem code of time/repeat.js repeatProblems() in words, as the form and the importer say it. */
export function problemText(code) {
  const words = {
    freq: () => t("Choose how often it repeats: every day, every week or every month."),
    interval: () => t("Repeat every 1 to 99 days, weeks or months."),
    count: () => t("Choose from 1 to 1,000 times."),
    until: () => t("Enter a valid end date."),
    "until-before-start": () => t("The end date comes before the first date."),
    "until-and-count": () => t("Choose an end date or a number of times, not both."),
    byday: () => t("Choose at least one weekday, each once."),
    bymonthday: () => t("Choose a day of the month from 1 to 31."),
    keys: () => t("This repeat rule holds something Passo does not know."),
  };
  return (words[code] || words.keys)();
}
