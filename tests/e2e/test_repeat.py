"""Actions that repeat, on a phone in New York with the clock fixed on Wednesday 31 March 2027, three days after
Rome moved to summer time (New York moved on 14 March): a daily action at 19:00 in Rome, a weekly one on Monday
and Thursday at 07:30 in Rome and a monthly one on the 31st. Their occurrences in the agenda (missed ones in one
row, checked in together), skip, stop repeating, the habit strip and the counts, the form's repeat picker used by
hand, import refusing bad rules, and axe on the picker and the strip."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.agenda_data import open_agenda, store, uid
from tests.e2e.test_shell import wait_until_offline_ready

pytestmark = pytest.mark.e2e

NOW = "2027-03-31T14:00:00Z"  # 10:00 in New York (EDT), 16:00 in Rome (CEST)
ROME = "Europe/Rome"
PLAN = "b7e0da7a-0000-4000-8000-000000000001"
DAILY, WEEKLY, MONTHLY = uid(21), uid(22), uid(23)
AXE = Axe()


def checkin(item: str, occurrence: str, outcome: str, at: str, note: str = "") -> dict[str, Any]:
    return {"item": item, "occurrence": occurrence, "at": at, "outcome": outcome, "note": note, "commitment": None,
            "from": None, "to": None, "plan_b": False}


def habit_plan(**changes: Any) -> dict[str, Any]:
    actions = [
        {"id": DAILY, "what": "Plan my day", "done": False,
         "when": {"date": "2027-03-25", "time": "19:00", "tz": ROME, "repeat": {"freq": "daily"}}},
        {"id": WEEKLY, "what": "Run", "done": False,
         "when": {"date": "2027-03-22", "time": "07:30", "tz": ROME,
                  "repeat": {"freq": "weekly", "byday": ["MO", "TH"], "until": "2027-06-30"}}},
        {"id": MONTHLY, "what": "Pay the rent", "done": False,
         "when": {"date": "2027-01-31", "tz": ROME, "repeat": {"freq": "monthly", "bymonthday": 31}}},
    ]
    checkins = [
        checkin(MONTHLY, "2027-01-31", "done", "2027-01-31T09:00:00Z"),
        checkin(MONTHLY, "2027-02-28", "done", "2027-02-28T09:00:00Z"),
        checkin(WEEKLY, "2027-03-22", "done", "2027-03-22T08:00:00Z"),
        checkin(WEEKLY, "2027-03-25", "done", "2027-03-25T08:00:00Z"),
        checkin(DAILY, "2027-03-25", "done", "2027-03-25T19:00:00Z"),
        checkin(DAILY, "2027-03-26", "done", "2027-03-26T19:00:00Z"),
        checkin(DAILY, "2027-03-27", "skipped", "2027-03-27T10:00:00Z", "A rest day"),
    ]
    out = {"format": "passo-plan", "format_version": 2, "schema": "smart-action-plan", "schema_version": 4,
           "id": PLAN, "revision": 2, "created": "2027-01-20T08:00:00Z", "updated": "2027-03-20T08:00:00Z",
           "lang": "en", "data": {"goal": {"what": "Keep fit"}, "actions": actions}, "checkins": checkins}
    out.update(changes)
    return out


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(**{**browser_context_args, "timezone_id": "America/New_York"})
    context.clock.set_fixed_time(NOW)
    yield context
    context.close()


def seeded(phone: BrowserContext, site_url: str) -> Page:
    page = phone.new_page()
    open_agenda(page, site_url)
    store(page, "(s, plans) => s.putPlans(plans)", [habit_plan()])
    open_agenda(page, site_url)
    return page


def row(page: Page, section: str, text: str) -> Any:
    return page.locator(f"[data-section={section}] .agenda-entry", has_text=text)


def stored_checkins(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = store(page, "(s, id) => s.listCheckins(id)", PLAN)
    return result


def check_in_the_rent(page: Page) -> None:
    """A check-in on the monthly one is for March; April has 30 days, so its next falls on the 30th."""
    row(page, "today", "Pay the rent").get_by_role("button", name="Check in").click()
    dialog = page.get_by_role("dialog", name="Check in")
    expect(dialog.locator("#ci-item")).to_have_text("Pay the rent · Wednesday, March 31")
    dialog.get_by_label("Done", exact=True).check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".ci-toast")).to_contain_text("Checked in: done.")
    expect(row(page, "later", "Pay the rent").locator(".agenda-when")).to_have_text("Fri, Apr 30, 2027")


def test_each_occurrence_is_due_on_its_own_day_across_the_dst_change(phone: BrowserContext, site_url: str) -> None:
    page = seeded(phone, site_url)
    # The missed ones, together in one row each: never checked in, and their moment has passed in Rome.
    daily_missed = row(page, "overdue", "Plan my day")
    expect(daily_missed.locator(".agenda-repeat")).to_have_text("3 missed: Sun, Mon, Tue")
    expect(daily_missed.get_by_role("button", name="Check in all 3")).to_be_visible()
    expect(daily_missed.get_by_role("button", name="Check in: Monday, March 29")).to_be_visible()
    expect(row(page, "overdue", "Run").locator(".agenda-repeat")).to_have_text("1 missed: Mon")
    # 19:00 in Rome stays 19:00 in Rome after its clocks changed: 13:00 in New York today.
    daily = row(page, "today", "Plan my day")
    expect(daily.locator(".agenda-when")).to_have_text("Wed, Mar 31, 1:00 PM (7:00 PM in Rome)")
    expect(daily.locator(".agenda-repeat")).to_have_text("Every day")
    # Monthly on the 31st: March has one, so today (all day in Rome).
    expect(row(page, "today", "Pay the rent").locator(".agenda-when")).to_have_text("Wed, Mar 31, 2027")
    run = row(page, "week", "Run")
    expect(run.locator(".agenda-when")).to_have_text("Thu, Apr 1, 1:30 AM (7:30 AM in Rome)")
    expect(run.locator(".agenda-repeat")).to_have_text("Every week on Monday and Thursday, until June 30")
    check_in_the_rent(page)
    saved = [c for c in stored_checkins(page) if c["item"] == MONTHLY][-1]
    assert (saved["occurrence"], saved["outcome"]) == ("2027-03-31", "done")
    plan = store(page, "(s, id) => s.getPlan(id)", PLAN)
    assert plan["data"]["actions"][2]["done"] is False  # one occurrence done is not the action done


def test_missed_checked_in_together_skip_and_stop_repeating(phone: BrowserContext, site_url: str) -> None:
    page = seeded(phone, site_url)
    row(page, "overdue", "Plan my day").get_by_role("button", name="Check in all 3").click()
    dialog = page.get_by_role("dialog", name="Check in")
    expect(dialog.locator("#ci-item")).to_have_text("Plan my day · 3 days: Sun, Mon, Tue")
    dialog.get_by_label("Not done").check()
    dialog.get_by_label("What helped, or what got in the way?").fill("Late meetings")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".ci-toast")).to_contain_text("Checked in 3 days.")
    expect(row(page, "overdue", "Plan my day")).to_have_count(0)
    mine = [c for c in stored_checkins(page) if c["item"] == DAILY]
    assert [(c["occurrence"], c["outcome"], c["note"]) for c in mine[-3:]] == [
        ("2027-03-28", "not-done", "Late meetings"), ("2027-03-29", "not-done", "Late meetings"),
        ("2027-03-30", "not-done", "Late meetings")]

    # Skip today's: neither done nor not done; the row moves on to tomorrow.
    row(page, "today", "Plan my day").get_by_role("button", name="Check in").click()
    dialog.get_by_label("Skip this one").check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".ci-toast")).to_contain_text("Skipped.")
    expect(row(page, "week", "Plan my day").locator(".agenda-when")).to_have_text(
        "Thu, Apr 1, 1:00 PM (7:00 PM in Rome)")
    assert stored_checkins(page)[-1]["outcome"] == "skipped"

    # Stop repeating "Run": its rule ends with its last day up to today (Monday 29), a saved change of the plan.
    before = store(page, "(s, id) => s.getPlan(id)", PLAN)["revision"]
    row(page, "overdue", "Run").get_by_role("button", name="Check in", exact=True).click()
    expect(dialog.locator("#ci-item")).to_have_text("Run · Monday, March 29")
    dialog.get_by_role("button", name="Stop repeating").click()
    expect(page.locator(".ci-toast")).to_contain_text("It no longer repeats after Monday, March 29.")
    expect(row(page, "week", "Run")).to_have_count(0)
    plan = store(page, "(s, id) => s.getPlan(id)", PLAN)
    assert plan["revision"] == before + 1
    assert plan["data"]["actions"][1]["when"]["repeat"] == {"freq": "weekly", "byday": ["MO", "TH"],
                                                            "until": "2027-03-29"}

    # Undo, from the status line that said so: the rule as it was, as another saved change.
    undo = page.locator(".ci-toast").get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    undo.click()
    expect(page.locator(".ci-toast")).to_contain_text("Undone.")
    expect(row(page, "week", "Run").locator(".agenda-repeat")).to_have_text(
        "Every week on Monday and Thursday, until June 30")
    plan = store(page, "(s, id) => s.getPlan(id)", PLAN)
    assert plan["revision"] == before + 2
    assert plan["data"]["actions"][1]["when"] == habit_plan()["data"]["actions"][1]["when"]


def test_stop_repeating_is_not_undone_over_a_later_change(phone: BrowserContext, site_url: str) -> None:
    """The rule changed again after Stop repeating (another tab): Undo leaves it as it now is, and says why."""
    page = seeded(phone, site_url)
    row(page, "overdue", "Run").get_by_role("button", name="Check in", exact=True).click()
    page.get_by_role("dialog", name="Check in").get_by_role("button", name="Stop repeating").click()
    expect(page.locator(".ci-toast")).to_contain_text("It no longer repeats after Monday, March 29.")
    later = {"date": "2027-04-05", "time": "07:30", "tz": ROME, "repeat": {"freq": "weekly", "byday": ["MO"]}}
    store(page, """async (s, [id, when]) => { const p = await s.getPlan(id); p.data.actions[1].when = when;
                 return s.savePlan(p); }""", [PLAN, later])
    page.locator(".ci-toast").get_by_role("button", name="Undo").click()
    expect(page.locator(".ci-toast")).to_contain_text("This plan was changed in another tab or window")
    assert store(page, "(s, id) => s.getPlan(id)", PLAN)["data"]["actions"][1]["when"] == later


def test_habit_strip_and_counts(phone: BrowserContext, site_url: str) -> None:
    page = seeded(phone, site_url)
    page.goto(f"{site_url}en/plans/smart-action-plan/?id={PLAN}")
    page.wait_for_selector("[data-plan-page][data-history-ready]")
    daily = page.locator(f"[data-history-for='{DAILY}']")
    # The score reads while the history is closed; the strip opens with it.
    expect(daily.locator("summary")).to_have_text(re.compile(r"^History \(\d+ check-ins?\) · Done 2 of the last 5$"))
    daily.locator("summary").click()
    # 25 and 26 done, 27 skipped (not counted), 28-30 missed, today still due.
    expect(daily.locator(".habit-count")).to_have_text("Done 2 of the last 5")
    days = daily.locator(".habit-day .visually-hidden")
    expect(days).to_have_text([
        "Thursday, March 25: done", "Friday, March 26: done", "Saturday, March 27: skipped",
        "Sunday, March 28: missed", "Monday, March 29: missed", "Tuesday, March 30: missed",
        "Wednesday, March 31: still due"])
    expect(daily.locator(".habit-day.is-skipped .habit-mark")).to_have_text("–")
    expect(daily.locator(".habit-notes")).to_contain_text("A rest day")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        result = AXE.run(page, context={"include": [[".habit"]]})
        assert result.violations_count == 0, result.generate_report()

    # My plans counts occurrences: 2 + 2 + 2 done, 3 + 1 missed, 1 skipped.
    page.goto(f"{site_url}en/plans/")
    page.wait_for_selector("#plan-list[data-stats-ready]")
    expect(page.locator(f"li.plan[data-id='{PLAN}'] .plan-stats")).to_have_text(
        "6 done on time · 4 not done · 1 skipped")


def new_plan_with_an_action(page: Page, site_url: str, goal: str, what: str, date: str) -> Any:
    """A new action plan typed in by hand, with one action on `date`; returns the action's part of the form."""
    page.goto(f"{site_url}en/plans/smart-action-plan/")
    page.wait_for_selector("[data-plan-page][data-ready]")
    page.get_by_label("What result do you want?").fill(goal)
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What will you do?").fill(what)
    action = page.locator("li.item").first
    action.locator(".when [data-key=date] input").fill(date)
    return action


