"""Settings in Debian's Chromium (Pixel 7): storage status, backup reminder, Safari notes, erase this device."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.snippets import PUT_PLANS_AND_META as PUT_RAW

pytestmark = pytest.mark.e2e


COUNT_RAW = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes("passo")) return 0;
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  if (!db.objectStoreNames.contains("plans")) { db.close(); return 0; }
  const n = await new Promise((ok) => { const r = db.transaction("plans").objectStore("plans").count();
                                         r.onsuccess = () => ok(r.result); });
  db.close();
  return n;
}"""


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def plan(i: int, created: str) -> dict:
    return {"format": "passo-plan", "format_version": 1, "schema": "smart-action-plan", "schema_version": 1,
            "id": f"5e771465-0000-4000-8000-00000000000{i}", "revision": 1, "created": created,
            "updated": created, "lang": "en", "data": {}}


def open_settings(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}en/settings/")
    page.wait_for_selector("html[data-settings-ready]")


def seed(page: Page, site_url: str, plans: list[dict], meta: dict) -> None:
    open_settings(page, site_url)  # the app creates the database first
    page.evaluate(PUT_RAW, [plans, meta])
    page.reload()
    page.wait_for_selector("html[data-settings-ready]")


def axe_clean(page: Page) -> None:
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def test_empty_device_status_is_accessible(page: Page, site_url: str, watch) -> None:
    open_settings(page, site_url)
    expect(page.locator("#settings-count")).to_have_text("0 plans")
    expect(page.locator("#settings-last-backup")).to_have_text("Never")
    expect(page.locator("#settings-persisted")).to_have_text(re.compile(r"^(Yes|No)$"))
    # usage and quota in the page language, e.g. "12 kB of 10 GB available to this site"
    expect(page.locator("#settings-usage")).to_contain_text(" of ")
    expect(page.locator("#settings-reminder")).to_be_hidden()
    expect(page.locator("#settings-ios")).to_be_hidden()  # Chromium has no navigator.standalone
    axe_clean(page)


def test_backup_reminder_after_a_week_of_unsaved_changes(page: Page, site_url: str, watch) -> None:
    now = datetime.now(UTC)
    seed(page, site_url, [plan(1, iso(now - timedelta(days=30)))],
         {"lastBackup": iso(now - timedelta(days=10)), "lastChange": iso(now)})
    expect(page.locator("#settings-count")).to_have_text("1 plan")
    reminder = page.locator("#settings-reminder")
    expect(reminder).to_be_visible()
    expect(reminder).to_contain_text("more than a week")
    expected = page.evaluate("""(iso) => new Intl.DateTimeFormat("en", {dateStyle: "medium", timeStyle: "short"})
                                .format(new Date(iso))""", iso(now - timedelta(days=10)))
    expect(page.locator("#settings-last-backup")).to_have_text(expected)
    axe_clean(page)

    # a backup made on this page (the import/backup partial records it with setMeta) hides the reminder
    store = page.evaluate("""() => performance.getEntriesByType("resource").map((e) => e.name)
                             .find((u) => /\\/store(\\.[0-9a-f]+)?\\.js$/.test(u))""")
    page.evaluate("async ([u, when]) => (await import(u)).setMeta('lastBackup', when)", [store, iso(now)])
    expect(reminder).to_be_hidden()


def test_no_reminder_when_backed_up_recently(page: Page, site_url: str, watch) -> None:
    now = datetime.now(UTC)
    seed(page, site_url, [plan(1, iso(now - timedelta(days=30)))],
         {"lastBackup": iso(now - timedelta(days=3)), "lastChange": iso(now)})
    expect(page.locator("#settings-reminder")).to_be_hidden()


def test_never_backed_up_for_more_than_a_week_is_reminded(page: Page, site_url: str, watch) -> None:
    now = datetime.now(UTC)
    seed(page, site_url, [plan(1, iso(now - timedelta(days=9)))], {"lastChange": iso(now)})
    expect(page.locator("#settings-last-backup")).to_have_text("Never")
    expect(page.locator("#settings-reminder")).to_be_visible()


@pytest.mark.parametrize(("standalone", "shown", "hidden"), [
    ("false", "#settings-ios-tab", "#settings-ios-app"),
    ("true", "#settings-ios-app", "#settings-ios-tab"),
])
def test_safari_storage_notes(page: Page, site_url: str, watch, standalone: str, shown: str, hidden: str) -> None:
    # Safari on iOS is the only browser with navigator.standalone; emulate it.
    page.add_init_script(f"Object.defineProperty(Navigator.prototype, 'standalone', {{get: () => {standalone}}});")
    open_settings(page, site_url)
    expect(page.locator("#settings-ios")).to_be_visible()
    expect(page.locator(shown)).to_be_visible()
    expect(page.locator(hidden)).to_be_hidden()
    if standalone == "false":
        expect(page.locator(shown)).to_contain_text("7 days")
    axe_clean(page)


