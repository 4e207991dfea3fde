"""JavaScript that tests and benchmarks run in the page: raw IndexedDB access (bypassing the app, to set up or
inspect what is stored) and "the page has finished drawing". Written once here, used by several files."""

from __future__ import annotations

_OPEN = """const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });"""

# put_plans(plans): store plans exactly as given (no revision bump, no migration).
PUT_PLANS = f"""async (plans) => {{
  {_OPEN}
  await new Promise((ok, no) => {{
    const tx = db.transaction("plans", "readwrite");
    for (const p of plans) tx.objectStore("plans").put(p);
    tx.oncomplete = ok; tx.onerror = () => no(tx.error);
  }});
  db.close();
}}"""

# The same, with app settings: evaluate(PUT_PLANS_AND_META, [plans, {key: value}]).
PUT_PLANS_AND_META = f"""async ([plans, meta]) => {{
  {_OPEN}
  await new Promise((ok, no) => {{
    const tx = db.transaction(["plans", "meta"], "readwrite");
    for (const p of plans) tx.objectStore("plans").put(p);
    for (const [k, v] of Object.entries(meta)) tx.objectStore("meta").put(v, k);
    tx.oncomplete = ok; tx.onerror = () => no(tx.error);
  }});
  db.close();
}}"""

# One stored plan by id, as stored, or null.
GET_PLAN = f"""async (id) => {{
  {_OPEN}
  const plan = await new Promise((ok, no) => {{
    const r = db.transaction("plans").objectStore("plans").get(id);
    r.onsuccess = () => ok(r.result ?? null); r.onerror = () => no(r.error);
  }});
  db.close();
  return plan;
}}"""

# The page is ready once its module has drawn what it draws (lists, storage status, export buttons).
READY = """() => {
  const html = document.documentElement;
  if (document.readyState !== "complete") return false;
  if (html.dataset.page === "plans" && !html.dataset.plansReady) return false;
  if (html.dataset.page === "settings" && !html.dataset.settingsReady) return false;
  if (html.dataset.page === "agenda" && !html.dataset.agendaReady) return false;
  if (html.dataset.page === "review" && !html.dataset.reviewReady) return false;
  if (html.dataset.page === "coachees" && !html.dataset.coacheesReady) return false;
  return [...document.querySelectorAll("[data-export-ui]")].every((e) => e.dataset.exportReady);
}"""

# Every store of the database, as stored: {version, stores (sorted names), <store name>: [records]}.
ALL_STORES = f"""async () => {{
  {_OPEN}
  const all = (n) => new Promise((ok) => {{ const r = db.transaction(n).objectStore(n).getAll();
    r.onsuccess = () => ok(r.result); }});
  const out = {{version: db.version, stores: [...db.objectStoreNames].sort()}};
  for (const n of out.stores) out[n] = await all(n);
  db.close();
  return out;
}}"""
