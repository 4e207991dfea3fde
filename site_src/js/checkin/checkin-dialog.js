// checkin/: following a plan through: the check-in dialog (this module), the "Check in" buttons on a plan
// (plan-checkin.js), an item's history (checkin-history.js, plan-history.js) and done-on-time counts (plan-stats.js).
//
// The check-in: a native <dialog> asking what happened to one item (Done, Partly done, Not done, Drop), what
// helped or got in the way, and the commitment again; "Not done" offers the plan B or a new date. Also "Move all
// overdue". Each is saved with store.recordCheckin (the plan's change and the record in one write) and can be
// undone at once from the status message that follows. Used by the agenda and the plan page.

import { n, t, tp } from "../core/i18n.js";
import { applyEdits, changeItem, findItem, getAt, schemaAt } from "../schema/plan-items.js";
import { getPlan, listCheckins, recordCheckin, savePlan, undoCheckin } from "../store/store.js";
import { occurrenceWhen, occurrences as occurrencesOf } from "../time/repeat.js";
import { today } from "../time/zone-day.js";
import { listOf, occurrenceName, occurrenceShorts } from "../repeat/repeat-text.js";
import { deviceZone, whenHere } from "../due/when-text.js";
import { startsAt } from "../due/sections.js";
import { recordableGroups } from "../measure/measure-core.js";

const TOAST_MS = 10000;
const HHMM = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
let ui = null;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function radio(name, value, label, id) {
  return el("label", { className: "ci-choice", htmlFor: id },
    el("input", { type: "radio", name, value, id }), el("span", { textContent: label }));
}

function dateFields(prefix, withTime = true) {
  const date = el("input", { type: "date", id: `${prefix}-date`, required: true });
  const box = el("div", { className: "ci-dates" }, el("label", { htmlFor: date.id, textContent: t("Date") }), date);
  if (!withTime) return { date, time: null, box };
  const time = el("input", { type: "time", id: `${prefix}-time` });
  box.append(el("label", { htmlFor: time.id, textContent: t("Time (optional)") }), time);
  return { date, time, box };
}

/**
 * The dialog's stylesheet, on pages that do not link it (the plan page names it in data-checkin-css, so the form
 * loads nothing for it until the first check-in). Resolves once it applies.
 */
function styles() {
  const holder = document.querySelector("[data-checkin-css]");
  if (!holder) return Promise.resolve();
  const href = holder.dataset.checkinCss;
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
  const ready = new Promise((resolve) => {
    link.onload = resolve;
    link.onerror = resolve; // unstyled is still usable
  });
  document.head.append(link);
  holder.removeAttribute("data-checkin-css");
  return ready;
}

/**
 * The commitment question for an item, as its form asks it: {title, min, max, prompts: [{min, max, text}]}, texts
 * translated with the schema's own catalogue contexts; null when the item has no commitment scale.
 */
function commitmentQuestion(schemaId, schema, item) {
  if (!item || !item.commitmentPointer) return null;
  const found = schemaAt(schema, item.commitmentPointer);
  const node = found.node;
  if (!node || node.type !== "integer") return null;
  const prompts = (Array.isArray(node["x-prompts"]) ? node["x-prompts"] : []).map((p, i) => ({
    min: p.min, max: p.max, text: tp(`${schemaId}:${found.sptr}/x-prompts/${i}/text`, p.text),
  }));
  return {
    title: found.title !== undefined ? tp(`${schemaId}:${found.titlePtr}`, found.title) : t("Commitment"),
    min: typeof node.minimum === "number" ? node.minimum : 1,
    max: typeof node.maximum === "number" ? node.maximum : 10,
    prompts,
  };
}