def test_form_repeat_picker_by_hand(phone: BrowserContext, site_url: str) -> None:
    page = phone.new_page()
    action = new_plan_with_an_action(page, site_url, "Run a 10k", "Run", "2027-03-22")
    action.locator(".when [data-key=time] input").fill("07:30")
    action.locator("[data-repeat-open]").click()
    picker = action.locator("[data-repeat-panel]")
    expect(picker).to_be_visible()
    picker.get_by_label("Every week, on chosen days").check()
    # The first day's weekday (Monday) is ticked for a start; Thursday is added.
    expect(picker.get_by_label("Monday")).to_be_checked()
    picker.get_by_label("Thursday").check()
    picker.get_by_label("On a date").check()
    picker.get_by_label("End date").fill("2027-03-01")
    # An end before the first day is said in words before anything is relied on.
    expect(action.locator(".repeat-problem")).to_have_text("The end date comes before the first date.")
    picker.get_by_label("End date").fill("2027-06-30")
    expect(action.locator(".repeat-problem")).to_be_hidden()
    expect(picker.locator(".repeat-said")).to_have_text("Every week on Monday and Thursday, until June 30")
    expect(action.locator("[data-repeat-summary]")).to_have_text("Every week on Monday and Thursday, until June 30")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        result = AXE.run(page, context={"include": [["li.item .repeat"]]})
        assert result.violations_count == 0, result.generate_report()
    # Saved once the page says so after the last edit (the autosave waits for the typing to stop).
    action.locator("[data-key=who] input").fill("Alone")
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-save-state", "saving")
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-save-state", "saved")
    plan_id = page.evaluate("() => new URL(location.href).searchParams.get('id')")
    open_agenda(page, site_url)
    plan = store(page, "(s, id) => s.getPlan(id)", plan_id)
    expect(row(page, "overdue", "Run").locator(".agenda-repeat")).to_have_text("3 missed: Mar 22, Mar 25, Mar 29")
    assert plan["schema_version"] == 4
    assert plan["data"]["actions"][0]["when"]["repeat"] == {"freq": "weekly", "byday": ["MO", "TH"],
                                                            "until": "2027-06-30"}


