"""A guide page as a reader meets it: on a phone its contents fold under the title, on a wide screen they stand
beside the text; its section and the guides before and after it are named for a screen reader as on screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.snippets import READY

pytestmark = pytest.mark.e2e


def test_on_a_phone_the_contents_fold_under_the_title(page: Page, site_url: str) -> None:
    page.goto(site_url + "en/guides/grow/")
    page.wait_for_function(READY)
    assert page.locator(".toc-fold").is_visible() and not page.locator(".toc-side").is_visible()
    goal = page.locator(".toc-fold").get_by_role("link", name="Goal")
    assert not goal.is_visible()
    page.locator("summary", has_text="On this page").click()
    goal.click()
    page.wait_for_url("**/en/guides/grow/#goal")
    trail = page.get_by_role("navigation", name="Breadcrumb")
    assert trail.get_by_role("listitem").all_inner_texts() == ["Guides", "Session models"]
    pager = page.get_by_role("navigation", name="Previous and next guide")
    assert pager.get_by_role("link", name="Previous: Set goals with a purpose").get_attribute("rel") == "prev"
    pager.get_by_role("link", name="Next: The CLEAR model").click()
    page.wait_for_url("**/en/guides/clear/")


@pytest.fixture(params=["light", "dark"])
def wide_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param,
                                  service_workers="block")
    yield context.new_page()
    context.close()


def test_on_a_wide_screen_the_contents_stand_beside_the_text(wide_page: Page, site_url: str) -> None:
    wide_page.goto(site_url + "sv/guides/oskar/")
    wide_page.wait_for_function(READY)
    side, text = wide_page.locator(".toc-side"), wide_page.locator(".prose")
    assert side.is_visible() and not wide_page.locator(".toc-fold").is_visible()
    side_box, text_box = side.bounding_box(), text.bounding_box()
    assert side_box and text_box and side_box["x"] >= text_box["x"] + text_box["width"]
    assert side_box["y"] < text_box["y"] + 200  # beside the start of the text, not below it
    wide_page.mouse.wheel(0, 3000)
    wide_page.wait_for_timeout(200)
    assert side.bounding_box()["y"] >= 0  # type: ignore[index]  # it stays in view while the text scrolls
    result = Axe().run(wide_page)
    assert result.violations_count == 0, result.generate_report()
