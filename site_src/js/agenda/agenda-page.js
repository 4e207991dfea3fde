// agenda/: the agenda page (this module) and the home page's "Next up" (next-up.js).
//
// The agenda: every dated item not done, in Overdue, Today, Next 7 days, Later and No date (due/sections.js),
// each with its plan, its date in the page language, how late it is and "Check in". Redrawn after a check-in,
// here or in another tab.
//
// Speed: 5,000 entries render from one cloned <template> row each, text set with textContent, appended once per
// section as a DocumentFragment.

import { formatDate, loadMessages, n, t } from "../core/i18n.js";
import { onPlansChanged } from "../store/store.js";
import { itemHref, lateText, loadEntries } from "../due/entries.js";
import { whenHere } from "../due/when-text.js";
import { groupAgenda, SECTIONS } from "../due/sections.js";
import { oncePerFrame } from "../core/once-per-frame.js";
import { today } from "../time/zone-day.js";
import { listOf, occurrenceName, occurrenceShorts, repeatSummary } from "../repeat/repeat-text.js";

const state = { groups: null, byKey: new Map() };
let els = null;

function entryRow(entry, root, lang) {
  const li = els.template.content.firstElementChild.cloneNode(true);
  const [what, meta, button] = li.children;
  const [link, when, late] = meta.children;
  const key = `${entry.plan.id}/${entry.item.id}/${entry.missed ? "missed" : entry.occurrence || ""}`;
  const id = `agenda-${state.byKey.size}`;
  state.byKey.set(key, entry);
  li.dataset.key = key;
  what.id = id;
  what.textContent = entry.item.text;
  link.textContent = entry.title || t("Untitled plan");
  if (entry.plan.lang) {
    what.lang = entry.plan.lang;
    link.lang = entry.plan.lang;
  }
  link.href = itemHref(root, lang, entry.plan, entry.item.id);
  when.textContent = whenHere(entry.when);
  const lateness = lateText(entry.late);
  if (lateness) late.textContent = lateness;
  else late.remove();
  button.setAttribute("aria-describedby", id);
  if (entry.rule) repeatParts(entry, li, meta, button, id);
  return li;
}

// A repeating item's missed ones are shown by date up to this many (the latest); a longer run is summed up.
const MISSED_SHOWN = 7;
const SINCE = { day: "numeric", month: "long" };

/** A repeating item's row: its rule, or the occurrence it was moved from, or its missed occurrences (each a button). */
function repeatParts(entry, li, meta, button, id) {
  const line = document.createElement("p");
  line.className = "agenda-repeat";
  li.classList.add("is-repeating");
  if (entry.movedFrom) {
    line.textContent = t("Moved from {date}", { date: occurrenceName(entry.movedFrom) });
  } else if (entry.missed) {
    const { missed } = entry;
    const recent = missed.slice(-MISSED_SHOWN);
    line.textContent = missed.length > MISSED_SHOWN
      ? n("{n} missed since {date}", "{n} missed since {date}", missed.length, { date: formatDate(missed[0], SINCE) })
      : n("{n} missed: {days}", "{n} missed: {days}", missed.length, { days: listOf(occurrenceShorts(recent), "unit") });
    const days = document.createElement("ul");
    days.className = "agenda-missed";
    days.setAttribute("aria-label", t("Check in one missed day"));
    const shorts = occurrenceShorts(recent);
    for (const [i, date] of recent.entries()) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "agenda-occurrence button-secondary";
      b.dataset.checkin = "";
      b.dataset.occurrence = date;
      b.textContent = shorts[i];
      b.setAttribute("aria-label", t("Check in: {date}", { date: occurrenceName(date) }));
      b.setAttribute("aria-describedby", id);
      const item = document.createElement("li");
      item.append(b);
      days.append(item);
    }
    li.classList.add("is-missed");
    button.dataset.all = "";
    button.textContent = missed.length > 1 ? n("Check in all {n}", "Check in all {n}", missed.length) : t("Check in");
    // One missed day: the row's own "Check in" is for it, so no second button says the same.
    if (missed.length > 1) meta.after(line, days);
    else meta.after(line);
    return;
  } else {
    line.textContent = repeatSummary(entry.rule);
  }
  meta.after(line);
}

