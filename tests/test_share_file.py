"""site_src/js/share/share-file.js against the Python reading of visibility (passo/forms/visibility.py): no answer the
coach may not see ever leaves, over every real schema and generated plans; checking, deciding and diffing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passo.forms.schema_model import load_schemas
from passo.forms.visibility import COACH_SEES, coach_view, declared, hidden_from_coach
from tests.js.node_driver import NodeDriver, shared_driver

SHARE = "site_src/js/share/share-file.js"
REPO = Path(__file__).resolve().parent.parent
REAL = {sid: s.raw for sid, s in load_schemas(REPO / "schemas")[0].items()}
ITEM_ID = "0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b"

# The nesting rules in small: a $ref's own visibility wins over its definition's, a marked object passes its
# level down until a field inside declares its own, and a field no one marks stays with the coachee.
NESTED: dict[str, Any] = {
    "$id": "nested", "x-version": 1, "title": "Nested", "type": "object", "additionalProperties": False,
    "properties": {
        "open": {"type": "object", "x-visibility": "sponsor", "x-topic": "goal", "additionalProperties": False,
                 "properties": {"a": {"type": "string"}, "secret": {"type": "string", "x-visibility": "coachee"},
                                "deep": {"type": "object", "additionalProperties": False,
                                         "properties": {"b": {"type": "integer"}}}}},
        "plain": {"type": "string"},
        "tags": {"type": "array", "x-visibility": "coach", "items": {"type": "string"}},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "overridden": {"$ref": "#/$defs/private", "x-visibility": "coach"},
        "private": {"$ref": "#/$defs/private"},
    },
    "$defs": {
        "id": {"type": "string", "x-widget": "hidden"},
        "private": {"type": "object", "additionalProperties": False, "x-visibility": "coachee",
                    "properties": {"c": {"type": "string"}}},
        "item": {"type": "object", "additionalProperties": False,
                 "properties": {"id": {"$ref": "#/$defs/id"}, "what": {"type": "string", "x-visibility": "coach"},
                                "mine": {"type": "string"}}},
    },
}
SCHEMAS = {**REAL, "nested": NESTED}


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    return declared(node, root)[0]


def data_for(root: dict[str, Any], ref_node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Plans shaped by a schema (not necessarily valid: drafts are saved as typed), every value a marked text
    where it can be, so a leak is visible in the output."""
    node = _resolve(root, ref_node)
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        return st.fixed_dictionaries({}, optional={k: data_for(root, v, depth + 1) for k, v in props.items()})
    if kind == "array":
        items = _resolve(root, node.get("items", {}))
        if items.get("type") in ("object", "array"):
            return st.lists(data_for(root, node["items"], depth + 1), max_size=2 if depth < 4 else 0)
        return st.lists(data_for(root, node["items"], depth + 1), max_size=3)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "number"):
        return st.integers(min_value=node.get("minimum", -5), max_value=node.get("maximum", 50))
    if node.get("x-widget") == "hidden":
        return st.just(ITEM_ID)
    return st.text(alphabet="abcXYZ <>&\"'é😀", max_size=6).map(lambda s: f"v:{s}")


plans = st.sampled_from(sorted(SCHEMAS)).flatmap(
    lambda sid: st.tuples(st.just(sid), data_for(SCHEMAS[sid], SCHEMAS[sid])))


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(case=plans)
def test_the_browser_keeps_exactly_what_python_says_the_coach_may_see(case: tuple[str, Any]) -> None:
    sid, data = case
    driver = shared_driver()
    schema = SCHEMAS[sid]
    shared = driver.call(SHARE, "coachView", schema, data)
    assert shared == coach_view(schema, data)
    # Nothing left in it is hidden from the coach, read by either side.
    assert hidden_from_coach(schema, shared) == []
    assert driver.call(SHARE, "hiddenFromCoach", schema, shared) == []
    assert driver.call(SHARE, "hiddenFromCoach", schema, data) == hidden_from_coach(schema, data)


