"""The agenda on a phone in New York with the clock fixed, for plans entered in Rome and Kolkata: the sections,
each item at the moment it falls here, the home page's "Next up", the app badge, offline and under a sub-path,
and axe in every language, light and dark."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import REPO
from tests.e2e.agenda_data import (
    BANK,
    PRINTER,
    ROME,
    ROME_PLAN,
    action,
    device,
    kolkata_plan,
    open_agenda,
    open_checkin,
    plan,
    rome_plan,
    seed,
    store,
    uid,
    when,
)

pytestmark = pytest.mark.e2e

LANGUAGES: list[str] = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["languages"]
AXE = Axe()
NIGHT_PLAN = "a9e0da7a-0000-4000-8000-000000000021"

# The badge as a browser that has one (an installed app): calls are recorded instead of reaching the OS.
BADGE_STUB = """
window.__badge = [];
Object.defineProperty(navigator, "standalone", { value: true, configurable: true });
navigator.setAppBadge = (n) => { window.__badge.push(n); return Promise.resolve(); };
navigator.clearAppBadge = () => { window.__badge.push(0); return Promise.resolve(); };
"""


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = device(browser, browser_context_args)
    yield context
    context.close()


def texts(page: Page, section: str) -> list[str]:
    return page.locator(f"[data-section={section}] .agenda-what").all_inner_texts()


def test_sections_each_item_in_its_own_zone(phone: BrowserContext, site_url: str) -> None:
    page = phone.new_page()
    seed(page, site_url, [rome_plan(), kolkata_plan()])
    # Overdue first and oldest first; done ("Print the flyers") and dropped ("Ask for a budget") are not shown.
    assert texts(page, "overdue") == ["Tidy the desk", "Call the printer", "Pay the rent"]
    # 20 May all day in Kolkata (19:30 there now) is today; so is 19:00 in Rome, 13:00 on this device.
    assert texts(page, "today") == ["Call the bank", "Send the brief"]
    assert texts(page, "week") == ["Book the room"]
    assert texts(page, "later") == ["Review my action plan", "Plan the launch"]
    assert texts(page, "undated") == ["Find a mentor"]
    assert page.locator(".agenda-what", has_text="Print the flyers").count() == 0
    assert page.locator(".agenda-what", has_text="Ask for a budget").count() == 0
    expect(page.locator("#agenda-overdue-heading")).to_have_text("Overdue (3)")

    printer = page.locator(".agenda-entry", has_text="Call the printer")
    # Entered at 19:00 in Rome: shown at 13:00 here, with its own time beside it; two days late.
    expect(printer.locator(".agenda-when")).to_have_text("Mon, May 18, 1:00 PM (7:00 PM in Rome)")
    expect(printer.locator(".agenda-late")).to_have_text("2 days late")
    expect(page.locator(".agenda-entry", has_text="Tidy the desk").locator(".agenda-late")).to_have_text(
        "10 days late")
    expect(page.locator(".agenda-entry", has_text="Call the bank").locator(".agenda-when")).to_have_text(
        "Wed, May 20, 2026")
    assert page.locator("[data-section=today] .agenda-late").count() == 0

    # The plan's title links to the plan at that item; its "Check in" there has the focus.
    link = printer.get_by_role("link", name="Open the shop")
    assert link.get_attribute("href") == (
        f"../../en/plans/smart-action-plan/?id={ROME_PLAN}#checkin-{PRINTER}")
    link.click()
    page.wait_for_selector("[data-plan-page][data-checkin-ready]")
    expect(page.locator(f"#checkin-{PRINTER}")).to_be_focused()


def test_the_agenda_follows_the_clock_in_the_items_zone(browser: Browser, browser_context_args: dict[str, Any],
                                                        site_url: str) -> None:
    context = device(browser, browser_context_args)
    try:
        page = context.new_page()
        seed(page, site_url, [kolkata_plan()])
        assert texts(page, "today") == ["Call the bank"]
        # 18:30 UTC: midnight in Kolkata, still the afternoon of 20 May in New York: the all-day item is now late.
        context.clock.set_fixed_time("2026-05-20T18:30:00Z")
        open_agenda(page, site_url)
        assert texts(page, "overdue") == ["Pay the rent", "Call the bank"]
        expect(page.locator(".agenda-entry", has_text="Call the bank").locator(".agenda-late")).to_have_text(
            "1 day late")
    finally:
        context.close()


def test_a_timed_item_falls_on_the_day_its_moment_falls_on_this_device(browser: Browser,
                                                                        browser_context_args: dict[str, Any],
                                                                        site_url: str) -> None:
    # 01:00 on Thursday 21 May in Rome is 19:00 on Wednesday 20 May in New York: due tonight here, so Today, at
    # the date and time it has here, with its own time in Rome beside it; the all-day 21 May in Rome is not today.
    night = plan(NIGHT_PLAN, "Sleep better", [
        action(uid(21), "Call Rome before bed", when("2026-05-21", ROME, "01:00")),
        action(uid(22), "Rest day in Rome", when("2026-05-21", ROME)),
    ])
    context = device(browser, browser_context_args)
    context.add_init_script(BADGE_STUB)
    try:
        page = context.new_page()
        seed(page, site_url, [night])
        assert texts(page, "today") == ["Call Rome before bed"]
        assert texts(page, "week") == ["Rest day in Rome"]
        expect(page.locator(".agenda-entry", has_text="Call Rome before bed").locator(".agenda-when")).to_have_text(
            "Wed, May 20, 7:00 PM (1:00 AM in Rome)")
        expect(page.locator(".agenda-entry", has_text="Rest day in Rome").locator(".agenda-when")).to_have_text(
            "Thu, May 21, 2026")
        # The badge counts it as due today; the home page lists it first.
        page.wait_for_function("() => window.__badge.length > 0")
        assert page.evaluate("window.__badge.at(-1)") == 1
        page.goto(f"{site_url}en/")
        page.wait_for_selector("html[data-next-up-ready]")
        expect(page.locator("#next-up .next-up-when").first).to_have_text("Wed, May 20, 7:00 PM (1:00 AM in Rome)")
        # At 01:30 in Rome (19:30 here) it is half an hour late, on the same day.
        context.clock.set_fixed_time("2026-05-20T23:30:00Z")
        open_agenda(page, site_url)
        assert texts(page, "overdue") == ["Call Rome before bed"]
        expect(page.locator(".agenda-entry", has_text="Call Rome before bed").locator(".agenda-late")).to_have_text(
            "30 minutes late")
        # By then it is 21 May in Rome: the all-day item is Today there, though New York is still on the 20th.
        assert texts(page, "today") == ["Rest day in Rome"]
    finally:
        context.close()


def test_next_up_on_the_home_page(phone: BrowserContext, site_url: str) -> None:
    page = phone.new_page()
    # A first visit looks as it always did: no block, and nothing stored.
    page.goto(f"{site_url}en/")
    page.wait_for_selector("html[data-next-up-ready]")
    expect(page.locator("#next-up")).to_be_hidden()
    assert page.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))") == []
    seed(page, site_url, [rome_plan(), kolkata_plan()])
    page.goto(f"{site_url}en/")
    page.wait_for_selector("html[data-next-up-ready]")
    block = page.locator("#next-up")
    expect(block).to_be_visible()
    expect(block.get_by_role("heading", name="Next up")).to_be_visible()
    expect(block.locator(".next-up-overdue")).to_have_text("3 items are overdue.")
    assert block.locator("li a").all_inner_texts() == ["Tidy the desk", "Call the printer", "Pay the rent"]
    # Above the guides.
    assert page.evaluate("""() => document.getElementById("next-up").compareDocumentPosition(
      document.getElementById("guides-heading")) & Node.DOCUMENT_POSITION_FOLLOWING""")
    block.get_by_role("link", name="Open the agenda").click()
    page.wait_for_selector("html[data-agenda-ready]")
    assert page.url == f"{site_url}en/agenda/"


def test_app_badge_counts_overdue_and_today_and_clears_at_zero(browser: Browser,
                                                               browser_context_args: dict[str, Any],
                                                               site_url: str) -> None:
    context = device(browser, browser_context_args)
    context.add_init_script(BADGE_STUB)
    try:
        page = context.new_page()
        seed(page, site_url, [kolkata_plan()])
        # Any page sets it: 1 overdue ("Pay the rent") + 1 due today ("Call the bank").
        page.goto(f"{site_url}en/privacy/")
        page.wait_for_function("() => window.__badge.length > 0")
        assert page.evaluate("window.__badge") == [2]
        open_agenda(page, site_url)
        for item in ("Pay the rent", "Call the bank"):
            dialog = open_checkin(page, item)
            dialog.get_by_label("Done", exact=True).check()
            dialog.get_by_role("button", name="Save check-in").click()
            expect(page.locator(".agenda-entry", has_text=item)).to_have_count(0)
        page.wait_for_function("() => window.__badge.at(-1) === 0")
        assert 1 in page.evaluate("window.__badge")
    finally:
        context.close()


def test_no_badge_where_the_browser_has_none(phone: BrowserContext, site_url: str, watch: Any) -> None:
    page = phone.new_page()
    page.add_init_script("delete Navigator.prototype.setAppBadge; delete Navigator.prototype.clearAppBadge;")
    seed(page, site_url, [kolkata_plan()])
    assert page.evaluate("'setAppBadge' in navigator") is False
    expect(page.locator("[data-section=overdue] .agenda-entry")).to_have_count(1)  # and no error on the page


def test_agenda_works_offline_under_a_sub_path(browser: Browser, browser_context_args: dict[str, Any], nginx: Any,
                                               example_dist: Path) -> None:
    url = nginx(example_dist, "/coaching/")
    context = device(browser, browser_context_args, service_workers="allow")
    try:
        page = context.new_page()
        seed(page, url, [rome_plan(), kolkata_plan()])
        page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                               timeout=60_000)
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("html[data-agenda-ready]")
        assert texts(page, "overdue") == ["Tidy the desk", "Call the printer", "Pay the rent"]
        link = page.locator(".agenda-entry", has_text="Call the bank").get_by_role("link", name="Move house")
        assert page.evaluate("(a) => a.href", link.element_handle()).startswith(
            f"{url}en/plans/smart-action-plan/?id=")
        dialog = open_checkin(page, "Call the bank")
        dialog.get_by_label("Done", exact=True).check()
        dialog.get_by_role("button", name="Save check-in").click()
        expect(page.locator(".agenda-entry", has_text="Call the bank")).to_have_count(0)
        page.get_by_role("link", name="Agenda").click()
        page.wait_for_selector("html[data-agenda-ready]")
        expect(page.locator("[data-section=today] .agenda-what")).to_have_text(["Send the brief"])
    finally:
        context.close()


def test_a_thousand_plans(phone: BrowserContext, site_url: str) -> None:
    page = phone.new_page()
    many = []
    for i in range(1000):
        p = rome_plan()
        p["id"] = f"a9e0da7a-0000-4000-8000-{i + 100:012d}"
        many.append(p)
    seed(page, site_url, many)
    expect(page.locator("[data-section=overdue] .agenda-entry")).to_have_count(2000)
    expect(page.locator(".agenda-entry")).to_have_count(6000)
    assert store(page, "async (s) => (await s.listAllCheckins()).size") == 1000


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_agenda_and_the_checkin(browser: Browser, browser_context_args: dict[str, Any],
                                                         site_url: str, lang: str, scheme: str) -> None:
    context = device(browser, browser_context_args, color_scheme=scheme, service_workers="block")
    try:
        page = context.new_page()
        seed(page, site_url, [rome_plan(), kolkata_plan()])
        open_agenda(page, site_url, lang)
        assert page.evaluate("document.documentElement.lang") == lang
        result = AXE.run(page)
        assert result.violations_count == 0, result.generate_report()
        page.locator(f".agenda-entry:has(a[href$='{PRINTER}']) [data-checkin]").click()
        dialog = page.locator("#checkin-dialog")
        expect(dialog).to_be_visible()
        # Every branch of the dialog shown: "Not done", the plan B with its date, a commitment prompt.
        dialog.locator("#ci-o-not-done").check()
        dialog.locator("#ci-n-planb").check()
        dialog.locator("#ci-c-8").check()
        expect(dialog.locator(".prompt-text:visible")).to_have_count(1)
        result = AXE.run(page)
        assert result.violations_count == 0, result.generate_report()
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        page.locator(f".agenda-entry:has(a[href$='{BANK}']) [data-checkin]").click()
        dialog.locator("#ci-o-done").check()
        dialog.locator("button[type=submit]").click()
        expect(page.locator(".ci-toast button")).to_be_focused()
        result = AXE.run(page)
        assert result.violations_count == 0, result.generate_report()
    finally:
        context.close()
