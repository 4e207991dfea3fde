// The plan page's history: under each dated item that has check-ins, a disclosure "History (n)" with what
// happened (checkin-history.js). Kept up to date after a check-in here or in another tab, and put back when the
// form redraws its items (a list reordered, the other tab's version shown). The drawing (checkin-history.js,
// charts.js and their styles) loads only once a plan has check-ins: a new form carries none of it.

import { loadSchema } from "../store/migrate.js";
import { n } from "../core/i18n.js";
import { planItems } from "../schema/plan-items.js";
import { getPlan, listCheckins, onPlansChanged } from "../store/store.js";
import { oncePerFrame } from "../core/once-per-frame.js";
import { itemElement } from "./item-element.js";

let drawing = null;

/** checkin-history.js, with the page's history and chart styles, loaded once. */
function loadDrawing(page) {
  if (!drawing) {
    for (const href of [page.dataset.chartsCss, page.dataset.historyCss]) {
      if (!href) continue;
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    }
    drawing = import("./checkin-history.js");
  }
  return drawing;
}

const blocks = new Map(); // item id -> its <details>, reused so an open disclosure stays open

function block(item, checkins, lang, renderHistory) {
  let details = blocks.get(item.id);
  if (!details) {
    details = document.createElement("details");
    details.className = "item-history";
    details.dataset.historyFor = item.id;
    details.append(document.createElement("summary"), document.createElement("div"));
    blocks.set(item.id, details);
  }
  details.firstElementChild.textContent = n("History ({n} check-in)", "History ({n} check-ins)", checkins.length);
  renderHistory(details.lastElementChild, item, checkins, lang);
  // A repeating action's score shows while the history is closed: "History (11 check-ins) · Done 9 of the last 12".
  const count = details.lastElementChild.querySelector(".habit-count");
  if (count) details.firstElementChild.textContent += ` · ${count.textContent}`;
  return details;
}

/** Put each block where its item is now; idempotent, so the form's redraws can call it as often as they like. */
function place(form) {
  for (const [id, details] of blocks) {
    const home = itemElement(form, id);
    if (home && details.parentElement !== home) home.appendChild(details);
    else if (!home && details.isConnected) details.remove();
  }
}

export async function init() {
  const page = document.querySelector("[data-plan-page]");
  const form = document.getElementById("plan-form");
  const id = new URL(location.href).searchParams.get("id");
  if (!page || !form) return;
  let planId = id;
  let schema = null;

  async function render() {
    planId = planId || new URL(location.href).searchParams.get("id");
    const plan = planId ? await getPlan(planId) : null;
    if (!plan) return;
    schema = schema || (await loadSchema(plan.schema).catch(() => null));
    const checkins = await listCheckins(plan.id);
    const items = planItems(plan, schema, checkins);
    // A repeating action shows its habit strip from its first day, check-ins or not.
    const repeating = items.some((i) => i.repeats && i.when && i.when.repeat);
    if (!checkins.length && !blocks.size && !repeating) return;
    const { renderHistory } = await loadDrawing(page);
    const seen = new Set();
    for (const item of items) {
      const own = checkins.filter((c) => c.item === item.id);
      if (!own.length && !(item.repeats && item.when && item.when.repeat)) continue;
      seen.add(item.id);
      block(item, own, plan.lang, renderHistory);
    }
    for (const [itemId, details] of blocks) {
      if (!seen.has(itemId)) {
        details.remove();
        blocks.delete(itemId);
      }
    }
    place(form);
  }

  const again = oncePerFrame(() => render().catch(() => {}));
  const mine = (msg) => msg && (msg.erased || msg.id === planId || !planId);
  window.addEventListener("passo:plans-changed", (ev) => mine(ev.detail) && again());
  onPlansChanged((msg) => mine(msg) && again());
  new MutationObserver(() => place(form)).observe(form, { childList: true, subtree: true });
  try {
    await render();
  } finally {
    page.dataset.historyReady = "1";
  }
}
