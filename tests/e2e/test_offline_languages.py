"""Offline that fits a phone plan (issue 21): a first visit keeps the coachee's language, not every language; a
language chosen online is kept too; the root page offline opens only what the device keeps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_languages import search
from tests.e2e.test_shell import OFFLINE_PAGE, html_pages, precached, url_path, wait_until_offline_ready

pytestmark = pytest.mark.e2e

OTHERS = ("en", "nl", "sv")


def language_files(dist: Path, lang: str) -> set[str]:
    """URL paths of the app and of `lang` (its pages, catalogue, search index and the media its pages show)."""
    return {url_path(name) for name, (_digest, group) in precached(dist).items()
            if group == "*" or lang in group.split()}


def media_shown(dist: Path, lang: str) -> set[str]:
    """Media files the pages of `lang` link or show: what Italian pages show of other languages (a fallback guide's
    pictures are the original's) is all they may fetch beside their own."""
    found = set()
    for page in (dist / lang).rglob("index.html"):
        found.update("/" + m for m in re.findall(r"(assets/media/[\w.-]+)", page.read_text(encoding="utf-8")))
    return found


def open_offline(page: Page, url: str, paths: list[str]) -> None:
    """Each page opens from the device, never as the offline page."""
    for path in paths:
        response = page.goto(url + path)
        assert response is not None and response.ok, path
        assert page.locator("h1").inner_text() != OFFLINE_PAGE, path


def test_a_first_visit_keeps_italian_and_nothing_of_the_other_languages(page: Page, watch, counting_server,  # type: ignore[no-untyped-def]
                                                                        example_dist: Path) -> None:
    url, hits = counting_server(example_dist)
    page.goto(url + "it/")
    wait_until_offline_ready(page)
    expect(page.locator("#offline-language")).to_have_text(
        "Pronto offline: ogni pagina in questa lingua funziona senza connessione.")
    fetched = {path for path, _status in hits.seen}
    report = f"fetched: {sorted(fetched)}"
    foreign = [p for p in fetched if p.startswith(tuple(f"/{code}/" for code in OTHERS))
               or re.search(r"/i18n/(en|nl|sv)\.json|/pagefind/.*\b(en|nl|sv)_|wasm\.(en|nl|sv)\.", p)]
    assert foreign == [], report
    assert fetched <= language_files(example_dist, "it") | {"/sw.js"}, report
    assert {p for p in fetched if p.startswith("/assets/media/")} <= media_shown(example_dist, "it"), report
    # Pagefind's own interface (its UI scripts and styles, its worker) is never fetched: the search box uses none.
    assert not [p for p in fetched if re.search(r"pagefind-(ui|component|modular|worker|highlight)", p)], report

    page.context.set_offline(True)
    italian = [p for p in html_pages(example_dist) if p.startswith("it/")]
    assert len(italian) > 15
    open_offline(page, url, italian)
    page.goto(url + "it/")
    found = search(page, "GROW")
    assert found and all(u.startswith("/it/guides/") for u in found), found
    page.locator(".search-results li a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(url + "it/guides/")
    for lang in OTHERS:  # never opened: the offline page, which says the language needs a connection once
        page.goto(url + f"{lang}/")
        assert page.locator("h1").inner_text() == OFFLINE_PAGE
    # The root page offline: this browser speaks English, which is not kept, so the choice stays on screen and
    # says so under English in English; Italiano opens.
    page.goto(url)
    page.wait_for_selector("html[data-languages-checked]", state="attached")
    assert page.url == url
    expect(page.locator('a[data-lang="en"]')).to_have_text("English Needs a connection once")
    expect(page.locator('a[data-lang="nl"]')).to_have_text("Nederlands Heeft één keer een verbinding nodig")
    expect(page.locator('a[data-lang="it"] [data-needs-connection]')).to_be_hidden()
    page.locator('a[data-lang="it"]').click()
    page.wait_for_url(url + "it/")
    assert page.locator("html").get_attribute("lang") == "it"
    page.context.set_offline(False)
    assert not [p for p, _s in hits.seen if p.startswith(tuple(f"/{code}/" for code in OTHERS))]


def test_dutch_chosen_online_is_kept_and_works_offline(page: Page, watch, site_url: str,  # type: ignore[no-untyped-def]
                                                       example_dist: Path) -> None:
    page.goto(site_url + "it/guides/grow/")
    wait_until_offline_ready(page)
    page.locator(".lang-switch").get_by_role("link", name="Nederlands").click()
    page.wait_for_url(site_url + "nl/guides/grow/")
    # The page says it is being saved, then that it is ready (in Dutch), and marks itself ready.
    expect(page.locator("#offline-language")).to_have_text(
        "Klaar voor offline: elke pagina in deze taal werkt zonder verbinding.", timeout=60_000)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    open_offline(page, site_url, [p for p in html_pages(example_dist) if p.startswith(("nl/", "it/"))])
    page.goto(site_url + "nl/")
    found = search(page, "GROW")
    assert found and all(u.startswith("/nl/guides/") for u in found), found
    for lang in ("en", "sv"):
        page.goto(site_url + f"{lang}/plans/")
        assert page.locator("h1").inner_text() == OFFLINE_PAGE
    page.context.set_offline(False)


def test_the_root_page_sends_an_italian_phone_to_italian_offline(browser, browser_context_args: dict,  # type: ignore[no-untyped-def]
                                                                 site_url: str) -> None:
    context = browser.new_context(**{**browser_context_args, "locale": "it-IT"})
    try:
        page = context.new_page()
        page.goto(site_url)
        page.wait_for_url(site_url + "it/")
        wait_until_offline_ready(page)
        context.set_offline(True)
        page.goto(site_url)
        page.wait_for_url(site_url + "it/")
        expect(page.locator("h1")).not_to_have_text(OFFLINE_PAGE)
        context.set_offline(False)
    finally:
        context.close()
