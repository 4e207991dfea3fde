// One coachee's session preparation (/<lang>/coachees/?id=<key>): what needs attention, questions to open with,
// and per plan since the previous share what fell due and what happened, their notes where shared, what changed
// in the plan, the measure's chart (measure.js) and the coach's own notes; deleting the coachee.

import { formatDate, formatDateTime, n, t } from "../core/i18n.js";
import { deleteCoachee, listCoachNotes } from "../store/coach-notes.js";
import { el } from "../files/file-actions.js";
import { changesSection, outcomeText } from "../share/share-rows.js";
import { fellDue } from "./desk.js";
import { commitmentText, nameText, reasonText, sessionQuestions } from "./desk-text.js";
import { renderMeasureChart } from "./measure.js";
import { noteField } from "./notes-ui.js";
import { listOf, occurrenceShorts, repeatSummary } from "../repeat/repeat-text.js";

const $ = (id) => document.getElementById(id);

function section(id, heading, level = 2) {
  const s = el("section", { className: `coachee-section coachee-${id}` });
  s.setAttribute("aria-labelledby", `coachee-${id}-title`);
  s.append(el(`h${level}`, { id: `coachee-${id}-title`, textContent: heading }));
  return s;
}

function stateText(entry) {
  if (entry.state === "done") return t("done");
  if (entry.state === "dropped") return t("dropped");
  if (entry.state === "overdue") return t("overdue");
  return t("open");
}

function checkinText(c) {
  const parts = [`${formatDateTime(c.at)}: ${outcomeText(c.outcome)}`];
  if (c.to && c.to.date) parts.push(t("new date {date}", { date: formatDate(c.to.date) }));
  if (Number.isInteger(c.commitment)) parts.push(t("commitment {n}", { n: c.commitment }));
  return parts.join(" · ");
}

async function planSection(plan, i, row, ctx) {
  const { rec, schema } = plan;
  const s = section(`plan-${i}`, plan.title);
  const href = `${$("coachees").dataset.plansUrl}${encodeURIComponent(rec.schema)}/?shared=${encodeURIComponent(rec.id)}`;
  s.append(el("p", { className: "coachee-meta" },
    t("Shared {date}, revision {revision}.", { date: formatDateTime(rec.shared), revision: rec.revision }), " ",
    el("a", { href, textContent: t("Open the shared plan") })));
  const due = fellDue(plan, ctx.now);
  const heading = rec.previous ? t("Since the previous share: what fell due and what happened") : t("What fell due and what happened");
  s.append(el("h3", { textContent: heading }));
  if (!due.length) s.append(el("p", { className: "report-none", textContent: t("Nothing fell due.") }));
  else {
    const ul = el("ul", { className: "coachee-due" });
    for (const entry of due) {
      const rule = entry.missed ? repeatSummary(entry.item.when) : "";
      const when = rule || (entry.item.when ? formatDate(entry.item.when.date) : t("no date"));
      const state = entry.missed && entry.missed.length
        ? n("{n} missed: {days}", "{n} missed: {days}", entry.missed.length,
          { days: listOf(occurrenceShorts(entry.missed.slice(-7)), "unit") })
        : stateText(entry);
      const li = el("li", {}, el("strong", { textContent: entry.item.text }), ` · ${when} · ${state}`);
      if (entry.checkins.length) li.append(el("ul", {}, ...entry.checkins.map((c) => el("li", { textContent: checkinText(c) }))));
      ul.append(li);
    }
    s.append(ul);
  }
  const notes = plan.fresh.filter((c) => typeof c.note === "string" && c.note.trim());
  s.append(el("h3", { textContent: t("Their notes") }));
  if (notes.length) {
    s.append(el("ul", { className: "coachee-their-notes" }, ...notes.map((c) =>
      el("li", {}, el("span", { className: "coachee-note-when", textContent: `${formatDateTime(c.at)}: ` }), c.note))));
  } else {
    s.append(el("p", { className: "report-none", textContent: t("No notes shared: the coachee may leave them out of a share.") }));
  }
  if (rec.previous) s.append(changesSection(rec, schema, { id: `coachee-plan-${i}-diff`, level: 3, withCheckins: false }));
  else s.append(el("p", { className: "report-none", textContent: t("This is the first share of this plan: there is nothing to compare it with yet.") }));
  // The measure's chart, where the share carries measurements and the chart module is there to draw it.
  const chart = el("div", { className: "coachee-measure" });
  if (await renderMeasureChart(chart, rec, schema)) s.append(el("h3", { textContent: t("Measure") }), chart);
  s.append(noteField(row.key, rec.id, t("Your notes on “{title}”", { title: plan.title }), ctx.notes));
  return s;
}

