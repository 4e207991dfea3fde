"""A goal's measure on a phone in New York with the clock fixed (20 May 2026): "Where is it now?" from the plan
page, from a check-in and from the review; the chart and its words (behind, ahead); bad values said before saving;
an import refusing each bad measurement with nothing written; the plan file and the share carrying them; the
coach's read-only view showing the chart; axe on the dialog and the chart, light and dark."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.agenda_data import BRIEF, PRINTER, ROME_PLAN, device, rome_plan, seed
from tests.e2e.snippets import READY
from tests.e2e.test_shell import wait_until_offline_ready

pytestmark = pytest.mark.e2e

METRIC = "Error reports, % of orders"
# Created 1 May, from 10% to 5% by 30 June: on 20 May the path is at 10 - 5 * 19/60 = 8.4 (on it: 8.17 to 8.67).
GOAL = {"what": "Fewer error reports", "metric": METRIC, "baseline": 10, "target": 5, "deadline": "2026-06-30"}
NOW_AT = "2026-05-20T14:00:00Z"
AXE = Axe()


def measured_plan(measurements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    plan = rome_plan()
    plan["data"]["goal"] = dict(GOAL)
    plan["format_version"] = 3
    plan["measurements"] = measurements or []
    return plan


@pytest.fixture
def seeded(browser: Browser, browser_context_args: dict[str, Any], site_url: str) -> Iterator[Page]:
    """The coachee's phone in New York, the clock fixed, with the measured plan stored."""
    context = device(browser, browser_context_args)
    page = context.new_page()
    seed(page, site_url, [measured_plan()])
    yield page
    context.close()


def open_plan(page: Page, site_url: str) -> Any:
    page.goto(f"{site_url}en/plans/smart-action-plan/?id={ROME_PLAN}")
    page.wait_for_selector("[data-plan-page][data-measure-ready]")
    return page.locator("section.measure")


# The stored plan, read from IndexedDB itself (the plan page does not preload store.js for the tests' helper).
STORED = """async (id) => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const plan = await new Promise((ok) => { const r = db.transaction("plans").objectStore("plans").get(id);
    r.onsuccess = () => ok(r.result); });
  db.close();
  return plan;
}"""


def stored(page: Page, plan_id: str = ROME_PLAN) -> dict[str, Any]:
    return page.evaluate(STORED, plan_id)  # type: ignore[no-any-return]


def measurements(page: Page) -> list[dict[str, Any]]:
    return stored(page).get("measurements", [])  # type: ignore[no-any-return]


def record(page: Page, value: str, date: str | None = None, note: str = "", where: Any = None) -> Any:
    (where or page).get_by_role("button", name="Where is it now?").click()
    dialog = page.get_by_role("dialog", name="Where is it now?")
    expect(dialog).to_be_visible()
    dialog.get_by_label(METRIC).fill(value)
    if date:
        dialog.get_by_label("Date").fill(date)
    if note:
        dialog.get_by_label("Note (optional)").fill(note)
    dialog.get_by_role("button", name="Save").click()
    return dialog


def test_from_the_plan_page_the_chart_says_behind_then_ahead(seeded: Page, site_url: str) -> None:
    page = seeded
    section = open_plan(page, site_url)
    expect(section.get_by_role("heading")).to_have_text(f"Progress: {METRIC}")
    expect(section.locator(".measure-standing")).to_have_text(
        "No value recorded yet. The path goes from 10 to 5 by Jun 30, 2026.")
    dialog = record(page, "9,5", note="the old form still in use")  # a decimal comma is a decimal point
    expect(dialog).to_be_hidden()
    expect(section.locator(".measure-standing")).to_have_text(
        "Latest: 9.5 on May 20, 2026. Behind the path: it expected 8.4 by that day.")
    expect(section.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_role("button", name="Where is it now?")).to_be_focused()
    assert measurements(page) == [{"group": "/goal", "at": NOW_AT, "value": 9.5, "note": "the old form still in use"}]
    # A value for an earlier day goes in its place (noon that day in New York), the latest stays the latest.
    expect(record(page, "9.9", date="2026-05-10")).to_be_hidden()
    expect(section.locator(".measure-standing")).to_contain_text("Latest: 9.5 on May 20, 2026. Behind")
    expect(record(page, "8.2")).to_be_hidden()
    expect(section.locator(".measure-standing")).to_have_text(
        "Latest: 8.2 on May 20, 2026. On the path: it expected 8.4 by that day.")
    expect(record(page, "7.5")).to_be_hidden()
    expect(section.locator(".measure-standing")).to_have_text(
        "Latest: 7.5 on May 20, 2026. Ahead of the path: it expected 8.4 by that day.")
    assert [(m["at"], m["value"]) for m in measurements(page)] == [
        ("2026-05-10T16:00:00Z", 9.9), (NOW_AT, 9.5), (NOW_AT, 8.2), (NOW_AT, 7.5)]
    # The table for screen readers: the baseline, each value, the target.
    rows = section.locator("table tr").all_inner_texts()
    assert [r.replace("\t", " | ") for r in rows] == [
        f"Date | {METRIC}", "May 1, 2026 | 10 (baseline)", "May 10, 2026 | 9.9",
        "May 20, 2026 | 9.5 (the old form still in use)", "May 20, 2026 | 8.2", "May 20, 2026 | 7.5",
        "Jun 30, 2026 | 5 (target)"]
    # Each is a saved change of the plan: the revision rose once per value.
    assert stored(page)["revision"] == 2 + 4


