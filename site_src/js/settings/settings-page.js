// settings/: the settings page.
//
// Settings: storage status, the languages kept offline (offline-languages.js), backup reminder, the Safari/Home
// Screen storage notes, and "Erase this device".

import { formatBytes, formatDateTime, loadMessages, n, t } from "../core/i18n.js";
import { init as initOfflineLanguages } from "./offline-languages.js";
import { flagCoachees } from "../store/shared-store.js";
import {
  backupDue, eraseAll, getMeta, listPlans, onPlansChanged, requestPersistence, storageStatus,
} from "../store/store.js";

const $ = (id) => document.getElementById(id);

function showError(err, retry) {
  const box = $("settings-alert");
  box.replaceChildren();
  const p = document.createElement("p");
  p.textContent = (err && err.name === "StorageError" && err.message) || t("Something went wrong. Try again.");
  box.appendChild(p);
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = t("Try again");
  b.addEventListener("click", () => {
    box.replaceChildren();
    retry();
  });
  box.appendChild(b);
}

async function refresh() {
  let [plans, lastBackup, lastChange, status] = await Promise.all([
    listPlans(), getMeta("lastBackup"), getMeta("lastChange"), storageStatus(),
  ]);
  $("settings-count").textContent = n("{n} plan", "{n} plans", plans.length);
  const unknown = t("This browser does not say.");
  $("settings-persisted").textContent =
    status.persisted == null ? unknown : status.persisted ? t("Yes") : t("No");
  const unprotected = status.persisted === false;
  $("settings-persist").hidden = !unprotected;
  $("settings-persist-help").hidden = !unprotected;
  $("settings-usage").textContent = status.usage == null ? unknown
    : status.quota ? t("{used} of {quota} available to this site",
      { used: formatBytes(status.usage), quota: formatBytes(status.quota) })
      : formatBytes(status.usage);
  // Plans stored by an older app (or put back by hand) may predate the lastChange record.
  const newest = plans.reduce((max, p) => (p.updated && p.updated > max ? p.updated : max), "");
  if (!lastChange || newest > lastChange) lastChange = newest || lastChange;
  $("settings-last-backup").textContent = lastBackup ? formatDateTime(lastBackup) : t("Never");
  $("settings-last-change").textContent = lastChange && plans.length ? formatDateTime(lastChange) : t("None yet");
  const firstCreated = plans.reduce((min, p) => (p.created && (!min || p.created < min) ? p.created : min), null);
  $("settings-reminder").hidden = !(plans.length && backupDue(lastBackup, lastChange, firstCreated));
}

function safariNotes() {
  // navigator.standalone exists only in Safari on iOS/iPadOS: false in a tab, true in a Home Screen app.
  const standalone = navigator.standalone;
  if (typeof standalone !== "boolean") return;
  $("settings-ios").hidden = false;
  $("settings-ios-tab").hidden = standalone;
  $("settings-ios-app").hidden = !standalone;
}

// Cache Storage holds only the site's own files (the service worker caches no responses with plan data),
// so erasing plans is deleting the database; Passo keeps working offline afterwards.

function setupErase() {
  const dialog = $("settings-erase-dialog");
  const opener = $("settings-erase");
  opener.addEventListener("click", () => dialog.showModal());
  dialog.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-close]");
    if (b) dialog.close(b.dataset.close);
  });
  dialog.addEventListener("close", async () => {
    opener.focus();
    if (dialog.returnValue !== "erase") return;
    dialog.returnValue = "";
    const erase = async () => {
      try {
        await eraseAll(() => {
          $("settings-status").textContent = t("Close Passo in your other tabs and windows to finish erasing.");
        });
        flagCoachees(false); // nothing shared is left: "Coachees" leaves the navigation
        $("settings-status").textContent = t("All plans were erased from this device.");
        await refresh();
      } catch (e) {
        showError(e, erase);
      }
    };
    await erase();
  });
}

export async function init() {
  if (!$("settings")) return;
  safariNotes();
  setupErase();
  $("settings-persist").addEventListener("click", async () => {
    const granted = await requestPersistence();
    $("settings-status").textContent = granted
      ? t("Your plans are now protected from automatic clean-up.")
      : t("The browser did not grant protection this time. Back up your plans regularly.");
    await refresh().catch(() => {});
  });
  const load = () => refresh().catch((e) => showError(e, load));
  onPlansChanged(load);
  // Import and backup happen on this page too (the import/backup partial): show their effect at once.
  window.addEventListener("passo:plans-changed", load);
  window.addEventListener("passo:meta-changed", (ev) => ev.detail.key === "lastBackup" && load());
  await loadMessages();
  await load();
  document.documentElement.dataset.settingsReady = "1";
  // Waits for the service worker (on a first visit, until it has installed): the rest of the page does not.
  initOfflineLanguages().catch((error) => console.warn("offline languages:", error));
}
