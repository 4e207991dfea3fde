"""The core journey, written once for WebKitGTK (Safari's engine, test_webkit.py) and Firefox ESR (test_firefox.py),
against the example site built under a sub-path and served by nginx: what Chromium walks in tests/e2e, by the same
buttons. Each engine's file imports these tests, so pytest runs them there, once per engine (and the two files can
run on two workers side by side).

Each engine runs one browser for the whole file, and the tests continue one another in order, as one coachee's
session does: the plan typed in the second test is the one exported, checked in, protected and opened offline
later. A second, empty profile of the same engine receives the imports. Waits are on the page's own ready signals
(data-*-ready attributes, data-save-state, a controlling service worker), never a fixed delay.

What the drivers cannot do as a person would, and what is done instead (said again where it happens):
- date fields: neither driver types into them reliably, so the value a date picker gives is set with the input
  and change events a user's input sends;
- the file chooser: WebKitWebDriver sends the file's path to the file input (it has no upload endpoint), Firefox
  gets it through BiDi input.setFiles; both are what the chooser hands the page, with its change event;
- offline: the engine reaches nginx through a TCP relay the test cuts (netcut.py): every connection of the page,
  its service worker and the browser itself fails, as on a phone with no signal, on the same origin. WebKitWebDriver
  has no network switch, so that is all for WebKit; Firefox is also put offline by BiDi's own emulation
  (emulation.setNetworkConditions), so navigator.onLine is false there too. The relay alone was not left to Firefox's
  emulation because the browser's own update check of sw.js escapes it (seen reaching nginx). nginx's access log
  must show no request for the pages opened offline: they come from the service worker's cache.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.engines.conftest import Journey
from tests.test_protected_file import joserfc_open

# Each engine's file imports the tests; they run in this file's order (conftest.py).
__all__ = [
    "test_agenda_check_in",
    "test_export_json_then_import_in_a_fresh_profile",
    "test_home_and_service_worker",
    "test_my_plans_lists_the_plan",
    "test_offline_reload_of_form_agenda_and_an_unopened_guide",
    "test_plan_form_typed_in_autosaved_and_reloaded",
    "test_protected_export_and_its_import",
    "test_search_returns_results",
]

FORM = "en/plans/smart-action-plan/"
GOAL = "Run 10 km without stopping"
WHY = "To feel strong again"
ACTION = "Run twice a week before work"
NOTE = "Went at seven, before the rain"
PASSPHRASE = "Perché è così, Åsa!"
UNOPENED_GUIDE = "oskar"  # never opened before the offline test: it must come from the precache

PLAN_READY = ("() => !!document.querySelector(\"[data-plan-page][data-ready=true]\")"
              " && !!document.querySelector(\"[data-export-ui='plan'][data-export-ready]\")")
SAVED = "() => document.querySelector('[data-plan-page]').dataset.saveState === 'saved'"
PLANS_READY = ("() => document.documentElement.hasAttribute('data-plans-ready')"
               " && !!document.querySelector(\"[data-export-ui='backup'][data-export-ready]\")")
AGENDA_READY = "() => document.documentElement.hasAttribute('data-agenda-ready')"
IMPORT_STATUS = "() => (document.querySelector('.import-status') || {}).textContent || ''"
FIELD_VALUES = """() => ({
  what: document.querySelector("#f-goal-what").value,
  why: document.querySelector("#f-goal-why").value,
  baseline: document.querySelector("#f-goal-baseline").value,
  deadline: document.querySelector("#f-goal-deadline").value,
  action: document.querySelector("#f-actions [data-items] textarea").value,
  date: document.querySelector("#f-actions [data-items] input[type=date]").value,
  commitment: (document.querySelector("#f-actions [data-items] input[type=radio]:checked") || {}).value,
})"""
# The links of My plans, by their text.
PLAN_LINKS = "() => [...document.querySelectorAll('main a')].map((a) => [a.textContent.trim(), a.href])"
ACTION_ROW = "(what) => [...document.querySelectorAll('.agenda-entry')].filter((li) => li.querySelector('.agenda-what').textContent === what).map((li) => li.dataset.key)"  # noqa: E501


def settled(run: Journey, what: str) -> None:
    """Until the page has said how it stands offline (`<html data-offline>`), its last start-up step: a page left
    before that has its offline module's load cut off, which Firefox reports as an error of the page."""
    run.engine.wait("() => document.documentElement.hasAttribute('data-offline')", what=f"{what}: its offline state")


def no_page_errors(run: Journey) -> None:
    errors = run.engine.errors()  # read once: the driver hands each error over once
    assert errors == [], f"{run.engine.name}: errors in the page: {errors}"


def open_form(run: Journey) -> None:
    run.engine.goto(run.url + FORM + f"?id={run.facts['plan']}")
    run.engine.wait(PLAN_READY, what="the plan page ready")


def open_plans(engine: Any, url: str) -> None:
    engine.goto(url + "en/plans/")
    engine.wait(PLANS_READY, what="My plans ready")


