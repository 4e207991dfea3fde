// A share for the coach (DESIGN.md "Contract", passo-share): making one, checking one before anything is stored,
// and what changed between two shares of a plan. Pure: schemas, check-ins and the validator come in as
// arguments, so Node tests drive it as is and compare it with the Python reading (passo/forms/visibility.py).
//
// Visibility nests: a value takes the nearest x-visibility on the way down (a $ref's own before its
// definition's), nothing declared means the coachee alone; the coach sees "coach" and "sponsor". A list item's
// hidden `id` is structure, not an answer: it travels with whatever of its item is shared, so check-ins and
// a later share can name the item.

import { checkinsSince } from "./checkins-since.js";
import { formatNumber, n, t } from "../core/i18n.js";
import { badKeys, isoNow, OUTCOMES as OUTCOME_LIST } from "../files/plan-file.js";
import { refTarget } from "../schema/json-pointer.js";
import { measurementProblem, measurementShape, visibleMeasurements } from "../measure/measure-core.js";
import { CHECKIN_KEYS as CHECKIN_KEY_LIST } from "../store/checkin-shape.js";

export const SHARE_FORMAT_VERSION = 2;
// "skipped" and "occurrence" belong to repeating actions (DESIGN.md "Recurring actions"); a share may carry them.
const OUTCOMES = new Set(OUTCOME_LIST);
const CHECKIN_KEYS = new Set(CHECKIN_KEY_LIST);
const SHARE_KEYS = new Set(["format", "format_version", "shared", "coachee", "from", "lang", "plans"]);
const PLAN_KEYS = new Set(["schema", "schema_version", "id", "revision", "updated", "data", "checkins", "measurements"]);
// A coach's device holds what fits a real coachee; a file past these is a mistake or an attack, refused whole.
export const MAX_PLANS = 500;
export const MAX_CHECKINS = 100000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const MAX_FROM = 200;
const COACH_SEES = new Set(["coach", "sponsor"]);
const MISSING = Symbol("missing");

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const escapePtr = (s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1");

/** The node a (possibly $ref) schema stands for, and the visibility it declares itself (outermost wins). */
function declared(root, node) {
  let vis = node && node["x-visibility"];
  for (let guard = 0; node && typeof node.$ref === "string" && guard < 64; guard += 1) {
    node = refTarget(root, node.$ref).node;
    vis = vis || (node && node["x-visibility"]);
  }
  return { node: node || {}, vis };
}

const widgetOf = (node) => node["x-widget"];
const isItemId = (key, node) => key === "id" && widgetOf(node) === "hidden";
const plain = (node) => node.type !== "object" && node.type !== "array";

/** The plan data with every answer the coach may not see removed; the shape and item ids kept. */
export function coachView(schema, data) {
  const out = view(schema, schema, data, "coachee", false);
  return out === MISSING ? {} : out;
}

function view(root, refNode, value, inherited, item) {
  const { node, vis: ownVis } = declared(root, refNode);
  const vis = ownVis || inherited;
  if (node.type === "object") {
    if (!isObject(value)) return MISSING;
    const props = node.properties || {};
    const content = {};
    let answers = false;
    for (const key of Object.keys(props)) {
      if (!own(value, key)) continue;
      if (isItemId(key, declared(root, props[key]).node)) {
        content[key] = value[key];
        continue;
      }
      const kept = view(root, props[key], value[key], vis, false);
      if (kept !== MISSING) {
        content[key] = kept;
        answers = true;
      }
    }
    if (answers) return content;
    if (!item) return MISSING;
    return own(content, "id") ? { id: content.id } : {};
  }
  if (node.type === "array") {
    if (!Array.isArray(value)) return MISSING;
    const items = declared(root, node.items || {});
    if (plain(items.node)) return COACH_SEES.has(items.vis || vis) ? [...value] : MISSING;
    const kept = value.map((v) => view(root, node.items, v, vis, true)).map((k) => (k === MISSING ? {} : k));
    return kept.some((k) => Object.keys(k).some((key) => key !== "id")) ? kept : MISSING;
  }
  if (value !== null && typeof value === "object") return MISSING;
  return COACH_SEES.has(vis) ? value : MISSING;
}

/** Pointers of the values in `data` the coach may not see, or that the schema does not know. */
export function hiddenFromCoach(schema, data) {
  const out = [];
  const walk = (refNode, value, inherited, ptr) => {
    const { node, vis: ownVis } = declared(schema, refNode);
    const vis = ownVis || inherited;
    if (node.type === "object" && isObject(value)) {
      const props = node.properties || {};
      for (const key of Object.keys(value)) {
        const p = `${ptr}/${escapePtr(key)}`;
        if (!own(props, key)) out.push(p);
        else if (!isItemId(key, declared(schema, props[key]).node)) walk(props[key], value[key], vis, p);
      }
    } else if (node.type === "array" && Array.isArray(value)) {
      const items = declared(schema, node.items || {});
      if (plain(items.node)) {
        if (!COACH_SEES.has(items.vis || vis)) out.push(ptr);
        return;
      }
      value.forEach((v, i) => walk(node.items, v, vis, `${ptr}/${i}`));
    } else if (!COACH_SEES.has(vis)) {
      out.push(ptr);
    }
  };
  walk(schema, data, "coachee", "");
  return out;
}

/** Every item id in the data (the ids check-ins may name). */
function itemIds(data) {
  const ids = new Set();
  const stack = [data];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isObject(v)) {
      if (typeof v.id === "string") ids.add(v.id);
      stack.push(...Object.values(v));
    }
  }
  return ids;
}

