"""Plan forms in Debian's Chromium (Pixel 7): fill in each form by typing, offline reload, validation messages,
commitment prompts, lists by keyboard, storage errors, two tabs, a version 1 plan after a version 2 build, axe.

The forms are driven through the ids passo/forms/form_html.py derives from data paths (`f-goal-what`; list items get a
number from form.js, `f-actions-n3-what`), so one routine fills any schema from a plan in tests/data/.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from passo.pipeline import build
from tests.e2e.snippets import GET_PLAN
from tests.format_checker import FORMATS

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
SCHEMA_IDS = ["smart-action-plan", "grow-session", "clear-session", "oskar-session", "coaching-agreement"]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# What stands at a form id: a group, a list, or which control.
DESCRIBE = """(id) => {
  if (id === "f") return { kind: "object" }; // the form itself: ids of its fields start with f-
  const el = document.getElementById(id);
  if (!el) return null;
  if (el.dataset.kind === "object" || el.dataset.kind === "array" || el.dataset.kind === "checks")
    return { kind: el.dataset.kind, enum: el.dataset.enum ? JSON.parse(el.dataset.enum) : null };
  if (el.tagName === "FIELDSET") return { kind: "radio", enum: el.dataset.enum ? JSON.parse(el.dataset.enum) : null };
  if (el.tagName === "SELECT") return { kind: "select", enum: JSON.parse(el.closest("[data-enum]").dataset.enum) };
  return { kind: el.tagName === "TEXTAREA" ? "textarea" : el.type, inPrompt: !!el.closest(".prompt") };
}"""

# The id of the last item of a list: its group's id, or its control's for a list of texts.
LAST_ITEM = """(id) => {
  const li = document.getElementById(id).querySelector(":scope > [data-items]").lastElementChild;
  const value = li.querySelector("[data-kind]");
  return value.id || value.querySelector("input, textarea, select").id;
}"""

ITEM_IDS = """(id) => [...document.getElementById(id).querySelector(":scope > [data-items]").children].map((li) => {
  const value = li.querySelector("[data-kind]");
  return value.id || value.querySelector("input, textarea, select").id;
})"""


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def plan_id(page: Page) -> str:
    match = re.search(r"[?&]id=([0-9a-f-]{36})", page.url)
    assert match, page.url
    return match.group(1)


def open_form(page: Page, url: str) -> None:
    """Go to a form page and wait until form.js has bound it (a tap before that would do nothing)."""
    page.goto(url)
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")


def wait_saved(page: Page) -> None:
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-save-state", "saved", timeout=10_000)


def stored(page: Page) -> dict[str, Any]:
    plan = page.evaluate(GET_PLAN, plan_id(page))
    assert plan, "the plan is not in IndexedDB"
    return plan


# -- filling and checking a form from plan data --------------------------------------------------------------


def fill(page: Page, ident: str, value: Any) -> None:
    """Enter `value` at form id `ident` as a person would: typing text, clicking choices, adding list items."""
    what = page.evaluate(DESCRIBE, ident)
    assert what, f"no form element #{ident}"
    kind = what["kind"]
    if kind == "object":
        keys = list(value)
        # A prompt's answer field appears once the scale is set, so it is filled last.
        later = [k for k in keys if (page.evaluate(DESCRIBE, f"{ident}-{k}") or {}).get("inPrompt")]
        for key in [k for k in keys if k not in later] + later:
            fill(page, f"{ident}-{key}", value[key])
    elif kind == "array":
        for item in value:
            page.locator(f"#{ident}-add").click()
            fill(page, page.evaluate(LAST_ITEM, ident), item)
    elif kind == "checks":
        for v in value:
            page.locator(f"#{ident}-{what['enum'].index(v)}").check()
    elif kind == "radio":
        index = what["enum"].index(value) if what["enum"] else value
        page.locator(f"#{ident}-{index}").click()  # on the scale, the radio covers its label like a button
    elif kind == "select":
        page.locator(f"#{ident}").select_option(str(what["enum"].index(value)))
    elif kind == "checkbox":
        if value:
            page.locator(f"#{ident}").check()
    elif kind == "hidden":
        pass  # ids and time zones come from the browser
    elif kind in ("date", "time"):
        page.locator(f"#{ident}").fill(str(value))
    else:
        field = page.locator(f"#{ident}")
        field.click()
        field.press_sequentially(str(value))


def check(page: Page, ident: str, value: Any) -> None:
    """The form shows `value` at `ident` (the mirror of fill)."""
    what = page.evaluate(DESCRIBE, ident)
    assert what, f"no form element #{ident}"
    kind = what["kind"]
    if kind == "object":
        for key, v in value.items():
            check(page, f"{ident}-{key}", v)
    elif kind == "array":
        items = page.evaluate(ITEM_IDS, ident)
        assert len(items) == len(value), ident
        for item_id, v in zip(items, value, strict=True):
            check(page, item_id, v)
    elif kind == "checks":
        for i, option in enumerate(what["enum"]):
            (expect(page.locator(f"#{ident}-{i}")).to_be_checked if option in value
             else expect(page.locator(f"#{ident}-{i}")).not_to_be_checked)()
    elif kind == "radio":
        index = what["enum"].index(value) if what["enum"] else value
        expect(page.locator(f"#{ident}-{index}")).to_be_checked()
    elif kind == "select":
        expect(page.locator(f"#{ident}")).to_have_value(str(what["enum"].index(value)))
    elif kind == "checkbox":
        box = expect(page.locator(f"#{ident}"))
        (box.to_be_checked if value else box.not_to_be_checked)()
    elif kind != "hidden":
        expect(page.locator(f"#{ident}")).to_have_value(str(value))


def normalise(value: Any, zone: str | None, ids: list[str]) -> Any:
    """Plan data with the browser's own ids and time zone taken out (collected in `ids`, checked apart)."""
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            if key == "id":
                ids.append(v)
            elif key == "tz":
                assert zone is None or v == zone, f"time zone {v!r}, the device's is {zone!r}"
            elif not (key == "done" and v is False):  # an unticked box is simply not stored
                out[key] = normalise(v, zone, ids)
        return out
    if isinstance(value, list):
        return [normalise(v, zone, ids) for v in value]
    return value


