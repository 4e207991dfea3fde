"""passo/forms/form_html.py: the form HTML, against a golden file and against the accessibility rules it promises."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from passo.forms.form_html import LEGEND, WHO, WHO_CONTEXT, render_form
from passo.forms.schema_model import PlanSchema, load_schemas, translatable_strings

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "data" / "golden" / "form-smart-action-plan.html"
SCHEMAS, _ = load_schemas(REPO / "schemas")
SCHEMA_IDS = sorted(SCHEMAS)


def english(context: str, text: str) -> str:
    return text


class Elements(HTMLParser):
    """Every start tag with its attributes, template contents included (the parser does not hide them)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def test_golden_html_of_the_action_plan_form() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    if os.environ.get("PASSO_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8"), "form HTML changed: PASSO_UPDATE_GOLDEN=1 rewrites the golden"


@pytest.mark.parametrize("sid", SCHEMA_IDS)
def test_output_is_deterministic(sid: str) -> None:
    assert render_form(SCHEMAS[sid], english) == render_form(SCHEMAS[sid], english)


@pytest.mark.parametrize("sid", SCHEMA_IDS)
def test_every_control_has_a_label_and_described_by_points_at_something(sid: str) -> None:
    tags = elements(render_form(SCHEMAS[sid], english))
    ids = [a["id"] for _, a in tags if a.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    labelled = {a["for"] for t, a in tags if t == "label"}
    controls = [(t, a) for t, a in tags if t in ("input", "select", "textarea") and a.get("type") != "hidden"]
    assert controls
    for tag, attrs in controls:
        assert attrs.get("id") in labelled, (tag, attrs)
        for ref in (attrs.get("aria-describedby") or "").split():
            assert ref in ids, (attrs["id"], ref)
    for tag, attrs in tags:
        assert "style" not in attrs, "no inline style: the CSP forbids it"
        assert not any(name.startswith("on") for name in attrs), "no inline handlers"
        assert tag != "script"
        if tag == "fieldset":
            for ref in (attrs.get("aria-describedby") or "").split():
                assert ref in ids, (attrs.get("id"), ref)


def test_groups_have_legends_and_the_scale_is_ten_radios() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    assert html.count("<fieldset") == html.count("<legend>")
    radios = [a for t, a in elements(html) if t == "input" and a.get("type") == "radio"]
    assert [a["value"] for a in radios] == [str(v) for v in range(1, 11)]
    assert {a["name"] for a in radios} == {"f-actions-__i__-commitment"}


def test_lists_have_a_template_and_an_add_button_named_by_the_schema() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    assert '<button type="button" class="add" id="f-actions-add" data-list-add>Add an action</button>' in html
    assert html.count("<template data-item-template>") == 2  # actions, and the steps inside an action
    assert 'data-item-title="Action"' in html and 'data-item-title="Step"' in html


def test_prompts_carry_their_range_and_keep_the_answer_field() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    assert '<div class="prompt" data-min="7" data-max="9" hidden>' in html
    # The question labels the field that keeps the answer; the field is not repeated elsewhere.
    assert '<label for="f-actions-__i__-toTen">What would make it a 10?</label>' in html
    assert html.count('id="f-actions-__i__-toTen"') == 1


def test_confirmation_note_is_tied_to_its_checkbox() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    assert ('aria-describedby="f-actions-__i__-dependsOnMe-who f-actions-__i__-dependsOnMe-error '
            'f-actions-__i__-dependsOnMe-confirm"' in html)
    assert '<p class="confirm" id="f-actions-__i__-dependsOnMe-confirm" data-confirm>If the action' in html


def test_ids_and_hidden_values_for_calendar_items() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    assert ('<input type="hidden" id="f-actions-__i__-id" data-kind="value" data-key="id" data-type="string" '
            'data-generate="uuid">') in html
    assert 'data-key="tz" data-type="string" data-generate="tz">' in html
    assert '<input type="time" id="f-review-when-time"' in html and '<input type="date" id="f-goal-deadline"' in html


def test_required_only_where_the_value_must_be_there() -> None:
    html = render_form(SCHEMAS["smart-action-plan"], english)
    described = 'aria-describedby="f-goal-what-who f-goal-what-error"'
    assert f'id="f-goal-what" name="f-goal-what" {described} required' not in html
    # goal is optional, so its required "what" is only required once the goal is begun; an action's is.
    assert f'<textarea id="f-goal-what" name="f-goal-what" {described} rows="3">' in html
    assert 'id="f-actions-__i__-what" name="f-actions-__i__-what"' in html
    assert '-what-error" required rows="3"></textarea>' in html


def test_agreement_choices() -> None:
    html = render_form(SCHEMAS["coaching-agreement"], english)
    assert '<fieldset class="field choices checks" id="f-shares" data-kind="checks" ' \
           'data-enum="[&quot;goal&quot;, &quot;progress&quot;, &quot;actions&quot;, &quot;dates&quot;]"' in html
    assert '<label for="f-shares-1">Your progress</label>' in html
    assert '<label for="f-frequency-1">Once a month</label>' in html
    assert '<input type="email" id="f-coach-email"' in html


@pytest.mark.parametrize("sid", SCHEMA_IDS)
def test_every_text_goes_through_translate_with_its_context(sid: str) -> None:
    schema: PlanSchema = SCHEMAS[sid]
    asked: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        asked.append((context, text))
        return f"[{text}]<"

    html = render_form(schema, translate)
    known = dict(translatable_strings(schema))
    for context, text in asked:
        if context == WHO_CONTEXT:  # the visibility markers: interface text, the same in every form
            assert text in (*WHO.values(), *LEGEND.values()), text
            continue
        assert known.get(context) == text, context
    assert "]&lt;" in html and "]<" not in html, "translated text is escaped"
    # Everything a person reads in the form is asked for, except: the schema's title and description (the page
    # shows them), the calendar's event text, a definition's title that each $ref replaces with its own, and
    # the title of a field that a prompt's question labels instead.
    shown = {c for c, _ in asked}
    missing = {c for c in known if c not in shown}
    allowed = {f"{sid}:/title", f"{sid}:/description", f"{sid}:/$defs/when/title",
               f"{sid}:/$defs/action/properties/matters/title", f"{sid}:/$defs/action/properties/toTen/title"}
    assert {c for c in missing if not c.endswith("/x-calendar/summaryText")} <= allowed, sorted(missing)
