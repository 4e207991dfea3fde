// My plans, the coach's side: "Shared with me" (plans coachees shared, apart from this device's own, with who
// shared them and when; delete) and the "Share with my coach" button that opens the share dialog.

import { formatDateTime, t } from "../core/i18n.js";
import { deleteShared, flagCoachees, listShared } from "../store/shared-store.js";
// My plans loads this on every visit: the share writers (share-ui.js and what it needs) load only when used.
import { allSchemas, el, planTitle } from "../files/file-actions.js";

let schemas = {};

function formHref(schemaId) {
  const link = document.querySelector(`a.plan-kind-link[data-schema="${CSS.escape(schemaId)}"]`);
  return link ? link.getAttribute("href") : `${encodeURIComponent(schemaId)}/`;
}

function row(rec) {
  const title = planTitle(rec, schemas[rec.schema]);
  const href = `${formHref(rec.schema)}?shared=${encodeURIComponent(rec.id)}`;
  const who = rec.from ? t("From {name}", { name: rec.from }) : t("From someone who gave no name");
  const shared = t("shared {date}", { date: formatDateTime(rec.shared) });
  const li = el("li", { className: "plan shared-plan" },
    el("h3", { className: "plan-title" }, el("a", { className: "plan-open", href, textContent: title })),
    el("p", { className: "plan-meta", textContent: `${who} · ${shared}` }));
  li.dataset.id = rec.id;
  if (rec.previous) {
    li.append(el("p", { className: "plan-note", textContent: t("Updated: revision {old} → {new}. Open it to see what changed.",
      { old: rec.previous.revision, new: rec.revision }) }));
  }
  const del = el("button", { type: "button", className: "button-danger", textContent: t("Delete") });
  del.setAttribute("aria-label", t("Delete “{title}” shared with me", { title }));
  del.addEventListener("click", async () => {
    const status = document.getElementById("shared-status");
    try {
      const next = (li.nextElementSibling || li.previousElementSibling)?.dataset.id;
      await deleteShared(rec.id);
      await render();
      status.textContent = t("Deleted “{title}”.", { title });
      // Focus stays near: the next shared plan, else the share button above.
      const again = next && document.querySelector(`#shared-list li[data-id="${CSS.escape(next)}"] .plan-open`);
      (again || document.querySelector("[data-share-open]"))?.focus();
    } catch (e) {
      status.textContent = (e && e.message) || t("Something went wrong. Try again.");
    }
  });
  li.append(el("div", { className: "plan-buttons" }, del));
  return li;
}

async function render() {
  const section = document.getElementById("plans-shared");
  const list = document.getElementById("shared-list");
  const records = await listShared();
  // Shares stored before the navigation's flag existed (an upgraded device) count too.
  flagCoachees(records.length > 0);
  list.replaceChildren(...records.map(row));
  section.hidden = !records.length;
  section.dataset.ready = "1";
}

export async function init() {
  const section = document.getElementById("plans-shared");
  if (!section) return;
  ({ schemas } = await allSchemas().catch(() => ({ schemas: {} })));
  const open = document.querySelector("[data-share-open]");
  if (open) {
    open.addEventListener("click", async () => {
      const { openShare } = await import("./share-ui.js");
      await openShare(document.querySelector(".share-dialog"), []);
    });
  }
  window.addEventListener("passo:shared-changed", () => render().catch(() => {}));
  window.addEventListener("pageshow", (ev) => ev.persisted && render().catch(() => {}));
  await render();
}
