/* Passo's service worker. The build puts PASSO_VERSION, BUILD and PRECACHE (file -> [content hash, bytes, group])
   above this line. A device keeps offline the app (group "*") and the languages its coachee uses: the first one it
   opened and every one chosen since (language menu, language choice, settings); another language's pages are kept
   once opened. A new deploy fetches only the changed files of what the device keeps; the page decides when to
   switch to a new version, so a form being filled in never loses its input to an update. */
const PREFIX = "passo-";
const CACHE = PREFIX + PASSO_VERSION + "-" + BUILD; // a new Passo version always gets a cache of its own
const HASHES_KEY = "__passo-hashes"; // this build's PRECACHE, so the next one knows which of its files are unchanged
// Guide media past the site's offline budget, kept once viewed. Their names hold their content's hash, so the cache
// outlives builds: a picture seen once stays offline after an update.
const MEDIA_CACHE = PREFIX + "media";
// The languages this device keeps, in the order they were chosen: outlives builds like the media.
const STATE_CACHE = PREFIX + "state";
const KEPT_KEY = "languages";
const SCOPE = new URL("./", self.location).href;
const MEDIA = new URL("assets/media/", SCOPE).href;
const channel = "BroadcastChannel" in self ? new BroadcastChannel("passo-offline") : null;

/* A page is stored under its folder URL ("en/guides/x/"), the URL people and links use. */
const urlOf = (file) => new URL(file.endsWith("index.html") ? file.slice(0, -10) : file, SCOPE).href;
const FILE_OF = new Map(Object.keys(PRECACHE).map((file) => [urlOf(file), file]));
const LANGUAGES = [...new Set(Object.values(PRECACHE).flatMap(([, , group]) =>
  (group && group !== "*" ? group.split(" ") : [])))].sort();
const groups = new Map();
/* The files of the app ("*") or of one language: [file, url, bytes]. */
function filesOf(group) {
  if (!groups.has(group)) {
    groups.set(group, Object.entries(PRECACHE)
      .filter(([, [, , g]]) => (group === "*" ? g === "*" : g.split(" ").includes(group)))
      .map(([file, [, size]]) => [file, urlOf(file), size]));
  }
  return groups.get(group);
}
const languageOf = (url) => {
  const code = url.startsWith(SCOPE) ? url.slice(SCOPE.length).split("/")[0] : "";
  return LANGUAGES.includes(code) ? code : null;
};

// --- what this device keeps ------------------------------------------------------------------------------------

let queue = Promise.resolve();
/* One change of the kept list at a time: two tabs choosing at once must not lose a language. */
function serial(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

async function readKept() {
  const stored = await (await caches.open(STATE_CACHE)).match(KEPT_KEY);
  const list = stored ? await stored.json().catch(() => []) : [];
  return Array.isArray(list) ? list.filter((code) => LANGUAGES.includes(code)) : [];
}

function changeKept(change) {
  return serial(async () => {
    const list = change(await readKept());
    await (await caches.open(STATE_CACHE)).put(KEPT_KEY, new Response(JSON.stringify(list),
      { headers: { "Content-Type": "application/json" } }));
    return list;
  });
}

let present = null; // the URLs in this version's cache, read once: answering "how much is stored" reads no bodies
function stored() {
  if (!present) present = caches.open(CACHE).then((c) => c.keys()).then((keys) => new Set(keys.map((r) => r.url)));
  return present;
}

/* Every file goes into this version's cache through here, so `stored()` stays true. */
async function putFile(cache, url, response) {
  await cache.put(url, response);
  (await stored()).add(url);
}

/* Files an older (or newer, waiting) version keeps on this device, with their hash then: copied when unchanged. */
async function otherCopies() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || [CACHE, MEDIA_CACHE, STATE_CACHE].includes(name)) continue;
    const cache = await caches.open(name);
    const listed = await cache.match(HASHES_KEY);
    if (!listed) continue;
    const hashes = await listed.json();
    for (const request of await cache.keys()) {
      const file = FILE_OF.get(request.url);
      const then = file && hashes[file];
      if (then && !found.has(file)) found.set(file, { hash: Array.isArray(then) ? then[0] : then, cache });
    }
  }
  return found;
}

