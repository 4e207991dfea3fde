"""store.js follow-through records in Debian's Chromium: the upgrade to database version 2 keeps every plan, a
check-in and the plan's change are one write, undo takes back exactly the last check-in, two tabs hear of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.snippets import READY

pytestmark = pytest.mark.e2e

MODULE_URL = """(name) => performance.getEntriesByType("resource").map((e) => e.name)
  .find((u) => new RegExp(`/${name}(\\\\.[0-9a-f]+)?\\\\.js$`).test(u))"""

PLAN_ID = "5e0c7a10-0000-4000-8000-00000000c001"
ITEM = "00000000-0000-4000-8000-0000000000a1"
OTHER = "00000000-0000-4000-8000-0000000000a2"
ROME = {"date": "2026-05-10", "time": "19:00", "tz": "Europe/Rome"}


def plan(revision: int = 2, **done: bool) -> dict[str, Any]:
    return {"format": "passo-plan", "format_version": 1, "schema": "smart-action-plan", "schema_version": 3,
            "id": PLAN_ID, "revision": revision, "created": "2026-05-01T08:00:00Z",
            "updated": "2026-05-02T08:00:00Z", "lang": "en",
            "data": {"goal": {"what": "Open the shop"}, "actions": [
                {"id": ITEM, "what": "Call the printer", "when": ROME, "done": done.get("a1", False)},
                {"id": OTHER, "what": "Book the room", "when": {"date": "2026-05-12", "tz": "Europe/Rome"}},
            ]}}


# A database as version 1 of the app left it: plans and meta only.
MAKE_V1 = """async (plans) => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo", 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore("plans", {keyPath: "id"}).createIndex("updated", "updated");
      r.result.createObjectStore("meta");
    };
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  await new Promise((ok, no) => {
    const tx = db.transaction(["plans", "meta"], "readwrite");
    for (const p of plans) tx.objectStore("plans").put(p);
    tx.objectStore("meta").put("2026-05-02T08:00:00Z", "lastChange");
    tx.oncomplete = ok; tx.onerror = () => no(tx.error);
  });
  db.close();
}"""

RAW = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const all = (name) => new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll();
    r.onsuccess = () => ok(r.result); });
  const out = {version: db.version, stores: [...db.objectStoreNames], plans: await all("plans"),
    checkins: db.objectStoreNames.contains("checkins") ? await all("checkins") : null};
  db.close();
  return out;
}"""


def store(page: Page, body: str, arg: Any = None) -> Any:
    """Run `body` (an async function of (s, arg), s being the app's store module) in the page."""
    url = page.evaluate(MODULE_URL, "store")
    assert url, "store.js is not loaded on this page"
    return page.evaluate(f"async ([url, arg]) => {{ const s = await import(url); return ({body})(s, arg); }}",
                         [url, arg])


def open_plans(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}en/plans/")
    page.wait_for_selector("html[data-plans-ready]")


def test_upgrade_from_version_1_keeps_every_plan(page: Page, site_url: str, watch: Any) -> None:
    page.goto(f"{site_url}en/privacy/")  # no store on this page: the test makes the version 1 database itself
    page.evaluate(MAKE_V1, [plan(), {**plan(), "id": "5e0c7a10-0000-4000-8000-00000000c002"}])
    open_plans(page, site_url)
    raw = page.evaluate(RAW)
    assert raw["version"] == 3
    assert sorted(raw["stores"]) == ["checkins", "coach-notes", "meta", "plans", "reviews", "shared"]
    assert sorted(p["id"] for p in raw["plans"]) == [PLAN_ID, "5e0c7a10-0000-4000-8000-00000000c002"]
    assert raw["plans"][0]["data"] == plan()["data"] or raw["plans"][1]["data"] == plan()["data"]
    assert raw["checkins"] == []
    assert page.locator("#plan-list > li").count() == 2
    assert store(page, "(s) => s.listCheckins('" + PLAN_ID + "')") == []


