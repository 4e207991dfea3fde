"""MkDocs' own docs imported with `passo new site --from-mkdocs` and built with no edit: in the browser, under the
site's Content-Security-Policy, every local image of every page that has one loads."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.conftest import PageWatch

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests/data/mkdocs-docs"
SHOWN = "(img) => img.complete && img.naturalWidth > 0"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[..., str]) -> tuple[str, dict[str, int]]:
    site = tmp_path_factory.mktemp("mkdocs") / "site"
    for args, cwd in ((["new", "site", str(site), "--from-mkdocs", str(FIXTURE / "mkdocs.yml")], REPO),
                      (["build"], site)):
        done = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stderr
    # The pages that show a local image, and how many: read from the built pages, checked against the sources.
    with_images = {}
    for page in sorted((site / "dist/en/guides").rglob("index.html")):
        count = len(re.findall(r'<img [^>]*src="(?!https?:)[^"]*assets/media/', page.read_text(encoding="utf-8")))
        if count:
            with_images[page.parent.relative_to(site / "dist").as_posix() + "/"] = count
    return serve_dir(site / "dist"), with_images


def test_the_pages_with_images_are_those_of_the_markdown(imported) -> None:
    _url, with_images = imported
    sources = {}
    for md in (FIXTURE / "docs").rglob("*.md"):
        prose = re.sub(r"^\s*```.*?^\s*```", "", md.read_text(encoding="utf-8"), flags=re.S | re.M)
        written = [*re.findall(r"!\[[^\]]*\]\(([^)\s]+)", prose), *re.findall(r"<img [^>]*src=\"([^\"]+)\"", prose)]
        local = [m for m in written if not m.startswith("http")]
        if local:
            rel = md.relative_to(FIXTURE / "docs").with_suffix("").as_posix()
            rel = "" if rel == "index" else rel.removesuffix("/README")
            sources[f"en/guides/{rel}/".replace("//", "/")] = len(local)
    assert with_images == sources
    # As many as MkDocs shows: 9 in Markdown and 2 in raw HTML, written relative to MkDocs' built page address.
    assert sum(with_images.values()) == 11


def test_every_image_loads(page: Page, watch: PageWatch, imported) -> None:
    url, with_images = imported
    for path, count in with_images.items():
        page.goto(url + path)
        images = page.locator("main img[src*='assets/media/']")
        assert images.count() == count, path
        for index in range(count):
            images.nth(index).scroll_into_view_if_needed()
            page.wait_for_function(
                f"() => ({SHOWN})(document.querySelectorAll(\"main img[src*='assets/media/']\")[{index}])",
                timeout=10_000)
    assert not watch.foreign, watch.foreign  # no request left the site
