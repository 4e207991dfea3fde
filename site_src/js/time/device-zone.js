// The device's IANA zone, asked once per page: resolvedOptions() is slow enough to show on a page of many plans
// (the coach's desk asked it for each of 1,000). A module of its own so that pages which never ask do not load it.

let zone = null;

/** The device's IANA zone: new dates entered here (a move, a measurement) are in it. */
export function deviceZone() {
  return (zone ||= new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
}
