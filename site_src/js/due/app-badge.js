// The app badge: overdue items plus those due today, where the browser has navigator.setAppBadge (desktop
// Chromium, Home Screen apps on iOS 16.4+); cleared at zero. Silent elsewhere: nothing is loaded without it.

import { dueCounts } from "./sections.js";
import { loadEntries } from "./entries.js";

/** Set the badge from the plans on this device; resolves with the number shown (0: cleared), or null. */
export async function updateBadge(entries = null) {
  const nav = globalThis.navigator;
  if (!nav || typeof nav.setAppBadge !== "function") return null;
  const { overdue, today } = dueCounts(entries || (await loadEntries()), Date.now());
  const count = overdue + today;
  try {
    if (count) await nav.setAppBadge(count);
    else if (typeof nav.clearAppBadge === "function") await nav.clearAppBadge();
    else await nav.setAppBadge(0);
  } catch {
    return null; // refused (no permission on iOS): the agenda still says it all
  }
  return count;
}
