// A check-in as plan files and the store keep it (DESIGN.md "Plan file").
/** The keys of a check-in in a plan file (DESIGN.md), in order; `occurrence` only on a repeating item's. */
export const CHECKIN_KEYS = ["item", "occurrence", "at", "outcome", "note", "commitment", "from", "to", "plan_b"];

/** A check-in with exactly the plan-file keys and the contract's defaults (note "", null, false). */
export function checkinShape(c) {
  const out = {};
  for (const k of CHECKIN_KEYS) out[k] = c[k];
  if (typeof c.occurrence !== "string") delete out.occurrence;
  out.note = typeof c.note === "string" ? c.note : "";
  out.commitment = Number.isInteger(c.commitment) ? c.commitment : null;
  out.from = c.from || null;
  out.to = c.to || null;
  out.plan_b = c.plan_b === true;
  // Format_version 3: a check-in on one occurrence of a repeating item names it (the calendar's EXDATE and
  // RECURRENCE-ID come from these); absent otherwise, so version 2 check-ins keep their exact shape.
  if (typeof c.occurrence === "string") out.occurrence = c.occurrence;
  return out;
}
