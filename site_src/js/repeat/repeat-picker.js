// The form's repeat picker: "Does not repeat", every N days, every N weeks on chosen weekdays, every N months on a
// day; ending never, on a date or after N times; the rule said in plain words as it is chosen. The form
// (schema/form.js) keeps the rule as JSON in a hidden input (data-type json) and knows nothing more of it: the plan
// page's check-in module (checkin/plan-checkin.js) loads this one once a rule is shown or the "Repeat" button is
// pressed, so the plan form's first visit carries none of it.
//
// Built with createElement (Trusted Types, no HTML strings); every control has a label; the summary is a live
// region, so a screen reader hears the rule as it changes; problems (repeatProblems) are said in words under the
// button, which they describe, before the plan is saved.

import { t } from "../core/i18n.js";
import { repeatProblems, WEEKDAYS } from "../time/repeat.js";
import { problemText, repeatSummary, weekdayNames } from "./repeat-text.js";

const pickers = new WeakMap(); // widget element -> its controller
let counter = 0;
let styles = null;

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** The picker's stylesheet (css/repeat.css, named by the plan page), added once. */
function loadStyles() {
  if (!styles) {
    const holder = document.querySelector("[data-repeat-css]");
    const href = holder && holder.dataset.repeatCss;
    styles = !href ? Promise.resolve() : new Promise((resolve) => {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      link.onload = resolve;
      link.onerror = resolve; // unstyled is still usable
      document.head.append(link);
    });
  }
  return styles;
}

function choice(type, name, value, label, id) {
  const input = el("input", { type, name, value, id });
  return el("div", { className: `repeat-choice repeat-${type}` }, input, el("label", { htmlFor: id, textContent: label }));
}

function numberField(id, label, min, max) {
  const input = el("input", { type: "number", id, min: String(min), max: String(max), step: "1", inputMode: "numeric" });
  return { input, box: el("div", { className: "repeat-number" }, el("label", { htmlFor: id, textContent: label }), input) };
}

/** The `when` group's date (the rule's first day), read from the form. */
function startOf(widget) {
  const group = widget.closest(".when");
  const date = group && group.querySelector("[data-key=date] input");
  return date ? date.value : "";
}

/** The rule's problems in words ("" when none), as repeatProblems names them. */
function problemsOf(rule, start) {
  const found = rule ? repeatProblems({ date: start, repeat: rule }) : [];
  return [...new Set(found.map((p) => problemText(p.code)))].join(" ");
}

function build(widget) {
  const id = `rp${(counter += 1)}`;
  const freq = el("fieldset", { className: "repeat-freq" }, el("legend", { textContent: t("How often?") }),
    choice("radio", `${id}-freq`, "", t("Does not repeat"), `${id}-none`),
    choice("radio", `${id}-freq`, "daily", t("Every day"), `${id}-daily`),
    choice("radio", `${id}-freq`, "weekly", t("Every week, on chosen days"), `${id}-weekly`),
    choice("radio", `${id}-freq`, "monthly", t("Every month, on a day"), `${id}-monthly`));
  const every = numberField(`${id}-interval`, "", 1, 99);
  const days = el("fieldset", { className: "repeat-days" }, el("legend", { textContent: t("On which days?") }),
    ...weekdayNames().map((d) => choice("checkbox", `${id}-day`, d.code, d.long, `${id}-${d.code}`)));
  const monthday = numberField(`${id}-monthday`, t("On which day of the month?"), 1, 31);
  monthday.box.append(el("p", { className: "hint", textContent: t("In a shorter month, its last day.") }));
  const until = el("input", { type: "date", id: `${id}-until` });
  const count = el("input", { type: "number", id: `${id}-count`, min: "1", max: "1000", step: "1",
    inputMode: "numeric" });
  until.setAttribute("aria-label", t("End date"));
  count.setAttribute("aria-label", t("Number of times"));
  const end = el("fieldset", { className: "repeat-end" }, el("legend", { textContent: t("Ends") }),
    choice("radio", `${id}-end`, "never", t("Never"), `${id}-never`),
    choice("radio", `${id}-end`, "until", t("On a date"), `${id}-on`), until,
    choice("radio", `${id}-end`, "count", t("After a number of times"), `${id}-after`), count);
  const said = el("p", { className: "repeat-said" });
  said.setAttribute("aria-live", "polite");
  const panel = widget.querySelector(":scope > [data-repeat-panel]");
  const rest = el("div", { className: "repeat-rule" }, every.box, days, monthday.box, end);
  panel.replaceChildren(freq, rest, said);
  const button = widget.querySelector(":scope > [data-repeat-open]");
  const problem = el("p", { className: "error repeat-problem", id: `${id}-problem`, hidden: true });
  problem.setAttribute("aria-live", "polite");
  button.after(problem);
  button.setAttribute("aria-describedby", problem.id);
  return { id, panel, freq, every, days, monthday, until, count, end, said, rest, problem, button,
    hidden: widget.querySelector(":scope > input[data-type=json]"), summary: widget.querySelector("[data-repeat-summary]") };
}

const checked = (box, name) => (box.querySelector(`input[name="${name}"]:checked`) || {}).value;

