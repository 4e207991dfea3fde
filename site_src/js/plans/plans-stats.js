// My plans: each plan's actions done on time, late, not done (rules: plan-stats.js). It watches the list, so a
// row drawn or redrawn for any reason gets its line.

import { n } from "../core/i18n.js";
import { loadSchema, loadSchemaIndex } from "../store/migrate.js";
import { planItems } from "../schema/plan-items.js";
import { planStats } from "../checkin/plan-stats.js";
import { getPlan, listAllCheckins, listCheckins, listPlans, onPlansChanged } from "../store/store.js";

const known = new Map(); // plan id -> {plan, checkins}
const schemas = {};
let index = null;

async function schemaOf(id) {
  if (!(id in schemas)) schemas[id] = await loadSchema(id, index).catch(() => null);
  return schemas[id];
}

/** The line for one plan, or "" when none of its actions is due yet. */
function statsText(c) {
  const parts = [];
  if (c.onTime) parts.push(n("{n} done on time", "{n} done on time", c.onTime));
  if (c.late) parts.push(n("{n} done late", "{n} done late", c.late));
  if (c.done) parts.push(n("{n} done, date not recorded", "{n} done, dates not recorded", c.done));
  if (c.notDone) parts.push(n("{n} not done", "{n} not done", c.notDone));
  if (parts.length && c.dropped) parts.push(n("{n} dropped", "{n} dropped", c.dropped));
  if (parts.length && c.skipped) parts.push(n("{n} skipped", "{n} skipped", c.skipped));
  return parts.join(" · ");
}

function fill(row) {
  const entry = known.get(row.dataset.id);
  let line = row.querySelector(".plan-stats");
  const text = entry ? statsText(planStats(planItems(entry.plan, schemas[entry.plan.schema], entry.checkins),
    entry.checkins, Date.now())) : "";
  if (!text) {
    if (line) line.remove();
    return;
  }
  if (!line) {
    line = document.createElement("p");
    line.className = "plan-stats";
    (row.querySelector(".plan-progress") || row.firstElementChild).after(line);
  }
  line.textContent = text;
}

async function refresh(id, list) {
  const plan = await getPlan(id);
  if (!plan) {
    known.delete(id);
    return;
  }
  await schemaOf(plan.schema);
  known.set(id, { plan, checkins: await listCheckins(id) });
  const row = list.querySelector(`li.plan[data-id="${CSS.escape(id)}"]`);
  if (row) fill(row);
}

export async function init() {
  const list = document.getElementById("plan-list");
  if (!list) return;
  index = await loadSchemaIndex().catch(() => null);
  const [plans, checkins] = await Promise.all([listPlans(), listAllCheckins()]);
  await Promise.all([...new Set(plans.map((p) => p.schema))].map(schemaOf));
  for (const plan of plans) known.set(plan.id, { plan, checkins: checkins.get(plan.id) || [] });
  for (const row of list.querySelectorAll("li.plan")) fill(row);
  new MutationObserver((records) => {
    for (const r of records) for (const node of r.addedNodes) if (node.matches && node.matches("li.plan")) fill(node);
  }).observe(list, { childList: true });
  const changed = (msg) => msg && msg.id && !msg.deleted && refresh(msg.id, list).catch(() => {});
  window.addEventListener("passo:plans-changed", (ev) => changed(ev.detail));
  onPlansChanged(changed);
  list.dataset.statsReady = "1";
}
