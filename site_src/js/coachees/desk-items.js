// A plan's dated items as the desk reads them: schema/plan-items.js's planItems(), item for item, but with each
// item's pointers made absolute and split into keys once for every plan of a page instead of once per item. A page
// of 200 coachees reads 4,000 items, and working out their pointers was most of its time. planItems() itself stays
// as it is: my plans loads it, and its page budget has no room for the cache. tests/test_coachees_desk.py holds the
// two to the same answers.

import { t, tp } from "../core/i18n.js";
import { keysOf, own } from "../schema/json-pointer.js";
import { absolute, expand, itemLocations, whenOf } from "../schema/plan-items.js";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const text = (v) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");

const absolutes = new Map(); // item pointer -> Map(relative pointer -> absolute pointer)
const keyLists = new Map(); // absolute pointer -> its keys

/** absolute(itemPtr, rel), remembered; null without a relative pointer. */
function at(itemPtr, rel) {
  if (typeof rel !== "string" || !rel) return null;
  let known = absolutes.get(itemPtr);
  if (!known) absolutes.set(itemPtr, (known = new Map()));
  if (!known.has(rel)) known.set(rel, absolute(itemPtr, rel));
  return known.get(rel);
}

/** getAt(data, ptr), the pointer's keys remembered. */
function valueAt(data, ptr) {
  let keys = keyLists.get(ptr);
  if (!keys) keyLists.set(ptr, (keys = keysOf(ptr)));
  let v = data;
  for (const k of keys) v = own(v, k) ? v[k] : undefined;
  return v;
}

/** planItems(plan, schema, checkins): every dated item of a plan, in document order. */
export function deskItems(plan, schema, checkins = []) {
  const data = plan && plan.data;
  const out = [];
  if (!schema || !isObject(data)) return out;
  const last = new Map();
  for (const c of checkins || []) if (c && typeof c.item === "string" && !c.occurrence) last.set(c.item, c.outcome);
  for (const { path, sptr, cal } of itemLocations(schema)) {
    for (const [value, pointer] of expand(data, path)) {
      if (!isObject(value)) continue;
      const id = typeof value.id === "string" && value.id ? value.id : pointer.slice(1).replace(/\//g, "-") || "plan";
      const kind = cal.kind === "review" ? "review" : "action";
      const summary = cal.summary ? text(valueAt(data, at(pointer, cal.summary))) : "";
      let shown = summary;
      if (!shown && typeof cal.summaryText === "string") {
        shown = tp(`${plan.schema}:${sptr}/x-calendar/summaryText`, cal.summaryText);
      }
      if (!shown) shown = kind === "review" ? t("Review") : t("Action");
      const whenPointer = at(pointer, cal.when || "0/when");
      const donePointer = at(pointer, cal.done);
      const outcome = last.get(id);
      const planBPointer = at(pointer, cal.planB || "0/planB");
      const commitmentPointer = at(pointer, cal.commitment || "0/commitment");
      const commitment = valueAt(data, commitmentPointer);
      const rawWhen = valueAt(data, whenPointer);
      out.push({
        id, pointer, kind, summary, text: shown, sptr, cal, value,
        when: whenOf(rawWhen), whenPointer,
        repeats: isObject(rawWhen) && isObject(rawWhen.repeat),
        done: donePointer ? valueAt(data, donePointer) === true : outcome === "done",
        donePointer,
        dropped: outcome === "dropped",
        planB: text(valueAt(data, planBPointer)),
        commitment: Number.isInteger(commitment) && commitment >= 1 && commitment <= 10 ? commitment : null,
        commitmentPointer,
      });
    }
  }
  return out;
}