/** The dialogs and the status line, made once per page with createElement (no HTML strings anywhere). */
function build() {
  const dialog = el("dialog", { id: "checkin-dialog", className: "ci-dialog" });
  dialog.setAttribute("aria-labelledby", "ci-title");
  dialog.setAttribute("aria-describedby", "ci-item");
  const form = el("form", { method: "dialog", noValidate: true });
  const title = el("h2", { id: "ci-title", textContent: tp("passo:dialog title", "Check in") });
  const item = el("p", { id: "ci-item", className: "ci-item" });
  const outcome = el("fieldset", { className: "ci-outcome" }, el("legend", { textContent: t("What happened?") }),
    radio("ci-outcome", "done", tp("passo:check-in answer", "Done"), "ci-o-done"),
    radio("ci-outcome", "partly", t("Partly done"), "ci-o-partly"),
    radio("ci-outcome", "not-done", t("Not done"), "ci-o-not-done"),
    radio("ci-outcome", "skipped", t("Skip this one"), "ci-o-skip"), radio("ci-outcome", "dropped", t("Drop"), "ci-o-drop"));
  const planBText = el("p", { className: "ci-planb-text" });
  const dates = dateFields("ci-new");
  const next = el("fieldset", { className: "ci-next", hidden: true }, el("legend", { textContent: t("What now?") }),
    radio("ci-next", "keep", t("Keep the date as it is"), "ci-n-keep"), radio("ci-next", "planb", t("Use plan B"), "ci-n-planb"),
    planBText, radio("ci-next", "date", t("New date"), "ci-n-date"), dates.box);
  const note = el("textarea", { id: "ci-note", maxLength: 2000, rows: 3 });
  const noteBox = el("div", { className: "ci-note" },
    el("label", { htmlFor: "ci-note", textContent: t("What helped, or what got in the way?") }), note);
  const scaleLegend = el("legend");
  const scale = el("div", { className: "ci-scale" });
  const prompts = el("div", { className: "ci-prompts" });
  prompts.setAttribute("aria-live", "polite");
  const commitment = el("fieldset", { className: "ci-commitment" }, scaleLegend,
    el("p", { className: "hint", textContent: t("Optional: how committed are you now?") }), scale, prompts);
  const error = el("p", { className: "ci-error", hidden: true });
  error.setAttribute("role", "alert");
  const save = el("button", { type: "submit", value: "save", textContent: t("Save check-in") });
  const cancel = el("button", { type: "button", className: "button-secondary", textContent: t("Cancel") });
  // -- repeating items: "Stop repeating" ends the rule (repeatCheckin below) --
  const stop = el("button", { type: "button", className: "button-secondary ci-stop", textContent: t("Stop repeating") });
  const stopHint = el("p", { className: "hint ci-stop-hint", id: "ci-stop-hint" });
  stop.setAttribute("aria-describedby", "ci-stop-hint");
  const repeatBox = el("div", { className: "ci-repeat", hidden: true }, stopHint, stop);
  // -- end of repeating items --
  form.append(title, item, outcome, next, noteBox, commitment, error, el("div", { className: "ci-buttons" }, save, cancel),
    repeatBox);
  dialog.append(form);

  const moveDialog = el("dialog", { id: "move-dialog", className: "ci-dialog" });
  moveDialog.setAttribute("aria-labelledby", "mv-title");
  const moveForm = el("form", { method: "dialog", noValidate: true });
  const moveDates = dateFields("mv", false); // each item keeps its own time
  const moveText = el("p", { id: "mv-text" });
  const moveError = el("p", { className: "ci-error", hidden: true });
  moveError.setAttribute("role", "alert");
  moveForm.append(el("h2", { id: "mv-title", textContent: t("Move all overdue") }), moveText, moveDates.box, moveError,
    el("div", { className: "ci-buttons" }, el("button", { type: "submit", textContent: t("Move") }),
      el("button", { type: "button", className: "button-secondary", textContent: t("Cancel"), value: "cancel" })));
  moveDialog.append(moveForm);

  const toast = el("div", { className: "toast ci-toast" });
  toast.setAttribute("role", "status");
  toast.setAttribute("aria-live", "polite");
  document.body.append(dialog, moveDialog, toast);
  cancel.addEventListener("click", () => dialog.close("cancel"));
  moveForm.querySelector("button[value=cancel]").addEventListener("click", () => moveDialog.close("cancel"));
  return { dialog, form, item, outcome, next, planBText, dates, note, commitment, scaleLegend, scale, prompts,
    error, repeatBox, stop, stopHint, moveDialog, moveForm, moveText, moveDates, moveError, toast, timer: 0 };
}

const picked = (form, name) => (form.querySelector(`input[name="${name}"]:checked`) || {}).value || "";

function fail(box, text) {
  box.textContent = text;
  box.hidden = !text;
}

/** The item's "when" as stored (date, time and zone as entered), for a move's `from`. */
const storedWhen = (plan, item) => structuredClone(getAt(plan.data, item.whenPointer) ?? null);

function newWhen(dates) {
  const out = { date: dates.date.value };
  if (dates.time && dates.time.value) out.time = dates.time.value;
  out.tz = deviceZone();
  return out;
}

/** Show the form's state: "What now?" after "Not done", the date fields after "plan B" or "New date". */
function sync() {
  const outcome = picked(ui.form, "ci-outcome");
  ui.next.hidden = outcome !== "not-done";
  const next = picked(ui.form, "ci-next");
  ui.dates.box.hidden = !(next === "planb" || next === "date");
  ui.planBText.hidden = next !== "planb";
  const value = Number(picked(ui.form, "ci-commitment"));
  for (const p of ui.prompts.children) p.hidden = !(value >= +p.dataset.min && value <= +p.dataset.max);
}

