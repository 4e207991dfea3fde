"""Export and import in Debian's Chromium (Pixel 7): plan files, backups, calendar, sponsor report, bad files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.snippets import PUT_PLANS_AND_META as PUT_RAW
from tests.js.ics_checks import check_structure, icalendar_read

pytestmark = pytest.mark.e2e

# The action plan form's current version (rises when the schema changes).
ACTION_PLAN_VERSION = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "smart-action-plan.json")
                                 .read_text(encoding="utf-8"))["x-version"]


# Every stored plan, as stored (no migration), sorted by id: the test's view of "what changed".
GET_RAW = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  if (!db.objectStoreNames.contains("plans")) { db.close(); return []; }
  const plans = await new Promise((ok) => {
    const r = db.transaction("plans").objectStore("plans").getAll(); r.onsuccess = () => ok(r.result);
  });
  db.close();
  return plans.sort((a, b) => (a.id < b.id ? -1 : 1));
}"""

SECRET = "SECRET-"
HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def envelope(schema: str, version: int, pid: str, data: dict[str, Any], revision: int = 3) -> dict[str, Any]:
    return {
        "format": "passo-plan", "format_version": 1, "schema": schema, "schema_version": version, "id": pid,
        "revision": revision, "created": "2025-01-01T10:00:00Z", "updated": "2025-01-02T10:00:00Z", "lang": "en",
        "data": data,
    }


def action_plan(pid: str = "a1a1a1a1-0000-4000-8000-000000000001", what: str = "Present at the all-hands",
                revision: int = 3) -> dict[str, Any]:
    return envelope("smart-action-plan", ACTION_PLAN_VERSION, pid, {
        "goal": {"what": what, "why": f"{SECRET}why", "metric": "talks given", "baseline": 0, "target": 1,
                 "deadline": "2025-12-01"},
        "actions": [
            {"id": "0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b", "what": "Draft the slides; then rehearse",
             "steps": [f"{SECRET}step"], "who": f"{SECRET}who", "planB": f"{SECRET}planb", "commitment": 8,
             "toTen": f"{SECRET}toten", "dependsOnMe": True, "done": False,
             "when": {"date": "2025-03-30", "time": "02:30", "tz": "Europe/Rome"}},
            {"id": "1d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b", "what": "Book the room",
             "when": {"date": "2025-10-26", "tz": "Europe/Rome"}},
        ],
        "review": {"id": "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f",
                   "when": {"date": "2025-11-02", "time": "01:30", "tz": "America/New_York"}},
    }, revision)


def agreement(shares: list[str]) -> dict[str, Any]:
    return envelope("coaching-agreement", 1, "c0c0c0c0-0000-4000-8000-000000000001", {
        "sponsor": {"organisation": f"{SECRET}org"}, "coachee": {"name": f"{SECRET}me"},
        "coach": {"name": f"{SECRET}coach"}, "shares": shares, "frequency": "monthly",
        "confidential": f"{SECRET}confidential", "limits": f"{SECRET}limits",
    })


def backup(plans: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "passo-backup", "format_version": 1, "exported": "2025-06-01T00:00:00Z", "plans": plans}


def open_plans(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}en/plans/")
    page.wait_for_selector("[data-export-ui='backup'][data-export-ready]")


