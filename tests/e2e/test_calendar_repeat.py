"""The calendar exported from the plan page for a plan with repeating actions (issue 16 part 6), on a phone in New
York with the clock fixed: one series per action in its own zone, the skipped and dropped occurrences left out, the
moved one where it went, read back by icalendar, ical.js and recurring-ical-events as the agenda's occurrences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.agenda_data import ROME, action, device, plan, seed, uid, when
from tests.js.ics_checks import check_structure
from tests.js.ics_expand import by_ical_js, by_recurring_ical_events, instant
from tests.js.node_driver import shared_driver

pytestmark = pytest.mark.e2e

PLAN_ID = "a9e0da7a-0000-4000-8000-000000000031"
RUN, PAY = uid(31), uid(32)
START, END = "2026-03-01T00:00:00+00:00", "2026-08-01T00:00:00+00:00"


def occurrence_checkin(item: str, occurrence: str, outcome: str, to: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"item": item, "occurrence": occurrence, "at": "2026-03-20T09:00:00Z", "outcome": outcome, "note": "",
            "commitment": None, "from": None, "to": to, "plan_b": False}


def repeating_plan() -> dict[str, Any]:
    run = action(RUN, "Run by the river", when("2026-03-16", ROME, "19:00"))
    run["when"]["repeat"] = {"freq": "weekly", "byday": ["MO", "TH"], "until": "2026-04-16"}
    pay = action(PAY, "Pay the rent", when("2026-01-31", ROME))
    pay["when"]["repeat"] = {"freq": "monthly", "bymonthday": 31, "count": 6}
    checkins = [
        occurrence_checkin(RUN, "2026-03-19", "skipped"),
        occurrence_checkin(RUN, "2026-03-23", "moved", when("2026-03-24", "America/New_York", "07:00")),
        occurrence_checkin(RUN, "2026-03-26", "done"),
        occurrence_checkin(RUN, "2026-04-02", "dropped"),
        occurrence_checkin(PAY, "2026-04-30", "skipped"),
    ]
    out = plan(PLAN_ID, "Get fit", [run, pay], checkins=checkins)
    out["format_version"] = 3
    return out


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = device(browser, browser_context_args)
    yield context
    context.close()


def export(page: Page, site_url: str) -> bytes:
    page.goto(f"{site_url}en/plans/smart-action-plan/?id={PLAN_ID}")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export to calendar").click()
    return Path(info.value.path()).read_bytes()


def test_calendar_of_a_plan_with_repeating_actions(phone: BrowserContext, site_url: str) -> None:
    page = phone.new_page()
    seed(page, site_url, [repeating_plan()])
    data = export(page, site_url)
    check_structure(data)
    cal = icalendar.Calendar.from_ical(data)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [ROME]
    run_uid, pay_uid = f"{RUN}@{PLAN_ID}.passo", f"{PAY}@{PLAN_ID}.passo"
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [run_uid, run_uid, pay_uid]
    # What the agenda holds, by hand: Mondays and Thursdays at 19:00 in Rome (18:00 UTC, 17:00 from 29 March),
    # 19 March skipped, 23 March moved to 07:00 on the 24th in New York, 2 April dropped; the last day of each
    # month from January, 30 April skipped.
    rome = lambda d: instant(when(d, ROME, "19:00"))  # noqa: E731
    want = {
        run_uid: [rome("2026-03-16"), instant(when("2026-03-24", "America/New_York", "07:00")), rome("2026-03-26"),
                  rome("2026-03-30"), rome("2026-04-06"), rome("2026-04-09"), rome("2026-04-13"),
                  rome("2026-04-16")],
        pay_uid: ["2026-03-31", "2026-05-31", "2026-06-30"],
    }
    assert want[run_uid][:2] == ["2026-03-16T18:00:00.000Z", "2026-03-24T11:00:00.000Z"]
    assert want[run_uid][3] == "2026-03-30T17:00:00.000Z"
    assert by_recurring_ical_events(data, START, END) == want
    assert by_ical_js(shared_driver(), data, START, END) == want