BAD_RULES = [
    ({"freq": "daily", "interval": 0}, "Enter 1 or more."),
    ({"freq": "daily", "interval": 100}, "Enter 99 or less."),
    ({"freq": "daily", "count": 0}, "Enter 1 or more."),
    ({"freq": "daily", "count": 1001}, "Enter 1000 or less."),
    ({"freq": "daily", "until": "2027-03-01"}, "The end date comes before the first date."),
    ({"freq": "weekly", "byday": ["XX"]}, "Choose one of the options."),
    ({"freq": "monthly", "bymonthday": 0}, "Enter 1 or more."),
    ({"freq": "monthly", "bymonthday": 32}, "Enter 31 or less."),
    ({"freq": "daily", "byday": ["MO"]}, "Choose at least one weekday, each once."),
    ({"freq": "daily", "until": "2027-06-30", "count": 3}, "Choose an end date or a number of times, not both."),
]


@pytest.mark.parametrize(("rule", "message"), BAD_RULES)
def test_import_refuses_a_bad_rule(phone: BrowserContext, site_url: str, rule: dict[str, Any], message: str) -> None:
    page = phone.new_page()
    page.goto(f"{site_url}en/plans/")
    page.wait_for_selector("html[data-plans-ready]")
    bad = habit_plan(checkins=[])
    bad["data"]["actions"][1]["when"]["repeat"] = rule
    page.set_input_files("input[type=file][data-import]", files=[
        {"name": "plan.json", "mimeType": "application/json", "buffer": json.dumps(bad).encode()}])
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text(message)
    assert "Keep fit" in errors.inner_text() or "/actions/1/when/repeat" in errors.inner_text()
    assert store(page, "(s) => s.listPlans()") == []


