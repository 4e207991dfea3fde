// search/: the search box of the home page, over the guides, offline.
//
// Offline search over the guides with Pagefind. Its files load only when someone searches, and the
// service worker keeps them, so search works offline; results come from the page language's index only.
import { loadMessages, n, t } from "../core/i18n.js";

let pagefind;

async function engine() {
  if (!pagefind) {
    const rootUrl = new URL(document.documentElement.dataset.root || "./", document.baseURI);
    pagefind = await import(new URL("pagefind/pagefind.js", rootUrl).href);
    // Searching on the page itself: Pagefind's own worker would need a Trusted Types policy for its script URL
    // (the CSP allows none but the service worker's), and the guides' index is small enough for the main thread.
    await pagefind.options({ baseUrl: rootUrl.pathname, noWorker: true });
    pagefind.init();
  }
  return pagefind;
}

/* Pagefind marks matches with <mark>; everything else of the excerpt is put in as text, never as HTML. */
function excerptNodes(excerpt) {
  const out = document.createDocumentFragment();
  excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const text = part.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    if (!text) return;
    if (part.startsWith("<mark>")) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      out.append(mark);
    } else out.append(text);
  });
  return out;
}

export async function init() {
  const box = document.querySelector("[data-search]");
  if (!box) return;
  const form = box.querySelector("[data-search-form]");
  const input = form.querySelector("input");
  const status = box.querySelector("#search-status");
  const list = box.querySelector("[data-search-results]");
  let latest = 0;

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    await loadMessages(); // only when someone searches: the home page itself needs no catalogue
    if (!query) { list.replaceChildren(); status.textContent = ""; return; }
    status.textContent = t("Searching…");
    let found;
    try {
      found = await (await engine()).search(query);
    } catch (error) {
      status.textContent = t("Search is not available right now.");
      console.warn("search failed", error);
      return;
    }
    if (ticket !== latest) return;
    const results = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    if (ticket !== latest) return;
    // The old results stay until the new ones are ready: a list that blinks empty loses a reader's place.
    const items = [];
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.meta.title || result.url;
      const excerpt = document.createElement("p");
      excerpt.append(excerptNodes(result.excerpt || ""));
      item.append(link, excerpt);
      items.push(item);
    }
    list.replaceChildren(...items);
    const count = found.results.length;
    status.textContent = count === 0 ? t("No guide matches.") : n("{n} guide found.", "{n} guides found.", count);
  }

  let timer;
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  // A search sent before this module listened (a slow phone, Enter pressed at once) reloaded the page as ?q=…:
  // it is run now, not lost.
  const sent = new URLSearchParams(location.search).get("q");
  if (sent) {
    input.value = sent;
    run();
  }
}