/** A check-in as it leaves the device: the contract's keys, the note only when the coachee chose so. */
function shareCheckin(c, includeNotes) {
  const out = {};
  for (const k of ["item", "at", "occurrence", "outcome", "note", "commitment", "from", "to", "plan_b"]) {
    if (k === "note" && !includeNotes) continue;
    if (c[k] !== undefined) out[k] = c[k];
  }
  return out;
}

/**
 * The passo-share object. plans: stored plans; schemas: {id: schema}; checkins: Map or object plan id ->
 * check-ins (oldest first); from: the coachee's name (may be empty); includeNotes: the "Include my notes" box.
 * A check-in of an item the share does not hold (nothing of it is the coach's to see) stays home.
 */
export function buildShare({ plans, schemas, checkins = {}, from = "", includeNotes = false, now = new Date(), lang,
  coachee }) {
  const checkinsOf = (id) => (checkins instanceof Map ? checkins.get(id) : checkins[id]) || [];
  return {
    format: "passo-share",
    format_version: SHARE_FORMAT_VERSION,
    shared: isoNow(now),
    coachee,
    from: String(from || "").trim().slice(0, MAX_FROM),
    lang: lang || "en",
    plans: plans.map((plan) => {
      const data = schemas[plan.schema] ? coachView(schemas[plan.schema], plan.data) : {};
      const ids = itemIds(data);
      return {
        schema: plan.schema, schema_version: plan.schema_version, id: plan.id, revision: plan.revision,
        updated: plan.updated, data,
        checkins: checkinsOf(plan.id).filter((c) => ids.has(c.item)).map((c) => shareCheckin(c, includeNotes)),
        // As visible as the metric they measure; a note, like a check-in's, only when the coachee chose so.
        measurements: schemas[plan.schema]
          ? visibleMeasurements(plan.measurements, schemas[plan.schema], COACH_SEES).map((m) => {
            const out = measurementShape(m);
            if (!includeNotes) delete out.note;
            return out;
          })
          : [],
      };
    }),
  };
}

export function shareText(share) {
  return `${JSON.stringify(share, null, 2)}\n`;
}

export function shareFileName(now = new Date()) {
  return `passo-share-${isoNow(now).slice(0, 10)}.json`;
}

function checkinProblems(c, i, ids) {
  const where = t("check-in {n}", { n: i + 1 });
  if (!isObject(c)) return [t("{where} is not a check-in.", { where })];
  const out = [];
  for (const k of Object.keys(c)) {
    if (!CHECKIN_KEYS.has(k)) out.push(t("{where} has an unknown entry “{key}”.", { where, key: k }));
  }
  if (typeof c.item !== "string" || !ids.has(c.item)) {
    out.push(t("{where} names an item that is not in the plan.", { where }));
  }
  if (typeof c.at !== "string" || !RFC3339.test(c.at)) out.push(t("{where} has no valid date and time.", { where }));
  if (!OUTCOMES.has(c.outcome)) out.push(t("{where} has no valid outcome.", { where }));
  if (c.note !== undefined && typeof c.note !== "string") out.push(t("{where} has a note that is not text.", { where }));
  if (c.commitment != null && !(Number.isInteger(c.commitment) && c.commitment >= 1 && c.commitment <= 10)) {
    out.push(t("{where} has a commitment outside 1-10.", { where }));
  }
  for (const k of ["from", "to"]) {
    if (c[k] != null && !isObject(c[k])) out.push(t("{where} has a date that is not valid.", { where }));
  }
  if (c.plan_b !== undefined && typeof c.plan_b !== "boolean") out.push(t("{where} has a plan B that is not yes or no.", { where }));
  if (c.occurrence !== undefined && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(String(c.occurrence))) {
    out.push(t("{where} has a date that is not valid.", { where }));
  }
  return out;
}

