// The small UI helpers every file action shares (export, import, the sponsor report, the share for the coach):
// messages, the plan being exported, its title, the schemas the app knows.

import { t, tp } from "../core/i18n.js";
import { loadSchema, loadSchemaIndex } from "../store/migrate.js";
import { getPlan } from "../store/store.js";

export const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export function run(status, job) {
  return job().catch((e) => {
    say(status, (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again."), true);
  });
}

/** Ask the form to save what was typed (app.js's passo:flush protocol), so an export holds the latest text. */
export async function flush() {
  const waits = [];
  document.dispatchEvent(new CustomEvent("passo:flush", { detail: { waitUntil: (p) => waits.push(p) } }));
  await Promise.allSettled(waits);
}

export function say(box, text, isError = false) {
  box.classList.toggle("export-error", isError);
  box.textContent = text;
}

/** A stored plan's title: the text at the schema's x-title pointer, else the form's title. */
export function planTitle(plan, schema) {
  let v = plan.data;
  const ptr = schema && typeof schema["x-title"] === "string" ? schema["x-title"] : "";
  for (const k of ptr.split("/").slice(1)) v = v != null && typeof v === "object" ? v[k] : undefined;
  const form = schema && schema.title ? tp(`${plan.schema}:/title`, schema.title) : plan.schema;
  return typeof v === "string" && v.trim() ? `${v.trim().slice(0, 80)} (${form})` : form;
}

/** The index's schemas, each with x-version from the index (the version the app knows). */
export async function allSchemas() {
  const index = await loadSchemaIndex();
  const ids = Object.keys(index.schemas || {});
  const docs = await Promise.all(ids.map((id) => loadSchema(id, index)));
  const schemas = {};
  ids.forEach((id, i) => {
    schemas[id] = { ...docs[i], "x-version": index.schemas[id].version };
  });
  return { index, schemas };
}

function currentPlanId() {
  return new URLSearchParams(location.search).get("id");
}

export async function currentPlan(status) {
  await flush();
  const id = currentPlanId();
  const plan = id ? await getPlan(id) : null;
  if (!plan) say(status, t("There is nothing to export yet: fill in the form first, it saves itself."), true);
  return plan;
}
