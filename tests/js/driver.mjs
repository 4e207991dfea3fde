// Test driver: one Node process per pytest session runs the browser modules (pure ones) and ical.js.
// Protocol: one JSON request per stdin line {"id", "cmd", "args"}; one JSON reply per stdout line
// {"id", "ok": true, "result"} or {"id", "ok": false, "error"}. Requests are answered in order.
import { createInterface } from "node:readline";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import ICAL from "ical.js";

// The page language of modules that count and format (core/i18n.js reads <html lang>): English, as in a page.
globalThis.document ??= { documentElement: { lang: "en" } };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const mod = (rel) => import(pathToFileURL(path.resolve(ROOT, rel)).href);

/** Everything ical.js sees in a calendar, as plain JSON for the Python side to compare. */
function icalRead(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const time = (t) => (t ? (t.isDate ? t.toString() : t.toJSDate().toISOString()) : null);
  return {
    props: Object.fromEntries(cal.getAllProperties().map((p) => [p.name, p.getFirstValue()?.toString()])),
    events: cal.getAllSubcomponents("vevent").map((ev) => ({
      uid: ev.getFirstPropertyValue("uid"),
      dtstamp: time(ev.getFirstPropertyValue("dtstamp")),
      summary: ev.getFirstPropertyValue("summary"),
      description: ev.getFirstPropertyValue("description"),
      start: time(ev.getFirstPropertyValue("dtstart")),
      end: time(ev.getFirstPropertyValue("dtend")),
      startIsDate: !!ev.getFirstPropertyValue("dtstart")?.isDate,
      sequence: ev.getFirstPropertyValue("sequence"),
      status: ev.getFirstPropertyValue("status"),
      alarms: ev.getAllSubcomponents("valarm").map((a) => ({
        action: a.getFirstPropertyValue("action"),
        trigger: a.getFirstPropertyValue("trigger")?.toSeconds(),
        description: a.getFirstPropertyValue("description"),
      })),
    })),
  };
}

/**
 * The occurrences ical.js expands from a calendar between two instants (ISO), per UID, oldest first: RRULE, EXDATE
 * and RECURRENCE-ID as ical.js applies them, each start as an ISO instant (a DATE for an all-day one). The zones
 * are the file's own VTIMEZONEs, registered as a calendar app does (ical.js knows no zone database itself).
 */
function icalExpand(text, from, to) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  const byUid = new Map();
  for (const ev of cal.getAllSubcomponents("vevent")) {
    const uid = ev.getFirstPropertyValue("uid");
    if (!byUid.has(uid)) byUid.set(uid, []);
    byUid.get(uid).push(ev);
  }
  const start = ICAL.Time.fromJSDate(new Date(from), true);
  const end = new Date(to).getTime();
  const time = (t) => (t.isDate ? t.toString() : t.toJSDate().toISOString());
  const out = {};
  for (const [uid, comps] of byUid) {
    const master = comps.find((c) => !c.hasProperty("recurrence-id"));
    const event = new ICAL.Event(master);
    for (const c of comps) if (c !== master) event.relateException(c);
    const found = [];
    if (!event.isRecurring()) {
      found.push({ start: time(event.startDate), end: time(event.endDate), moved: false });
    } else {
      const it = event.iterator();
      for (let next = it.next(); next; next = it.next()) {
        const details = event.getOccurrenceDetails(next);
        if (details.startDate.toJSDate().getTime() > end && next.toJSDate().getTime() > end) break;
        if (next.compare(start) < 0 && details.startDate.compare(start) < 0) continue;
        found.push({ start: time(details.startDate), end: time(details.endDate),
          moved: details.item !== event, recurrenceId: time(details.recurrenceId) });
      }
    }
    out[uid] = found;
  }
  return out;
}