# -- tests --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sid", SCHEMA_IDS)
def test_fill_in_go_offline_reload_every_value_is_back(page: Page, site_url: str, watch: Any, sid: str) -> None:
    expected = load_json(DATA / f"form-plan-{sid}.json")
    open_form(page, f"{site_url}en/plans/{sid}/")
    expect(page.locator("#plan-form")).to_be_visible()
    fill(page, "f", expected)
    wait_saved(page)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=15_000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
        wait_saved(page)
        check(page, "f", expected)
        plan = stored(page)
    finally:
        page.context.set_offline(False)
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    ids: list[str] = []
    assert normalise(plan["data"], zone, ids) == normalise(expected, None, [])
    assert all(UUID.match(i) for i in ids) and len(set(ids)) == len(ids), ids
    assert plan["schema"] == sid and plan["schema_version"] == load_json(REPO / "schemas" / f"{sid}.json")["x-version"]
    schema = load_json(REPO / "schemas" / f"{sid}.json")
    errors = list(jsonschema.Draft202012Validator(schema, format_checker=FORMATS).iter_errors(plan["data"]))
    assert not errors, [e.message for e in errors]
    title_pointer = schema["x-title"].strip("/").split("/")
    title: Any = expected
    for part in title_pointer:
        title = title[int(part)] if isinstance(title, list) else title[part]
    assert page.title().startswith(title[:60])


