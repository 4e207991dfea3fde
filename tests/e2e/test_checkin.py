"""Check-ins on a phone in New York with the clock fixed: every path of the dialog (done, partly, not done, the plan
B, a new date, drop), the commitment asked again with the form's prompts, "Move all overdue", undo, the plan page's
"Check in", two tabs, and the calendar exported after a move, read back by icalendar and ical.js."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.agenda_data import (
    BANK,
    BRIEF,
    DESK,
    DEVICE_TZ,
    KOLKATA,
    PRINTER,
    RENT,
    ROME,
    ROME_PLAN,
    ROOM,
    device,
    kolkata_plan,
    open_agenda,
    open_checkin,
    rome_plan,
    seed,
    store,
)
from tests.js.ics_checks import check_structure, icalendar_read
from tests.js.node_driver import shared_driver

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = device(browser, browser_context_args)
    yield context
    context.close()


@pytest.fixture
def agenda(phone: BrowserContext, site_url: str) -> Page:
    page = phone.new_page()
    seed(page, site_url, [rome_plan(), kolkata_plan()])
    return page


def entry(page: Page, text: str) -> Any:
    return page.locator(".agenda-entry", has_text=text)


def checkins(page: Page, plan_id: str = ROME_PLAN) -> list[dict[str, Any]]:
    return store(page, "(s, id) => s.listCheckins(id)", plan_id)  # type: ignore[no-any-return]


def stored_action(page: Page, item: str, plan_id: str = ROME_PLAN) -> dict[str, Any]:
    plan = store(page, "(s, id) => s.getPlan(id)", plan_id)
    return next(a for a in plan["data"]["actions"] if a["id"] == item)


def shows(page: Page, section: str, expected: list[str]) -> None:
    """Waits until the section lists exactly these items (the agenda redraws after each check-in)."""
    expect(page.locator(f"[data-section={section}] .agenda-what")).to_have_text(expected)


def test_done_with_note_and_commitment_then_undo(agenda: Page) -> None:
    page = agenda
    dialog = open_checkin(page, "Call the printer")
    expect(dialog.get_by_label("Done", exact=True)).to_be_focused()  # the dialog opens on its first choice
    dialog.get_by_label("Done", exact=True).check()
    dialog.get_by_label("What helped, or what got in the way?").fill("Called at lunch, before the rush")
    dialog.get_by_label("9", exact=True).check()
    expect(dialog.get_by_text("What would make it a 10?")).to_be_visible()  # the form's prompt for 7-9
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()
    expect(entry(page, "Call the printer")).to_have_count(0)
    toast = page.locator(".ci-toast")
    expect(toast).to_contain_text("Checked in: done.")
    # The plan stays the truth: the action's own "done" is ticked; the check-in is its history.
    assert stored_action(page, PRINTER)["done"] is True
    (record,) = checkins(page)[1:]
    assert {k: record[k] for k in ("item", "outcome", "note", "commitment", "from", "to", "plan_b")} == {
        "item": PRINTER, "outcome": "done", "note": "Called at lunch, before the rush", "commitment": 9,
        "from": None, "to": None, "plan_b": False}
    assert record["at"] == "2026-05-20T14:00:00Z"  # recorded with its time

    undo = toast.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    undo.click()
    expect(toast).to_contain_text("Undone.")
    expect(toast.locator("p")).to_be_focused()  # the keyboard stays where it was
    expect(entry(page, "Call the printer")).to_have_count(1)
    assert stored_action(page, PRINTER)["done"] is False
    assert [c["outcome"] for c in checkins(page)] == ["dropped"]  # the earlier check-in stays


def test_low_commitment_asks_whether_it_matters(agenda: Page) -> None:
    dialog = open_checkin(agenda, "Call the printer")
    prompt = dialog.get_by_text("Does this action really matter to you?")
    expect(prompt).to_be_hidden()
    expect(dialog.get_by_text("Before: 7")).to_be_visible()
    dialog.get_by_label("5", exact=True).check()
    expect(prompt).to_be_visible()
    dialog.get_by_label("10", exact=True).check()
    expect(dialog.locator(".prompt-text:visible")).to_have_count(0)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert len(checkins(agenda)) == 1  # cancelled: nothing recorded


@pytest.mark.parametrize(("choice", "outcome", "stays"), [("Partly done", "partly", True),
                                                          ("Drop", "dropped", False)])
def test_partly_and_drop(agenda: Page, choice: str, outcome: str, stays: bool) -> None:
    dialog = open_checkin(agenda, "Tidy the desk")
    dialog.get_by_label(choice, exact=True).check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()  # the dialog closes once the check-in is stored: read the store after that
    expect(entry(agenda, "Tidy the desk")).to_have_count(1 if stays else 0)
    assert checkins(agenda)[-1]["outcome"] == outcome
    assert stored_action(agenda, DESK).get("done") is False  # neither ticks the action


def test_not_done_keeping_the_date(agenda: Page) -> None:
    dialog = open_checkin(agenda, "Tidy the desk")
    dialog.get_by_label("Not done", exact=True).check()
    expect(dialog.get_by_role("group", name="What now?")).to_be_visible()
    # The desk has no plan B: only keeping the date or a new one is offered.
    expect(dialog.get_by_label("Use plan B")).to_be_hidden()
    dialog.get_by_label("Keep the date as it is").check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()  # the dialog closes once the check-in is stored: read the store after that
    expect(entry(agenda, "Tidy the desk")).to_have_count(1)
    assert checkins(agenda)[-1]["outcome"] == "not-done"


def test_not_done_with_the_plan_b(agenda: Page) -> None:
    dialog = open_checkin(agenda, "Call the printer")
    dialog.get_by_label("Not done", exact=True).check()
    dialog.get_by_label("Use plan B").check()
    expect(dialog.get_by_text("Email them on Friday")).to_be_visible()
    # The time is offered as it falls on this device (19:00 in Rome is 13:00 in New York).
    expect(dialog.get_by_label("Time (optional)")).to_have_value("13:00")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose the new date.")  # a date is needed; nothing saved
    assert len(checkins(agenda)) == 1
    dialog.get_by_label("Date", exact=True).fill("2026-05-22")
    dialog.get_by_label("What helped, or what got in the way?").fill("The phone line was busy")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(agenda.locator(".ci-toast")).to_contain_text("Moved to Fri, May 22, 1:00 PM.")
    expect(agenda.locator("[data-section=week] .agenda-what").first).to_have_text("Call the printer")
    record = checkins(agenda)[-1]
    assert record["outcome"] == "moved" and record["plan_b"] is True
    assert record["note"] == "The phone line was busy"
    # A move keeps the date it came from, as entered (Rome), and the new one in this device's zone.
    assert record["from"] == {"date": "2026-05-18", "time": "19:00", "tz": ROME}
    assert record["to"] == {"date": "2026-05-22", "time": "13:00", "tz": DEVICE_TZ}
    assert stored_action(agenda, PRINTER)["when"] == record["to"]


def test_not_done_with_a_new_date(agenda: Page) -> None:
    dialog = open_checkin(agenda, "Pay the rent")
    dialog.get_by_label("Not done", exact=True).check()
    dialog.get_by_label("New date").check()
    dialog.get_by_label("Date", exact=True).fill("2026-06-02")
    dialog.get_by_label("Time (optional)").fill("")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()  # the dialog closes once the check-in is stored: read the store after that
    expect(entry(agenda, "Pay the rent")).to_have_count(1)
    shows(agenda, "later", ["Review my action plan", "Pay the rent", "Plan the launch"])
    record = checkins(agenda, "a9e0da7a-0000-4000-8000-000000000002")[-1]
    assert record["outcome"] == "moved" and record["plan_b"] is False
    assert record["from"] == {"date": "2026-05-19", "time": "22:00", "tz": KOLKATA}
    assert record["to"] == {"date": "2026-06-02", "tz": DEVICE_TZ}


def test_move_all_overdue_and_undo(agenda: Page) -> None:
    agenda.get_by_role("button", name="Move all overdue").click()
    dialog = agenda.get_by_role("dialog", name="Move all overdue")
    expect(dialog).to_contain_text("3 overdue items move to the day you pick, each keeping its time.")
    expect(dialog.get_by_label("Date")).to_have_value("2026-05-20")  # today here
    dialog.get_by_label("Date").fill("2026-05-23")
    dialog.get_by_role("button", name="Move", exact=True).click()
    expect(agenda.locator(".ci-toast")).to_contain_text("Moved 3 items.")
    expect(agenda.locator("[data-section=overdue]")).to_be_hidden()
    shows(agenda, "week", ["Tidy the desk", "Pay the rent", "Call the printer", "Book the room"])
    # Each keeps its own time and zone; only the day changes.
    assert stored_action(agenda, PRINTER)["when"] == {"date": "2026-05-23", "time": "19:00", "tz": ROME}
    assert stored_action(agenda, RENT, "a9e0da7a-0000-4000-8000-000000000002")["when"] == {
        "date": "2026-05-23", "time": "22:00", "tz": KOLKATA}
    assert [c["outcome"] for c in checkins(agenda)] == ["dropped", "moved", "moved"]
    agenda.locator(".ci-toast").get_by_role("button", name="Undo").click()
    expect(agenda.locator(".ci-toast")).to_contain_text("Undone.")
    shows(agenda, "overdue", ["Tidy the desk", "Call the printer", "Pay the rent"])
    assert [c["outcome"] for c in checkins(agenda)] == ["dropped"]


def test_check_in_from_the_plan_page(agenda: Page, site_url: str) -> None:
    page = agenda
    page.goto(f"{site_url}en/plans/smart-action-plan/?id={ROME_PLAN}#checkin-{BRIEF}")
    page.wait_for_selector("[data-plan-page][data-checkin-ready]")
    button = page.get_by_role("button", name="Check in: Send the brief")
    expect(button).to_be_focused()
    # Beside each dated item not done: six actions (the flyers are done, the budget was dropped).
    expect(page.locator(".plan-checkin")).to_have_count(6)
    button.click()
    dialog = page.get_by_role("dialog", name="Check in")
    dialog.get_by_label("Done", exact=True).check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".ci-toast")).to_contain_text("Checked in: done.")
    # The form shows the action ticked, saved, and its "Check in" is gone.
    expect(page.get_by_role("group", name="Action 3").get_by_label("Done")).to_be_checked()
    expect(page.locator(".plan-checkin")).to_have_count(5)
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-save-state", "saved")
    open_agenda(page, site_url)
    shows(page, "today", ["Call the bank"])
    assert stored_action(page, BRIEF)["done"] is True


def test_two_tabs_checking_in_the_same_item(agenda: Page, phone: BrowserContext, site_url: str) -> None:
    other = phone.new_page()
    open_agenda(other, site_url)
    first = open_checkin(agenda, "Call the bank")
    second = open_checkin(other, "Call the bank")
    second.get_by_label("Partly done").check()
    second.get_by_role("button", name="Save check-in").click()
    expect(second).to_be_hidden()  # stored before the first tab writes
    first.get_by_label("Done", exact=True).check()
    first.get_by_role("button", name="Save check-in").click()  # the later write wins
    # The other tab shows it without a reload; both check-ins are kept.
    expect(entry(other, "Call the bank")).to_have_count(0)
    plan_id = "a9e0da7a-0000-4000-8000-000000000002"
    assert [c["outcome"] for c in checkins(agenda, plan_id)] == ["partly", "done"]
    assert stored_action(agenda, BANK, plan_id)["done"] is True


def test_calendar_after_a_move_and_a_drop(agenda: Page, site_url: str) -> None:
    page = agenda
    plan_url = f"{site_url}en/plans/smart-action-plan/?id={ROME_PLAN}"

    def export() -> bytes:
        page.goto(plan_url)
        page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
        with page.expect_download() as info:
            page.get_by_role("button", name="Export to calendar").click()
        return Path(info.value.path()).read_bytes()

    def events(data: bytes) -> dict[str, dict[str, Any]]:
        check_structure(data)  # asserts the framing parsers let through
        by_python = {e["uid"]: e for e in icalendar_read(data)}
        by_js = {e["uid"]: e for e in shared_driver()("icalRead", text=data.decode())["events"]}
        assert by_python.keys() == by_js.keys()
        return {uid: {**e, "js": by_js[uid]} for uid, e in by_python.items()}

    first = events(export())
    uid = f"{PRINTER}@{ROME_PLAN}.passo"
    desk = f"{DESK}@{ROME_PLAN}.passo"
    assert first[uid]["js"]["start"] == "2026-05-18T17:00:00.000Z"
    open_agenda(page, site_url)
    dialog = open_checkin(page, "Call the printer")
    dialog.get_by_label("Not done", exact=True).check()
    dialog.get_by_label("New date").check()
    dialog.get_by_label("Date", exact=True).fill("2026-05-26")
    dialog.get_by_label("Time (optional)").fill("09:30")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".ci-toast")).to_contain_text("Moved to")
    dialog = open_checkin(page, "Tidy the desk")
    dialog.get_by_label("Drop", exact=True).check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(entry(page, "Tidy the desk")).to_have_count(0)
    dialog = open_checkin(page, "Book the room")
    dialog.get_by_label("Done", exact=True).check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(entry(page, "Book the room")).to_have_count(0)  # saved: a done item leaves the agenda

    second = events(export())
    moved = second[uid]
    # Same UID, a higher SEQUENCE, the new time (09:30 in New York = 13:30 UTC), read alike by both parsers.
    assert moved["sequence"] > first[uid]["sequence"]
    assert moved["js"]["sequence"] == moved["sequence"]
    assert moved["js"]["start"] == "2026-05-26T13:30:00.000Z"
    # The dropped item is sent once, cancelled; the done one keeps no alarm.
    assert second[desk]["status"] == "CANCELLED" and second[desk]["js"]["status"] == "CANCELLED"
    room = second[f"{ROOM}@{ROME_PLAN}.passo"]
    assert room["js"]["alarms"] == [] and room["summary"].startswith("✓")
    third = events(export())
    assert desk not in third

