"""`serve` as a coach uses it: edit a guide, the open page reloads; break it, the page shows what is wrong."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO, free_port, guide

pytestmark = pytest.mark.e2e

LIVE = "html[data-passo-live='connected']"  # the page listens for rebuilds


@pytest.fixture
def served(make_site) -> Iterator[tuple[Path, str]]:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("First title", "First text.\n")})
    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--site", str(site), "serve", "--port",
                                str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    output = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        output.append(line)
        if line.startswith("serving "):
            break
        if process.poll() is not None:
            break
    else:
        process.kill()
    if process.poll() is not None or not output or not output[-1].startswith("serving "):
        process.kill()
        pytest.fail("serve did not start:\n" + "".join(output))
    yield site, f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


@pytest.mark.allow_console_errors  # the event stream is cut when the server stops at the end of the test
def test_edit_reloads_and_errors_show_in_the_page(page, served) -> None:  # type: ignore[no-untyped-def]
    site, url = served
    source = site / "content/en/guides/a.md"
    page.goto(url + "en/guides/a/")
    assert page.locator("h1").inner_text() == "First title"
    page.wait_for_selector(LIVE)
    with page.expect_navigation(timeout=15_000):
        source.write_text(guide("Second title", "Second text.\n"))
    expect(page.locator("h1")).to_have_text("Second title")
    page.wait_for_selector(LIVE)
    source.write_text("---\ntitle: [broken\n---\n")
    overlay = page.locator("#passo-build-errors")
    overlay.wait_for(timeout=15_000)
    assert "content/en/guides/a.md:2:15: error: front matter is not valid YAML" in overlay.inner_text()
    assert page.locator("h1").inner_text() == "Second title"  # the last good build is still served
    page.reload()
    assert page.locator("h1").inner_text() == "Second title"
    page.locator("#passo-build-errors").wait_for(timeout=15_000)  # still told after a reload
    page.wait_for_selector(LIVE)
    with page.expect_navigation(timeout=15_000):
        source.write_text(guide("Third title", "Fixed.\n"))
    expect(page.locator("h1")).to_have_text("Third title")
    assert page.locator("#passo-build-errors").count() == 0
