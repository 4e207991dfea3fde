"""The search index after a rebuild is complete and correct: a new word finds the changed guide, a word taken out of
it finds nothing, a removed guide is gone. Its bytes are checked in test_pipeline.py; here it is checked by
searching, in Chromium, as a coachee would."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from passo.pipeline import build
from passo.serve import LiveReload, SearchRefresher, make_server
from tests.conftest import guide
from tests.e2e.snippets import READY

pytestmark = pytest.mark.e2e

SEARCH_TOML = 'name = "Tiny"\nlanguages = ["en"]\n'


def found(page, url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The result links for `query` on the home page at `url`, after the status says how it went."""
    page.goto(url + "en/")
    page.wait_for_function(READY)  # a search typed before the module listens would only follow the form's "#"
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_function("() => /found|matches|available/.test(document.getElementById('search-status').textContent)",
                           timeout=60_000)
    return [a.get_attribute("href") or "" for a in page.locator(".search-results li a").all()]


@pytest.fixture
def search_site(make_site) -> Path:  # type: ignore[no-untyped-def]
    return make_site({"site.toml": SEARCH_TOML,
                      "content/en/guides/habits.md": guide("Habits", "A quokka keeps its habits.\n"),
                      "content/en/guides/goals.md": guide("Goals", "Goals need a deadline.\n"),
                      "content/en/guides/extra.md": guide("Extra", "A zeppelin flies far.\n")})


def edit(site: Path) -> None:
    """The quokka leaves the habits guide, a pelican comes in."""
    (site / "content/en/guides/habits.md").write_text(guide("Habits", "A pelican keeps its habits.\n"))


def test_cli_rebuild_of_one_guide_updates_the_search(page, watch, search_site: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     serve_dir: Callable[..., str]) -> None:
    build(search_site)
    before = tmp_path / "before"
    shutil.copytree(search_site / "dist", before)
    edit(search_site)
    result = build(search_site)
    assert not result.full and result.rendered == 1
    # One fragment per guide: the changed guide's old one, reused to save compressing, is gone.
    assert len(list((search_site / "dist/pagefind/fragment").iterdir())) == 3
    old_url, new_url = serve_dir(before), serve_dir(search_site / "dist")
    assert found(page, old_url, "quokka") == ["/en/guides/habits/"]  # the word was found before the change
    assert found(page, new_url, "pelican") == ["/en/guides/habits/"]
    assert found(page, new_url, "quokka") == []
    assert found(page, new_url, "deadline") == ["/en/guides/goals/"]  # the guides not rebuilt are all still there
    (search_site / "content/en/guides/extra.md").unlink()
    build(search_site)
    assert found(page, serve_dir(search_site / "dist"), "zeppelin") == []


def test_serve_refreshes_the_search_from_a_warm_pagefind(page, watch, search_site: Path) -> None:  # type: ignore[no-untyped-def]
    dist = search_site / "dist"
    refresher = SearchRefresher(dist, threading.Lock())
    try:
        refresher.after_build(build(search_site, search="background"))
        assert refresher.wait(60)
        server = make_server(dist, live=LiveReload())  # as `serve` serves: its service worker keeps no copies
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert found(page, url, "quokka") == ["/en/guides/habits/"]
        edit(search_site)
        result = build(search_site, search="background")
        assert result.search and not result.removed
        refresher.after_build(result)
        assert refresher.wait(60)
        assert found(page, url, "pelican") == ["/en/guides/habits/"]
        assert found(page, url, "quokka") == []
        assert found(page, url, "zeppelin") == ["/en/guides/extra/"]
        (search_site / "content/en/guides/extra.md").unlink()
        refresher.after_build(build(search_site, search="background"))
        assert refresher.wait(60)
        assert found(page, url, "zeppelin") == []
        assert found(page, url, "pelican") == ["/en/guides/habits/"]
    finally:
        refresher.close()
        if "server" in locals():
            server.shutdown()
            server.server_close()
    assert refresher.index is None or refresher.index._process.poll() is not None  # Pagefind ended with serve


def test_a_search_sent_before_the_page_listened_is_run(page, watch, search_site: Path,  # type: ignore[no-untyped-def]
                                                       serve_dir: Callable[..., str]) -> None:
    """Enter pressed before the search module was loaded sends the form as it is: the page comes back as ?q=, and
    the search runs then instead of the query being lost."""
    build(search_site)
    page.goto(serve_dir(search_site / "dist") + "en/?q=quokka#")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    assert page.get_by_role("searchbox").input_value() == "quokka"
    assert [a.get_attribute("href") for a in page.locator(".search-results li a").all()] == ["/en/guides/habits/"]
