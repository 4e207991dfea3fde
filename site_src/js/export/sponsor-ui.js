// The sponsor report preview (a <dialog> showing exactly what leaves the device, with the plans to include)
// and its printable view. Loaded when "Sponsor report" is tapped on a coaching agreement.

import { dialogStyles } from "../core/dialog-styles.js";
import { formatDateTime, t } from "../core/i18n.js";
import { listPlans } from "../store/store.js";
import { allSchemas, currentPlan, el, planTitle } from "../files/file-actions.js";
import { protectIfAsked } from "../protect/protect-option.js";

/**
 * The report as headings and label/value lists: the preview and the printable view alike. Headings are the
 * forms' names only: a plan's own title may be a field the agreement does not share.
 */
function renderReport(container, rows) {
  container.replaceChildren();
  for (const plan of rows) {
    container.append(el("h3", { textContent: plan.title }));
    if (!plan.rows.length) {
      container.append(el("p", { className: "report-none", textContent: t("Nothing from this plan is shared.") }));
      continue;
    }
    const dl = el("dl", { className: "report-fields" });
    for (const r of plan.rows) dl.append(el("dt", { textContent: r.label }), el("dd", { textContent: r.text }));
    container.append(dl);
  }
}

export async function sponsorReport(root, status) {
  const agreement = await currentPlan(status);
  if (!agreement) return;
  const dialog = root.querySelector(".sponsor-dialog");
  const [{ schemas }, report, files, save, plans] = await Promise.all([
    allSchemas(), import("./sponsor-report.js"), import("../files/plan-file.js"), import("../files/save-file.js"), listPlans()]);
  const titles = new Map(plans.map((p) => [p.id, planTitle(p, schemas[p.schema])]));
  const picker = dialog.querySelector(".sponsor-plans");
  picker.replaceChildren(el("legend", { textContent: t("Plans to include") }));
  for (const p of plans) {
    const box = el("input", { type: "checkbox", value: p.id, checked: p.id === agreement.id });
    picker.append(el("label", { className: "sponsor-plan" }, box, " ", titles.get(p.id)));
  }
  const preview = dialog.querySelector(".sponsor-preview");
  const raw = dialog.querySelector(".sponsor-json");
  let current = null;
  const update = () => {
    const picked = new Set([...picker.querySelectorAll("input:checked")].map((i) => i.value));
    current = report.buildSponsorReport({ agreement, plans: plans.filter((p) => picked.has(p.id)), schemas,
      now: new Date(), lang: agreement.lang || document.documentElement.lang });
    renderReport(preview, report.reportRows(current, schemas));
    raw.textContent = JSON.stringify(current, null, 2);
    if (!current.plans.length) preview.append(el("p", { textContent: t("Pick at least one plan.") }));
  };
  picker.onchange = update;
  update();
  dialog.onclick = async (ev) => {
    const b = ev.target.closest("button[data-report]");
    if (!b) return;
    if (b.dataset.report === "json") {
      const name = `passo-sponsor-report-${files.isoNow().slice(0, 10)}.json`;
      const file = await protectIfAsked(dialog.querySelector("[data-protect]"), `${JSON.stringify(current, null, 2)}\n`,
        name);
      if (file) await save.saveFile(file.text, file.name, save.JSON_TYPE);
    } else if (b.dataset.report === "print") {
      dialog.close();
      showPrintable(root, preview);
    } else {
      dialog.close();
    }
  };
  await dialogStyles();
  dialog.showModal();
}

/** The printable view: the report alone on the page (print.css hides the rest), until "Back". */
function showPrintable(root, preview) {
  const view = document.querySelector(".report-view");
  const body = view.querySelector(".report-body");
  body.replaceChildren(...[...preview.childNodes].map((n) => n.cloneNode(true)));
  view.querySelector(".report-date").textContent = formatDateTime(new Date());
  view.hidden = false;
  // A direct child of <main>, so the stylesheets can hide everything else, wherever the partial sits.
  (document.querySelector("main") || document.body).append(view);
  document.documentElement.classList.add("showing-report");
  view.querySelector("h2").focus();
  view.onclick = (ev) => {
    const b = ev.target.closest("button[data-view]");
    if (!b) return;
    if (b.dataset.view === "print") {
      window.print();
    } else {
      view.hidden = true;
      document.documentElement.classList.remove("showing-report");
      root.append(view);
      root.querySelector("[data-export='sponsor']").focus();
    }
  };
}
