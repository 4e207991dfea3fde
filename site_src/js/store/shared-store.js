// Plans shared with me (a coach's inbox), in the store's "shared" object store: apart from store.js so that pages
// without a coach's inbox (the plan form, held to its weight budget) do not load it.

import { guarded, req, run } from "./store.js";

/**
 * Whether this device holds any share: a flag app.js reads on every page, without opening IndexedDB, to show
 * "Coachees" in the navigation (a first visit, and a coachee's device, look as they always did). Set by what
 * stores or lists shares; cleared with the last one, and when the device is erased.
 */
export function flagCoachees(has) {
  try {
    if (has) localStorage.setItem("passo:desk", "1");
    else localStorage.removeItem("passo:desk");
  } catch {
    /* storage turned off: the link simply stays hidden */
  }
}

// -- plans shared with me (a coach's inbox) ------------------------------------------------------------------
// Records: {id, schema, schema_version, revision, updated, data, checkins, from, shared, lang, received,
// previous: {revision, shared, data, checkins} | null}. Read-only copies: nothing here ever touches "plans".

export function announceShared(detail) {
  if (typeof window !== "undefined") window.dispatchEvent(new CustomEvent("passo:shared-changed", { detail }));
}

/** Every shared plan, most recently received first. */
export function listShared() {
  return guarded(async () => {
    const all = await run("readonly", ["shared"], (tx) => req(tx.objectStore("shared").getAll()));
    return all.sort((a, b) => (a.received < b.received ? 1 : a.received > b.received ? -1 : 0));
  });
}

export function getShared(id) {
  return guarded(() => run("readonly", ["shared"], (tx) => req(tx.objectStore("shared").get(id))).then((r) => r || null));
}

/** Store shared plans as given, all or none, in one transaction. */
export function putShared(records) {
  return guarded(() =>
    run("readwrite", ["shared"], (tx) => {
      const store = tx.objectStore("shared");
      for (const r of records) store.put(r);
      return records;
    }),
  ).then((saved) => {
    announceShared({ ids: saved.map((r) => r.id) });
    return saved;
  });
}

/** Delete one shared plan; resolves with the record as it was (for undo), or null. */
export function deleteShared(id) {
  return guarded(() =>
    run("readwrite", ["shared"], async (tx) => {
      const store = tx.objectStore("shared");
      const old = await req(store.get(id));
      store.delete(id);
      return old || null;
    }),
  ).then((old) => {
    announceShared({ ids: [id], deleted: true });
    return old;
  });
}