/**
 * Check a whole passo-share document (already parsed). Resolves to {share, plans, errors, stripped}: errors are
 * translated messages naming the plan and the field; when there is any, plans is empty, so nothing of a bad
 * share can be stored. An answer the coach may not see (a hand-edited or hostile file) is dropped from its plan,
 * and `stripped` says which, naming the plan and the field. options: schemas {id: schema with x-version}, validate(schema, data) -> [{pointer,
 * message, keyword}], migrate(plan) -> plan at the current version, title(plan, schema) and label(schemaId,
 * schema, pointer) for the messages.
 */
export async function checkShare(doc, { schemas, validate, migrate = async (p) => p, title, label }) {
  const fail = (errors) => ({ share: null, plans: [], errors, stripped: [] });
  const bad = await badKeys(doc);
  if (bad.length) {
    return fail([t("This share cannot be imported: “{key}” at {pointer} is not allowed.",
      { key: bad[0].key || "…", pointer: bad[0].ptr })]);
  }
  if (!isObject(doc) || doc.format !== "passo-share") return fail([t("This is not a share from Passo.")]);
  if (!Number.isInteger(doc.format_version) || doc.format_version < 1) {
    return fail([t("This share has no valid format version.")]);
  }
  if (doc.format_version > SHARE_FORMAT_VERSION) {
    return fail([t("This share was made by a newer version of Passo. Reload Passo to update it, then try again.")]);
  }
  const errors = [];
  for (const k of Object.keys(doc)) {
    if (!SHARE_KEYS.has(k)) errors.push(t("This share has an unknown entry “{key}”.", { key: k }));
  }
  if (typeof doc.shared !== "string" || !RFC3339.test(doc.shared)) errors.push(t("This share has no valid date."));
  // Version 2 names the coachee by a random key (UUID) their device made; version 1 has none (grouped by name).
  if (doc.format_version >= 2 ? typeof doc.coachee !== "string" || !UUID.test(doc.coachee) : doc.coachee !== undefined) {
    errors.push(t("This share's coachee key is not valid (it must be a UUID)."));
  }
  if (typeof doc.from !== "string" || [...doc.from].length > MAX_FROM) {
    errors.push(t("This share's sender name is not valid."));
  }
  if (typeof doc.lang !== "string" || !LANG.test(doc.lang)) errors.push(t("This share's language is not valid."));
  if (!Array.isArray(doc.plans) || !doc.plans.length) errors.push(t("This share holds no plans."));
  else if (doc.plans.length > MAX_PLANS) {
    errors.push(t("This share holds {count} plans; at most {max} are accepted.",
      { count: formatNumber(doc.plans.length), max: formatNumber(MAX_PLANS) }));
  } else {
    const count = doc.plans.reduce((sum, p) => sum + (isObject(p) && Array.isArray(p.checkins) ? p.checkins.length : 0), 0);
    if (count > MAX_CHECKINS) {
      errors.push(t("This share holds {count} check-ins; at most {max} are accepted.",
        { count: formatNumber(count), max: formatNumber(MAX_CHECKINS) }));
    }
  }
  if (errors.length) return fail(errors);
  const stripped = [];
  const plans = [];
  const seen = new Set();
  for (let i = 0; i < doc.plans.length; i += 1) {
    const p = doc.plans[i];
    const place = t("plan {n} of {total}", { n: i + 1, total: doc.plans.length });
    if (!isObject(p)) {
      const problem = t("this is not a plan.");
      errors.push(`${place}: ${problem}`);
      continue;
    }
    const schema = typeof p.schema === "string" && own(schemas, p.schema) ? schemas[p.schema] : null;
    const name = schema && isObject(p.data) ? title(p, schema) : place;
    const say = (m) => errors.push(`${name}: ${m}`);
    const before = errors.length;
    for (const k of Object.keys(p)) if (!PLAN_KEYS.has(k)) say(t("unknown entry “{key}”.", { key: k }));
    if (!schema) say(t("this site has no form called “{schema}”.", { schema: String(p.schema ?? "") }));
    else if (!Number.isInteger(p.schema_version) || p.schema_version < 1) say(t("the form version is missing or not a whole number."));
    else if (p.schema_version > (schema["x-version"] || 1)) say(t("it was made with a newer version of its form. Reload Passo to update it, then try again."));
    if (typeof p.id !== "string" || !ID.test(p.id)) say(t("the plan id is missing or not valid."));
    else if (seen.has(p.id)) say(t("the share holds this plan twice."));
    else seen.add(p.id);
    if (!Number.isInteger(p.revision) || p.revision < 1) say(t("the revision is missing or not a whole number."));
    if (typeof p.updated !== "string" || !RFC3339.test(p.updated)) say(t("“{key}” is not a date and time.", { key: "updated" }));
    if (!isObject(p.data)) say(t("the plan has no data."));
    if (p.checkins !== undefined && !Array.isArray(p.checkins)) say(t("its check-ins are not a list."));
    if (p.measurements !== undefined && (!Array.isArray(p.measurements) || !p.measurements.every(isObject))) {
      say(t("its measurements are not a list."));
    }
    if (errors.length > before) continue;
    // What the coach may not see never reaches the store: a hand-edited file must not slip a private answer in.
    // It is dropped (the rest of the plan is the coachee's to share) and the coach is told which field went.
    const hidden = hiddenFromCoach(schema, p.data);
    let data = p.data;
    if (hidden.length) {
      data = coachView(schema, p.data);
      for (const ptr of hidden.slice(0, 5)) {
        const field = label(p.schema, schema, ptr);
        const message = t("“{field}” is not shared with a coach, so it was left out.", { field });
        stripped.push(`${name}: ${message}`);
      }
      if (hidden.length > 5) {
        const message = n("{n} more field was left out.", "{n} more fields were left out.", hidden.length - 5);
        stripped.push(`${name}: ${message}`);
      }
    }
    let plan = { ...p, data, checkins: p.checkins || [] };
    if (plan.schema_version < (schema["x-version"] || 1)) {
      try {
        plan = { ...plan, ...(await migrate(plan)) };
      } catch (e) {
        say(t("it could not be brought up to the current form version ({detail}).", { detail: String((e && e.message) || e) }));
        continue;
      }
    }
    // A share leaves out what the coach may not see, so a missing required answer is expected; nothing else is.
    for (const { pointer, message, keyword } of validate(schema, plan.data)) {
      if (keyword !== "required") say(`${label(p.schema, schema, pointer) || "/"}: ${message}`);
    }
    const ids = itemIds(plan.data);
    plan.checkins.forEach((c, i) => { for (const m of checkinProblems(c, i, ids)) say(m); });
    plan.measurements = plan.measurements || [];
    const shown = new Set(visibleMeasurements(plan.measurements, schema, COACH_SEES));
    plan.measurements.slice(0, 10001).forEach((m, i) => {
      const where = t("measurement {n}", { n: i + 1 });
      const problem = measurementProblem(m, schema) || (shown.has(m) ? "" : t("it is not shared with a coach."));
      if (problem) say(`${where}: ${problem}`);
    });
    if (plan.measurements.length > 10000) say(t("the share holds too many measurements."));
    if (errors.length === before) plans.push(plan);
  }
  return errors.length ? fail(errors) : { share: doc, plans, errors: [], stripped };
}

