// files/: files that leave or enter the device: plan files and backups (this module), saving a file
// (save-file.js), and the small helpers every file action shares (file-actions.js).
//
// Plan files and backups (DESIGN.md "Contract"): writing them, and checking a whole import before any write.
// Pure: schemas, the validator and the migration step come in as arguments, so Node tests drive it as is.
// Imported text is data only: nothing here (or in its callers) ever puts it into HTML.

import { t } from "../core/i18n.js";
import { CHECKIN_KEYS, checkinShape } from "../store/checkin-shape.js";
import { getAt, planItems, planTitle } from "../schema/plan-items.js";
import { measurementProblems, measurementShape } from "../measure/measure-core.js";
import { isOccurrence, repeatProblems, repeats } from "../time/repeat.js";
import { problemText } from "../repeat/repeat-text.js";

/** 3: plans carry `measurements` (2: `checkins`); version 1 and 2 files are read as before. */
export const FORMAT_VERSION = 3;
/** A plan with more check-ins than this is refused on import: years of daily check-ins stay well below it. */
export const MAX_CHECKINS = 10000;
/** What a check-in says happened; `skipped` (an occurrence left out on purpose) is neither done nor not done. */
export const OUTCOMES = ["done", "partly", "not-done", "skipped", "dropped", "moved"];
const WHEN_KEYS = ["date", "time", "tz"];
const MAX_NOTE = 2000;
// Clocks of two devices differ a little: a check-in this far ahead of this device's clock is not "in the future".
const CLOCK_SKEW_MS = 10 * 60 * 1000;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
/** Larger files are refused before they are read: a real backup of a thousand plans is a few MB. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_MESSAGES = 20;
// Work is done in slices of this many ms between yields to the event loop, so input stays responsive.
const SLICE_MS = 30;
const clock = () => (globalThis.performance ? performance.now() : Date.now());
const PLAN_KEYS = ["format", "format_version", "schema", "schema_version", "id", "revision", "created", "updated",
  "lang", "data"];
// Keys that mean something to JavaScript objects: refused anywhere in a file, whatever the schema says.
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v) => Number.isInteger(v) && v >= 1;

/** RFC 3339 without milliseconds, as store.js writes them. */
export function isoNow(now = new Date()) {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The plan with exactly the contract's keys, in the contract's order (helpers' extra keys never leave). */
function envelope(plan) {
  const out = {};
  for (const k of PLAN_KEYS) out[k] = plan[k];
  out.format = "passo-plan";
  out.format_version = FORMAT_VERSION;
  return out;
}

/** The plan as written to a file: its envelope, its check-ins and its measurements (each oldest first). */
function withCheckins(plan, checkins) {
  const list = Array.isArray(checkins) ? checkins : Array.isArray(plan.checkins) ? plan.checkins : [];
  const measured = Array.isArray(plan.measurements) ? plan.measurements : [];
  return { ...envelope(plan), checkins: list.map(checkinShape), measurements: measured.map(measurementShape) };
}

/** One plan as the text of a plan file; checkins: the plan's (store.listCheckins), else plan.checkins. */
export function planToFile(plan, checkins = null) {
  return `${JSON.stringify(withCheckins(plan, checkins), null, 2)}
`;
}

/**
 * All plans as the text of a backup file; oldest first, so two backups of the same plans read alike.
 * checkins: Map(planId -> check-ins), as store.listAllCheckins gives it. `shared`: plans shared with this
 * device's coach, only when the coach chose to include them (member "shared"); `notes`: the coach's own notes on
 * coachees, likewise only when chosen (member "coach_notes").
 */
export function backupFile(plans, now = new Date(), checkins = new Map(), shared = null, notes = null) {
  const sorted = [...plans].sort((a, b) =>
    a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const backup = { format: "passo-backup", format_version: FORMAT_VERSION, exported: isoNow(now),
    plans: sorted.map((p) => withCheckins(p, checkins.get(p.id) || null)) };
  const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (shared && shared.length) backup.shared = [...shared].sort(byId);
  if (notes && notes.length) backup.coach_notes = [...notes].sort(byId);
  return `${JSON.stringify(backup, null, 1)}\n`;
}

/** A file name that sorts by date and says what it is; only safe characters on every file system. */
export function fileName(kind, plan, now = new Date(), ext = "json") {
  const day = isoNow(now).slice(0, 10);
  if (kind === "backup") return `passo-backup-${day}.${ext}`;
  const schema = String(plan.schema).replace(/[^A-Za-z0-9-]/g, "") || "plan";
  return `passo-${schema}-${String(plan.id).slice(0, 8)}-${day}.${ext}`;
}

/** The size check the UI makes on a File before reading it, so a 20 MB file is never read at all. */
export function sizeProblem(bytes) {
  return bytes > MAX_IMPORT_BYTES
    ? t("This file is too large to import ({size} MB; the limit is {max} MB).", {
      size: (bytes / 1048576).toFixed(1), max: MAX_IMPORT_BYTES / 1048576 })
    : null;
}

/**
 * Pointers of forbidden keys and of nesting past MAX_DEPTH. Iterative, so deep files cannot overflow the
 * stack, and sliced like the rest of the check, so a big backup never holds up input for long.
 */
export async function badKeys(root) {
  const found = [];
  const stack = [[root, "", 0]];
  let since = clock();
  for (let step = 1; stack.length && found.length < MAX_MESSAGES; step += 1) {
    const [value, ptr, depth] = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_DEPTH) {
      found.push({ ptr, key: null });
      continue;
    }
    for (const key of Object.keys(value)) {
      const p = `${ptr}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (FORBIDDEN.has(key)) found.push({ ptr: p, key });
      else if (value[key] !== null && typeof value[key] === "object") stack.push([value[key], p, depth + 1]);
    }
    if (step % 512 === 0 && clock() - since > SLICE_MS) {
      await breathe();
      since = clock();
    }
  }
  return found;
}

function where(n, total) {
  return total ? t("plan {n} of {total}", { n, total }) : "";
}

function say(place, message) {
  return place ? `${place}: ${message}` : message.charAt(0).toUpperCase() + message.slice(1);
}

/** Let input events in between chunks of work (scheduler.yield where it exists: no 4 ms clamp). */
export function breathe() {
  const s = globalThis.scheduler;
  return s && typeof s.yield === "function" ? s.yield() : new Promise((r) => setTimeout(r, 0));
}


function field(place, pointer) {
  const f = t("field {pointer}", { pointer: pointer || "/" });
  return place ? `${place}, ${f}` : f.charAt(0).toUpperCase() + f.slice(1);
}

/** Envelope problems of one plan (messages), before its data is looked at. */
function envelopeProblems(p, place, schemas) {
  if (!isObject(p)) return [say(place, t("this is not a plan."))];
  const out = [];
  if (p.format !== "passo-plan") out.push(say(place, t("this is not a plan.")));
  for (const k of Object.keys(p)) {
    // Check-ins came with format version 2: in a version 1 plan they are as unknown as any other key.
    const known = PLAN_KEYS.includes(k) || (k === "checkins" && p.format_version >= 2)
      || (k === "measurements" && p.format_version >= 3);
    if (!known) out.push(say(place, t("unknown entry “{key}”.", { key: k })));
  }
  if (p.format_version !== undefined && !isCount(p.format_version)) {
    out.push(say(place, t("the file format version is not a whole number.")));
  } else if (p.format_version > FORMAT_VERSION) {
    out.push(say(place, t("it was made by a newer version of Passo. Reload Passo to update it, then try again.")));
  }
  const schema = typeof p.schema === "string" ? schemas[p.schema] : undefined;
  if (!schema) {
    out.push(say(place, t("this site has no form called “{schema}”.", { schema: String(p.schema ?? "") })));
  } else if (!isCount(p.schema_version)) {
    out.push(say(place, t("the form version is missing or not a whole number.")));
  } else if (p.schema_version > (schema["x-version"] || 1)) {
    out.push(say(place, t("it was made with a newer version of the form “{schema}” (version {version}; " +
      "this site has version {known}). Reload Passo to update it, then try again.",
    { schema: p.schema, version: p.schema_version, known: schema["x-version"] || 1 })));
  }
  if (typeof p.id !== "string" || !ID.test(p.id)) out.push(say(place, t("the plan id is missing or not valid.")));
  if (!isCount(p.revision)) out.push(say(place, t("the revision is missing or not a whole number.")));
  for (const k of ["created", "updated"]) {
    if (typeof p[k] !== "string" || !RFC3339.test(p[k])) {
      out.push(say(place, t("“{key}” is not a date and time.", { key: k })));
    }
  }
  if (typeof p.lang !== "string" || !LANG.test(p.lang)) {
    out.push(say(place, t("the language is missing or not valid.")));
  }
  if (!isObject(p.data)) out.push(say(place, t("the plan has no data.")));
  return out;
}

function realDate(s) {
  if (typeof s !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** A check-in's from/to: null, or {date (a real day), time? ("HH:MM"), tz? (an IANA name)}. */
function whenProblem(w) {
  if (w === null || w === undefined) return null;
  if (!isObject(w) || Object.keys(w).some((k) => !WHEN_KEYS.includes(k))) return "shape";
  if (!realDate(w.date)) return "date";
  if (w.time !== undefined && w.time !== null && !TIME.test(w.time)) return "shape";
  if (w.tz !== undefined && w.tz !== null && (typeof w.tz !== "string" || w.tz.length > 64)) return "shape";
  return null;
}

/**
 * Problems of a plan's check-ins (messages naming the plan and the check-in), given the plan as it will be
 * stored: each names an item the plan has, a known outcome, a commitment of 1-10 or none, real dates, a time not
 * in the future.
 */
function checkinProblems(list, plan, schema, now) {
  const title = planTitle(plan, schema);
  const who = t("Plan “{title}”", { title: title ? title.slice(0, 80) : plan.id });
  const at = (n, message) => {
    const checkin = t("check-in {n}", { n });
    return say(`${who}, ${checkin}`, message);
  };
  if (!Array.isArray(list)) return [say(who, t("the check-ins are not a list."))];
  if (list.length > MAX_CHECKINS) {
    return [say(who, t("it has {count} check-ins; a plan can have at most {max}.", {
      count: list.length, max: MAX_CHECKINS }))];
  }
  const ids = new Set(planItems(plan, schema).map((i) => i.id));
  const out = [];
  list.forEach((c, i) => {
    const n = i + 1;
    if (out.length >= MAX_MESSAGES) return;
    if (!isObject(c)) {
      out.push(at(n, t("this is not a check-in.")));
      return;
    }
    for (const k of Object.keys(c)) {
      if (!CHECKIN_KEYS.includes(k)) out.push(at(n, t("unknown entry “{key}”.", { key: k })));
    }
    if (typeof c.item !== "string" || !ids.has(c.item)) {
      out.push(at(n, t("it names an item the plan does not have (“{item}”).", { item: String(c.item ?? "") })));
    }
    if (typeof c.at !== "string" || !RFC3339.test(c.at) || !Number.isFinite(Date.parse(c.at))) {
      out.push(at(n, t("“{key}” is not a date and time.", { key: "at" })));
    } else if (Date.parse(c.at) > now + CLOCK_SKEW_MS) {
      out.push(at(n, t("it is dated in the future ({date}).", { date: c.at })));
    }
    if (!OUTCOMES.includes(c.outcome)) {
      out.push(at(n, t("the outcome “{outcome}” is unknown (known: {known}).", {
        outcome: String(c.outcome ?? ""), known: OUTCOMES.join(", ") })));
    }
    if (c.commitment !== undefined && c.commitment !== null
      && !(Number.isInteger(c.commitment) && c.commitment >= 1 && c.commitment <= 10)) {
      out.push(at(n, t("the commitment is {value}; it must be a whole number from 1 to 10.", {
        value: JSON.stringify(c.commitment) })));
    }
    if (c.note !== undefined && (typeof c.note !== "string" || [...c.note].length > MAX_NOTE)) {
      out.push(at(n, t("the note is not text of at most {max} characters.", { max: MAX_NOTE })));
    }
    if (c.plan_b !== undefined && typeof c.plan_b !== "boolean") {
      out.push(at(n, t("“{key}” must be true or false.", { key: "plan_b" })));
    }
    for (const key of ["from", "to"]) {
      const problem = whenProblem(c[key]);
      if (problem === "date") {
        out.push(at(n, key === "to"
          ? t("it moves the item to a date that does not exist ({date}).", { date: String(c[key].date) })
          : t("it moves the item from a date that does not exist ({date}).", { date: String(c[key].date) })));
      } else if (problem) {
        out.push(at(n, t("“{key}” is not a date with an optional time and time zone.", { key })));
      }
    }
    if (c.outcome === "moved" && !c.to) out.push(at(n, t("it is a move without the date moved to.")));
  });
  return out;
}

/** "Plan “Run more”, action “Run”": where a repeat's problem is, in words. */
function itemWhere(plan, schema, item) {
  const title = planTitle(plan, schema);
  const who = t("Plan “{title}”", { title: title ? title.slice(0, 80) : plan.id });
  const what = t("action “{item}”", { item: String(item.text || item.id).slice(0, 80) });
  return `${who}, ${what}`;
}

/** Problems of the plan's repeat rules (time/repeat.js repeatProblems), each naming the plan and the action. */
function repeatRuleProblems(plan, schema) {
  const out = [];
  for (const item of planItems(plan, schema)) {
    const when = getAt(plan.data, item.whenPointer);
    const seen = new Set();
    for (const p of repeatProblems(when)) {
      const text = problemText(p.code);
      if (!seen.has(text)) out.push(say(itemWhere(plan, schema, item), text));
      seen.add(text);
    }
  }
  return out;
}

/**
 * Problems of check-ins naming an occurrence: only a repeating item's check-in may, and only a date its rule
 * produces; `skipped` is an outcome of occurrences alone.
 */
function occurrenceProblems(list, plan, schema) {
  const items = new Map(planItems(plan, schema).map((i) => [i.id, i]));
  const out = [];
  list.forEach((c, i) => {
    const item = items.get(c.item);
    if (!item || out.length >= MAX_MESSAGES) return;
    const when = getAt(plan.data, item.whenPointer);
    const checkin = t("check-in {n}", { n: i + 1 });
    const where = `${itemWhere(plan, schema, item)}, ${checkin}`;
    if (c.occurrence === undefined) {
      if (c.outcome === "skipped") out.push(say(where, t("only one day of a repeating action can be skipped.")));
      return;
    }
    if (!repeats(when)) {
      out.push(say(where, t("it names a day ({date}), but the action does not repeat.", { date: String(c.occurrence) })));
    } else if (typeof c.occurrence !== "string" || !isOccurrence(when, c.occurrence)) {
      out.push(say(where, t("it names a day ({date}) on which the action does not repeat.", {
        date: String(c.occurrence) })));
    }
  });
  return out;
}

/** Cap a long list of messages, so the coachee reads the first ones and a count of the rest. */
function capped(messages) {
  if (messages.length <= MAX_MESSAGES) return messages;
  const rest = messages.length - MAX_MESSAGES + 1;
  return [...messages.slice(0, MAX_MESSAGES - 1), t("… and {count} more problems.", { count: rest })];
}

/**
 * Check a whole plan or backup file. Resolves to {kind: "plan"|"backup"|null, plans, errors}: errors are
 * translated messages naming what and where; when there is any, plans is empty, so a caller that writes
 * `plans` can never write part of a bad file.
 * options: schemas {id: schema document with x-version}, validate(schema, data) -> [{pointer, message}],
 * migrate(plan) -> Promise<plan at the schema's version> (throws when it cannot).
 */
export async function parseImport(text, { schemas = {}, validate, migrate, now = Date.now() } = {}) {
  const fail = (errors, kind = null) => ({ kind, plans: [], errors: capped(errors) });
  if (typeof text !== "string") return fail([t("This file could not be read.")]);
  // Characters never outnumber UTF-8 bytes, so this refuses every file the byte limit would.
  if (text.length > MAX_IMPORT_BYTES) return fail([sizeProblem(text.length)]);
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return fail([t("This file is not a plan or backup from Passo: it is not JSON.")]);
  }
  await breathe(); // JSON.parse was one task already: let input in before the walk
  const bad = await badKeys(doc);
  if (bad.length) {
    return fail(bad.map(({ ptr, key }) => (key
      ? t("This file cannot be imported: “{key}” at {pointer} is not allowed.", { key, pointer: ptr })
      : t("This file cannot be imported: it is nested too deeply at {pointer}.", { pointer: ptr }))));
  }
  if (!isObject(doc)) return fail([t("This file is JSON, but not a plan or backup from Passo.")]);
  if (doc.format === "passo-sponsor-report") {
    return fail([t("This is a sponsor report: it holds only what you share with a sponsor, " +
      "so it cannot be imported as a plan.")]);
  }
  let kind;
  let items;
  if (doc.format === "passo-backup") {
    kind = "backup";
    if (!isCount(doc.format_version)) return fail([t("This backup has no valid format version.")], kind);
    if (doc.format_version > FORMAT_VERSION) {
      return fail([t("This backup was made by a newer version of Passo. Reload Passo to update it, " +
        "then try again.")], kind);
    }
    if (!Array.isArray(doc.plans)) return fail([t("This backup has no list of plans.")], kind);
    items = doc.plans;
  } else if (doc.format === "passo-plan") {
    kind = "plan";
    items = [doc];
  } else {
    return fail([t("This file is JSON, but not a plan or backup from Passo.")]);
  }

  const total = kind === "backup" ? items.length : 0;
  const errors = [];
  const plans = [];
  const seen = new Map();
  let since = clock();
  for (let i = 0; i < items.length; i += 1) {
    const place = where(i + 1, total);
    const p = items[i];
    const problems = envelopeProblems(p, place, schemas);
    if (isObject(p) && typeof p.id === "string") {
      if (seen.has(p.id)) {
        problems.push(say(place, t("it has the same id as plan {other}.", { other: seen.get(p.id) })));
      } else {
        seen.set(p.id, i + 1);
      }
    }
    if (problems.length) {
      errors.push(...problems);
      continue;
    }
    const schema = schemas[p.schema];
    let plan = envelope(p);
    if (plan.schema_version < (schema["x-version"] || 1)) {
      try {
        plan = envelope(await migrate(plan));
      } catch (e) {
        errors.push(say(place, t("it could not be brought up to the current form version ({detail}).",
          { detail: String((e && e.message) || e) })));
        continue;
      }
    }
    const invalid = validate(schema, plan.data);
    for (const { pointer, message } of invalid) {
      errors.push(`${field(place, pointer)}: ${message}`);
    }
    const rules = invalid.length ? [] : repeatRuleProblems(plan, schema);
    errors.push(...rules);
    if (p.checkins !== undefined && !invalid.length && !rules.length) {
      let found = checkinProblems(p.checkins, plan, schema, now);
      if (!found.length) found = occurrenceProblems(p.checkins, plan, schema);
      errors.push(...found);
      if (!found.length) plan.checkins = p.checkins.map(checkinShape);
    }
    if (p.measurements !== undefined && !invalid.length) {
      const title = planTitle(plan, schema);
      const who = t("Plan “{title}”", { title: title ? title.slice(0, 80) : plan.id });
      const found = measurementProblems(p.measurements, schema, who, now, MAX_MESSAGES);
      errors.push(...found);
      if (!found.length) plan.measurements = p.measurements.map(measurementShape);
    }
    plans.push(plan);
    // A big backup is checked in slices of ~30 ms, so typing and taps are never held up for long.
    if (clock() - since > SLICE_MS) {
      await breathe();
      since = clock();
    }
  }
  if (!items.length) errors.push(t("This backup holds no plans."));
  return errors.length ? fail(errors, kind) : { kind, plans, errors: [] };
}

/**
 * What importing `incoming` does, given the stored plan with its id (or null):
 * "add" (new id), "update" (the file's revision is higher), "same" (identical: nothing to do),
 * "ask" (same or lower revision with other content: the coachee chooses).
 */
export function planImportDecision(existing, incoming) {
  if (!existing) return "add";
  if (incoming.revision > existing.revision) return "update";
  if (planToFile(existing) === planToFile(incoming)) return "same";
  return "ask";
}
