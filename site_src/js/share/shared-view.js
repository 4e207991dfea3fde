// A plan shared with the coach, on its form page (?shared=<id>): the same layout, every control disabled and
// read-only, no autosave; who shared it and when, what changed since the previous share, and its check-ins.

import { formatDateTime, t } from "../core/i18n.js";
import { loadSchema } from "../store/migrate.js";
import { getShared } from "../store/shared-store.js";
import { bindForm } from "../schema/form.js";
import { el, planTitle } from "../files/file-actions.js";
import { changesSection, checkinList } from "./share-rows.js";

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
  if (rec.previous) head.append(await changesSection(rec, schema));
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
