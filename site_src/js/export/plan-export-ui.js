// A plan page's "Export JSON", "Export to calendar", each action's "Add to calendar", the calendar settings and
// the "Sponsor report" button. What the buttons do loads on the first tap (plan-export-actions.js; the report is
// sponsor-ui.js, the share share-ui.js), so a form's first visit carries only this wiring.

import { t } from "../core/i18n.js";
import { refTarget } from "../schema/json-pointer.js";
import { loadSchema } from "../store/migrate.js";
import { currentPlan, el, run, say } from "../files/file-actions.js";

const actions = () => import("./plan-export-actions.js");

function wireSettings(root) {
  const inputs = root.querySelectorAll("[data-setting]");
  const details = root.querySelector(".export-settings");
  if (!inputs.length || !details) return;
  details.addEventListener("toggle", () => {
    if (details.open) actions().then((a) => a.fillSettings(inputs)).catch(() => {});
  });
  root.addEventListener("change", (ev) => {
    if (ev.target.closest("[data-setting]")) actions().then((a) => a.saveSettings(inputs)).catch(() => {});
  });
}

/** Which item a per-item button belongs to: its data-item-id or data-pointer, else the item's own id field. */
function itemOf(button) {
  if (button.dataset.itemId || button.dataset.pointer) {
    return { id: button.dataset.itemId || null, pointer: button.dataset.pointer || null };
  }
  const li = button.closest("li");
  const idInput = li && [...li.querySelectorAll("input[data-key='id']")].find((i) => i.closest("li") === li);
  return { id: idInput ? idInput.value : null, pointer: null };
}

/** Data paths of the lists whose items become events, with list positions as "*": ["actions"]. */
function calendarLists(schema) {
  const out = [];
  const walk = (node, path, depth) => {
    ({ node } = resolveRefs(schema, node));
    if (!node || depth > 16) return;
    if (node.items) {
      const { node: item } = resolveRefs(schema, node.items);
      if (item && item["x-calendar"]) out.push(path.join("/"));
      walk(node.items, [...path, "*"], depth + 1);
    }
    for (const [k, v] of Object.entries(node.properties || {})) walk(v, [...path, k], depth + 1);
  };
  walk(schema, [], 0);
  return out;
}

function resolveRefs(root, node) {
  for (let i = 0; node && typeof node.$ref === "string" && i < 32; i += 1) {
    node = refTarget(root, node.$ref).node;
  }
  return { node };
}

/** A list element's data path in the form (data-key of each enclosing value, list positions as "*"). */
function listPath(el, form) {
  const parts = [];
  for (let n = el; n && n !== form; n = n.parentElement) {
    if (n.tagName === "LI") parts.unshift("*");
    else if (n.dataset.key !== undefined && n.dataset.kind) parts.unshift(n.dataset.key);
  }
  return parts.join("/");
}

/**
 * Until the form renders its own per-item buttons, give each calendar item one: in the list's <template>
 * (items added later are cloned from it) and in the items already shown.
 */
function addItemButtons(form, schema) {
  if (!form || form.querySelector("[data-action='add-to-calendar']")) return;
  if ([...form.querySelectorAll("template")].some((tpl) => tpl.content.querySelector("[data-action='add-to-calendar']"))) return;
  const wanted = new Set(calendarLists(schema));
  const make = () => el("p", { className: "item-calendar" },
    el("button", { type: "button", className: "secondary", textContent: t("Add to calendar") }),
    el("span", { className: "item-calendar-status", role: "status" }));
  for (const list of form.querySelectorAll("[data-kind='array']")) {
    if (!wanted.has(listPath(list, form))) continue;
    const template = list.querySelector(":scope > template");
    const items = [...list.querySelectorAll(":scope > [data-items] > li")];
    for (const li of [...(template ? [template.content.firstElementChild] : []), ...items]) {
      if (!li) continue;
      const p = make();
      p.firstChild.dataset.action = "add-to-calendar";
      const tools = li.querySelector(":scope > .item-tools");
      li.insertBefore(p, tools);
    }
  }
}

export async function initPlan(root) {
  if (new URLSearchParams(location.search).has("shared")) return; // a coach's read-only copy exports nothing
  const mainStatus = root.querySelector(".export-status");
  wireSettings(root);
  root.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-export]");
    if (!b) return;
    const kind = b.dataset.export;
    say(mainStatus, "");
    if (kind === "json") run(mainStatus, async () => (await actions()).exportJSON(root, mainStatus));
    else if (kind === "calendar") run(mainStatus, async () => (await actions()).exportCalendar(mainStatus));
    else if (kind === "share") {
      run(mainStatus, async () => {
        const plan = await currentPlan(mainStatus);
        if (plan) await (await import("../share/share-ui.js")).openShare(root.querySelector(".share-dialog"), [plan.id]);
      });
    } else if (kind === "sponsor") run(mainStatus, async () => (await import("./sponsor-ui.js")).sponsorReport(root, mainStatus));
    else if (kind === "print") window.print();
  });
  // Each action's own "Add to calendar": found by delegation, wherever the form puts it.
  document.addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-action='add-to-calendar']");
    if (!b) return;
    ev.preventDefault();
    const status = b.closest("li")?.querySelector(".item-calendar-status") || mainStatus;
    say(status, "");
    run(status, async () => (await actions()).exportCalendar(status, itemOf(b)));
  });
  // "Sponsor report" belongs to coaching agreements: the forms whose data says what the sponsor is told.
  const schemaId = decodeURIComponent((/\/plans\/([^/]+)\/?$/.exec(location.pathname) || [])[1] || "");
  const schema = schemaId ? await loadSchema(schemaId).catch(() => null) : null;
  const sponsorButton = root.querySelector("[data-export='sponsor']");
  if (sponsorButton) sponsorButton.hidden = !(schema && schema.properties && schema.properties.shares);
  if (schema) addItemButtons(document.querySelector("form.plan-form") || document.querySelector("main form"), schema);
}
