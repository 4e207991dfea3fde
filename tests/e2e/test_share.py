"""Share with my coach, in Debian's Chromium on a Pixel 7: the coachee shares, the coach imports it in another
browser, reads it read-only, gets a changed share and sees what changed; hostile shares; the coach's backups."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import REPO
from tests.e2e.snippets import PUT_PLANS_AND_META

pytestmark = pytest.mark.e2e

LANGUAGES: list[str] = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["languages"]
SECRET = "PRIVATE-"
PID = "5a5a5a5a-0000-4000-8000-000000000001"
ACTION = "0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b"

# Everything in the "shared" store, sorted by id, as stored.
GET_SHARED = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const out = {};
  for (const name of ["plans", "shared"]) {
    if (!db.objectStoreNames.contains(name)) { out[name] = null; continue; }
    out[name] = await new Promise((ok) => {
      const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result);
    });
  }
  db.close();
  return out;
}"""


def plan(revision: int = 3, what: str = "Speak at the all-hands", pid: str = PID) -> dict[str, Any]:
    """An action plan with answers at every level: sponsor, coach and coachee-only (the PRIVATE- ones)."""
    return {
        "format": "passo-plan", "format_version": 1, "schema": "smart-action-plan", "schema_version": 2, "id": pid,
        "revision": revision, "created": "2026-11-01T10:00:00Z", "updated": "2026-11-02T10:00:00Z", "lang": "en",
        "data": {
            "goal": {"what": what, "why": "To be heard", "metric": "talks given", "deadline": "2026-12-20"},
            "actions": [{"id": ACTION, "what": "Draft the slides", "steps": ["outline", "rehearse"],
                         "commitment": 5, "matters": f"{SECRET}matters", "planB": "Ask Sam",
                         "when": {"date": "2026-12-01", "time": "19:00", "tz": "Europe/Rome"}}],
        },
    }