def test_nesting_in_small(node: NodeDriver) -> None:
    data = {"open": {"a": "x", "secret": "s", "deep": {"b": 1}}, "plain": "p", "tags": ["t"],
            "items": [{"id": ITEM_ID, "what": "w", "mine": "m"}, {"id": "other", "mine": "m2"}],
            "overridden": {"c": "shown"}, "private": {"c": "kept home"}}
    expected = {"open": {"a": "x", "deep": {"b": 1}}, "tags": ["t"],
                "items": [{"id": ITEM_ID, "what": "w"}, {"id": "other"}], "overridden": {"c": "shown"}}
    assert coach_view(NESTED, data) == expected
    assert node.call(SHARE, "coachView", NESTED, data) == expected
    assert sorted(hidden_from_coach(NESTED, data)) == ["/items/0/mine", "/items/1/mine", "/open/secret", "/plain",
                                                       "/private/c"]
    # A list whose items hold nothing for the coach does not travel at all.
    assert coach_view(NESTED, {"items": [{"id": ITEM_ID, "mine": "m"}]}) == {}


def test_the_real_action_plan_keeps_coach_and_sponsor_answers_only() -> None:
    schema = REAL["smart-action-plan"]
    kept: list[str] = []

    def walk(ref: dict[str, Any], vis: str, ptr: str) -> None:
        node, own = declared(ref, schema)
        level = own or vis
        for key, child in node.get("properties", {}).items():
            walk(child, level, f"{ptr}/{key}")
        if "items" in node:
            walk(node["items"], level, f"{ptr}/*")
        if node.get("type") not in ("object", "array") and level in COACH_SEES:
            kept.append(ptr)

    walk(schema, "coachee", "")
    assert "/actions/*/matters" not in kept and "/goal/why" in kept and "/actions/*/what" in kept


def share_of(node: NodeDriver, include_notes: bool) -> dict[str, Any]:
    plan = {"schema": "smart-action-plan", "schema_version": 2, "id": "p1", "revision": 4,
            "updated": "2026-11-02T10:00:00Z", "created": "2026-11-01T10:00:00Z", "lang": "en",
            "data": {"goal": {"what": "Speak", "why": "Heard"},
                     "actions": [{"id": ITEM_ID, "what": "Draft", "matters": "PRIVATE"}]}}
    checkins = {"p1": [
        {"item": ITEM_ID, "at": "2026-11-03T10:00:00Z", "outcome": "done", "note": "went well", "commitment": 8,
         "from": None, "to": None, "plan_b": False},
        {"item": "gone", "at": "2026-11-04T10:00:00Z", "outcome": "dropped", "note": "n"}]}
    result: dict[str, Any] = node.call(SHARE, "buildShare", {
        "plans": [plan], "schemas": REAL, "checkins": checkins, "from": "  Alice  ", "includeNotes": include_notes,
        "now": "2026-11-20T10:00:00.456Z", "lang": "it", "coachee": COACHEE})
    return result


def test_build_share_envelope_checkins_and_notes(node: NodeDriver) -> None:
    share = share_of(node, include_notes=False)
    assert list(share) == ["format", "format_version", "shared", "coachee", "from", "lang", "plans"]
    assert (share["format"], share["format_version"], share["shared"], share["coachee"], share["from"],
            share["lang"]) == ("passo-share", 2, "2026-11-20T10:00:00Z", COACHEE, "Alice", "it")
    p = share["plans"][0]
    assert list(p) == ["schema", "schema_version", "id", "revision", "updated", "data", "checkins", "measurements"]
    assert "PRIVATE" not in json.dumps(share)
    # A check-in about an item the share does not hold stays home; notes only when chosen.
    assert p["checkins"] == [{"item": ITEM_ID, "at": "2026-11-03T10:00:00Z", "outcome": "done", "commitment": 8,
                              "from": None, "to": None, "plan_b": False}]
    assert share_of(node, include_notes=True)["plans"][0]["checkins"][0]["note"] == "went well"


def test_check_share_accepts_what_build_share_makes_and_strips_a_private_answer(node: NodeDriver) -> None:
    share = share_of(node, include_notes=True)
    ok = node("checkShare", doc=share, schemas=REAL)
    assert ok["errors"] == [] and ok["stripped"] == [] and [p["id"] for p in ok["plans"]] == ["p1"]
    share["plans"][0]["data"]["actions"][0]["matters"] = "slipped in"
    share["plans"][0]["data"]["goal"]["mood"] = "sad"
    stripped = node("checkShare", doc=share, schemas=REAL)
    assert stripped["errors"] == []
    # What the coach may not see never reaches the store; the coach is told which plan and which field.
    assert "slipped in" not in json.dumps(stripped["plans"]) and "sad" not in json.dumps(stripped["plans"])
    assert stripped["plans"][0]["data"]["actions"][0] == {"id": ITEM_ID, "what": "Draft"}
    assert stripped["stripped"] == ["Action plan: “/goal/mood” is not shared with a coach, so it was left out.",
                                    "Action plan: “/actions/0/matters” is not shared with a coach, so it was left "
                                    "out."]


