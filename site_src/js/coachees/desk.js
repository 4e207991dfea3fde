// coachees/: the coach's desk (DESIGN.md "Coach's desk"): every coachee who shared, at a glance (coachees-page.js),
// one coachee's session preparation (coachee-view.js), the coach's own notes (notes-ui.js), the CSV (csv.js).
//
// The desk's rules, in one place. Pure (no DOM, no storage): Node tests drive it with a fixed clock.
// - A coachee is a coachee key (version 2 shares) or, for version 1 shares, the "From" name.
// - Every comparison with "now" happens in the item's own zone (due/sections.js, checkin/plan-stats.js).
// - "Since their previous share": the check-ins each plan's latest share holds that the share before it did not.
//   A "done" check-in is on time when it fell on or before the item's day (its occurrence, for a repeating one).
// - Needs attention: an item overdue for more than 7 days, a latest commitment under 7, a measure behind its path,
//   or no share for longer than the agreed frequency (a shared review's repeat, else 30 days). Each says which.

import { tp } from "../core/i18n.js";
import { daysBetween, lateness, overdueFrom, sectionOf } from "../due/sections.js";
import { planTitle } from "../schema/plan-items.js";
import { deskItems } from "./desk-items.js";
import { checkinsSince } from "../share/checkins-since.js";
import { addDays, today } from "../time/zone-day.js";
import { deadline } from "../time/zoned-time.js";
import { measureStatus } from "./measure.js";
import { agendaParts, expandable } from "../repeat/habit.js";
import { occurrences } from "../time/repeat.js";

export const OVERDUE_DAYS = 7;
export const LOW_COMMITMENT = 7;
export const DEFAULT_FREQUENCY_DAYS = 30;
const DAY = 86400000;
const REPEAT_DAYS = { daily: 1, weekly: 7, monthly: 30 };

/** The key a shared record is grouped by: its coachee key, else its "From" name. */
export const coacheeKey = (rec) => (rec.coachee ? rec.coachee : `from:${rec.from || ""}`);

/**
 * Shared records grouped by coachee: [{key, name, names, records, latest}], each group's records by title then
 * id; name is the "From" of its latest share, names every name the key came with (oldest first).
 */
export function groupCoachees(records) {
  const groups = new Map();
  for (const rec of records) {
    const key = coacheeKey(rec);
    if (!groups.has(key)) groups.set(key, { key, records: [] });
    groups.get(key).records.push(rec);
  }
  return [...groups.values()].map((g) => {
    const byShare = [...g.records].sort((a, b) => (a.shared < b.shared ? -1 : a.shared > b.shared ? 1 : 0));
    const names = [];
    for (const r of byShare) {
      for (const name of [...(Array.isArray(r.names) ? r.names : []), r.from]) {
        if (typeof name === "string" && !names.includes(name)) names.push(name);
      }
    }
    const last = byShare[byShare.length - 1];
    // The name now in use goes last, so "names" reads as the history of what they were called.
    const name = last.from || "";
    const ordered = [...names.filter((x) => x !== name), name].filter((x, i, all) => x || all.length === 1);
    return { key: g.key, name, names: ordered, records: g.records, latest: last.shared };
  });
}

/** Days a plan's sessions are apart: the first shared review that repeats, else the default. */
function frequencyDays(items) {
  for (const item of items) {
    const r = item.kind === "review" && item.value && item.value.when && item.value.when.repeat;
    if (r && REPEAT_DAYS[r.freq]) return REPEAT_DAYS[r.freq] * (Number.isInteger(r.interval) ? r.interval : 1);
  }
  return null;
}

/**
 * The commitment of an item read at its latest check-in (with a commitment) or in the share's data. rated: the
 * plan's check-ins with a commitment, by item; before(id): the commitment the previous share's data gave it.
 */