BAD_CHECKINS = [
    (checkin(WEEKLY, "2027-03-23", "done", "2027-03-23T08:00:00Z"),  # a Tuesday
     "Plan “Keep fit”, action “Run”, check-in 8: it names a day (2027-03-23) on which the action does not repeat."),
    ({**checkin(DAILY, "2027-03-28", "skipped", "2027-03-28T08:00:00Z"), "occurrence": None},
     "Plan “Keep fit”, action “Plan my day”, check-in 8: only one day of a repeating action can be skipped."),
]


@pytest.mark.parametrize(("bad_checkin", "message"), BAD_CHECKINS)
def test_import_refuses_a_check_in_on_a_day_the_rule_does_not_give(phone: BrowserContext, site_url: str,
                                                                   bad_checkin: dict[str, Any], message: str) -> None:
    page = phone.new_page()
    page.goto(f"{site_url}en/plans/")
    page.wait_for_selector("html[data-plans-ready]")
    bad = habit_plan()
    if bad_checkin.get("occurrence", "") is None:
        bad_checkin = {k: v for k, v in bad_checkin.items() if k != "occurrence"}
    bad["checkins"].append(bad_checkin)
    page.set_input_files("input[type=file][data-import]", files=[
        {"name": "plan.json", "mimeType": "application/json", "buffer": json.dumps(bad).encode()}])
    expect(page.locator(".import-errors")).to_contain_text(message)
    assert store(page, "(s) => s.listPlans()") == []