def test_the_dialog_says_what_is_wrong_before_saving(seeded: Page, site_url: str) -> None:
    page = seeded
    open_plan(page, site_url)
    page.get_by_role("button", name="Where is it now?").click()
    dialog = page.get_by_role("dialog", name="Where is it now?")
    expect(dialog.get_by_label(METRIC)).to_be_focused()  # the first field, named in the coachee's own words
    expect(dialog.get_by_text("From 10 to 5 by Jun 30, 2026.")).to_be_visible()
    for value, date, message in [("", None, "Enter a number, like 7.5."), ("ten", None, "Enter a number, like 7.5."),
                                 ("1e999", None, "Enter a number, like 7.5."),
                                 ("7", "2026-05-21", "Choose a date that is today or earlier.")]:
        dialog.get_by_label(METRIC).fill(value)
        if date:
            dialog.get_by_label("Date").fill(date)
        dialog.get_by_role("button", name="Save").click()
        expect(dialog.get_by_role("alert")).to_have_text(message)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert measurements(page) == []


def test_from_a_check_in(seeded: Page, site_url: str) -> None:
    page = seeded
    section = open_plan(page, site_url)
    page.wait_for_selector("[data-plan-page][data-checkin-ready]")
    page.locator(f"#checkin-{BRIEF}").click()
    dialog = page.get_by_role("dialog", name="Check in")
    expect(dialog).to_be_visible()
    part = dialog.get_by_role("group", name="Where is it now?")
    expect(part.get_by_text("Target: 5.")).to_be_visible()
    dialog.get_by_label("Done", exact=True).check()
    part.get_by_label(METRIC).fill("eight")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog.get_by_role("alert")).to_have_text("Enter a number, like 7.5.")
    part.get_by_label(METRIC).fill("8")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()
    expect(section.locator(".measure-standing")).to_have_text(
        "Latest: 8 on May 20, 2026. Ahead of the path: it expected 8.4 by that day.")
    (taken,) = measurements(page)
    assert (taken["value"], taken["at"][:10]) == (8, "2026-05-20")  # dated with the check-in
    # Undo takes the check-in back, and the value typed with it.
    page.locator(".ci-toast").get_by_role("button", name="Undo").click()
    expect(page.locator(".ci-toast")).to_contain_text("Undone.")
    expect(section.locator(".measure-standing")).to_contain_text("No value recorded yet.")
    assert measurements(page) == []
    page.locator(f"#checkin-{BRIEF}").click()
    dialog.get_by_label("Done", exact=True).check()
    part.get_by_label(METRIC).fill("8")
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()
    expect(section.locator(".measure-standing")).to_contain_text("Latest: 8 on May 20, 2026.")
    # Left empty, a check-in records no value.
    page.locator(f"#checkin-{PRINTER}").click()
    expect(dialog).to_be_visible()
    dialog.get_by_label("Partly done").check()
    dialog.get_by_role("button", name="Save check-in").click()
    expect(dialog).to_be_hidden()
    assert len(measurements(page)) == 1