COACHEE = "3f2c1b0a-9d8e-4f7a-8b6c-5d4e3f2a1b0c"


def v2(**change: Any) -> dict[str, Any]:
    """A minimal valid version 2 share, changed by `change`."""
    doc: dict[str, Any] = {
        "format": "passo-share", "format_version": 2, "shared": "2026-11-20T10:00:00Z", "coachee": COACHEE,
        "from": "Alice", "lang": "en", "plans": [{
            "schema": "smart-action-plan", "schema_version": 3, "id": "p1", "revision": 2,
            "updated": "2026-11-02T10:00:00Z", "data": {"goal": {"what": "Speak"}, "actions": [
                {"id": ITEM_ID, "what": "Walk", "when": {"date": "2026-11-10", "tz": "Europe/Rome"}}]},
            "checkins": [
                {"item": ITEM_ID, "at": "2026-11-10T18:00:00Z", "outcome": "skipped", "occurrence": "2026-11-10"},
                {"item": ITEM_ID, "at": "2026-11-11T18:00:00Z", "outcome": "done", "occurrence": "2026-11-11"}]}]}
    doc.update(change)
    return doc


def test_a_version_2_share_with_a_coachee_key_and_repeating_check_ins_is_accepted(node: NodeDriver) -> None:
    ok = node("checkShare", doc=v2(), schemas=REAL)
    assert ok["errors"] == [] and [c["outcome"] for c in ok["plans"][0]["checkins"]] == ["skipped", "done"]
    # Version 1 shares import as before, without a key.
    old = v2(format_version=1)
    del old["coachee"]
    old["plans"][0]["checkins"] = []
    assert node("checkShare", doc=old, schemas=REAL)["errors"] == []


@pytest.mark.parametrize(("why", "doc", "message"), [
    ("key not a UUID", v2(coachee="alice"), "This share's coachee key is not valid (it must be a UUID)."),
    ("no key in version 2", {k: v for k, v in v2().items() if k != "coachee"},
     "This share's coachee key is not valid (it must be a UUID)."),
    ("a key in version 1", v2(format_version=1), "This share's coachee key is not valid (it must be a UUID)."),
    ("a newer version", v2(format_version=3), "This share was made by a newer version of Passo. Reload Passo to "
                                              "update it, then try again."),
    ("501 plans", v2(plans=[{**v2()["plans"][0], "id": f"p{i}"} for i in range(501)]),
     "This share holds 501 plans; at most 500 are accepted."),
    ("100,001 check-ins", v2(plans=[{**v2()["plans"][0], "checkins": [
        {"item": ITEM_ID, "at": "2026-11-10T18:00:00Z", "outcome": "done"}] * 100_001}]),
     "This share holds 100,001 check-ins; at most 100,000 are accepted."),
])
def test_a_bad_share_is_refused_whole(node: NodeDriver, why: str, doc: dict[str, Any], message: str) -> None:
    result = node("checkShare", doc=doc, schemas=REAL)
    assert result["plans"] == [] and result["errors"] == [message], why


def test_500_plans_are_still_accepted(node: NodeDriver) -> None:
    doc = v2(plans=[{**v2()["plans"][0], "id": f"p{i}", "checkins": []} for i in range(500)])
    result = node("checkShare", doc=doc, schemas=REAL)
    assert result["errors"] == [] and len(result["plans"]) == 500


