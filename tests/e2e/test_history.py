"""History in Debian's Chromium, on a phone in New York with items entered in Rome and Tokyo, the clock fixed:
check-ins under each dated item of the plan page (kept up to date after a check-in), my plans' counts of done on
time, late and not done, and each action's commitment over time as a chart with a table for screen readers."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.review_data import (
    BRIEF,
    CALL,
    CHECK_IN,
    LANGUAGES,
    NOW,
    OLD,
    ROME_PLAN,
    ROOM,
    TOKYO_PLAN,
    assert_no_violations,
    device_context,
    rome_plan,
    seed,
    store_url,
    tokyo_plan,
)
from tests.e2e.snippets import READY
from tests.e2e.test_forms import fill, open_form, stored, wait_saved

pytestmark = pytest.mark.e2e

PLAN_READY = "() => document.querySelector('[data-plan-page]')?.dataset.historyReady === '1'"
STATS_READY = "() => document.getElementById('plan-list')?.dataset.statsReady === '1'"


@pytest.fixture
def context(browser: Browser, browser_context_args: dict):  # type: ignore[no-untyped-def]
    ctx = device_context(browser, browser_context_args, service_workers="block")
    yield ctx
    ctx.close()


def seeded(context: BrowserContext, site_url: str, path: str, ready: str) -> tuple[Page, str]:
    """A page at NOW showing the Rome and Tokyo plans with their check-ins; also the store's module URL."""
    page = context.new_page()
    page.goto(f"{site_url}en/plans/")
    page.wait_for_function(READY)
    url = seed(page, [rome_plan(), tokyo_plan()])
    page.clock.set_fixed_time(NOW)
    page.goto(site_url + path)
    page.wait_for_function(READY)
    page.wait_for_function(ready)
    return page, url


def history(page: Page, item: str) -> Any:
    return page.locator(f'details.item-history[data-history-for="{item}"]')


def test_plan_page_shows_each_items_check_ins_and_keeps_them_up_to_date(context: BrowserContext,
                                                                        site_url: str) -> None:
    page, url = seeded(context, site_url, f"en/plans/smart-action-plan/?id={ROME_PLAN}", PLAN_READY)
    brief = history(page, BRIEF)
    expect(brief.locator("summary")).to_have_text("History (1 check-in)")
    # Under its own item: the fieldset holding the action's id.
    assert page.evaluate("""(id) => document.querySelector(`details[data-history-for="${id}"]`)
      .closest("fieldset").querySelector(':scope > input[data-key="id"]').value""", BRIEF) == BRIEF
    brief.locator("summary").click()
    expect(brief.locator(".checkin-outcome")).to_have_text("Not done")
    expect(brief.locator(".checkin-note")).to_have_text("Too tired after work")
    expect(brief.locator(".checkin-commitment")).to_have_text("Commitment: 6/10")
    # The check-in's moment in the device's zone: 08:00 UTC is 4:00 AM in New York.
    expect(brief.locator("time")).to_have_text("May 13, 2026, 4:00 AM")
    room = history(page, ROOM)
    room.locator("summary").click()
    expect(room.locator(".checkin-move")).to_have_text("Moved from May 14, 2026, 10:00 AM to May 25, 2026")
    # One answer is a line of text, not a chart; two (the call's) make a chart.
    expect(brief.locator(".checkin-chart")).to_have_count(0)
    expect(history(page, CALL).locator(".checkin-chart svg[role=img]")).to_have_count(1)
    # Items without check-ins show no history.
    expect(history(page, OLD)).to_have_count(0)

    # A check-in (here through the store, as the check-in dialog makes it) shows at once, the disclosure still open.
    page.evaluate(CHECK_IN, [url, ROME_PLAN, {"item": BRIEF, "outcome": "moved", "plan_b": True, "commitment": 8,
                                              "from": {"date": "2026-05-12", "tz": "Europe/Rome"},
                                              "to": {"date": "2026-05-23", "tz": "Europe/Rome"}},
                             [{"pointer": "/actions/1/when", "value": {"date": "2026-05-23", "tz": "Europe/Rome"}}]])
    expect(brief.locator("summary")).to_have_text("History (2 check-ins)")
    expect(brief.locator(".checkin-move")).to_have_text("Moved to plan B: from May 12, 2026 to May 23, 2026")
    expect(brief).to_have_attribute("open", "")
    # The commitment over time: asked twice for this action, so a line of two points, with its table.
    chart = brief.locator(".checkin-chart svg[role=img]")
    expect(chart.locator("title")).to_contain_text("6 on May 13, 2026, 8 on May 20, 2026")
    rows = brief.locator(".checkin-chart table tbody tr")
    expect(rows).to_have_count(2)
    expect(brief.locator(".checkin-chart table th[scope=col]").nth(1)).to_have_text("Commitment 1-10")
    expect(rows.nth(1)).to_have_text("May 20, 20268")