def test_from_the_review(seeded: Page, site_url: str) -> None:
    page = seeded
    page.goto(f"{site_url}en/review/")
    page.wait_for_selector("#review-results[data-ready]", state="attached")
    results = page.get_by_role("region", name="Results")
    item = results.locator("li.measure")
    expect(item.get_by_role("link")).to_have_text("Fewer error reports")
    expect(item.locator(".measure-standing")).to_contain_text("No value recorded yet.")
    expect(record(page, "9", where=item)).to_be_hidden()
    expect(item.locator(".measure-standing")).to_have_text(
        "Latest: 9 on May 20, 2026. Behind the path: it expected 8.4 by that day.")
    expect(results.get_by_role("status")).to_contain_text("Saved.")
    assert [m["value"] for m in measurements(page)] == [9]


BAD = [
    ({"value": "7.5"}, 'the value "7.5" is not a number.'),
    ({"at": "2026-05-21T14:00:00Z"}, "it is dated in the future (2026-05-21T14:00:00Z)."),
    ({"group": "/actions"}, "it names a part of the plan that is not measured (“/actions”)."),
]


def test_import_refuses_each_bad_measurement_and_writes_nothing(seeded: Page, site_url: str) -> None:
    page = seeded
    page.goto(f"{site_url}en/plans/")
    page.wait_for_function(READY)
    good = {"group": "/goal", "at": "2026-05-10T12:00:00Z", "value": 9, "note": ""}
    other = {**measured_plan([good]), "id": "a9e0da7a-0000-4000-8000-0000000000aa"}
    for change, message in BAD:
        doc = {**other, "measurements": [good, {**good, **change}]}
        page.set_input_files("input[type=file][data-import]", files=[
            {"name": "plan.json", "mimeType": "application/json", "buffer": json.dumps(doc).encode()}])
        errors = page.locator(".import-errors")
        expect(errors).to_contain_text(f"Plan “Fewer error reports”, measurement 2: {message}")
        assert stored(page, other["id"]) is None  # nothing written
    page.set_input_files("input[type=file][data-import]", files=[
        {"name": "plan.json", "mimeType": "application/json", "buffer": json.dumps(other).encode()}])
    expect(page.locator(".import-status")).to_contain_text("Import done. Added: 1.")
    assert stored(page, other["id"])["measurements"] == [good]
    # A newer version 2 file of the plan (no measurements in that format) updates it and leaves them, as it
    # leaves check-ins.
    older_format = {k: v for k, v in other.items() if k != "measurements"}
    older_format.update(format_version=2, revision=other["revision"] + 1)
    page.set_input_files("input[type=file][data-import]", files=[
        {"name": "plan.json", "mimeType": "application/json", "buffer": json.dumps(older_format).encode()}])
    expect(page.locator(".import-status")).to_contain_text("Updated: 1")
    kept = stored(page, other["id"])
    assert (kept["revision"], kept["measurements"]) == (other["revision"] + 1, [good])


def test_export_round_trip_and_share_keep_measurements(seeded: Page, site_url: str) -> None:
    page = seeded
    open_plan(page, site_url)
    expect(record(page, "9.2", note="first week")).to_be_hidden()
    page.wait_for_function(READY)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export JSON").click()
    exported = json.loads(Path(info.value.path()).read_text())
    assert exported["format_version"] == 3
    assert exported["measurements"] == [{"group": "/goal", "at": NOW_AT, "value": 9.2, "note": "first week"}]
    # The share: the metric is the sponsor's to see, so the coach's too; the note stays home unless chosen.
    page.get_by_role("button", name="Share with my coach").click()
    share_dialog = page.get_by_role("dialog")
    expect(share_dialog).to_be_visible()
    expect(share_dialog.locator(".share-measurements")).to_have_text("May 20, 2026, 10:00 AM: 9.2")
    with page.expect_download() as info:
        share_dialog.get_by_role("button", name="Share", exact=True).click()
    share = json.loads(Path(info.value.path()).read_text())
    (shared,) = [p for p in share["plans"] if p["id"] == ROME_PLAN]
    assert shared["measurements"] == [{"group": "/goal", "at": NOW_AT, "value": 9.2}]


