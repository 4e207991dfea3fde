// The path to the target (DESIGN.md "Measurements"): the straight line from the baseline on the day the plan was
// created to the target on its deadline, and where a value stands against it. Pure maths on day numbers.
//
// "On it" has a tolerance: a value within ON_PATH_SHARE (5%) of the whole distance from baseline to target of
// the path's value that day counts as on the path. A measure such as "error reports, 10% to 5%" moves in steps
// of a tenth of a point, which is 2% of that distance: one step either side of the path is still on it.

export const ON_PATH_SHARE = 0.05;
const DAY_MS = 86400000;

/** Day number (days since 1970-01-01) of "YYYY-MM-DD"; NaN when it is not a date. */
export function dayNumber(date) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(String(date || ""));
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS : NaN;
}

/**
 * The path's value on day `day` (a day number): the baseline up to the start, the target from the deadline on,
 * the straight line between. path = {baseline, target, start, end} (start, end: day numbers). NaN when the path
 * cannot be drawn (a value missing, or a deadline not after the start).
 */
export function pathValue(path, day) {
  const { baseline, target, start, end } = path || {};
  if (![baseline, target, start, end, day].every(Number.isFinite) || !(end > start)) return NaN;
  if (day <= start) return baseline;
  if (day >= end) return target;
  return baseline + ((target - baseline) * (day - start)) / (end - start);
}

/**
 * Where `value` on day `day` stands against the path: "ahead", "on" or "behind", direction-aware (a target below
 * the baseline means lower is better); null when there is no path (a value missing, the target equal to the
 * baseline, or a deadline not after the start).
 */
export function standing(path, day, value) {
  const expected = pathValue(path, day);
  if (!Number.isFinite(expected) || !Number.isFinite(value) || path.target === path.baseline) return null;
  const distance = Math.abs(path.target - path.baseline);
  const gain = (value - expected) * Math.sign(path.target - path.baseline); // > 0: further towards the target
  if (Math.abs(gain) <= distance * ON_PATH_SHARE + 1e-9 * distance) return "on";
  return gain > 0 ? "ahead" : "behind";
}
