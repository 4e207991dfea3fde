// Export and import buttons: "Export JSON", "Export to calendar", "Sponsor report" on a plan page
// (partials/plan-actions.html), "Import" and "Back up all plans" on my plans and settings
// (partials/import-backup.html). app.js calls init() on every page with [data-export-ui].
//
// Only this small module loads with the page; the writers and checkers load on the first tap. Imported text
// reaches the page through textContent only, never as HTML.

import { formatDateTime, loadMessages, t, tp } from "./i18n.js";
import { loadSchema, loadSchemaIndex, migratePlan, migrationInfo } from "./migrate.js";
import { getMeta, getPlan, listPlans, putPlans, setMeta } from "./store.js";

const PRODID = "-//Passo//Passo plans//EN";
const SETTINGS_KEY = "calendarSettings";
const memoryKey = (planId) => `calendarExported:${planId}`;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

/** Ask the form to save what was typed (app.js's passo:flush protocol), so an export holds the latest text. */
async function flush() {
  const waits = [];
  document.dispatchEvent(new CustomEvent("passo:flush", { detail: { waitUntil: (p) => waits.push(p) } }));
  await Promise.allSettled(waits);
}

function say(box, text, isError = false) {
  box.classList.toggle("export-error", isError);
  box.textContent = text;
}

/** A stored plan's title: the text at the schema's x-title pointer, else the form's title. */
function planTitle(plan, schema) {
  let v = plan.data;
  const ptr = schema && typeof schema["x-title"] === "string" ? schema["x-title"] : "";
  for (const k of ptr.split("/").slice(1)) v = v != null && typeof v === "object" ? v[k] : undefined;
  const form = schema && schema.title ? tp(`${plan.schema}:/title`, schema.title) : plan.schema;
  return typeof v === "string" && v.trim() ? `${v.trim().slice(0, 80)} (${form})` : form;
}

/** The index's schemas, each with x-version from the index (the version the app knows). */
async function allSchemas() {
  const index = await loadSchemaIndex();
  const ids = Object.keys(index.schemas || {});
  const docs = await Promise.all(ids.map((id) => loadSchema(id, index)));
  const schemas = {};
  ids.forEach((id, i) => {
    schemas[id] = { ...docs[i], "x-version": index.schemas[id].version };
  });
  return { index, schemas };
}

// ---- Plan page ----

function currentPlanId() {
  return new URLSearchParams(location.search).get("id");
}

async function currentPlan(status) {
  await flush();
  const id = currentPlanId();
  const plan = id ? await getPlan(id) : null;
  if (!plan) say(status, t("There is nothing to export yet: fill in the form first, it saves itself."), true);
  return plan;
}

async function calendarSettings() {
  const { DEFAULT_SETTINGS } = await import("./plan-events.js");
  const saved = await getMeta(SETTINGS_KEY).catch(() => null);
  return { ...DEFAULT_SETTINGS, ...(saved && typeof saved === "object" ? saved : {}) };
}

async function exportJSON(status) {
  const plan = await currentPlan(status);
  if (!plan) return;
  const [{ planToFile, fileName }, { saveFile, JSON_TYPE }] = await Promise.all([
    import("./plan-file.js"), import("./save-file.js")]);
  const how = await saveFile(planToFile(plan), fileName("plan", plan), JSON_TYPE);
  if (how !== "cancelled") say(status, t("Your plan file is ready."));
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
  let only = null;
  if (item) {
    const uid = item.id ? `${item.id}@${plan.id}.passo` : null;
    const ev = events.planEvents(plan, schema, settings).find((e) => e.uid === uid || e.pointer === item.pointer);
    if (!ev) {
      say(status, t("This action has no date yet: give it a date, then add it to your calendar."), true);
      return;
    }
    only = [ev.uid];
  }
  const result = events.calendarExport(plan, schema, previous, settings, only);
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
  root.addEventListener("change", async (ev) => {
    const input = ev.target.closest("[data-setting]");
    if (!input) return;
    const value = Math.round(Number(input.value));
    if (!input.checkValidity() || !Number.isFinite(value)) return;
    const s = await calendarSettings();
    await setMeta(SETTINGS_KEY, { durationMinutes: s.durationMinutes, alarmMinutesBefore: s.alarmMinutesBefore,
      [input.dataset.setting]: value });
  });
}

// ---- Sponsor report ----

/**
 * The report as headings and label/value lists: the preview and the printable view alike. Headings are the
 * forms' names only: a plan's own title may be a field the agreement does not share.
 */
