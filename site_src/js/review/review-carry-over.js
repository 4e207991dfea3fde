// "Start a new plan from this": the data of a new action plan holding the review's unfinished actions. Pure.
//
// Each action gets a new id (its calendar event is a new one) and notes the action it continues in
// `continues`. What the coachee wrote about it is kept where the new form has the same field; the date is left
// for the coachee to choose again, and the commitment is the latest one they gave (a check-in asks it again).

import { refTarget } from "../schema/json-pointer.js";

export const TARGET_SCHEMA = "smart-action-plan";
const SKIP = new Set(["id", "when", "done", "continues"]);

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The target schema's action definition: the item schema of its `actions` list. */
function actionSchema(schema) {
  const ref = schema && schema.properties && schema.properties.actions && schema.properties.actions.items;
  if (!ref) return null;
  return typeof ref.$ref === "string" ? refTarget(schema, ref.$ref).node || null : ref;
}

/**
 * New plan data: entries [{plan, item, checkins}] (the unfinished ones, in order); schema: the target schema;
 * newId: () => a new UUID. The goal is copied when every action comes from one plan of the target kind.
 */
export function carryOver(entries, schema, newId) {
  const props = (actionSchema(schema) || {}).properties || {};
  const actions = entries.map(({ item, checkins = [] }) => {
    const action = { id: newId() };
    const value = isObject(item.value) ? item.value : {};
    for (const [key, v] of Object.entries(value)) {
      if (!SKIP.has(key) && key in props && v !== undefined) action[key] = structuredClone(v);
    }
    if (!action.what && "what" in props) action.what = item.summary || item.text || "";
    const latest = checkins.filter((c) => Number.isInteger(c && c.commitment)).pop();
    if (latest && "commitment" in props) action.commitment = latest.commitment;
    if ("continues" in props) action.continues = item.id;
    return action;
  });
  const data = { actions };
  const sources = new Set(entries.map((e) => e.plan.id));
  const only = entries[0] && entries[0].plan;
  if (sources.size === 1 && only.schema === TARGET_SCHEMA && isObject(only.data && only.data.goal)) {
    data.goal = structuredClone(only.data.goal);
  }
  return data;
}
