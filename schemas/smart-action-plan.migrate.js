// Migrations of smart-action-plan data, keyed by the version migrated from (see docs/schemas.md).
//
// Version 1 kept an action's "when" as one "YYYY-MM-DDTHH:MM" string, had no action ids, no plan B and a
// plain "reviewDate". Version 2 keeps {date, time, tz} so calendar times survive a daylight-saving change, and
// gives each action and the review an id so its calendar event keeps its identity.
// Version 3 adds an optional "continues" to an action: the id of the action it carries on from an earlier plan
// ("Start a new plan from this" in the review). Version 2 data is valid version 3 data, so that step changes
// nothing; the version rises so that an app still on version 2 refuses such a plan as "newer" rather than as
// invalid.
// Version 4 adds an optional "repeat" to a "when" (an action that repeats: DESIGN.md "Recurring actions"). Version 3
// data is valid version 4 data; the version rises for the same reason as version 3's.

const LOCAL = /^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T([0-9]{2}:[0-9]{2}))?$/;

// The device's zone stands in for the zone at entry, which version 1 did not record.
function zone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

// A UUID-shaped id derived from the item's content and place: reading the same old plan twice (the app
// migrates in memory until the next save) gives the same ids, so an export made in between keeps its UIDs.
function stableId(seed) {
  let h1 = 0x811c9dc5, h2 = 0x01000193, h3 = 0x9e3779b9, h4 = 0x85ebca6b;
  for (let i = 0; i < seed.length; i += 1) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2d);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
  }
  const hex = [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, "0")).join("");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function when(text, tz) {
  const m = typeof text === "string" ? LOCAL.exec(text) : null;
  if (!m) return text; // an invalid draft value stays as typed: shown with its error, never dropped
  return m[2] ? { date: m[1], time: m[2], tz } : { date: m[1], tz };
}

export const migrations = {
  1: (data) => {
    const out = structuredClone(data ?? {});
    const tz = zone();
    if (Array.isArray(out.actions)) {
      out.actions = out.actions.map((action, i) => {
        if (!action || typeof action !== "object" || Array.isArray(action)) return action;
        const next = { id: stableId(`action:${i}:${JSON.stringify(action)}`), ...action };
        if ("when" in action) next.when = when(action.when, tz);
        return next;
      });
    }
    if ("reviewDate" in out) {
      const date = out.reviewDate;
      delete out.reviewDate;
      out.review = { id: stableId(`review:${JSON.stringify(date)}`), when: when(date, tz) };
    }
    return out;
  },
  2: (data) => data,
  3: (data) => data,
};
