/* Passo's service worker. The build puts PASSO_VERSION, BUILD and PRECACHE (file -> content hash) above this line.
   Every file is kept offline; a new deploy fetches only files whose hash changed; the page decides when to
   switch to a new version, so a form being filled in never loses its input to an update. */
const PREFIX = "passo-";
const CACHE = PREFIX + PASSO_VERSION + "-" + BUILD; // a new Passo version always gets a cache of its own
const HASHES_KEY = "__passo-hashes";
// Guide media past the site's offline budget, kept once viewed. Their names hold their content's hash, so the cache
// outlives builds: a picture seen once stays offline after an update.
const MEDIA_CACHE = PREFIX + "media";
const SCOPE = new URL("./", self.location).href;
const MEDIA = new URL("assets/media/", SCOPE).href;

/* A page is stored under its folder URL ("en/guides/x/"), the URL people and links use. */
const urlOf = (file) => new URL(file.endsWith("index.html") ? file.slice(0, -10) : file, SCOPE).href;

async function previousCopies() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const stored = await cache.match(HASHES_KEY);
    if (!stored) continue;
    const hashes = await stored.json();
    for (const [file, hash] of Object.entries(hashes)) {
      if (!found.has(file)) found.set(file, { hash, cache });
    }
  }
  return found;
}

async function precache() {
  const cache = await caches.open(CACHE);
  const previous = await previousCopies();
  const todo = Object.entries(PRECACHE);
  const worker = async () => {
    for (let item = todo.pop(); item; item = todo.pop()) {
      const [file, hash] = item;
      const url = urlOf(file);
      const old = previous.get(file);
      const kept = old && old.hash === hash ? await old.cache.match(url) : undefined;
      if (kept) {
        await cache.put(url, kept);
        continue;
      }
      const response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
      if (!response.ok) throw new Error(`precache ${url}: ${response.status}`);
      await cache.put(url, response);
    }
  };
  // A few requests at a time: fast on a good connection, gentle on a shaky one.
  await Promise.all(Array.from({ length: 6 }, worker));
  await cache.put(HASHES_KEY, new Response(JSON.stringify(PRECACHE)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE && name !== MEDIA_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
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
      if (media && response.status === 200 && response.type === "basic") await media.put(url, response.clone());
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
