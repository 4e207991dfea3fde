// What a plan page's export buttons do: the plan file, the calendar file and the calendar settings. Loaded on the
// first tap (plan-export-ui.js wires the buttons), so a plan form's first visit carries none of it.

import { inLanguage, t } from "../core/i18n.js";
import { loadSchema } from "../store/migrate.js";
import { getMeta, listCheckins, setMeta } from "../store/store.js";
import { currentPlan, say } from "../files/file-actions.js";
import { protectIfAsked } from "../protect/protect-option.js";

const PRODID = "-//Passo//Passo plans//EN";
const SETTINGS_KEY = "calendarSettings";
const memoryKey = (planId) => `calendarExported:${planId}`;

async function calendarSettings() {
  const { DEFAULT_SETTINGS } = await import("./calendar-defaults.js");
  const saved = await getMeta(SETTINGS_KEY).catch(() => null);
  return { ...DEFAULT_SETTINGS, ...(saved && typeof saved === "object" ? saved : {}) };
}

export async function exportJSON(root, status) {
  const plan = await currentPlan(status);
  if (!plan) return;
  const [{ planToFile, fileName }, { saveFile, JSON_TYPE }] = await Promise.all([
    import("../files/plan-file.js"), import("../files/save-file.js")]);
  const file = await protectIfAsked(root.querySelector("[data-protect]"), planToFile(plan, await listCheckins(plan.id)),
    fileName("plan", plan));
  if (!file) return;
  const how = await saveFile(file.text, file.name, JSON_TYPE);
  if (how === "cancelled") return;
  say(status, file.protected ? t("Your protected file is ready.") : t("Your plan file is ready."));
}

/** "Export to calendar" (item = null) or one action's "Add to calendar" (item = {id} or {pointer}). */
export async function exportCalendar(status, item = null) {
  const plan = await currentPlan(status);
  if (!plan) return;
  const [schema, events, ics, files, save] = await Promise.all([
    loadSchema(plan.schema), import("./plan-events.js"), import("./ics.js"), import("../files/plan-file.js"),
    import("../files/save-file.js")]);
  const settings = await calendarSettings();
  const previous = await getMeta(memoryKey(plan.id)).catch(() => null);
  const checkins = await listCheckins(plan.id); // a dropped item leaves the calendar
  let only = null;
  if (item) {
    const uid = item.id ? `${item.id}@${plan.id}.passo` : null;
    const all = await inLanguage(plan.lang, () => events.planEvents(plan, schema, settings, checkins));
    const ev = all.find((e) => e.uid === uid || e.pointer === item.pointer);
    if (!ev) {
      say(status, t("This action has no date yet: give it a date, then add it to your calendar."), true);
      return;
    }
    only = [ev.uid];
  }
  // The calendar text is in the plan's language, whatever language the page is shown in now.
  const result = await inLanguage(plan.lang, () => events.calendarExport(plan, schema, previous, settings, only,
    checkins));
  if (!result.events.length) {
    say(status, t("No action in this plan has a date yet, so there is nothing to put in a calendar."), true);
    return;
  }
  const now = new Date();
  const text = ics.buildCalendar({ events: result.events, prodid: PRODID, now });
  const how = await save.saveFile(text, files.fileName("plan", plan, now, "ics"), save.CALENDAR_TYPE);
  if (how === "cancelled") return;
  // Remembered only once the file left: the next export cancels what is gone since this one.
  await setMeta(memoryKey(plan.id), result.remembered);
  say(status, t("Your calendar file is ready. Open it with your calendar app to add or update the events."));
}

/** The calendar settings' fields get their values when first shown; one still empty is the coachee's to fill. */
export async function fillSettings(inputs) {
  const s = await calendarSettings();
  for (const input of inputs) if (input.value === "") input.value = String(s[input.dataset.setting]);
}

/** Every field's value is written at once: no read-then-write, so two quick changes cannot undo each other. */
export function saveSettings(inputs) {
  const settings = {};
  for (const input of inputs) {
    const value = Math.round(Number(input.value));
    if (input.value !== "" && input.checkValidity() && Number.isFinite(value)) settings[input.dataset.setting] = value;
  }
  return setMeta(SETTINGS_KEY, settings);
}
