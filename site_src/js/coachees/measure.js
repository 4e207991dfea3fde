// A shared plan's measure against its path (DESIGN.md "Measurements"), for the desk: the column's status (pure,
// through measure/ as the coachee's own chart reads it) and the chart on a coachee's page (results/, loaded only
// for a share that holds measurements).
//
// The path runs straight from the baseline at the plan's start to the target at the deadline. A share holds no
// creation date, so the start is the plan's `created` when there is one, else its first dated record (a
// measurement or a check-in), as the coach's view of a shared plan draws it (share/shared-view.js).

import { goalOf, measurableGroups, measurementsOf } from "../measure/measure-core.js";
import { dayNumber, pathValue, standing } from "../measure/measure-path.js";
import { today } from "../time/zone-day.js";
import { deviceZone } from "../time/device-zone.js";

const DAY = 86400000;

/** Where the path of a shared plan starts: its creation, else its first dated record. */
export function pathStart(rec) {
  if (rec.created) return rec.created;
  return [...(rec.measurements || []), ...(rec.checkins || [])].map((m) => m && m.at).filter(Boolean).sort()[0];
}

/**
 * {group, value, expected, standing, behind, days} for the latest measurement of the plan's first measured group
 * that has a path (baseline, target, deadline shared), or null: no measurements, or nothing to compare with.
 * now: ms; zone: where the days are counted (the coach's device).
 */
export function measureStatus(rec, schema, now, zone) {
  if (!rec || !schema || !Array.isArray(rec.measurements) || !rec.measurements.length) return null;
  zone ||= deviceZone();
  const start = pathStart(rec);
  if (!start) return null;
  for (const group of measurableGroups(schema)) {
    const points = measurementsOf(rec, group.pointer).filter((m) => Number.isFinite(m.value) && Date.parse(m.at));
    if (!points.length) continue;
    const goal = goalOf(rec, group);
    const path = { baseline: goal.baseline, target: goal.target, start: dayNumber(today(Date.parse(start), zone)),
      end: dayNumber(goal.deadline) };
    const last = points[points.length - 1];
    const day = dayNumber(today(Date.parse(last.at), zone));
    const said = standing(path, day, last.value);
    if (!said) continue;
    return { group: group.pointer, value: last.value, expected: Math.round(pathValue(path, day) * 10) / 10,
      standing: said, behind: said === "behind", days: Math.round((now - Date.parse(last.at)) / DAY) };
  }
  return null;
}

/**
 * The measure's chart for the session preparation, drawn into `container` as the coach's view of a shared plan
 * draws it; resolves true when there was something to draw.
 */
export async function renderMeasureChart(container, rec, schema) {
  if (!rec || !schema || !Array.isArray(rec.measurements) || !rec.measurements.length) return false;
  const { renderMeasureChart: draw } = await import("../results/measure-chart.js");
  const { chartStyles } = await import("../results/plan-measure.js");
  let drawn = false;
  for (const group of measurableGroups(schema)) {
    const goal = goalOf(rec, group);
    const measurements = measurementsOf(rec, group.pointer);
    if (!goal.metric || !measurements.length) continue;
    const box = document.createElement("div");
    box.className = "measure";
    draw(box, { goal, created: pathStart(rec), measurements, zone: deviceZone() });
    container.append(box);
    drawn = true;
  }
  if (drawn) await chartStyles(document.getElementById("coachees") || document.body);
  return drawn;
}
