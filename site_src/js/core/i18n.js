// core/: what every page needs and no feature owns: interface strings and locale formats (this module),
// the Trusted Types policy for the service worker, and once-per-frame scheduling. Imports nothing of the app.
//
// Interface strings and locale formatting for the browser code.
//
// Messages come from <root>i18n/<lang>.json, compiled from the same gettext catalogues as the templates.
// t() stays synchronous: page modules `await loadMessages()` once before rendering. Until then (or if the
// file is missing, e.g. offline before it was cached) every function falls back to the English msgid, so no
// string is ever blank. Babel extraction keywords: t, tp:1c,2, n:1,2.

let messages = Object.create(null);
let loading = null;
let override = null; // set while inLanguage() runs: exports speak the plan's language, not the page's
const otherLanguages = new Map();

/** The page language: `<html lang>`, the one every Intl call formats in. */
export function pageLang() {
  return override || document.documentElement.lang || "en";
}

/**
 * Run `fn` with t(), n() and the Intl formatters in another language: a plan keeps the language it was written
 * in, and its calendar text and reports use it. The catalogue is fetched once (precached, so offline too).
 */
export async function inLanguage(lang, fn) {
  if (!lang || lang === (document.documentElement.lang || "en")) return fn();
  if (!otherLanguages.has(lang)) {
    const url = new URL(`i18n/${encodeURIComponent(lang)}.json`, rootURL());
    const table = await fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    otherLanguages.set(lang, Object.assign(Object.create(null), (table && table.messages) || {}));
  }
  const saved = messages;
  messages = otherLanguages.get(lang);
  override = lang;
  try {
    return fn();
  } finally {
    messages = saved;
    override = null;
  }
}

function rootURL() {
  return new URL(document.documentElement.dataset.root || "./", document.baseURI);
}

/** Fetch the page language's messages once; resolves (never rejects) when done or failed. */
export function loadMessages() {
  if (!loading) {
    const url = new URL(`i18n/${encodeURIComponent(pageLang())}.json`, rootURL());
    loading = fetch(url)
      .then((r) => (r.ok ? r.json() : null))
      .then((json) => {
        if (json && json.messages && typeof json.messages === "object") {
          messages = Object.assign(Object.create(null), json.messages);
        }
      })
      // A missing catalogue is not an error the coachee can act on: English msgids stand in.
      .catch(() => {});
  }
  return loading;
}

/** Replace {name} placeholders; unknown names stay visible rather than vanish. */
function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

function lookup(key) {
  const m = messages[key];
  return typeof m === "string" && m !== "" ? m : null;
}

/** Translate msgid; optional vars fill {name} placeholders. */
export function t(msgid, vars) {
  return fill(lookup(msgid) ?? msgid, vars);
}

/** Translate msgid in a context (gettext msgctxt), e.g. tp("verb", "Open"). */
export function tp(context, msgid, vars) {
  return fill(lookup(`${context}\u0004${msgid}`) ?? msgid, vars);
}

// CLDR category order; a catalogue's plural array lists the language's own categories in this order
// (for English, Italian, Dutch, Swedish: ["one", "other"], the same order as gettext's msgstr[0], msgstr[1]).
const CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"];
const pluralCache = new Map();

function pluralRules() {
  const lang = pageLang();
  let entry = pluralCache.get(lang);
  if (!entry) {
    let rules;
    try {
      rules = new Intl.PluralRules(lang);
    } catch {
      rules = new Intl.PluralRules("en");
    }
    const cats = rules.resolvedOptions().pluralCategories;
    entry = { rules, order: CLDR_ORDER.filter((c) => cats.includes(c)) };
    pluralCache.set(lang, entry);
  }
  return entry;
}

/**
 * Plural form for count, chosen by Intl.PluralRules (never by code from a catalogue).
 * {n} in the result becomes the count formatted for the page language; other vars fill {name}.
 */
export function n(singular, plural, count, vars) {
  const { rules, order } = pluralRules();
  const category = rules.select(count);
  const forms = messages[singular];
  let text;
  if (Array.isArray(forms) && forms.length && forms.every((f) => typeof f === "string" && f)) {
    const i = order.indexOf(category);
    text = forms[Math.min(i < 0 ? forms.length - 1 : i, forms.length - 1)];
  } else {
    text = category === "one" ? singular : plural;
  }
  return fill(text, { n: formatNumber(count), ...vars });
}

const formatters = new Map();
const byOptions = new WeakMap(); // the same options object again (the defaults): skip building a key

function formatter(kind, options) {
  const lang = pageLang();
  const seen = byOptions.get(options);
  if (seen && seen.lang === lang) return seen.f;
  const key = `${lang}|${kind}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    const Ctor = kind === "number" ? Intl.NumberFormat : Intl.DateTimeFormat;
    try {
      f = new Ctor(lang, options);
    } catch {
      f = new Ctor("en", options);
    }
    formatters.set(key, f);
  }
  byOptions.set(options, { lang, f });
  return f;
}

/**
 * A calendar date "YYYY-MM-DD" (or the date part of an RFC 3339 string) in the page language.
 * Parsed as a local date: new Date("2025-03-01") would be UTC midnight, the day before west of Greenwich.
 */
const DATE = { dateStyle: "medium" };
const DATETIME = { dateStyle: "medium", timeStyle: "short" };
const NUMBER = {};

export function formatDate(isoDate, options = DATE) {
  if (!isoDate) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(isoDate));
  const d = m ? new Date(+m[1], +m[2] - 1, +m[3]) : new Date(isoDate);
  if (Number.isNaN(d.getTime())) return String(isoDate);
  return formatter("date", options).format(d);
}

/** An RFC 3339 timestamp as a local date and time in the page language. */
export function formatDateTime(iso, options = DATETIME) {
  if (!iso) return "";
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return formatter("date", options).format(d);
}

/** A number in the page language; options as for Intl.NumberFormat. */
export function formatNumber(x, options = NUMBER) {
  return formatter("number", options).format(x);
}

/** A byte count in the largest unit that keeps it >= 1 (kB, MB, GB), e.g. for storage status. */
export function formatBytes(bytes) {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let i = 0;
  let v = Number(bytes) || 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return formatNumber(v, { style: "unit", unit: units[i], unitDisplay: "short", maximumFractionDigits: i ? 1 : 0 });
}
