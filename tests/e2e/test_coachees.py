"""The coach's desk in Debian's Chromium on a Pixel 7: two coachees share from their own phones (one renames herself
between two shares), three more shares arrive as files; the coach, on a fixed clock in another zone, reads the
coachees page (columns, "needs attention" and why), sorts and filters it, prepares a session, writes notes that
never leave the device unless a backup is told to carry them, exports the CSV, and deletes a coachee."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.snippets import ALL_STORES, PUT_PLANS_AND_META
from tests.e2e.test_share import import_share, open_plans, plan, share_from_plan_page
from tests.e2e.test_shell import build_under_sub_path

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
COACH_TZ = "America/New_York"
CY = "c1c1c1c1-0000-4000-8000-00000000000c"
EVE = "e1e1e1e1-0000-4000-8000-00000000000e"
CALL = "0e9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5c"
WALK = "0f9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5d"
MARK = "ONLY-THE-COACH-7f3a"


def share(coachee: str | None, frm: str, shared: str, plans: list[dict[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "passo-share", "format_version": 2 if coachee else 1, "shared": shared}
    if coachee:
        doc["coachee"] = coachee
    return {**doc, "from": frm, "lang": "en", "plans": plans}


def shared_plan(pid: str, revision: int, what: str, actions: list[dict[str, Any]],
                checkins: list[dict[str, Any]], goal: dict[str, Any] | None = None,
                measurements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"goal": {"what": what, **(goal or {})}}
    if actions:
        data["actions"] = actions
    plan = {"schema": "smart-action-plan", "schema_version": 4, "id": pid, "revision": revision,
            "updated": "2026-11-01T10:00:00Z", "data": data, "checkins": checkins}
    return {**plan, "measurements": measurements} if measurements is not None else plan


def cy_shares() -> tuple[dict[str, Any], dict[str, Any]]:
    """Cy: an action overdue since 25 November in Tokyo, not done twice, the commitment falling from 8 to 5."""
    action = {"id": CALL, "what": "Call the client back", "commitment": 8,
              "when": {"date": "2026-11-25", "tz": "Asia/Tokyo"}}
    first = share(CY, "Cy", "2026-11-22T09:00:00Z",
                  [shared_plan("cy-plan-0000-4000-8000-000000000001", 1, "Keep my clients", [action], [])])
    checkins = [{"item": CALL, "at": "2026-11-26T09:00:00Z", "outcome": "not-done", "commitment": 8,
                 "note": "The launch ate the week"},
                {"item": CALL, "at": "2026-11-30T09:00:00Z", "outcome": "not-done", "commitment": 5,
                 "note": "Too busy with the launch"}]
    second = share(CY, "Cy", "2026-12-09T09:00:00Z",
                   [shared_plan("cy-plan-0000-4000-8000-000000000001", 2, "Keep my clients", [action], checkins)])
    return first, second


def other_shares() -> list[dict[str, Any]]:
    dee = share(None, "Dee", "2026-10-20T09:00:00Z",  # a version 1 share: grouped by name; silent for 51 days
                [shared_plan("dee-plan-0000-4000-8000-000000000001", 3, "Run the team meeting", [], [])])
    walk = {"id": WALK, "what": "Walk at lunch", "commitment": 9,
            "when": {"date": "2026-12-01", "tz": "Europe/Rome", "repeat": {"freq": "daily", "until": "2026-12-05"}}}
    # Eve's measure: 4,000 to 8,000 steps from 1 December (her first record) to 31 January; 4,300 on 4 December
    # is within 5% of the distance (200 steps) of the path's 4,197: on it.
    steps = {"metric": "Steps a day", "baseline": 4000, "target": 8000, "deadline": "2027-01-31"}
    eve = share(EVE, "Eve", "2026-12-05T09:00:00Z", [shared_plan(
        "eve-plan-0000-4000-8000-000000000001", 6, "Move every day", [walk],
        [{"item": WALK, "at": "2026-12-01T18:00:00Z", "outcome": "done", "occurrence": "2026-12-01"},
         {"item": WALK, "at": "2026-12-02T18:00:00Z", "outcome": "skipped", "occurrence": "2026-12-02"},
         {"item": WALK, "at": "2026-12-03T18:00:00Z", "outcome": "skipped", "occurrence": "2026-12-03"}],
        goal=steps, measurements=[{"group": "/goal", "at": "2026-12-04T18:00:00Z", "value": 4300}])])
    return [dee, eve]


@pytest.fixture
def three(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[tuple[Page, Page, Page]]:
    """Two coachees' phones and the coach's, in New York: three browsers that share nothing but files."""
    contexts: list[BrowserContext] = [browser.new_context(**browser_context_args) for _ in range(2)]
    contexts.append(browser.new_context(**{**browser_context_args, "timezone_id": COACH_TZ}))
    try:
        yield contexts[0].new_page(), contexts[1].new_page(), contexts[2].new_page()
    finally:
        for c in contexts:
            c.close()


ANN_PLAN = "a0a0a0a0-0000-4000-8000-000000000001"
BO_PLAN = "b0b0b0b0-0000-4000-8000-000000000001"
OWN_PLAN = "d0d0d0d0-0000-4000-8000-000000000001"


def share_from_page(page: Page, site_url: str, pid: str, name: str) -> dict[str, Any]:
    return share_from_plan_page(page, site_url, name, pid)


def own_plan(pid: str, what: str, revision: int, commitment: int) -> dict[str, Any]:
    p = plan(revision=revision, what=what, pid=pid)
    p["data"]["actions"][0].update(commitment=commitment, when={"date": "2026-12-20", "tz": "Europe/Rome"})
    return p


def coachee_shares(page: Page, site_url: str, when: datetime, name: str, pid: str, what: str,
                   revision: int) -> dict[str, Any]:
    open_plans(page, site_url)
    page.evaluate(PUT_PLANS_AND_META, [[own_plan(pid, what, revision, 8)], {}])
    page.clock.set_fixed_time(when)
    return share_from_page(page, site_url, pid, name)


def open_desk(page: Page, site_url: str, query: str = "") -> None:
    page.goto(f"{site_url}en/coachees/{query}")
    page.wait_for_selector("#coachees[data-ready]", state="attached")


def column(page: Page, key: str) -> list[str]:
    return page.locator(f"#coachees-table tbody [data-column='{key}']").all_inner_texts()


def row(page: Page, name: str) -> Any:
    return page.locator("#coachees-table tbody tr", has=page.locator("th a", has_text=name))


def desk_with_five(three: tuple[Page, Page, Page], site_url: str) -> Page:
    ann, bo, coach = three
    ann_share = coachee_shares(ann, site_url, datetime(2026, 12, 8, 9, 0, tzinfo=UTC), "Ann", ANN_PLAN, "Speak up", 3)
    bo_first = coachee_shares(bo, site_url, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "Bo", BO_PLAN,
                              "Lead the stand-up", 3)
    bo_second = coachee_shares(bo, site_url, datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "Bobbie", BO_PLAN,
                               "Lead the stand-up", 4)
    # Each device made its coachee key once and put it in every share.
    assert ann_share["format_version"] == 2 and bo_first["coachee"] == bo_second["coachee"] != ann_share["coachee"]
    assert re.fullmatch(r"[0-9a-f-]{36}", ann_share["coachee"])

    open_plans(coach, site_url)
    nav = coach.locator(".site-nav").get_by_role("link", name="Coachees")
    expect(nav).to_be_hidden()  # a device without shares looks as it always did
    cy_first, cy_second = cy_shares()
    for doc in (ann_share, bo_first, cy_first, cy_second, *other_shares()):
        assert import_share(coach, doc).startswith("Shared plans received"), doc["from"]
    renamed = import_share(coach, bo_second)
    assert ("This share comes from the coachee you know as “Bo”, now named “Bobbie”: shown as one coachee, with "
            "both names.") in renamed
    open_plans(coach, site_url)
    expect(nav).to_be_visible()
    coach.clock.set_fixed_time(NOW)
    open_desk(coach, site_url)
    return coach


def test_the_desk_columns_reasons_sorting_filtering_and_csv(three: tuple[Page, Page, Page], site_url: str) -> None:
    coach = desk_with_five(three, site_url)
    expect(coach.locator(".site-nav [aria-current='page']")).to_have_text("Coachees")
    expect(coach.locator("#coachees-table tbody tr")).to_have_count(5)
    assert column(coach, "name") == ["Ann", "Bobbie (also shared as Bo)", "Cy", "Dee", "Eve"]
    expect(coach.locator("#coachees-count")).to_have_text("5 coachees · 2 need attention")
    cy = row(coach, "Cy")
    expect(cy.locator("[data-column='overdue']")).to_have_text("1")
    expect(cy.locator("[data-column='notDone']")).to_have_text("2")
    expect(cy.locator("[data-column='commitment']")).to_have_text("5 of 10, falling (was 8)")
    # Overdue since the end of 25 November in Tokyo: 15 days at noon UTC on 10 December.
    expect(cy.locator("[data-column='attention'] li")).to_have_text(
        ["1 item overdue, the oldest by 15 days", "commitment at 5, under 7"])
    expect(row(coach, "Dee").locator("[data-column='attention'] li")).to_have_text(
        ["no share for 51 days (agreed: every 30 days)"])
    eve = row(coach, "Eve")
    expect(eve.locator("[data-column='onTime']")).to_have_text("1")
    expect(eve.locator("[data-column='skipped']")).to_have_text("2")
    # Her daily walk's 4 and 5 December have no check-in: two missed, the oldest 6 days ago (not yet a reason).
    expect(eve.locator("[data-column='overdue']")).to_have_text("2")
    expect(eve.locator("[data-column='attention']")).to_have_text("No")
    expect(eve.locator("[data-column='measure']")).to_have_text("on its path")
    expect(row(coach, "Ann").locator("[data-column='commitment']")).to_have_text("8 of 10")

    # Sorting: a button in each heading, the state said by aria-sort.
    head = coach.locator("#coachees-table thead")
    expect(head.locator("th[aria-sort]")).to_have_attribute("data-column", "name")
    head.get_by_role("button", name="Coachee").click()
    expect(head.locator("th[data-column='name']")).to_have_attribute("aria-sort", "descending")
    assert column(coach, "name")[0] == "Eve"
    head.get_by_role("button", name="Latest share").click()
    expect(head.locator("th[data-column='latest']")).to_have_attribute("aria-sort", "ascending")
    expect(head.locator("th[aria-sort]")).to_have_count(1)
    assert column(coach, "name") == ["Dee", "Bobbie (also shared as Bo)", "Eve", "Ann", "Cy"]
    head.get_by_role("button", name="Needs attention").click()
    assert column(coach, "name")[0] in ("Cy", "Dee")

    coach.get_by_label("Only those who need attention").check()
    expect(coach.locator("#coachees-table tbody tr")).to_have_count(2)
    assert sorted(column(coach, "name")) == ["Cy", "Dee"]
    expect(coach.locator("#coachees-count")).to_have_text("5 coachees · 2 need attention · 2 shown")
    coach.get_by_label("Only those who need attention").uncheck()
    coach.get_by_label("Search names, plans and your notes").fill("stand-up")
    assert column(coach, "name") == ["Bobbie (also shared as Bo)"]
    coach.get_by_label("Search names, plans and your notes").fill("")

    # On paper: the table alone.
    coach.emulate_media(media="print")
    expect(coach.locator(".coachees-tools")).to_be_hidden()
    expect(coach.locator(".site-header")).to_be_hidden()
    expect(coach.locator("#coachees-table tbody tr")).to_have_count(5)
    coach.emulate_media(media="screen")

    # The CSV: every row shown, the columns shown, read back by Python's csv module.
    with coach.expect_download() as info:
        coach.get_by_role("button", name="Export CSV").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == ["Coachee", "Latest share", "Plans", "Overdue", "Done on time", "Done late", "Not done",
                        "Skipped", "Commitment", "Measure", "Next review", "Needs attention"]
    by_name = {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert len(by_name) == 5
    assert by_name["Cy"]["Commitment"] == "5 of 10, falling (was 8)"
    assert by_name["Cy"]["Needs attention"] == "1 item overdue, the oldest by 15 days; commitment at 5, under 7"
    assert by_name["Eve"]["Skipped"] == "2" and by_name["Cy"]["Plans"] == "Keep my clients"

    # Eve's page draws her measure's chart, as her own plan page does.
    row(coach, "Eve").locator("th a").click()
    coach.wait_for_selector("#coachees[data-ready]", state="attached")
    expect(coach.locator(".coachee-measure svg")).to_be_visible()
    expect(coach.locator(".coachee-measure .measure-standing")).to_contain_text("On the path")
    # Her daily walk fell due as a rule with its missed days, and the question asks about the oldest of them.
    expect(coach.locator(".coachee-due > li").first).to_have_text(re.compile(
        r"^Walk at lunch · Every day, until December 5 · 2 missed: Fri, Sat"))
    expect(coach.locator(".coachee-questions li")).to_contain_text(
        ["“Walk at lunch” was due on Dec 4, 2026. Where does it stand for you now?"])
    coach.go_back()
    coach.wait_for_selector("#coachees[data-ready]", state="attached")

    # One coachee under two names: one page, both names, and why.
    row(coach, "Bobbie").locator("th a").click()
    coach.wait_for_selector("#coachees[data-ready]", state="attached")
    expect(coach.locator("h1")).to_have_text("Bobbie (also shared as Bo)")
    expect(coach.locator(".coachee-names")).to_have_text(
        "Shared under more than one name (Bo, Bobbie): the same coachee, since every share carries the same coachee "
        "key.")


def test_session_preparation_notes_kept_home_and_delete(three: tuple[Page, Page, Page], site_url: str) -> None:
    coach = desk_with_five(three, site_url)
    row(coach, "Cy").locator("th a").click()
    coach.wait_for_selector("#coachees[data-ready]", state="attached")
    assert coach.url.endswith(f"?id={CY}")
    expect(coach.locator("h1")).to_have_text("Cy")
    expect(coach.locator(".coachee-attention li")).to_have_text(
        ["1 item overdue, the oldest by 15 days", "commitment at 5, under 7"])
    questions = coach.locator(".coachee-questions li")
    expect(questions.first).to_have_text("“Call the client back” was not done 2 times. What got in the way each "
                                         "time, and what do you make of it?")
    expect(questions).to_contain_text(["Your commitment to “Call the client back” went from 8 to 5. What changed?"])
    for q in questions.all_inner_texts():
        assert q.endswith("?"), q
    plan_section = coach.locator(".coachee-plan-0")
    expect(plan_section.locator(".coachee-due > li")).to_have_text(re.compile("Call the client back .* overdue"))
    expect(plan_section.locator(".coachee-their-notes")).to_contain_text("Too busy with the launch")
    expect(plan_section.locator(".shared-diff")).to_contain_text("Revision 1")

    # The coach's own notes: "Only you", saved as typed.
    note = coach.get_by_label("Your notes on Cy")
    expect(coach.locator(".coachee-notes .who")).to_have_text("Only you")
    note.fill(f"{MARK} ask about the launch")
    expect(coach.locator(".coachee-notes .coach-note-status")).to_have_text("Saved on this device.")
    plan_note = coach.get_by_label("Your notes on “Keep my clients”")
    plan_note.fill(f"{MARK} plan")
    expect(plan_section.locator(".coach-note-status")).to_have_text("Saved on this device.")
    coach.reload()
    coach.wait_for_selector("#coachees[data-ready]", state="attached")
    expect(coach.get_by_label("Your notes on Cy")).to_have_value(f"{MARK} ask about the launch")
    stored = coach.evaluate(ALL_STORES)
    assert stored["version"] == 3 and sorted(n["text"] for n in stored["coach-notes"]) == [
        f"{MARK} ask about the launch", f"{MARK} plan"]

    # Searchable on the coachees page.
    open_desk(coach, site_url)
    coach.get_by_label("Search names, plans and your notes").fill("launch")
    assert column(coach, "name") == ["Cy"]

    # Kept out of every export, byte by byte: the CSV, the backup (unless ticked), a plan file and a share.
    exports: dict[str, bytes] = {}
    with coach.expect_download() as info:
        coach.get_by_role("button", name="Export CSV").click()
    exports["csv"] = Path(info.value.path()).read_bytes()
    coach.evaluate(PUT_PLANS_AND_META, [[own_plan(OWN_PLAN, "The coach's own plan", 2, 9)], {}])
    open_plans(coach, site_url)
    notes_box = coach.get_by_label("Include my notes on coachees (only you see them)")
    expect(notes_box).to_be_visible()
    for label, shared_box, with_notes in (("backup", False, False), ("backup+shared", True, False),
                                          ("backup+notes", True, True)):
        coach.get_by_label("Include plans shared with me").set_checked(shared_box)
        notes_box.set_checked(with_notes)
        with coach.expect_download() as info:
            coach.get_by_role("button", name="Back up all plans").click()
        exports[label] = Path(info.value.path()).read_bytes()
    exports["share"] = json.dumps(share_from_page(coach, site_url, OWN_PLAN, "Coach")).encode()
    coach.goto(f"{site_url}en/plans/smart-action-plan/?id={OWN_PLAN}")
    coach.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    with coach.expect_download() as info:
        coach.get_by_role("button", name="Export JSON").click()
    exports["plan"] = Path(info.value.path()).read_bytes()
    for label, data in exports.items():
        assert (MARK.encode() in data) == (label == "backup+notes"), label
    with_notes = json.loads(exports["backup+notes"])
    assert sorted(n["text"] for n in with_notes["coach_notes"]) == [f"{MARK} ask about the launch", f"{MARK} plan"]

    # Deleting Cy: the confirmation says what goes; their shares and the notes go, no one else's.
    open_desk(coach, site_url, f"?id={CY}")
    coach.get_by_role("button", name="Delete this coachee").click()
    dialog = coach.locator("#coachee-delete")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Delete Cy?")
    expect(dialog).to_contain_text("This removes from this device 1 shared plan (Keep my clients) and 2 of your "
                                   "notes on them.")
    dialog.get_by_role("button", name="Delete").click()
    expect(coach.locator(".coachee-deleted")).to_have_text("Deleted Cy: 1 shared plan and 2 of your notes.")
    stored = coach.evaluate(ALL_STORES)
    assert stored["coach-notes"] == [] and CY not in json.dumps(stored["shared"])
    assert len(stored["shared"]) == 4
    # The backup with notes restores them (and Cy's plan), as the coach kept them.
    open_plans(coach, site_url)
    coach.set_input_files("input[type=file][data-import]", files=[
        {"name": "backup.json", "mimeType": "application/json", "buffer": exports["backup+notes"]}])
    expect(coach.locator(".import-status")).to_contain_text("Import done.")
    stored = coach.evaluate(ALL_STORES)
    assert len(stored["coach-notes"]) == 2 and len(stored["shared"]) == 5


def bad(doc: dict[str, Any], change: Any) -> bytes:
    out = copy.deepcopy(doc)
    change(out)
    return json.dumps(out).encode()


def test_bad_shares_name_the_file_and_change_nothing(page: Page, site_url: str) -> None:
    open_plans(page, site_url)
    _, good = cy_shares()
    before = page.evaluate(ALL_STORES)

    def send(name: str, data: bytes) -> str:
        page.locator(".import-status").evaluate("(e) => { e.textContent = ''; }")
        page.set_input_files("input[type=file][data-import]",
                             files=[{"name": name, "mimeType": "application/json", "buffer": data}])
        page.wait_for_function("""() => document.querySelector('.import-errors li')
          || /[^…]$/.test(document.querySelector('.import-status').textContent)""")
        return page.locator(".import-errors").inner_text() or page.locator(".import-status").inner_text()

    refused = {
        "not-a-key.json": (bad(good, lambda d: d.update(coachee="cy")),
                           "“not-a-key.json”: This share's coachee key is not valid (it must be a UUID)."),
        "too-many.json": (bad(good, lambda d: d.update(plans=[{**d["plans"][0], "id": f"p{i}"} for i in range(501)])),
                          "“too-many.json”: This share holds 501 plans; at most 500 are accepted."),
    }
    for name, (data, message) in refused.items():
        text = send(name, data)
        assert text.startswith("Nothing was imported") and message in text, text
        assert page.evaluate(ALL_STORES) == before
    # An answer the coach may not see is dropped, and the coach is told which, in which plan and file.
    text = send("private.json", bad(good, lambda d: d["plans"][0]["data"]["actions"][0].update(matters="PRIVATE")))
    assert text.startswith("Shared plans received: 1 new")
    assert ("“private.json”: Keep my clients (Action plan): “Your actions › 1 › Why this action matters to me” is "
            "not shared with a coach, so it was left out.") in text
    assert "PRIVATE" not in json.dumps(page.evaluate(ALL_STORES))


# A database as version 2 of the app left it: plans, meta, shared plans, check-ins and reviews.
MAKE_V2 = """async ([plans, shared]) => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo", 2);
    r.onupgradeneeded = () => {
      const d = r.result;
      d.createObjectStore("plans", {keyPath: "id"}).createIndex("updated", "updated");
      d.createObjectStore("meta");
      d.createObjectStore("shared", {keyPath: "id"});
      d.createObjectStore("checkins", {keyPath: "seq", autoIncrement: true}).createIndex("plan", "plan");
      d.createObjectStore("reviews", {keyPath: "id"});
    };
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  await new Promise((ok, no) => {
    const tx = db.transaction(["plans", "shared", "checkins", "reviews"], "readwrite");
    for (const p of plans) tx.objectStore("plans").put(p);
    for (const s of shared) tx.objectStore("shared").put(s);
    tx.objectStore("checkins").add({plan: plans[0].id, item: "x", at: "2026-11-03T10:00:00Z", outcome: "done"});
    tx.objectStore("reviews").put({id: "r1", well: "kept"});
    tx.oncomplete = ok; tx.onerror = () => no(tx.error);
  });
  db.close();
}"""


def test_the_upgrade_to_version_3_keeps_everything_and_adds_the_notes_store(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}en/privacy/")  # no store on this page: the test makes the version 2 database itself
    mine = own_plan(OWN_PLAN, "Mine", 2, 9)
    theirs = {"id": "cy-plan", "schema": "smart-action-plan", "schema_version": 3, "revision": 2,
              "updated": "2026-11-01T10:00:00Z", "data": {"goal": {"what": "Theirs"}}, "checkins": [], "from": "Cy",
              "shared": "2026-11-20T10:00:00Z", "lang": "en", "received": "2026-11-20T10:00:00Z", "previous": None}
    page.evaluate(MAKE_V2, [[mine], [theirs]])
    before = page.evaluate(ALL_STORES)
    open_desk(page, site_url)
    after = page.evaluate(ALL_STORES)
    assert after["version"] == 3 and after["stores"] == sorted([*before["stores"], "coach-notes"])
    assert {k: after[k] for k in before["stores"]} == {k: before[k] for k in before["stores"]}
    assert after["coach-notes"] == []
    # A version 1 share (no key) shows under its "From" name.
    assert column(page, "name") == ["Cy"]


def test_the_desk_works_offline_under_a_sub_path(browser: Browser, browser_context_args: dict[str, Any], nginx: Any,
                                                 tmp_path: Path) -> None:
    """Served under /coaching/: the page, a coachee's page (?id= matched without its query) and the notes, offline."""
    url = nginx(build_under_sub_path(tmp_path), "/coaching/")
    context = browser.new_context(**{**browser_context_args, "service_workers": "allow"})
    try:
        page = context.new_page()
        open_plans(page, url)
        for doc in cy_shares():
            import_share(page, doc)
        page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                               timeout=60_000)
        page.wait_for_selector("html[data-offline='ready']", state="attached", timeout=60_000)
        context.set_offline(True)
        open_plans(page, url)
        nav = page.locator(".site-nav").get_by_role("link", name="Coachees")
        assert page.evaluate("(a) => a.href", nav.element_handle()) == f"{url}en/coachees/"
        nav.click()
        page.wait_for_selector("#coachees[data-ready]", state="attached")
        expect(page.locator("#coachees-table tbody tr")).to_have_count(1)
        page.locator("#coachees-table tbody th a").click()
        page.wait_for_selector("#coachees[data-ready]", state="attached")
        assert page.url == f"{url}en/coachees/?id={CY}"
        expect(page.locator("h1")).to_have_text("Cy")
        page.get_by_label("Your notes on Cy").fill("Written offline")
        expect(page.locator(".coachee-notes .coach-note-status")).to_have_text("Saved on this device.")
    finally:
        context.close()
