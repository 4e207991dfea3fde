// "Import" and "Back up all plans" (partials/import-backup.html, on My plans and Settings). An import is
// checked whole before anything is written, then written in one transaction; a plan that is here already with
// the same or a later revision waits for the coachee's choice.

import { formatDateTime, t } from "../core/i18n.js";
import { migratePlan, migrationInfo } from "../store/migrate.js";
import { listAllCheckins, listPlans, putPlans, setMeta } from "../store/store.js";
import { listShared } from "../store/shared-store.js";
import { allSchemas, el, planTitle, say } from "../files/file-actions.js";
import { protectIfAsked } from "../protect/protect-option.js";

async function backUp(root, status, withShared, withNotes) {
  const [plans, checkins, files, save, shared, notes] = await Promise.all([listPlans(), listAllCheckins(),
    import("../files/plan-file.js"), import("../files/save-file.js"), withShared ? listShared() : [],
    withNotes ? import("../store/coach-notes.js").then((m) => m.listCoachNotes()) : []]);
  if (!plans.length && !shared.length && !notes.length) {
    say(status, t("There are no plans on this device to back up yet."), true);
    return;
  }
  const now = new Date();
  const file = await protectIfAsked(root.querySelector("[data-protect]"), files.backupFile(plans, now, checkins, shared, notes),
    files.fileName("backup", null, now));
  if (!file) return;
  const how = await save.saveFile(file.text, file.name, save.JSON_TYPE);
  if (how === "cancelled") return;
  await setMeta("lastBackup", files.isoNow(now));
  say(status, t("Your backup file is ready. Keep it somewhere safe, off this device."));
}

function showErrors(box, errors) {
  box.replaceChildren();
  if (!errors.length) return;
  box.append(el("p", { textContent: t("Nothing was imported, and your plans are unchanged:") }),
    el("ul", {}, ...errors.map((m) => el("li", { textContent: m }))));
}

async function importFile(root, file) {
  const status = root.querySelector(".import-status");
  const errorBox = root.querySelector(".import-errors");
  const conflictsForm = root.querySelector(".import-conflicts");
  say(status, "");
  showErrors(errorBox, []);
  conflictsForm.hidden = true;
  const files = await import("../files/plan-file.js");
  const tooBig = files.sizeProblem(file.size);
  if (tooBig) {
    showErrors(errorBox, [tooBig]);
    return;
  }
  // A protected file is opened first (its passphrase asked); then its plaintext takes the ordinary path.
  const opened = await (await import("../protect/passphrase-dialog.js")).openIfProtected(await file.text());
  if (!("text" in opened)) {
    if (opened.error) showErrors(errorBox, [opened.error]);
    else say(status, t("Import cancelled: nothing was changed."));
    return;
  }
  const text = opened.text;
  say(status, t("Checking the file…"));
  const [{ index, schemas }, { validate }] = await Promise.all([allSchemas(), import("../schema/validate.js")]);
  // A share for the coach goes to "Shared with me", never among this device's own plans.
  const shares = await import("../share/share-import.js");
  const share = shares.asShare(text);
  if (share) {
    await shares.importShare(share, { status, showErrors: (m) => showErrors(errorBox, m), file: file.name });
    return;
  }
  const migrate = async (plan) => {
    const out = await migratePlan(plan, index);
    const info = migrationInfo(out);
    if (info && info.status !== "migrated") throw new Error(info.error || info.status);
    return out;
  };
  const [result, restore] = await Promise.all([files.parseImport(text, { schemas, validate, migrate }),
    shares.sharedFromBackup(text)]); // a backup may carry plans shared with this coach
  if (result.errors.length || restore.errors.length) {
    say(status, "");
    showErrors(errorBox, [...result.errors, ...restore.errors]);
    return;
  }
  // With their check-ins, so a file holding exactly what is here counts as "same".
  const [storedPlans, storedCheckins] = await Promise.all([listPlans(), listAllCheckins()]);
  const stored = new Map(storedPlans.map((p) => [p.id, { ...p, checkins: storedCheckins.get(p.id) || [] }]));
  const write = [];
  const ask = [];
  let skipped = 0;
  let updated = 0;
  for (const plan of result.plans) {
    const decision = files.planImportDecision(stored.get(plan.id), plan);
    if (decision === "add" || decision === "update") write.push(plan);
    if (decision === "update") updated += 1;
    if (decision === "same") skipped += 1;
    if (decision === "ask") ask.push(plan);
  }
  const finish = async (replace) => {
    const all = [...write, ...replace];
    if (all.length) await putPlans(all);
    await restore.save();
    say(status, t("Import done. Added: {added}. Updated: {updated}. Skipped: {skipped}.", {
      added: write.length - updated, updated: updated + replace.length, skipped: skipped + ask.length - replace.length,
    }));
  };
  if (!ask.length) {
    await finish([]);
    return;
  }
  say(status, "");
  askConflicts(conflictsForm, ask, stored, schemas, finish);
}

