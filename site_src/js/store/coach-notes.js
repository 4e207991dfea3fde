// The coach's own notes (DESIGN.md "Coach's desk"): one per coachee and one per shared plan, in the
// "coach-notes" store. "Only you": nothing here enters a share, a sponsor report or a plan file; a backup
// carries them only when the coach ticks it. Deleting a coachee removes their shares and these notes at once.
//
// A record: {id, coachee, plan, text, updated}. id is "c:<coachee>" for the coachee's note and
// "p:<coachee>:<plan id>" for a plan's; `coachee` is the group key of the coachees page (a UUID, or "from:<name>"
// for version 1 shares), indexed so a coachee's notes go with them.

import { guarded, req as request, run } from "./store.js";
import { announceShared, flagCoachees } from "./shared-store.js";

export { flagCoachees };

const transact = (mode, stores, body) => guarded(() => run(mode, stores, body));

const MAX_TEXT = 20000;

export const noteId = (coachee, plan = null) => (plan ? `p:${coachee}:${plan}` : `c:${coachee}`);

const nowISO = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** Every note on this device, ordered by id. */
export function listCoachNotes() {
  return transact("readonly", ["coach-notes"], (tx) => request(tx.objectStore("coach-notes").getAll()));
}

/** Save one note (an empty text deletes it); resolves with the stored record, or null when deleted. */
export function saveCoachNote(coachee, plan, text) {
  const body = String(text || "").slice(0, MAX_TEXT);
  const id = noteId(coachee, plan);
  return transact("readwrite", ["coach-notes"], (tx) => {
    const store = tx.objectStore("coach-notes");
    if (!body.trim()) {
      store.delete(id);
      return null;
    }
    const record = { id, coachee, plan: plan || null, text: body, updated: nowISO() };
    store.put(record);
    return record;
  });
}

/**
 * Store notes as a backup gives them (all or none); a note here already and changed later is kept.
 * Resolves with how many were written.
 */
export function restoreCoachNotes(notes) {
  return transact("readwrite", ["coach-notes"], async (tx) => {
    const store = tx.objectStore("coach-notes");
    let written = 0;
    for (const n of notes) {
      const old = await request(store.get(n.id));
      if (old && old.updated >= n.updated) continue;
      store.put(n);
      written += 1;
    }
    return written;
  }).then((written) => {
    // Notes restored without their shares still count: "Include my notes" must be offered for them.
    if (written) flagCoachees(true);
    return written;
  });
}

/**
 * Delete a coachee: their shared plans (ids) and every note on them, in one transaction. Resolves with
 * {shared, notes}: how many of each went.
 */
export function deleteCoachee(coachee, planIds) {
  return transact("readwrite", ["shared", "coach-notes"], async (tx) => {
    const shared = tx.objectStore("shared");
    for (const id of planIds) shared.delete(id);
    const notes = tx.objectStore("coach-notes");
    const keys = await request(notes.index("coachee").getAllKeys(coachee));
    for (const k of keys) notes.delete(k);
    return { shared: planIds.length, notes: keys.length, count: await request(shared.count()) };
  }).then((out) => {
    flagCoachees(out.count > 0);
    announceShared({ ids: planIds, deleted: true });
    return out;
  });
}

/** A note read from a backup, checked: {id, coachee, plan, text, updated} with the id its keys make, or null. */
export function checkedNote(n) {
  if (!n || typeof n !== "object" || Array.isArray(n)) return null;
  const { coachee, plan, text, updated } = n;
  if (typeof coachee !== "string" || !coachee || coachee.length > 300) return null;
  if (plan !== null && (typeof plan !== "string" || !plan || plan.length > 128)) return null;
  if (typeof text !== "string" || text.length > MAX_TEXT) return null;
  if (typeof updated !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/.test(updated)) return null;
  if (n.id !== noteId(coachee, plan)) return null;
  return { id: n.id, coachee, plan, text, updated };
}