def test_invalid_values_show_a_message_and_are_still_saved(page: Page, site_url: str, watch: Any) -> None:
    open_form(page, f"{site_url}en/plans/coaching-agreement/")
    email = page.locator("#f-coach-email")
    email.click()
    email.press_sequentially("eva coach@example.org")  # an @, yet not an address
    email.blur()
    error = page.locator("#f-coach-email-error")
    expect(error).to_have_text("Enter an email address, like name@example.org.")
    expect(error).to_be_visible()
    expect(email).to_have_attribute("aria-invalid", "true")
    assert "f-coach-email-error" in (email.get_attribute("aria-describedby") or "").split()
    # Announced to screen readers, once the field has changed.
    expect(page.locator("#plan-form [data-live]")).to_have_text("Enter an email address, like name@example.org.")
    wait_saved(page)
    assert stored(page)["data"]["coach"] == {"email": "eva coach@example.org"}  # a draft keeps what was typed

    # A required field is flagged once its group is begun, not on an untouched form.
    organisation_error = page.locator("#f-sponsor-organisation-error")
    expect(organisation_error).to_be_hidden()
    page.locator("#f-sponsor-contact").press_sequentially("Petra Lind")
    expect(organisation_error).to_have_text("Fill this in.")
    page.locator("#f-sponsor-organisation").press_sequentially("Acme")
    expect(organisation_error).to_be_hidden()

    email.fill("eva@coach.example")
    expect(error).to_be_hidden()
    expect(email).not_to_have_attribute("aria-invalid", "true")

    open_form(page, f"{site_url}en/plans/smart-action-plan/")
    baseline = page.locator("#f-goal-baseline")
    baseline.press_sequentially("1e")
    expect(page.locator("#f-goal-baseline-error")).to_have_text("Enter a number.")
    baseline.press("Backspace")
    expect(page.locator("#f-goal-baseline-error")).to_be_hidden()
    what = page.locator("#f-goal-what")
    what.fill("x" * 501)
    expect(page.locator("#f-goal-what-error")).to_have_text("Shorten this to 500 characters or fewer.")
    wait_saved(page)
    assert stored(page)["data"]["goal"]["what"] == "x" * 501
    page.reload()
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
    # A saved invalid value shows its message as soon as the plan opens.
    expect(page.locator("#f-goal-what-error")).to_have_text("Shorten this to 500 characters or fewer.")


def prompt(page: Page, text: str) -> Any:
    return page.locator(".prompt").filter(has_text=text)


def test_commitment_prompts_at_5_8_and_10(page: Page, site_url: str, watch: Any) -> None:
    open_form(page, f"{site_url}en/plans/smart-action-plan/")
    page.get_by_role("button", name="Add an action").click()
    scale = page.get_by_role("group", name="How committed are you to this action?")
    matters = prompt(page, "Does this action really matter to you?")
    to_ten = prompt(page, "What would make it a 10?")
    expect(matters).to_be_hidden()
    expect(to_ten).to_be_hidden()

    scale.get_by_label("5", exact=True).click()
    expect(matters).to_be_visible()
    expect(to_ten).to_be_hidden()
    page.get_by_label("Does this action really matter to you?").press_sequentially("Yes: it is the first step.")

    scale.get_by_label("8", exact=True).click()
    expect(matters).to_be_hidden()
    expect(to_ten).to_be_visible()
    page.get_by_label("What would make it a 10?").press_sequentially("A free morning")

    scale.get_by_label("10", exact=True).click()
    expect(matters).to_be_hidden()
    expect(to_ten).to_be_hidden()
    wait_saved(page)
    action = stored(page)["data"]["actions"][0]
    # The answers are kept even when the score moves on: they are the coachee's words.
    assert action["commitment"] == 10
    assert action["toTen"] == "A free morning"
    assert action["matters"] == "Yes: it is the first step."

    page.reload()
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
    expect(scale.get_by_label("10", exact=True)).to_be_checked()
    expect(to_ten).to_be_hidden()
    scale.get_by_label("10", exact=True).focus()
    page.keyboard.press("ArrowLeft")  # arrow keys move through the radio group: 10 -> 9
    expect(scale.get_by_label("9", exact=True)).to_be_checked()
    expect(to_ten).to_be_visible()
    expect(page.get_by_label("What would make it a 10?")).to_have_value("A free morning")


def test_lists_by_keyboard_add_move_remove(page: Page, site_url: str, watch: Any) -> None:
    open_form(page, f"{site_url}en/plans/smart-action-plan/")
    add_action = page.get_by_role("button", name="Add an action")
    add_action.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("What will you do?")).to_be_focused()
    page.keyboard.type("Call the printer")
    add_step = page.get_by_role("button", name="Add a step")
    for text in ("first", "second", "third"):
        add_step.focus()
        page.keyboard.press("Enter")
        page.keyboard.type(text)
    expect(page.get_by_role("button", name="Move Step 1 up")).to_be_disabled()
    page.get_by_role("button", name="Move Step 3 up").focus()
    page.keyboard.press("Enter")
    # Focus follows the moved step, so pressing again moves it further.
    expect(page.get_by_role("button", name="Move Step 2 up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move Step 1 down")).to_be_focused()
    expect(page.locator("#plan-form [data-live]")).to_have_text("Step moved to position 1.")
    page.get_by_role("button", name="Remove Step 3").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#plan-form [data-live]")).to_have_text("Step 3 removed.")
    expect(page.get_by_label("Step 2")).to_be_focused()  # the last one left, as nothing follows it
    wait_saved(page)
    assert stored(page)["data"]["actions"][0]["steps"] == ["third", "first"]
    page.reload()
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Step 1")).to_have_value("third")
    expect(page.get_by_label("Step 2")).to_have_value("first")


