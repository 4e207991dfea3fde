// Entry module of every page: the service worker and its update prompt, then the page's own module.
import { serviceWorkerUrl } from "./core/trusted-url.js";

const html = document.documentElement;
const root = html.dataset.root || "./";

const pages = {
  "lang-choice": () => import("./languages/lang-choice.js"),
  offline: () => import("./languages/lang-choice.js"), // its language cards say which need a connection
  home: () => import("./search/search.js"),
  plans: () => import("./plans/plans-page.js"),
  plan: () => import("./plans/plan-page.js"),
  settings: () => import("./settings/settings-page.js"),
  agenda: () => import("./agenda/agenda-page.js"),
  review: () => import("./review/review-page.js"),
};

// "Coachees" in the navigation once this device holds a share (store/coach-notes.js keeps the flag).
try {
  if (localStorage.getItem("passo:desk")) document.querySelector("[data-desk]").hidden = false;
} catch {
  /* storage turned off, or a page without the navigation */
}

/* Modules on the page (a form with unsaved input) can ask for time to save before the page reloads. */
async function flushBeforeReload() {
  const waits = [];
  document.dispatchEvent(new CustomEvent("passo:flush", { detail: { waitUntil: (p) => waits.push(p) } }));
  await Promise.allSettled(waits);
}

function showUpdate(worker) {
  const banner = document.getElementById("update-banner");
  const button = document.getElementById("update-reload");
  if (!banner || !button) return;
  banner.hidden = false;
  button.onclick = async () => {
    button.disabled = true;
    await flushBeforeReload();
    worker.postMessage({ type: "SKIP_WAITING" });
  };
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  let userAsked = false;
  document.addEventListener("click", (e) => { if (e.target && e.target.id === "update-reload") userAsked = true; }, true);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (userAsked) location.reload();
  });
  const registration = await navigator.serviceWorker.register(
    serviceWorkerUrl(new URL("sw.js", new URL(root, document.baseURI))));
  const watch = (worker) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate(worker);
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) showUpdate(registration.waiting);
  if (registration.installing) watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
}

function showConnection() {
  const status = document.getElementById("offline-status");
  if (!status) return;
  const update = () => { status.textContent = navigator.onLine ? "" : status.dataset.offlineText || ""; };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
}

async function start() {
  const load = pages[html.dataset.page];
  if (load) {
    const module = await load();
    if (module.init) await module.init();
  }
  // History (check-ins under a plan's items, my plans' on-time counts): modules of their own, once the page is drawn.
  // A new, empty form has no history: it loads with the plan's first check-in.
  const extras = { plan: () => import("./checkin/plan-history.js"), plans: () => import("./plans/plans-stats.js") };
  const history = extras[html.dataset.page];
  // A form opened without a plan has no history and nothing to check in on: those modules load with its first save.
  const fresh = html.dataset.page === "plan" && !new URLSearchParams(location.search).has("id");
  if (fresh) {
    const first = (ev) => {
      if (!ev.detail || !ev.detail.checkins) return;
      window.removeEventListener("passo:plans-changed", first);
      history().then((m) => m.init());
    };
    window.addEventListener("passo:plans-changed", first);
  } else if (history) await (await history()).init();
  // Follow-through beside a page's own module: "Check in" on the plan page, "Next up" on the home page.
  const followThrough = { plan: () => import("./checkin/plan-checkin.js"), home: () => import("./agenda/next-up.js") };
  const follow = followThrough[html.dataset.page];
  if (follow && fresh) {
    addEventListener("passo:plans-changed", () => follow().then((m) => m.init()), { once: true });
  } else if (follow) await (await follow()).init();
  if (document.querySelector("[data-export-ui]")) {
    const exportUi = await import("./export/export-ui.js");
    await exportUi.init();
  }
}

showConnection();
// The app badge (overdue + due today): set on every page of the installed app, where the browser has a badge (an
// app icon only shows it when installed). Nothing loads anywhere else.
const installed = navigator.standalone === true || matchMedia("(display-mode: standalone)").matches;
if (installed && "setAppBadge" in navigator) import("./due/app-badge.js").then((b) => b.updateBadge()).catch(() => {});
start().catch((error) => console.error("Passo could not start this page:", error));
// Precaching starts after the page has loaded, so the first visit is not slowed down by it; then the page says how
// its language stands offline, and a language chosen from here on is kept offline too.
const offline = () => registerWorker()
  .then(() => import("./offline/offline-status.js")).then((m) => m.init())
  .catch((error) => {
    html.dataset.offline = "unavailable"; // no worker (a private window, a browser without one): nothing is kept
    dispatchEvent(new Event("passo:no-worker"));
    console.warn("Passo could not set up offline use:", error);
  });
if (document.readyState === "complete") offline();
else window.addEventListener("load", offline);

// The language switcher keeps an open plan open: the same form, the same ?id=, in the other language.
if (location.search) {
  for (const link of document.querySelectorAll(".lang-switch a")) link.search = location.search;
}
