// review/: the review since the last session (this module), its period (review-period.js) and the
// new plan it can start (review-carry-over.js).
//
// The review since the last session: what fell due in a period (by default since the latest review date of any
// plan, else the last 14 days), with each action's check-ins; three questions saved as a review; saved reviews
// reopened; "Start a new plan from this" carries the unfinished actions into a new action plan.

import { renderHistory } from "../checkin/checkin-history.js";
import { whenEntered } from "../due/when-text.js";
import { formatDate, formatDateTime, loadMessages, n, t, tp } from "../core/i18n.js";
import { loadSchema, loadSchemaIndex } from "../store/migrate.js";
import { planItems, planTitle } from "../schema/plan-items.js";
import { itemOutcome } from "../checkin/plan-stats.js";
import { expandable, occurrenceCounts } from "../repeat/habit.js";
import { repeatSummary } from "../repeat/repeat-text.js";
import { TARGET_SCHEMA, carryOver } from "./review-carry-over.js";
import { defaultPeriod, dueInPeriod, unfinished, validPeriod } from "./review-period.js";
import {
  listAllCheckins, listPlans, listReviews, newId, newPlan, onPlansChanged, savePlan, saveReview,
} from "../store/store.js";

const QUESTIONS = ["well", "obstacles", "next"];
const STATUS = {
  "on-time": () => t("Done on time"), late: () => t("Done late"), done: () => tp("passo:status", "Done"),
  "not-done": () => t("Not done"), dropped: () => t("Dropped"), open: () => t("Not due yet"),
};

const state = { entries: [], period: null, fallback: null, review: null, index: null, schemas: {} };
let els = null;

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/** Every dated item of every plan, each with its plan and its own check-ins. */
async function loadEntries() {
  const [plans, checkins, index] = await Promise.all([listPlans(), listAllCheckins(), loadSchemaIndex()]);
  state.index = index;
  const kinds = [...new Set(plans.map((p) => p.schema))];
  await Promise.all(kinds.map((id) => loadSchema(id, index).then(
    (s) => { state.schemas[id] = s; }, () => { state.schemas[id] = null; })));
  const entries = [];
  for (const plan of plans) {
    const schema = state.schemas[plan.schema];
    const log = checkins.get(plan.id) || [];
    const title = planTitle(plan, schema) || t("Untitled plan");
    for (const item of planItems(plan, schema, log)) {
      entries.push({ plan, title, item, checkins: log.filter((c) => c.item === item.id) });
    }
  }
  state.entries = entries;
}

/**
 * A repeating action's period in words: its rule, then its occurrences in the period counted ("Every day · 9
 * times in this period: 5 done, 1 partly done, 2 not done, 1 skipped").
 */
function occurrencesText(item, checkins, now) {
  const { from, to } = state.period;
  const c = occurrenceCounts(item.when, checkins, item.id, from, to, now);
  const all = c.total + c.skipped + c.dropped;
  const parts = [];
  if (c.done) parts.push(n("{n} done", "{n} done", c.done));
  if (c.partly) parts.push(n("{n} partly done", "{n} partly done", c.partly));
  if (c.notDone) parts.push(n("{n} not done", "{n} not done", c.notDone));
  if (c.skipped) parts.push(n("{n} skipped", "{n} skipped", c.skipped));
  if (c.dropped) parts.push(n("{n} dropped", "{n} dropped", c.dropped));
  if (c.due) parts.push(n("{n} not due yet", "{n} not due yet", c.due));
  const times = n("{n} time in this period", "{n} times in this period", all);
  return `${repeatSummary(item.when)} · ${times}: ${parts.join(", ")}`;
}

