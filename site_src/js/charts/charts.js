// charts/: progress drawn as inline SVG with a table for screen readers, for my plans and an item's history.
//
// Progress charts as inline SVG, no library: the OSKAR scale over time and the commitment of each action.
//
// Every chart is role="img" with a <title> that states the values in words, and (unless compact) a
// visually hidden table of the same values, so a screen reader gets the data rather than the picture.
// Colours come from plans.css classes (CSP forbids style attributes); shapes and positions are attributes.

import { formatDate, formatNumber, t } from "../core/i18n.js";

const SVG = "http://www.w3.org/2000/svg";
let uid = 0;

export function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function html(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

const shortDate = { day: "numeric", month: "short" };
const round1 = (x) => Math.round(x * 10) / 10;

function dayNumber(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 : NaN;
}

const valueOf = (p) => (p.value ?? p.score ?? null);

/** Valid points ({date, value} or the OSKAR schema's {date, score}), sorted by date, clamped to 1-10. */
export function scalePoints(points) {
  return (Array.isArray(points) ? points : [])
    .filter((p) => p && valueOf(p) !== null && valueOf(p) !== "" && Number.isFinite(Number(valueOf(p)))
      && Number.isFinite(dayNumber(p.date)))
    .map((p) => ({ date: String(p.date).slice(0, 10), value: Math.min(10, Math.max(1, Number(valueOf(p)))) }))
    .sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
}

/** A sentence with the values: all of them when few, else first, last, lowest and highest. */
export function describeScale(points, label) {
  const pts = scalePoints(points);
  const head = label ? `${label}: ` : "";
  if (!pts.length) return head + t("no scale recorded yet");
  const one = (p) => t("{value} on {date}", { value: formatNumber(p.value), date: formatDate(p.date) });
  if (pts.length <= 5) return head + t("scale 1 to 10: {values}", { values: pts.map(one).join(", ") });
  const values = pts.map((p) => p.value);
  return head + t("scale 1 to 10, {count} entries: from {first} to {last}; lowest {min}, highest {max}", {
    count: formatNumber(pts.length), first: one(pts[0]), last: one(pts[pts.length - 1]),
    min: formatNumber(Math.min(...values)), max: formatNumber(Math.max(...values)),
  });
}

export function hiddenTable(caption, headers, rows) {
  const table = html("table", "visually-hidden");
  table.appendChild(html("caption", null, caption));
  const head = table.createTHead().insertRow();
  for (const h of headers) {
    const th = html("th", null, h);
    th.scope = "col";
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const cells of rows) {
    const tr = body.insertRow();
    cells.forEach((c, i) => {
      const cell = html(i ? "td" : "th", null, c);
      if (!i) cell.scope = "row";
      tr.appendChild(cell);
    });
  }
  return table;
}

export function svgRoot(className, width, height, summary) {
  const id = `chart-${++uid}`;
  const svg = el("svg", {
    class: className, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": id, focusable: "false",
  });
  el("title", { id }, svg).textContent = summary;
  return svg;
}

/**
 * The 1-10 scale over time: points = [{date: "YYYY-MM-DD", value: 1..10}, ...] (or {date, score}).
 * options.label names the outcome; options.compact draws a sparkline for lists (no axes, no table).
 * Replaces the container's content; returns the svg (or null when there is nothing to draw).
 */
export function renderScaleChart(container, points, options = {}) {
  const { label = "", compact = false, valueName = t("Scale 1-10") } = options;
  const pts = scalePoints(points);
  const summary = describeScale(pts, label || t("Scale"));
  container.replaceChildren();
  if (!pts.length) {
    if (!compact) container.appendChild(html("p", "chart-empty", summary));
    return null;
  }
  const W = compact ? 96 : 320;
  const H = compact ? 28 : 160;
  const pad = compact ? { l: 3, r: 3, t: 3, b: 3 } : { l: 26, r: 10, t: 10, b: 26 };
  const first = dayNumber(pts[0].date);
  const span = dayNumber(pts[pts.length - 1].date) - first;
  // Spaced by time, so a long gap between sessions looks long; a single day spreads points evenly.
  const x = (p, i) =>
    pad.l + (W - pad.l - pad.r) * (span > 0 ? (dayNumber(p.date) - first) / span : pts.length > 1 ? i / (pts.length - 1) : 0.5);
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - (v - 1) / 9);

  const svg = svgRoot(compact ? "chart chart-scale chart-compact" : "chart chart-scale", W, H, summary);
  if (!compact) {
    for (const v of [1, 5, 10]) {
      el("line", { class: "chart-grid", x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v) }, svg);
      el("text", { class: "chart-axis", x: pad.l - 6, y: y(v) + 4, "text-anchor": "end" }, svg).textContent =
        formatNumber(v);
    }
    const ends = pts.length > 1 ? [pts[0], pts[pts.length - 1]] : [pts[0]];
    ends.forEach((p, i) => {
      const anchor = ends.length === 1 ? "middle" : i ? "end" : "start";
      el("text", { class: "chart-axis", x: x(p, i ? pts.length - 1 : 0), y: H - 6, "text-anchor": anchor }, svg)
        .textContent = formatDate(p.date, shortDate);
    });
  }
  if (pts.length > 1) {
    const line = pts.map((p, i) => `${round1(x(p, i))},${round1(y(p.value))}`).join(" ");
    el("polyline", { class: "chart-line", points: line, fill: "none" }, svg);
  }
  const shown = compact ? [pts[pts.length - 1]] : pts;
  shown.forEach((p) => {
    const i = pts.indexOf(p);
    el("circle", { class: "chart-dot", cx: round1(x(p, i)), cy: round1(y(p.value)), r: compact ? 2.5 : 4 }, svg);
  });
  container.appendChild(svg);
  if (!compact) {
    container.appendChild(hiddenTable(label || t("Scale"), [t("Date"), valueName],
      pts.map((p) => [formatDate(p.date), formatNumber(p.value)])));
  }
  return svg;
}

