// A goal's measurements (measure/, results/) live on the plan record itself, so they need no store of their own
// and no database version. Appending one is a saved change of the plan. A module apart from store.js, so the
// form's first visit carries none of it: only "Where is it now?" and a check-in of a measured plan load it.

import { announce, guarded, nowISO, req, run, toStored } from "./store.js";

/**
 * Append one measurement ({group, at, value, note}, checked by the caller) to the plan as stored now, in one
 * transaction: revision + 1. Resolves with the stored plan.
 */
export function recordMeasurement(planId, measurement) {
  // Oldest first, whatever order they were entered in (a value for last week typed today).
  const older = (a, b) => Date.parse(a.at) - Date.parse(b.at);
  return changeMeasurements(planId, (list) => [...list, measurement].sort(older));
}

/** Take back one measurement (the first equal to `measurement`), e.g. when its check-in is undone. */
export function removeMeasurement(planId, measurement) {
  const same = (m) => m.group === measurement.group && m.at === measurement.at && m.value === measurement.value;
  return changeMeasurements(planId, (list) => {
    const i = list.findIndex(same);
    return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
  });
}

function changeMeasurements(planId, change) {
  return guarded(() =>
    run("readwrite", ["plans", "meta"], async (tx) => {
      const store = tx.objectStore("plans");
      const old = await req(store.get(planId));
      if (!old) throw new DOMException("no such plan", "NotFoundError");
      const now = nowISO();
      const list = change(Array.isArray(old.measurements) ? old.measurements : []);
      const saved = toStored({ ...old, measurements: list, revision: old.revision + 1, updated: now });
      store.put(saved);
      tx.objectStore("meta").put(now, "lastChange");
      return saved;
    }),
  ).then((saved) => {
    // As a check-in's: the plan page shows the new revision as its own, not as another tab's.
    announce({ id: saved.id, revision: saved.revision, deleted: false, checkins: true });
    return saved;
  });
}
