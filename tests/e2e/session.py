"""A coachee's whole session, walked once for every test that watches one (privacy: where requests go and what is
stored; Trusted Types: that no sink refuses anything): every page kind in every language, a search in two
languages, a plan filled in and exported, My plans, and a page offline."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from playwright.sync_api import Download, Page, expect

from tests.conftest import REPO

LANGUAGES: list[str] = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["languages"]
SCHEMAS = sorted(p.stem for p in (REPO / "schemas").glob("*.json"))
GUIDES = sorted(p.stem for p in (REPO / "content/en/guides").glob("*.md"))
GOAL = "Run 10 km without stopping"


def session_paths() -> list[str]:
    """Every page kind in every language, then the pages that exist once."""
    paths = [""]
    for n, lang in enumerate(LANGUAGES):
        paths += [f"{lang}/", f"{lang}/guides/{GUIDES[n % len(GUIDES)]}/", f"{lang}/plans/",
                  *[f"{lang}/plans/{schema}/" for schema in SCHEMAS], f"{lang}/settings/", f"{lang}/privacy/"]
    return [*paths, "offline.html", "en/no-such-page/"]


def walk_session(page: Page, site_url: str, *, settle: bool = False) -> Download:
    """Walk the session; returns the plan's JSON export. `settle` waits for each page's network to go quiet, so
    whatever a page starts (its modules, the service worker's precaching) happens while that page is watched."""
    for path in session_paths():
        page.goto(site_url + path)
        if path == "":  # the root page sends the browser on to its language: let it arrive before going on
            page.wait_for_url(f"{site_url}en/")  # the test browser speaks English
        if settle:
            page.wait_for_load_state("networkidle")
    # The service worker was registered (through the Trusted Types policy), or nothing would control the page.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)

    # A search: Pagefind loads its script, WebAssembly and index files, then results are drawn as elements.
    for lang, word in (("en", "commitment"), ("it", "obiettivo")):
        page.goto(site_url + f"{lang}/")
        page.locator("#search-input").fill(word)
        page.locator("#search-input").press("Enter")
        page.locator("[data-search-results] li").first.wait_for()
        assert page.locator("[data-search-results] mark").count() > 0

    # A plan, filled in and exported, then listed on My plans and opened again.
    page.goto(site_url + "en/plans/smart-action-plan/")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    page.get_by_label("What result do you want?").fill(GOAL)
    page.get_by_label("Why does it matter to you?").fill("To feel strong again")
    page.get_by_label("What will you measure?").fill("Kilometres run without a break")
    page.get_by_label("Where is it today?").fill("3")
    page.get_by_label("Where do you want it to be?").fill("10")
    page.get_by_role("button", name="Add an action").click()
    page.locator("#f-actions [data-items] textarea").first.fill("Run twice a week before work")
    page.wait_for_function("() => document.querySelector('[data-plan-page]').dataset.saveState === 'saved'")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export JSON").click()
    download = info.value
    assert json.loads(Path(download.path()).read_text(encoding="utf-8"))["data"]["goal"]["what"] == GOAL
    page.goto(site_url + "en/plans/")
    page.wait_for_selector("html[data-plans-ready]")
    page.get_by_role("link", name=GOAL).click()
    expect(page.get_by_label("What result do you want?")).to_have_value(GOAL)

    # Offline: the service worker serves My plans, and the app still runs there.
    page.context.set_offline(True)
    page.goto(site_url + "en/plans/")
    page.wait_for_selector("html[data-plans-ready]")
    page.context.set_offline(False)
    return download