def seed(page: Page, site_url: str, plans: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> None:
    open_plans(page, site_url)  # the app creates the database first
    page.evaluate(PUT_RAW, [plans, meta or {}])
    open_plans(page, site_url)


def stored(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate(GET_RAW)
    return result


def import_bytes(page: Page, data: bytes, name: str = "plans.json") -> None:
    page.set_input_files("input[type=file][data-import]",
                         files=[{"name": name, "mimeType": "application/json", "buffer": data}])


def import_result(page: Page) -> str:
    """Waits for the import to finish; returns the summary, or the error list's text."""
    done = ".import-status:has-text('Import done'), .import-errors li, .import-conflicts:visible"
    page.locator(done).first.wait_for()
    errors = page.locator(".import-errors")
    return errors.inner_text() if errors.locator("li").count() else page.locator(".import-status").inner_text()


def back_up(page: Page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Back up all plans").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def without_timestamp(text: bytes) -> bytes:
    return re.sub(rb'"exported": "[^"]+"', b'"exported": ""', text)


def test_backup_imports_into_a_fresh_browser_identically(page: Page, watch: Any, browser: Browser, site_url: str,
                                                         browser_context_args: dict[str, Any]) -> None:
    plans = [action_plan(), agreement(["goal", "actions"]),
             action_plan("a1a1a1a1-0000-4000-8000-000000000002", HOSTILE, revision=9)]
    seed(page, site_url, plans)
    name, first = back_up(page)
    assert re.fullmatch(r"passo-backup-\d{4}-\d{2}-\d{2}\.json", name)
    doc = json.loads(first)
    assert doc["format"] == "passo-backup" and len(doc["plans"]) == 3
    assert page.evaluate("() => window.pwned") is None

    fresh = browser.new_context(**browser_context_args)
    try:
        other = fresh.new_page()
        open_plans(other, site_url)
        assert stored(other) == []
        import_bytes(other, first)
        assert import_result(other) == "Import done. Added: 3. Updated: 0. Skipped: 0."
        assert stored(other) == stored(page)
        _, second = back_up(other)
        assert without_timestamp(second) == without_timestamp(first)
        # The planted markup is shown as the text it is, and never ran.
        other.reload()
        other.wait_for_selector("[data-export-ui='backup'][data-export-ready]")
        expect(other.get_by_text(HOSTILE)).to_be_visible()
        assert other.evaluate("() => window.pwned") is None
        # The same file again: nothing to do.
        import_bytes(other, first)
        assert import_result(other) == "Import done. Added: 0. Updated: 0. Skipped: 3."
    finally:
        fresh.close()


def test_newer_revision_updates_older_asks(page: Page, watch: Any, site_url: str) -> None:
    mine = action_plan(revision=5)
    seed(page, site_url, [mine])
    newer = action_plan(what="Present twice", revision=6)
    import_bytes(page, json.dumps(newer).encode())
    assert import_result(page) == "Import done. Added: 0. Updated: 1. Skipped: 0."
    assert stored(page)[0]["data"]["goal"]["what"] == "Present twice"

    older = action_plan(what=HOSTILE, revision=2)
    import_bytes(page, json.dumps(backup([older, action_plan("a1a1a1a1-0000-4000-8000-000000000009")])).encode())
    conflicts = page.locator(".import-conflicts")
    expect(conflicts).to_be_visible()
    expect(conflicts.locator("legend")).to_have_text(re.compile(re.escape(HOSTILE)))
    assert len(stored(page)) == 1, "nothing is written before the coachee chooses"
    conflicts.get_by_role("button", name="Cancel").click()
    expect(page.locator(".import-status")).to_have_text("Import cancelled: nothing was changed.")
    assert len(stored(page)) == 1

    import_bytes(page, json.dumps(backup([older])).encode())
    expect(conflicts).to_be_visible()
    conflicts.get_by_label(re.compile("Use the one in the file")).check()
    conflicts.get_by_role("button", name="Import").click()
    expect(page.locator(".import-status")).to_have_text("Import done. Added: 0. Updated: 1. Skipped: 0.")
    assert stored(page)[0]["data"]["goal"]["what"] == HOSTILE
    assert page.evaluate("() => window.pwned") is None


def bad_files() -> list[tuple[str, bytes, str]]:
    good = action_plan("b0b0b0b0-0000-4000-8000-000000000001")
    bad_date = json.loads(json.dumps(good))
    bad_date["data"]["actions"][0]["when"]["date"] = "next Tuesday"
    return [
        ("not JSON", b"{this is not json", "it is not JSON"),
        ("other JSON", json.dumps({"type": "FeatureCollection"}).encode(), "JSON, but not a plan or backup"),
        ("unknown schema", json.dumps({**good, "schema": "horoscope"}).encode(), "no form called “horoscope”"),
        ("newer format", json.dumps({**good, "format_version": 4}).encode(), "newer version of Passo"),
        ("newer schema", json.dumps({**good, "schema_version": ACTION_PLAN_VERSION + 1}).encode(),
         "newer version of the form"),
        ("breaks the schema", json.dumps(backup([action_plan(), bad_date])).encode(),
         "plan 2 of 2, field /actions/0/when/date"),
        ("20 MB", b'{"format": "passo-plan", "x": "' + b"x" * (20 * 1024 * 1024) + b'"}', "too large to import"),
        ("duplicate ids", json.dumps(backup([good, good])).encode(), "same id as plan 1"),
        ("__proto__", json.dumps(good).replace('"data": {', '"data": {"__proto__": {"admin": true}, ', 1).encode(),
         "“__proto__” at /data/__proto__ is not allowed"),
        ("constructor", json.dumps(backup([good])).replace('"goal": {', '"goal": {"constructor": 1, ', 1).encode(),
         "“constructor” at /plans/0/data/goal/constructor is not allowed"),
    ]


def test_every_bad_import_says_why_and_changes_nothing(page: Page, watch: Any, site_url: str) -> None:
    seed(page, site_url, [action_plan()], {"lastChange": "2025-01-02T10:00:00Z"})
    before = stored(page)
    for label, data, expected in bad_files():
        import_bytes(page, data)
        message = import_result(page)
        assert message.startswith("Nothing was imported, and your plans are unchanged:"), label
        assert expected in message, (label, message)
        assert stored(page) == before, label
    assert page.evaluate("() => Object.prototype.admin") is None


def open_plan(page: Page, site_url: str, plan: dict[str, Any]) -> None:
    page.goto(f"{site_url}en/plans/{plan['schema']}/?id={plan['id']}")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")


def test_plan_page_exports_json_and_calendar(page: Page, watch: Any, site_url: str) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export JSON").click()
    exported = json.loads(Path(info.value.path()).read_text())
    assert exported == {**stored(page)[0], "format_version": 3, "checkins": [], "measurements": []}
    assert info.value.suggested_filename.endswith(".json")
    expect(page.get_by_text("drop reminders")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Export to calendar").click()
    assert info.value.suggested_filename.endswith(".ics")
    data = Path(info.value.path()).read_bytes()
    check_structure(data)
    events = {e["uid"].split("@")[0]: e for e in icalendar_read(data)}
    assert events["0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b"]["start"] == "2025-03-30T01:30:00.000Z"
    assert events["1d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b"]["start"] == "2025-10-26"
    assert events["9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"]["start"] == "2025-11-02T05:30:00.000Z"
    assert all(e["sequence"] == 3 and e["uid"].endswith(f"@{plan['id']}.passo") for e in events.values())

    # Delete an action (a save raises the revision): the next export cancels it once.
    changed = action_plan(revision=4)
    changed["data"]["actions"].pop(1)
    page.evaluate(PUT_RAW, [[changed], {}])
    with page.expect_download() as info:
        page.get_by_role("button", name="Export to calendar").click()
    again = {e["uid"].split("@")[0]: e for e in icalendar_read(Path(info.value.path()).read_bytes())}
    assert again["1d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b"]["status"] == "CANCELLED"
    assert {e["sequence"] for e in again.values()} == {4}


def test_each_action_adds_itself_to_the_calendar(page: Page, watch: Any, site_url: str) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    buttons = page.get_by_role("button", name="Add to calendar")
    expect(buttons).to_have_count(2)
    with page.expect_download() as info:
        buttons.nth(1).click()
    data = Path(info.value.path()).read_bytes()
    check_structure(data)
    (event,) = icalendar_read(data)
    assert event["uid"] == f"1d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b@{plan['id']}.passo"
    assert event["summary"] == "Book the room" and event["start"] == "2025-10-26"
    # An action added now gets the button too; without a date it says what is missing.
    page.get_by_role("button", name="Add an action").click()
    expect(buttons).to_have_count(3)
    buttons.nth(2).click()
    expect(page.locator(".item-calendar-status").nth(2)).to_contain_text("no date yet")


def test_sponsor_report_holds_only_what_the_agreement_shares(page: Page, watch: Any, site_url: str) -> None:
    agreed = agreement(["goal", "actions"])
    plan = action_plan(what=HOSTILE)
    seed(page, site_url, [agreed, plan])
    open_plan(page, site_url, action_plan())
    expect(page.get_by_role("button", name="Sponsor report")).to_be_hidden()
    open_plan(page, site_url, agreed)
    page.get_by_role("button", name="Sponsor report").click()
    dialog = page.locator(".sponsor-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label(re.compile("Action plan")).check()
    preview = dialog.locator(".sponsor-preview")
    expect(preview).to_contain_text(HOSTILE)
    expect(preview).to_contain_text("Draft the slides; then rehearse")
    assert SECRET not in preview.inner_text()
    assert SECRET not in dialog.locator(".sponsor-json").text_content()
    assert "2025-03-30" not in preview.inner_text(), "dates are not shared by this agreement"
    assert page.evaluate("() => window.pwned") is None

    with page.expect_download() as info:
        dialog.get_by_role("button", name="Export JSON").click()
    report = json.loads(Path(info.value.path()).read_text())
    assert report["format"] == "passo-sponsor-report" and report["agreement"] == agreed["id"]
    assert SECRET not in json.dumps(report)
    fields = {p["id"]: p["fields"] for p in report["plans"]}
    assert fields[plan["id"]]["/goal/what"] == HOSTILE
    assert "/goal/why" not in fields[plan["id"]] and "/actions/0/when/date" not in fields[plan["id"]]

    dialog.get_by_role("button", name="Printable view").click()
    view = page.locator(".report-view")
    expect(view).to_be_visible()
    expect(view).to_contain_text("Draft the slides; then rehearse")
    assert SECRET not in view.inner_text()
    view.get_by_role("button", name="Back to the plan").click()
    expect(view).to_be_hidden()


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def test_plan_prints_on_at_most_two_pages(page: Page, watch: Any, site_url: str) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    page.emulate_media(media="print")
    for hidden in ("Export JSON", "Export to calendar"):
        expect(page.get_by_role("button", name=hidden)).to_be_hidden()
    expect(page.get_by_label("What result do you want?")).to_have_value("Present at the all-hands")
    assert 1 <= pdf_pages(page.pdf(format="A4")) <= 2


def test_old_schema_version_is_migrated_on_import(page: Page, watch: Any, site_url: str) -> None:
    old = envelope("smart-action-plan", 1, "a1a1a1a1-0000-4000-8000-0000000000aa", {
        "goal": {"what": "Speak up in meetings"},
        "actions": [{"what": "Prepare one question", "when": "2025-03-30T02:30"}],
        "reviewDate": "2025-04-30",
    })
    open_plans(page, site_url)
    import_bytes(page, json.dumps(old).encode())
    assert import_result(page) == "Import done. Added: 1. Updated: 0. Skipped: 0."
    (saved,) = stored(page)
    assert saved["schema_version"] == ACTION_PLAN_VERSION
    (action,) = saved["data"]["actions"]
    assert action["when"]["date"] == "2025-03-30" and action["when"]["time"] == "02:30"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", action["id"])
    assert saved["data"]["review"]["when"]["date"] == "2025-04-30"


SHARE_STUB = """
// A phone whose share sheet takes files (iOS Safari does; Chromium here has no share sheet at all).
Object.defineProperty(navigator, "canShare", {value: (data) => !!(data && data.files && data.files.length)});
Object.defineProperty(navigator, "share", {value: async ({files}) => {
  const f = files[0];
  window.__shared = {name: f.name, type: f.type, text: await f.text()};
}});
"""


def test_share_sheet_gets_the_file_with_its_type(page: Page, watch: Any, site_url: str) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    page.context.add_init_script(SHARE_STUB)
    open_plan(page, site_url, plan)
    page.get_by_role("button", name="Export to calendar").click()
    expect(page.locator(".export-status")).to_contain_text("calendar file is ready")
    shared = page.evaluate("() => window.__shared")
    assert shared["type"] == "text/calendar;charset=utf-8" and shared["name"].endswith(".ics")
    check_structure(shared["text"].encode())
    page.get_by_role("button", name="Export JSON").click()
    expect(page.locator(".export-status")).to_have_text("Your plan file is ready.")
    shared = page.evaluate("() => window.__shared")
    assert shared["type"] == "application/json" and json.loads(shared["text"])["id"] == plan["id"]


def test_event_length_and_reminder_are_settings(page: Page, watch: Any, site_url: str) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    page.get_by_text("Calendar settings").click()
    length = page.get_by_label("Length of each event, in minutes")
    expect(length).to_have_value("60")
    length.fill("30")
    length.dispatch_event("change")
    reminder = page.get_by_label("Reminder, minutes before the start")
    reminder.fill("15")
    reminder.dispatch_event("change")
    page.reload()
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    page.get_by_text("Calendar settings").click()  # the fields are filled when the coachee opens them
    expect(page.get_by_label("Length of each event, in minutes")).to_have_value("30")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export to calendar").click()
    events = icalendar_read(Path(info.value.path()).read_bytes())
    timed = next(e for e in events if e["summary"] == "Draft the slides; then rehearse")
    assert (timed["start"], timed["end"]) == ("2025-03-30T01:30:00.000Z", "2025-03-30T02:00:00.000Z")
    assert timed["alarms"][0]["trigger"] == -15 * 60