/* Copies or fetches `files` ([file, url, bytes]) into `cache`, a few at a time: fast on a good connection, gentle on
   a shaky one. `job` (optional) counts progress and can be cancelled. */
async function fill(cache, files, copies, job) {
  const todo = [...files];
  let failure = null;
  const worker = async () => {
    for (let item = todo.pop(); item && !failure && !(job && job.cancelled); item = todo.pop()) {
      const [file, url] = item;
      const old = copies.get(file);
      const kept = old && old.hash === PRECACHE[file][0] ? await old.cache.match(url) : undefined;
      try {
        if (kept) {
          await putFile(cache, url, kept);
        } else {
          const response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
          if (!response.ok) throw new Error(`precache ${url}: ${response.status}`);
          await putFile(cache, url, response);
        }
      } catch (error) {
        failure = failure || error;
      }
      if (job) job.step();
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  if (failure) throw failure;
}

/* The languages of the site's pages open in this browser: on a first visit, the one the coachee came to. */
async function windowLanguages() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return [...new Set(windows.map((client) => languageOf(client.url)).filter(Boolean))];
}

async function install() {
  const cache = await caches.open(CACHE);
  const copies = await otherCopies();
  let kept = await readKept();
  if (!kept.length) {
    // A first visit, or a device an older Passo filled with every language: keep the language being read.
    const open = await windowLanguages();
    kept = await changeKept((list) => (list.length ? list : open));
  }
  const wanted = new Map([filesOf("*"), ...kept.map(filesOf)].flat().map((item) => [item[0], item]));
  // Pages of other languages opened before stay while unchanged; a changed one is fetched again only when opened.
  for (const [file, old] of copies) {
    if (!wanted.has(file) && old.hash === PRECACHE[file][0]) wanted.set(file, [file, urlOf(file), 0]);
  }
  await fill(cache, wanted.values(), copies);
  await cache.put(HASHES_KEY, new Response(JSON.stringify(PRECACHE)));
}

// --- keeping a language, on request ------------------------------------------------------------------------------

const jobs = new Map(); // language -> the job saving it now
const failed = new Set(); // languages whose last saving stopped (no connection): tried again when a page asks
const chosen = new Set(); // languages chosen whose page has not yet said they are ready

async function describe(code, keptList) {
  const have = await stored();
  const kept = code === "*" || (keptList || await readKept()).includes(code);
  let files = 0, done = 0, bytes = 0;
  for (const [, url, size] of filesOf(code)) {
    files += 1;
    bytes += size;
    if (have.has(url)) done += 1;
  }
  return { code, kept, files, stored: done, bytes, saving: jobs.has(code), failed: failed.has(code) };
}

/* `lang`: the asking page's language. `chosen` names it once, when the coachee chose it and it is ready or being
   saved, so its page says so even when saving ended before the page asked. */
async function status(lang) {
  const kept = await readKept();
  const languages = await Promise.all(LANGUAGES.map((code) => describe(code, kept)));
  const own = languages.find((entry) => entry.code === lang);
  const fresh = own && chosen.has(lang) ? lang : null;
  if (fresh && own.stored === own.files) chosen.delete(lang);
  return { type: "offline-status", build: BUILD, app: await describe("*", kept), languages, kept, chosen: fresh };
}

async function announce(code) {
  if (channel) channel.postMessage({ type: "offline-progress", language: await describe(code) });
}

function save(code) {
  if (jobs.has(code)) return jobs.get(code).done;
  let last = 0;
  const job = {
    cancelled: false,
    step() { // progress now and then, not per file: a page redraws on each
      if (Date.now() - last > 250) { last = Date.now(); announce(code); }
    },
  };
  jobs.set(code, job);
  failed.delete(code);
  job.done = (async () => {
    try {
      await announce(code);
      const have = await stored();
      const missing = filesOf(code).filter(([, url]) => !have.has(url));
      await fill(await caches.open(CACHE), missing, await otherCopies(), job);
    } catch (error) {
      failed.add(code);
    } finally {
      jobs.delete(code);
      await announce(code);
    }
  })();
  return job.done;
}

/* A language chosen: recorded at once, saved in the background (`background` collects the work). */
async function keep(code, background) {
  if (!LANGUAGES.includes(code)) return;
  await changeKept((list) => (list.includes(code) ? list : [...list, code]));
  chosen.add(code);
  background.push(save(code));
}

/* Lets a language go: its files leave every version's cache unless the app or another kept language uses them. */
async function drop(code) {
  const job = jobs.get(code);
  if (job) {
    job.cancelled = true;
    await job.done;
  }
  const kept = await changeKept((list) => list.filter((c) => c !== code));
  const needed = new Set([filesOf("*"), ...kept.map(filesOf)].flat().map(([, url]) => url));
  const have = await stored();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === MEDIA_CACHE || name === STATE_CACHE) continue;
    const cache = await caches.open(name);
    for (const [, url] of filesOf(code)) {
      if (needed.has(url)) continue;
      await cache.delete(url);
      if (name === CACHE) have.delete(url);
    }
  }
  failed.delete(code);
  chosen.delete(code);
}

