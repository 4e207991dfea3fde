// A plan shared with the coach, on its form page (?shared=<id>): the same layout, every control disabled and
// read-only, no autosave; who shared it and when, what changed since the previous share, and its check-ins.

import { formatDateTime, t } from "../core/i18n.js";
import { loadSchema } from "../store/migrate.js";
import { getShared } from "../store/store.js";
import { bindForm } from "../schema/form.js";
import { el, planTitle } from "../files/file-actions.js";
import { checkinList, label, text } from "./share-rows.js";

function diffSection(rec) {
  const section = el("section", { className: "shared-diff" });
  section.setAttribute("aria-labelledby", "shared-diff-title");
  section.append(el("h2", { id: "shared-diff-title", textContent: t("What changed since the previous share") }),
    el("p", { textContent: t("Revision {old} (shared {oldDate}) → revision {new} (shared {newDate}).", {
      old: rec.previous.revision, oldDate: formatDateTime(rec.previous.shared),
      new: rec.revision, newDate: formatDateTime(rec.shared) }) }));
  return section;
}

async function changes(rec, schema) {
  const { shareDiff } = await import("./share-file.js");
  const d = shareDiff(rec.previous, rec);
  const section = diffSection(rec);
  const show = (v, ptr) => text(rec.schema, schema, ptr, v);
  const group = (title, rows, render) => {
    if (!rows.length) return;
    const dl = el("dl", { className: "report-fields" });
    for (const r of rows) dl.append(el("dt", { textContent: label(rec.schema, schema, r.pointer) }), render(r));
    section.append(el("h3", { textContent: title }), dl);
  };
  group(t("Changed"), d.changed, (r) => el("dd", {},
    el("del", { textContent: show(r.before, r.pointer) }), " → ", el("ins", { textContent: show(r.after, r.pointer) })));
  group(t("Added"), d.added, (r) => el("dd", {}, el("ins", { textContent: show(r.after, r.pointer) })));
  group(t("Removed"), d.removed, (r) => el("dd", {}, el("del", { textContent: show(r.before, r.pointer) })));
  if (d.checkins.length) section.append(el("h3", { textContent: t("New check-ins") }), checkinList(d.checkins, rec.data));
  if (!d.changed.length && !d.added.length && !d.removed.length && !d.checkins.length) {
    section.append(el("p", { textContent: t("Nothing changed since the previous share.") }));
  }
  return section;
}

/** Show shared plan `id` read-only in `formEl`; the plan page's own saving is never started. */
export async function showShared(page, formEl, id) {
  for (const s of page.querySelectorAll("[data-save-bar], .plan-private, [data-export-ui]")) s.hidden = true;
  const rec = await getShared(id).catch(() => null);
  const schema = rec ? await loadSchema(rec.schema).catch(() => null) : null;
  const head = el("section", { className: "shared-head" });
  head.setAttribute("aria-labelledby", "shared-head-title");
  formEl.before(head);
  if (!rec || rec.schema !== page.dataset.schema) {
    formEl.hidden = true;
    head.append(el("h2", { id: "shared-head-title", textContent: t("Shared with you") }),
      el("p", { textContent: t("This shared plan is not on this device (any more).") }));
    return;
  }
  const form = bindForm(formEl, null);
  form.setData(rec.data);
  form.setDisabled(true);
  for (const c of formEl.querySelectorAll("input, textarea")) c.readOnly = true;
  formEl.dataset.readonly = "true";
  const who = rec.from ? t("From {name}", { name: rec.from }) : t("From someone who gave no name");
  const shared = t("shared {date}", { date: formatDateTime(rec.shared) });
  const revision = t("revision {n}", { n: rec.revision });
  head.append(el("h2", { id: "shared-head-title", textContent: t("Shared with you") }),
    el("p", { className: "shared-meta", textContent: `${who} · ${shared} · ${revision}` }),
    el("p", { textContent: t("Read-only: nothing here can be changed, and nothing is saved. Answers marked “Only you” are never shared, so they are empty here.") }));
  if (rec.previous) head.append(await changes(rec, schema));
  const checkins = el("section", { className: "shared-checkins" });
  checkins.setAttribute("aria-labelledby", "shared-checkins-title");
  checkins.append(el("h2", { id: "shared-checkins-title", textContent: t("Check-ins") }), checkinList(rec.checkins, rec.data));
  formEl.after(checkins);
  if (rec.measurements && rec.measurements.length && schema) {
    // The goal's chart, as the coachee sees it (measure/: loaded only for a share that holds measurements).
    const { showMeasures } = await import("../results/plan-measure.js");
    // A share does not carry the plan's creation: the path starts at its first dated record instead.
    const first = [...rec.measurements, ...(rec.checkins || [])].map((m) => m.at).sort()[0];
    await showMeasures(page, formEl, { ...rec, created: first }, schema, { readOnly: true });
  }
  const title = planTitle(rec, schema);
  const sharedWithYou = t("Shared with you");
  document.title = `${title.slice(0, 60)} · ${sharedWithYou}`;
  page.querySelector("h1").textContent = title;
}