function itemRow(entry, now) {
  const { plan, item, checkins, title } = entry;
  const li = el("li", "review-item");
  li.dataset.item = item.id;
  const heading = el("h3", "review-item-title", item.text);
  if (plan.lang) heading.lang = plan.lang;
  li.appendChild(heading);
  const meta = el("p", "review-item-meta");
  const link = el("a", null, title);
  link.href = `${els.root.dataset.plansUrl}${encodeURIComponent(plan.schema)}/?id=${encodeURIComponent(plan.id)}`;
  if (plan.lang) link.lang = plan.lang;
  const due = item.when && expandable(item.when) ? t("From {when}", { when: whenEntered(item.when) })
    : t("Due {when}", { when: whenEntered(item.when) });
  meta.append(link, ` · ${due}`);
  li.appendChild(meta);
  if (item.when && expandable(item.when)) {
    li.appendChild(el("p", "review-item-status is-repeating", occurrencesText(item, checkins, now)));
  } else {
    const outcome = itemOutcome(item, checkins, now);
    li.appendChild(el("p", `review-item-status is-${outcome}`, (STATUS[outcome] || STATUS.open)()));
  }
  const history = el("div", "review-history");
  renderHistory(history, item, checkins, plan.lang);
  li.appendChild(history);
  return li;
}

function renderItems() {
  const now = Date.now();
  const due = dueInPeriod(state.entries, state.period);
  const frag = document.createDocumentFragment();
  for (const entry of due) frag.appendChild(itemRow(entry, now));
  els.items.replaceChildren(frag);
  const dates = { from: formatDate(state.period.from), to: formatDate(state.period.to) };
  els.count.textContent = due.length
    ? n("{n} action fell due from {from} to {to}.", "{n} actions fell due from {from} to {to}.", due.length, dates)
    : t("No action fell due from {from} to {to}.", dates);
  const open = unfinished(due);
  const canCarry = Boolean(state.index && state.index.schemas && state.index.schemas[TARGET_SCHEMA]);
  els.carry.hidden = !canCarry || !open.length;
  els.carryNone.hidden = !canCarry || !due.length || open.length > 0;
}

function showPeriod() {
  els.from.value = state.period.from;
  els.to.value = state.period.to;
  const fallback = state.fallback;
  const same = fallback && fallback.from === state.period.from && fallback.to === state.period.to;
  els.since.textContent = !same ? t("The period you chose.")
    : fallback.since === "review" ? t("Since your last review date, {date}.", { date: formatDate(fallback.from) })
      : t("No review date has passed yet: the last 14 days.");
}

function periodChanged() {
  const period = validPeriod(els.from.value, els.to.value);
  els.periodError.hidden = Boolean(period);
  els.periodError.textContent = period ? "" : t("Choose two dates, the first on or before the second.");
  for (const input of [els.from, els.to]) input.setAttribute("aria-invalid", period ? "false" : "true");
  if (!period) return;
  state.period = period;
  showPeriod();
  renderItems();
}

// ---- The questions and saved reviews ----

function fillAnswers(review) {
  state.review = review;
  for (const key of QUESTIONS) els.questions.elements[key].value = review[key] || "";
}

function freshReview() {
  return { id: newId(), created: null, updated: null, from: state.period.from, to: state.period.to,
    well: "", obstacles: "", next: "" };
}

async function save(ev) {
  ev.preventDefault();
  const now = new Date().toISOString();
  const review = { ...state.review, from: state.period.from, to: state.period.to, updated: now,
    created: state.review.created || now };
  for (const key of QUESTIONS) review[key] = els.questions.elements[key].value;
  try {
    state.review = await saveReview(review);
    els.status.textContent = t("Review saved.");
    await showSaved();
  } catch (e) {
    showError(e);
  }
}

async function showSaved() {
  const reviews = (await listReviews()).filter((r) => r && r.updated)
    .sort((a, b) => (a.updated < b.updated ? 1 : -1));
  els.savedNone.hidden = reviews.length > 0;
  const frag = document.createDocumentFragment();
  for (const r of reviews) {
    const li = el("li", "review-saved-item");
    li.dataset.id = r.id;
    const label = el("span", null, t("{from} to {to}, saved {saved}", {
      from: formatDate(r.from), to: formatDate(r.to), saved: formatDateTime(r.updated) }));
    label.id = `review-saved-${r.id}`;
    const open = el("button", "button-secondary", t("Open"));
    open.type = "button";
    open.setAttribute("aria-describedby", label.id);
    if (state.review && state.review.id === r.id) li.setAttribute("aria-current", "true"); // the one shown above
    open.addEventListener("click", () => reopen(r));
    li.append(label, " ", open);
    frag.appendChild(li);
  }
  els.saved.replaceChildren(frag);
}