/* A page says which language it shows: the first language a device opens is kept, and a kept language left
   incomplete (the connection dropped, or chosen while an update was waiting) is completed. */
async function visit(code, background) {
  let kept = await readKept();
  if (!kept.length && code) kept = await changeKept((list) => (list.length ? list : [code]));
  const have = await stored();
  for (const language of kept) {
    if (!jobs.has(language) && filesOf(language).some(([, url]) => !have.has(url))) background.push(save(language));
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && ![CACHE, MEDIA_CACHE, STATE_CACHE].includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "SKIP_WAITING") {
    self.skipWaiting();
    return;
  }
  const port = event.ports && event.ports[0];
  const background = [];
  let work;
  if (data.type === "offline-status") work = visit(data.lang, background);
  else if (data.type === "offline-keep") work = keep(data.lang, background);
  else if (data.type === "offline-drop") work = drop(data.lang);
  else return;
  // The answer comes at once; saving a language goes on after it, with the worker kept alive until it ends.
  const answer = () => status(data.type === "offline-status" ? data.lang : null);
  event.waitUntil(work.then(answer, answer)
    .then((reply) => port && port.postMessage(reply))
    .then(() => Promise.all(background)));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const isPage = request.mode === "navigate";
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    let url = request.url.split("#")[0];
    if (isPage) url = url.split("?")[0].replace(/index\.html$/, "");
    // Matched without the query string: /plans/x/?id=... is the page /plans/x/, and the search index asks for
    // pagefind-entry.json?ts=... to dodge HTTP caches, where the precached copy is already this build's.
    const cached = await cache.match(url, { ignoreSearch: true });
    if (cached) return cached;
    const media = url.startsWith(MEDIA) ? await caches.open(MEDIA_CACHE) : null;
    const seen = media && await media.match(url, { ignoreSearch: true });
    if (seen) return seen;
    try {
      const response = await fetch(request);
      const usable = response.status === 200 && response.type === "basic" && !response.redirected;
      const file = FILE_OF.get(url.split("?")[0]);
      if (usable && media) await media.put(url, response.clone());
      // A page or file of a language this device does not keep: kept once opened (while unchanged).
      else if (usable && file) event.waitUntil(putFile(cache, urlOf(file), response.clone()));
      return response;
    } catch (error) {
      if (isPage) {
        const offline = await cache.match(urlOf("offline.html"));
        // Shown at the address that failed, so its relative links need the site root as their base.
        if (offline) {
          const html = (await offline.text()).replace("<head>", `<head><base href="${SCOPE}">`);
          return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
        }
      }
      throw error;
    }
  })());
});