function fillCommitment(question, current) {
  ui.commitment.hidden = !question;
  if (!question) return;
  ui.scaleLegend.textContent = question.title;
  ui.scale.replaceChildren();
  for (let v = question.min; v <= question.max; v += 1) {
    ui.scale.append(radio("ci-commitment", String(v), String(v), `ci-c-${v}`));
  }
  if (current) ui.scale.append(el("p", { className: "hint", textContent: t("Before: {n}", { n: current }) }));
  ui.prompts.replaceChildren(...question.prompts.map((p) =>
    el("p", { className: "prompt-text", textContent: p.text, hidden: true }, )));
  question.prompts.forEach((p, i) => Object.assign(ui.prompts.children[i].dataset, { min: p.min, max: p.max }));
}

/** The check-in as the coachee filled it in: [record, change for plan-items.changeItem], or an error text. */
function readForm(plan, item, occurrences) {
  const outcome = picked(ui.form, "ci-outcome");
  if (!outcome) return t("Choose what happened.");
  const value = picked(ui.form, "ci-commitment");
  const record = { item: item.id, outcome, note: ui.note.value.trim(), commitment: value ? Number(value) : null };
  const change = {};
  if (occurrences) {
    // An occurrence's check-in changes nothing in the plan: "Done" leaves the action (and its rule) as it is.
    if (outcome !== "not-done" || occurrences.length > 1) return [record, change];
    const next = picked(ui.form, "ci-next");
    if (next === "planb" || next === "date") {
      if (!ui.dates.date.value) return t("Choose the new date.");
      Object.assign(record, { outcome: "moved", from: occurrenceWhen(storedWhen(plan, item), occurrences[0]),
        to: newWhen(ui.dates), plan_b: next === "planb" });
    }
    return [record, change];
  }
  if (outcome === "done") change.done = true;
  const next = outcome === "not-done" ? picked(ui.form, "ci-next") : "";
  if (next === "planb" || next === "date") {
    if (!ui.dates.date.value) return t("Choose the new date.");
    change.when = newWhen(ui.dates);
    Object.assign(record, { outcome: "moved", from: storedWhen(plan, item), to: change.when, plan_b: next === "planb" });
  }
  return [record, change];
}

const SAID = {
  done: () => t("Checked in: done."), partly: () => t("Checked in: partly done."),
  "not-done": () => t("Checked in: not done."), dropped: () => t("Dropped. It no longer shows in the agenda."),
  skipped: () => t("Skipped. A skipped day never counts as missed."),
};

/** A status line with Undo; it stays while focused or hovered, else ~10 s. */
function toast(text, undo) {
  clearTimeout(ui.timer);
  const button = undo ? el("button", { type: "button", textContent: t("Undo") }) : null;
  const said = el("p", { textContent: text, tabIndex: -1 });
  const hadFocus = ui.toast.contains(document.activeElement);
  ui.toast.replaceChildren(said, ...(button ? [button] : []));
  if (hadFocus && !button) said.focus(); // after Undo, focus stays where the coachee was, not on the page's top
  ui.toast.classList.add("is-shown");
  const arm = () => {
    clearTimeout(ui.timer);
    ui.timer = setTimeout(() => {
      ui.toast.replaceChildren();
      ui.toast.classList.remove("is-shown");
    }, TOAST_MS);
  };
  ui.toast.onfocusin = () => clearTimeout(ui.timer);
  ui.toast.onfocusout = arm;
  arm();
  if (button) {
    let busy = false; // not disabled: a disabled button would drop the focus before the result is said
    button.addEventListener("click", async () => {
      if (busy) return;
      busy = true;
      try {
        toast(await undo());
      } catch (e) {
        toast((e && e.message) || t("Something went wrong. Try again."));
      }
    });
  }
  return button;
}

/** The app badge follows every check-in and undo (app-badge.js is loaded only where a badge exists). */
function badge() {
  if ("setAppBadge" in navigator) import("../due/app-badge.js").then((b) => b.updateBadge()).catch(() => {});
}

/** Undo of the check-ins just saved (latest first), each only if still the latest of its plan. */
function undoer(saved, onChange) {
  return async () => {
    let undone = 0;
    for (const { plan, seq } of [...saved].reverse()) if (await undoCheckin(plan.id, seq)) undone += 1;
    onChange();
    badge();
    return undone === saved.length ? t("Undone.")
      : t("Not everything could be undone: a later check-in came after it.");
  };
}

