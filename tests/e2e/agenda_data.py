"""Plans for the agenda and check-in tests: items overdue, today, this week, later, undated, done and dropped, in
Rome and Kolkata, seen from a device in New York. The clock is fixed at NOW: 10:00 in New York, 16:00 in Rome,
19:30 in Kolkata, on Wednesday 20 May 2026."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

NOW = "2026-05-20T14:00:00Z"
DEVICE_TZ = "America/New_York"
ROME, KOLKATA = "Europe/Rome", "Asia/Kolkata"

ROME_PLAN = "a9e0da7a-0000-4000-8000-000000000001"
KOLKATA_PLAN = "a9e0da7a-0000-4000-8000-000000000002"


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


PRINTER, DESK, BRIEF, ROOM, LAUNCH, MENTOR, FLYERS, BUDGET = (uid(i) for i in range(1, 9))
BANK, RENT, REVIEW = uid(11), uid(12), uid(13)


def when(date: str, tz: str, time: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"date": date, "tz": tz}
    if time:
        out["time"] = time
    return out


def action(ident: str, what: str, at: dict[str, Any] | None, *, done: bool = False, plan_b: str = "",
           commitment: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "what": what, "done": done}
    if at:
        out["when"] = at
    if plan_b:
        out["planB"] = plan_b
    if commitment:
        out["commitment"] = commitment
    return out


def plan(ident: str, goal: str, actions: list[dict[str, Any]], *, review: dict[str, Any] | None = None,
         checkins: list[dict[str, Any]] | None = None, lang: str = "en") -> dict[str, Any]:
    data: dict[str, Any] = {"goal": {"what": goal}, "actions": actions}
    if review:
        data["review"] = review
    return {"format": "passo-plan", "format_version": 2, "schema": "smart-action-plan", "schema_version": 3,
            "id": ident, "revision": 2, "created": "2026-05-01T08:00:00Z", "updated": "2026-05-02T08:00:00Z",
            "lang": lang, "data": data, "checkins": checkins or []}


def rome_plan() -> dict[str, Any]:
    return plan(ROME_PLAN, "Open the shop", [
        action(PRINTER, "Call the printer", when("2026-05-18", ROME, "19:00"), plan_b="Email them on Friday",
               commitment=7),
        action(DESK, "Tidy the desk", when("2026-05-10", ROME)),
        action(BRIEF, "Send the brief", when("2026-05-20", ROME, "19:00")),
        action(ROOM, "Book the room", when("2026-05-24", ROME)),
        action(LAUNCH, "Plan the launch", when("2026-07-01", ROME)),
        action(MENTOR, "Find a mentor", None),
        action(FLYERS, "Print the flyers", when("2026-05-15", ROME), done=True),
        action(BUDGET, "Ask for a budget", when("2026-05-16", ROME)),
    ], checkins=[{"item": BUDGET, "at": "2026-05-16T09:00:00Z", "outcome": "dropped", "note": "Not needed",
                  "commitment": None, "from": None, "to": None, "plan_b": False}])


def kolkata_plan() -> dict[str, Any]:
    return plan(KOLKATA_PLAN, "Move house", [
        action(BANK, "Call the bank", when("2026-05-20", KOLKATA)),
        action(RENT, "Pay the rent", when("2026-05-19", KOLKATA, "22:00")),
    ], review={"id": REVIEW, "when": when("2026-06-01", KOLKATA)})


# The fingerprinted URL of one of the app's modules, from the page's module preloads (the fake clock of these
# tests replaces the performance timeline that other tests read it from).
MODULE_URL = """(name) => [...document.querySelectorAll("link[rel=modulepreload]")].map((l) => l.href)
  .find((u) => new RegExp(`/${name}(\\\\.[0-9a-f]+)?\\\\.js$`).test(u))"""


def store(page: Page, body: str, arg: Any = None) -> Any:
    """Run `body` (an async function of (s, arg), s being the app's store module) in the page."""
    url = page.evaluate(MODULE_URL, "store")
    assert url, "store.js is not loaded on this page"
    return page.evaluate(f"async ([url, arg]) => {{ const s = await import(url); return ({body})(s, arg); }}",
                         [url, arg])


def device(browser: Browser, browser_context_args: dict[str, Any], **extra: Any) -> BrowserContext:
    """A phone in New York with the clock fixed at NOW."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": DEVICE_TZ, **extra})
    context.clock.set_fixed_time(NOW)  # Date is fixed; timers and animation frames still run
    return context


def open_agenda(page: Page, url: str, lang: str = "en") -> None:
    page.goto(f"{url}{lang}/agenda/")
    page.wait_for_selector("html[data-agenda-ready]")


def seed(page: Page, url: str, plans: list[dict[str, Any]]) -> None:
    """Store plans with their check-ins through the app's store, then show the agenda again."""
    open_agenda(page, url)
    store(page, "(s, plans) => s.putPlans(plans)", plans)
    open_agenda(page, url)


def open_checkin(page: Page, text: str) -> Any:
    """Tap "Check in" on the agenda entry showing `text`; returns the dialog once it is open. (Answering before it
    is open would answer the last check-in's form, which the dialog clears as it opens.)"""
    page.locator(".agenda-entry", has_text=text).get_by_role("button", name="Check in").click()
    dialog = page.get_by_role("dialog", name="Check in")
    expect(dialog).to_be_visible()
    return dialog
