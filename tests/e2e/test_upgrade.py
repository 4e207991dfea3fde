"""Upgrade safety: plans written under an older build survive a deploy of the current one at the same URL.

The older build is the example site with the version 1 SMART action plan schema (a fixture kept in tests/data,
as TESTING.md suggests: no old commit needed). The coachee fills in a plan with the old site's service worker in
control; the current site is deployed over it; the update prompt appears; after "Reload" every plan is there and
the old one opens migrated to the current schema version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passo.pipeline import build
from tests.conftest import REPO
from tests.e2e.test_forms import DATA, V1_PLAN, copy_site, fill, open_form, stored, wait_saved
from tests.e2e.test_shell import wait_until_offline_ready

pytestmark = pytest.mark.e2e


def test_plans_survive_an_update_and_are_migrated(browser: Any, playwright: Any, tmp_path: Path,
                                                 serve_dir: Any) -> None:
    old_site = copy_site(tmp_path / "old", DATA / "schema-smart-action-plan-v1.json")
    (old_site / "schemas" / "smart-action-plan.migrate.js").unlink()
    dist = tmp_path / "deployed"
    build(old_site, dist, incremental=False)
    url = serve_dir(dist)
    device = {k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
    context = browser.new_context(**device, timezone_id="Europe/Rome")
    page = context.new_page()
    try:
        open_form(page, f"{url}en/plans/smart-action-plan/")
        wait_until_offline_ready(page)
        fill(page, "f", V1_PLAN)
        wait_saved(page)
        old = stored(page)
        assert old["schema_version"] == 1

        # Deploy the current build at the same URL.
        build(copy_site(tmp_path / "new", REPO / "schemas" / "smart-action-plan.json"), dist, incremental=False)
        # The coachee still has the form open; the app looks for a new version when it comes to the foreground.
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        banner = page.locator("#update-banner")
        banner.wait_for(state="visible", timeout=60_000)
        with page.expect_navigation():
            page.get_by_role("button", name="Reload").click()
        page.goto(f"{url}en/plans/")
        expect(page.get_by_text("Answer every customer within a day")).to_be_visible(timeout=15_000)

        open_form(page, f"{url}en/plans/smart-action-plan/?id={old['id']}")
        expect(page.locator("#f-goal-what")).to_have_value("Answer every customer within a day")
        page.locator("#f-goal-why").press_sequentially("Customers notice")
        wait_saved(page)
        new = stored(page)
        assert new["id"] == old["id"]
        current = json.loads((REPO / "schemas" / "smart-action-plan.json").read_text(encoding="utf-8"))["x-version"]
        assert new["schema_version"] == current
        assert new["data"]["actions"][0]["when"] == {"date": "2025-03-03", "time": "09:00", "tz": "Europe/Rome"}
    finally:
        context.close()
