// "Check in" beside each dated item on the plan page (checkin-dialog.js). The buttons follow their items when
// the form redraws (a list reordered, a check-in shown); an address ending in #checkin-<item id> (the agenda's
// links) scrolls to that item.

import { loadMessages, t } from "../core/i18n.js";
import { loadSchema } from "../store/migrate.js";
import { planItems } from "../schema/plan-items.js";
import { getPlan, listCheckins } from "../store/store.js";
import { oncePerFrame } from "../core/once-per-frame.js";
import { itemElement } from "./item-element.js";
import { agendaParts, expandable } from "../repeat/habit.js";
import { today } from "../time/zone-day.js";

const buttons = new Map(); // item id -> its button, kept so focus and listeners survive redraws

/** Put each button at the end of its item's legend row; idempotent, so redraws may call it as often as they like. */
function place(form) {
  for (const [id, button] of buttons) {
    const home = itemElement(form, id);
    if (!home) {
      button.remove();
      continue;
    }
    const anchor = home.querySelector(":scope > legend") || home.firstElementChild;
    if (button.parentElement !== home || button.previousElementSibling !== anchor) anchor.after(button);
  }
}

/**
 * The occurrence a repeating item's "Check in" is for: today's, else the latest missed one, else the next; null
 * for an item that does not repeat.
 */
async function occurrenceNow(planId, itemId) {
  const plan = await getPlan(planId);
  const schema = plan && (await loadSchema(plan.schema).catch(() => null));
  const checkins = plan ? await listCheckins(planId) : [];
  const item = plan && planItems(plan, schema, checkins).find((i) => i.id === itemId);
  if (!item || !item.when || !expandable(item.when)) return null;
  const now = Date.now();
  const { missed, next } = agendaParts(item.when, checkins, itemId, now);
  if (next && next === today(now, item.when.tz)) return [next];
  if (missed.length) return [missed[missed.length - 1]];
  return next ? [next] : null;
}

// -- the form's repeat picker (repeat/repeat-picker.js): loaded here, beside the check-ins, once a rule is shown or
// a "Repeat" button pressed, so that the plan form's first visit carries none of it (a new plan loads this module
// with its first save, before it has an action to repeat). --

let picker = null;

function repeatPicker(input, how) {
  if (!how && !picker) return;
  (picker ||= import("../repeat/repeat-picker.js")).then((m) => m.attach(input, how)).catch(() => {});
}

/** Show each rule the form holds (a plan opened, or changed in another tab). */
function showRules(form) {
  for (const input of form.querySelectorAll("input[data-type=json]")) repeatPicker(input, Boolean(input.value));
}

// -- end of the repeat picker --

export async function init() {
  const page = document.querySelector("[data-plan-page]");
  const form = document.getElementById("plan-form");
  // Once: app.js starts it with a new plan's first save, plan-page.js when "Repeat" is pressed before that.
  if (!page || !form || page.dataset.checkinStarted) return;
  page.dataset.checkinStarted = "1";
  form.addEventListener("click", (e) => {
    const open = e.target.closest("[data-repeat-open]");
    if (open) repeatPicker(open.previousElementSibling, "toggle");
  });
  await loadMessages();
  showRules(form);
  let schema = null;

  async function render() {
    const id = new URL(location.href).searchParams.get("id");
    const plan = id ? await getPlan(id) : null;
    if (!plan || page.dataset.saveState === "idle") return; // nothing saved yet, or shown read-only
    showRules(form);
    schema = schema || (await loadSchema(plan.schema).catch(() => null));
    const items = planItems(plan, schema, await listCheckins(plan.id));
    const live = new Set();
    for (const item of items) {
      if (item.done || item.dropped) continue;
      live.add(item.id);
      if (!buttons.has(item.id)) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "plan-checkin secondary";
        b.id = `checkin-${item.id}`;
        b.dataset.item = item.id;
        b.addEventListener("click", () => checkIn(plan.id, item.id).catch(() => {}));
        buttons.set(item.id, b);
      }
      const b = buttons.get(item.id);
      b.textContent = t("Check in");
      // Which item: the button's name alone would be the same for every action.
      b.setAttribute("aria-label", t("Check in: {item}", { item: item.text }));
    }
    for (const [itemId, b] of buttons) {
      if (!live.has(itemId)) {
        b.remove();
        buttons.delete(itemId);
      }
    }
    place(form);
  }

  async function checkIn(planId, itemId) {
    // What was just typed is saved first, so the check-in applies to the plan as the coachee sees it.
    const waits = [];
    document.dispatchEvent(new CustomEvent("passo:flush", { detail: { waitUntil: (p) => waits.push(p) } }));
    await Promise.allSettled(waits);
    const { openCheckin } = await import("./checkin-dialog.js");
    await openCheckin(planId, itemId, { schema, onChange: () => {}, occurrences: await occurrenceNow(planId, itemId) });
  }

  new MutationObserver(() => place(form)).observe(form, { childList: true, subtree: true });
  const again = oncePerFrame(() => render().catch(() => {}));
  window.addEventListener("passo:plans-changed", again);
  form.addEventListener("change", again); // a date given to a new action makes it dated
  await render().catch(() => {});
  const target = decodeURIComponent(location.hash.replace(/^#checkin-/, ""));
  if (location.hash.startsWith("#checkin-") && buttons.has(target)) {
    const home = itemElement(form, target);
    (home || buttons.get(target)).scrollIntoView({ block: "start" });
    buttons.get(target).focus({ preventScroll: true });
  }
  page.dataset.checkinReady = "1";
  // Following a plan through includes its measured goal: the chart and "Where is it now?" load at the same moment
  // (a saved plan), so the form's first visit carries none of it.
  import("../results/plan-measure.js").then((m) => m.init()).catch(() => {});
}
