"""Languages end to end: the switcher keeps your place, search finds guides in your language, offline too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from passo.pipeline import build
from tests.conftest import REPO
from tests.e2e.test_shell import wait_until_offline_ready

pytestmark = pytest.mark.e2e


def test_switcher_keeps_the_same_guide(page, watch, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "en/guides/grow/")
    page.locator(".lang-switch").get_by_role("link", name="Italiano").click()
    page.wait_for_url(site_url + "it/guides/grow/")
    assert page.locator("html").get_attribute("lang") == "it"
    page.locator(".lang-switch").get_by_role("link", name="Svenska").click()
    page.wait_for_url(site_url + "sv/guides/grow/")
    assert page.locator("html").get_attribute("lang") == "sv"


def test_switcher_keeps_an_open_plan(page, watch, site_url: str) -> None:  # type: ignore[no-untyped-def]
    plan = "?id=6f1c1d55-2a8c-4a57-9d55-0e7f0f7a9d11"
    page.goto(site_url + "en/plans/grow-session/" + plan)
    page.locator(".lang-switch").get_by_role("link", name="Nederlands").click()
    page.wait_for_url(site_url + "nl/plans/grow-session/" + plan)


def search(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("searchbox").press("Enter")
    # The status line says how many guides were found once the results are on screen.
    page.wait_for_function("() => /[0-9]/.test(document.getElementById('search-status').textContent)",
                           timeout=20_000)
    return [a.get_attribute("href") or "" for a in page.locator(".search-results li a").all()]


def test_search_in_two_languages_offline(page, watch, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "en/")
    wait_until_offline_ready(page)
    # A device keeps the languages its coachee uses: English opened first, Italian chosen in the language menu.
    page.locator(".lang-switch").get_by_role("link", name="Italiano").click()
    page.wait_for_url(site_url + "it/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    page.goto(site_url + "en/")
    found = search(page, "OSKAR")
    assert found and all("/en/guides/" in url for url in found), found
    assert any(url.endswith("/en/guides/oskar/") for url in found)
    page.goto(site_url + "it/")
    found = search(page, "OSKAR")
    assert found and all("/it/guides/" in url for url in found), found
    page.locator(".search-results li a").first.click()
    page.wait_for_load_state()
    assert "/it/guides/" in page.url
    page.context.set_offline(False)


def test_search_under_a_sub_path(page, watch, nginx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns("dist", ".venv", "node_modules", ".git", "tests",
                                                              "bench", ".*"))
    dist = tmp_path / "dist"
    build(site, dist, incremental=False)
    url = nginx(dist, "/team/coaching/")
    page.goto(url + "sv/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    found = search(page, "GROW")
    assert found and all(u.startswith("/team/coaching/sv/guides/") for u in found), found
    page.locator(".search-results li a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(url + "sv/guides/")
    page.context.set_offline(False)