def test_decision_and_diff(node: NodeDriver) -> None:
    assert node.call(SHARE, "shareDecision", None, {"revision": 1}) == "add"
    assert node.call(SHARE, "shareDecision", {"revision": 3}, {"revision": 4}) == "update"
    assert node.call(SHARE, "shareDecision", {"revision": 3}, {"revision": 3}) == "same"
    assert node.call(SHARE, "shareDecision", {"revision": 3}, {"revision": 2}) == "older"
    before = {"data": {"goal": {"what": "A", "why": "B"}, "actions": [{"id": "x", "what": "one"}]},
              "checkins": [{"item": "x", "at": "2026-11-03T10:00:00Z", "outcome": "done"}]}
    after = {"data": {"goal": {"what": "A2"}, "actions": [{"id": "y", "what": "new"}, {"id": "x", "what": "one"}]},
             "checkins": [{"item": "x", "at": "2026-11-03T10:00:00Z", "outcome": "done"},
                          {"item": "y", "at": "2026-11-05T10:00:00Z", "outcome": "moved"}]}
    diff = node.call(SHARE, "shareDiff", before, after)
    # The action moved down a place is not "changed": items are matched by their id.
    assert diff == {
        "added": [{"pointer": "/actions/0/what", "after": "new"}],
        "removed": [{"pointer": "/goal/why", "before": "B"}],
        "changed": [{"pointer": "/goal/what", "before": "A", "after": "A2"}],
        "checkins": [{"item": "y", "at": "2026-11-05T10:00:00Z", "outcome": "moved"}],
    }


# A schema whose two measurable groups differ in who may see the metric: the coach's, and the coachee's alone.
MEASURED: dict[str, Any] = {
    "$id": "measured", "x-version": 1, "title": "Measured", "type": "object", "additionalProperties": False,
    "properties": {
        "shared": {"$ref": "#/$defs/result", "x-visibility": "coach"},
        "mine": {"$ref": "#/$defs/result"},
    },
    "$defs": {"result": {
        "type": "object", "additionalProperties": False,
        "x-measure": {"metric": "metric", "baseline": "baseline", "target": "target", "deadline": "deadline"},
        "properties": {"metric": {"type": "string"}, "baseline": {"type": "number"}, "target": {"type": "number"},
                       "deadline": {"type": "string", "format": "date"}}}},
}


def measured_share(node: NodeDriver, include_notes: bool) -> dict[str, Any]:
    plan = {"schema": "measured", "schema_version": 1, "id": "p2", "revision": 2, "updated": "2026-11-02T10:00:00Z",
            "created": "2026-11-01T10:00:00Z", "lang": "en",
            "data": {"shared": {"metric": "Calls a week"}, "mine": {"metric": "Weight"}},
            "measurements": [
                {"group": "/shared", "at": "2026-11-03T10:00:00Z", "value": 4, "note": "a good week"},
                {"group": "/mine", "at": "2026-11-04T10:00:00Z", "value": 81.5, "note": "PRIVATE"}]}
    result: dict[str, Any] = node.call(SHARE, "buildShare", {
        "plans": [plan], "schemas": {"measured": MEASURED}, "includeNotes": include_notes,
        "now": "2026-11-20T10:00:00Z", "lang": "en", "coachee": "3f1c2a9e-5b7d-4e2f-9a1b-0c8d7e6f5a41"})
    return result


def test_share_carries_coach_visible_measurements_only(node: NodeDriver) -> None:
    share = measured_share(node, include_notes=False)
    assert share["plans"][0]["measurements"] == [{"group": "/shared", "at": "2026-11-03T10:00:00Z", "value": 4}]
    assert "PRIVATE" not in json.dumps(share) and "81.5" not in json.dumps(share)
    with_notes = measured_share(node, include_notes=True)["plans"][0]["measurements"]
    assert with_notes == [{"group": "/shared", "at": "2026-11-03T10:00:00Z", "value": 4, "note": "a good week"}]
    assert node("checkShare", doc=share, schemas={"measured": MEASURED})["errors"] == []


def test_check_share_refuses_a_measurement_the_coach_may_not_see_or_a_bad_one(node: NodeDriver) -> None:
    share = measured_share(node, include_notes=False)
    schemas = {"measured": MEASURED}
    good = share["plans"][0]["measurements"][0]
    for bad, message in [
        ({**good, "group": "/mine"}, "measurement 2: it is not shared with a coach."),
        ({**good, "value": "4"}, 'measurement 2: the value "4" is not a number.'),
        ({**good, "at": "2999-01-01T00:00:00Z"}, "measurement 2: it is dated in the future (2999-01-01T00:00:00Z)."),
    ]:
        share["plans"][0]["measurements"] = [good, bad]
        result = node("checkShare", doc=share, schemas=schemas)
        assert result["plans"] == [] and result["errors"] == [f"Measured: {message}"]
