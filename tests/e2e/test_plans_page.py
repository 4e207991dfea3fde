"""My plans in Debian's Chromium (Pixel 7): storage, undo, two tabs, quota errors, migrations, accessibility.

Plans are put into IndexedDB with the raw API (as an older version of the app would have left them), after the
page has created the database; the page is then reloaded and read like a coachee would.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.snippets import GET_PLAN as GET_RAW
from tests.e2e.snippets import PUT_PLANS as PUT_RAW

pytestmark = pytest.mark.e2e



# The fingerprinted URL of one of the app's modules, found among the resources the page loaded.
MODULE_URL = """(name) => performance.getEntriesByType("resource").map((e) => e.name)
  .find((u) => new RegExp(`/${name}(\\\\.[0-9a-f]+)?\\\\.js$`).test(u))"""

# Arms IDBObjectStore.put to throw QuotaExceededError once, as a full disk does.
QUOTA_ONCE = """
window.__quotaOnce = false;
const realPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (window.__quotaOnce) {
    window.__quotaOnce = false;
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return realPut.apply(this, args);
};
"""

PLAN_ID = "0b6f1a52-3c1e-4a8e-9d3b-1f2a3b4c5d01"


def plans_url(site_url: str, lang: str = "en") -> str:
    return f"{site_url}{lang}/plans/"


def open_plans(page: Page, site_url: str, lang: str = "en") -> None:
    page.goto(plans_url(site_url, lang))
    page.wait_for_selector("html[data-plans-ready]")


def reload(page: Page) -> None:
    page.reload()
    page.wait_for_selector("html[data-plans-ready]")


def schema_info(page: Page, site_url: str) -> dict:
    """Each schema of the built site: version, x-title pointer, and the path to its first action list."""
    return page.evaluate(
        """async (root) => {
          const index = await (await fetch(root + "schemas/index.json")).json();
          const out = {};
          for (const [id, e] of Object.entries(index.schemas)) {
            out[id] = {version: e.version, schema: await (await fetch(root + e.url)).json()};
          }
          return out;
        }""",
        site_url,
    )


def deref(root: dict, node: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def action_list(root: dict) -> tuple[list[str], dict] | None:
    """(path of properties to an array of x-calendar actions, the action schema), searching top-level
    properties and one level of nested objects."""
    def search(node: dict, path: list[str]) -> tuple[list[str], dict] | None:
        node = deref(root, node)
        for key, child in (node.get("properties") or {}).items():
            child = deref(root, child)
            if child.get("type") == "array":
                item = deref(root, child.get("items", {}))
                cal = item.get("x-calendar") or {}
                if cal.get("kind") == "action" and cal.get("done"):
                    return [*path, key], item
            elif child.get("type") == "object" and len(path) < 2:
                found = search(child, [*path, key])
                if found:
                    return found
        return None
    return search(root, [])


def nest(pointer: str, value: object) -> object:
    """Data holding value at pointer; a numeric step becomes a one-item list."""
    keys = pointer.strip("/").split("/") if pointer.strip("/") else []
    for key in reversed(keys):
        value = [value] if key.isdigit() else {key: value}
    return value


def at_pointer(data: object, pointer: str) -> object:
    for key in pointer.strip("/").split("/"):
        data = data[int(key)] if isinstance(data, list) else data.get(key)  # type: ignore[union-attr]
    return data


def merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


def action_plan(info: dict, title: str, done: list[bool], plan_id: str = PLAN_ID,
                updated: str = "2025-03-01T10:00:00Z") -> dict:
    """A stored plan of the first schema with an x-title and an action list: its title and actions."""
    for sid, entry in sorted(info.items()):
        schema = entry["schema"]
        found = action_list(schema)
        if not (schema.get("x-title") and found):
            continue
        path, item = found
        cal = item["x-calendar"]
        actions = []
        for i, is_done in enumerate(done):
            action: dict = {"id": f"00000000-0000-4000-8000-00000000000{i}"}
            if cal.get("summary"):
                action = merge(action, nest(cal["summary"], f"Action number {i + 1}"))
            actions.append(merge(action, nest(cal["done"], is_done)))
        data = merge(nest(schema["x-title"], title), nest("/" + "/".join(path), actions))
        return {"format": "passo-plan", "format_version": 1, "schema": sid, "schema_version": entry["version"],
                "id": plan_id, "revision": 3, "created": "2025-01-01T09:00:00Z", "updated": updated,
                "lang": "en", "data": data}
    raise AssertionError("no schema with x-title and an action list in the built site")


def wait_for_service_worker(page: Page) -> None:
    """The service worker controls the page once it has precached the whole site. On a loaded machine one
    precache request can fail and the install with it; a reload starts a fresh install, as a revisit would."""
    for attempt in range(3):
        try:
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=40_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            reload(page)


def axe_clean(page: Page) -> None:
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


# ---- tests ----


def test_empty_list_is_accessible_and_says_what_to_do(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    expect(page.locator("#plans-empty")).to_be_visible()
    expect(page.locator("#plan-list > li")).to_have_count(0)
    # one link per plan kind, to its form
    links = page.locator("a[data-schema]")
    assert links.count() >= 1
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href and href.endswith(f"{links.nth(i).get_attribute('data-schema')}/")
    axe_clean(page)


def test_list_shows_title_kind_change_progress_and_is_accessible(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    info = schema_info(page, site_url)
    hostile = 'Run 10 km <img src=x onerror="window.pwned=1"> & more'
    plan = action_plan(info, hostile, [True, False, False])
    untitled = {**action_plan(info, "", [], plan_id="0b6f1a52-3c1e-4a8e-9d3b-1f2a3b4c5d02",
                              updated="2025-02-01T10:00:00Z"), "data": {}}
    page.evaluate(PUT_RAW, [plan, untitled])
    reload(page)
    rows = page.locator("#plan-list > li")
    expect(rows).to_have_count(2)
    first = rows.nth(0)
    # stored text is shown as text, never parsed as HTML
    expect(first.locator(".plan-open")).to_have_text(hostile)
    assert page.locator("#plan-list img").count() == 0
    assert page.evaluate("window.pwned") is None
    expect(first.locator(".plan-count")).to_have_text("1 of 3 actions done")
    expect(first.locator(".plan-open")).to_have_attribute("href", re.compile(rf"{plan['schema']}/\?id={PLAN_ID}$"))
    kind = page.locator(f"a[data-schema='{plan['schema']}']").inner_text().strip()
    expect(first.locator(".plan-kind")).to_have_text(kind)
    expect(first.locator(".plan-changed")).to_have_attribute("datetime", plan["updated"])
    expect(first.locator(".plan-changed")).to_have_text(
        page.evaluate("""(iso) => new Intl.DateTimeFormat("en", {dateStyle: "medium", timeStyle: "short"})
                         .format(new Date(iso))""", plan["updated"]))
    expect(rows.nth(1).locator(".plan-open")).to_have_text("Untitled plan")
    expect(page.locator("#plans-count")).to_have_text("2 plans on this device")
    first.locator(".plan-actions summary").click()
    expect(first.locator(".action-list input")).to_have_count(3)
    axe_clean(page)


def test_mark_done_updates_progress_and_persists_offline(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    plan = action_plan(schema_info(page, site_url), "Learn the violin", [True, False, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    row.locator(".plan-actions summary").click()
    box = row.locator(".action-list input").nth(1)
    box.check()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 3 actions done")
    stored = page.evaluate(GET_RAW, PLAN_ID)
    assert stored["revision"] == plan["revision"] + 1
    assert sorted(stored) == sorted(plan), "stored plans keep exactly the plan-file shape"
    # keyboard: the checkbox keeps focus after the row is redrawn, so Space toggles it back
    focused = page.locator(f"li[data-id='{PLAN_ID}'] .action-list input").nth(1)
    expect(focused).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("1 of 3 actions done")
    page.keyboard.press("Space")
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 3 actions done")

    reload(page)
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 3 actions done")
    # offline: the service worker serves the page, IndexedDB the plans
    wait_for_service_worker(page)
    page.context.set_offline(True)
    try:
        reload(page)
        expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 3 actions done")
        expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-open")).to_have_text("Learn the violin")
    finally:
        page.context.set_offline(False)


def test_delete_then_undo_restores_the_plan_in_place(page: Page, site_url: str, watch) -> None:
    page.clock.install()
    open_plans(page, site_url)
    info = schema_info(page, site_url)
    plans = [action_plan(info, f"Plan {i}", [False], plan_id=f"0b6f1a52-3c1e-4a8e-9d3b-1f2a3b4c5d1{i}",
                         updated=f"2025-03-0{9 - i}T10:00:00Z") for i in range(3)]
    page.evaluate(PUT_RAW, plans)
    reload(page)
    middle = plans[1]["id"]
    page.locator(f"li[data-id='{middle}'] button[data-act='delete']").click()
    expect(page.locator(f"li[data-id='{middle}']")).to_have_count(0)
    toast = page.locator("#plans-toast")
    expect(toast).to_contain_text("Deleted “Plan 1”.")
    expect(toast).to_have_attribute("role", "status")
    undo = toast.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    assert page.evaluate(GET_RAW, middle) is None
    # the toast waits while it has focus (WCAG 2.2.1), so keyboard users are never rushed
    page.clock.run_for(20_000)
    expect(undo).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator(f"li[data-id='{middle}'] .plan-open")).to_be_focused()
    ids = page.locator("#plan-list > li").evaluate_all("(rows) => rows.map((r) => r.dataset.id)")
    assert ids == [p["id"] for p in plans]
    expect(page.locator(f"li[data-id='{middle}'] .plan-open")).to_be_focused()
    assert page.evaluate(GET_RAW, middle) == plans[1]  # restored as it was, revision included

    # without undo, the toast leaves after ~8 s and the plan stays deleted
    page.locator(f"li[data-id='{middle}'] button[data-act='delete']").click()
    page.locator("h1").click()  # focus leaves the toast
    page.clock.run_for(9_000)
    expect(toast).to_be_empty()
    reload(page)
    expect(page.locator("#plan-list > li")).to_have_count(2)


def test_duplicate_makes_an_independent_copy(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    plan = action_plan(schema_info(page, site_url), "Speak at the meeting", [True, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    page.locator(f"li[data-id='{PLAN_ID}'] button[data-act='duplicate']").click()
    rows = page.locator("#plan-list > li")
    expect(rows).to_have_count(2)
    expect(page.locator("#plans-toast")).to_contain_text("Copy saved")
    copy_id = rows.nth(0).get_attribute("data-id")
    assert copy_id != PLAN_ID
    copied = page.evaluate(GET_RAW, copy_id)
    assert copied["revision"] == 1 and copied["data"] == plan["data"] and copied["created"] != plan["created"]
    # changing the copy leaves the original alone
    rows.nth(0).locator(".plan-actions summary").click()
    rows.nth(0).locator(".action-list input").nth(1).check()
    expect(page.locator(f"li[data-id='{copy_id}'] .plan-count")).to_have_text("2 of 2 actions done")
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("1 of 2 actions done")
    reload(page)
    expect(rows).to_have_count(2)


def test_two_tabs_see_each_others_changes(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    plan = action_plan(schema_info(page, site_url), "Two tabs", [False, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    other = page.context.new_page()
    open_plans(other, site_url)
    row_here = page.locator(f"li[data-id='{PLAN_ID}']")
    row_there = other.locator(f"li[data-id='{PLAN_ID}']")

    row_there.locator(".plan-actions summary").click()
    row_there.locator(".action-list input").nth(0).check()
    expect(row_here.locator(".plan-count")).to_have_text("1 of 2 actions done")

    # a save in this tab from a stale copy is refused as a conflict, and nothing the other tab saved is lost
    store = page.evaluate(MODULE_URL, "store")
    result = page.evaluate(
        """async ([url, plan]) => {
          const s = await import(url);
          try { await s.savePlan(plan, {baseRevision: plan.revision}); return "saved"; }
          catch (e) { return [e.name, e.kind, e.current && e.current.revision]; }
        }""",
        [store, plan],
    )
    assert result == ["StorageError", "conflict", plan["revision"] + 1]
    # the list in a stale tab applies a mark-done to the newer plan instead of overwriting it
    row_here.locator(".plan-actions summary").click()
    row_here.locator(".action-list input").nth(1).check()
    expect(row_there.locator(".plan-count")).to_have_text("2 of 2 actions done")

    other.locator(f"li[data-id='{PLAN_ID}'] button[data-act='delete']").click()
    expect(page.locator(f"li[data-id='{PLAN_ID}']")).to_have_count(0)
    other.locator("#plans-toast").get_by_role("button", name="Undo").click()
    expect(page.locator(f"li[data-id='{PLAN_ID}']")).to_have_count(1)
    other.close()


def test_quota_error_shows_a_retry_and_loses_nothing(page: Page, site_url: str, watch) -> None:
    page.add_init_script(QUOTA_ONCE)
    open_plans(page, site_url)
    plan = action_plan(schema_info(page, site_url), "Full disk", [False, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    row.locator(".plan-actions summary").click()
    page.evaluate("window.__quotaOnce = true")
    row.locator(".action-list input").nth(0).click()
    alert = page.locator("#plans-alert")
    expect(alert).to_contain_text("no room left")
    expect(alert).to_contain_text("Everything saved before is still here")
    retry = alert.get_by_role("button", name="Try again")
    expect(retry).to_be_focused()
    # not saved, and shown as not saved
    expect(row.locator(".action-list input").nth(0)).not_to_be_checked()
    assert page.evaluate(GET_RAW, PLAN_ID) == plan
    retry.click()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("1 of 2 actions done")
    expect(alert).to_be_empty()
    reload(page)
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("1 of 2 actions done")
    stored = page.evaluate(GET_RAW, PLAN_ID)
    assert stored["revision"] == plan["revision"] + 1


# A schema and its migrations served in place of the build's index: the test does not depend on which schema
# versions the example site ships. Version 1 kept {"title", "todo": [strings]}; 3 has a name and action objects.
TEST_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "test-migration", "x-version": 3,
    "title": "Migration test", "type": "object", "additionalProperties": False, "x-title": "/name",
    "properties": {
        "name": {"type": "string"},
        "actions": {"type": "array", "x-add": "Add", "items": {
            "type": "object", "additionalProperties": False, "required": ["id"],
            "x-calendar": {"kind": "action", "summary": "/what", "when": "/when", "done": "/done"},
            "properties": {"id": {"type": "string", "x-widget": "hidden"}, "what": {"type": "string"},
                           "when": {"type": "object", "x-widget": "when"}, "done": {"type": "boolean"}}}},
    },
}
TEST_MIGRATIONS = """export const migrations = {
  1: (d) => ({name: d.title, actions: (d.todo || []).map((what, i) => ({id: `a${i}`, what}))}),
  2: (d) => ({...d, actions: d.actions.map((a) => ({...a, done: a.what.startsWith("[x] ")}))}),
};
"""


def route_test_schema(page: Page, version: int = 3) -> None:
    def index(route):
        response = route.fetch()
        body = response.json()
        body["schemas"]["test-migration"] = {"version": version, "url": "schemas/test-migration.json",
                                             "migrate": "schemas/test-migration.migrate.js"}
        route.fulfill(response=response, body=json.dumps(body))

    page.route("**/schemas/index.json", index)
    schema = copy.deepcopy(TEST_SCHEMA)
    schema["x-version"] = version
    page.route("**/schemas/test-migration.json",
               lambda r: r.fulfill(status=200, content_type="application/json", body=json.dumps(schema)))
    page.route("**/schemas/test-migration.migrate.js",
               lambda r: r.fulfill(status=200, content_type="text/javascript", body=TEST_MIGRATIONS))


@pytest.fixture
def page_no_sw(browser, browser_context_args):  # type: ignore[no-untyped-def]
    """A phone page like `page`, with the service worker blocked: page.route() does not see requests a
    service worker makes, so routed schema files would never reach the app."""
    context = browser.new_context(**{**browser_context_args, "service_workers": "block"})
    yield context.new_page()
    context.close()


def old_plan(plan_id: str, version: int, data: dict) -> dict:
    return {"format": "passo-plan", "format_version": 1, "schema": "test-migration", "schema_version": version,
            "id": plan_id, "revision": 2, "created": "2024-05-01T08:00:00Z", "updated": "2024-05-02T08:00:00Z",
            "lang": "en", "data": data}


def test_v1_plan_is_migrated_on_read_and_written_back_on_next_save(page_no_sw: Page, site_url: str) -> None:
    page = page_no_sw
    route_test_schema(page)
    open_plans(page, site_url)
    v1 = old_plan(PLAN_ID, 1, {"title": "Old shape", "todo": ["[x] Book a room", "Send the invitation"]})
    page.evaluate(PUT_RAW, [v1])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    expect(row.locator(".plan-open")).to_have_text("Old shape")
    expect(row.locator(".plan-count")).to_have_text("1 of 2 actions done")
    store = page.evaluate(MODULE_URL, "store")
    read = page.evaluate("async ([u, id]) => (await import(u)).getPlan(id)", [store, PLAN_ID])
    assert read["schema_version"] == 3
    assert read["data"] == {"name": "Old shape", "actions": [
        {"id": "a0", "what": "[x] Book a room", "done": True}, {"id": "a1", "what": "Send the invitation",
                                                                 "done": False}]}
    assert page.evaluate(GET_RAW, PLAN_ID) == v1, "reading never rewrites the stored original"
    row.locator(".plan-actions summary").click()
    row.locator(".action-list input").nth(1).check()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 2 actions done")
    stored = page.evaluate(GET_RAW, PLAN_ID)
    assert stored["schema_version"] == 3 and stored["revision"] == 3
    assert stored["data"]["actions"][1] == {"id": "a1", "what": "Send the invitation", "done": True}


def test_plan_newer_than_the_app_is_kept_untouched(page_no_sw: Page, site_url: str) -> None:
    page = page_no_sw
    route_test_schema(page, version=2)
    open_plans(page, site_url)
    newer = old_plan(PLAN_ID, 7, {"name": "From the future", "actions": [{"id": "a", "what": "x", "done": False}],
                                  "unknown": {"kept": True}})
    page.evaluate(PUT_RAW, [newer])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    expect(row.locator(".plan-note")).to_contain_text("newer version of Passo")
    row.locator(".plan-actions summary").click()
    expect(row.locator(".action-list input")).to_be_disabled()
    store = page.evaluate(MODULE_URL, "store")
    kind = page.evaluate(
        """async ([u, id]) => { const s = await import(u); const p = await s.getPlan(id);
             try { await s.savePlan({...p, schema_version: 2}); return "saved"; } catch (e) { return e.kind; } }""",
        [store, PLAN_ID])
    assert kind == "newer"
    assert page.evaluate(GET_RAW, PLAN_ID) == newer


def test_messages_fall_back_to_english_without_a_catalogue(page_no_sw: Page, site_url: str) -> None:
    page = page_no_sw
    page.route("**/i18n/*.json", lambda r: r.fulfill(status=404, body="not found"))
    open_plans(page, site_url, "it")
    plan = action_plan(schema_info(page, site_url), "Senza catalogo", [True, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    expect(row.locator(".plan-count")).to_have_text("1 of 2 actions done")
    # dates still follow the page language
    expect(row.locator(".plan-changed")).to_have_text(
        page.evaluate("""(iso) => new Intl.DateTimeFormat("it", {dateStyle: "medium", timeStyle: "short"})
                         .format(new Date(iso))""", plan["updated"]))


def test_real_v1_action_plan_opens_at_the_current_version(page: Page, site_url: str, watch) -> None:
    """The example site's smart-action-plan is at version 2; a plan stored under version 1 still shows and
    counts its actions, and only a save writes the migrated shape."""
    open_plans(page, site_url)
    info = schema_info(page, site_url)
    current = info["smart-action-plan"]["version"]
    assert current >= 2, "this test needs the example schema at version 2 or later"
    v1 = {"format": "passo-plan", "format_version": 1, "schema": "smart-action-plan", "schema_version": 1,
          "id": PLAN_ID, "revision": 5, "created": "2024-09-01T08:00:00Z", "updated": "2024-09-02T08:00:00Z",
          "lang": "en", "data": {
              "goal": {"what": "Cut error reports from 10% to 5%"},
              "actions": [{"what": "Check the reports every Monday", "when": "2025-03-03T09:00", "done": True},
                          {"what": "Ask the team what slows them down", "when": "2025-03-05"}],
              "reviewDate": "2025-04-01"}}
    page.evaluate(PUT_RAW, [v1])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    expect(row.locator(".plan-open")).to_have_text("Cut error reports from 10% to 5%")
    expect(row.locator(".plan-count")).to_have_text("1 of 2 actions done")
    expect(row.locator(".plan-note")).to_be_hidden()
    store = page.evaluate(MODULE_URL, "store")
    read = page.evaluate("async ([u, id]) => (await import(u)).getPlan(id)", [store, PLAN_ID])
    assert read["schema_version"] == current
    first, second = read["data"]["actions"]
    assert first["when"]["date"] == "2025-03-03" and first["when"]["time"] == "09:00" and first["when"]["tz"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", second["id"])
    assert page.evaluate(GET_RAW, PLAN_ID) == v1, "reading never rewrites the stored original"

    row.locator(".plan-actions summary").click()
    expect(row.locator(".action-list label").nth(1)).to_have_text("Ask the team what slows them down")
    row.locator(".action-list input").nth(1).check()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 2 actions done")
    stored = page.evaluate(GET_RAW, PLAN_ID)
    assert stored["schema_version"] == current and stored["revision"] == 6
    assert [a["id"] for a in stored["data"]["actions"]] == [first["id"], second["id"]], "ids stay stable"
    assert stored["data"]["actions"][1]["done"] is True
    assert "reviewDate" not in stored["data"]


def test_oskar_plan_shows_its_scale_as_an_accessible_sparkline(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    info = schema_info(page, site_url)
    data = {"outcomes": [{"what": "Give feedback in the week it is due",
                          "scale": [{"date": "2025-03-03", "score": 6}, {"date": "2025-02-03", "score": 3}]}]}
    plan = {"format": "passo-plan", "format_version": 1, "schema": "oskar-session",
            "schema_version": info["oskar-session"]["version"], "id": PLAN_ID, "revision": 1,
            "created": "2025-02-03T08:00:00Z", "updated": "2025-03-03T08:00:00Z", "lang": "en", "data": data}
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    svg = page.locator(f"li[data-id='{PLAN_ID}'] svg[role='img']")
    expect(svg).to_have_count(1)
    name = page.evaluate("(id) => document.getElementById(id).textContent", svg.get_attribute("aria-labelledby"))
    assert name == "Give feedback in the week it is due: scale 1 to 10: 3 on Feb 3, 2025, 6 on Mar 3, 2025"
    axe_clean(page)


def test_charts_are_images_with_their_values_in_words_and_in_a_table(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    charts = page.evaluate(MODULE_URL, "charts")
    page.evaluate(
        """async (url) => {
          const c = await import(url);
          const main = document.querySelector("#plans");
          for (const id of ["scale", "commitment", "empty"]) {
            const div = document.createElement("div");
            div.id = `test-${id}`;
            main.appendChild(div);
          }
          c.renderScaleChart(document.getElementById("test-scale"),
            [{date: "2025-03-01", score: 4}, {date: "2025-01-10", value: 2}, {date: "bad", value: 9},
             {date: "2025-04-01", value: 8}], {label: "Calmer meetings"});
          c.renderCommitmentChart(document.getElementById("test-commitment"),
            [{label: "Book the room", commitment: 9}, {label: "Call Anna", commitment: 5},
             {label: "", commitment: null}]);
          c.renderScaleChart(document.getElementById("test-empty"), []);
        }""",
        charts,
    )
    scale = page.locator("#test-scale")
    expect(scale.locator("svg[role='img'] title")).to_have_text(
        "Calmer meetings: scale 1 to 10: 2 on Jan 10, 2025, 4 on Mar 1, 2025, 8 on Apr 1, 2025")
    expect(scale.locator("svg circle")).to_have_count(3)  # the undated point is left out, not drawn at 0
    expect(scale.locator("table.visually-hidden tbody tr")).to_have_count(3)
    expect(scale.locator("table caption")).to_have_text("Calmer meetings")
    commitment = page.locator("#test-commitment")
    expect(commitment.locator("svg title")).to_have_text(
        "Commitment: Book the room 9; Call Anna 5; Action 3 not scored")
    expect(commitment.locator("rect.chart-bar")).to_have_count(2)
    expect(commitment.locator("rect.chart-low")).to_have_count(1)  # under 7 stands out
    expect(commitment.locator("table tbody tr").nth(2)).to_have_text("Action 3not scored")
    expect(page.locator("#test-empty")).to_have_text("Scale: no scale recorded yet")
    axe_clean(page)


IT_CATALOGUE = {"lang": "it", "messages": {
    "{n} plan on this device": ["{n} piano su questo dispositivo", "{n} piani su questo dispositivo"],
    "Undo": "Annulla",
    "verb\u0004Open": "Apri",
    "Deleted “{title}”.": "",  # an empty translation falls back to English, never to a blank
}}


def test_i18n_plural_rules_context_and_intl_formats(page_no_sw: Page, site_url: str) -> None:
    page = page_no_sw
    page.route("**/i18n/it.json", lambda r: r.fulfill(status=200, content_type="application/json",
                                                      body=json.dumps(IT_CATALOGUE)))
    open_plans(page, site_url, "it")
    i18n = page.evaluate(MODULE_URL, "i18n")
    got = page.evaluate(
        """async (url) => {
          const i = await import(url);
          await i.loadMessages();
          return {
            one: i.n("{n} plan on this device", "{n} plans on this device", 1),
            many: i.n("{n} plan on this device", "{n} plans on this device", 1234),
            zero: i.n("{n} plan on this device", "{n} plans on this device", 0),
            untranslated: i.n("{n} file", "{n} files", 1),
            t: i.t("Undo"), tp: i.tp("verb", "Open"), tpMissing: i.tp("noun", "Open"),
            empty: i.t("Deleted “{title}”.", {title: "X"}),
            date: i.formatDate("2025-03-01"), number: i.formatNumber(12345.5), bytes: i.formatBytes(1234567),
          };
        }""",
        i18n,
    )
    assert got == {
        "one": "1 piano su questo dispositivo",
        "many": "1234 piani su questo dispositivo",  # Italian groups from 5 digits: Intl, not a catalogue rule
        "zero": "0 piani su questo dispositivo",
        "untranslated": "1 file",
        "t": "Annulla", "tp": "Apri", "tpMissing": "Open",
        "empty": "Deleted “X”.",
        "date": "1 mar 2025", "number": "12.345,5", "bytes": "1,2 MB",
    }
    expect(page.locator("#plans-count")).to_be_hidden()
    expect(page.locator("#plans-empty")).to_be_visible()


# Makes IDBDatabase.transaction throw InvalidStateError (a connection closed under the page) n times when armed.
# The connection closes under a save: only transactions that write plans fail, so what the page reads or notes on
# its own meanwhile (the app badge, the backup reminder, a flag in "meta") cannot use up the failures meant for it.
CLOSED_CONNECTION = """
window.__closedTimes = 0;
const realTransaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (...args) {
  if (window.__closedTimes > 0 && args[1] === "readwrite" && [].concat(args[0]).includes("plans")) {
    window.__closedTimes -= 1;
    throw new DOMException("The database connection is closing.", "InvalidStateError");
  }
  return realTransaction.apply(this, args);
};
"""


def test_lost_connection_reopens_or_offers_a_retry(page: Page, site_url: str, watch) -> None:
    page.add_init_script(CLOSED_CONNECTION)
    open_plans(page, site_url)
    plan = action_plan(schema_info(page, site_url), "Closed connection", [False, False, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    row.locator(".plan-actions summary").click()
    # once: the store reopens the database by itself and the coachee notices nothing
    page.evaluate("window.__closedTimes = 1")
    row.locator(".action-list input").nth(0).check()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("1 of 3 actions done")
    expect(page.locator("#plans-alert")).to_be_empty()
    # twice: a clear message and a retry, and nothing saved before is lost
    page.evaluate("window.__closedTimes = 2")
    page.locator(f"li[data-id='{PLAN_ID}'] .action-list input").nth(1).click()  # check() would see it revert
    alert = page.locator("#plans-alert")
    expect(alert).to_contain_text("connection to this device's storage was lost")
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .action-list input").nth(1)).not_to_be_checked()
    alert.get_by_role("button", name="Try again").click()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 3 actions done")
    stored = page.evaluate(GET_RAW, PLAN_ID)
    assert stored["revision"] == plan["revision"] + 2
    pointers = page.locator(f"li[data-id='{PLAN_ID}'] .action-list input").evaluate_all(
        "(boxes) => boxes.map((b) => b.dataset.ptr)")
    assert [at_pointer(stored["data"], p) for p in pointers] == [True, True, False]


COUNT_PERSIST = """
window.__persistCalls = 0;
if (navigator.storage) {
  navigator.storage.persist = async () => { window.__persistCalls += 1; return false; };
  navigator.storage.persisted = async () => false;
}
"""


def test_persistent_storage_is_asked_once_after_the_first_save(page: Page, site_url: str, watch) -> None:
    page.add_init_script(COUNT_PERSIST)
    open_plans(page, site_url)
    assert page.evaluate("window.__persistCalls") == 0  # nothing saved yet: nothing to ask for
    plan = action_plan(schema_info(page, site_url), "Ask once", [False, False])
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    row = page.locator(f"li[data-id='{PLAN_ID}']")
    row.locator(".plan-actions summary").click()
    row.locator(".action-list input").nth(0).check()
    page.wait_for_function("() => window.__persistCalls === 1")
    page.locator(f"li[data-id='{PLAN_ID}'] .action-list input").nth(1).check()
    expect(page.locator(f"li[data-id='{PLAN_ID}'] .plan-count")).to_have_text("2 of 2 actions done")
    reload(page)
    page.locator(f"li[data-id='{PLAN_ID}'] button[data-act='duplicate']").click()
    expect(page.locator("#plan-list > li")).to_have_count(2)
    assert page.evaluate("window.__persistCalls") == 0  # this page load: already asked on this device


def test_list_is_accessible_in_dark_mode(page: Page, site_url: str, watch) -> None:
    page.emulate_media(color_scheme="dark")
    open_plans(page, site_url)
    info = schema_info(page, site_url)
    page.evaluate(PUT_RAW, [action_plan(info, "Dark", [True, False])])
    reload(page)
    page.locator(f"li[data-id='{PLAN_ID}'] .plan-actions summary").click()
    page.locator(f"li[data-id='{PLAN_ID}'] button[data-act='delete']").click()
    expect(page.locator("#plans-toast")).to_contain_text("Deleted")
    axe_clean(page)  # the toast included


def test_backup_reminder_and_safari_note_at_the_top_of_the_list(page: Page, site_url: str, watch) -> None:
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'standalone', {get: () => false});")
    open_plans(page, site_url)
    expect(page.locator("#plans-ios-tab")).to_be_visible()
    expect(page.locator("#plans-ios-tab")).to_contain_text("7 days without a visit")
    expect(page.locator("#plans-ios-app")).to_be_hidden()
    expect(page.locator("#plans-reminder")).to_be_hidden()  # nothing to back up yet
    plan = action_plan(schema_info(page, site_url), "Back me up", [False],
                       updated="2025-03-20T10:00:00Z")  # created 2025-01-01, never backed up
    page.evaluate(PUT_RAW, [plan])
    reload(page)
    reminder = page.locator("#plans-reminder")
    expect(reminder).to_be_visible()
    reminder.get_by_role("link", name="Back up all plans").click()
    expect(page.get_by_role("button", name="Back up all plans")).to_be_in_viewport()
    store = page.evaluate(MODULE_URL, "store")
    page.evaluate("async (u) => (await import(u)).setMeta('lastBackup', new Date().toISOString())", store)
    expect(reminder).to_be_hidden()
    axe_clean(page)


def test_a_backup_imported_in_another_tab_shows_here(page: Page, site_url: str, watch) -> None:
    open_plans(page, site_url)
    info = schema_info(page, site_url)
    plans = [action_plan(info, f"Imported {i}", [i % 2 == 0], plan_id=f"0b6f1a52-3c1e-4a8e-9d3b-{i:012x}",
                         updated=f"2025-03-{1 + i % 28:02d}T10:00:00Z") for i in range(30)]
    other = page.context.new_page()
    open_plans(other, site_url)
    store = other.evaluate(MODULE_URL, "store")
    other.evaluate("async ([u, plans]) => (await import(u)).putPlans(plans)", [store, plans])
    expect(page.locator("#plan-list > li")).to_have_count(30)  # 30 messages, one reload of the list
    expect(page.locator("#plans-count")).to_have_text("30 plans on this device")
    # and in the importing tab itself (the import/backup partial uses the same store call)
    expect(other.locator("#plan-list > li")).to_have_count(30)
    other.close()