function reopen(review) {
  fillAnswers(review);
  const period = validPeriod(review.from, review.to);
  if (period) state.period = period;
  showPeriod();
  renderItems();
  const dates = { from: formatDate(review.from), to: formatDate(review.to) };
  els.status.textContent = t("Review of {from} to {to} opened.", dates);
  showSaved().catch(() => {});
  els.questions.elements.well.focus();
}

function startNew() {
  state.period = { from: state.fallback.from, to: state.fallback.to };
  fillAnswers(freshReview());
  showPeriod();
  renderItems();
  els.status.textContent = t("New review started.");
  showSaved().catch(() => {});
  els.questions.elements.well.focus();
}

async function carry() {
  const open = unfinished(dueInPeriod(state.entries, state.period));
  if (!open.length) return;
  els.carry.disabled = true;
  try {
    const entry = state.index.schemas[TARGET_SCHEMA];
    const schema = state.schemas[TARGET_SCHEMA] || (await loadSchema(TARGET_SCHEMA, state.index));
    const plan = newPlan(TARGET_SCHEMA, entry.version, document.documentElement.lang || "en");
    const saved = await savePlan({ ...plan, data: carryOver(open, schema, newId) });
    location.href = `${els.root.dataset.plansUrl}${TARGET_SCHEMA}/?id=${encodeURIComponent(saved.id)}`;
  } catch (e) {
    els.carry.disabled = false;
    showError(e);
  }
}

function showError(e) {
  els.alert.replaceChildren(el("p", null,
    (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again.")));
}

async function reload() {
  await loadEntries();
  state.fallback = defaultPeriod(state.entries.map((e) => e.item), Date.now());
  renderItems();
}

export async function init() {
  const root = document.getElementById("review");
  if (!root) return;
  els = {
    root,
    from: document.getElementById("review-from"),
    to: document.getElementById("review-to"),
    since: document.getElementById("review-since"),
    periodError: document.getElementById("review-period-error"),
    items: document.getElementById("review-items"),
    count: document.getElementById("review-count"),
    carry: document.getElementById("review-carry"),
    carryNone: document.getElementById("review-carry-none"),
    questions: document.getElementById("review-questions"),
    status: document.getElementById("review-status"),
    saved: document.getElementById("review-saved"),
    savedNone: document.getElementById("review-saved-none"),
    alert: document.getElementById("review-alert"),
  };
  try {
    await loadMessages();
    await loadEntries();
    state.fallback = defaultPeriod(state.entries.map((e) => e.item), Date.now());
    state.period = { from: state.fallback.from, to: state.fallback.to };
    fillAnswers(freshReview());
    showPeriod();
    renderItems();
    await showSaved();
    // Measured goals, with their charts (results/: a module of its own, drawn after the rest of the review).
    const results = document.getElementById("review-results");
    if (results) await (await import("../results/review-measures.js")).init(results);
  } catch (e) {
    showError(e);
  } finally {
    root.setAttribute("aria-busy", "false");
    document.documentElement.dataset.reviewReady = "1";
  }
  document.getElementById("review-period").addEventListener("submit", (ev) => ev.preventDefault());
  els.from.addEventListener("change", periodChanged);
  els.to.addEventListener("change", periodChanged);
  els.questions.addEventListener("submit", save);
  document.getElementById("review-new").addEventListener("click", startNew);
  els.carry.addEventListener("click", carry);
  // A check-in here or in another tab changes what the review shows; the answers being typed stay.
  const changed = () => reload().catch(showError);
  window.addEventListener("passo:plans-changed", changed);
  onPlansChanged((msg) => (msg && msg.review ? showSaved().catch(() => {}) : changed()));
}
