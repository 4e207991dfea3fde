// export/: the export and import buttons: the plan file, the backup, the calendar (ics.js, plan-events.js)
// and the sponsor report (sponsor-report.js, sponsor-ui.js); this module only dispatches.
//
// Export and import controls. app.js calls init() on every page with [data-export-ui]; this module only
// dispatches, so a page loads just its part: plan-export-ui.js on a plan page (partials/plan-actions.html),
// import-ui.js on My plans and Settings (partials/import-backup.html). Shared helpers: files/file-actions.js.
// Imported text reaches the page through textContent only, never as HTML.

import { loadMessages } from "../core/i18n.js";

export async function init() {
  await loadMessages();
  for (const root of document.querySelectorAll("[data-export-ui]")) {
    const kind = root.dataset.exportUi;
    if (kind === "plan") await (await import("./plan-export-ui.js")).initPlan(root);
    else if (kind === "backup") (await import("./import-ui.js")).initBackup(root);
    root.dataset.exportReady = "1";
  }
}
