// store/: everything kept on this device: IndexedDB (this module), a check-in's stored shape, a goal's
// measurements (measurements.js) and the schema migrations a stored or imported plan goes through (migrate.js).
//
// Plans on this device: the only module that opens IndexedDB (measurements.js writes through its run()).
//
// Stored plans have exactly the plan-file shape of DESIGN.md, keyed by id. Read paths bring old plans up to
// their schema's version in memory (see migrate.js for why nothing is written back until the next save).
// Failures reach callers as StorageError (a translated message plus retry()); a failed write is one aborted
// transaction, so whatever was saved before it stays as it was.

import { t } from "../core/i18n.js";
import { loadSchemaIndex, migratePlan } from "./migrate.js";
import { checkinShape as toCheckin } from "./checkin-shape.js";
import { applyEdits, getAt } from "../schema/json-pointer.js";

const DB_NAME = "passo";
const DB_VERSION = 3;
const CHANNEL = "passo-plans";
const PLAN_KEYS = ["format", "format_version", "schema", "schema_version", "id", "revision", "created", "updated",
  "lang", "data"];

/** Every database version's changes, in one place. Each step takes a database from version N-1 to N. */
function upgrade(db, oldVersion /* , newVersion, tx */) {
  if (oldVersion < 1) {
    db.createObjectStore("plans", { keyPath: "id" }).createIndex("updated", "updated");
    db.createObjectStore("meta");
  }
  if (oldVersion < 2) {
    // Plans a coachee shared with this device's coach (passo-share): kept apart from the device's own plans.
    db.createObjectStore("shared", { keyPath: "id" });
    // Follow-through: one record per check-in or move ({seq, plan, item, at, outcome, ...}), and saved reviews.
    db.createObjectStore("checkins", { keyPath: "seq", autoIncrement: true }).createIndex("plan", "plan");
    db.createObjectStore("reviews", { keyPath: "id" });
  }
  if (oldVersion < 3) {
    // The coach's own notes on a coachee or one of their plans ({id, coachee, plan, text, updated}): only on this
    // device, never in a share, a sponsor report or a plan file (coach-notes.js). Nothing before it changes.
    db.createObjectStore("coach-notes", { keyPath: "id" }).createIndex("coachee", "coachee");
  }
  // Later steps use the versionchange transaction (the 4th argument), never a new one.
}

/** idb-style open: upgrade(db, oldVersion, newVersion, tx) runs inside the versionchange transaction. */
export function openDB(name, version, { upgrade: up, blocked, blocking, terminated } = {}) {
  return new Promise((resolve, reject) => {
    let request;
    try {
      request = indexedDB.open(name, version);
    } catch (e) {
      reject(e);
      return;
    }
    request.onupgradeneeded = (ev) => {
      if (up) up(request.result, ev.oldVersion, ev.newVersion, request.transaction);
    };
    request.onblocked = (ev) => blocked && blocked(ev.oldVersion, ev.newVersion);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = (ev) => (blocking ? blocking(db, ev) : db.close());
      db.onclose = () => terminated && terminated(db);
      resolve(db);
    };
  });
}

let dbPromise = null;

function connect() {
  if (typeof indexedDB === "undefined") return Promise.reject(new DOMException("no IndexedDB", "NotSupportedError"));
  if (!dbPromise) {
    const p = openDB(DB_NAME, DB_VERSION, {
      upgrade,
      // Another tab upgrades or erases the database: step aside so it is not blocked; reopen on next use.
      blocking(db) {
        db.close();
        if (dbPromise === p) dbPromise = null;
      },
      // The browser closed the connection (storage cleared, disk error): reopen on next use.
      terminated() {
        if (dbPromise === p) dbPromise = null;
      },
    }).catch((e) => {
      if (dbPromise === p) dbPromise = null;
      if (e && typeof e === "object") e.passoOpen = true;
      throw e;
    });
    dbPromise = p;
  }
  return dbPromise;
}

function forget(db) {
  try {
    db.close();
  } catch {
    /* already closed */
  }
  dbPromise = null;
}