QUOTA_ONCE = """
window.__quotaOnce = false;
const realPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (window.__quotaOnce && this.name === "plans") {
    window.__quotaOnce = false;
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return realPut.apply(this, args);
};
"""


def test_storage_error_keeps_the_text_and_retries(page: Page, site_url: str, watch: Any) -> None:
    page.add_init_script(QUOTA_ONCE)
    open_form(page, f"{site_url}en/plans/grow-session/")
    goal = page.locator("#f-goal-what")
    goal.click()
    goal.press_sequentially("Run shorter meetings")
    wait_saved(page)
    page.evaluate("window.__quotaOnce = true")
    goal.press_sequentially(" on Mondays")
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-save-state", "failed")
    expect(page.locator("[data-save-text]")).to_contain_text("Not saved: This device has no room left")
    retry = page.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()
    expect(goal).to_have_value("Run shorter meetings on Mondays")
    retry.click()
    wait_saved(page)
    expect(retry).to_be_hidden()
    page.reload()
    expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
    expect(page.locator("#f-goal-what")).to_have_value("Run shorter meetings on Mondays")


def test_same_plan_in_two_tabs(page: Page, site_url: str, watch: Any) -> None:
    open_form(page, f"{site_url}en/plans/oskar-session/")
    page.get_by_role("button", name="Add an outcome").click()
    page.locator(f"#{page.evaluate(LAST_ITEM, 'f-outcomes')}-what").press_sequentially("Calmer Mondays")
    wait_saved(page)
    url = page.url
    other = page.context.new_page()
    other.add_init_script(QUOTA_ONCE)
    other.goto(url)
    expect(other.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
    other_what = other.get_by_label("What outcome do you want?")
    expect(other_what).to_have_value("Calmer Mondays")

    # A tab without unsaved edits follows the other tab's save and says so.
    page.get_by_label("What is already working well?").press_sequentially("Mornings")
    wait_saved(page)
    expect(other.get_by_label("What is already working well?")).to_have_value("Mornings")
    expect(other.locator("[data-plan-notice]")).to_contain_text("changed in another tab")

    # A tab with unsaved edits (its save failed) asks which version to keep.
    revision = stored(page)["revision"]
    other.evaluate("window.__quotaOnce = true")
    other_what.press_sequentially(" and Fridays")
    expect(other.locator("[data-plan-page]")).to_have_attribute("data-save-state", "failed")
    page.get_by_label("What is already working well?").press_sequentially(" and lunch")
    wait_saved(page)
    expect(other.locator("[data-plan-notice]")).to_contain_text("Which version do you want to keep?")
    other.get_by_role("button", name="Keep mine").click()
    wait_saved(other)
    # The first tab had nothing unsaved: it now shows the version that was kept.
    expect(page.get_by_label("What outcome do you want?")).to_have_value("Calmer Mondays and Fridays")
    plan = stored(page)
    assert plan["data"]["outcomes"][0]["what"] == "Calmer Mondays and Fridays"
    assert plan["data"]["affirm"] == "Mornings"  # the other tab kept its own version, as chosen
    assert plan["revision"] > revision + 1  # the first tab's save, then the kept version on top of it
    other.close()


@pytest.mark.parametrize("sid", SCHEMA_IDS)
def test_no_axe_violation(page: Page, site_url: str, sid: str) -> None:
    open_form(page, f"{site_url}en/plans/{sid}/")
    # Every list gets an item, so what the templates hold is checked too, and the prompts show.
    for _ in range(3):
        for button in page.locator("[data-list-add]").all():
            if button.is_visible() and page.evaluate(
                    "(b) => b.closest('[data-kind=array]').querySelector(':scope > [data-items]').children.length"
                    " === 0", button.element_handle()):
                button.click()
    for scale in page.locator(".scale").all():
        scale.get_by_label("8", exact=True).click()
    if page.locator("input[type=email]").count():
        page.locator("input[type=email]").first.fill("no at sign")  # an error message shown, too
        page.keyboard.press("Tab")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


V1_PLAN = {
    "goal": {"what": "Answer every customer within a day", "baseline": 40, "target": 90},
    "actions": [{"what": "Block 9:00-9:30 for the inbox", "when": "2025-03-03T09:00", "commitment": 7,
                 "toTen": "A quiet room", "steps": ["Tell the team"]},
                {"what": "Review the week's answers", "when": "2025-03-07"}],
    "reviewDate": "2025-04-01",
}


def copy_site(dest: Path, schema_file: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("templates", "site_src", "content", "schemas"):
        shutil.copytree(REPO / name, dest / name)
    (dest / "site.toml").write_text('name = "Passo"\nlanguages = ["en"]\nsearch = false\n', encoding="utf-8")
    shutil.copy(schema_file, dest / "schemas" / "smart-action-plan.json")
    return dest


def test_a_version_1_plan_opens_after_a_version_2_build(browser: Browser, playwright: Any, tmp_path: Path,
                                                       serve_dir: Callable[..., str]) -> None:
    v1_site = copy_site(tmp_path / "v1", DATA / "schema-smart-action-plan-v1.json")
    (v1_site / "schemas" / "smart-action-plan.migrate.js").unlink()
    dist = tmp_path / "dist"
    build(v1_site, dist, incremental=False)
    url = serve_dir(dist)
    device = {k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
    # No service worker: the second build must reach the page, as it would after the update prompt.
    context = browser.new_context(**device, service_workers="block", timezone_id="Europe/Rome")
    page = context.new_page()
    try:
        open_form(page, f"{url}en/plans/smart-action-plan/")
        fill(page, "f", V1_PLAN)
        wait_saved(page)
        old = stored(page)
        assert old["schema_version"] == 1 and old["data"]["actions"][0]["when"] == "2025-03-03T09:00"

        build(copy_site(tmp_path / "v2", REPO / "schemas" / "smart-action-plan.json"), dist, incremental=False)
        page.reload()
        expect(page.locator("[data-plan-page]")).to_have_attribute("data-ready", "true")
        expect(page.locator("#f-goal-what")).to_have_value("Answer every customer within a day")
        first, second = page.evaluate(ITEM_IDS, "f-actions")
        expect(page.locator(f"#{first}-when-date")).to_have_value("2025-03-03")
        expect(page.locator(f"#{first}-when-time")).to_have_value("09:00")
        expect(page.locator(f"#{second}-when-date")).to_have_value("2025-03-07")
        expect(page.locator(f"#{second}-when-time")).to_have_value("")
        expect(page.locator("#f-review-when-date")).to_have_value("2025-04-01")
        assert stored(page)["schema_version"] == 1  # reading never rewrites; the next save does

        # One edit, one save (typed key by key on a busy machine, autosave may rightly save twice).
        page.locator(f"#{second}-planB").fill("Friday afternoon instead")
        wait_saved(page)
        new = stored(page)
        current = load_json(REPO / "schemas" / "smart-action-plan.json")["x-version"]
        assert new["schema_version"] == current and new["revision"] == old["revision"] + 1
        schema = load_json(REPO / "schemas" / "smart-action-plan.json")
        errors = [e.message for e in jsonschema.Draft202012Validator(
            schema, format_checker=FORMATS).iter_errors(new["data"])]
        assert not errors, errors
        actions = new["data"]["actions"]
        assert actions[0]["when"] == {"date": "2025-03-03", "time": "09:00", "tz": "Europe/Rome"}
        assert actions[1]["when"] == {"date": "2025-03-07", "tz": "Europe/Rome"}
        assert actions[1]["planB"] == "Friday afternoon instead"
        assert actions[0]["toTen"] == "A quiet room" and actions[0]["steps"] == ["Tell the team"]
        assert new["data"]["review"]["when"] == {"date": "2025-04-01", "tz": "Europe/Rome"}
        assert "reviewDate" not in new["data"]
        assert UUID.match(actions[0]["id"]) and UUID.match(new["data"]["review"]["id"])
    finally:
        context.close()