def test_erase_this_device_asks_first_and_other_tabs_follow(page: Page, site_url: str, watch) -> None:
    now = iso(datetime.now(UTC))
    seed(page, site_url, [plan(1, now), plan(2, now)], {"lastChange": now, "lastBackup": now})
    other = page.context.new_page()
    other.goto(f"{site_url}en/plans/")
    other.wait_for_selector("html[data-plans-ready]")
    expect(other.locator("#plan-list > li")).to_have_count(2)

    opener = page.get_by_role("button", name="Erase this device")
    opener.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    axe_clean(page)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    assert page.evaluate(COUNT_RAW) == 2

    opener.click()
    page.get_by_role("dialog").get_by_role("button", name="Erase everything").click()
    expect(page.locator("#settings-count")).to_have_text("0 plans")
    expect(page.locator("#settings-status")).to_have_text("All plans were erased from this device.")
    expect(page.locator("#settings-last-backup")).to_have_text("Never")
    # the open tab let go of its connection (versionchange) so the erase was not blocked, and shows it
    expect(other.locator("#plan-list > li")).to_have_count(0)
    expect(other.locator("#plans-empty")).to_be_visible()
    assert page.evaluate(COUNT_RAW) == 0
    # the app still works after an erase: the other tab can save again
    other.reload()
    other.wait_for_selector("html[data-plans-ready]")
    expect(other.locator("#plans-empty")).to_be_visible()
    other.close()


def test_settings_accessible_in_dark_mode(page: Page, site_url: str, watch) -> None:
    page.emulate_media(color_scheme="dark")
    now = datetime.now(UTC)
    seed(page, site_url, [plan(1, iso(now - timedelta(days=30)))], {"lastChange": iso(now)})
    expect(page.locator("#settings-reminder")).to_be_visible()
    axe_clean(page)
    page.get_by_role("button", name="Erase this device").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    axe_clean(page)
    page.keyboard.press("Escape")  # a modal dialog closes with Escape and erases nothing
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator("#settings-count")).to_have_text("1 plan")


def test_languages_kept_offline_are_listed_added_and_removed(page: Page, site_url: str, watch) -> None:
    """Settings lists every language with what it takes; English (opened first, the page's own) stays; Italian is
    kept with one button and let go with another, each change announced, and offline the site follows."""
    page.goto(f"{site_url}en/settings/")
    page.wait_for_selector("html[data-offline-languages-ready]", state="attached", timeout=60_000)
    row = {code: page.locator(f'#settings-offline-list li[data-lang="{code}"]') for code in ("en", "it", "nl", "sv")}
    state = {code: line.locator("[data-offline-state]") for code, line in row.items()}
    expect(state["en"]).to_have_text(re.compile(r"^Kept offline: [0-9.]+ kB · in use on this page$"))
    expect(row["en"].get_by_role("button")).to_be_hidden()
    for code in ("it", "nl", "sv"):
        expect(state[code]).to_have_text(re.compile(r"^Not kept \([0-9.]+ kB\)$"))
    live = page.locator("#settings-offline-status")
    expect(live).to_have_attribute("role", "status")
    page.get_by_role("button", name="Keep offline Italiano").click()
    expect(live).to_have_text("Italiano is kept offline.", timeout=60_000)
    expect(state["it"]).to_have_text(re.compile(r"^Kept offline: [0-9.]+ kB$"))
    expect(page.get_by_role("button", name="Remove Italiano")).to_be_focused()
    axe_clean(page)
    page.emulate_media(color_scheme="dark")
    axe_clean(page)
    page.emulate_media(color_scheme="light")

    page.context.set_offline(True)
    page.goto(f"{site_url}it/plans/")
    expect(page.locator("h1")).to_have_text("I miei piani")
    page.goto(f"{site_url}en/settings/")
    page.wait_for_selector("html[data-offline-languages-ready]", state="attached")
    page.get_by_role("button", name="Remove Italiano").click()
    expect(live).to_have_text("Italiano was removed from this device.")
    expect(state["it"]).to_have_text(re.compile(r"^Not kept \([0-9.]+ kB\)$"))
    page.goto(f"{site_url}it/plans/")
    expect(page.locator("h1")).to_have_text("You are offline")
    page.context.set_offline(False)


def test_without_a_service_worker_settings_says_nothing_is_kept(browser, browser_context_args: dict,  # type: ignore[no-untyped-def]
                                                                 site_url: str) -> None:
    context = browser.new_context(**{**browser_context_args, "service_workers": "block"})
    try:
        page = context.new_page()
        open_settings(page, site_url)
        expect(page.locator("#settings-offline-status")).to_have_text("This browser does not keep Passo offline.")
        expect(page.locator("#settings-offline-list")).to_be_hidden()
        assert page.locator("html").get_attribute("data-offline") == "unavailable"
        axe_clean(page)
    finally:
        context.close()