def import_file(engine: Any, path: Path, passphrase: str | None = None) -> str:
    # The file chooser: the driver hands the file input the file, as the chooser does (see the module's notes).
    engine.upload("input[type=file][data-import]", path)
    if passphrase is not None:
        engine.wait_for("dialog.passphrase-dialog[open] input[type=password]")
        engine.type("dialog.passphrase-dialog input[type=password]", passphrase)
        engine.click("dialog.passphrase-dialog button[type=submit]")
    return str(engine.wait(f"() => ({IMPORT_STATUS})().startsWith('Import done') && ({IMPORT_STATUS})()",
                           what="the import's summary", timeout=60))


def fresh_profile(run: Journey) -> Any:
    if run.fresh is None:
        run.fresh = run.engine.fresh()
    return run.fresh


def needs(run: Journey, *facts: str) -> None:
    missing = [f for f in facts if f not in run.facts]
    if missing:
        pytest.fail(f"an earlier step of the journey did not finish: {missing} missing")


def test_home_and_service_worker(journey: Journey) -> None:
    engine, url = journey.engine, journey.url
    engine.goto(url + "en/")
    engine.wait("() => navigator.serviceWorker.controller !== null", timeout=60, what="a controlling service worker")
    assert engine.js("() => navigator.serviceWorker.ready.then((r) => r.scope)") == url
    assert engine.js("() => document.querySelector('main h1') !== null && document.documentElement.lang") == "en"
    no_page_errors(journey)


def test_plan_form_typed_in_autosaved_and_reloaded(journey: Journey) -> None:
    engine, url = journey.engine, journey.url
    engine.goto(url + FORM)
    engine.wait(PLAN_READY, what="the plan page ready")
    engine.type("#f-goal-what", GOAL)
    engine.type("#f-goal-why", WHY)
    engine.type("#f-goal-baseline", "3")
    engine.set_value("#f-goal-deadline", "2027-06-30")  # a date field: the picker's value, by script (see above)
    engine.click("#f-actions-add")
    engine.wait_for("#f-actions [data-items] textarea")
    engine.type("#f-actions [data-items] textarea", ACTION)
    # Yesterday on the device's own calendar, so the action is due in the agenda later.
    yesterday = engine.js("""() => { const d = new Date(Date.now() - 86400000);
      return [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, "0")).join("-"); }""")
    engine.set_value("#f-actions [data-items] input[type=date]", yesterday)
    engine.click("#f-actions [data-items] input[type=radio][value='8']")  # the radio itself (WebKit: not its label)
    engine.wait(SAVED, what="the plan saved")
    plan_id = re.search(r"[?&]id=([0-9a-f-]{36})", engine.url())
    assert plan_id, engine.url()
    journey.facts["plan"] = plan_id[1]
    journey.facts["date"] = yesterday
    expected = {"what": GOAL, "why": WHY, "baseline": "3", "deadline": "2027-06-30", "action": ACTION,
                "date": yesterday, "commitment": "8"}
    assert engine.js(FIELD_VALUES) == expected

    engine.reload()
    engine.wait(PLAN_READY, what="the plan page ready after the reload")
    assert engine.js(FIELD_VALUES) == expected
    no_page_errors(journey)


def test_my_plans_lists_the_plan(journey: Journey) -> None:
    needs(journey, "plan")
    open_plans(journey.engine, journey.url)
    links = journey.engine.js(PLAN_LINKS)
    assert [GOAL, f"{journey.url}{FORM}?id={journey.facts['plan']}"] in links
    no_page_errors(journey)


def test_export_json_then_import_in_a_fresh_profile(journey: Journey) -> None:
    needs(journey, "plan")
    engine, url = journey.engine, journey.url
    open_form(journey)
    path = engine.download("[data-export-ui='plan'] button[data-export=json]")
    assert re.fullmatch(r"passo-smart-action-plan-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json", path.name), path.name
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["format"], doc["id"], doc["data"]["goal"]["what"]) == ("passo-plan", journey.facts["plan"], GOAL)
    (action,) = doc["data"]["actions"]
    assert (action["what"], action["when"]["date"], action["commitment"]) == (ACTION, journey.facts["date"], 8)
    no_page_errors(journey)

    other = fresh_profile(journey)
    open_plans(other, url)
    assert not [link for link in other.js(PLAN_LINKS) if "?id=" in link[1]], "the fresh profile has plans already"
    assert import_file(other, path) == "Import done. Added: 1. Updated: 0. Skipped: 0."
    other.wait("(goal) => [...document.querySelectorAll('main a')].some((a) => a.textContent.trim() === goal)", GOAL,
               what="the imported plan listed")
    assert other.errors() == []


