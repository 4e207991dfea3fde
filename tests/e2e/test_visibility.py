"""Who sees each answer, on a phone: the marker beside every field of every form in every language, heard with
the field by a screen reader, the legend above, both kept on paper; axe finds nothing, in dark mode too."""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from passo.forms.form_html import LEGEND, WHO, WHO_CONTEXT, render_form
from passo.forms.schema_model import load_schemas
from tests.conftest import REPO
from tests.e2e.snippets import READY

pytestmark = pytest.mark.e2e

LANGUAGES: list[str] = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["languages"]
SCHEMAS = load_schemas(REPO / "schemas")[0]


def translated(lang: str, text: str) -> str:
    """The catalogue's own translation (English is the source): what the page must show."""
    if lang == "en":
        return text
    with (REPO / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        message = read_po(f).get(text, context=WHO_CONTEXT)
    assert message is not None and message.string, (lang, text)
    return str(message.string)


class _Markers(HTMLParser):
    """Each marker's id and level, outside list templates (what a new, empty form shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self.in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "template":
            self.in_template += 1
        classes = (a.get("class") or "").split()
        if tag == "span" and "who" in classes and a.get("id") and not self.in_template:
            self.found[a["id"] or ""] = next(c.removeprefix("who-") for c in classes if c.startswith("who-"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1


def markers(schema_id: str) -> dict[str, str]:
    parser = _Markers()
    parser.feed(render_form(SCHEMAS[schema_id], lambda context, text: text))
    return parser.found


def open_form(page: Page, site_url: str, lang: str, schema: str) -> None:
    page.goto(f"{site_url}{lang}/plans/{schema}/")
    page.wait_for_selector("[data-plan-page][data-ready]")
    page.wait_for_function(READY)


# Every control a coachee can reach must be described by a marker: its own, or its group's (a "when", a
# choice, a list of steps). Returns the names of the controls that are not.
UNMARKED = """() => {
  const out = [];
  const form = document.getElementById("plan-form");
  for (const c of form.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    let ok = false;
    for (let n = c; n && !ok; n = n.parentElement) {
      const ids = (n.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
      ok = ids.some((id) => document.getElementById(id)?.classList.contains("who"));
    }
    if (!ok) out.push(c.id);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("schema", sorted(SCHEMAS))
def test_every_field_says_who_sees_it(page: Page, site_url: str, lang: str, schema: str) -> None:
    open_form(page, site_url, lang, schema)
    # Items of every list, so their fields are on screen too.
    for add in page.locator("#plan-form [data-list-add]").all():
        if add.is_visible() and add.is_enabled():
            add.click()
    assert page.evaluate(UNMARKED) == []
    found = markers(schema)
    assert found, schema
    for ident, level in found.items():
        expect(page.locator(f"#{ident}")).to_have_text(translated(lang, WHO[level]))
    legend = page.locator(".who-legend")
    expect(legend.locator("h2")).to_have_text(translated(lang, LEGEND["title"]))
    for level in set(found.values()):
        expect(legend).to_contain_text(translated(lang, LEGEND[level]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_action_plan_markers_field_by_field(page: Page, site_url: str, lang: str) -> None:
    open_form(page, site_url, lang, "smart-action-plan")
    page.locator("#f-actions-add").click()
    sponsor, coach, only = (translated(lang, WHO[k]) for k in ("sponsor", "coach", "coachee"))
    # A screen reader hears the marker with the field: it opens the field's description.
    expect(page.locator("#f-goal-what")).to_have_accessible_description(re.compile("^" + re.escape(sponsor)))
    expect(page.locator("#f-goal-why")).to_have_accessible_description(re.compile("^" + re.escape(coach)))
    item = page.locator("#f-actions > [data-items] > li").first
    expect(item.locator("[data-key=what] > .who")).to_have_text(sponsor)
    expect(item.locator("[data-key=planB] > .who")).to_have_text(coach)
    expect(item.locator("[data-key=steps] > .who")).to_have_text(coach)
    expect(item.locator("[data-key=when] > .who")).to_have_text(sponsor)
    expect(item.locator("[data-key=when] .field .who")).to_have_count(0)  # date and time: one marker for both
    # A low commitment asks why it matters; that answer is the coachee's alone.
    item.locator("[data-key=commitment] input[value='3']").check()
    matters = item.locator("[data-key=matters] textarea")
    expect(matters).to_be_visible()
    expect(matters).to_have_accessible_description(re.compile("^" + re.escape(only)))


def test_markers_and_legend_stay_on_paper(page: Page, site_url: str) -> None:
    open_form(page, site_url, "en", "smart-action-plan")
    page.emulate_media(media="print")
    expect(page.locator(".who-legend")).to_be_visible()
    expect(page.locator("#f-goal-why-who")).to_be_visible()
    expect(page.locator("#f-goal-why-who")).to_have_text("You and your coach")


def test_markers_fit_a_phone_line(page: Page, site_url: str) -> None:
    """On a 412 px phone a marker takes one line beside nothing else, and never widens the page."""
    open_form(page, site_url, "it", "smart-action-plan")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 412
    box = page.locator("#f-goal-why-who").bounding_box()
    assert box is not None and box["height"] < 30


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_the_markers_in_dark_mode(page: Page, site_url: str, lang: str) -> None:
    page.emulate_media(color_scheme="dark")
    open_form(page, site_url, lang, "smart-action-plan")
    page.locator("#f-actions-add").click()
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
