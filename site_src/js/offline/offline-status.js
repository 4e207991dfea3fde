// The page's own language offline: `<html data-offline>` says "saving", "ready", "failed" or "not-kept" (tests and
// the home page read it); the home page shows it in words, other pages only while a language the coachee chose is
// being saved and once it is ready. The words come translated in the page (data-*), so no catalogue is fetched.
// Choosing a language here (the language menu, the root page's cards) keeps it offline too.
import { keepLanguage, languageEntry, languageState, offlineStatus, onProgress } from "./offline-worker.js";

const html = document.documentElement;
const WITHOUT_LANGUAGE = ["lang-choice", "404", "offline"];
const WORDS = { saving: "saving", ready: "ready", failed: "failed", "not-kept": "notKept" }; // state -> data-*

/* A language chosen: the worker hears of it before the page goes, and saves it while its first page loads. A link
   opened otherwise (a new tab) is a visit, not a choice; with no worker in control yet, the next page's visit
   keeps the first language. */
function keepChosen(event) {
  const link = event.target.closest && event.target.closest(".lang-switch a[hreflang], a[data-lang]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
    || event.altKey || !(navigator.serviceWorker && navigator.serviceWorker.controller)) return;
  const code = link.getAttribute("hreflang") || link.dataset.lang;
  if (!code || (!WITHOUT_LANGUAGE.includes(html.dataset.page) && code === html.lang)) return;
  event.preventDefault();
  keepLanguage(code, { wait: false, timeout: 1000 }).finally(() => location.assign(link.href));
}

export async function init() {
  document.addEventListener("click", keepChosen);
  const lang = WITHOUT_LANGUAGE.includes(html.dataset.page) ? null : html.lang;
  const box = document.getElementById("offline-language");
  const button = document.getElementById("offline-keep");
  const always = html.dataset.page === "home";
  let shown = always;
  let app = null;

  const show = (entry) => {
    let state;
    if (!app || app.stored < app.files) state = "saving"; // not known yet: a first visit is being saved
    else if (!lang) state = "ready";
    else state = languageState(entry);
    html.dataset.offline = state;
    if (!box) return;
    // Elsewhere than home, words appear once a chosen language is being saved, and then stay until the page goes.
    if (state === "saving" || state === "failed") shown = true;
    const text = shown ? box.dataset[WORDS[state]] || "" : "";
    if (box.textContent !== text) box.textContent = text;
    if (button) button.hidden = !(always && state === "not-kept");
  };

  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) show(undefined); // a first visit: saving
  onProgress((entry) => { if (entry.code === lang) show(entry); });
  if (button) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      const status = await keepLanguage(lang);
      button.disabled = false;
      if (status) show(languageEntry(status, lang));
    });
  }
  // Saving stopped for want of a connection: go on when it is back.
  window.addEventListener("online", () => { if (html.dataset.offline === "failed") keepLanguage(lang); });
  const status = await offlineStatus(lang);
  if (!status) {
    delete html.dataset.offline;
    if (box) box.textContent = "";
    return;
  }
  app = status.app;
  if (status.chosen === lang) shown = true; // chosen a moment ago: say that it is (being) saved
  show(languageEntry(status, lang));
}
