// A coach imports a passo-share file (import-ui.js hands it here): checked whole, then its plans go to the
// "shared" store, apart from the device's own plans. A higher revision replaces the stored share and keeps the
// one before it, so the read-only view can say what changed; an equal or older one changes nothing.

import { n, t } from "../core/i18n.js";
import { migratePlan, migrationInfo } from "../store/migrate.js";
import { flagCoachees, getShared, listShared, putShared } from "../store/shared-store.js";
import { allSchemas, planTitle, say } from "../files/file-actions.js";
import { label } from "./share-rows.js";

/** The parsed document when `text` is a passo-share, else null (the caller goes on with plans and backups). */
export function asShare(text) {
  if (!text.includes("passo-share")) return null; // a backup is never parsed twice for nothing
  try {
    const doc = JSON.parse(text.replace(/^\uFEFF/, ""));
    return doc && typeof doc === "object" && doc.format === "passo-share" ? doc : null;
  } catch {
    return null;
  }
}

/** The key the coachees page groups by: the coachee key of a version 2 share, else the "From" name. */
export const coacheeOf = (rec) => (rec.coachee ? rec.coachee : `from:${rec.from || ""}`);

function record(doc, plan, previous, now, names = [doc.from]) {
  const out = {
    id: plan.id, schema: plan.schema, schema_version: plan.schema_version, revision: plan.revision,
    updated: plan.updated, data: plan.data, checkins: plan.checkins || [], measurements: plan.measurements || [],
    from: doc.from, shared: doc.shared, lang: doc.lang, received: now, names,
    previous: previous ? { revision: previous.revision, shared: previous.shared, from: previous.from,
      data: previous.data, checkins: previous.checkins || [] } : null,
  };
  if (doc.coachee) out.coachee = doc.coachee;
  if (Array.isArray(plan.measurements)) out.measurements = plan.measurements;
  return out;
}

