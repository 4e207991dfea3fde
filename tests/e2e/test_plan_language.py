"""A plan keeps the language it was written in: its calendar text stays Italian when exported from English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.e2e.test_forms import fill, open_form, plan_id, wait_saved

pytestmark = pytest.mark.e2e


def test_calendar_text_uses_the_plans_language(page: Any, watch: Any, site_url: str) -> None:
    open_form(page, site_url + "it/plans/smart-action-plan/")
    action = {"what": "Controllare la posta alle 9", "when": {"date": "2027-03-01", "time": "09:00"},
              "planB": "Alle 14 invece"}
    fill(page, "f", {"goal": {"what": "Rispondere a ogni cliente entro un giorno"}, "actions": [action]})
    wait_saved(page)
    plan = plan_id(page)
    open_form(page, site_url + f"en/plans/smart-action-plan/?id={plan}")
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")  # the buttons are wired
    with page.expect_download() as download:
        page.get_by_role("button", name="Export to calendar").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    event = next(c for c in Calendar.from_ical(text).walk("VEVENT"))
    description = str(event["DESCRIPTION"])
    assert "Piano B" in description and "Alle 14 invece" in description
    assert "Plan B" not in description
    assert str(event["SUMMARY"]) == "Controllare la posta alle 9"