async function askDelete(row) {
  const dialog = $("coachee-delete");
  const name = nameText(row);
  const count = (await listCoachNotes()).filter((x) => x.coachee === row.key).length;
  dialog.querySelector("h2").textContent = t("Delete {name}?", { name });
  const plans = n("{n} shared plan", "{n} shared plans", row.plans.length);
  const notes = n("{n} of your notes", "{n} of your notes", count);
  dialog.querySelector(".coachee-delete-what").textContent = t(
    "This removes from this device {plans} ({titles}) and {notes} on them. Files they sent you stay where they are.",
    { plans, titles: row.plans.map((p) => p.title).join("; "), notes });
  dialog.onclose = async () => {
    if (dialog.returnValue !== "delete") return;
    const view = $("coachee");
    try {
      const out = await deleteCoachee(row.key, row.plans.map((p) => p.rec.id));
      const gone = n("{n} shared plan", "{n} shared plans", out.shared);
      const goneNotes = n("{n} of your notes", "{n} of your notes", out.notes);
      const done = el("p", { className: "coachee-deleted", role: "status",
        textContent: t("Deleted {name}: {plans} and {notes}.", { name, plans: gone, notes: goneNotes }) });
      view.replaceChildren(done, el("p", {}, el("a", { href: "./", textContent: t("All coachees") })));
      $("coachees-title").textContent = t("Coachees");
      done.tabIndex = -1;
      done.focus();
    } catch (e) {
      $("coachees-alert").textContent = (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again.");
    }
  };
  dialog.returnValue = "";
  dialog.showModal();
}

/** Fill #coachee with row's session preparation (row from desk.js coacheeRow; null: no such coachee here). */
export async function showCoachee(row, { notes, schemas }) {
  const view = $("coachee");
  view.hidden = false;
  for (const x of document.querySelectorAll("[data-overview]")) x.hidden = true;
  const back = el("p", { className: "coachee-back" }, el("a", { href: "./", textContent: t("All coachees") }));
  if (!row) {
    view.replaceChildren(el("p", { textContent: t("This coachee is not on this device (any more).") }), back);
    return;
  }
  const ctx = { notes, schemas, now: Date.now() };
  const name = nameText(row);
  $("coachees-title").textContent = name;
  const page = t("Coachees");
  document.title = `${name.slice(0, 60)} · ${page}`;
  const meta = el("p", { className: "coachee-meta", textContent: t("Latest share {date}.", { date: formatDateTime(row.latest) }) });
  const parts = [back, meta];
  const names = row.names.filter(Boolean);
  if (names.length > 1) {
    parts.push(el("p", { className: "coachee-names", textContent: t(
      "Shared under more than one name ({names}): the same coachee, since every share carries the same coachee key.",
      { names: names.join(", ") }) }));
  }
  const attention = section("attention", t("Needs attention"));
  if (row.reasons.length) attention.append(el("ul", { className: "coachee-reasons" }, ...row.reasons.map((r) => el("li", { textContent: reasonText(r) }))));
  else attention.append(el("p", { textContent: t("Nothing needs attention.") }));
  if (row.commitment) {
    attention.append(el("p", { textContent: t("Latest commitment: {text}, for “{item}”.",
      { text: commitmentText(row.commitment), item: row.commitment.item.text }) }));
  }
  const questions = section("questions", t("Questions to open with"));
  questions.append(el("p", { className: "coachee-help", textContent: t("Drawn from what happened since the previous share. Questions, not answers: the coachee finds their own.") }),
    el("ol", { className: "coachee-questions" }, ...sessionQuestions(row).map((q) => el("li", { textContent: q }))));
  const own = section("notes", t("Your notes"));
  own.append(noteField(row.key, null, t("Your notes on {name}", { name }), notes));
  parts.push(attention, questions, own);
  for (let i = 0; i < row.plans.length; i += 1) parts.push(await planSection(row.plans[i], i, row, ctx));
  const del = el("button", { type: "button", className: "button-danger", textContent: t("Delete this coachee") });
  del.addEventListener("click", () => askDelete(row).catch(() => {
    $("coachees-alert").textContent = t("Something went wrong. Try again.");
  }));
  parts.push(el("div", { className: "plan-buttons coachee-delete-row" }, del));
  view.replaceChildren(...parts);
}