function commitmentSeries(item, rated, rec, before) {
  const points = (rated.get(item.id) || []).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((c) => ({ value: c.commitment, at: c.at }));
  if (!points.length && item.commitment != null) {
    const was = rec.previous ? before(item.id) : null;
    if (was != null) points.push({ value: was, at: rec.previous.shared });
    points.push({ value: item.commitment, at: rec.shared });
  } else if (points.length === 1 && rec.previous) {
    const was = before(item.id);
    if (was != null) points.unshift({ value: was, at: rec.previous.shared });
  }
  return points;
}

/**
 * The commitment of each id in data (null: none), read from the first object with that id a depth-first walk
 * meets, as a search for one id would find it: one walk for all of a plan's items.
 */
function commitmentsIn(data) {
  const out = new Map();
  const stack = [data];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object") {
      if (!out.has(v.id)) out.set(v.id, Number.isInteger(v.commitment) ? v.commitment : null);
      stack.push(...Object.values(v));
    }
  }
  return out;
}

const direction = (before, value) => (before == null ? null : value < before ? "down" : value > before ? "up" : "same");

// Zone arithmetic is what a page of 200 coachees spends its time on: each answer is worked out once per call.
function memo(fn) {
  const seen = new Map();
  return (a, b = "", c = "") => {
    const k = `${a}|${b}|${c}`;
    let v = seen.get(k);
    if (v === undefined && !seen.has(k)) seen.set(k, (v = fn(a, b, c)));
    return v;
  };
}

/** The zone answers at `now` the desk asks for, each worked out once: shared by every plan of a page. */
export function zoneAnswers(now) {
  const when = (date, time, tz) => ({ date, time: time || null, tz: tz || null });
  const answers = {
    todayIn: memo((tz) => today(now, tz)),
    dayEnds: memo((date, tz) => deadline({ date, tz })),
    // Without a time, an item is overdue when its day ends (overdueFrom): the same answer as dayEnds.
    overdueAt: memo((date, time, tz) => (time ? overdueFrom(when(date, time, tz)) : answers.dayEnds(date, tz))),
    // Whole days an overdue moment is late (0 within its first day): most items of a page share a few dates. An
    // all-day item is late by the days from its date to today in its zone (as lateness() counts them), so the
    // zone's today is asked once per zone rather than once per date.
    daysLate: memo((date, time, tz) => {
      if (time) return (lateness(when(date, time, tz), now) || {}).days || 0;
      const days = daysBetween(date, answers.todayIn(tz));
      return days >= 1 ? days : 0;
    }),
  };
  return answers;
}

/** One plan as the desk reads it: its items, what is overdue, the counts since the previous share. */
export function readPlan(rec, schema, now, zones = zoneAnswers(now)) {
  const { todayIn, dayEnds, overdueAt, daysLate } = zones;
  const items = deskItems(rec, schema, rec.checkins || []);
  const title = planTitle(rec, schema) || (schema && schema.title ? tp(`${rec.schema}:/title`, schema.title) : rec.schema);
  const byId = new Map(items.map((i) => [i.id, i]));
  const fresh = checkinsSince(rec.previous, rec);
  const since = { onTime: 0, late: 0, notDone: 0, skipped: 0 };
  for (const c of fresh) {
    const item = byId.get(c.item);
    if (c.outcome === "done") {
      // On time: by the end of the item's day (its occurrence's, for a repeating one) in its own zone.
      const due = c.occurrence || (item && item.when && item.when.date);
      const tz = item && item.when ? item.when.tz : null;
      if (due && Date.parse(c.at) >= dayEnds(due, tz || "")) since.late += 1;
      else since.onTime += 1;
    } else if (c.outcome === "not-done") since.notDone += 1;
    else if (c.outcome === "skipped") since.skipped += 1;
  }
  const overdue = [];
  for (const item of items) {
    const w = item.when;
    if (item.done || item.dropped || !w) continue;
    if (expandable(w)) {
      // A repeating action is overdue by each occurrence missed (no check-in), as the coachee's agenda shows it.
      for (const date of agendaParts(w, rec.checkins || [], item.id, now).missed) {
        overdue.push({ item, occurrence: date, days: daysLate(date, w.time || "", w.tz || "") });
      }
      continue;
    }
    if (overdueAt(w.date, w.time || "", w.tz || "") > now) continue;
    overdue.push({ item, days: daysLate(w.date, w.time || "", w.tz || "") });
  }
  const open = items.filter((i) => i.kind === "action" && !i.done && !i.dropped);
  const rated = new Map(); // one pass over the check-ins, not one per open action
  for (const c of rec.checkins || []) {
    if (!Number.isInteger(c.commitment)) continue;
    if (!rated.has(c.item)) rated.set(c.item, []);
    rated.get(c.item).push(c);
  }
  let previous = null;
  const before = (id) => (previous ||= commitmentsIn(rec.previous.data)).get(id) ?? null;
  let commitment = null;
  for (const item of open) {
    const points = commitmentSeries(item, rated, rec, before);
    if (!points.length) continue;
    const last = points[points.length - 1];
    if (!commitment || last.at > commitment.at) {
      const before = points.length > 1 ? points[points.length - 2].value : null;
      commitment = { value: last.value, before, direction: direction(before, last.value), at: last.at, item, title };
    }
  }
  const reviews = items.filter((i) => i.kind === "review" && !i.done && i.when && i.when.date >= todayIn(i.when.tz || ""));
  const nextReview = reviews.map((i) => i.when.date).sort()[0] || null;
  return { rec, schema, title, items, fresh, since, overdue, commitment, nextReview,
    frequency: frequencyDays(items), measure: measureStatus(rec, schema, now) };
}