def test_agenda_check_in(journey: Journey) -> None:
    needs(journey, "plan")
    engine, url = journey.engine, journey.url
    engine.goto(url + "en/agenda/")
    engine.wait(AGENDA_READY, what="the agenda ready")
    (key,) = engine.js(ACTION_ROW, ACTION)
    engine.click(f'.agenda-entry[data-key="{key}"] button[data-checkin]')
    engine.wait_for("#checkin-dialog[open] #ci-o-done")
    engine.click("#ci-o-done")  # the radio itself (WebKit refuses a click on a label over it)
    engine.type("#ci-note", NOTE)
    engine.click("#ci-c-9")
    engine.click("#checkin-dialog button[value=save]")
    toast = engine.wait("() => !document.querySelector('#checkin-dialog[open]')"
                        " && (document.querySelector('.ci-toast') || {}).textContent", what="the check-in's toast")
    assert "Checked in: done." in toast
    engine.wait(f"() => ({ACTION_ROW})({json.dumps(ACTION)}).length === 0", what="the done action gone")
    journey.facts["checked in"] = True
    no_page_errors(journey)


def test_protected_export_and_its_import(journey: Journey) -> None:
    needs(journey, "plan", "checked in")
    engine, url = journey.engine, journey.url
    open_form(journey)
    engine.click("[data-export-ui='plan'] input[data-protect]")  # the first: the plan's own exports
    engine.click("[data-export-ui='plan'] button[data-export=json]")
    engine.wait_for("dialog.passphrase-dialog[open]")
    engine.type("dialog.passphrase-dialog label:nth-of-type(1) input[type=password]", PASSPHRASE)
    engine.type("dialog.passphrase-dialog label:nth-of-type(2) input[type=password]", PASSPHRASE)
    path = engine.download("dialog.passphrase-dialog button[type=submit]", timeout=60)
    assert path.name.endswith(".protected.json"), path.name
    text = path.read_text(encoding="utf-8")
    assert GOAL not in text
    plain = json.loads(joserfc_open(text, PASSPHRASE))  # an independent JOSE library opens what the engine made
    assert plain["id"] == journey.facts["plan"] and plain["data"]["actions"][0]["done"] is True
    checkin = plain["checkins"][-1]
    assert (checkin["outcome"], checkin["note"], checkin["commitment"]) == ("done", NOTE, 9)
    no_page_errors(journey)

    other = fresh_profile(journey)  # holds the plan as exported before the check-in
    open_plans(other, url)
    assert import_file(other, path, PASSPHRASE) == "Import done. Added: 0. Updated: 1. Skipped: 0."
    other.goto(url + "en/agenda/")
    other.wait(AGENDA_READY, what="the agenda ready")
    assert other.js(ACTION_ROW, ACTION) == [], "the check-in (action done) did not arrive with the protected file"
    assert other.errors() == []
    other.close()
    journey.fresh = None


def test_search_returns_results(journey: Journey) -> None:
    engine, url = journey.engine, journey.url
    engine.goto(url + "en/")
    engine.type("#search-input", "commitment")
    engine.click("[data-search-form] button[type=submit]")
    found = engine.wait("() => document.querySelectorAll('[data-search-results] li').length", timeout=60,
                        what="search results")
    assert found > 0
    assert engine.js("() => document.querySelectorAll('[data-search-results] mark').length") > 0
    no_page_errors(journey)


def guide_title(slug: str) -> str:
    return re.sub(r"^---.*?\ntitle: ([^\n]+).*", r"\1", (REPO / f"content/en/guides/{slug}.md").read_text(), flags=re.S)


def test_offline_reload_of_form_agenda_and_an_unopened_guide(journey: Journey) -> None:
    needs(journey, "plan")
    engine, url, site = journey.engine, journey.url, journey.site
    engine.goto(url + "en/")
    engine.wait("() => navigator.serviceWorker.controller !== null", what="a controlling service worker")
    settled(journey, "home")
    # Requests for the three pages so far (the guide's: only the precache's). Counted per page, not in all, since
    # a request of the page just left (the browser's sw.js update check) may still be finishing as the cut comes.
    pages = (FORM, "en/agenda/", f"en/guides/{UNOPENED_GUIDE}/")
    served = [site.requests(page) for page in pages]
    engine.offline(True)
    try:
        open_form(journey)
        settled(journey, "the plan page offline")
        engine.reload()
        engine.wait(PLAN_READY, what="the plan page ready, reloaded offline")
        assert engine.js(FIELD_VALUES)["what"] == GOAL
        settled(journey, "the plan page reloaded offline")

        engine.goto(url + "en/agenda/")
        engine.wait(AGENDA_READY, what="the agenda ready offline")
        assert engine.js("() => document.querySelector('main h1').textContent.trim()") == "Agenda"
        settled(journey, "the agenda offline")

        engine.goto(url + f"en/guides/{UNOPENED_GUIDE}/")
        engine.wait("() => !!document.querySelector('main h1')", what="the guide's heading")
        title = engine.js("() => document.querySelector('main h1').textContent.trim()")
        assert title == guide_title(UNOPENED_GUIDE), f"not the guide itself (the offline page?): {title!r}"
    finally:
        engine.offline(False)
    assert [site.requests(page) for page in pages] == served, "a page was fetched from the server while offline"
    no_page_errors(journey)

