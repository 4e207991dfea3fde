// measure/: a goal's measure tracked to its target (DESIGN.md "Measurements"), the pure part: which groups a
// schema marks measurable and checking measurements (this module), the path to the target (measure-path.js).
// No DOM, no storage: plan files, shares, sponsor reports and Node tests use it as is. What a coachee sees
// (the chart, "Where is it now?") is in results/.

import { t } from "../core/i18n.js";
import { escapePtr, getAt } from "../schema/json-pointer.js";
import { resolveSchema } from "../schema/schema-fields.js";

/** A plan with more measurements than this is refused: a value a day for 27 years stays below it. */
export const MAX_MEASUREMENTS = 10000;
export const MEASUREMENT_KEYS = ["group", "at", "value", "note"];
const MAX_NOTE = 2000;
// Clocks of two devices differ a little: a measurement this far ahead of this device's clock is not "in the future".
export const CLOCK_SKEW_MS = 10 * 60 * 1000;
const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The node a (possibly $ref) schema stands for and the visibility it declares (the outermost wins). */
function deref(root, node) {
  const r = resolveSchema(root, node, "");
  return { node: r.node || {}, vis: r.vis };
}

/**
 * The groups a schema marks measurable (x-measure), reached through properties (a list item is not a group: its
 * pointer would change when the list is reordered): [{pointer, sptr, measure, node, metricVisibility}].
 * metricVisibility is the metric field's x-visibility as the share and the sponsor report read it (nearest wins).
 */
const groupsOf = new WeakMap(); // schema -> its groups: a page reads the same few schemas for many plans

export function measurableGroups(schema) {
  if (!isObject(schema)) return [];
  if (groupsOf.has(schema)) return groupsOf.get(schema);
  const out = [];
  groupsOf.set(schema, out);
  const walk = (refNode, pointer, sptr, inherited, depth) => {
    const { node, vis: own } = deref(schema, refNode);
    const vis = own || inherited;
    if (node.type !== "object" || depth > 32) return;
    const props = isObject(node.properties) ? node.properties : {};
    if (isObject(node["x-measure"])) {
      const measure = node["x-measure"];
      const metric = deref(schema, props[measure.metric] || {});
      out.push({ pointer, sptr, measure, node, metricVisibility: metric.vis || vis || "coachee" });
    }
    for (const key of Object.keys(props)) {
      const k = escapePtr(key);
      walk(props[key], `${pointer}/${k}`, `${sptr}/properties/${k}`, vis, depth + 1);
    }
  };
  walk(schema, "", "", undefined, 0);
  return out;
}

/** The group of `pointer` when the schema marks it measurable, else null. */
export function groupAt(schema, pointer) {
  return measurableGroups(schema).find((g) => g.pointer === pointer) || null;
}

/** What the plan says of one group: {metric, baseline, target, deadline} (each undefined when not answered). */
export function goalOf(plan, group) {
  const data = getAt(plan && plan.data, group.pointer);
  const read = (key) => (isObject(data) ? data[group.measure[key]] : undefined);
  const number = (v) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const metric = read("metric");
  return {
    metric: typeof metric === "string" && metric.trim() ? metric.trim() : undefined,
    baseline: number(read("baseline")),
    target: number(read("target")),
    deadline: typeof read("deadline") === "string" ? read("deadline") : undefined,
  };
}

/** Groups of this plan a measurement can be recorded for: measurable and with the metric written. */
export function recordableGroups(plan, schema) {
  return measurableGroups(schema).filter((g) => goalOf(plan, g).metric);
}

/** A measurement with exactly the contract's keys (note always present, as the file holds it). */
export function measurementShape(m) {
  return { group: m.group, at: m.at, value: m.value, note: typeof m.note === "string" ? m.note : "" };
}

/** The plan's measurements of one group, oldest first (as stored). */
export function measurementsOf(plan, pointer) {
  const list = plan && Array.isArray(plan.measurements) ? plan.measurements : [];
  return list.filter((m) => m && m.group === pointer);
}

/**
 * Why one measurement (not yet stored) cannot be kept, as a message, or "" when it can. `now` in ms.
 * The same rules as an imported file's (measurementProblems), said to the coachee before saving.
 */
export function measurementProblem(m, schema, now = Date.now()) {
  if (!isObject(m)) return t("this is not a measurement.");
  for (const k of Object.keys(m)) {
    if (!MEASUREMENT_KEYS.includes(k)) return t("unknown entry “{key}”.", { key: k });
  }
  if (typeof m.group !== "string" || !groupAt(schema, m.group)) {
    return t("it names a part of the plan that is not measured (“{group}”).", { group: String(m.group ?? "") });
  }
  if (typeof m.at !== "string" || !RFC3339.test(m.at) || !Number.isFinite(Date.parse(m.at))) {
    return t("“{key}” is not a date and time.", { key: "at" });
  }
  if (Date.parse(m.at) > now + CLOCK_SKEW_MS) return t("it is dated in the future ({date}).", { date: m.at });
  if (typeof m.value !== "number" || !Number.isFinite(m.value)) {
    return t("the value {value} is not a number.", { value: JSON.stringify(m.value ?? null) });
  }
  if (m.note !== undefined && (typeof m.note !== "string" || [...m.note].length > MAX_NOTE)) {
    return t("the note is not text of at most {max} characters.", { max: MAX_NOTE });
  }
  return "";
}

/**
 * Problems of a plan's measurements, each a message naming the plan (`who`) and the entry; [] when all are
 * good. The list must be a list, of at most MAX_MEASUREMENTS, oldest first.
 */
export function measurementProblems(list, schema, who, now = Date.now(), max = 20) {
  const say = (place, message) => `${place}: ${message}`;
  if (!Array.isArray(list)) return [say(who, t("the measurements are not a list."))];
  if (list.length > MAX_MEASUREMENTS) {
    return [say(who, t("it has {count} measurements; a plan can have at most {max}.", {
      count: list.length, max: MAX_MEASUREMENTS }))];
  }
  const out = [];
  let before = -Infinity;
  for (let i = 0; i < list.length && out.length < max; i += 1) {
    const entry = t("measurement {n}", { n: i + 1 });
    const place = `${who}, ${entry}`;
    const problem = measurementProblem(list[i], schema, now);
    if (problem) {
      out.push(say(place, problem));
      continue;
    }
    const at = Date.parse(list[i].at);
    if (at < before) out.push(say(place, t("it is older than the measurement before it: the list goes oldest first.")));
    before = Math.max(before, at);
  }
  return out;
}

/** Measurements whose group's metric the given visibility levels may see (e.g. {"coach", "sponsor"}). */
export function visibleMeasurements(list, schema, levels) {
  const seen = new Set(measurableGroups(schema).filter((g) => levels.has(g.metricVisibility)).map((g) => g.pointer));
  return (Array.isArray(list) ? list : []).filter((m) => m && seen.has(m.group));
}
