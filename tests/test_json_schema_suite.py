"""The official JSON Schema Test Suite (draft 2020-12, tests/data/json-schema-test-suite) against Passo's two
readers of a schema: the build's schema checks (passo/forms/schema_model.py), which must refuse every schema that
uses what Passo does not support, and site_src/js/schema/validate.js, which must give the suite's verdict on every
value of every schema the build lets through.

Passo departs from the suite on purpose in a few places (docs/schemas.md, "Against the JSON Schema Test Suite");
each departure is listed below, and the lists are exact: a listed departure that starts agreeing fails as surely as
a new one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passo.forms.schema_model import FOR_TYPES, check_schema
from tests.js.node_driver import NodeDriver, shared_driver

SUITE = Path(__file__).parent / "data" / "json-schema-test-suite" / "tests" / "draft2020-12"
FILES = sorted(p.relative_to(SUITE).as_posix() for p in SUITE.rglob("*.json"))

# What every Passo form needs whatever it validates: a type on every schema, closed objects, a list's item schema
# and add button. The suite's schemas seldom say these, and saying them would change what the suite tests, so a
# problem of this kind alone does not count as the build refusing the schema.
FORM_RULES = (
    "a schema needs 'type' (or '$ref')",
    "an object schema must set additionalProperties: false",
    "an array schema needs 'items'",
    "a list needs x-add",
)


def cases(file: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads((SUITE / file).read_text(encoding="utf-8"))
    return found


def _typed(node: Any) -> Any:
    """A copy with a type where the keywords imply one, so the build's walk goes on into what it holds."""
    if isinstance(node, list):
        return [_typed(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (_typed(v) if k in ("properties", "$defs", "items") else v) for k, v in node.items()}
    for key in ("properties", "$defs"):
        if isinstance(node.get(key), dict):
            out[key] = {k: _typed(v) for k, v in node[key].items()}
    if "type" not in out and "$ref" not in out:
        implied = {t for k, types in FOR_TYPES.items() if k in out for t in types}
        if len(implied) == 1 or implied == {"integer", "number"}:
            out["type"] = "number" if len(implied) == 2 else implied.pop()
    return out


def build_problems(schema: Any) -> list[str]:
    """What the build says of a suite schema, held as the value of a form's one field: every problem that is not
    one of FORM_RULES. Definitions move to the form's root, where `#/$defs/<name>` finds them as in the suite."""
    if not isinstance(schema, dict):
        value: Any = schema
        defs = None
    else:
        value = {k: v for k, v in schema.items() if k not in ("$schema", "$defs")}
        defs = schema.get("$defs")
    form: dict[str, Any] = {"$id": "suite", "x-version": 1, "title": "suite", "type": "object",
                            "additionalProperties": False, "properties": {"value": value}}
    if defs is not None:
        form["$defs"] = defs
    found = check_schema(_typed(form), "suite")
    return sorted({m for _, m in found if not m.startswith(FORM_RULES)})


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


# -- departures, each with its reason ------------------------------------------------------------------------------

# Cases whose schema the build refuses (docs/schemas.md, "The subset"): Passo supports a subset, and a schema using
# more is a build error naming it, never a keyword silently ignored. By file, then the case's description.
REFUSED: dict[str, dict[str, str]] = {
    "additionalProperties.json": {
        "additionalProperties being false does not allow other properties": "patternProperties",
        "non-ASCII pattern with additionalProperties": "patternProperties",
        "additionalProperties with schema": "additionalProperties other than false",
        "additionalProperties can exist by itself": "additionalProperties other than false",
        "additionalProperties does not look in applicators": "allOf",
        "additionalProperties with null valued instance properties": "additionalProperties other than false",
        "additionalProperties with propertyNames": "propertyNames",
        "dependentSchemas with additionalProperties": "dependentSchemas",
    },
    "default.json": {"invalid type for default": "a default that is not of the field's type"},
    "format.json": {f"{fmt} format": "a format other than date, time, date-time and email" for fmt in (
        "idn-email", "regex", "ipv4", "ipv6", "idn-hostname", "hostname", "json-pointer", "relative-json-pointer",
        "iri", "iri-reference", "uri", "uri-reference", "uri-template", "uuid", "duration")},
    "items.json": {
        "items with boolean schema (true)": "true and false as schemas",
        "items with boolean schema (false)": "true and false as schemas",
        "items and subitems": "prefixItems",
        "prefixItems with no additional items allowed": "prefixItems",
        "items does not look in applicators, valid case": "allOf",
        "prefixItems validation adjusts the starting index for items": "prefixItems",
        "items with heterogeneous array": "prefixItems",
        "items with null instance elements": "type null",
    },
    "maxItems.json": {"maxItems validation with a decimal": "a count written as a decimal (2.0)"},
    "maxLength.json": {"maxLength validation with a decimal": "a count written as a decimal (2.0)"},
    "minItems.json": {"minItems validation with a decimal": "a count written as a decimal (2.0)"},
    "minLength.json": {"minLength validation with a decimal": "a count written as a decimal (2.0)"},
    "optional/non-bmp-regex.json": {"Proper UTF-16 surrogate pair handling: patternProperties": "patternProperties"},
    "properties.json": {
        "properties, patternProperties, additionalProperties interaction": "patternProperties",
        "properties with boolean schema": "true and false as schemas",
        "properties with null valued instance properties": "type null",
    },
    "ref.json": {
        "root pointer ref": "a $ref other than #/$defs/<name>",
        "relative pointer ref to object": "a $ref other than #/$defs/<name>",
        "relative pointer ref to array": "prefixItems",
        "ref applies alongside sibling keywords": "a validation keyword beside $ref",
        "remote ref, containing refs itself": "a $ref to another document",
        "$ref to boolean schema true": "true and false as schemas",
        "$ref to boolean schema false": "true and false as schemas",
        "Recursive references between schemas": "$id below the root, a $ref to another document",
        "ref creates new scope when adjacent to keywords": "unevaluatedProperties",
        "refs with relative uris and defs": "$id below the root, a $ref to another document",
        "relative refs with absolute uris and defs": "$id below the root, a $ref to another document",
        "$id must be resolved against nearest parent, not just immediate parent": "allOf, not",
        "order of evaluation: $id and $ref": "$id below the root, a $ref to another document",
        "order of evaluation: $id and $anchor and $ref": "$anchor",
        "simple URN base URI with $ref via the URN": "$id other than the form's id",
        "simple URN base URI with JSON pointer": "$id other than the form's id",
        "URN base URI with NSS": "$id other than the form's id",
        "URN base URI with r-component": "$id other than the form's id",
        "URN base URI with q-component": "$id other than the form's id",
        "URN base URI with URN and JSON pointer ref": "$id other than the form's id",
        "URN base URI with URN and anchor ref": "$anchor",
        "URN ref with nested pointer ref": "$id below the root, a $ref to another document",
        "ref to if": "if",
        "ref to then": "then",
        "ref to else": "else",
        "ref with absolute-path-reference": "$id below the root, a $ref to another document",
        "$id with file URI still resolves pointers - *nix": "$id other than the form's id",
        "$id with file URI still resolves pointers - windows": "$id other than the form's id",
        "empty tokens in $ref json-pointer": "allOf",
    },
    "required.json": {
        "required with escaped characters": "a required name missing from properties",
        "required properties whose names are Javascript object property names":
            "a required name missing from properties",
    },
    "type.json": {
        "null type matches only the null object": "type null",
        "multiple types can be specified in an array": "a list of types",
        "type as array with one item": "a list of types",
        "type: array or object": "a list of types",
        "type: array, object or null": "a list of types",
    },
    "uniqueItems.json": {
        "uniqueItems with an array of items": "prefixItems",
        "uniqueItems with an array of items and additionalItems=false": "prefixItems",
        "uniqueItems=false with an array of items": "prefixItems",
        "uniqueItems=false with an array of items and additionalItems=false": "prefixItems",
    },
}

# Values on which validate.js gives the other verdict on purpose: by file, then (case, test) descriptions.
FORMAT_ASSERTED = ("Passo asserts its four formats (a plan with a wrong date is refused), where draft 2020-12 "
                   "makes format an annotation unless a schema asks for the format-assertion vocabulary")
DISAGREES: dict[str, dict[tuple[str, str], str]] = {
    "format.json": {(f"{fmt} format", f"invalid {fmt} string is only an annotation by default"): FORMAT_ASSERTED
                    for fmt in ("email", "date", "date-time", "time")},
}


def refused(file: str) -> dict[str, str]:
    """The cases of a file the build refuses, with its first problem."""
    out = {}
    for case in cases(file):
        problems = build_problems(case["schema"])
        if problems:
            out[case["description"]] = problems[0]
    return out


@pytest.mark.parametrize("file", FILES)
def test_the_build_refuses_exactly_the_listed_cases(file: str) -> None:
    assert sorted(refused(file)) == sorted(REFUSED.get(file, {}))


@pytest.mark.parametrize("file", FILES)
def test_validate_js_gives_the_suites_verdict_on_every_schema_the_build_accepts(node: NodeDriver, file: str) -> None:
    skip = refused(file)
    found: dict[tuple[str, str], Any] = {}
    ran = 0
    for case in cases(file):
        if case["description"] in skip:
            continue
        results = node("validateEach", schema=case["schema"], values=[t["data"] for t in case["tests"]])
        for test, result in zip(case["tests"], results, strict=True):
            ran += 1
            assert "crash" not in result, (case["description"], test["description"], result)
            if (not result["keywords"]) != test["valid"]:
                found[(case["description"], test["description"])] = result["keywords"]
    assert sorted(found) == sorted(DISAGREES.get(file, {}))
    assert ran, "every file has a case Passo supports"


def test_every_listed_departure_is_in_the_suite() -> None:
    """A departure list naming a file or case the suite does not have would pass while checking nothing."""
    assert set(REFUSED) | set(DISAGREES) <= set(FILES)
    for file, listed in REFUSED.items():
        assert set(listed) <= {c["description"] for c in cases(file)}, file
    for file, pairs in DISAGREES.items():
        assert set(pairs) <= {(c["description"], t["description"]) for c in cases(file) for t in c["tests"]}, file


# -- the suite's escaped names, read the same way by every reader of a schema ------------------------------------------

ESCAPED = {
    "$id": "escaped", "x-version": 1, "title": "Escaped", "type": "object", "additionalProperties": False,
    "$defs": {"t~x": {"type": "string", "x-visibility": "coach"}, "s/x": {"type": "integer", "title": "S"},
              "p%x": {"type": "boolean", "x-visibility": "coach"}},
    "properties": {"tilde": {"$ref": "#/$defs/t~0x"}, "slash": {"$ref": "#/$defs/s~1x"},
                   "percent": {"$ref": "#/$defs/p%25x"}},
}


def test_escaped_ref_names_are_read_alike_by_the_build_and_the_browser(node: NodeDriver) -> None:
    assert check_schema(ESCAPED, "escaped") == []
    values = [{"tilde": "a", "slash": 1, "percent": True}, {"tilde": 1, "slash": "a", "percent": 0}]
    assert node("validateEach", schema=ESCAPED, values=values) == [{"keywords": []},
                                                                    {"keywords": ["type", "type", "type"]}]
    # Labels and translation contexts: the definition's pointer as the build writes it (pointer() of its path).
    fields = "site_src/js/schema/schema-fields.js"
    slash = node.call(fields, "resolveSchema", ESCAPED, {"$ref": "#/$defs/s~1x"}, "/properties/slash")
    assert (slash["sptr"], slash["titlePtr"], slash["node"]) == ("/$defs/s~1x", "/$defs/s~1x/title",
                                                                 ESCAPED["$defs"]["s/x"])
    assert node.call(fields, "resolveSchema", ESCAPED, {"$ref": "#/$defs/p%25x"}, "")["sptr"] == "/$defs/p%x"
    assert node.call("site_src/js/schema/plan-items.js", "deref", ESCAPED, {"$ref": "#/$defs/t~0x"}) == [
        ESCAPED["$defs"]["t~x"], "/$defs/t~0x"]
    # The share for the coach keeps what the definitions let the coach see.
    shared = node.call("site_src/js/share/share-file.js", "coachView", ESCAPED, values[0])
    assert shared == {"tilde": "a", "percent": True}
