// Schema versions and plan migrations: the one place that brings a plan's data up to its schema's version.
//
// schemas/<id>.migrate.js exports `migrations = {1: (data) => newData, ...}`, keyed by the version migrated
// from. The module URL is computed from the schema index (same origin, so CSP script-src 'self' allows it).
//
// Write-back policy: read paths migrate in memory only; the stored original stays as it was until the coachee
// next saves the plan (savePlan then stores the migrated data and version). Why: a read never changes data, so
// a faulty migration shipped in one release can be fixed by the next and re-run on the untouched original; the
// revision (the calendar SEQUENCE) counts only the coachee's changes; and two tabs running different app
// versions cannot overwrite each other just by opening a plan.

const INFO = Symbol("passo.migration");

export function rootURL() {
  return new URL(document.documentElement.dataset.root || "./", document.baseURI);
}

let indexPromise = null;

/** The schema index {"schemas": {id: {version, url, migrate}}}, fetched once per page. */
export function loadSchemaIndex() {
  if (!indexPromise) {
    indexPromise = fetch(new URL("schemas/index.json", rootURL()))
      .then((r) => {
        if (!r.ok) throw new Error(`schemas/index.json: HTTP ${r.status}`);
        return r.json();
      })
      .catch((e) => {
        indexPromise = null; // let a later call try again (e.g. back online)
        throw e;
      });
  }
  return indexPromise;
}

const schemaCache = new Map();

/** The schema document of id (as written, with $defs/$ref), fetched once per page. */
export async function loadSchema(id, index) {
  index = index || (await loadSchemaIndex());
  const entry = index.schemas && index.schemas[id];
  if (!entry) throw new Error(`unknown schema ${id}`);
  if (!schemaCache.has(id)) {
    const p = fetch(new URL(entry.url, rootURL())).then((r) => {
      if (!r.ok) throw new Error(`${entry.url}: HTTP ${r.status}`);
      return r.json();
    });
    p.catch(() => schemaCache.delete(id));
    schemaCache.set(id, p);
  }
  return schemaCache.get(id);
}

const moduleCache = new Map();

function loadMigrations(entry) {
  const url = new URL(entry.migrate, rootURL()).href;
  if (!moduleCache.has(url)) {
    const p = import(url).then((m) => m.migrations || {});
    p.catch(() => moduleCache.delete(url));
    moduleCache.set(url, p);
  }
  return moduleCache.get(url);
}

function flag(plan, info) {
  Object.defineProperty(plan, INFO, { value: info, enumerable: false, configurable: true });
  return plan;
}

/**
 * What migratePlan did to this plan object: null when nothing was needed, else
 * {status: "migrated", from, to} | {status: "newer", version, appVersion} | {status: "unknown-schema"} |
 * {status: "failed", from, to, error}. Symbols do not survive JSON or structuredClone, so a saved or
 * exported plan never carries the flag.
 */
export function migrationInfo(plan) {
  return (plan && plan[INFO]) || null;
}

/**
 * The plan at its schema's current version. Never throws and never drops a plan: a plan newer than the app's
 * schema, of an unknown schema, or whose migration fails is returned untouched with a flag (migrationInfo).
 * The input object is not modified.
 */
export async function migratePlan(plan, index) {
  const entry = index && index.schemas && index.schemas[plan.schema];
  if (!entry) return flag({ ...plan }, { status: "unknown-schema" });
  const from = Number(plan.schema_version) || 1;
  const to = Number(entry.version);
  if (from === to) return plan;
  if (from > to) return flag({ ...plan }, { status: "newer", version: from, appVersion: to });
  try {
    if (!entry.migrate) throw new Error(`no migration for ${plan.schema} ${from} -> ${to}`);
    const migrations = await loadMigrations(entry);
    let data = structuredClone(plan.data);
    for (let v = from; v < to; v += 1) {
      const step = migrations[v];
      if (typeof step !== "function") throw new Error(`${entry.migrate}: no migration from version ${v}`);
      data = await step(data);
    }
    return flag({ ...plan, schema_version: to, data }, { status: "migrated", from, to });
  } catch (error) {
    return flag({ ...plan }, { status: "failed", from, to, error: String((error && error.message) || error) });
  }
}
