// The calendar export's defaults, apart from the writer: the plan page shows them in its settings at once, and
// the writer (plan-events.js, with plan-items.js behind it) loads only when the coachee exports.

export const DEFAULT_SETTINGS = Object.freeze({
  durationMinutes: 60,
  // An hour ahead leaves time to get ready; an all-day event reminds at 09:00 on the day (9 h after its start).
  alarmMinutesBefore: 60,
  allDayAlarmMinutesBefore: -540,
});