const commands = {
  icalExpand({ text, from, to }) {
    return icalExpand(text, from, to);
  },
  async buildCalendar(args) {
    return (await mod("site_src/js/export/ics.js")).buildCalendar(args);
  },
  async zonedToUtc({ date, time, tz }) {
    return new Date((await mod("site_src/js/export/ics.js")).zonedToUtc(date, time, tz)).toISOString();
  },
  async zonedBatch({ cases }) {
    const { zonedToUtc } = await mod("site_src/js/export/ics.js");
    return cases.map(([date, time, tz]) => new Date(zonedToUtc(date, time, tz)).toISOString());
  },
  async escapeFold({ text }) {
    const ics = await mod("site_src/js/export/ics.js");
    return ics.foldLine(`DESCRIPTION:${ics.escapeText(text)}`);
  },
  icalRead({ text }) {
    return icalRead(text);
  },
  async call({ module, fn, args }) {
    return (await mod(module))[fn](...args);
  },
  /** call, with a stand-in page of language `lang` for the Intl formatters (dates and numbers in words). */
  async callInPage({ module, fn, args, lang = "en" }) {
    const page = !("document" in globalThis);
    if (page) globalThis.document = { documentElement: { lang } };
    try {
      return await (await mod(module))[fn](...args);
    } finally {
      if (page) delete globalThis.document;
    }
  },
  /**
   * parseImport as export-ui.js calls it: the site's validate.js, and a migration that brings data up to the
   * schema's x-version (renaming "old_goal" to "goal"; data holding "boom" makes it throw).
   */
  async parseImport({ text, schemas }) {
    const { parseImport } = await mod("site_src/js/files/plan-file.js");
    const { validate } = await mod(process.env.PASSO_TEST_VALIDATE || "site_src/js/schema/validate.js");
    const migrate = async (plan) => {
      if ("boom" in plan.data) throw new Error("migration 1 failed");
      const { old_goal: goal, ...rest } = plan.data;
      const data = goal === undefined ? rest : { goal, ...rest };
      return { ...plan, schema_version: schemas[plan.schema]["x-version"], data };
    };
    const result = await parseImport(text, { schemas, validate, migrate });
    return { ...result, texts: result.plans.map((p) => JSON.stringify(p)) };
  },
  /**
   * protected-file.js open(), counting the key derivations it started (a refusal must come before any):
   * {text, derivations} or {kind, message, derivations} for a ProtectedFileError.
   */
  async openProtected({ text, passphrase }) {
    const { open } = await mod("site_src/js/protect/protected-file.js");
    const subtle = globalThis.crypto.subtle;
    const real = subtle.deriveKey;
    let derivations = 0;
    subtle.deriveKey = (...a) => {
      derivations += 1;
      return real.apply(subtle, a);
    };
    try {
      return { text: await open(text, passphrase), derivations };
    } catch (e) {
      if (e.name !== "ProtectedFileError") throw e;
      return { kind: e.kind, message: e.message, derivations };
    } finally {
      delete subtle.deriveKey; // the prototype's method again
    }
  },
  /** validate.js on each value under one schema: the keywords it found at fault, or {crash} when it threw. */
  async validateEach({ schema, values }) {
    const { validate } = await mod("site_src/js/schema/validate.js");
    // Its messages' plural rules read the page language; the stand-in page is gone again afterwards.
    const page = !("document" in globalThis);
    if (page) globalThis.document = { documentElement: { lang: "en" } };
    try {
      return values.map((value) => {
        try {
          return { keywords: validate(schema, value).map((e) => e.keyword) };
        } catch (e) {
          return { crash: String(e) };
        }
      });
    } finally {
      if (page) delete globalThis.document;
    }
  },
  /** checkShare as share-import.js calls it (the site's validator; plain labels: the pointer). */
  async checkShare({ doc, schemas }) {
    const { checkShare } = await mod("site_src/js/share/share-file.js");
    const { validate } = await mod("site_src/js/schema/validate.js");
    return checkShare(doc, { schemas, validate, title: (p, s) => s.title || p.schema, label: (id, s, ptr) => ptr });
  },
  async readJSON({ file }) {
    return JSON.parse(await readFile(path.join(ROOT, file), "utf8"));
  },
};

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
let queue = Promise.resolve();
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  queue = queue.then(async () => {
    const { id, cmd, args } = JSON.parse(line);
    try {
      if (!commands[cmd]) throw new Error(`unknown command ${cmd}`);
      out({ id, ok: true, result: (await commands[cmd](args ?? {})) ?? null });
    } catch (e) {
      out({ id, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
  });
  await queue;
}