/** One choice per plan that exists here with the same or a later revision; nothing is written until "Import". */
function askConflicts(form, conflicts, stored, schemas, finish) {
  const list = form.querySelector(".conflict-list");
  list.replaceChildren();
  conflicts.forEach((plan, i) => {
    const mine = stored.get(plan.id);
    const when = (p) => t("revision {revision}, changed {date}", { revision: p.revision, date: formatDateTime(p.updated) });
    const choice = (value, text, checked) => el("label", { className: "conflict-choice" },
      el("input", { type: "radio", name: `conflict-${i}`, value, checked }), " ", text);
    list.append(el("fieldset", { className: "conflict" },
      el("legend", { textContent: planTitle(plan, schemas[plan.schema]) }),
      choice("keep", t("Keep the one on this device ({when})", { when: when(mine) }), true),
      choice("replace", t("Use the one in the file ({when})", { when: when(plan) }), false)));
  });
  form.hidden = false;
  form.querySelector("input").focus();
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const action = ev.submitter ? ev.submitter.value : "apply";
    form.hidden = true;
    if (action === "cancel") {
      say(form.parentElement.querySelector(".import-status"), t("Import cancelled: nothing was changed."));
      return;
    }
    const replace = conflicts.filter((_, i) => form.querySelector(`input[name="conflict-${i}"]:checked`).value === "replace");
    await finish(replace);
  };
}

export function initBackup(root) {
  const status = root.querySelector(".import-status");
  const fail = (e) => say(status, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."), true);
  // Plans shared with a coach enter a backup only when the coach ticks the box (shown once there are some).
  const withShared = root.querySelector("[data-backup-shared]");
  const showShared = () => listShared().then((l) => { withShared.closest("label").hidden = !l.length; }, () => {});
  showShared();
  window.addEventListener("passo:shared-changed", showShared);
  // The coach's notes likewise (their own box: a coach may keep the plans in a backup and the notes out of it).
  const withNotes = root.querySelector("[data-backup-notes]");
  // Notes exist only on a device that holds shares (or restored them): elsewhere the module is not even loaded.
  const showNotes = () => new Promise((ok) => ok(localStorage.getItem("passo:desk")
    && import("../store/coach-notes.js").then((m) => m.listCoachNotes())))
    .then((l) => { withNotes.closest("label").hidden = !(l && l.length); }, () => {});
  showNotes();
  window.addEventListener("passo:shared-changed", showNotes);
  window.addEventListener("passo:notes-changed", showNotes);
  root.querySelector("[data-backup]").addEventListener("click",
    () => backUp(root, status, withShared.checked, withNotes.checked).catch(fail));
  const input = root.querySelector("input[type=file][data-import]");
  const take = () => {
    const file = input.files && input.files[0];
    input.value = ""; // choosing the same file again must fire "change" again
    if (file) importFile(root, file).catch(fail);
  };
  input.addEventListener("change", take);
  take(); // a file chosen while this module was still loading (a slow phone) is imported, not dropped
}