function renderReport(container, rows) {
  container.replaceChildren();
  for (const plan of rows) {
    container.append(el("h3", { textContent: plan.title }));
    if (!plan.rows.length) {
      container.append(el("p", { className: "report-none", textContent: t("Nothing from this plan is shared.") }));
      continue;
    }
    const dl = el("dl", { className: "report-fields" });
    for (const r of plan.rows) dl.append(el("dt", { textContent: r.label }), el("dd", { textContent: r.text }));
    container.append(dl);
  }
}

async function sponsorReport(root, status) {
  const agreement = await currentPlan(status);
  if (!agreement) return;
  const dialog = root.querySelector(".sponsor-dialog");
  const [{ schemas }, report, files, save, plans] = await Promise.all([
    allSchemas(), import("./sponsor-report.js"), import("./plan-file.js"), import("./save-file.js"), listPlans()]);
  const titles = new Map(plans.map((p) => [p.id, planTitle(p, schemas[p.schema])]));
  const picker = dialog.querySelector(".sponsor-plans");
  picker.replaceChildren(el("legend", { textContent: t("Plans to include") }));
  for (const p of plans) {
    const box = el("input", { type: "checkbox", value: p.id, checked: p.id === agreement.id });
    picker.append(el("label", { className: "sponsor-plan" }, box, " ", titles.get(p.id)));
  }
  const preview = dialog.querySelector(".sponsor-preview");
  const raw = dialog.querySelector(".sponsor-json");
  let current = null;
  const update = () => {
    const picked = new Set([...picker.querySelectorAll("input:checked")].map((i) => i.value));
    current = report.buildSponsorReport({ agreement, plans: plans.filter((p) => picked.has(p.id)), schemas,
      now: new Date(), lang: document.documentElement.lang });
    renderReport(preview, report.reportRows(current, schemas));
    raw.textContent = JSON.stringify(current, null, 2);
    if (!current.plans.length) preview.append(el("p", { textContent: t("Pick at least one plan.") }));
  };
  picker.onchange = update;
  update();
  dialog.onclick = async (ev) => {
    const b = ev.target.closest("button[data-report]");
    if (!b) return;
    if (b.dataset.report === "json") {
      const name = `passo-sponsor-report-${files.isoNow().slice(0, 10)}.json`;
      await save.saveFile(`${JSON.stringify(current, null, 2)}\n`, name, save.JSON_TYPE);
    } else if (b.dataset.report === "print") {
      dialog.close();
      showPrintable(root, preview);
    } else {
      dialog.close();
    }
  };
  dialog.showModal();
}

/** The printable view: the report alone on the page (print.css hides the rest), until "Back". */
function showPrintable(root, preview) {
  const view = document.querySelector(".report-view");
  const body = view.querySelector(".report-body");
  body.replaceChildren(...[...preview.childNodes].map((n) => n.cloneNode(true)));
  view.querySelector(".report-date").textContent = formatDateTime(new Date());
  view.hidden = false;
  // A direct child of <main>, so the stylesheets can hide everything else, wherever the partial sits.
  (document.querySelector("main") || document.body).append(view);
  document.documentElement.classList.add("showing-report");
  view.querySelector("h2").focus();
  view.onclick = (ev) => {
    const b = ev.target.closest("button[data-view]");
    if (!b) return;
    if (b.dataset.view === "print") {
      window.print();
    } else {
      view.hidden = true;
      document.documentElement.classList.remove("showing-report");
      root.append(view);
      root.querySelector("[data-export='sponsor']").focus();
    }
  };
}