@pytest.fixture
def two(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[tuple[Page, Page]]:
    """A coachee's phone and a coach's phone: two browsers that share nothing but files."""
    contexts: list[BrowserContext] = [browser.new_context(**browser_context_args) for _ in range(2)]
    try:
        yield contexts[0].new_page(), contexts[1].new_page()
    finally:
        for c in contexts:
            c.close()


def open_plans(page: Page, site_url: str, lang: str = "en") -> None:
    page.goto(f"{site_url}{lang}/plans/")
    page.wait_for_selector("[data-export-ui='backup'][data-export-ready]")
    page.wait_for_selector("#plans-shared[data-ready]", state="attached")


def seed(page: Page, site_url: str, plans: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> None:
    open_plans(page, site_url)  # the app creates the database first
    page.evaluate(PUT_PLANS_AND_META, [plans, meta or {}])
    open_plans(page, site_url)


def share_from_plan_page(page: Page, site_url: str, name: str | None = None, pid: str = PID) -> dict[str, Any]:
    page.goto(f"{site_url}en/plans/smart-action-plan/?id={pid}")
    page.wait_for_selector("[data-plan-page][data-ready]")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    page.get_by_role("button", name="Share with my coach").click()
    dialog = page.locator(".share-dialog")
    expect(dialog).to_be_visible()
    if name is not None:
        dialog.get_by_label(re.compile("^From")).fill(name)
    with page.expect_download() as info:
        dialog.get_by_role("button", name="Share", exact=True).click()
    expect(dialog.locator(".share-status")).to_have_text("Your share file is ready. Send it to your coach.")
    result: dict[str, Any] = json.loads(Path(info.value.path()).read_bytes())
    dialog.get_by_role("button", name="Close").click()
    return result


def import_share(page: Page, doc: dict[str, Any] | bytes) -> str:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    page.locator(".import-status").evaluate("(e) => { e.textContent = ''; }")
    page.set_input_files("input[type=file][data-import]",
                        files=[{"name": "share.json", "mimeType": "application/json", "buffer": data}])
    # Done once there are errors, or a status that is not "Checking the file…" (in any language, it ends in …).
    page.wait_for_function("""() => document.querySelector('.import-errors li')
      || /[^…]$/.test(document.querySelector('.import-status').textContent)""")
    errors = page.locator(".import-errors")
    return errors.inner_text() if errors.locator("li").count() else page.locator(".import-status").inner_text()


def test_share_import_read_only_then_a_changed_share_shows_the_diff(two: tuple[Page, Page], site_url: str) -> None:
    coachee, coach = two
    seed(coachee, site_url, [plan()])
    # The preview shows exactly what leaves: the coach's answers with their labels, never a private one.
    coachee.goto(f"{site_url}en/plans/smart-action-plan/?id={PID}")
    coachee.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    coachee.get_by_role("button", name="Share with my coach").click()
    preview = coachee.locator(".share-dialog .share-preview")
    expect(preview.locator("dt", has_text="Why does it matter to you?")).to_have_count(1)
    expect(preview.locator("dd", has_text="To be heard")).to_have_count(1)
    expect(preview).not_to_contain_text(SECRET)
    assert SECRET not in coachee.locator(".share-dialog .share-json").text_content()
    coachee.locator(".share-dialog").get_by_role("button", name="Close").click()

    first = share_from_plan_page(coachee, site_url, name="Alice")
    assert first["format"] == "passo-share" and first["from"] == "Alice"
    assert SECRET not in json.dumps(first)
    shared_plan = first["plans"][0]
    assert shared_plan["id"] == PID and shared_plan["revision"] == 3
    assert shared_plan["data"]["actions"][0]["id"] == ACTION, "item ids travel with the share"
    assert "matters" not in shared_plan["data"]["actions"][0]
    # The name is typed once: the next share offers it again.
    coachee.reload()
    coachee.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    coachee.get_by_role("button", name="Share with my coach").click()
    expect(coachee.locator(".share-dialog").get_by_label(re.compile("^From"))).to_have_value("Alice")

    open_plans(coach, site_url)
    assert import_share(coach, first) == ("Shared plans received: 1 new, 0 updated. They are under “Shared with "
                                          "me”.")
    shared = coach.locator("#plans-shared")
    expect(shared).to_be_visible()
    row = shared.locator("li.shared-plan")
    expect(row).to_have_count(1)
    expect(row.locator(".plan-meta")).to_contain_text("From Alice")
    expect(coach.locator("#plan-list li")).to_have_count(0)  # never among the coach's own plans

    # Read-only: the same form, filled in, nothing editable, nothing saved.
    row.locator("a.plan-open").click()
    coach.wait_for_selector("[data-plan-page][data-ready]")
    assert "shared=" in coach.url
    form = coach.locator("#plan-form")
    expect(form.locator("#f-goal-what")).to_have_value("Speak at the all-hands")
    expect(form.locator("#f-goal-why")).to_have_value("To be heard")
    for control in form.locator("input:not([type=hidden]), textarea, select, button").all():
        expect(control).to_be_disabled()
    for control in form.locator("input:not([type=hidden]):not([type=radio]):not([type=checkbox]), textarea").all():
        assert control.evaluate("(c) => c.readOnly")
    expect(coach.locator("[data-save-bar]")).to_be_hidden()
    expect(coach.locator(".shared-head")).to_contain_text("From Alice")
    form.locator("#f-goal-why").evaluate("(c) => { c.disabled = false; c.readOnly = false; }")
    form.locator("#f-goal-why").fill("typed by the coach")
    coach.wait_for_timeout(700)  # longer than the autosave's wait
    stores = coach.evaluate(GET_SHARED)
    assert stores["plans"] == [], "a shared plan never becomes one of the coach's own"
    assert stores["shared"][0]["data"]["goal"]["why"] == "To be heard"

    # The coachee changes the plan and shares again: the coach sees what changed.
    changed = plan(revision=5, what="Speak at two all-hands")
    changed["data"]["goal"].pop("why")
    changed["data"]["goal"]["target"] = 2
    changed["data"]["actions"].append({"id": "1d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b", "what": "Book the room"})
    coachee.evaluate(PUT_PLANS_AND_META, [[changed], {}])
    second = share_from_plan_page(coachee, site_url)
    assert second["from"] == "Alice" and second["plans"][0]["revision"] == 5

    open_plans(coach, site_url)
    assert import_share(coach, second).startswith("Shared plans received: 0 new, 1 updated.")
    expect(coach.locator("#plans-shared li.shared-plan .plan-note")).to_contain_text("revision 3 → 5")
    coach.locator("#plans-shared a.plan-open").click()
    coach.wait_for_selector("[data-plan-page][data-ready]")
    diff = coach.locator(".shared-diff")
    expect(diff).to_contain_text("Revision 3")
    changed_rows = diff.locator("h3:text-is('Changed') + dl")
    expect(changed_rows.locator("dt")).to_have_text(["Your goal › What result do you want?"])
    expect(changed_rows.locator("dd")).to_have_text(["Speak at the all-hands → Speak at two all-hands"])
    added = diff.locator("h3:text-is('Added') + dl dt")
    expect(added).to_have_text(["Your goal › Where do you want it to be?", "Your actions › 2 › What will you do?"])
    expect(diff.locator("h3:text-is('Removed') + dl dt")).to_have_text(["Your goal › Why does it matter to you?"])
    expect(coach.locator("#f-actions > [data-items] > li")).to_have_count(2)

    # The first share again (older) and the second again (equal): nothing changes, and the coach is told.
    open_plans(coach, site_url)
    before = coach.evaluate(GET_SHARED)
    assert "you already have a newer share (revision 5; this file has 3); nothing changed" in import_share(coach, first)
    assert "you already have this share (revision 5); nothing changed" in import_share(coach, second)
    assert coach.evaluate(GET_SHARED) == before

    # Deleting it leaves the coach's device as it was before the first share.
    coach.locator("#plans-shared").get_by_role("button", name=re.compile("^Delete")).click()
    expect(coach.locator("#shared-status")).to_contain_text("Deleted")
    expect(coach.locator("#plans-shared")).to_be_hidden()
    assert coach.evaluate(GET_SHARED) == {"plans": [], "shared": []}


def hostile_shares() -> list[tuple[str, bytes, str]]:
    good = {"format": "passo-share", "format_version": 1, "shared": "2026-11-20T10:00:00Z", "from": "Alice",
            "lang": "en", "plans": [{"schema": "smart-action-plan", "schema_version": 2, "id": PID, "revision": 3,
                                     "updated": "2026-11-02T10:00:00Z",
                                     "data": {"goal": {"what": "Speak"}, "actions": [{"id": ACTION, "what": "Draft"}]},
                                     "checkins": []}]}

    def with_(change: Any) -> bytes:
        doc = copy.deepcopy(good)
        change(doc)
        return json.dumps(doc).encode()

    return [
        ("a newer format", with_(lambda d: d.update(format_version=3)), "made by a newer version of Passo"),
        ("a version 2 share without a coachee key", with_(lambda d: d.update(format_version=2)),
         "“share.json”: This share's coachee key is not valid (it must be a UUID)."),
        ("no plans", with_(lambda d: d.update(plans=[])), "This share holds no plans."),
        ("an unknown form", with_(lambda d: d["plans"][0].update(schema="horoscope")), "no form called “horoscope”"),
        ("a check-in about nothing", with_(lambda d: d["plans"][0].update(checkins=[
            {"item": "nope", "at": "2026-11-03T10:00:00Z", "outcome": "done"}])),
         "check-in 1 names an item that is not in the plan"),
        ("a bad value", with_(lambda d: d["plans"][0]["data"]["goal"].update(deadline="soon")),
         "Your goal › By when?:"),
        ("__proto__", json.dumps(good).replace('"goal": {', '"goal": {"__proto__": {"x": 1}, ', 1).encode(),
         "“__proto__” at /plans/0/data/goal/__proto__ is not allowed"),
    ]


def test_answers_the_coach_may_not_see_are_left_out_and_said(page: Page, site_url: str) -> None:
    """A hand-edited share: the private answer and the unknown key never reach the store, the rest does."""
    seed(page, site_url, [])
    doc = json.loads(hostile_shares()[0][1])
    doc.update(format_version=1)
    doc["plans"][0]["data"]["actions"][0]["matters"] = f"{SECRET}matters"
    doc["plans"][0]["data"]["goal"]["mood"] = "sad"
    message = import_share(page, doc)
    assert message.startswith("Shared plans received: 1 new")
    assert ("“share.json”: Speak (Action plan): “Your goal › mood” is not shared with a coach, so it was left out."
            in message)
    assert ("“Your actions › 1 › Why this action matters to me” is not shared with a coach, so it was left out."
            in message)
    stored = page.evaluate(GET_SHARED)["shared"]
    assert SECRET not in json.dumps(stored) and "sad" not in json.dumps(stored)
    assert stored[0]["data"]["actions"] == [{"id": ACTION, "what": "Draft"}]


def test_hostile_shares_are_refused_and_change_nothing(page: Page, site_url: str) -> None:
    seed(page, site_url, [])
    for label, data, expected in hostile_shares():
        message = import_share(page, data)
        assert message.startswith("Nothing was imported, and your plans are unchanged:"), label
        assert expected in message, (label, message)
        assert page.evaluate(GET_SHARED) == {"plans": [], "shared": []}, label
    expect(page.locator("#plans-shared")).to_be_hidden()


def test_a_share_of_a_plan_with_the_id_of_the_coachs_own_never_touches_it(page: Page, site_url: str) -> None:
    own = plan(revision=9, what="The coach's own plan")
    seed(page, site_url, [own])
    share = {"format": "passo-share", "format_version": 1, "shared": "2026-11-20T10:00:00Z", "from": "",
             "lang": "en", "plans": [{"schema": "smart-action-plan", "schema_version": 2, "id": PID, "revision": 12,
                                      "updated": "2026-11-02T10:00:00Z", "data": {"goal": {"what": "Theirs"}}}]}
    assert import_share(page, share).startswith("Shared plans received: 1 new")
    stores = page.evaluate(GET_SHARED)
    assert stores["plans"] == [own]
    assert [s["data"] for s in stores["shared"]] == [{"goal": {"what": "Theirs"}}]
    expect(page.locator("#plans-shared .plan-meta")).to_contain_text("From someone who gave no name")
    expect(page.locator("#plan-list li")).to_have_count(1)


def backup(page: Page) -> dict[str, Any]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Back up all plans").click()
    result: dict[str, Any] = json.loads(Path(info.value.path()).read_bytes())
    return result


@pytest.mark.parametrize(("lang", "first", "second"), [
    ("it", "Piani condivisi ricevuti: 1 nuovo, 0 aggiornati.", "Piani condivisi ricevuti: 0 nuovi, 1 aggiornato."),
    ("sv", "Delade planer mottagna: 1 ny, 0 uppdaterade.", "Delade planer mottagna: 0 nya, 1 uppdaterad."),
])
def test_the_import_summary_agrees_with_each_count(page: Page, site_url: str, lang: str, first: str,
                                                   second: str) -> None:
    """Each count of the summary is a plural of its own: Italian says "1 nuovo" but "0 nuovi"."""
    open_plans(page, site_url, lang)
    assert import_share(page, share_doc(3, "Speak")).startswith(first)
    assert import_share(page, share_doc(5, "Speak twice")).startswith(second)


def test_shared_plans_enter_a_backup_only_when_chosen(page: Page, site_url: str) -> None:
    own = plan(pid="5a5a5a5a-0000-4000-8000-000000000002", what="Mine")
    seed(page, site_url, [own])
    box = page.get_by_label("Include plans shared with me")
    expect(box).to_be_hidden()  # nothing shared yet: no such choice
    share = {"format": "passo-share", "format_version": 1, "shared": "2026-11-20T10:00:00Z", "from": "Bo",
             "lang": "en", "plans": [{"schema": "smart-action-plan", "schema_version": 2, "id": PID, "revision": 2,
                                      "updated": "2026-11-02T10:00:00Z", "data": {"goal": {"what": "Theirs"}}}]}
    import_share(page, share)
    expect(box).to_be_visible()
    without = backup(page)
    assert [p["id"] for p in without["plans"]] == [own["id"]] and "shared" not in without
    box.check()
    with_shared = backup(page)
    assert [p["id"] for p in with_shared["plans"]] == [own["id"]]
    theirs = [(s["id"], s["from"], s["data"]) for s in with_shared["shared"]]
    assert theirs == [(PID, "Bo", {"goal": {"what": "Theirs"}})]
    # Restoring that backup brings the shared plan back, as shared, beside the coach's own.
    page.locator("#plans-shared").get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator("#plans-shared")).to_be_hidden()
    page.set_input_files("input[type=file][data-import]", files=[
        {"name": "backup.json", "mimeType": "application/json", "buffer": json.dumps(with_shared).encode()}])
    expect(page.locator(".import-status")).to_have_text("Import done. Added: 0. Updated: 0. Skipped: 1.")
    expect(page.locator("#plans-shared li.shared-plan")).to_have_count(1)
    stores = page.evaluate(GET_SHARED)
    assert [p["id"] for p in stores["plans"]] == [own["id"]]
    assert [(s["id"], s["from"], s["revision"]) for s in stores["shared"]] == [(PID, "Bo", 2)]
    # A backup whose shared part is not a share (here: a check-in about nothing) is refused whole.
    with_shared["shared"][0]["checkins"] = [{"item": "nope", "at": "2026-11-03T10:00:00Z", "outcome": "done"}]
    message = import_share(page, json.dumps(with_shared).encode())
    assert message.startswith("Nothing was imported") and "names an item that is not in the plan" in message
    assert page.evaluate(GET_SHARED) == stores


def share_doc(revision: int, what: str, checkins: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"goal": {"what": what, "why": "To be heard", "deadline": "2026-12-20"},
                            "actions": [{"id": ACTION, "what": "Draft the slides", "steps": ["outline"]}]}
    return {"format": "passo-share", "format_version": 1, "shared": f"2026-11-{10 + revision}T10:00:00Z",
            "from": "Alice", "lang": "en", "plans": [{
                "schema": "smart-action-plan", "schema_version": 2, "id": PID, "revision": revision,
                "updated": "2026-11-02T10:00:00Z", "data": data, "checkins": checkins or []}]}


def axe_clean(page: Page) -> None:
    result = Axe().run(page)
    assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_the_preview_the_inbox_and_the_diff(page: Page, site_url: str, lang: str,
                                                                 scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    seed(page, site_url, [plan()])
    page.goto(f"{site_url}{lang}/plans/smart-action-plan/?id={PID}")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    page.locator("[data-export='share']").click()
    expect(page.locator(".share-dialog .share-preview dt").first).to_be_visible()
    axe_clean(page)

    open_plans(page, site_url, lang)
    done = [{"item": ACTION, "at": "2026-11-12T18:00:00Z", "outcome": "partly", "note": "Half the slides"}]
    for doc in (share_doc(3, "Speak"), share_doc(5, "Speak twice", done)):
        import_share(page, doc)
    expect(page.locator("#plans-shared li.shared-plan .plan-note")).to_have_count(1)
    expect(page.locator("#plans-shared")).to_be_visible()
    axe_clean(page)

    page.locator("#plans-shared a.plan-open").click()
    page.wait_for_selector("[data-plan-page][data-ready]")
    expect(page.locator(".shared-diff ins").first).to_be_visible()
    expect(page.locator(".shared-checkins li")).to_contain_text("Half the slides")
    axe_clean(page)


def test_the_coach_reads_a_share_offline(page: Page, site_url: str) -> None:
    """Everything the inbox needs is precached: import and read with no network after the first visit."""
    open_plans(page, site_url)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=60_000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    try:
        open_plans(page, site_url)
        assert import_share(page, share_doc(3, "Offline talk")).startswith("Shared plans received: 1 new")
        page.locator("#plans-shared a.plan-open").click()
        page.wait_for_selector("[data-plan-page][data-ready]")
        expect(page.locator("#f-goal-what")).to_have_value("Offline talk")
        expect(page.locator("#f-goal-what")).to_be_disabled()
    finally:
        page.context.set_offline(False)


def test_shared_plans_stay_out_of_the_coachs_sponsor_report(page: Page, site_url: str) -> None:
    agreement = {**plan(pid="c0c0c0c0-0000-4000-8000-000000000001"), "schema": "coaching-agreement",
                 "schema_version": 1, "data": {"shares": ["goal", "actions"]}}
    seed(page, site_url, [agreement])
    import_share(page, share_doc(3, "Theirs"))
    expect(page.locator("#plans-shared li.shared-plan")).to_have_count(1)
    page.goto(f"{site_url}en/plans/coaching-agreement/?id={agreement['id']}")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    page.get_by_role("button", name="Sponsor report").click()
    picker = page.locator(".sponsor-dialog .sponsor-plans")
    expect(picker.locator("input")).to_have_count(1)  # the coach's own agreement, and nothing shared with them
    expect(page.locator(".sponsor-dialog")).not_to_contain_text("Theirs")