/** An IDBRequest as a promise; awaiting it inside a transaction body keeps the transaction alive. */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run body(tx) in one transaction; resolves with body's result once the transaction has committed. */
export async function run(mode, stores, body, reopened = false) {
  const db = await connect();
  let tx;
  try {
    tx = db.transaction(stores, mode);
  } catch (e) {
    // A connection closed under us (versionchange, storage cleared): reopen once before giving up.
    if (e && e.name === "InvalidStateError" && !reopened) {
      forget(db);
      return run(mode, stores, body, true);
    }
    throw e;
  }
  return new Promise((resolve, reject) => {
    let result;
    let failure = null;
    tx.oncomplete = () => resolve(result);
    tx.onabort = () => reject(failure || tx.error || new DOMException("transaction aborted", "AbortError"));
    Promise.resolve()
      .then(() => body(tx))
      .then(
        (r) => {
          result = r;
        },
        (e) => {
          failure = e;
          try {
            tx.abort();
          } catch {
            reject(e); // already finished: onabort will not fire
          }
        },
      );
  });
}

const MESSAGES = {
  quota: () =>
    t("This device has no room left to save your plan. Everything saved before is still here. " +
      "Free some space on the device, then try again."),
  connection: () =>
    t("The connection to this device's storage was lost. Everything saved before is still here. Try again."),
  unavailable: () =>
    t("This browser does not let Passo keep plans on this device (a private window, or storage turned off)."),
  newer: () =>
    t("This plan was saved by a newer version of Passo. It is kept unchanged; reload the page to update Passo."),
  conflict: () => t("This plan was changed in another tab or window since you opened it."),
};

/** A storage failure the coachee can act on: message is translated; retry() repeats the operation. */
export class StorageError extends Error {
  constructor(kind, cause, retry) {
    super((MESSAGES[kind] || MESSAGES.connection)());
    this.name = "StorageError";
    this.kind = kind;
    this.cause = cause;
    this.retry = retry || null;
  }
}

function kindOf(e) {
  const name = e && e.name;
  if (name === "QuotaExceededError") return "quota";
  if (name === "NotSupportedError" || name === "SecurityError") return "unavailable";
  // Opening fails this way in private windows of some browsers; later it means a closed connection.
  if (name === "InvalidStateError" && e.passoOpen) return "unavailable";
  return "connection";
}

/** Wrap an operation so every failure is a StorageError whose retry() runs it again on a fresh connection. */
export function guarded(operation) {
  const attempt = () =>
    operation().catch((e) => {
      if (e instanceof StorageError) throw e;
      if (kindOf(e) === "connection" && dbPromise) {
        dbPromise.then(forget, () => {});
      }
      throw new StorageError(kindOf(e), e, attempt);
    });
  return attempt();
}

let channel = null;

function bus() {
  if (!channel && typeof BroadcastChannel !== "undefined") channel = new BroadcastChannel(CHANNEL);
  return channel;
}

// Other tabs hear of a change through the channel; this tab's other modules (an import on the plans page,
// a backup on settings) through a window event, so onPlansChanged never reports a tab's own saves to it.
export function announce(message) {
  const c = bus();
  if (c) c.postMessage(message);
  if (typeof window !== "undefined") window.dispatchEvent(new CustomEvent("passo:plans-changed", { detail: message }));
}

/**
 * cb({id, revision, deleted}) for every save or delete made in another tab; ({erased: true}) after an erase.
 * Changes made in this tab arrive as the window event "passo:plans-changed" with the same detail.
 */
export function onPlansChanged(cb) {
  const c = bus();
  if (!c) return () => {};
  const listener = (ev) => cb(ev.data);
  c.addEventListener("message", listener);
  return () => c.removeEventListener("message", listener);
}

export function nowISO() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; a LAN test host over plain http still needs ids.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Exactly the plan-file keys: flags and helpers callers put on a plan object are never stored. */
export function toStored(plan) {
  const out = {};
  for (const k of PLAN_KEYS) out[k] = plan[k];
  out.format = "passo-plan";
  out.format_version = 1;
  // Measurements (measure/) live on the plan record itself, so they need no store (and no database version).
  if (Array.isArray(plan.measurements) && plan.measurements.length) out.measurements = plan.measurements;
  return out;
}

