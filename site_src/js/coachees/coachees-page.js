// The coachees page (/<lang>/coachees/): one row per coachee (a table on a laptop, cards on a phone, from one
// table and coachees.css), sortable by any column, filtered to those who need attention or by a search over names,
// plans and the coach's notes; CSV and print. With ?id=<coachee key>, one coachee's session preparation instead
// (coachee-view.js, loaded only then). Only the coachees page loads this module (its own <script>), and it starts
// itself.

import { n, t } from "../core/i18n.js";
import { guarded, req, run } from "../store/store.js";
import { listCoachNotes } from "../store/coach-notes.js";
import { allSchemas, el } from "../files/file-actions.js";
import { coacheeRows, filterRows, planReader, sortRows } from "./desk.js";
import { cells, columnHeadings, csvTable, reasonText } from "./desk-text.js";

const state = { rows: [], notes: [], schemas: {}, sort: "name", order: "ascending", attention: false, query: "" };
const $ = (id) => document.getElementById(id);

function header() {
  const row = $("coachees-table").tHead.rows[0];
  row.replaceChildren(...columnHeadings().map(([key, heading]) => {
    const th = el("th", { scope: "col" });
    th.dataset.column = key;
    const button = el("button", { type: "button", className: "coachees-sort", textContent: heading });
    button.dataset.sort = key;
    th.append(button);
    return th;
  }));
  row.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-sort]");
    if (!b) return;
    const key = b.dataset.sort;
    state.order = state.sort === key && state.order === "ascending" ? "descending" : "ascending";
    // Counts and attention read best most first; names and dates from the top.
    if (state.sort !== key && !["name", "latest", "nextReview"].includes(key)) state.order = "descending";
    state.sort = key;
    draw();
  });
}

function coacheeHref(key) {
  return `?id=${encodeURIComponent(key)}`;
}

// Every row is a copy of one empty row (its cells with their column and label set once), filled in: a page of
// 200 coachees has 2,400 cells.
function emptyRow(headings) {
  const tr = el("tr");
  for (const [key, heading] of headings) {
    const cell = el(key === "name" ? "th" : "td");
    cell.dataset.column = key;
    cell.dataset.label = heading; // the card's label on a phone (coachees.css)
    if (key === "name") {
      cell.scope = "row";
      cell.append(el("a"));
    }
    tr.append(cell);
  }
  return tr;
}

function rowOf(r, headings, empty) {
  const text = cells(r);
  const tr = empty.cloneNode(true);
  tr.className = r.reasons.length ? "coachee-row needs-attention" : "coachee-row";
  tr.dataset.key = r.key;
  headings.forEach(([key], i) => {
    const cell = tr.cells[i];
    if (key === "name") {
      Object.assign(cell.firstChild, { href: coacheeHref(r.key), textContent: text.name });
    } else if (key === "attention") {
      if (r.reasons.length) cell.append(el("ul", { className: "coachee-reasons" }, ...r.reasons.map((x) => el("li", { textContent: reasonText(x) }))));
      else cell.textContent = t("No");
    } else {
      cell.textContent = text[key];
      if (!text[key]) cell.classList.add("empty");
    }
  });
  return tr;
}

function shown() {
  return sortRows(filterRows(state.rows, { attentionOnly: state.attention, query: state.query, notes: state.notes }),
    state.sort, state.order);
}

function draw() {
  const rows = shown();
  for (const th of $("coachees-table").tHead.rows[0].cells) {
    if (th.dataset.column === state.sort) th.setAttribute("aria-sort", state.order);
    else th.removeAttribute("aria-sort");
  }
  const headings = columnHeadings();
  const empty = emptyRow(headings);
  $("coachees-table").tBodies[0].replaceChildren(...rows.map((r) => rowOf(r, headings, empty)));
  const total = state.rows.length;
  const attention = state.rows.filter((r) => r.reasons.length).length;
  const all = n("{n} coachee", "{n} coachees", total);
  const needing = n("{n} needs attention", "{n} need attention", attention);
  const showing = n("{n} shown", "{n} shown", rows.length);
  $("coachees-count").textContent = rows.length === total ? `${all} · ${needing}` : `${all} · ${needing} · ${showing}`;
}

async function exportCsv() {
  const [{ toCsv }, { saveFile }] = await Promise.all([import("./csv.js"), import("../files/save-file.js")]);
  const { header: head, records } = csvTable(shown());
  const day = new Date().toISOString().slice(0, 10);
  await saveFile(toCsv(head, records), `passo-coachees-${day}.csv`, "text/csv;charset=utf-8");
}

// Every shared plan, most recently received first, as shared-store.js's listShared() gives them; but read as 16
// ranges of keys (plan ids, UUIDs: by their first hex digit) in one transaction. IndexedDB delivers the first of
// them within a few milliseconds and all of 1,000 plans in about two thirds of the time one getAll() takes, and the
// page reads each range's plans while the rest are on their way (onPart). Together the ranges hold every key, once.
const BOUNDS = [..."123456789abcdef"];
const ranges = () => [IDBKeyRange.upperBound("1", true),
  ...BOUNDS.slice(1).map((b, i) => IDBKeyRange.bound(BOUNDS[i], b, false, true)), IDBKeyRange.lowerBound("f")];

function listShared(onPart) {
  return guarded(() => run("readonly", ["shared"], (tx) => Promise.all(ranges().map((r) =>
    req(tx.objectStore("shared").getAll(r)).then((part) => {
      onPart(part);
      return part;
    })))))
    .then((parts) => parts.flat().sort((a, b) => (a.received < b.received ? 1 : a.received > b.received ? -1 : 0)));
}

async function load() {
  const now = Date.now();
  const schemasLoaded = allSchemas().then((all) => all.schemas, () => ({}));
  let read = null;
  const reading = [];
  const [records, notes, schemas] = await Promise.all([
    listShared((part) => reading.push(schemasLoaded.then((s) => part.forEach((read ||= planReader(s, now)))))),
    listCoachNotes(), schemasLoaded]);
  await Promise.all(reading);
  state.notes = notes;
  state.schemas = schemas;
  state.rows = coacheeRows(records, schemas, now, read || planReader(schemas, now));
}

export async function init() {
  const root = $("coachees");
  if (!root) return;
  try {
    await load();
  } catch (e) {
    $("coachees-alert").textContent = (e && e.name === "StorageError" && e.message) || t("Something went wrong. Try again.");
    root.setAttribute("aria-busy", "false");
    document.documentElement.dataset.coacheesReady = "1";
    return;
  }
  $("coachees-loading").hidden = true;
  const id = new URLSearchParams(location.search).get("id");
  if (id !== null) {
    const row = state.rows.find((r) => r.key === id) || null;
    const view = await import("./coachee-view.js");
    await view.showCoachee(row, { notes: state.notes, schemas: state.schemas });
  } else if (!state.rows.length) {
    $("coachees-empty").hidden = false;
  } else {
    $("coachees-overview").hidden = false;
    header();
    const search = $("coachees-search");
    const attention = $("coachees-attention");
    search.addEventListener("input", () => { state.query = search.value; draw(); });
    attention.addEventListener("change", () => { state.attention = attention.checked; draw(); });
    $("coachees-csv").addEventListener("click", () => exportCsv().catch(() => {
      $("coachees-alert").textContent = t("Something went wrong. Try again.");
    }));
    $("coachees-print").addEventListener("click", () => window.print());
    draw();
  }
  root.setAttribute("aria-busy", "false");
  root.dataset.ready = "1";
  document.documentElement.dataset.coacheesReady = "1";
}

init().catch((error) => console.error("Passo could not start this page:", error));