def test_review_lists_a_repeating_action_once_with_its_counts(phone: BrowserContext, site_url: str) -> None:
    page = seeded(phone, site_url)
    page.goto(f"{site_url}en/review/")
    page.wait_for_function("() => document.documentElement.dataset.reviewReady === '1'")
    # The last 14 days hold seven of the daily one: 2 done, 3 missed, 1 skipped (not a miss), today's still due.
    daily = page.locator(f'.review-item[data-item="{DAILY}"]')
    expect(daily).to_have_count(1)
    expect(daily.locator(".review-item-status")).to_have_text(
        "Every day · 7 times in this period: 2 done, 3 not done, 1 skipped, 1 not due yet")
    expect(page.locator(f'.review-item[data-item="{WEEKLY}"] .review-item-status')).to_have_text(
        "Every week on Monday and Thursday, until June 30 · 3 times in this period: 2 done, 1 not done")


def test_offline_an_occurrence_is_checked_in_and_a_new_action_set_to_repeat(phone: BrowserContext,
                                                                            site_url: str) -> None:
    """After one visit online, with the network gone: the agenda's occurrences, the check-in of one, and the form's
    repeat picker (modules loaded only when asked for) come from the device."""
    page = seeded(phone, site_url)
    wait_until_offline_ready(page)
    phone.set_offline(True)
    try:
        open_agenda(page, site_url)
        expect(row(page, "overdue", "Plan my day").locator(".agenda-repeat")).to_have_text("3 missed: Sun, Mon, Tue")
        check_in_the_rent(page)
        assert [c["occurrence"] for c in stored_checkins(page) if c["item"] == MONTHLY][-1] == "2027-03-31"

        action = new_plan_with_an_action(page, site_url, "Walk every morning", "Walk", "2027-04-01")
        action.locator("[data-repeat-open]").click()
        picker = action.locator("[data-repeat-panel]")
        picker.get_by_label("Every day").check()
        expect(action.locator("[data-repeat-summary]")).to_have_text("Every day")
        expect(page.locator("[data-plan-page]")).to_have_attribute("data-save-state", "saved")
    finally:
        phone.set_offline(False)
