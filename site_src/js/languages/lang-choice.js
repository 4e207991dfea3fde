// languages/: the site's root page, where a visitor's language is chosen.
//
// The root page sends the browser to its preferred language when the site has it; otherwise it lets people pick.
// Offline, only the languages this device keeps can open: the others say they need a connection once, and the
// browser's language goes there only when it is kept. The offline page shows the same cards, marked the same way.
import { isComplete, offlineStatus } from "../offline/offline-worker.js";

function preferred(codes) {
  for (const wanted of navigator.languages || [navigator.language]) {
    const base = String(wanted).toLowerCase();
    const match = codes.find((c) => c.toLowerCase() === base) || codes.find((c) => c.toLowerCase() === base.split("-")[0]);
    if (match) return match;
  }
  return null;
}

export async function init() {
  const offered = [...document.querySelectorAll("[data-lang]")];
  const codes = offered.map((a) => a.dataset.lang);
  const match = preferred(codes);
  const redirect = document.documentElement.dataset.page === "lang-choice";
  const go = () => location.replace(offered[codes.indexOf(match)].href);
  if (navigator.onLine || !navigator.serviceWorker || !navigator.serviceWorker.controller) {
    if (redirect && match) go();
    return;
  }
  const status = await offlineStatus(null, { wait: false, timeout: 3000 });
  const ready = status ? status.languages.filter(isComplete).map((l) => l.code) : codes;
  for (const card of offered) {
    const note = card.querySelector("[data-needs-connection]");
    if (note) note.hidden = ready.includes(card.dataset.lang);
  }
  if (redirect && match && ready.includes(match)) go();
  document.documentElement.dataset.languagesChecked = "1";
}