/**
 * The overview row of one coachee group at now (ms): the columns the page shows and the CSV holds, and the
 * reasons it needs attention, as data ({kind, ...}); coachees-text.js says them in words.
 */
export function coacheeRow(group, schemas, now, read = planReader(schemas, now)) {
  const plans = group.records.map(read)
    .sort((a, b) => a.title.localeCompare(b.title) || (a.rec.id < b.rec.id ? -1 : 1));
  const since = { onTime: 0, late: 0, notDone: 0, skipped: 0 };
  for (const p of plans) for (const k of Object.keys(since)) since[k] += p.since[k];
  const overdue = plans.flatMap((p) => p.overdue.map((o) => ({ ...o, plan: p })));
  const commitment = plans.map((p) => p.commitment).filter(Boolean)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))[0] || null;
  const measured = plans.map((p) => p.measure).filter(Boolean);
  const measure = measured.length ? { total: measured.length, behind: measured.filter((m) => m.behind).length } : null;
  const nextReview = plans.map((p) => p.nextReview).filter(Boolean).sort()[0] || null;
  const frequency = plans.map((p) => p.frequency).filter(Boolean).sort((a, b) => a - b)[0] || DEFAULT_FREQUENCY_DAYS;
  const daysSince = Math.floor((now - Date.parse(group.latest)) / DAY);
  const reasons = [];
  const long = overdue.filter((o) => o.days > OVERDUE_DAYS);
  if (long.length) reasons.push({ kind: "overdue", count: long.length, days: Math.max(...long.map((o) => o.days)) });
  if (commitment && commitment.value < LOW_COMMITMENT) reasons.push({ kind: "commitment", value: commitment.value });
  if (measure && measure.behind) reasons.push({ kind: "measure", count: measure.behind });
  if (daysSince > frequency) reasons.push({ kind: "silent", days: daysSince, frequency });
  return { key: group.key, name: group.name, names: group.names, latest: group.latest, plans, overdue, since,
    commitment, measure, nextReview, frequency, daysSince, reasons };
}

/**
 * readPlan at now as a function of a record, each plan read once and each zone answer worked out once for all of
 * them: the page reads plans as IndexedDB delivers them, before it has them all to group.
 */
export function planReader(schemas, now) {
  const zones = zoneAnswers(now);
  const read = new Map();
  return (rec) => {
    if (!read.has(rec)) read.set(rec, readPlan(rec, schemas[rec.schema] || null, now, zones));
    return read.get(rec);
  };
}