/** A new, unsaved plan (revision 0); savePlan gives it revision 1. */
export function newPlan(schemaId, schemaVersion, lang) {
  const now = nowISO();
  return {
    format: "passo-plan", format_version: 1, schema: schemaId, schema_version: schemaVersion, id: uuid(),
    revision: 0, created: now, updated: now, lang, data: {},
  };
}

export { uuid as newId };

async function migrated(plans) {
  let index;
  try {
    index = await loadSchemaIndex();
  } catch {
    return plans; // offline before the index was cached: show plans as stored rather than nothing
  }
  return Promise.all(plans.map((p) => migratePlan(p, index)));
}

/** All plans, newest change first, each at its schema's current version (see migrate.js). */
export function listPlans() {
  return guarded(async () => {
    const plans = await run("readonly", ["plans"], (tx) => req(tx.objectStore("plans").getAll()));
    plans.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0));
    return migrated(plans);
  });
}

/** One plan at its schema's current version, or null. */
export function getPlan(id) {
  return guarded(async () => {
    const plan = await run("readonly", ["plans"], (tx) => req(tx.objectStore("plans").get(id)));
    return plan ? (await migrated([plan]))[0] : null;
  });
}

/**
 * Save a plan: revision + 1, updated = now (and created on first save). Returns the stored plan.
 * options.baseRevision: the revision this edit started from; if another tab saved a later one meanwhile, the
 * save is refused with StorageError kind "conflict" (err.current holds the stored plan) instead of overwriting it.
 */
export function savePlan(plan, options = {}) {
  return guarded(() =>
    run("readwrite", ["plans", "meta"], async (tx) => {
      const store = tx.objectStore("plans");
      const old = await req(store.get(plan.id));
      if (old && Number(old.schema_version) > Number(plan.schema_version)) {
        throw new StorageError("newer", null, null); // saving would downgrade data written by a newer app
      }
      if (old && options.baseRevision != null && old.revision > options.baseRevision) {
        const err = new StorageError("conflict", null, null);
        err.current = old;
        throw err;
      }
      const now = nowISO();
      const base = Math.max(old ? old.revision : 0, Number(plan.revision) || 0);
      const saved = toStored({
        ...plan,
        // The form's copy may predate a measurement saved since: the stored list is the truth.
        measurements: old ? old.measurements : plan.measurements,
        revision: base + 1,
        created: old ? old.created : plan.revision > 0 && plan.created ? plan.created : now,
        updated: now,
      });
      store.put(saved);
      tx.objectStore("meta").put(now, "lastChange");
      return saved;
    }),
  ).then((saved) => {
    announce({ id: saved.id, revision: saved.revision, deleted: false });
    askPersistenceOnce();
    return saved;
  });
}

/**
 * Store plans as given (revisions kept), all or none, in one transaction: for import and undo. A plan carrying
 * `checkins` (an array in the plan-file shape, as an imported file or deletePlan gives it) has its check-ins
 * replaced by those in the same transaction; without it, its check-ins stay as they are. So for `measurements`.
 */
export function putPlans(plans) {
  const stored = plans.map(toStored);
  return guarded(() =>
    run("readwrite", ["plans", "meta", "checkins"], async (tx) => {
      const store = tx.objectStore("plans");
      for (const [i, p] of stored.entries()) {
        // A file without measurements (format_version 1 or 2) leaves the stored ones, as it leaves check-ins.
        if (!Array.isArray(plans[i].measurements)) {
          const old = await req(store.get(p.id));
          if (old && old.measurements) p.measurements = old.measurements;
        }
        store.put(p);
      }
      for (const p of plans) {
        if (!Array.isArray(p.checkins)) continue;
        await dropCheckins(tx, p.id);
        const log = tx.objectStore("checkins");
        for (const c of p.checkins) log.add({ plan: p.id, ...toCheckin(c) });
      }
      tx.objectStore("meta").put(nowISO(), "lastChange");
      return stored;
    }),
  ).then((saved) => {
    for (const p of saved) announce({ id: p.id, revision: p.revision, deleted: false });
    askPersistenceOnce();
    return saved;
  });
}

/**
 * Delete one plan and its check-ins; resolves with the plan as it was stored, its check-ins as `checkins` (so
 * putPlans([old]) undoes the deletion whole), or null if there was none.
 */
