// "Where is it now?": a native <dialog> recording one value of a goal's measure, its date (today in the coachee's
// zone unless changed) and an optional note. The value's label is the metric in the coachee's own words. Loaded
// when the button is first tapped; saved with store/measurements.js (a saved change of the plan).

import { formatDate, formatNumber, t } from "../core/i18n.js";
import { dialogStyles } from "../core/dialog-styles.js";
import { measurementProblem } from "../measure/measure-core.js";
import { recordMeasurement } from "../store/measurements.js";
import { today } from "../time/zone-day.js";
import { zonedToUtc } from "../time/zoned-time.js";
import { deviceZone } from "../time/device-zone.js";

let ui = null;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export { deviceZone };

/** A number as typed: "7.5", "7,5" (a decimal comma), " -2 "; NaN when it is not one. */
export function parseValue(text) {
  const s = String(text).trim().replace(/\s/g, "").replace(",", ".");
  return /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[-+]?[0-9]+)?$/i.test(s) ? Number(s) : NaN;
}

/** RFC 3339 of a measurement made on `date` (the coachee's day): now when it is today, else that day's noon. */
export function measuredAt(date, zone, nowMs = Date.now()) {
  const ms = date === today(nowMs, zone) ? nowMs : zonedToUtc(date, "12:00", zone);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function build() {
  const dialog = el("dialog", { id: "measure-dialog", className: "measure-dialog" });
  dialog.setAttribute("aria-labelledby", "ms-title");
  dialog.setAttribute("aria-describedby", "ms-goal");
  const form = el("form", { method: "dialog", noValidate: true });
  const value = el("input", { id: "ms-value", type: "text", inputMode: "decimal", autocomplete: "off", required: true });
  const date = el("input", { id: "ms-date", type: "date", required: true });
  const note = el("textarea", { id: "ms-note", maxLength: 2000, rows: 2 });
  const valueLabel = el("label", { htmlFor: "ms-value", className: "ms-metric" });
  const goal = el("p", { id: "ms-goal", className: "hint" });
  const error = el("p", { id: "ms-error", className: "ms-error", hidden: true });
  error.setAttribute("role", "alert");
  value.setAttribute("aria-describedby", "ms-error");
  const save = el("button", { type: "submit", textContent: t("Save") });
  const cancel = el("button", { type: "button", className: "secondary", textContent: t("Cancel") });
  form.append(el("h2", { id: "ms-title", textContent: t("Where is it now?") }), goal,
    el("div", { className: "ms-field" }, valueLabel, value),
    el("div", { className: "ms-field" }, el("label", { htmlFor: "ms-date", textContent: t("Date") }), date),
    el("div", { className: "ms-field" }, el("label", { htmlFor: "ms-note", textContent: t("Note (optional)") }), note),
    error, el("div", { className: "dialog-buttons" }, save, cancel));
  dialog.append(form);
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close("cancel"));
  return { dialog, form, value, date, note, valueLabel, goal, error };
}

function fail(text) {
  ui.error.textContent = text;
  ui.error.hidden = !text;
  ui.value.setAttribute("aria-invalid", text ? "true" : "false");
}

/** What the path asks for, in words: "From 10 to 5 by 30 June 2027." (parts the coachee has not given left out). */
function goalText(goal) {
  const has = (v) => Number.isFinite(v);
  if (has(goal.baseline) && has(goal.target) && goal.deadline) {
    return t("From {baseline} to {target} by {date}.", {
      baseline: formatNumber(goal.baseline), target: formatNumber(goal.target), date: formatDate(goal.deadline) });
  }
  return has(goal.target) ? t("Target: {target}.", { target: formatNumber(goal.target) }) : "";
}

/**
 * Ask for one value of `group` of `plan` (goal: measure-core goalOf). Resolves with the stored plan after a save,
 * or null when the dialog is closed without one. schema: the plan's schema (the measurement is checked against it).
 */
export async function openMeasure({ plan, group, goal, schema }) {
  await dialogStyles();
  ui = ui || build();
  const zone = deviceZone();
  const day = today(Date.now(), zone);
  ui.form.reset();
  fail("");
  ui.valueLabel.textContent = goal.metric;
  ui.valueLabel.lang = plan.lang || "";
  ui.goal.textContent = goalText(goal);
  ui.date.value = day;
  ui.date.max = day;
  return new Promise((resolve) => {
    let saved = null;
    ui.form.onsubmit = async (ev) => {
      ev.preventDefault();
      const value = parseValue(ui.value.value);
      if (!Number.isFinite(value)) {
        fail(t("Enter a number, like 7.5."));
        ui.value.focus();
        return;
      }
      if (!ui.date.value || ui.date.value > today(Date.now(), zone)) {
        fail(t("Choose a date that is today or earlier."));
        ui.date.focus();
        return;
      }
      const m = { group: group.pointer, at: measuredAt(ui.date.value, zone), value, note: ui.note.value.trim() };
      const problem = measurementProblem(m, schema);
      if (problem) {
        fail(problem);
        return;
      }
      try {
        saved = await recordMeasurement(plan.id, m);
        ui.dialog.close("saved");
      } catch (e) {
        fail((e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."));
      }
    };
    ui.dialog.onclose = () => resolve(saved);
    ui.dialog.showModal();
  });
}
