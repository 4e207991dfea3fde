// A coach imports a passo-share file (import-ui.js hands it here): checked whole, then its plans go to the
// "shared" store, apart from the device's own plans. A higher revision replaces the stored share and keeps the
// one before it, so the read-only view can say what changed; an equal or older one changes nothing.

import { n, t } from "../core/i18n.js";
import { migratePlan, migrationInfo } from "../store/migrate.js";
import { getShared, putShared } from "../store/store.js";
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

function record(doc, plan, previous, now) {
  return {
    id: plan.id, schema: plan.schema, schema_version: plan.schema_version, revision: plan.revision,
    updated: plan.updated, data: plan.data, checkins: plan.checkins || [], measurements: plan.measurements || [],
    from: doc.from, shared: doc.shared,
    lang: doc.lang, received: now,
    previous: previous ? { revision: previous.revision, shared: previous.shared, from: previous.from,
      data: previous.data, checkins: previous.checkins || [] } : null,
  };
}

/**
 * Check and store a share. showErrors(messages) reports a refused file; status gets the outcome.
 * Resolves to the stored records (empty when nothing changed).
 */
export async function importShare(doc, { status, showErrors }) {
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
    showErrors(result.errors);
    return [];
  }
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const write = [];
  const notes = [];
  let added = 0;
  for (const plan of result.plans) {
    const existing = await getShared(plan.id);
    const decision = files.shareDecision(existing, plan);
    const title = planTitle(plan, schemas[plan.schema]);
    if (decision === "add" || decision === "update") {
      write.push(record(doc, plan, existing, now));
      if (decision === "add") added += 1;
    } else if (decision === "same") {
      notes.push(t("“{title}”: you already have this share (revision {revision}); nothing changed.",
        { title, revision: existing.revision }));
    } else {
      notes.push(t("“{title}”: you already have a newer share (revision {have}; this file has {revision}); nothing changed.",
        { title, have: existing.revision, revision: plan.revision }));
    }
  }
  if (write.length) await putShared(write);
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
  if (!text.includes('"shared"')) return none;
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return none;
  }
  if (!doc || doc.format !== "passo-backup" || !Array.isArray(doc.shared) || !doc.shared.length) return none;
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
    const share = { format: "passo-share", format_version: 1, shared: ok ? r.shared : null, from: ok ? r.from : null,
      lang: ok ? r.lang : null, plans: [ok ? Object.fromEntries(["schema", "schema_version", "id", "revision",
        "updated", "data", "checkins", "measurements"].filter((k) => k in r).map((k) => [k, r[k]])) : r] };
    const result = await files.checkShare(share, { schemas, validate, migrate, title: planTitle, label });
    if (result.errors.length) errors.push(...result.errors);
    else records.push(record(share, result.plans[0], null, r.received || share.shared));
  }
  const save = async () => {
    const write = [];
    for (const rec of records) {
      const existing = await getShared(rec.id);
      if (files.shareDecision(existing, rec) === "add" || files.shareDecision(existing, rec) === "update") write.push(rec);
    }
    if (write.length) await putShared(write);
    return write.length;
  };
  return { errors, save };
}
