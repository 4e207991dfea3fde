"""Accessibility, on a phone: axe-core finds nothing on any kind of page in any language, nor on a filled-in form
or one showing its errors; the keyboard reaches every control in order, and the focus is always visible."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import REPO
from tests.e2e.snippets import READY
from tests.e2e.test_coachees import CY, cy_shares, other_shares
from tests.e2e.test_share import import_share, open_plans

pytestmark = pytest.mark.e2e

LANGUAGES: list[str] = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["languages"]
SCHEMAS = sorted(p.stem for p in (REPO / "schemas").glob("*.json"))
GUIDES = sorted(p.stem for p in (REPO / "content/en/guides").glob("*.md"))
AXE = Axe()

# The page is ready once its module has drawn what it draws (lists, storage status, export buttons).


def page_paths(lang: str) -> dict[str, str]:
    """Every kind of page that exists once per language; a different guide in each language."""
    guide = GUIDES[LANGUAGES.index(lang) % len(GUIDES)]
    paths = {"home": f"{lang}/", f"guide {guide}": f"{lang}/guides/{guide}/", "my plans": f"{lang}/plans/",
             "settings": f"{lang}/settings/", "privacy": f"{lang}/privacy/", "coachees": f"{lang}/coachees/"}
    paths.update({f"form {schema}": f"{lang}/plans/{schema}/" for schema in SCHEMAS})
    return paths


PER_LANGUAGE = [pytest.param(lang, path, id=f"{lang}-{kind}") for lang in LANGUAGES
                for kind, path in page_paths(lang).items()]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """No service worker here: axe audits what is drawn, and precaching the site in every fresh context would
    only slow the audits down. The offline page, which needs the worker, opens its own context."""
    return {**browser_context_args, "service_workers": "block"}


def open_ready(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY)


def assert_no_violations(page: Page) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"


# --- every page kind, every language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "path"), PER_LANGUAGE)
def test_axe_finds_nothing(page: Page, site_url: str, lang: str, path: str) -> None:
    open_ready(page, site_url + path)
    assert page.evaluate("document.documentElement.lang") == lang
    assert_no_violations(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_in_dark_mode(page: Page, site_url: str, lang: str) -> None:
    """Dark mode recolours links and cards: every page kind of one language a time, read in the dark scheme."""
    page.emulate_media(color_scheme="dark")
    for path in page_paths(lang).values():
        open_ready(page, site_url + path)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert_no_violations(page)



@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_guide_with_every_markdown_feature(page: Page, features_url: str, scheme: str) -> None:
    """Highlighted code, tabs, details, task lists, footnotes: each tab and each details block read as well."""
    page.emulate_media(color_scheme=scheme)
    open_ready(page, features_url)
    page.locator("details.note summary").click()
    assert_no_violations(page)
    page.get_by_text("Computer", exact=True).click()
    assert_no_violations(page)
    assert page.evaluate(SCROLL_TRAPS) == []


# Elements that scroll (their content is wider or taller than they are): each must take the focus, or hold
# something that does, or a keyboard user cannot scroll it (axe's scrollable-region-focusable, on every guide).
SCROLL_TRAPS = """() => [...document.querySelectorAll("body *")].filter((el) => {
  const s = getComputedStyle(el);
  const scrolls = (["auto", "scroll"].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
                  (["auto", "scroll"].includes(s.overflowY) && el.scrollHeight > el.clientHeight + 1);
  const reachable = el.tabIndex >= 0 || el.querySelector("a[href], button, input, select, textarea, [tabindex]");
  return scrolls && !reachable;
}).map((el) => el.tagName + (el.id ? "#" + el.id : ""))"""


@pytest.fixture(scope="module")
def scroll_traps(browser: Browser, browser_context_args: dict, site_url: str) -> dict[tuple[str, str], list[str]]:
    """(language, guide) -> the elements of that guide page a keyboard cannot scroll, for every guide."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    found = {}
    for lang in LANGUAGES:
        for guide in GUIDES:
            page.goto(f"{site_url}{lang}/guides/{guide}/")
            found[(lang, guide)] = page.evaluate(SCROLL_TRAPS)
    context.close()
    return found


def test_every_guide_scrolls_by_keyboard(scroll_traps: dict[tuple[str, str], list[str]]) -> None:
    assert {key: traps for key, traps in scroll_traps.items() if traps} == {}


@pytest.fixture
def foreign_browser(browser: Browser, browser_context_args: dict) -> Iterator[BrowserContext]:
    """A phone set to a language the site does not offer, so the root page stays on its language choice."""
    context = browser.new_context(**{**browser_context_args, "locale": "fr-FR"})
    yield context
    context.close()


def test_axe_language_choice(foreign_browser: BrowserContext, site_url: str) -> None:
    page = foreign_browser.new_page()
    open_ready(page, site_url)
    assert page.url == site_url, "the language choice moved on by itself"
    assert page.locator("[data-lang]").count() == len(LANGUAGES)
    assert_no_violations(page)


@pytest.mark.parametrize("path", ["no-such-page", "en/guides/no-such-guide/"])
def test_axe_not_found(page: Page, site_url: str, path: str) -> None:
    response = page.goto(site_url + path)
    assert response is not None and response.status == 404
    page.wait_for_function(READY)
    assert_no_violations(page)


def test_axe_offline_page(page: Page, site_url: str) -> None:
    open_ready(page, site_url + "offline.html")
    assert_no_violations(page)


def test_axe_offline_fallback_as_the_worker_serves_it(browser: Browser, browser_context_args: dict,
                                                      site_url: str) -> None:
    context = browser.new_context(**{**browser_context_args, "service_workers": "allow"})
    try:
        page = context.new_page()
        page.goto(site_url + "en/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        context.set_offline(True)
        page.goto(site_url + "it/guides/never-visited/")
        page.wait_for_function(READY)
        assert page.locator("h1").inner_text() == "You are offline"
        assert_no_violations(page)
    finally:
        context.close()


# --- forms in use ---------------------------------------------------------------------------------------------------


def fill_everything(page: Page) -> None:
    """Add one item to every list (nested lists too), then answer every question the form shows."""
    form = page.locator("#plan-form")
    for _ in range(3):  # lists inside list items appear once their item exists
        for add in form.locator("[data-list-add]:visible").all():
            if add.get_attribute("data-filled") is None:
                add.click()
                add.evaluate("(b) => b.setAttribute('data-filled', '')")
    for control in form.locator("textarea:visible, input[type=text]:visible").all():
        control.fill("Walk to work on Mondays")
    for control in form.locator("input[type=email]:visible").all():
        control.fill("coach@example.org")
    for control in form.locator("input[type=number]:visible").all():
        control.fill("7")
    for control in form.locator("input[type=date]:visible").all():
        control.fill("2026-03-02")
    for control in form.locator("input[type=time]:visible").all():
        control.fill("08:30")
    for control in form.locator("input[type=checkbox]:visible").all():
        control.check()
    for select in form.locator("select:visible").all():
        select.select_option(index=1)
    for group in form.locator("fieldset.choices").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            # 8 on a 1-10 scale: the "what would make it a 10?" prompt shows too.
            radios.nth(min(7, radios.count() - 1)).check()
    page.wait_for_function("() => document.querySelector('[data-plan-page]').dataset.saveState === 'saved'")


@pytest.mark.parametrize("schema", SCHEMAS)
def test_axe_form_filled_in(page: Page, site_url: str, schema: str) -> None:
    open_ready(page, f"{site_url}en/plans/{schema}/")
    fill_everything(page)
    assert "?id=" in page.url
    assert_no_violations(page)


def show_errors(page: Page) -> None:
    """A started action plan with three mistakes a coachee makes: a required answer left empty, an answer too
    long, and an action with a time but no date."""
    goal = page.locator("#f-goal-what")
    goal.fill("x")
    goal.fill("")
    page.locator("#f-goal-metric").fill("kilometres " * 25)
    page.locator("#f-actions-add").click()
    page.locator("#f-actions [data-items] input[type=time]").first.fill("07:30")
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.querySelectorAll('[data-error]:not([hidden])').length >= 3")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_form_with_errors(page: Page, site_url: str, lang: str) -> None:
    open_ready(page, f"{site_url}{lang}/plans/smart-action-plan/")
    show_errors(page)
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 3
    # Each invalid control points at the message that explains it.
    for control in invalid.all():
        described = (control.get_attribute("aria-describedby") or "").split()
        assert any(page.locator(f"#{ref}:not([hidden])").count() for ref in described if ref.endswith("-error")), \
            control.get_attribute("id")
    assert_no_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_repeat_picker_from_the_keyboard(page: Page, site_url: str, scheme: str) -> None:
    """The repeat picker (loaded on demand) opened with Enter: the focus lands on its first choice, and a rule
    with no weekday is said in words on its field, the picker's controls pointing at the message."""
    page.emulate_media(color_scheme=scheme)
    open_ready(page, f"{site_url}en/plans/smart-action-plan/")
    page.locator("#f-goal-what").fill("Run a 10k")
    page.locator("#f-actions-add").click()
    item = page.locator("#f-actions [data-items] > li").first
    item.locator(".when input[type=date]").fill("2027-03-22")
    item.locator("[data-repeat-open]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('[data-repeat-panel]') !== null")
    assert item.locator("[data-repeat-open]").get_attribute("aria-expanded") == "true"
    item.get_by_label("Every week, on chosen days").check()
    item.get_by_label("Monday").uncheck()
    error = item.locator(".repeat-problem")
    error.wait_for()
    assert error.inner_text() == "Choose at least one weekday, each once."
    assert_no_violations(page)


def test_axe_my_plans_and_settings_with_a_plan(page: Page, site_url: str) -> None:
    open_ready(page, f"{site_url}en/plans/smart-action-plan/")
    fill_everything(page)
    for path in ("en/plans/", "en/settings/", "sv/plans/"):
        open_ready(page, site_url + path)
        assert page.locator("[data-id]").count() >= 1 or "settings" in path
        assert_no_violations(page)


# --- keyboard -------------------------------------------------------------------------------------------------------

# The controls sequential navigation reaches, in DOM order, as the browser sees them (radio groups are one stop).
TAB_STOPS = """() => {
  const all = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
                                        '[tabindex]:not([tabindex="-1"])');
  const stops = [];
  const groups = new Set();
  for (const el of all) {
    if (el.disabled || el.tabIndex < 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
    if (el.closest("details:not([open])") && el.tagName !== "SUMMARY") continue;
    if (el.type === "radio") {
      const key = el.form ? el.form.id + "/" + el.name : el.name;
      if (groups.has(key)) continue;
      groups.add(key);
      const group = [...document.querySelectorAll(`input[type=radio][name="${CSS.escape(el.name)}"]`)];
      stops.push(group.find((r) => r.checked) || el);
      continue;
    }
    stops.push(el);
  }
  return stops.map((el) => el.id || el.tagName + ":" + (el.getAttribute("aria-label") || el.textContent).trim());
}"""

# Which element has the focus (marked with a number the first time it is reached).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (!e.dataset.walk) e.dataset.walk = String(document.querySelectorAll("[data-walk]").length + 1);
  return { key: e.dataset.walk, name: e.id || e.tagName + ":" + (e.getAttribute("aria-label") || e.textContent).trim(),
           native: ["date", "time", "datetime-local", "month", "week"].includes(e.type) };
}"""

# Whether the focus shows: some element near it (itself, its label, a wrapper) changes its outline or shadow when
# focused, and is big enough to be seen. The focus is put back afterwards.
FOCUS_RING = """() => {
  const e = document.activeElement;
  const near = [e, ...(e.labels || []), e.nextElementSibling, e.parentElement, e.parentElement?.parentElement]
    .filter(Boolean);
  const look = (el) => {
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
    return ring ? [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" ") : "";
  };
  const seen = (el) => { const r = el.getBoundingClientRect(); return r.width >= 8 && r.height >= 8; };
  const visible = e.matches(":focus-visible");
  const focused = near.map(look);
  e.blur();
  const blurred = near.map(look);
  e.focus({ preventScroll: true });
  const ring = near.find((el, i) => focused[i] && focused[i] !== blurred[i] && seen(el));
  return { visible, ring: ring ? (ring.id || ring.tagName) + " " + focused[near.indexOf(ring)] : "" };
}"""


def walk(page: Page, limit: int = 500) -> list[dict]:
    """Tab from the top of a freshly loaded page to its end: one entry per element reached, with how its focus
    shows."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["key"] == stops[0]["key"]):
            break
        if stops and stop["key"] == stops[-1]["key"]:
            # The parts of a date or time input. Its picker button lives in Chromium's own shadow DOM, which
            # rings it itself and which no page style can reach.
            assert stop["native"], f"the focus stayed on {stop['name']}"
            continue
        stops.append({**stop, **page.evaluate(FOCUS_RING)})
    else:
        pytest.fail(f"still tabbing after {limit} presses: a focus trap?")
    return stops


def assert_focus_always_visible(stops: list[dict]) -> None:
    hidden = [s["name"] for s in stops if not (s["visible"] and s["ring"])]
    assert not hidden, f"focus not visible on: {hidden}"


@pytest.mark.parametrize("schema", SCHEMAS)
def test_tab_reaches_every_control_of_a_form_in_order(page: Page, site_url: str, schema: str) -> None:
    open_ready(page, f"{site_url}en/plans/{schema}/")
    # One item in each top-level list, added from the keyboard: the focus moves into the new item.
    added = 0
    for add in page.locator("#plan-form [data-list-add]:visible").all():
        if add.evaluate("(b) => b.closest('li') === null"):
            add.focus()
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.closest('li') !== null"), "the focus stayed on the button"
            added += 1
    if added:
        # The draft is saved with its new items; opened again, the walk starts at the top of the page.
        page.wait_for_function("() => document.querySelector('[data-plan-page]').dataset.saveState === 'saved'")
        page.reload()
        page.wait_for_function(READY)
        assert page.locator("#plan-form [data-items] > li").count() >= added
    stops = walk(page)
    assert [s["name"] for s in stops] == page.evaluate(TAB_STOPS)
    names = [s["name"] for s in stops]
    assert names[0].startswith("A:Skip")
    # The form's own controls, then what to do with the plan.
    fields = [i for i, name in enumerate(names) if name.startswith("f-")]
    assert fields and max(fields) < names.index("BUTTON:Export JSON")
    assert_focus_always_visible(stops)


def test_tab_through_form_with_radio_scale_and_prompts(page: Page, site_url: str) -> None:
    """The 1-10 scale is one stop; arrows move along it and the prompt for the new value appears."""
    open_ready(page, f"{site_url}en/plans/smart-action-plan/")
    page.locator("#f-actions-add").focus()
    page.keyboard.press("Enter")
    scale = page.locator("#f-actions [data-items] fieldset.scale").first
    first = scale.locator("input[type=radio]").first
    first.focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "8"
    assert scale.locator("input[type=radio]:checked").get_attribute("value") == "8"
    prompt = page.locator("#f-actions [data-items] .prompt:not([hidden])")
    assert prompt.count() == 1
    stop = page.evaluate(FOCUS_RING)
    assert stop["visible"] and stop["ring"], stop


@pytest.mark.parametrize("path", ["en/", f"en/guides/{GUIDES[0]}/", "en/plans/", "en/settings/", "en/privacy/",
                                  "offline.html", "no-such-page"])
def test_focus_visible_on_every_stop(page: Page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_function(READY)
    stops = walk(page)
    assert [s["name"] for s in stops] == page.evaluate(TAB_STOPS)
    assert len(stops) >= 3 and stops[0]["name"].startswith("A:Skip")
    assert_focus_always_visible(stops)


def test_not_found_page_keeps_its_styles_at_any_depth(page: Page, site_url: str) -> None:
    page.goto(site_url + "en/guides/no-such-guide/")
    sheets = page.evaluate("() => [...document.styleSheets].filter((s) => { try { return s.cssRules.length > 0 } "
                           "catch { return false } }).length")
    assert sheets >= 2
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"


# --- a goal's measure: the chart, "Where is it now?", its part in a check-in, the review's results -------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_measure_chart_and_dialogs(page: Page, site_url: str, scheme: str) -> None:
    from tests.e2e.agenda_data import BRIEF, ROME_PLAN, seed
    from tests.e2e.test_measure import METRIC, measured_plan

    page.emulate_media(color_scheme=scheme)
    seed(page, site_url, [measured_plan([
        {"group": "/goal", "at": "2026-05-05T12:00:00Z", "value": 9.8, "note": ""},
        {"group": "/goal", "at": "2026-05-12T12:00:00Z", "value": 9.1, "note": "new checklist"}])])
    page.goto(f"{site_url}en/plans/smart-action-plan/?id={ROME_PLAN}")
    page.wait_for_selector("[data-plan-page][data-measure-ready]")
    page.locator("section.measure svg").wait_for()
    assert_no_violations(page)
    page.get_by_role("button", name="Where is it now?").click()
    dialog = page.get_by_role("dialog", name="Where is it now?")
    dialog.get_by_label(METRIC).fill("x")
    dialog.get_by_role("button", name="Save").click()
    dialog.get_by_role("alert").wait_for()  # the dialog with its error showing
    assert_no_violations(page)
    page.keyboard.press("Escape")
    page.locator(f"#checkin-{BRIEF}").click()
    page.get_by_role("dialog", name="Check in").get_by_role("group", name="Where is it now?").wait_for()
    assert_no_violations(page)
    page.keyboard.press("Escape")
    page.goto(f"{site_url}en/review/")
    page.wait_for_selector("#review-results[data-ready]")
    assert_no_violations(page)


# --- the coach's desk, with shares on the device ----------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_coachees_a_coachee_and_the_notes(page: Page, site_url: str, lang: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    open_plans(page, site_url, lang)
    for doc in (*cy_shares(), *other_shares()):
        import_share(page, doc)
    open_ready(page, f"{site_url}{lang}/coachees/")
    page.locator("#coachees-table tbody tr").first.wait_for()
    assert_no_violations(page)
    open_ready(page, f"{site_url}{lang}/coachees/?id={CY}")
    note = page.locator(".coachee-notes textarea")
    note.fill("A note")
    page.locator(".coachee-notes .coach-note[data-saved]").wait_for()
    assert_no_violations(page)
    page.locator(".coachee-delete-row button").click()
    page.locator("#coachee-delete[open]").wait_for()
    assert_no_violations(page)