/** Every name a coachee key has come with, oldest first, from the stored shares. */
function namesOf(stored, key) {
  const names = [];
  for (const r of stored) {
    if (coacheeOf(r) !== key) continue;
    for (const name of [...(Array.isArray(r.names) ? r.names : []), r.from]) {
      if (typeof name === "string" && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

/**
 * Check and store a share. showErrors(messages) reports a refused file; status gets the outcome; every message
 * about what was wrong or left out names the file (`file`). Resolves to the stored records (empty when nothing
 * changed).
 */
export async function importShare(doc, { status, showErrors, file = "" }) {
  const inFile = (m) => (file ? `“${file}”: ${m}` : m);
  const [{ index, schemas }, files, { validate }] = await Promise.all([
    allSchemas(), import("./share-file.js"), import("../schema/validate.js")]);
  const migrate = async (plan) => {
    const out = await migratePlan({ ...plan, format: "passo-plan", format_version: 1 }, index);
    const info = migrationInfo(out);
    if (info && info.status !== "migrated") throw new Error(info.error || info.status);
    return { data: out.data, schema_version: out.schema_version };
  };
  const result = await files.checkShare(doc, { schemas, validate, migrate, title: planTitle, label });
  if (result.errors.length) {
    say(status, "");
    showErrors(result.errors.map(inFile));
    return [];
  }
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const write = [];
  const notes = result.stripped.map(inFile);
  // A known coachee key with a new name: the same person (renamed, or a name typed differently), shown with both.
  const key = coacheeOf(doc);
  const known = doc.coachee ? namesOf(await listShared(), key) : [];
  const names = known.includes(doc.from) ? known : [...known, doc.from];
  if (known.length && !known.includes(doc.from)) {
    const message = t("This share comes from the coachee you know as “{known}”, now named “{name}”: shown as one coachee, with both names.",
      { known: known.join(", "), name: doc.from });
    notes.push(inFile(message));
  }
  let added = 0;
  for (const plan of result.plans) {
    const existing = await getShared(plan.id);
    const decision = files.shareDecision(existing, plan);
    const title = planTitle(plan, schemas[plan.schema]);
    if (decision === "add" || decision === "update") {
      write.push(record(doc, plan, existing, now, names));
      if (decision === "add") added += 1;
    } else if (decision === "same") {
      notes.push(t("“{title}”: you already have this share (revision {revision}); nothing changed.",
        { title, revision: existing.revision }));
    } else {
      notes.push(t("“{title}”: you already have a newer share (revision {have}; this file has {revision}); nothing changed.",
        { title, have: existing.revision, revision: plan.revision }));
    }
  }
  if (write.length) {
    await putShared(write);
    flagCoachees(true);
  }
  // Each count is a plural of its own ("1 new" and "2 new" differ in Italian and Swedish), made outside t():
  // Babel does not extract a call nested in another's arguments.
  const fresh = n("{n} new", "{n} new", added);
  const updated = n("{n} updated", "{n} updated", write.length - added);
  const summary = write.length
    ? t("Shared plans received: {added}, {updated}. They are under “Shared with me”.", { added: fresh, updated })
    : "";
  say(status, [summary, ...notes].filter(Boolean).join(" "));
  return write;
}

/**
 * The plans shared with this coach that a backup carries (its "shared" member, there when the coach ticked
 * "Include plans shared with me"), each checked as the share it came in. Resolves to {errors, save}: save()
 * stores those newer than what is here, so a restore never goes back in time.
 */
export async function sharedFromBackup(text) {
  const none = { errors: [], save: async () => 0 };
  if (!text.includes('"shared"') && !text.includes('"coach_notes"')) return none;
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return none;
  }
  if (!doc || doc.format !== "passo-backup") return none;
  const notes = await notesFromBackup(doc);
  if (!Array.isArray(doc.shared) || !doc.shared.length) return notes;
  const [{ index, schemas }, files, { validate }] = await Promise.all([
    allSchemas(), import("./share-file.js"), import("../schema/validate.js")]);
  const migrate = async (plan) => {
    const out = await migratePlan({ ...plan, format: "passo-plan", format_version: 1 }, index);
    return { data: out.data, schema_version: out.schema_version };
  };
  const errors = [];
  const records = [];
  for (const r of doc.shared) {
    const ok = r && typeof r === "object";
    const v2 = ok && r.coachee !== undefined;
    const share = { format: "passo-share", format_version: v2 ? 2 : 1, shared: ok ? r.shared : null,
      ...(v2 ? { coachee: r.coachee } : {}), from: ok ? r.from : null,
      lang: ok ? r.lang : null, plans: [ok ? Object.fromEntries(["schema", "schema_version", "id", "revision",
        "updated", "data", "checkins", "measurements"].filter((k) => k in r).map((k) => [k, r[k]])) : r] };
    const result = await files.checkShare(share, { schemas, validate, migrate, title: planTitle, label });
    const names = ok && Array.isArray(r.names) ? r.names.filter((x) => typeof x === "string").slice(0, 20) : [share.from];
    if (result.errors.length) errors.push(...result.errors);
    else records.push(record(share, result.plans[0], null, r.received || share.shared, names));
  }
  const save = async () => {
    const write = [];
    for (const rec of records) {
      const existing = await getShared(rec.id);
      if (files.shareDecision(existing, rec) === "add" || files.shareDecision(existing, rec) === "update") write.push(rec);
    }
    if (write.length) {
      await putShared(write);
      flagCoachees(true);
    }
    await notes.save();
    return write.length;
  };
  return { errors: [...errors, ...notes.errors], save };
}

/** The coach's notes a backup carries ("coach_notes", there when ticked): checked, each one or the whole refused. */
async function notesFromBackup(doc) {
  const list = doc.coach_notes;
  if (list === undefined) return { errors: [], save: async () => 0 };
  const { checkedNote, restoreCoachNotes } = await import("../store/coach-notes.js");
  const notes = Array.isArray(list) ? list.map(checkedNote) : [null];
  const bad = notes.findIndex((x) => !x);
  if (bad >= 0) return { errors: [t("The coach's note {n} in this backup is not valid.", { n: bad + 1 })], save: async () => 0 };
  return { errors: [], save: () => restoreCoachNotes(notes) };
}
