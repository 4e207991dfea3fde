// The check-ins new in a share since the previous one of the same plan: shared by share-file.js (the changes a
// coach sees) and the coach's desk, which need it without the rest of share-file.js (a page of 200 coachees loads
// less before it can draw).

/** A check-in's identity across shares. Plain concatenation: the desk compares thousands of them. */
export const checkinKey = (c) => `${c.item}\u0000${c.at}\u0000${c.outcome}`;

/** The check-ins of `next` that `previous` (the share before it, or null: all of them) did not hold. */
export function checkinsSince(previous, next) {
  const old = new Set(((previous && previous.checkins) || []).map(checkinKey));
  return (next.checkins || []).filter((c) => !old.has(checkinKey(c)));
}