def test_checkin_with_its_change_is_one_write_and_undo_restores_only_that(page: Page, site_url: str,
                                                                          watch: Any) -> None:
    open_plans(page, site_url)
    store(page, "(s, p) => s.putPlans([p])", plan())
    events = page.evaluate("""() => { window.__events = [];
      addEventListener("passo:plans-changed", (e) => window.__events.push(e.detail)); }""")
    assert events is None
    result = store(page, """async (s, [id, item]) => {
      const p = await s.getPlan(id);
      return s.recordCheckin(p, {item, outcome: "done", note: "Called at lunch", commitment: 9},
        [{pointer: "/actions/0/done", value: true}]);
    }""", [PLAN_ID, ITEM])
    assert result["plan"]["revision"] == 3 and result["plan"]["data"]["actions"][0]["done"] is True
    checkin = result["checkin"]
    assert set(checkin) == {"item", "at", "outcome", "note", "commitment", "from", "to", "plan_b"}
    assert (checkin["outcome"], checkin["note"], checkin["commitment"], checkin["from"], checkin["plan_b"]) == (
        "done", "Called at lunch", 9, None, False)
    # A move of the other item, keeping where it came from.
    moved_to = {"date": "2026-05-19", "tz": "America/New_York"}
    store(page, """async (s, [id, item, to]) => {
      const p = await s.getPlan(id);
      return s.recordCheckin(p, {item, outcome: "moved", from: p.data.actions[1].when, to},
        [{pointer: "/actions/1/when", value: to}]);
    }""", [PLAN_ID, OTHER, moved_to])
    listed = store(page, "(s, id) => s.listCheckins(id)", PLAN_ID)
    assert [c["outcome"] for c in listed] == ["done", "moved"]
    assert listed[1]["from"] == {"date": "2026-05-12", "tz": "Europe/Rome"} and listed[1]["to"] == moved_to
    everything = store(page, "async (s) => [...(await s.listAllCheckins()).entries()]")
    assert everything == [[PLAN_ID, listed]]
    assert [e.get("checkins") for e in page.evaluate("window.__events")] == [True, True]

    # Undo takes back the move only: the item's date returns, the done check-in and its tick stay.
    undone = store(page, "(s, id) => s.undoCheckin(id)", PLAN_ID)
    assert undone["checkin"]["outcome"] == "moved"
    raw = page.evaluate(RAW)
    (stored,) = raw["plans"]
    assert stored["revision"] == 5
    assert stored["data"]["actions"][1]["when"] == {"date": "2026-05-12", "tz": "Europe/Rome"}
    assert stored["data"]["actions"][0]["done"] is True
    assert [c["outcome"] for c in raw["checkins"]] == ["done"]
    # Undo of a check-in that is no longer the latest changes nothing.
    assert store(page, "(s, id) => s.undoCheckin(id, 999999)", PLAN_ID) is None
    store(page, "(s, id) => s.undoCheckin(id)", PLAN_ID)
    raw = page.evaluate(RAW)
    assert raw["checkins"] == [] and raw["plans"][0]["data"]["actions"][0].get("done") is False


def test_two_tabs_checking_in_the_same_item_keep_both_and_the_later_wins(page: Page, site_url: str,
                                                                         watch: Any) -> None:
    open_plans(page, site_url)
    store(page, "(s, p) => s.putPlans([p])", plan())
    other = page.context.new_page()
    open_plans(other, site_url)
    store(other, """(s) => { window.__heard = []; s.onPlansChanged((m) => window.__heard.push(m)); }""")
    stale = store(page, "(s, id) => s.getPlan(id)", PLAN_ID)
    # Both tabs start from the same revision; this one marks it done, the other one (later) moves it.
    store(page, """(s, [p, item]) => s.recordCheckin(p, {item, outcome: "done"},
      [{pointer: "/actions/0/done", value: true}])""", [stale, ITEM])
    to = {"date": "2026-05-30", "time": "08:00", "tz": "Europe/Rome"}
    store(other, """(s, [p, item, to]) => s.recordCheckin(p, {item, outcome: "moved", from: p.data.actions[0].when,
      to}, [{pointer: "/actions/0/when", value: to}])""", [stale, ITEM, to])
    final = store(page, "(s, id) => s.getPlan(id)", PLAN_ID)
    assert final["revision"] == 4
    assert final["data"]["actions"][0]["done"] is True and final["data"]["actions"][0]["when"] == to
    assert [c["outcome"] for c in store(page, "(s, id) => s.listCheckins(id)", PLAN_ID)] == ["done", "moved"]
    # The other tab heard of this tab's check-in (its own arrives as a window event, not on the channel).
    other.wait_for_function("() => window.__heard.length === 1")
    assert other.evaluate("window.__heard") == [{"id": PLAN_ID, "revision": 3, "deleted": False, "checkins": True}]
    other.close()


