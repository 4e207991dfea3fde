// The desk in words, in the page language: column headings, cells, the reasons a coachee needs attention, and the
// questions a session could open with. No DOM: the page, the print view and the CSV all read the same words.
//
// The questions follow the coaching method (DESIGN.md, from the source articles): the coach asks, the coachee
// finds the answer. So they are open questions about what happened, never advice: a commitment under 7 asks
// whether the action still matters, 7-9 what would make it a 10; an action not done twice asks what got in the way.

import { formatDate, formatDateTime, n, t } from "../core/i18n.js";
import { LOW_COMMITMENT } from "./desk.js";

/** Column key -> heading, in the order the table and the CSV show them. */
export function columnHeadings() {
  return [
    ["name", t("Coachee")], ["latest", t("Latest share")], ["plans", t("Plans")], ["overdue", t("Overdue")],
    ["onTime", t("Done on time")], ["late", t("Done late")], ["notDone", t("Not done")], ["skipped", t("Skipped")],
    ["commitment", t("Commitment")], ["measure", t("Measure")], ["nextReview", t("Next review")],
    ["attention", t("Needs attention")],
  ];
}

export function noName() {
  return t("Someone who gave no name");
}

/** "Bo (also known as Bob)" when a coachee key came with more than one name. */
export function nameText(row) {
  const name = row.name || noName();
  const others = row.names.filter((x) => x && x !== row.name);
  return others.length ? t("{name} (also shared as {others})", { name, others: others.join(", ") }) : name;
}

export function directionText(dir) {
  return { up: t("rising"), down: t("falling"), same: t("steady") }[dir] || "";
}

export function commitmentText(c) {
  if (!c) return "";
  const dir = directionText(c.direction);
  return dir ? t("{value} of 10, {direction} (was {before})", { value: c.value, direction: dir, before: c.before })
    : t("{value} of 10", { value: c.value });
}

export function measureText(m) {
  if (!m) return "";
  return m.behind ? n("{n} behind its path", "{n} behind their path", m.behind) : t("on its path");
}

/** One reason in words. */
export function reasonText(r) {
  if (r.kind === "overdue") {
    const items = n("{n} item", "{n} items", r.count);
    return n("{items} overdue, the oldest by {n} day", "{items} overdue, the oldest by {n} days", r.days, { items });
  }
  if (r.kind === "commitment") return t("commitment at {value}, under {low}", { value: r.value, low: LOW_COMMITMENT });
  if (r.kind === "measure") return n("{n} measure behind its path", "{n} measures behind their path", r.count);
  const days = n("{n} day", "{n} days", r.days);
  return t("no share for {days} (agreed: every {frequency} days)", { days, frequency: r.frequency });
}

/** Each column's cell as text, keyed like columnHeadings. */
export function cells(row) {
  return {
    name: nameText(row),
    latest: formatDateTime(row.latest),
    plans: row.plans.map((p) => p.title).join("; "),
    overdue: String(row.overdue.length),
    onTime: String(row.since.onTime),
    late: String(row.since.late),
    notDone: String(row.since.notDone),
    skipped: String(row.since.skipped),
    commitment: commitmentText(row.commitment),
    measure: measureText(row.measure),
    nextReview: row.nextReview ? formatDate(row.nextReview) : "",
    attention: row.reasons.map(reasonText).join("; "),
  };
}

/** The CSV's header and records, the columns shown, in the page language. */
export function csvTable(rows) {
  const heads = columnHeadings();
  return { header: heads.map(([, h]) => h), records: rows.map((r) => {
    const c = cells(r);
    return heads.map(([k]) => c[k]);
  }) };
}

const quote = (s) => `“${String(s).slice(0, 80)}”`;

/**
 * Questions to open the session with, drawn from what happened since the previous share (row from
 * coacheeRow); at least one, at most six.
 */
export function sessionQuestions(row) {
  const out = [];
  for (const p of row.plans) {
    const notDone = new Map();
    for (const c of p.rec.checkins || []) if (c.outcome === "not-done") notDone.set(c.item, (notDone.get(c.item) || 0) + 1);
    for (const [id, count] of notDone) {
      const item = p.items.find((i) => i.id === id);
      if (count >= 2 && item && !item.done) {
        out.push(t("{item} was not done {n} times. What got in the way each time, and what do you make of it?",
          { item: quote(item.text), n: count }));
      }
    }
    const skipped = p.fresh.filter((c) => c.outcome === "skipped").length;
    if (skipped) {
      out.push(n("You skipped {n} time since the last share. What led you to skip?",
        "You skipped {n} times since the last share. What led you to skip?", skipped));
    }
  }
  const c = row.commitment;
  if (c && c.direction === "down") {
    out.push(t("Your commitment to {item} went from {before} to {value}. What changed?",
      { item: quote(c.item.text), before: c.before, value: c.value }));
  }
  if (c && c.value < LOW_COMMITMENT) {
    out.push(t("How much does {item} still matter to you?", { item: quote(c.item.text) }));
  } else if (c && c.value < 10) {
    out.push(t("What would make {item} a 10?", { item: quote(c.item.text) }));
  }
  // One question per item, about its oldest overdue day (a repeating action's oldest missed occurrence).
  const asked = new Set();
  for (const o of row.overdue.filter((x) => x.days > 0)) {
    if (asked.has(o.item.id) || asked.size >= 2) continue;
    asked.add(o.item.id);
    out.push(t("{item} was due on {date}. Where does it stand for you now?",
      { item: quote(o.item.text), date: formatDate(o.occurrence || o.item.when.date) }));
  }
  if (row.measure && row.measure.behind) {
    out.push(t("Your measure is behind the path you set. What do you notice about it?"));
  }
  if (row.since.onTime) {
    out.push(n("You did {n} action on time. What helped?", "You did {n} actions on time. What helped?", row.since.onTime));
  }
  if (row.reasons.some((r) => r.kind === "silent")) out.push(t("How have things gone since you last shared?"));
  if (!out.length) out.push(t("What has gone well since we last spoke?"));
  return [...new Set(out)].slice(0, 6);
}
