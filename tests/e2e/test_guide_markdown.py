"""A guide's tabs, details and task lists work in the browser with no script of their own and nothing the
Content-Security-Policy blocks: tabs switch by touch and by arrow keys, details open and close."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PageWatch
from tests.e2e.guide_features import PATH, build_features
from tests.e2e.snippets import READY

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def features_url(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[..., str]) -> str:
    return serve_dir(build_features(tmp_path_factory.mktemp("features") / "site")) + PATH


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