def test_my_plans_counts_done_on_time_late_and_not_done(context: BrowserContext, site_url: str) -> None:
    page, url = seeded(context, site_url, "en/plans/", STATS_READY)
    rome = page.locator(f'li.plan[data-id="{ROME_PLAN}"] .plan-stats')
    tokyo = page.locator(f'li.plan[data-id="{TOKYO_PLAN}"] .plan-stats')
    # Rome: the call done on 10 May before the day ended there; the brief (12 May) and the desk (28 April) not
    # done; the room is not due yet; the budget dropped.
    expect(rome).to_have_text("1 done on time · 2 not done · 1 dropped")
    # Tokyo: the flyers were due on 18 May there, done at 10:00 on 19 May Tokyo time (still 18 May in New York).
    expect(tokyo).to_have_text("1 done late")
    expect(page.get_by_role("link", name="Review since the last session")).to_have_attribute("href", "../../en/review/")

    page.evaluate(CHECK_IN, [url, ROME_PLAN, {"item": BRIEF, "outcome": "done"},
                             [{"pointer": "/actions/1/done", "value": True}]])
    expect(rome).to_have_text("1 done on time · 1 done late · 1 not done · 1 dropped")
    page.reload()
    page.wait_for_function(STATS_READY)
    expect(rome).to_have_text("1 done on time · 1 done late · 1 not done · 1 dropped")


def test_a_new_plans_first_check_in_brings_its_history(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    open_form(page, f"{site_url}en/plans/smart-action-plan/")
    fill(page, "f", {"goal": {"what": "Run 5 km"},
                     "actions": [{"what": "Run on Sunday", "when": {"date": "2026-05-10"}}]})
    wait_saved(page)
    plan = stored(page)
    (action,) = plan["data"]["actions"]
    url = store_url(page)
    page.evaluate(CHECK_IN, [url, plan["id"], {"item": action["id"], "outcome": "not-done", "note": "Rain"}, []])
    item = history(page, action["id"])
    expect(item.locator("summary")).to_have_text("History (1 check-in)")
    item.locator("summary").click()
    expect(item.locator(".checkin-note")).to_have_text("Rain")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_history(browser: Browser, browser_context_args: dict, site_url: str,
                                          lang: str, scheme: str) -> None:
    context = device_context(browser, browser_context_args, color_scheme=scheme, service_workers="block")
    try:
        page, _ = seeded(context, site_url, f"{lang}/plans/smart-action-plan/?id={ROME_PLAN}", PLAN_READY)
        for summary in page.locator("details.item-history summary").all():
            summary.click()
        expect(history(page, CALL).locator(".checkin-chart svg")).to_be_attached()
        assert_no_violations(page)
        page.goto(f"{site_url}{lang}/plans/")
        page.wait_for_function(STATS_READY)
        expect(page.locator(".plan-stats").first).to_be_visible()
        assert_no_violations(page)
    finally:
        context.close()
