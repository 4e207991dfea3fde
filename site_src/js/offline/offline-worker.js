// offline/: what this device keeps offline, as the service worker tells it: the app and each language, how much of
// it is stored, and keeping or letting go of a language. Pages show it (home, settings, the language choice).
//
// The page asks the worker over a MessageChannel; the worker tells every page of its progress on a BroadcastChannel.

const TIMEOUT = 5000; // an older worker (before an update is applied) does not answer: the page then says nothing

/* Resolves (null) when app.js found no worker can be registered here: then none will ever be ready. */
function noWorker() {
  return new Promise((resolve) => {
    if (document.documentElement.dataset.offline === "unavailable") resolve(null);
    window.addEventListener("passo:no-worker", () => resolve(null), { once: true });
  });
}

/* The worker's answer to `message`, or null (no worker, or none answered in time). `wait`: also wait for a worker
   that is still installing (a first visit); otherwise only the one in control of the page is asked. */
export async function ask(message, { wait = true, timeout = TIMEOUT } = {}) {
  if (!("serviceWorker" in navigator)) return null;
  let target = navigator.serviceWorker.controller;
  if (!target && wait) target = await Promise.race([navigator.serviceWorker.ready.then((r) => r.active), noWorker()]);
  if (!target) return null;
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    const timer = setTimeout(() => resolve(null), timeout);
    port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data && event.data.type === "offline-status" ? event.data : null);
    };
    target.postMessage(message, [port2]);
  });
}

/** What is kept; `lang` is the page's language (the first one a device opens is kept). */
export const offlineStatus = (lang, options) => ask({ type: "offline-status", lang }, options);
/** Keep `lang` offline: recorded at once, saved in the background. */
export const keepLanguage = (lang, options) => ask({ type: "offline-keep", lang }, options);
/** Let `lang` go: its files leave the device (the app and other kept languages keep theirs). */
export const dropLanguage = (lang) => ask({ type: "offline-drop", lang });

/** Progress of any language being saved: callback({code, kept, files, stored, bytes, saving, failed}). */
export function onProgress(callback) {
  if (!("BroadcastChannel" in window)) return;
  const channel = new BroadcastChannel("passo-offline");
  channel.onmessage = (event) => {
    if (event.data && event.data.type === "offline-progress") callback(event.data.language);
  };
}

export const languageEntry = (status, lang) => (status ? status.languages.find((l) => l.code === lang) : undefined);
export const isComplete = (entry) => Boolean(entry && entry.kept && entry.stored === entry.files);
/** A language on this device: "not-kept", "ready" (every file stored), "failed" (stopped for want of a
    connection) or "saving". */
export function languageState(entry) {
  if (!entry || !entry.kept) return "not-kept";
  if (isComplete(entry)) return "ready";
  return entry.failed && !entry.saving ? "failed" : "saving";
}
