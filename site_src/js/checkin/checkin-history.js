// One dated item's history as the coachee and the coach read it: each check-in (what happened, when, the note,
// the commitment, a move from one date to another) and the commitment over time as a chart with a table.
// Used under each item of the plan page and in the review. Every stored text is set with textContent.

import { renderCommitmentHistory } from "../charts/charts.js";
import { formatDateTime, t, tp } from "../core/i18n.js";
import { whenEntered } from "../due/when-text.js";
import { today } from "../time/zone-day.js";
import { expandable } from "../repeat/habit.js";
import { occurrenceName } from "../repeat/repeat-text.js";
import { renderHabit } from "./habit-strip.js";

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/** An outcome in words. */
export function outcomeText(outcome) {
  const words = {
    done: tp("passo:status", "Done"), partly: t("Partly done"), "not-done": t("Not done"), dropped: t("Dropped"),
    moved: t("Moved"), skipped: t("Skipped"),
  };
  return words[outcome] || String(outcome || "");
}

function checkinRow(c, lang) {
  const li = el("li", "checkin");
  const head = el("p", "checkin-head");
  head.appendChild(el("strong", "checkin-outcome", outcomeText(c.outcome)));
  if (c.occurrence) head.append(` · ${occurrenceName(c.occurrence)}`); // which day of a repeating action
  head.append(" · ");
  const at = el("time", null, formatDateTime(c.at));
  at.dateTime = c.at || "";
  head.appendChild(at);
  li.appendChild(head);
  if (c.from || c.to) {
    const dates = { from: whenEntered(c.from) || "–", to: whenEntered(c.to) || "–" };
    const words = c.plan_b ? t("Moved to plan B: from {from} to {to}", dates) : t("Moved from {from} to {to}", dates);
    li.appendChild(el("p", "checkin-move", words));
  }
  if (Number.isInteger(c.commitment)) {
    li.appendChild(el("p", "checkin-commitment", t("Commitment: {value}/10", { value: c.commitment })));
  }
  if (c.note) {
    const note = el("p", "checkin-note", c.note);
    if (lang) note.lang = lang;
    li.appendChild(note);
  }
  return li;
}

/**
 * The item's history: a list of its check-ins, oldest first, then its commitment over time when it was asked
 * at least twice. item: {text, commitment, when}; lang: the plan's language (for the notes).
 */
export function renderHistory(container, item, checkins, lang) {
  container.replaceChildren();
  if (item.when && expandable(item.when)) renderHabit(container, item, checkins, lang);
  if (!checkins.length) {
    container.appendChild(el("p", "checkin-none", t("No check-ins yet.")));
    return;
  }
  const list = el("ol", "checkin-list");
  for (const c of checkins) list.appendChild(checkinRow(c, lang));
  container.appendChild(list);
  const tz = item.when && item.when.tz;
  const points = checkins.filter((c) => Number.isInteger(c.commitment) && Number.isFinite(Date.parse(c.at)))
    .map((c) => ({ date: today(Date.parse(c.at), tz), value: c.commitment }));
  // A trend needs two answers; a single one is already in words above.
  if (points.length > 1) {
    const chart = el("div", "checkin-chart");
    container.appendChild(chart);
    renderCommitmentHistory(chart, points, t("Commitment over time: {action}", { action: item.text || "" }));
  }
}
