// The coach's own note on a coachee or on one of their plans: a text box marked "Only you", saved as it is typed
// (store/coach-notes.js). It never leaves the device but in a backup the coach chose to include it in.

import { t, tp } from "../core/i18n.js";
import { noteId, saveCoachNote } from "../store/coach-notes.js";
import { el } from "../files/file-actions.js";

const WAIT_MS = 400;

/** A note box for (coachee, plan or null), holding `notes`' text for it; `heading` names it. */
export function noteField(coachee, plan, heading, notes) {
  const id = noteId(coachee, plan).replace(/[^A-Za-z0-9_-]/g, "_");
  const existing = notes.find((x) => x.id === noteId(coachee, plan));
  const box = el("textarea", { id: `note-${id}`, rows: 4, maxLength: 20000, value: existing ? existing.text : "" });
  box.className = "coach-note-text";
  const who = el("span", { className: "who who-coachee", id: `note-${id}-who`, textContent: tp("passo:visibility", "Only you") });
  const status = el("p", { className: "coach-note-status", role: "status" });
  status.setAttribute("aria-live", "polite");
  box.setAttribute("aria-describedby", `note-${id}-who note-${id}-help`);
  const help = el("p", { className: "coach-note-help", id: `note-${id}-help`,
    textContent: t("Kept on this device only: never in a share, a sponsor report or a plan file.") });
  const wrap = el("div", { className: "coach-note" }, el("label", { htmlFor: box.id, textContent: heading }), who, box, help, status);
  let timer = 0;
  let saving = Promise.resolve();
  const save = () => {
    clearTimeout(timer);
    timer = 0;
    const text = box.value;
    saving = saving.then(() => saveCoachNote(coachee, plan, text)).then(() => {
      status.textContent = t("Saved on this device.");
      wrap.dataset.saved = String(Date.now());
      window.dispatchEvent(new CustomEvent("passo:notes-changed"));
    }, (e) => {
      status.textContent = (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again.");
    });
    return saving;
  };
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, WAIT_MS);
  });
  box.addEventListener("change", save);
  // Leaving the page saves what was just typed.
  document.addEventListener("passo:flush", (ev) => { if (timer) ev.detail.waitUntil(save()); });
  addEventListener("pagehide", () => { if (timer) save(); });
  return wrap;
}