export function deletePlan(id) {
  return guarded(() =>
    run("readwrite", ["plans", "meta", "checkins"], async (tx) => {
      const store = tx.objectStore("plans");
      const old = await req(store.get(id));
      store.delete(id);
      const checkins = await dropCheckins(tx, id);
      tx.objectStore("meta").put(nowISO(), "lastChange");
      return old ? { ...old, checkins } : null;
    }),
  ).then((old) => {
    announce({ id, revision: old ? old.revision : null, deleted: true });
    return old;
  });
}

// ---- Check-ins and reviews (docs/follow-through.md) ----
// A record: the plan-file check-in plus `plan`, `seq` (key: order of writing) and `undo` (the fields it changed,
// as they were). History is appended; only undo removes a record.

/** Delete a plan's check-in records inside tx; resolves with them in the plan-file shape, oldest first. */
async function dropCheckins(tx, planId) {
  const index = tx.objectStore("checkins").index("plan");
  const records = await req(index.getAll(planId));
  const store = tx.objectStore("checkins");
  for (const r of records) store.delete(r.seq);
  return records.map(toCheckin);
}

/** The check-ins of one plan in the plan-file shape, oldest first. */
export function listCheckins(planId) {
  return guarded(async () => {
    const records = await run("readonly", ["checkins"], (tx) =>
      req(tx.objectStore("checkins").index("plan").getAll(planId)));
    return records.map(toCheckin);
  });
}

/** Every plan's check-ins: Map(planId -> array in the plan-file shape, oldest first). */
export function listAllCheckins() {
  return guarded(async () => {
    const records = await run("readonly", ["checkins"], (tx) => req(tx.objectStore("checkins").getAll()));
    const out = new Map();
    for (const r of records) {
      if (!out.has(r.plan)) out.set(r.plan, []);
      out.get(r.plan).push(toCheckin(r));
    }
    return out;
  });
}

/**
 * A check-in and the plan's change (edits from plan-items changeItem) in one transaction, applied to the plan as
 * stored now: a later check-in from another tab wins, nothing is lost. Resolves {plan, checkin, seq}.
 */
export function recordCheckin(plan, checkin, edits = []) {
  return guarded(() =>
    run("readwrite", ["plans", "checkins", "meta"], async (tx) => {
      const store = tx.objectStore("plans");
      const old = await req(store.get(plan.id));
      if (!old) throw new DOMException("no such plan", "NotFoundError");
      if (Number(old.schema_version) > Number(plan.schema_version)) throw new StorageError("newer", null, null);
      // Stored at an older form version: the caller's copy is the same plan brought up to date (migrate.js).
      const base = Number(old.schema_version) === Number(plan.schema_version) ? old : plan;
      const now = nowISO();
      const undo = edits.map((e) => ({ pointer: e.pointer, value: getAt(base.data, e.pointer) }));
      const saved = toStored({ ...base, measurements: old.measurements, data: applyEdits(base.data, edits),
        revision: Math.max(old.revision, Number(plan.revision) || 0) + 1, created: old.created, updated: now });
      store.put(saved);
      const record = { plan: plan.id, ...toCheckin({ ...checkin, at: checkin.at || now }), undo };
      const seq = await req(tx.objectStore("checkins").add(record));
      tx.objectStore("meta").put(now, "lastChange");
      return { plan: saved, checkin: toCheckin(record), seq };
    }),
  ).then((result) => {
    announce({ id: result.plan.id, revision: result.plan.revision, deleted: false, checkins: true });
    return result;
  });
}

/** Undo the plan's latest check-in (with seq: only that one) and restore its fields; {plan, checkin} or null. */
export function undoCheckin(planId, seq = null) {
  return guarded(() =>
    run("readwrite", ["plans", "checkins", "meta"], async (tx) => {
      const log = tx.objectStore("checkins");
      const cursor = await req(log.index("plan").openCursor(IDBKeyRange.only(planId), "prev"));
      if (!cursor || (seq != null && cursor.value.seq !== seq)) return null;
      const record = cursor.value;
      log.delete(record.seq);
      const store = tx.objectStore("plans");
      const old = await req(store.get(planId));
      let saved = old;
      if (old) {
        const now = nowISO();
        saved = toStored({ ...old, data: applyEdits(old.data, record.undo || []), revision: old.revision + 1,
          updated: now });
        store.put(saved);
        tx.objectStore("meta").put(now, "lastChange");
      }
      return { plan: saved, checkin: toCheckin(record) };
    }),
  ).then((result) => {
    if (result && result.plan) {
      announce({ id: planId, revision: result.plan.revision, deleted: false, checkins: true });
    }
    return result;
  });
}

