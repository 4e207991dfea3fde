// A plan page's "Export JSON", "Export to calendar", each action's "Add to calendar", the calendar settings and
// the "Sponsor report" button (the report itself is sponsor-ui.js, loaded on the tap). The writers load on the
// first tap too.

import { inLanguage, t } from "./i18n.js";
import { loadSchema } from "./migrate.js";
import { getMeta, listCheckins, setMeta } from "./store.js";
import { currentPlan, el, protectIfAsked, run, say } from "./export-common.js";

const PRODID = "-//Passo//Passo plans//EN";
const SETTINGS_KEY = "calendarSettings";
const memoryKey = (planId) => `calendarExported:${planId}`;

async function calendarSettings() {
  const { DEFAULT_SETTINGS } = await import("./calendar-defaults.js");
  const saved = await getMeta(SETTINGS_KEY).catch(() => null);
  return { ...DEFAULT_SETTINGS, ...(saved && typeof saved === "object" ? saved : {}) };
}

async function exportJSON(root, status) {
  const plan = await currentPlan(status);
  if (!plan) return;
  const [{ planToFile, fileName }, { saveFile, JSON_TYPE }] = await Promise.all([
    import("./plan-file.js"), import("./save-file.js")]);
  const file = await protectIfAsked(root.querySelector("[data-protect]"), planToFile(plan, await listCheckins(plan.id)),
    fileName("plan", plan));
  if (!file) return;
  const how = await saveFile(file.text, file.name, JSON_TYPE);
  if (how === "cancelled") return;
  say(status, file.protected ? t("Your protected file is ready.") : t("Your plan file is ready."));
}

/** "Export to calendar" (item = null) or one action's "Add to calendar" (item = {id} or {pointer}). */
async function exportCalendar(status, item = null) {
  const plan = await currentPlan(status);
  if (!plan) return;
  const [schema, events, ics, files, save] = await Promise.all([
    loadSchema(plan.schema), import("./plan-events.js"), import("./ics.js"), import("./plan-file.js"),
    import("./save-file.js")]);
  const settings = await calendarSettings();
  const previous = await getMeta(memoryKey(plan.id)).catch(() => null);
  const checkins = await listCheckins(plan.id); // a dropped item leaves the calendar
  let only = null;
  if (item) {
    const uid = item.id ? `${item.id}@${plan.id}.passo` : null;
    const all = await inLanguage(plan.lang, () => events.planEvents(plan, schema, settings, checkins));
    const ev = all.find((e) => e.uid === uid || e.pointer === item.pointer);
    if (!ev) {
      say(status, t("This action has no date yet: give it a date, then add it to your calendar."), true);
      return;
    }
    only = [ev.uid];
  }
  // The calendar text is in the plan's language, whatever language the page is shown in now.
  const result = await inLanguage(plan.lang, () => events.calendarExport(plan, schema, previous, settings, only,
    checkins));
  if (!result.events.length) {
    say(status, t("No action in this plan has a date yet, so there is nothing to put in a calendar."), true);
    return;
  }
  const now = new Date();
  const text = ics.buildCalendar({ events: result.events, prodid: PRODID, now });
  const how = await save.saveFile(text, files.fileName("plan", plan, now, "ics"), save.CALENDAR_TYPE);
  if (how === "cancelled") return;
  // Remembered only once the file left: the next export cancels what is gone since this one.
  await setMeta(memoryKey(plan.id), result.remembered);
  say(status, t("Your calendar file is ready. Open it with your calendar app to add or update the events."));
}

function wireSettings(root) {
  const inputs = root.querySelectorAll("[data-setting]");
  if (!inputs.length) return;
  calendarSettings().then((s) => {
    for (const input of inputs) input.value = String(s[input.dataset.setting]);
  }).catch(() => {});
  // Every field's value is written at once: no read-then-write, so two quick changes cannot undo each other.
  root.addEventListener("change", (ev) => {
    if (!ev.target.closest("[data-setting]")) return;
    const settings = {};
    for (const input of inputs) {
      const value = Math.round(Number(input.value));
      if (input.value !== "" && input.checkValidity() && Number.isFinite(value)) settings[input.dataset.setting] = value;
    }
    setMeta(SETTINGS_KEY, settings).catch(() => {});
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
    node = node.$ref.slice(2).split("/").reduce((s, k) => (s == null ? s : s[k.replace(/~1/g, "/").replace(/~0/g, "~")]), root);
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
    if (kind === "json") run(mainStatus, () => exportJSON(root, mainStatus));
    else if (kind === "calendar") run(mainStatus, () => exportCalendar(mainStatus));
    else if (kind === "share") {
      run(mainStatus, async () => {
        const plan = await currentPlan(mainStatus);
        if (plan) await (await import("./share-ui.js")).openShare(root.querySelector(".share-dialog"), [plan.id]);
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
    run(status, () => exportCalendar(status, itemOf(b)));
  });
  // "Sponsor report" belongs to coaching agreements: the forms whose data says what the sponsor is told.
  const schemaId = decodeURIComponent((/\/plans\/([^/]+)\/?$/.exec(location.pathname) || [])[1] || "");
  const schema = schemaId ? await loadSchema(schemaId).catch(() => null) : null;
  const sponsorButton = root.querySelector("[data-export='sponsor']");
  if (sponsorButton) sponsorButton.hidden = !(schema && schema.properties && schema.properties.shares);
  if (schema) addItemButtons(document.querySelector("form.plan-form") || document.querySelector("main form"), schema);
}