/**
 * What receiving `incoming` does given the stored shared plan with its id (or null): "add", "update" (higher
 * revision), "same" (equal revision) or "older" (lower revision). Equal and older change nothing.
 */
export function shareDecision(existing, incoming) {
  if (!existing) return "add";
  if (incoming.revision > existing.revision) return "update";
  return incoming.revision === existing.revision ? "same" : "older";
}

/**
 * The answers of a plan's data as {key, pointer, value}: plain values and lists of plain values are one answer
 * each; item ids are left out (not answers). `key` names list items by their id where they have one, so an
 * item moved or inserted above is not "changed"; `pointer` is the position, for labels.
 */
export function answers(data) {
  const out = [];
  const walk = (value, key, ptr) => {
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== "object")) {
        out.push({ key, pointer: ptr, value });
        return;
      }
      value.forEach((v, i) => walk(v, `${key}/${isObject(v) && typeof v.id === "string" ? `#${v.id}` : i}`, `${ptr}/${i}`));
    } else if (isObject(value)) {
      for (const k of Object.keys(value)) {
        if (k === "id") continue;
        walk(value[k], `${key}/${escapePtr(k)}`, `${ptr}/${escapePtr(k)}`);
      }
    } else if (ptr) {
      out.push({ key, pointer: ptr, value });
    }
  };
  walk(data, "", "");
  return out;
}


/**
 * What changed from one share of a plan to the next: {added, removed, changed} answers ({pointer, before,
 * after}; pointers of the newer share, of the older for removed ones) and the check-ins new since then.
 */
export function shareDiff(previous, next) {
  const before = new Map(answers(previous.data).map((a) => [a.key, a]));
  const after = new Map(answers(next.data).map((a) => [a.key, a]));
  const added = [];
  const removed = [];
  const changed = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    if (!b) added.push({ pointer: a.pointer, after: a.value });
    else if (JSON.stringify(b.value) !== JSON.stringify(a.value)) changed.push({ pointer: a.pointer, before: b.value, after: a.value });
  }
  for (const [key, b] of before) if (!after.has(key)) removed.push({ pointer: b.pointer, before: b.value });
  return { added, removed, changed, checkins: checkinsSince(previous, next) };
}

export { checkinsSince };