/** Saved reviews, as saveReview stored them, ordered by id. */
export function listReviews() {
  return guarded(() => run("readonly", ["reviews"], (tx) => req(tx.objectStore("reviews").getAll())));
}

/** Save a review ({id, ...}); other tabs hear {review: id}, this tab "passo:reviews-changed". */
export function saveReview(review) {
  if (!review || typeof review.id !== "string" || !review.id) {
    return Promise.reject(new TypeError("a review needs a string id"));
  }
  return guarded(() =>
    run("readwrite", ["reviews"], (tx) => {
      tx.objectStore("reviews").put(review);
      return review;
    }),
  ).then((saved) => {
    const c = bus();
    if (c) c.postMessage({ review: saved.id });
    if (typeof window !== "undefined") {
      window.dispatchEvent(new CustomEvent("passo:reviews-changed", { detail: { id: saved.id } }));
    }
    return saved;
  });
}

export function getMeta(key) {
  return guarded(() => run("readonly", ["meta"], (tx) => req(tx.objectStore("meta").get(key))));
}

/** Store a setting; this tab hears of it as a "passo:meta-changed" window event ({detail: {key}}). */
export function setMeta(key, value) {
  return guarded(() =>
    run("readwrite", ["meta"], (tx) => {
      tx.objectStore("meta").put(value, key);
    }),
  ).then(() => {
    if (typeof window !== "undefined") window.dispatchEvent(new CustomEvent("passo:meta-changed", { detail: { key } }));
  });
}

/**
 * Delete the whole database (plans and meta). Other tabs close their connection on versionchange; one that
 * does not (an older Passo) holds the deletion back: onBlocked() is called so the page can say so, and the
 * promise resolves once that tab lets go.
 */
export function eraseAll(onBlocked) {
  return guarded(async () => {
    if (dbPromise) {
      const db = await dbPromise.catch(() => null);
      if (db) forget(db);
    }
    dbPromise = null;
    await new Promise((resolve, reject) => {
      const r = indexedDB.deleteDatabase(DB_NAME);
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error);
      r.onblocked = () => onBlocked && onBlocked();
    });
    announce({ erased: true });
  });
}

/** Ask the browser to keep our data under storage pressure; resolves to whether it is persisted. */
export async function requestPersistence() {
  const s = navigator.storage;
  if (!s || !s.persist) return false;
  try {
    if (s.persisted && (await s.persisted())) return true;
    return await s.persist();
  } catch {
    return false;
  }
}

let askedThisPage = false;

// Asked once, after the first save: before there is anything to keep, a prompt (Firefox) makes no sense.
function askPersistenceOnce() {
  if (askedThisPage) return;
  askedThisPage = true;
  getMeta("persistRequested")
    .then((asked) => {
      if (asked) return null;
      return setMeta("persistRequested", nowISO()).then(requestPersistence);
    })
    .catch(() => {});
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Whether to remind the coachee to back up: plans changed more than a week after the last backup (or, never
 * backed up, more than a week after the first plan was created). A week, because Safari deletes a site's
 * data after seven days without a visit.
 */
export function backupDue(lastBackup, lastChange, firstCreated) {
  const change = Date.parse(lastChange || "");
  const since = Date.parse(lastBackup || firstCreated || "");
  if (!Number.isFinite(change) || !Number.isFinite(since)) return false;
  return change - since > WEEK_MS;
}

/** {persisted, usage, quota}; null for what this browser cannot tell. */
export async function storageStatus() {
  const s = navigator.storage;
  const out = { persisted: null, usage: null, quota: null };
  if (!s) return out;
  try {
    if (s.persisted) out.persisted = await s.persisted();
    if (s.estimate) {
      const e = await s.estimate();
      out.usage = e.usage ?? null;
      out.quota = e.quota ?? null;
    }
  } catch {
    /* leave unknowns as null */
  }
  return out;
}