def test_the_coach_sees_the_chart_of_a_shared_plan_read_only(browser: Browser, browser_context_args: dict[str, Any],
                                                             site_url: str) -> None:
    from tests.e2e.test_share import import_share, open_plans

    context = device(browser, browser_context_args)
    try:
        coach = context.new_page()
        open_plans(coach, site_url)
        share = {"format": "passo-share", "format_version": 1, "shared": "2026-05-19T10:00:00Z", "from": "Alice",
                 "lang": "en", "plans": [{
                     "schema": "smart-action-plan", "schema_version": 3, "id": ROME_PLAN, "revision": 4,
                     "updated": "2026-05-19T10:00:00Z", "data": {"goal": dict(GOAL)}, "checkins": [],
                     "measurements": [{"group": "/goal", "at": "2026-05-05T12:00:00Z", "value": 9.8},
                                      {"group": "/goal", "at": "2026-05-12T12:00:00Z", "value": 9.1}]}]}
        assert import_share(coach, share).startswith("Shared plans received: 1 new")
        coach.locator("#plans-shared li.shared-plan a.plan-open").click()
        coach.wait_for_selector("[data-plan-page][data-ready]")
        section = coach.locator("section.measure")
        # A share has no creation date: the path starts at its first record, 5 May (9.375 expected on 12 May).
        expect(section.locator(".measure-standing")).to_have_text(
            "Latest: 9.1 on May 12, 2026. Ahead of the path: it expected 9.4 by that day.")
        expect(section.get_by_role("img")).to_be_visible()
        expect(coach.get_by_role("button", name="Where is it now?")).to_have_count(0)  # read-only
        # A measurement the coach may not see is refused whole, naming the plan and the entry.
        bad = json.loads(json.dumps(share))
        bad["plans"][0]["measurements"][1]["group"] = "/actions"
        open_plans(coach, site_url)
        message = import_share(coach, bad)
        assert "measurement 2: it names a part of the plan that is not measured (“/actions”)." in message
    finally:
        context.close()


def test_the_sponsor_report_previews_the_measurements_it_holds(seeded: Page, site_url: str) -> None:
    """Shared with the goal topic, the metric goes to the sponsor, and its values with it (never the note)."""
    from tests.e2e.test_export_import import agreement
    from tests.e2e.test_export_import import open_plan as open_export

    page = seeded
    agreed = agreement(["goal"])
    plan = measured_plan([{"group": "/goal", "at": "2026-05-10T12:00:00Z", "value": 9, "note": "PRIVATE note"}])
    page.evaluate("""async (plans) => {
      const db = await new Promise((ok) => { const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); });
      const tx = db.transaction("plans", "readwrite");
      for (const p of plans) tx.objectStore("plans").put(p);
      await new Promise((ok) => { tx.oncomplete = ok; });
      db.close();
    }""", [agreed, {k: v for k, v in plan.items() if k != "checkins"}])
    open_export(page, site_url, agreed)
    page.get_by_role("button", name="Sponsor report").click()
    dialog = page.locator(".sponsor-dialog")
    dialog.get_by_label(re.compile("Action plan")).check()
    preview = dialog.locator(".sponsor-preview")
    expect(preview.locator("dt", has_text=f"{METRIC}, May 10, 2026")).to_have_count(1)
    expect(preview).not_to_contain_text("PRIVATE")
    with page.expect_download() as info:
        dialog.get_by_role("button", name="Export JSON").click()
    report = json.loads(Path(info.value.path()).read_text())
    (sent,) = [p for p in report["plans"] if p["id"] == ROME_PLAN]
    assert sent["measurements"] == [{"group": "/goal", "at": "2026-05-10T12:00:00Z", "value": 9}]
    assert "PRIVATE" not in json.dumps(report)


def test_offline_a_value_is_recorded_and_drawn(seeded: Page, site_url: str) -> None:
    """After one visit online, with the network gone: the plan page, the measure dialog and the chart (modules the
    page loads only when a plan has a measure) come from the device, and the value is kept."""
    page = seeded
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    try:
        section = open_plan(page, site_url)
        expect(record(page, "9.5")).to_be_hidden()
        expect(section.locator(".measure-standing")).to_have_text(
            "Latest: 9.5 on May 20, 2026. Behind the path: it expected 8.4 by that day.")
        expect(section.locator(".chart-path")).to_be_visible()  # the path from baseline to target
        expect(section.locator(".chart-dot")).to_have_count(1)  # and the value recorded
        assert [(m["at"], m["value"]) for m in measurements(page)] == [(NOW_AT, 9.5)]
        page.reload()  # still offline: the value was stored, not only drawn
        page.wait_for_selector("[data-plan-page][data-measure-ready]")
        expect(section.locator(".measure-standing")).to_contain_text("Latest: 9.5 on May 20, 2026.")
    finally:
        page.context.set_offline(False)