/** Every coachee's row, sorted by name. */
export function coacheeRows(records, schemas, now, read = planReader(schemas, now)) {
  return groupCoachees(records).map((g) => coacheeRow(g, schemas, now, read))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.key < b.key ? -1 : 1));
}

// The sortable columns: each a value to compare (null sorts last either way).
const SORT_VALUES = {
  name: (r) => r.name.toLocaleLowerCase(),
  latest: (r) => r.latest,
  plans: (r) => r.plans.length,
  overdue: (r) => r.overdue.length,
  onTime: (r) => r.since.onTime,
  late: (r) => r.since.late,
  notDone: (r) => r.since.notDone,
  skipped: (r) => r.since.skipped,
  commitment: (r) => (r.commitment ? r.commitment.value : null),
  measure: (r) => (r.measure ? r.measure.behind : null),
  nextReview: (r) => r.nextReview,
  attention: (r) => r.reasons.length,
};
export const COLUMNS = Object.keys(SORT_VALUES);

/** Rows sorted by one column, "ascending" or "descending"; ties keep the name order. */
export function sortRows(rows, column, order = "ascending") {
  const value = SORT_VALUES[column] || SORT_VALUES.name;
  const sign = order === "descending" ? -1 : 1;
  return rows.map((r, i) => ({ r, i, v: value(r) })).sort((a, b) => {
    if (a.v == null || b.v == null) return a.v == null && b.v == null ? a.i - b.i : a.v == null ? 1 : -1;
    if (a.v < b.v) return -sign;
    if (a.v > b.v) return sign;
    return a.i - b.i;
  }).map((x) => x.r);
}

const fold = (s) => String(s || "").normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();

/**
 * Rows kept by the filter: attentionOnly keeps those with a reason; query (any words, accents ignored) keeps
 * those whose names, plan titles or the coach's notes on them (notes: [{coachee, text}]) hold every word.
 */
export function filterRows(rows, { attentionOnly = false, query = "", notes = [] } = {}) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const noteText = new Map();
  for (const n of notes) noteText.set(n.coachee, `${noteText.get(n.coachee) || ""} ${n.text}`);
  return rows.filter((r) => {
    if (attentionOnly && !r.reasons.length) return false;
    if (!words.length) return true;
    const hay = fold([...r.names, ...r.plans.map((p) => p.title), noteText.get(r.key) || ""].join(" "));
    return words.every((w) => hay.includes(w));
  });
}

/**
 * What fell due since the previous share of a plan (read by readPlan) and what happened: the items whose day came
 * between the previous share's day and today (each in its own zone; every item up to today without a previous
 * share) and those with check-ins new since it. [{item, state, checkins}], by date; state: "done", "dropped",
 * "overdue" or "open".
 */
export function fellDue(plan, now) {
  const { rec, items, fresh } = plan;
  const out = [];
  for (const item of items) {
    const checkins = fresh.filter((c) => c.item === item.id);
    const tz = item.when ? item.when.tz : null;
    const from = rec.previous ? today(Date.parse(rec.previous.shared), tz) : "";
    if (item.when && expandable(item.when)) {
      // A repeating action fell due when any occurrence did; it is overdue by the occurrences missed.
      const day = today(now, tz);
      const due = occurrences(item.when, from ? addDays(from, 1) : item.when.date, day).length > 0;
      if (!due && !checkins.length) continue;
      const { missed } = agendaParts(item.when, rec.checkins || [], item.id, now);
      const state = item.done ? "done" : item.dropped ? "dropped" : missed.length ? "overdue" : "open";
      out.push({ item, state, checkins, missed });
      continue;
    }
    const due = item.when && item.when.date > from && item.when.date <= today(now, tz);
    if (!due && !checkins.length) continue;
    const state = item.done ? "done" : item.dropped ? "dropped"
      : item.when && sectionOf(item.when, now) === "overdue" ? "overdue" : "open";
    out.push({ item, state, checkins });
  }
  return out.sort((a, b) => ((a.item.when && a.item.when.date) || "9") < ((b.item.when && b.item.when.date) || "9") ? -1 : 1);
}