/** The rule as the controls say it, or undefined for "Does not repeat". */
function readRule(ui, start) {
  const freq = checked(ui.freq, `${ui.id}-freq`);
  if (!freq) return undefined;
  const rule = { freq };
  const interval = ui.every.input.value === "" ? 1 : Number(ui.every.input.value);
  if (interval !== 1) rule.interval = interval;
  if (freq === "weekly") {
    const days = [...ui.days.querySelectorAll("input:checked")].map((c) => c.value);
    // Monday first, as RFC 5545 orders them; none chosen is said as a problem, not replaced.
    rule.byday = WEEKDAYS.filter((d) => days.includes(d));
  }
  if (freq === "monthly") {
    rule.bymonthday = ui.monthday.input.value === "" ? Number(start.slice(8, 10)) || 1 : Number(ui.monthday.input.value);
  }
  const end = checked(ui.end, `${ui.id}-end`);
  if (end === "until" && ui.until.value) rule.until = ui.until.value;
  if (end === "count") rule.count = ui.count.value === "" ? 1 : Number(ui.count.value);
  return rule;
}

/** Show a rule in the controls (and fill sensible defaults from the first day where the rule has none). */
function writeRule(ui, rule, start) {
  const freq = rule ? rule.freq : "";
  for (const r of ui.freq.querySelectorAll("input")) r.checked = r.value === (freq || "");
  ui.every.input.value = rule && rule.interval ? String(rule.interval) : "1";
  const weekday = start ? WEEKDAYS[(new Date(`${start}T12:00:00Z`).getUTCDay() + 6) % 7] : "MO";
  const byday = rule && Array.isArray(rule.byday) ? rule.byday : [weekday];
  for (const c of ui.days.querySelectorAll("input")) c.checked = byday.includes(c.value);
  ui.monthday.input.value = String((rule && rule.bymonthday) || Number(start.slice(8, 10)) || 1);
  const end = rule && rule.until ? "until" : rule && rule.count ? "count" : "never";
  for (const r of ui.end.querySelectorAll(`input[name="${ui.id}-end"]`)) r.checked = r.value === end;
  ui.until.value = (rule && rule.until) || "";
  ui.count.value = rule && rule.count ? String(rule.count) : "";
  layout(ui, rule);
}

/** Which controls apply, and the rule in words: on the button and, live, under the controls. */
function layout(ui, rule) {
  const freq = rule ? rule.freq : "";
  ui.rest.hidden = !freq;
  ui.days.hidden = freq !== "weekly";
  ui.monthday.box.hidden = freq !== "monthly";
  ui.every.box.querySelector("label").textContent = freq === "daily" ? t("Every how many days?")
    : freq === "monthly" ? t("Every how many months?") : t("Every how many weeks?");
  const end = checked(ui.end, `${ui.id}-end`);
  ui.until.hidden = end !== "until";
  ui.count.hidden = end !== "count";
}

function sayRule(ui, rule, start) {
  const words = rule ? repeatSummary({ date: start, repeat: rule }) : t("Does not repeat");
  ui.summary.textContent = words;
  ui.said.textContent = rule ? words : "";
  const problem = problemsOf(rule, start);
  ui.problem.textContent = problem;
  ui.problem.hidden = !problem;
  for (const c of ui.panel.querySelectorAll("input")) c.toggleAttribute("aria-invalid", Boolean(problem));
}

/**
 * Attach the picker to a repeat rule's hidden input (idempotent) and show its rule; `how` "toggle" also opens or
 * closes it (its button was pressed).
 */
export async function attach(input, how) {
  const widget = input.closest("[data-repeat]");
  let controller = pickers.get(widget);
  if (!controller) {
    await loadStyles();
    controller = pickers.get(widget) || make(widget);
  }
  controller.refresh();
  if (how === "toggle") controller.toggle();
  return controller;
}

function make(widget) {
  const ui = build(widget);
  let shown = null; // the JSON last shown: a save of the same rule leaves the controls as the coachee left them
  const refresh = () => {
    const text = ui.hidden.value;
    if (text === shown) return;
    shown = text;
    let rule;
    try {
      rule = text ? JSON.parse(text) : undefined;
    } catch {
      rule = undefined;
    }
    const start = startOf(widget);
    writeRule(ui, rule, start);
    sayRule(ui, rule, start);
  };
  const edited = () => {
    const start = startOf(widget);
    const rule = readRule(ui, start);
    ui.hidden.value = shown = rule ? JSON.stringify(rule) : "";
    layout(ui, rule);
    sayRule(ui, rule, start);
  };
  // Before the form's own listener (on the form, further up): it reads the hidden value this sets.
  ui.panel.addEventListener("input", edited);
  ui.panel.addEventListener("change", edited);
  // A new first day changes the words, and may make an end date come before it.
  const group = widget.closest(".when");
  if (group) {
    group.addEventListener("change", (ev) => {
      if (!ui.panel.contains(ev.target)) sayRule(ui, readRule(ui, startOf(widget)), startOf(widget));
    });
  }
  const controller = {
    refresh,
    toggle() {
      const open = ui.panel.hidden;
      ui.panel.hidden = !open;
      ui.button.setAttribute("aria-expanded", String(open));
      if (open) (ui.freq.querySelector("input:checked") || ui.freq.querySelector("input")).focus();
    },
  };
  pickers.set(widget, controller);
  widget.dataset.pickerReady = "1";
  return controller;
}