function run(status, job) {
  return job().catch((e) => {
    say(status, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."), true);
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

async function initPlan(root) {
  const mainStatus = root.querySelector(".export-status");
  wireSettings(root);
  root.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-export]");
    if (!b) return;
    const kind = b.dataset.export;
    say(mainStatus, "");
    if (kind === "json") run(mainStatus, () => exportJSON(mainStatus));
    else if (kind === "calendar") run(mainStatus, () => exportCalendar(mainStatus));
    else if (kind === "sponsor") run(mainStatus, () => sponsorReport(root, mainStatus));
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

// ---- Import and backup ----

async function backUp(status) {
  const [plans, files, save] = await Promise.all([listPlans(), import("./plan-file.js"), import("./save-file.js")]);
  if (!plans.length) {
    say(status, t("There are no plans on this device to back up yet."), true);
    return;
  }
  const now = new Date();
  const how = await save.saveFile(files.backupFile(plans, now), files.fileName("backup", null, now), save.JSON_TYPE);
  if (how === "cancelled") return;
  await setMeta("lastBackup", files.isoNow(now));
  say(status, t("Your backup file is ready. Keep it somewhere safe, off this device."));
}

function showErrors(box, errors) {
  box.replaceChildren();
  if (!errors.length) return;
  box.append(el("p", { textContent: t("Nothing was imported, and your plans are unchanged:") }),
    el("ul", {}, ...errors.map((m) => el("li", { textContent: m }))));
}

async function importFile(root, file) {
  const status = root.querySelector(".import-status");
  const errorBox = root.querySelector(".import-errors");
  const conflictsForm = root.querySelector(".import-conflicts");
  say(status, "");
  showErrors(errorBox, []);
  conflictsForm.hidden = true;
  const files = await import("./plan-file.js");
  const tooBig = files.sizeProblem(file.size);
  if (tooBig) {
    showErrors(errorBox, [tooBig]);
    return;
  }
  say(status, t("Checking the file…"));
  const [text, { index, schemas }, { validate }] = await Promise.all([
    file.text(), allSchemas(), import("./validate.js")]);
  const migrate = async (plan) => {
    const out = await migratePlan(plan, index);
    const info = migrationInfo(out);
    if (info && info.status !== "migrated") throw new Error(info.error || info.status);
    return out;
  };
  const result = await files.parseImport(text, { schemas, validate, migrate });
  if (result.errors.length) {
    say(status, "");
    showErrors(errorBox, result.errors);
    return;
  }
  const stored = new Map((await listPlans()).map((p) => [p.id, p]));
  const write = [];
  const ask = [];
  let skipped = 0;
  let updated = 0;
  for (const plan of result.plans) {
    const decision = files.planImportDecision(stored.get(plan.id), plan);
    if (decision === "add" || decision === "update") write.push(plan);
    if (decision === "update") updated += 1;
    if (decision === "same") skipped += 1;
    if (decision === "ask") ask.push(plan);
  }
  const finish = async (replace) => {
    const all = [...write, ...replace];
    if (all.length) await putPlans(all);
    say(status, t("Import done. Added: {added}. Updated: {updated}. Skipped: {skipped}.", {
      added: write.length - updated, updated: updated + replace.length, skipped: skipped + ask.length - replace.length,
    }));
  };
  if (!ask.length) {
    await finish([]);
    return;
  }
  say(status, "");
  askConflicts(conflictsForm, ask, stored, schemas, finish);
}

/** One choice per plan that exists here with the same or a later revision; nothing is written until "Import". */
function askConflicts(form, conflicts, stored, schemas, finish) {
  const list = form.querySelector(".conflict-list");
  list.replaceChildren();
  conflicts.forEach((plan, i) => {
    const mine = stored.get(plan.id);
    const when = (p) => t("revision {revision}, changed {date}", { revision: p.revision, date: formatDateTime(p.updated) });
    const choice = (value, text, checked) => el("label", { className: "conflict-choice" },
      el("input", { type: "radio", name: `conflict-${i}`, value, checked }), " ", text);
    list.append(el("fieldset", { className: "conflict" },
      el("legend", { textContent: planTitle(plan, schemas[plan.schema]) }),
      choice("keep", t("Keep the one on this device ({when})", { when: when(mine) }), true),
      choice("replace", t("Use the one in the file ({when})", { when: when(plan) }), false)));
  });
  form.hidden = false;
  form.querySelector("input").focus();
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const action = ev.submitter ? ev.submitter.value : "apply";
    form.hidden = true;
    if (action === "cancel") {
      say(form.parentElement.querySelector(".import-status"), t("Import cancelled: nothing was changed."));
      return;
    }
    const replace = conflicts.filter((_, i) => form.querySelector(`input[name="conflict-${i}"]:checked`).value === "replace");
    await finish(replace);
  };
}

function initBackup(root) {
  const status = root.querySelector(".import-status");
  const fail = (e) => say(status, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."), true);
  root.querySelector("[data-backup]").addEventListener("click", () => backUp(status).catch(fail));
  const input = root.querySelector("input[type=file][data-import]");
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = ""; // choosing the same file again must fire "change" again
    if (file) importFile(root, file).catch(fail);
  });
}

export async function init() {
  await loadMessages();
  const roots = document.querySelectorAll("[data-export-ui]");
  for (const root of roots) {
    if (root.dataset.exportUi === "plan") await initPlan(root);
    else if (root.dataset.exportUi === "backup") initBackup(root);
    root.dataset.exportReady = "1";
  }
}
