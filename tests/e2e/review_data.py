"""Plans with dated items in several zones and their check-ins, for the review and history tests.

The device in these tests is in New York; the items were entered in Rome and Tokyo. The clock is fixed at
NOW, a Wednesday morning in New York (14:00 UTC, already evening in Tokyo).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

LANGUAGES: list[str] = tomllib.loads((Path(__file__).resolve().parents[2] / "site.toml")
                                      .read_text(encoding="utf-8"))["languages"]
AXE = Axe()
NOW = "2026-05-20T14:00:00Z"
DEVICE_TZ = "America/New_York"

ROME_PLAN = "7c1d0b8e-1111-4aaa-8bbb-000000000001"
TOKYO_PLAN = "7c1d0b8e-2222-4aaa-8bbb-000000000002"


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


CALL, BRIEF, ROOM, OLD, DROP, LATE_TOKYO, TOKYO_DONE, REVIEW = (uid(i) for i in range(1, 9))


def action(ident: str, what: str, date: str, tz: str, *, time: str | None = None, done: bool = False,
           commitment: int | None = None, plan_b: str | None = None) -> dict[str, Any]:
    when: dict[str, Any] = {"date": date, "tz": tz}
    if time:
        when["time"] = time
    out: dict[str, Any] = {"id": ident, "what": what, "when": when, "done": done, "steps": ["First step"]}
    if commitment:
        out["commitment"] = commitment
    if plan_b:
        out["planB"] = plan_b
    return out


def checkin(item: str, at: str, outcome: str, *, note: str = "", commitment: int | None = None,
            moved: tuple[dict[str, Any], dict[str, Any]] | None = None, plan_b: bool = False) -> dict[str, Any]:
    return {"item": item, "at": at, "outcome": outcome, "note": note, "commitment": commitment,
            "from": moved[0] if moved else None, "to": moved[1] if moved else None, "plan_b": plan_b}


def plan(ident: str, goal: str, actions: list[dict[str, Any]], checkins: list[dict[str, Any]],
         review: dict[str, Any] | None = None, version: int = 3) -> dict[str, Any]:
    data: dict[str, Any] = {"goal": {"what": goal, "why": "It matters"}, "actions": actions}
    if review:
        data["review"] = review
    return {"format": "passo-plan", "format_version": 2, "schema": "smart-action-plan", "schema_version": version,
            "id": ident, "revision": 3, "created": "2026-05-01T08:00:00Z", "updated": "2026-05-02T08:00:00Z",
            "lang": "en", "data": data, "checkins": checkins}


def rome_plan(review_date: str | None = "2026-05-08") -> dict[str, Any]:
    """Five actions in Rome around a review on 8 May: done, not done, moved, before the period, dropped."""
    rome = "Europe/Rome"
    actions = [
        action(CALL, "Call the printer", "2026-05-10", rome, time="19:00", done=True, commitment=8),
        action(BRIEF, "Write the brief", "2026-05-12", rome, commitment=7, plan_b="Write it on Saturday"),
        action(ROOM, "Book the room", "2026-05-25", rome),
        action(OLD, "Tidy the desk", "2026-04-28", rome),
        action(DROP, "Ask for a budget", "2026-05-15", rome),
    ]
    checkins = [
        checkin(CALL, "2026-05-09T07:00:00Z", "partly", note="Found the number", commitment=7),
        checkin(CALL, "2026-05-10T18:00:00Z", "done", note="The number was on the invoice", commitment=9),
        checkin(BRIEF, "2026-05-13T08:00:00Z", "not-done", note="Too tired after work", commitment=6),
        checkin(ROOM, "2026-05-14T09:00:00Z", "moved",
                moved=({"date": "2026-05-14", "time": "10:00", "tz": rome}, {"date": "2026-05-25", "tz": rome})),
        checkin(DROP, "2026-05-15T09:00:00Z", "dropped", note="Not needed any more"),
    ]
    review = {"id": REVIEW, "when": {"date": review_date, "tz": rome}} if review_date else None
    return plan(ROME_PLAN, "Open the shop", actions, checkins, review)


def tokyo_plan() -> dict[str, Any]:
    """A plan entered in Tokyo: one action on 21 May at 00:30 there, 11:30 on 20 May on a device in New York."""
    tokyo = "Asia/Tokyo"
    actions = [
        action(LATE_TOKYO, "Send the invoice", "2026-05-21", tokyo, time="00:30"),
        action(TOKYO_DONE, "Print the flyers", "2026-05-18", tokyo, done=True),
    ]
    checkins = [checkin(TOKYO_DONE, "2026-05-19T01:00:00Z", "done", commitment=10)]
    return plan(TOKYO_PLAN, "Launch the flyer", actions, checkins)


# The store's own putPlans (imported from the page's fingerprinted module), so check-ins go in as an import does.
MODULE_URL = """(name) => performance.getEntriesByType("resource").map((e) => e.name)
  .find((u) => new RegExp(`/${name}(\\\\.[0-9a-f]+)?\\\\.js$`).test(u))"""

PUT = """async ([url, plans]) => { await (await import(url)).putPlans(plans); }"""


def store_url(page: Page) -> str:
    """The fingerprinted URL of store.js, read before page.clock is set (a fake clock hides resource timings)."""
    url = page.evaluate(MODULE_URL, "store")
    assert url, "store.js is not loaded on this page"
    return str(url)


def seed(page: Page, plans: list[dict[str, Any]]) -> str:
    """Store plans with their check-ins through the app's store; returns the store's URL for later calls."""
    url = store_url(page)
    page.evaluate(PUT, [url, plans])
    return url


# recordCheckin as the check-in dialog calls it: [url, plan id, check-in, edits].
CHECK_IN = """async ([url, id, checkin, edits]) => {
  const store = await import(url);
  await store.recordCheckin(await store.getPlan(id), checkin, edits);
}"""


def device_context(browser: Browser, args: dict, **extra: Any) -> BrowserContext:
    """A phone in New York (the items were entered in Rome and Tokyo)."""
    return browser.new_context(**{**args, "timezone_id": DEVICE_TZ, **extra})


def assert_no_violations(page: Page) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, result.generate_report()