def test_deleting_a_plan_takes_its_checkins_and_undo_brings_them_back(page: Page, site_url: str,
                                                                      watch: Any) -> None:
    open_plans(page, site_url)
    store(page, "(s, p) => s.putPlans([p])", {**plan(), "checkins": [
        {"item": ITEM, "at": "2026-05-10T18:00:00Z", "outcome": "partly", "note": "Half", "commitment": 7,
         "from": None, "to": None, "plan_b": False}]})
    assert len(store(page, "(s, id) => s.listCheckins(id)", PLAN_ID)) == 1
    old = store(page, "(s, id) => s.deletePlan(id)", PLAN_ID)
    assert page.evaluate(RAW)["checkins"] == []
    store(page, "(s, p) => s.putPlans([p])", old)
    assert [c["note"] for c in store(page, "(s, id) => s.listCheckins(id)", PLAN_ID)] == ["Half"]
    # A plan put without `checkins` (a version 1 import) keeps the check-ins it has.
    store(page, "(s, p) => s.putPlans([p])", plan(revision=9))
    assert len(store(page, "(s, id) => s.listCheckins(id)", PLAN_ID)) == 1


def test_reviews_are_saved_and_listed(page: Page, site_url: str, watch: Any) -> None:
    open_plans(page, site_url)
    page.evaluate("""() => { window.__reviews = [];
      addEventListener("passo:reviews-changed", (e) => window.__reviews.push(e.detail.id)); }""")
    review = {"id": "r1", "from": "2026-05-01", "to": "2026-05-14", "answers": {"well": "Calls"}}
    store(page, "(s, r) => s.saveReview(r)", review)
    store(page, "(s, r) => s.saveReview(r)", {**review, "id": "r0"})
    assert [r["id"] for r in store(page, "(s) => s.listReviews()")] == ["r0", "r1"]
    assert page.evaluate("window.__reviews") == ["r1", "r0"]


def import_text(page: Page, doc: dict[str, Any]) -> str:
    page.wait_for_function(READY)  # the Import button is bound once the export controls are ready
    page.set_input_files("input[type=file][data-import]", files=[
        {"name": "plan.json", "mimeType": "application/json", "buffer": json.dumps(doc).encode()}])
    done = ".import-status:has-text('Import done'), .import-errors li"
    page.locator(done).first.wait_for()
    errors = page.locator(".import-errors")
    return errors.inner_text() if errors.locator("li").count() else page.locator(".import-status").inner_text()


def test_import_writes_checkins_with_their_plan_and_refuses_bad_ones(page: Page, site_url: str,
                                                                     watch: Any) -> None:
    open_plans(page, site_url)
    good = {"item": ITEM, "at": "2026-05-10T18:00:00Z", "outcome": "done", "note": "Called", "commitment": 9,
            "from": None, "to": None, "plan_b": False}
    bad = {**good, "item": "00000000-0000-4000-8000-0000000000ff"}
    message = import_text(page, {**plan(), "format_version": 2, "checkins": [good, bad]})
    assert "Nothing was imported" in message
    assert "Plan “Open the shop”, check-in 2: it names an item the plan does not have" in message
    assert page.evaluate(RAW)["plans"] == [] and page.evaluate(RAW)["checkins"] == []
    assert import_text(page, {**plan(), "format_version": 2, "checkins": [good]}).startswith("Import done. Added: 1.")
    assert store(page, "(s, id) => s.listCheckins(id)", PLAN_ID) == [good]
    # Exported again, the plan file carries them.
    with page.expect_download() as info:
        page.get_by_role("button", name="Back up all plans").click()
    backup = json.loads(Path(info.value.path()).read_text())
    assert backup["format_version"] == 3 and backup["plans"][0]["checkins"] == [good]