function render(entries) {
  const html = document.documentElement;
  const root = html.dataset.root || "./";
  const lang = html.lang || "en";
  state.byKey.clear();
  state.groups = groupAgenda(entries, Date.now());
  let total = 0;
  for (const key of SECTIONS) {
    const section = els.sections[key];
    const list = state.groups[key];
    total += list.length;
    const frag = document.createDocumentFragment();
    for (const entry of list) frag.appendChild(entryRow(entry, root, lang));
    section.querySelector(".agenda-list").replaceChildren(frag);
    section.querySelector(".agenda-count").textContent = list.length ? `(${list.length})` : "";
    section.hidden = !list.length;
  }
  els.empty.hidden = total > 0;
  html.dataset.agendaCount = String(total);
  performance.mark("passo:agenda-rendered"); // for bench/ and the browser's performance panel
}

let generation = 0;

async function refresh() {
  // Reads can finish out of order (a check-in right after another): only the latest one is drawn.
  const mine = ++generation;
  const entries = await loadEntries();
  if (mine !== generation) return;
  render(entries);
  import("../due/app-badge.js").then((b) => b.updateBadge()).catch(() => {});
}

function showError(e) {
  const p = document.createElement("p");
  p.textContent = (e && e.name === "StorageError" && e.message) || e.message || String(e);
  els.alert.replaceChildren(p);
}

/** After a check-in the entry may leave its section: focus goes to the status line's Undo (checkin-dialog.js). */
async function checkIn(button) {
  const entry = state.byKey.get(button.closest("li.agenda-entry").dataset.key);
  if (!entry) return;
  const { openCheckin } = await import("../checkin/checkin-dialog.js");
  // A repeating item's row checks in occurrences: the one shown, one missed day, or all the missed ones.
  const occurrences = button.dataset.occurrence ? [button.dataset.occurrence]
    : entry.missed && "all" in button.dataset ? entry.missed : entry.occurrence ? [entry.occurrence] : null;
  await openCheckin(entry.plan.id, entry.item.id, { schema: entry.schema, occurrences,
    onChange: () => refresh().catch(showError) });
}

async function moveAll() {
  // A repeating item's occurrences keep their own dates: its rule stays, so "Move all" leaves them.
  const overdue = state.groups ? state.groups.overdue.filter((e) => !e.rule) : [];
  if (!overdue.length) return;
  const { openMoveAll } = await import("../checkin/checkin-dialog.js");
  await openMoveAll(overdue, { today: today(Date.now()), onChange: () => refresh().catch(showError) });
}

export async function init() {
  const page = document.getElementById("agenda");
  if (!page) return;
  els = {
    template: document.getElementById("agenda-entry"),
    empty: document.getElementById("agenda-empty"),
    loading: document.getElementById("agenda-loading"),
    alert: document.getElementById("agenda-alert"),
    sections: Object.fromEntries([...page.querySelectorAll("[data-section]")].map((s) => [s.dataset.section, s])),
  };
  page.addEventListener("click", (ev) => {
    const b = ev.target.closest("button");
    if (!b) return;
    if (b.hasAttribute("data-checkin")) checkIn(b).catch(showError);
    else if (b.hasAttribute("data-move-all")) moveAll().catch(showError);
  });
  // Another tab's check-in or edit: redraw once per frame, however many messages arrive.
  const again = oncePerFrame(() => refresh().catch(showError));
  onPlansChanged(again);
  window.addEventListener("pageshow", (ev) => ev.persisted && again());
  try {
    await loadMessages();
    await refresh();
  } catch (e) {
    showError(e);
  } finally {
    els.loading.hidden = true;
    page.setAttribute("aria-busy", "false");
    document.documentElement.dataset.agendaReady = "1";
  }
}
