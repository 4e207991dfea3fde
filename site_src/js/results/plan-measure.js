// On the plan page, under each measured group (the action plan's goal): the chart, what it says, and "Where is it
// now?". Also a shared plan's chart on the coach's device (read-only). Loaded by app.js once the plan is saved;
// the chart's styles (charts.css) load with the first chart, so a new form carries none of this.

import { loadMessages, t } from "../core/i18n.js";
import { loadSchema } from "../store/migrate.js";
import { getPlan, onPlansChanged } from "../store/store.js";
import { goalOf, measurableGroups, measurementsOf } from "../measure/measure-core.js";
import { oncePerFrame } from "../core/once-per-frame.js";
import { renderMeasureChart } from "./measure-chart.js";
import { deviceZone } from "./measure-dialog.js";

const sections = new Map(); // group pointer -> its section, reused so focus and the live region survive redraws
let styled = null;

export function chartStyles(page) {
  if (!styled) {
    const href = page.dataset.chartsCss;
    if (!href) return Promise.resolve();
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    styled = new Promise((resolve) => {
      link.onload = resolve;
      link.onerror = resolve;
    });
    // The page may have it already (plan-history.js adds it too): a second link costs nothing, it is cached.
    document.head.append(link);
  }
  return styled;
}

/** The form's fieldset of the group at `pointer` ("/goal"), or null. */
function groupElement(formEl, pointer) {
  let at = formEl;
  for (const key of pointer.split("/").slice(1)) {
    const k = key.replace(/~1/g, "/").replace(/~0/g, "~");
    at = at && [...at.querySelectorAll('[data-kind="object"]')].find((f) => f.dataset.key === k);
  }
  return at === formEl ? null : at;
}

function section(group, index) {
  let box = sections.get(group.pointer);
  if (!box) {
    const id = `measure-${index}`;
    box = document.createElement("section");
    box.className = "measure";
    box.dataset.measure = group.pointer;
    box.setAttribute("aria-labelledby", `${id}-title`);
    const title = Object.assign(document.createElement("h3"), { id: `${id}-title` });
    const chart = Object.assign(document.createElement("div"), { className: "measure-chart" });
    const status = Object.assign(document.createElement("p"), { className: "measure-status" });
    status.setAttribute("role", "status");
    box.append(title, chart, status);
    sections.set(group.pointer, box);
  }
  return box;
}

/**
 * Draw the measured groups of `plan` after their fieldsets in `formEl`; with a button "Where is it now?" unless
 * readOnly (a shared plan). A group whose metric is not written yet shows nothing: there is nothing to measure.
 */
export async function showMeasures(page, formEl, plan, schema, { readOnly = false } = {}) {
  const groups = measurableGroups(schema);
  const zone = deviceZone();
  let drawn = false;
  groups.forEach((group, i) => {
    const goal = goalOf(plan, group);
    const home = groupElement(formEl, group.pointer);
    const box = section(group, i);
    if (!goal.metric || !home) {
      box.remove();
      return;
    }
    drawn = true;
    const [title, chart] = box.children;
    title.textContent = t("Progress: {metric}", { metric: goal.metric });
    if (plan.lang) title.lang = plan.lang;
    const model = renderMeasureChart(chart, { goal, created: plan.created, measurements: measurementsOf(plan, group.pointer), zone });
    box.dataset.standing = model.standing || "";
    box.dataset.count = String(measurementsOf(plan, group.pointer).length);
    if (!readOnly && !box.querySelector("button.measure-add")) {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "measure-add secondary" });
      button.textContent = t("Where is it now?");
      button.addEventListener("click", () => measure(page, plan.id, group, schema, box));
      box.append(button);
    }
    if (home.nextElementSibling !== box) home.after(box);
  });
  if (drawn) await chartStyles(page);
}

async function measure(page, planId, group, schema, box) {
  // What was just typed (the metric, the target) is saved first, so the dialog asks about the plan as shown.
  const waits = [];
  document.dispatchEvent(new CustomEvent("passo:flush", { detail: { waitUntil: (p) => waits.push(p) } }));
  await Promise.allSettled(waits);
  const plan = await getPlan(planId);
  if (!plan) return;
  const { openMeasure } = await import("./measure-dialog.js");
  const saved = await openMeasure({ plan, group, goal: goalOf(plan, group), schema });
  const button = box.querySelector("button.measure-add");
  if (saved) {
    await showMeasures(page, document.getElementById("plan-form"), saved, schema);
    const words = box.querySelector(".measure-standing");
    box.querySelector(".measure-status").textContent = t("Saved. {standing}", { standing: words ? words.textContent : "" });
  }
  if (button) button.focus();
}

export async function init() {
  const page = document.querySelector("[data-plan-page]");
  const formEl = document.getElementById("plan-form");
  if (!page || !formEl) return;
  await loadMessages();
  const schema = await loadSchema(page.dataset.schema).catch(() => null);
  if (!schema || !measurableGroups(schema).length) return;
  const render = async () => {
    const id = new URL(location.href).searchParams.get("id");
    const plan = id ? await getPlan(id) : null;
    if (!plan || plan.schema !== schema.$id || page.dataset.saveState === "idle") return;
    await showMeasures(page, formEl, plan, schema);
  };
  const again = oncePerFrame(() => render().catch(() => {}));
  window.addEventListener("passo:plans-changed", again);
  onPlansChanged(again);
  // The form redraws (another tab's version shown): put the sections back under their groups.
  new MutationObserver(() => { for (const box of sections.values()) if (!box.isConnected) again(); })
    .observe(formEl, { childList: true, subtree: true });
  try {
    await render();
  } finally {
    page.dataset.measureReady = "1";
  }
}
