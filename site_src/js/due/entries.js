// due/: what falls due when, for the agenda, the home page's "Next up", the check-in and the app badge:
// every plan's dated items (this module), their sections and lateness in each item's zone (sections.js), and the
// count on the app icon (app-badge.js).
//
// Every dated item of every plan on this device, read through plan-items.js: what the agenda, the home page's
// "Next up" and the app badge show. Plans the app cannot edit (a newer version's, an unknown form) are left out:
// a check-in could not be saved on them.

import { n, t } from "../core/i18n.js";
import { loadSchema, loadSchemaIndex, migrationInfo } from "../store/migrate.js";
import { planItems, planTitle } from "../schema/plan-items.js";
import { listAllCheckins, listPlans } from "../store/store.js";
import { agendaParts, expandable } from "../repeat/habit.js";
import { occurrenceWhen } from "../time/repeat.js";

/**
 * A repeating item's rows (DESIGN.md "Recurring actions"): its missed occurrences together in one row (`missed`:
 * their dates, `when`: the oldest's), its next occurrence (`occurrence`) where it falls, and each moved one at its
 * new date. Each occurrence is due at its own date, with the item's time in the item's zone.
 */
function repeatingEntries(entry, now) {
  const { when } = entry;
  const { missed, next, moved } = agendaParts(when, entry.checkins, entry.id, now);
  const rows = [];
  if (missed.length) rows.push({ ...entry, when: occurrenceWhen(when, missed[0]), missed, rule: when });
  for (const m of moved) {
    const to = { date: m.to.date, time: m.to.time || null, tz: m.to.tz || when.tz };
    rows.push({ ...entry, when: to, occurrence: m.occurrence, movedFrom: m.occurrence, rule: when });
  }
  if (next) rows.push({ ...entry, when: occurrenceWhen(when, next), occurrence: next, rule: when });
  return rows;
}

/**
 * [{plan, schema, item, checkins, title, id, when, done, dropped}] for every dated item of every plan; a repeating
 * item gives its occurrences' rows at now (ms) instead (repeatingEntries).
 */
export async function loadEntries(now = Date.now()) {
  const [plans, checkins, index] = await Promise.all([
    listPlans(), listAllCheckins(), loadSchemaIndex().catch(() => null)]);
  const schemas = {};
  await Promise.all([...new Set(plans.map((p) => p.schema))].map((id) =>
    loadSchema(id, index).then((s) => { schemas[id] = s; }, () => { schemas[id] = null; })));
  const entries = [];
  for (const plan of plans) {
    const schema = schemas[plan.schema];
    const info = migrationInfo(plan);
    if (!schema || (info && info.status !== "migrated")) continue;
    const own = checkins.get(plan.id) || [];
    const title = planTitle(plan, schema);
    for (const item of planItems(plan, schema, own)) {
      const entry = { plan, schema, item, checkins: own, title, id: item.id, when: item.when, done: item.done,
        dropped: item.dropped };
      if (item.when && expandable(item.when) && !item.done && !item.dropped) entries.push(...repeatingEntries(entry, now));
      else entries.push(entry);
    }
  }
  return entries;
}

/** The plan form's address at that item, relative to the site root: the plan page scrolls to it. */
export function itemHref(root, lang, plan, itemId) {
  return `${root}${lang}/plans/${encodeURIComponent(plan.schema)}/?id=${encodeURIComponent(plan.id)}` +
    `#checkin-${encodeURIComponent(itemId)}`;
}

/** How late, in words ("3 days late"), from sections.js lateness(); "" when not late. */
export function lateText(late) {
  if (!late) return "";
  if (late.days) return n("{n} day late", "{n} days late", late.days);
  if (late.hours) return n("{n} hour late", "{n} hours late", late.hours);
  return late.minutes ? n("{n} minute late", "{n} minutes late", late.minutes) : t("Due just now");
}
