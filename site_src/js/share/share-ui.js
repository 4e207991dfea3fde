// share/: the share for the coach: "Share with my coach" (this module), its file (share-file.js), importing
// it on the coach's device (share-import.js), and "Shared with me" with each shared plan (shared-list.js, shared-view.js).
//
// "Share with my coach" (partials/share-dialog.html): pick the plans, see exactly what will leave the device,
// then hand the passo-share file to the share sheet or a download. The "From" name is typed once and kept in
// the store's meta; check-ins come from store.listCheckins where this build has it.

import { dialogStyles } from "../core/dialog-styles.js";
import { t } from "../core/i18n.js";
import * as store from "../store/store.js";
import { allSchemas, el, flush, planTitle } from "../files/file-actions.js";
import { protectIfAsked } from "../protect/protect-option.js";
import { answerList, checkinList, measurementList } from "./share-rows.js";

const FROM_KEY = "shareFrom";
const COACHEE_KEY = "coacheeKey";

/**
 * This device's coachee key: a random UUID made at the first share and kept in the store's meta, so the coach's
 * device knows every later share as the same person's, whatever name the "From" box holds.
 */
async function coacheeKey() {
  const kept = await store.getMeta(COACHEE_KEY).catch(() => null);
  if (typeof kept === "string" && kept) return kept;
  const made = store.newId();
  await store.setMeta(COACHEE_KEY, made);
  return made;
}

/** Check-ins of each plan, oldest first; none before the follow-through store exists. */
async function checkinsOf(plans) {
  const out = new Map();
  for (const p of plans) out.set(p.id, store.listCheckins ? await store.listCheckins(p.id) : []);
  return out;
}

/**
 * Open the share dialog. preselect: plan ids ticked at first (the plan page's own plan; on My plans the
 * ones chosen there). Resolves once the dialog is open.
 */
export async function openShare(dialog, preselect = []) {
  await flush(); // the file holds what was just typed
  const [{ schemas }, files, save, plans, from, coachee] = await Promise.all([
    allSchemas(), import("./share-file.js"), import("../files/save-file.js"), store.listPlans(),
    store.getMeta(FROM_KEY).catch(() => ""), coacheeKey()]);
  const checkins = await checkinsOf(plans);
  const picker = dialog.querySelector(".share-plans");
  const fromInput = dialog.querySelector(".share-from-input");
  const notes = dialog.querySelector(".share-notes-input");
  const preview = dialog.querySelector(".share-preview");
  const raw = dialog.querySelector(".share-json");
  const status = dialog.querySelector(".share-status");
  const send = dialog.querySelector("[data-share='send']");
  picker.replaceChildren(el("legend", { textContent: t("Plans to share") }));
  const wanted = new Set(preselect);
  for (const p of plans) {
    const box = el("input", { type: "checkbox", value: p.id, checked: wanted.has(p.id) });
    picker.append(el("label", { className: "sponsor-plan" }, box, " ", planTitle(p, schemas[p.schema])));
  }
  if (!plans.length) picker.append(el("p", { textContent: t("There are no plans on this device to share yet.") }));
  fromInput.value = typeof from === "string" ? from : "";
  notes.checked = false;
  status.textContent = "";
  let current = null;
  const update = () => {
    const picked = new Set([...picker.querySelectorAll("input:checked")].map((i) => i.value));
    current = files.buildShare({ plans: plans.filter((p) => picked.has(p.id)), schemas, checkins,
      from: fromInput.value, includeNotes: notes.checked, now: new Date(), lang: document.documentElement.lang, coachee });
    preview.replaceChildren();
    for (const p of current.plans) {
      const schema = schemas[p.schema];
      preview.append(el("h3", { textContent: planTitle(p, schema) }), answerList(p.schema, schema, p.data),
        el("h4", { textContent: t("Check-ins") }), checkinList(p.checkins, p.data));
      // The file holds exactly what the preview shows: its measurements too.
      if (p.measurements.length) preview.append(el("h4", { textContent: t("Measurements") }), measurementList(p.measurements));
    }
    if (!current.plans.length) preview.append(el("p", { textContent: t("Pick at least one plan.") }));
    raw.textContent = files.shareText(current);
    send.disabled = !current.plans.length;
  };
  picker.onchange = update;
  notes.onchange = update;
  fromInput.oninput = update;
  // Kept for next time on change (not on every key), so a name typed once is there at the next share.
  fromInput.onchange = () => store.setMeta(FROM_KEY, fromInput.value.trim()).catch(() => {});
  update();
  dialog.onclick = async (ev) => {
    const b = ev.target.closest("button[data-share]");
    if (!b) return;
    if (b.dataset.share === "close") {
      dialog.close();
      return;
    }
    store.setMeta(FROM_KEY, fromInput.value.trim()).catch(() => {});
    // Protected with a passphrase when ticked, like every other export; cancelling the passphrase sends nothing.
    const file = await protectIfAsked(dialog.querySelector("[data-protect]"), files.shareText(current),
      files.shareFileName());
    if (!file) return;
    const how = await save.saveFile(file.text, file.name, save.JSON_TYPE);
    if (how !== "cancelled") status.textContent = t("Your share file is ready. Send it to your coach.");
  };
  await dialogStyles();
  dialog.showModal();
}
