"""Pictures in guides, in a phone's browser: shown under the Content-Security-Policy, and offline after one visit to
the home page, for a guide never opened before."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page

from passo.pipeline import build
from tests.conftest import PageWatch, guide
from tests.e2e.test_shell import wait_until_offline_ready

pytestmark = pytest.mark.e2e

DIAGRAM = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><circle cx="50" cy="50" r="40" '
           'fill="#1f5c99"/><text x="110" y="55">Goal</text></svg>')
SHOWN = "(img) => img.complete && img.naturalWidth > 0"


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def _site(folder: Path, budget_mb: float) -> Path:
    site = folder / "site"
    files = {
        "site.toml": f'name = "Pictures"\nlanguages = ["en"]\nsearch = false\noffline_media_mb = {budget_mb}\n',
        "content/en/guides/seen.md": guide("Seen", "![A wide photo](img/wide.png)\n\n![The cycle](img/cycle.svg)\n"),
        "content/en/guides/unseen.md": guide("Unseen", "Intro.\n\n![A square](img/square.png)\n\n"
                                                       "![A wide photo](img/wide.png)\n"),
        "content/en/guides/img/wide.png": _png(1600, 900),
        "content/en/guides/img/square.png": _png(300, 300),
        "content/en/guides/img/cycle.svg": DIAGRAM,
    }
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    build(site)
    return site / "dist"


@pytest.fixture(scope="module")
def media_site(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[..., str]) -> str:
    return serve_dir(_site(tmp_path_factory.mktemp("media"), 25))


def _all_shown(page: Page, timeout: float = 10_000) -> None:
    images = page.locator("main img")
    assert images.count() == 2
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(f"() => ({SHOWN})(document.querySelectorAll('main img')[{index}])", timeout=timeout)


def test_a_guides_images_show(page: Page, watch: PageWatch, media_site: str) -> None:
    page.goto(media_site + "en/guides/seen/")
    images = page.locator("main img")
    assert images.count() == 2
    for index in range(2):
        images.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(f"() => ({SHOWN})(document.querySelectorAll('main img')[{index}])")
    # The phone's screen takes a WebP variant from srcset, not the 1600 px original.
    assert page.locator("main img").first.evaluate("img => img.currentSrc").endswith("w.webp")
    watch.check()


def test_images_of_a_guide_never_opened_show_offline(page: Page, media_site: str) -> None:
    page.goto(media_site + "en/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    page.goto(media_site + "en/guides/unseen/")
    _all_shown(page)


def test_past_the_budget_images_seen_once_show_offline(page: Page, tmp_path: Path,
                                                      serve_dir: Callable[..., str]) -> None:
    dist = _site(tmp_path, 0)
    url = serve_dir(dist)
    assert "assets/media/" not in (dist / "sw.js").read_text().split("};")[0]  # the PRECACHE list: none, budget 0
    page.goto(url + "en/")
    wait_until_offline_ready(page)
    page.goto(url + "en/guides/unseen/")
    _all_shown(page)
    # The browser's HTTP cache would show them too (assets are sent as immutable): only the worker's cache counts.
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.context.set_offline(True)
    page.goto(url + "en/guides/unseen/")
    _all_shown(page)
