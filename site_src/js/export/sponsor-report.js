// The sponsor report (DESIGN.md "Contract"): only what the coachee agreed to share. Pure, so tests can prove it.
//
// A value goes in only when its visibility is "sponsor" and its topic is one the agreement's `data.shares`
// lists. Both `x-visibility` and `x-topic` hold for everything inside the field that declares them, until a
// field inside declares its own (a shared "when" shares its date and time; a coach-only part of a shared
// object stays out). A field with no declaration on itself or any field around it is coachee-only.
// Keys are pointers to plain values; a list of plain values (the steps) is one field.

import { formatDateTime, formatNumber, t, tp } from "../core/i18n.js";
import { isoNow } from "../files/plan-file.js";
import { escapePtr, own } from "../schema/json-pointer.js";
import { fieldAt, resolveSchema } from "../schema/schema-fields.js";
import { goalOf, measurableGroups } from "../measure/measure-core.js";

const forSponsor = (v) => v === "sponsor" || (Array.isArray(v) && v.includes("sponsor"));

const plain = (v) => v === null || typeof v !== "object";

/** [{pointer, value}] of one plan's data that may go to the sponsor under `shares`. */
export function sponsorFields(schema, data, shares) {
  const out = [];
  const walk = (outer, outerPtr, value, pointer, vis, topic) => {
    const r = resolveSchema(schema, outer, outerPtr);
    const { node, sptr } = r;
    if (!node || value === undefined) return;
    if (r.topic !== undefined) topic = r.topic;
    if (r.vis !== undefined) vis = r.vis;
    const shared = forSponsor(vis) && topic != null && shares.has(topic);
    if (plain(value) || (Array.isArray(value) && value.every(plain))) {
      if (shared && pointer) out.push({ pointer, value });
      return;
    }
    if (Array.isArray(value)) {
      if (node.items) value.forEach((v, i) => walk(node.items, `${sptr}/items`, v, `${pointer}/${i}`, vis, topic));
      return;
    }
    for (const key of Object.keys(node.properties || {})) {
      if (!own(value, key)) continue;
      const k = escapePtr(key);
      walk(node.properties[key], `${sptr}/properties/${k}`, value[key], `${pointer}/${k}`, vis, topic);
    }
  };
  walk(schema, "", data, "", undefined, null);
  return out;
}

/**
 * A plan's measurements the sponsor may see: those of a group whose metric the report already holds (sponsor
 * visibility, topic shared), as {group, at, value}: the coachee's notes on them stay home.
 */
export function sponsorMeasurements(schema, plan, fields) {
  const groups = new Set(measurableGroups(schema)
    .filter((g) => own(fields, `${g.pointer}/${escapePtr(g.measure.metric)}`)).map((g) => g.pointer));
  return (Array.isArray(plan.measurements) ? plan.measurements : [])
    .filter((m) => groups.has(m.group)).map((m) => ({ group: m.group, at: m.at, value: m.value }));
}

/** The topics the agreement shares: its data.shares, strings only. */
export function sharedTopics(agreement) {
  const s = agreement && agreement.data && agreement.data.shares;
  return new Set(Array.isArray(s) ? s.filter((x) => typeof x === "string") : []);
}

/** The passo-sponsor-report object for the plans the coachee picked. */
export function buildSponsorReport({ agreement, plans, schemas, now = new Date(), lang }) {
  const shares = sharedTopics(agreement);
  return {
    format: "passo-sponsor-report",
    format_version: 1,
    agreement: agreement.id,
    generated: isoNow(now),
    lang: lang || agreement.lang,
    plans: plans.map((plan) => {
      const schema = schemas[plan.schema];
      const fields = {};
      if (schema) {
        for (const f of sponsorFields(schema, plan.data, shares)) fields[f.pointer] = f.value;
      }
      const out = { schema: plan.schema, id: plan.id, fields };
      const measured = schema ? sponsorMeasurements(schema, plan, fields) : [];
      if (measured.length) out.measurements = measured;
      return out;
    }),
  };
}

/**
 * Rows for the preview and the printable page: [{schema, id, title, rows: [{pointer, label, value, text}]}]:
 * labels in the page language (schema titles through the catalogue), value as it leaves the device, text
 * as a person reads it (option labels for enum values, Yes/No).
 */
export function reportRows(report, schemas) {
  return report.plans.map((p) => {
    const schema = schemas[p.schema];
    return {
      schema: p.schema,
      id: p.id,
      title: schema && schema.title ? tp(`${p.schema}:/title`, schema.title) : p.schema,
      rows: [...Object.entries(p.fields).map(([pointer, value]) => {
        const at = schema ? fieldAt(p.schema, schema, pointer) : { label: pointer, node: null, sptr: "" };
        return { pointer, label: at.label, value, text: shown(p.schema, schema, at.node, at.sptr, value) };
      }), ...(p.measurements || []).map((m) => measurementRow(p, schema, m))],
    };
  });
}

/** A measurement as the preview shows it: "<metric as the coachee wrote it>, <date>" and the value. */
function measurementRow(p, schema, m) {
  const group = schema ? measurableGroups(schema).find((g) => g.pointer === m.group) : null;
  const metric = group ? goalOf({ data: fieldsData(p.fields, m.group, group) }, group).metric : "";
  const fallback = t("Measure");
  const label = t("{metric}, {date}", { metric: metric || fallback, date: formatDateTime(m.at) });
  return { pointer: m.group, label, value: m.value, text: formatNumber(m.value) };
}

/** The group's answers as the report holds them (its pointers), rebuilt as data for goalOf. */
function fieldsData(fields, pointer, group) {
  const inner = {};
  for (const key of Object.values(group.measure)) {
    const ptr = `${pointer}/${escapePtr(key)}`;
    if (own(fields, ptr)) inner[key] = fields[ptr];
  }
  const data = {};
  let at = data;
  const keys = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  keys.forEach((k, i) => { at = at[k] = i === keys.length - 1 ? inner : {}; });
  return keys.length ? data : inner;
}

function shown(schemaId, root, node, sptr, value) {
  if (Array.isArray(value)) {
    const items = node && node.items ? resolveSchema(root, node.items, `${sptr}/items`) : { node: null, sptr: "" };
    return value.map((v) => shown(schemaId, root, items.node, items.sptr, v)).join(", ");
  }
  if (typeof value === "boolean") return value ? t("Yes") : t("No");
  const i = node && Array.isArray(node.enum) && Array.isArray(node["x-labels"]) ? node.enum.indexOf(value) : -1;
  if (i >= 0) return tp(`${schemaId}:${sptr}/x-labels/${i}`, node["x-labels"][i]);
  return value == null ? "" : String(value);
}

