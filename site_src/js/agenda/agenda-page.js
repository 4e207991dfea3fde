// agenda/: the agenda page (this module) and the home page's "Next up" (next-up.js).
//
// The agenda: every dated item not done, in Overdue, Today, Next 7 days, Later and No date (due/sections.js),
// each with its plan, its date in the page language, how late it is and "Check in". Redrawn after a check-in,
// here or in another tab.
//
// Speed: 5,000 entries render from one cloned <template> row each, text set with textContent, appended once per
// section as a DocumentFragment.

import { loadMessages, t } from "../core/i18n.js";
import { onPlansChanged } from "../store/store.js";
import { itemHref, lateText, loadEntries } from "../due/entries.js";
import { whenHere } from "../due/when-text.js";
import { groupAgenda, SECTIONS } from "../due/sections.js";
import { oncePerFrame } from "../core/once-per-frame.js";
import { today } from "../time/zone-day.js";

const state = { groups: null, byKey: new Map() };
let els = null;

function entryRow(entry, root, lang) {
  const li = els.template.content.firstElementChild.cloneNode(true);
  const [what, meta, button] = li.children;
  const [link, when, late] = meta.children;
  const key = `${entry.plan.id}/${entry.item.id}`;
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
  return li;
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
  const entry = state.byKey.get(button.closest("li").dataset.key);
  if (!entry) return;
  const { openCheckin } = await import("../checkin/checkin-dialog.js");
  await openCheckin(entry.plan.id, entry.item.id, { schema: entry.schema, onChange: () => refresh().catch(showError) });
}

async function moveAll() {
  const overdue = state.groups ? state.groups.overdue : [];
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