/**
 * Open the check-in for one item of a plan; `occurrences` (local dates) checks in those occurrences of a
 * repeating item instead, one check-in each. onChange() runs after a save and after an undo (the page redraws).
 * Resolves once the dialog is closed: true when a check-in was saved.
 */
export async function openCheckin(planId, itemId, { onChange = () => {}, schema, occurrences = null }) {
  await styles();
  ui = ui || build();
  let plan = await getPlan(planId);
  let item = plan && findItem(plan, schema, itemId, await listCheckins(planId));
  if (!item) return false;
  const many = occurrences && occurrences.length > 1;
  ui.form.reset();
  fail(ui.error, "");
  ui.item.textContent = occurrences ? occurrenceLine(item, occurrences) : `${item.text} · ${whenHere(item.when)}`;
  if (plan.lang) ui.item.lang = plan.lang;
  ui.planBText.textContent = item.planB || "";
  ui.form.querySelector("#ci-n-planb").parentElement.hidden = !item.planB;
  // Several occurrences at once: each keeps its own date, so "What now?" (a move) is for one at a time.
  ui.form.querySelector("#ci-n-date").parentElement.hidden = Boolean(many);
  ui.form.querySelector("#ci-n-planb").parentElement.hidden = !item.planB || Boolean(many);
  ui.form.querySelector("#ci-o-skip").parentElement.hidden = !occurrences;
  ui.form.querySelector("#ci-o-skip").nextElementSibling.textContent = many ? t("Skip these") : t("Skip this one");
  ui.dates.date.value = "";
  // A new date and time are entered as this device's; the item's time is offered as it falls here.
  const shownWhen = occurrences && item.when ? occurrenceWhen(item.when, occurrences[0]) : item.when;
  ui.dates.time.value = shownWhen && shownWhen.time ? HHMM.format(startsAt(shownWhen)) : "";
  fillCommitment(commitmentQuestion(plan.schema, schema, item), item.commitment);
  // "Where is it now?" for a plan whose goal is measured (results/checkin-measure.js, loaded only then).
  if (ui.measure) ui.measure.box.remove();
  ui.measure = recordableGroups(plan, schema).length
    ? (await import("../results/checkin-measure.js")).measurePart(plan, schema) : null;
  if (ui.measure) ui.error.before(ui.measure.box);
  repeatCheckin(plan, item, occurrences, onChange);
  ui.form.onchange = sync;
  sync();
  return new Promise((resolve) => {
    ui.form.onsubmit = async (ev) => {
      ev.preventDefault();
      // Read again: another tab may have changed the plan since the dialog opened.
      plan = (await getPlan(planId)) || plan;
      item = findItem(plan, schema, itemId) || item;
      const read = readForm(plan, item, occurrences);
      if (typeof read === "string") {
        fail(ui.error, read);
        return;
      }
      const [record, change] = read;
      record.at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      const measured = ui.measure ? ui.measure.read(record.at) : [];
      if (typeof measured === "string") {
        fail(ui.error, measured);
        return;
      }
      try {
        const saved = [];
        if (occurrences) {
          for (const occurrence of occurrences) {
            const result = await recordCheckin(plan, { ...record, occurrence }, []);
            saved.push({ plan, seq: result.seq });
          }
        } else {
          const result = await recordCheckin(plan, record, changeItem(plan, schema, itemId, change));
          saved.push({ plan, seq: result.seq });
        }
        const part = ui.measure;
        if (measured.length) await part.save(measured);
        ui.dialog.close("saved");
        onChange();
        badge();
        const text = many ? n("Checked in {n} day.", "Checked in {n} days.", saved.length)
          : record.outcome === "moved" ? t("Moved to {date}.", { date: whenHere(record.to) }) : SAID[record.outcome]();
        const undo = undoer(saved, onChange);
        // Undo takes back the values typed with the check-in too (they were part of it), once the check-in is undone.
        const undone = t("Undone.");
        const undoAll = async () => {
          const said = await undo();
          if (said === undone) await part.remove(measured);
          return said;
        };
        toast(text, measured.length ? undoAll : undo).focus();
        resolve(true);
      } catch (e) {
        fail(ui.error, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."));
      }
    };
    ui.dialog.onclose = () => resolve(false);
    ui.dialog.showModal();
  });
}

// -- repeating items -------------------------------------------------------------------------------------------

/** The item and the occurrences checked in, by name: "Run · Monday 15 March" or "Run · 3 days: Mon 15, ...". */
function occurrenceLine(item, occurrences) {
  if (occurrences.length === 1) return `${item.text} · ${occurrenceName(occurrences[0])}`;
  const names = occurrenceShorts(occurrences);
  const shown = names.length > 7 ? [...names.slice(0, 3), "…", ...names.slice(-3)] : names;
  const days = n("{n} day: {days}", "{n} days: {days}", occurrences.length, { days: listOf(shown, "unit") });
  return `${item.text} · ${days}`;
}

/**
 * "Stop repeating": the rule ends with its last occurrence up to today, in the item's zone (its `until`; a count
 * gives way to it). A saved change of the plan, so its revision rises and the calendar shortens the rule.
 */
function repeatCheckin(plan, item, occurrences, onChange) {
  ui.repeatBox.hidden = !occurrences || !item.when || !item.when.repeat;
  if (ui.repeatBox.hidden) return;
  ui.stopHint.textContent = t("Ends the repeat after its last day up to today. What happened so far stays.");
  ui.stop.onclick = async () => {
    try {
      const fresh = (await getPlan(plan.id)) || plan;
      const stored = storedWhen(fresh, item);
      if (!stored || !stored.repeat) return;
      const past = occurrencesOf(stored, stored.date, today(Date.now(), stored.tz));
      const repeat = { ...stored.repeat };
      delete repeat.count;
      let when;
      if (past.length) when = { ...stored, repeat: { ...repeat, until: past[past.length - 1] } };
      else { // not started yet: what is left is the first day alone
        when = { ...stored };
        delete when.repeat;
      }
      await savePlan({ ...fresh, data: applyEdits(fresh.data, [{ pointer: item.whenPointer, value: when }]) },
        { baseRevision: fresh.revision });
      ui.dialog.close("stopped");
      onChange();
      badge();
      toast(past.length ? t("It no longer repeats after {date}.", { date: occurrenceName(past[past.length - 1]) })
        : t("It no longer repeats."), () => restartRepeat(plan.id, item, when, stored, onChange)).focus();
    } catch (e) {
      fail(ui.error, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."));
    }
  };
}

/**
 * Undo of "Stop repeating": the item's "when" goes back to the rule it had, as a saved change of the plan (the
 * calendar gets the rule back with the next revision). Only while the "when" is still the one Stop repeating wrote:
 * changed since (another tab, the form), it is left as it now is.
 */
async function restartRepeat(planId, item, written, before, onChange) {
  const now = await getPlan(planId);
  if (!now || JSON.stringify(storedWhen(now, item)) !== JSON.stringify(written)) {
    return t("This plan was changed in another tab or window since you opened it.");
  }
  await savePlan({ ...now, data: applyEdits(now.data, [{ pointer: item.whenPointer, value: before }]) },
    { baseRevision: now.revision });
  onChange();
  badge();
  return t("Undone.");
}

// -- end of repeating items ------------------------------------------------------------------------------------

/**
 * "Move all overdue": every entry given ({plan, item}) moves to the picked day, each keeping its time and zone;
 * one check-in per item, undone together.
 */
export function openMoveAll(entries, { onChange = () => {}, today = "" } = {}) {
  ui = ui || build();
  fail(ui.moveError, "");
  ui.moveText.textContent = n("{n} overdue item moves to the day you pick, keeping its time.",
    "{n} overdue items move to the day you pick, each keeping its time.", entries.length);
  ui.moveDates.date.value = today;
  return new Promise((resolve) => {
    ui.moveForm.onsubmit = async (ev) => {
      ev.preventDefault();
      const date = ui.moveDates.date.value;
      if (!date) {
        fail(ui.moveError, t("Choose the new date."));
        return;
      }
      const saved = [];
      try {
        for (const { plan: shown, item, schema } of entries) {
          const plan = (await getPlan(shown.id)) || shown;
          const from = storedWhen(plan, item);
          const to = { ...(from && typeof from === "object" ? from : {}), date };
          if (!to.tz) to.tz = deviceZone();
          const edits = changeItem(plan, schema, item.id, { when: to });
          const result = await recordCheckin(plan, { item: item.id, outcome: "moved", from, to }, edits);
          saved.push({ plan, seq: result.seq });
        }
      } catch (e) {
        fail(ui.moveError, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."));
        if (!saved.length) return;
      }
      ui.moveDialog.close("saved");
      onChange();
      badge();
      toast(n("Moved {n} item.", "Moved {n} items.", saved.length), undoer(saved, onChange)).focus();
      resolve(true);
    };
    ui.moveDialog.onclose = () => resolve(false);
    ui.moveDialog.showModal();
  });
}
