"""A guide's tabs, details and task lists work in the browser with no script of their own and nothing the
Content-Security-Policy blocks: tabs switch by touch and by arrow keys, details open and close; its picture loads
in its place and its worksheet and neighbours are linked."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PageWatch
from tests.e2e.snippets import READY

pytestmark = pytest.mark.e2e

# Layout shifts the page made on its own (none may come from a picture loading after the text).
WATCH_SHIFTS = """window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: "layout-shift", buffered: true});"""


def test_tabs_switch_by_touch_and_by_keyboard(page: Page, watch: PageWatch, features_url: str) -> None:
    page.goto(features_url)
    page.wait_for_function(READY)
    phone, computer = page.locator(".tabbed-block").nth(0), page.locator(".tabbed-block").nth(1)
    expect(phone).to_be_visible()
    expect(computer).to_be_hidden()
    page.get_by_text("Computer", exact=True).click()
    expect(computer).to_be_visible()
    expect(phone).to_be_hidden()
    # The tabs are radio buttons named by their labels: a keyboard moves between them with the arrow keys.
    page.get_by_role("radio", name="Computer").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("radio", name="Phone")).to_be_checked()
    expect(phone).to_be_visible()
    assert page.locator("script:not([src])").count() == 0


def test_details_open_and_close(page: Page, watch: PageWatch, features_url: str) -> None:
    page.goto(features_url)
    page.wait_for_function(READY)
    closed, opened = page.locator("details.note"), page.locator("details.tip")
    expect(closed.get_by_text("Small steps are easy to repeat.")).to_be_hidden()
    expect(opened.get_by_text("Start today.")).to_be_visible()
    closed.locator("summary").click()
    expect(closed.get_by_text("Small steps are easy to repeat.")).to_be_visible()
    expect(page.locator(".task-list-item input[type=checkbox]")).to_have_count(2)


def test_the_picture_loads_in_place_and_the_worksheet_and_neighbours_are_linked(page: Page, watch: PageWatch,
                                                                                  features_url: str) -> None:
    page.add_init_script(WATCH_SHIFTS)
    page.goto(features_url)
    page.wait_for_function(READY)
    picture = page.get_by_role("img", name="The four steps of GROW, drawn as a cycle")
    expect(picture).to_have_attribute("loading", "eager")  # the page's first picture
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    # A phone gets a WebP variant, not the 1600 px original, and the picture fits the screen.
    assert page.evaluate("(img) => img.currentSrc", picture.element_handle()).endswith("w.webp")
    box = picture.bounding_box()
    assert box is not None and 0 < box["width"] <= 412 and abs(box["height"] / box["width"] - 1000 / 1600) < 0.01
    assert page.evaluate("window.__shift") == 0
    worksheet = page.get_by_role("link", name="the worksheet")
    assert page.request.get(worksheet.evaluate("(a) => a.href")).body().startswith(b"%PDF")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("The method")
    pager = page.get_by_role("navigation", name="Previous and next guide")
    expect(pager.get_by_role("link", name="Previous: The basics")).to_be_visible()
    expect(pager.get_by_role("link", name="Next: Practice")).to_be_visible()
