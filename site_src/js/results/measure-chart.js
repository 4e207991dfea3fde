// results/: what a coachee sees of a goal's measure: its chart with the path to the target (this module), the
// "Where is it now?" dialog (measure-dialog.js), its part in a check-in (checkin-measure.js), and where they show:
// the plan page and a shared plan (plan-measure.js), the review (review-measures.js). The maths is in measure/.
//
// The chart: the baseline on the day the plan was created, each value recorded, the target on its deadline and
// the straight path between them, as SVG built with DOM calls (classes only: the CSP forbids style attributes),
// a sentence saying whether the latest value is ahead of the path, on it or behind, and a table for screen readers.

import { formatDate, formatNumber, t } from "../core/i18n.js";
import { el, hiddenTable, svgRoot } from "../charts/charts.js";
import { dayNumber, pathValue, standing } from "../measure/measure-path.js";
import { today } from "../time/zone-day.js";

const W = 320;
const H = 180;
const PAD = { l: 40, r: 14, t: 14, b: 28 };
const round1 = (x) => Math.round(x * 10) / 10;
const shortDate = { day: "numeric", month: "short" };

function html(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/** The day ("YYYY-MM-DD") of an RFC 3339 instant in the coachee's zone. */
const dayOf = (at, zone) => today(Date.parse(at), zone);

/**
 * What the chart shows, as data: {points: [{date, value}], path: {baseline, target, start, end} | null,
 * latest, standing: "ahead" | "on" | "behind" | null, expected (the path's value on the latest day)}.
 */
export function chartModel({ goal, created, measurements, zone }) {
  const points = measurements.map((m) => ({ date: dayOf(m.at, zone), value: m.value, note: m.note || "" }));
  const start = created ? dayOf(created, zone) : "";
  const hasPath = Number.isFinite(goal.baseline) && Number.isFinite(goal.target) && goal.deadline && start
    && dayNumber(goal.deadline) > dayNumber(start);
  const path = hasPath
    ? { baseline: goal.baseline, target: goal.target, start: dayNumber(start), end: dayNumber(goal.deadline),
      startDate: start, endDate: goal.deadline }
    : null;
  const latest = points.length ? points[points.length - 1] : null;
  const day = latest ? dayNumber(latest.date) : NaN;
  return {
    points, path, latest,
    standing: path && latest ? standing(path, day, latest.value) : null,
    expected: path && latest ? pathValue(path, day) : NaN,
  };
}

/** The sentence under the chart: the latest value and how it stands, in words. */
export function standingText(model, metric) {
  const { latest, path, expected } = model;
  if (!latest) {
    return path ? t("No value recorded yet. The path goes from {baseline} to {target} by {date}.", {
      baseline: formatNumber(path.baseline), target: formatNumber(path.target), date: formatDate(path.endDate) })
      : t("No value recorded yet.");
  }
  const now = t("Latest: {value} on {date}.", { value: formatNumber(latest.value), date: formatDate(latest.date) });
  if (!path) {
    const how = t("With a baseline, a target and a deadline after the plan's start, the chart shows the path to the target.");
    return `${now} ${how}`;
  }
  const vars = { expected: formatNumber(round1(expected)), metric };
  const said = {
    ahead: () => t("Ahead of the path: it expected {expected} by that day.", vars),
    on: () => t("On the path: it expected {expected} by that day.", vars),
    behind: () => t("Behind the path: it expected {expected} by that day.", vars),
  };
  return model.standing ? `${now} ${said[model.standing]()}` : now;
}

/**
 * Draw the chart of one measured group into `container` (its content replaced): goal {metric, baseline, target,
 * deadline}, created (RFC 3339: where the path starts), measurements (oldest first), zone (the coachee's).
 * Returns the model (tests and callers read `standing`).
 */
export function renderMeasureChart(container, { goal, created, measurements, zone }) {
  const model = chartModel({ goal, created, measurements, zone });
  const metric = goal.metric || t("Measure");
  container.replaceChildren();
  const words = html("p", "measure-standing", standingText(model, metric));
  if (model.standing) words.dataset.standing = model.standing;
  const { points, path } = model;
  const marks = [...points.map((p) => ({ day: dayNumber(p.date), value: p.value }))];
  if (path) marks.push({ day: path.start, value: path.baseline }, { day: path.end, value: path.target });
  if (!marks.length) {
    container.append(words);
    return model;
  }
  const days = marks.map((m) => m.day);
  const values = marks.map((m) => m.value);
  const d0 = Math.min(...days);
  const d1 = Math.max(...days);
  let v0 = Math.min(...values);
  let v1 = Math.max(...values);
  const margin = (v1 - v0) * 0.1 || Math.abs(v0) * 0.1 || 1;
  v0 -= margin;
  v1 += margin;
  const x = (day) => round1(PAD.l + (W - PAD.l - PAD.r) * (d1 > d0 ? (day - d0) / (d1 - d0) : 0.5));
  const y = (v) => round1(PAD.t + (H - PAD.t - PAD.b) * (1 - (v - v0) / (v1 - v0)));

  const svg = svgRoot("chart chart-measure", W, H, `${metric}: ${words.textContent}`);
  const lows = [v0 + margin, v1 - margin];
  for (const v of lows[0] === lows[1] ? [lows[0]] : lows) {
    el("line", { class: "chart-grid", x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }, svg);
    el("text", { class: "chart-axis", x: PAD.l - 6, y: y(v) + 4, "text-anchor": "end" }, svg).textContent =
      formatNumber(round1(v));
  }
  const edges = d1 > d0 ? [[d0, "start"], [d1, "end"]] : [[d0, "middle"]];
  for (const [day, anchor] of edges) {
    const date = new Date(day * 86400000).toISOString().slice(0, 10);
    el("text", { class: "chart-axis", x: x(day), y: H - 8, "text-anchor": anchor }, svg).textContent =
      formatDate(date, shortDate);
  }
  if (path) {
    el("line", { class: "chart-path", x1: x(path.start), y1: y(path.baseline), x2: x(path.end), y2: y(path.target) }, svg);
    el("rect", { class: "chart-baseline", x: x(path.start) - 4, y: y(path.baseline) - 4, width: 8, height: 8 }, svg);
    const tx = x(path.end);
    const ty = y(path.target);
    el("polygon", { class: "chart-target", points: `${tx},${ty - 6} ${tx + 6},${ty} ${tx},${ty + 6} ${tx - 6},${ty}` }, svg);
  }
  if (points.length > 1) {
    el("polyline", { class: "chart-line", fill: "none",
      points: points.map((p) => `${x(dayNumber(p.date))},${y(p.value)}`).join(" ") }, svg);
  }
  for (const p of points) el("circle", { class: "chart-dot", cx: x(dayNumber(p.date)), cy: y(p.value), r: 4 }, svg);

  const rows = [];
  if (path) rows.push([formatDate(path.startDate), t("{value} (baseline)", { value: formatNumber(path.baseline) })]);
  for (const p of points) rows.push([formatDate(p.date), formatNumber(p.value) + (p.note ? ` (${p.note})` : "")]);
  if (path) rows.push([formatDate(path.endDate), t("{value} (target)", { value: formatNumber(path.target) })]);
  const legend = html("p", "measure-legend");
  legend.setAttribute("aria-hidden", "true"); // the table says the same to a screen reader
  legend.append(html("span", "key key-value", t("recorded")), " ",
    ...(path ? [html("span", "key key-path", t("path to the target")), " "] : []));
  container.append(svg, legend, words, hiddenTable(metric, [t("Date"), metric], rows));
  return model;
}
