// Shared data as a person reads it: field labels in the page language, option labels, dates. Used by the share
// preview (what will leave), the coach's read-only view (its check-ins) and the changes since the last share.
// Text only through textContent: a share is someone else's file.

import { formatDateTime, formatDate, formatNumber, t, tp } from "../core/i18n.js";
import { fieldAt, resolveSchema } from "../schema/schema-fields.js";
import { answers, shareDiff } from "./share-file.js";
import { el } from "../files/file-actions.js";

/** A field's label path ("Your actions › 1 › What will you do?"); a zone without a title is "Time zone". */
export function label(schemaId, schema, pointer) {
  if (!schema) return pointer;
  const at = fieldAt(schemaId, schema, pointer);
  return /(^|\/)tz$/.test(pointer) && /(^| › )tz$/.test(at.label) ? at.label.replace(/tz$/, t("Time zone")) : at.label;
}

/** A value as text: option labels for enum values, Yes/No, lists joined. */
export function text(schemaId, schema, pointer, value) {
  const node = schema ? fieldAt(schemaId, schema, pointer).node : null;
  const one = (v, n) => {
    if (typeof v === "boolean") return v ? t("Yes") : t("No");
    const i = n && Array.isArray(n.enum) && Array.isArray(n["x-labels"]) ? n.enum.indexOf(v) : -1;
    if (i >= 0) {
      const sptr = fieldAt(schemaId, schema, pointer).sptr;
      return tp(`${schemaId}:${sptr}/x-labels/${i}`, n["x-labels"][i]);
    }
    if (typeof v === "string" && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v)) return formatDate(v);
    return v == null ? "" : String(v);
  };
  if (Array.isArray(value)) {
    const items = node && node.items ? resolveSchema(schema, node.items, "").node : null;
    return value.map((v) => one(v, items)).join(", ");
  }
  return one(value, node);
}

/** The answers of a shared plan's data as a <dl>; a note when there is none. */
export function answerList(schemaId, schema, data) {
  const rows = answers(data);
  if (!rows.length) return el("p", { className: "report-none", textContent: t("Nothing from this plan is shared.") });
  const dl = el("dl", { className: "report-fields" });
  for (const r of rows) {
    dl.append(el("dt", { textContent: label(schemaId, schema, r.pointer) }),
      el("dd", { textContent: text(schemaId, schema, r.pointer, r.value) }));
  }
  return dl;
}

export function outcomeText(outcome) {
  return { done: tp("passo:status", "Done"), partly: t("Partly done"), "not-done": t("Not done"), dropped: t("Dropped"),
    moved: t("Moved"), skipped: t("Skipped") }[outcome] || String(outcome);
}

/** The name of the item a check-in is about: its "what" (or first text answer) in the shared data. */
function itemName(data, id) {
  const stack = [data];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object") {
      if (v.id === id) {
        const name = v.what ?? Object.values(v).find((x) => typeof x === "string" && x !== id);
        return typeof name === "string" ? name : "";
      }
      stack.push(...Object.values(v));
    }
  }
  return "";
}

/** Check-ins as a list: when, outcome, the item, the commitment, a move's new date and the note if shared. */
export function checkinList(checkins, data) {
  if (!checkins || !checkins.length) return el("p", { className: "report-none", textContent: t("No check-ins yet.") });
  const ul = el("ul", { className: "share-checkins" });
  for (const c of checkins) {
    const parts = [`${formatDateTime(c.at)}: ${outcomeText(c.outcome)}`];
    const name = itemName(data, c.item);
    if (name) parts.push(`“${name.slice(0, 120)}”`);
    if (c.to && c.to.date) parts.push(t("new date {date}", { date: formatDate(c.to.date) }));
    if (Number.isInteger(c.commitment)) parts.push(t("commitment {n}", { n: c.commitment }));
    const li = el("li", { textContent: parts.join(" · ") });
    if (typeof c.note === "string" && c.note) li.append(el("span", { className: "share-note", textContent: c.note }));
    ul.append(li);
  }
  return ul;
}

/** A share's measurements as the preview shows them: the date and the value, the note when it goes too. */
export function measurementList(measurements) {
  const ul = el("ul", { className: "share-checkins share-measurements" });
  for (const m of measurements || []) {
    const li = el("li", { textContent: `${formatDateTime(m.at)}: ${formatNumber(m.value)}` });
    if (typeof m.note === "string" && m.note) li.append(el("span", { className: "share-note", textContent: m.note }));
    ul.append(li);
  }
  return ul;
}

/**
 * What changed since the previous share of a plan (rec holds `previous`): changed, added and removed answers with
 * their labels, and the new check-ins (unless withCheckins is false: a page that lists them itself). id: the
 * heading's id; level: its heading level (sub-headings one below).
 */
export function changesSection(rec, schema, { id = "shared-diff-title", level = 2, withCheckins = true } = {}) {
  const d = shareDiff(rec.previous, rec);
  if (!withCheckins) d.checkins = [];
  const section = el("section", { className: "shared-diff" });
  section.setAttribute("aria-labelledby", id);
  section.append(el(`h${level}`, { id, textContent: t("What changed since the previous share") }),
    el("p", { textContent: t("Revision {old} (shared {oldDate}) → revision {new} (shared {newDate}).", {
      old: rec.previous.revision, oldDate: formatDateTime(rec.previous.shared),
      new: rec.revision, newDate: formatDateTime(rec.shared) }) }));
  const sub = `h${level + 1}`;
  const show = (v, ptr) => text(rec.schema, schema, ptr, v);
  const group = (title, rows, render) => {
    if (!rows.length) return;
    const dl = el("dl", { className: "report-fields" });
    for (const r of rows) dl.append(el("dt", { textContent: label(rec.schema, schema, r.pointer) }), render(r));
    section.append(el(sub, { textContent: title }), dl);
  };
  group(t("Changed"), d.changed, (r) => el("dd", {},
    el("del", { textContent: show(r.before, r.pointer) }), " → ", el("ins", { textContent: show(r.after, r.pointer) })));
  group(t("Added"), d.added, (r) => el("dd", {}, el("ins", { textContent: show(r.after, r.pointer) })));
  group(t("Removed"), d.removed, (r) => el("dd", {}, el("del", { textContent: show(r.before, r.pointer) })));
  if (d.checkins.length) section.append(el(sub, { textContent: t("New check-ins") }), checkinList(d.checkins, rec.data));
  if (!d.changed.length && !d.added.length && !d.removed.length && !d.checkins.length) {
    section.append(el("p", { textContent: t("Nothing changed since the previous share.") }));
  }
  return section;
}
