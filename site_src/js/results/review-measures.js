// The review's "Results": each plan whose goal is measured, with its chart, what it says, and "Where is it now?",
// so the coachee brings the numbers to the session. Loaded by review-page.js; redrawn after every change.

import { t } from "../core/i18n.js";
import { loadSchema, loadSchemaIndex } from "../store/migrate.js";
import { listPlans, onPlansChanged } from "../store/store.js";
import { planTitle } from "../schema/plan-items.js";
import { goalOf, measurementsOf, recordableGroups } from "../measure/measure-core.js";
import { oncePerFrame } from "../core/once-per-frame.js";
import { renderMeasureChart } from "./measure-chart.js";
import { deviceZone } from "./measure-dialog.js";

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

async function render(root, list, plansUrl) {
  const [plans, index] = await Promise.all([listPlans(), loadSchemaIndex()]);
  const schemas = {};
  await Promise.all([...new Set(plans.map((p) => p.schema))].map((id) =>
    loadSchema(id, index).then((s) => { schemas[id] = s; }, () => {})));
  const zone = deviceZone();
  const items = [];
  for (const plan of plans) {
    const schema = schemas[plan.schema];
    if (!schema) continue;
    for (const group of recordableGroups(plan, schema)) {
      const goal = goalOf(plan, group);
      const li = el("li", { className: "measure" });
      li.dataset.measure = group.pointer;
      li.dataset.plan = plan.id;
      const link = el("a", { href: `${plansUrl}${encodeURIComponent(plan.schema)}/?id=${encodeURIComponent(plan.id)}`,
        textContent: planTitle(plan, schema) || t("Untitled plan") });
      const heading = el("h3", {}, link);
      const metric = el("p", { className: "measure-metric", textContent: goal.metric });
      if (plan.lang) {
        heading.lang = plan.lang;
        metric.lang = plan.lang;
      }
      const chart = el("div", { className: "measure-chart" });
      const model = renderMeasureChart(chart, { goal, created: plan.created, measurements: measurementsOf(plan, group.pointer), zone });
      li.dataset.standing = model.standing || "";
      const button = el("button", { type: "button", className: "measure-add secondary", textContent: t("Where is it now?") });
      // Which plan: the button's text alone is the same for every goal.
      button.setAttribute("aria-label", t("Where is it now? {metric}", { metric: goal.metric }));
      button.addEventListener("click", async () => {
        const { openMeasure } = await import("./measure-dialog.js");
        const saved = await openMeasure({ plan, group, goal, schema });
        if (saved) {
          await render(root, list, plansUrl);
          const again = list.querySelector(`li[data-plan="${CSS.escape(plan.id)}"][data-measure="${CSS.escape(group.pointer)}"]`);
          const words = again && again.querySelector(".measure-standing");
          root.querySelector(".measure-status").textContent = t("Saved. {standing}", { standing: words ? words.textContent : "" });
          (again ? again.querySelector("button.measure-add") : root).focus();
        } else {
          button.focus();
        }
      });
      li.append(heading, metric, chart, button);
      items.push(li);
    }
  }
  list.replaceChildren(...items);
  root.hidden = !items.length;
}

/** Fill the review's results section (`root`, holding a list and a status line) and keep it current. */
export async function init(root) {
  const list = root.querySelector("ol, ul");
  const plansUrl = root.dataset.plansUrl || "";
  const again = oncePerFrame(() => render(root, list, plansUrl).catch(() => {}));
  window.addEventListener("passo:plans-changed", again);
  onPlansChanged(again);
  try {
    await render(root, list, plansUrl);
  } finally {
    root.dataset.ready = "1";
  }
}