/**
 * One action's commitment over time (each time a check-in asked it): points = [{date, value: 1..10}].
 * The same drawing as the scale, its table headed "Commitment 1-10".
 */
export function renderCommitmentHistory(container, points, label) {
  return renderScaleChart(container, points, { label, valueName: t("Commitment 1-10") });
}

function clip(text, max) {
  const chars = [...String(text)];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/**
 * The commitment (1-10) of each action as horizontal bars: actions = [{label, commitment}, ...].
 * Actions without a score are listed as "not scored". Replaces the container's content; returns the svg.
 */
export function renderCommitmentChart(container, actions, options = {}) {
  const rows = (Array.isArray(actions) ? actions : []).map((a, i) => {
    const c = Number(a && a.commitment);
    return {
      label: (a && String(a.label || "").trim()) || t("Action {number}", { number: formatNumber(i + 1) }),
      value: a && a.commitment !== "" && a.commitment != null && Number.isFinite(c) ? Math.min(10, Math.max(0, c)) : null,
    };
  });
  const title = options.label || t("Commitment");
  container.replaceChildren();
  if (!rows.length) {
    container.appendChild(html("p", "chart-empty", t("No actions yet.")));
    return null;
  }
  const word = (r) => (r.value == null ? t("not scored") : formatNumber(r.value));
  const summary = `${title}: ${rows.map((r) => `${r.label} ${word(r)}`).join("; ")}`;
  const W = 320;
  const ROW = 40;
  const barX = 4;
  const barW = W - barX - 30;
  const svg = svgRoot("chart chart-commitment", W, rows.length * ROW, summary);
  rows.forEach((r, i) => {
    const top = i * ROW;
    el("text", { class: "chart-label", x: barX, y: top + 14 }, svg).textContent = clip(r.label, 44);
    el("rect", { class: "chart-track", x: barX, y: top + 20, width: barW, height: 12, rx: 3 }, svg);
    if (r.value != null) {
      const level = r.value < 7 ? "low" : r.value < 10 ? "mid" : "high";
      el("rect", {
        class: `chart-bar chart-${level}`, x: barX, y: top + 20, width: round1((barW * r.value) / 10), height: 12, rx: 3,
      }, svg);
    }
    el("text", { class: "chart-value", x: W - 2, y: top + 31, "text-anchor": "end" }, svg).textContent =
      r.value == null ? "–" : formatNumber(r.value);
  });
  container.appendChild(svg);
  container.appendChild(hiddenTable(title, [t("Action"), t("Commitment 1-10")], rows.map((r) => [r.label, word(r)])));
  return svg;
}
