// A repeating action's habit, under it on the plan page: a strip of its last weeks (each occurrence done, partly,
// missed, skipped, dropped or still due, told apart by a mark and words, not colour alone), "Done 9 of the last
// 12" (skipped and dropped left out: a planned rest is no failure), and the notes written on the misses.

import { n, t } from "../core/i18n.js";
import { doneOfLast, occurrenceCheckins, recentOccurrences } from "../repeat/habit.js";
import { occurrenceName } from "../repeat/repeat-text.js";
import { formatDate } from "../core/i18n.js";

const DAY_NUMBER = { day: "numeric" };
const MARKS = { done: "✓", partly: "◐", missed: "✕", "not-done": "✕", skipped: "–", dropped: "⊘", due: "○",
  moved: "→" };

function stateText(state) {
  const words = {
    done: () => t("done"), partly: () => t("partly done"), missed: () => t("missed"), "not-done": () => t("not done"),
    skipped: () => t("skipped"), dropped: () => t("dropped"), due: () => t("still due"), moved: () => t("moved"),
  };
  return (words[state] || words.due)();
}

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/** The habit block for a repeating item at now; nothing when its rule has no occurrence in the last weeks. */
export function renderHabit(container, item, checkins, lang, now = Date.now()) {
  const recent = recentOccurrences(item.when, checkins, item.id, now);
  if (!recent.length) return;
  const box = el("div", "habit");
  const { done, of } = doneOfLast(recent.map((o) => o.state));
  if (of) box.append(el("p", "habit-count", t("Done {done} of the last {of}", { done, of })));
  const strip = el("ol", "habit-strip");
  strip.setAttribute("aria-label", t("The last weeks, one mark per day it repeats"));
  for (const { date, state } of recent) {
    const li = el("li", `habit-day is-${state === "not-done" ? "missed" : state}`);
    const mark = el("span", "habit-mark", MARKS[state] || "○");
    mark.setAttribute("aria-hidden", "true");
    const day = el("span", "habit-date", formatDate(date, DAY_NUMBER));
    day.setAttribute("aria-hidden", "true");
    li.append(mark, day, el("span", "visually-hidden", `${occurrenceName(date)}: ${stateText(state)}`));
    strip.append(li);
  }
  box.append(strip);
  // What got in the way, in the coachee's words: the notes on the occurrences not done (or only partly).
  const notes = [...occurrenceCheckins(checkins, item.id)].filter(([, c]) => c.note &&
    ["not-done", "partly", "skipped"].includes(c.outcome)).slice(-5);
  if (notes.length) {
    const list = el("ul", "habit-notes");
    for (const [date, c] of notes) {
      const li = el("li", null, `${occurrenceName(date)} (${stateText(c.outcome)}): `);
      const note = el("span", null, c.note);
      if (lang) note.lang = lang;
      li.append(note);
      list.append(li);
    }
    box.append(el("p", "habit-notes-title", n("Note on a missed or skipped day", "Notes on missed and skipped days", notes.length)), list);
  }
  container.append(box);
}
