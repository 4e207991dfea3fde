"""passo/forms/schema_model.py: the subset, every extension, and problems that name file, line, column, word for
word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from passo.forms.schema_model import load_schemas, pattern_problem, translatable_strings

REPO = Path(__file__).resolve().parent.parent
SCHEMA_IDS = ["clear-session", "coaching-agreement", "grow-session", "oskar-session", "smart-action-plan"]


def source(field: str = '"type": "string"', root: str = "", props: str = "", defs: str = "") -> str:
    """A small schema, one keyword a line, with `field` as the body of property "a" on line 9."""
    lines = [
        "{",
        '  "$schema": "https://json-schema.org/draft/2020-12/schema",',
        '  "$id": "s",',
        '  "x-version": 1,',
        '  "title": "S",',
        '  "type": "object",',
        '  "additionalProperties": false,' + root,
        '  "properties": {',
        f'    "a": {{{field}}}{props}',
        "  }" + (f',\n  "$defs": {{{defs}}}' if defs else ""),
        "}",
    ]
    return "\n".join(lines) + "\n"


def problems(tmp_path: Path, text: str, name: str = "s.json") -> list[tuple[int, int, str]]:
    folder = tmp_path / "schemas"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    schemas, found = load_schemas(folder)
    assert (name.removesuffix(".json") in schemas) == (not [p for p in found if p.is_error])
    return [(p.line, p.column, p.message) for p in found]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of the nth occurrence of needle."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_the_five_schemas_load_without_a_problem() -> None:
    schemas, found = load_schemas(REPO / "schemas")
    assert found == []
    assert sorted(schemas) == SCHEMA_IDS
    plan = schemas["smart-action-plan"]
    assert (plan.id, plan.version, plan.title, plan.has_migrations) == ("smart-action-plan", 4, "Action plan", True)
    assert plan.raw["$id"] == "smart-action-plan" and plan.source_path == REPO / "schemas" / "smart-action-plan.json"
    assert plan.title_pointer == "/goal/what"
    assert all(s.version == 1 and not s.has_migrations for k, s in schemas.items() if k != "smart-action-plan")


def test_a_valid_small_schema_has_no_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, source()) == []


UNSUPPORTED = ["oneOf", "anyOf", "allOf", "not", "if", "then", "else", "patternProperties", "prefixItems",
               "contains", "minContains", "dependentRequired", "dependentSchemas", "propertyNames",
               "unevaluatedProperties", "unevaluatedItems", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
               "minProperties", "maxProperties", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
               "examples", "readOnly", "writeOnly", "deprecated", "contentMediaType", "contentEncoding"]


@pytest.mark.parametrize("keyword", UNSUPPORTED)
def test_each_unsupported_keyword_is_an_error_at_its_place(tmp_path: Path, keyword: str) -> None:
    text = source(f'"type": "string", "{keyword}": []')
    assert problems(tmp_path, text) == [(*at(text, f'"{keyword}"'), f"'{keyword}' is not supported")]


def test_the_problem_reads_path_line_column_and_the_line(tmp_path: Path) -> None:
    text = source('"type": "string", "oneOf": []')
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "s.json").write_text(text)
    _, found = load_schemas(folder)
    assert found[0].format() == ("schemas/s.json:9:29: error: 'oneOf' is not supported\n"
                                 '        "a": {"type": "string", "oneOf": []}')


def test_not_json_names_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "$id": "s",\n  "title" "S"\n}\n'
    assert problems(tmp_path, text) == [(3, 11, "not valid JSON: Expecting ':' delimiter (line 3, column 11)")]


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    text = source('"type": "string", "title": "A", "title": "B"')
    assert problems(tmp_path, text) == [(*at(text, '"title"', 2), "duplicate key 'title'")]


@pytest.mark.parametrize(("remove", "message"), [
    ('  "$id": "s",\n', "the schema needs '$id' (its id, the file name without .json)"),
    ('  "x-version": 1,\n', "the schema needs 'x-version' (an integer, 1 for a new schema)"),
    ('  "title": "S",\n', "the schema needs a 'title'"),
])
def test_missing_id_version_or_title(tmp_path: Path, remove: str, message: str) -> None:
    assert problems(tmp_path, source().replace(remove, "")) == [(1, 1, message)]


def test_id_must_be_the_file_name(tmp_path: Path) -> None:
    text = source().replace('"$id": "s"', '"$id": "other"')
    assert problems(tmp_path, text) == [(3, 3, "$id 'other' must equal the file name 's'")]


def test_an_object_without_additional_properties_false(tmp_path: Path) -> None:
    text = source('"type": "object", "properties": {}')
    assert problems(tmp_path, text) == [(*at(text, '"a"'), "an object schema must set additionalProperties: false")]
    text = source('"type": "object", "additionalProperties": true, "properties": {}')
    assert problems(tmp_path, text) == [(*at(text, '"additionalProperties"', 1),
                                         "an object schema must set additionalProperties: false")]
    text = source('"type": "object", "additionalProperties": {}, "properties": {}')
    assert problems(tmp_path, text) == [(*at(text, '"additionalProperties"', 1), "additionalProperties must be false")]


@pytest.mark.parametrize(("field", "needle", "message"), [
    ('"type": "string", "format": "uri"', '"format"', "format must be one of date, time, date-time, email"),
    ('"type": ["string", "null"]', '"type"', "type must be one of object, array, string, integer, number, boolean"),
    ('"type": "string", "minLength": -1', '"minLength"', "minLength must be a non-negative integer"),
    ('"type": "string", "maxLength": true', '"maxLength"', "maxLength must be a non-negative integer"),
    ('"type": "integer", "minimum": "1"', '"minimum"', "minimum must be a number"),
    ('"type": "string", "enum": []', '"enum"', "enum must be a non-empty list"),
    ('"title": "no type"', '"a"', "a schema needs 'type' (or '$ref')"),
    ('"type": "integer", "minLength": 1', '"minLength"', "'minLength' does not apply to type integer"),
    ('"type": "string", "items": {"type": "string"}', '"items"', "'items' does not apply to type string"),
    ('"type": "array", "x-add": "Add"', '"a"', "an array schema needs 'items'"),
    ('"type": "string", "enum": ["x", 1]', '"enum"', "enum value 1 is not of type string"),
    ('"type": "string", "enum": ["x", "x"]', '"enum"', 'enum lists "x" twice'),
    ('"type": "string", "minLength": 3, "maxLength": 2', '"minLength"', "minLength is greater than maxLength"),
    ('"type": "string", "pattern": "^\\\\d+$"', '"pattern"',
     "pattern uses '\\d', which Python and JavaScript read differently; write [0-9]"),
    ('"type": "string", "pattern": "(?P<n>a)"', '"pattern"', "pattern uses '(?P', which JavaScript does not support"),
    ('"type": "string", "pattern": "("', '"pattern"',
     "pattern does not compile: missing ), unterminated subpattern at position 0"),
    ('"type": "string", "$id": "x"', '"$id"', "'$id' belongs at the root of the schema"),
    ('"type": "string", "x-version": 2', '"x-version"', "'x-version' belongs at the root of the schema"),
    ('"type": "object", "additionalProperties": false, "required": ["b"], "properties": {}', '"b"]',
     "required names 'b', which is not in properties"),
])
def test_keyword_values(tmp_path: Path, field: str, needle: str, message: str) -> None:
    text = source(field)
    line, column = at(text, needle, 1 if needle in ('"type"', '"additionalProperties"', '"$id"', '"x-version"') else 0)
    if needle == '"a"':
        line, column = at(text, needle)
    assert problems(tmp_path, text) == [(line, column, message)]


def test_a_true_schema_is_not_supported(tmp_path: Path) -> None:
    text = source().replace('"a": {"type": "string"}', '"a": true')
    assert problems(tmp_path, text) == [(*at(text, '"a"'),
                                         "a schema must be a JSON object (true and false schemas are not supported)")]


# -- $ref ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "defs", "message"), [
    ('"$ref": "#/$defs/nope"', '"b": {"type": "string"}', "$ref '#/$defs/nope' points nowhere"),
    ('"$ref": "other.json#/x"', "", "$ref 'other.json#/x' is not supported: only '#/$defs/<name>' in the same file"),
    ('"$ref": "#/$defs/b"', '"b": {"type": "object", "additionalProperties": false, "properties": {"c": {"$ref": '
                            '"#/$defs/b"}}}', "$ref '#/$defs/b' refers back to itself, so the form would never end"),
])
def test_broken_refs(tmp_path: Path, field: str, defs: str, message: str) -> None:
    text = source(field, defs=defs)
    needle = '"$ref"'
    nth = text.count(needle) - 1  # the innermost reference is the one that fails
    assert problems(tmp_path, text) == [(*at(text, needle, nth), message)]


ESCAPED_DEFS = ('"t~x": {"type": "string"}, "s/x": {"type": "integer"}, "p%x": {"type": "boolean"}, '
                '"é": {"type": "number"}')


@pytest.mark.parametrize("ref", ["#/$defs/t~0x", "#/$defs/s~1x", "#/$defs/p%25x", "#/$defs/%C3%A9", "#/%24defs/t~0x"])
def test_a_ref_names_its_definition_as_json_schema_reads_it(tmp_path: Path, ref: str) -> None:
    """The fragment is percent-decoded, then read as a JSON pointer (RFC 6901 3 and 6), as validate.js reads it."""
    assert problems(tmp_path, source(f'"$ref": "{ref}"', defs=ESCAPED_DEFS)) == []


@pytest.mark.parametrize(("ref", "message"), [
    ("#/$defs/t~x", "$ref '#/$defs/t~x' is not a well-formed name: write '~' as '~0', '/' as '~1' and '%' as '%25'"),
    ("#/$defs/p%x", "$ref '#/$defs/p%x' is not a well-formed name: write '~' as '~0', '/' as '~1' and '%' as '%25'"),
    ("#/$defs/%C3", "$ref '#/$defs/%C3' is not a well-formed name: write '~' as '~0', '/' as '~1' and '%' as '%25'"),
    ("#/$defs/s/x", "$ref '#/$defs/s/x' is not supported: only '#/$defs/<name>' in the same file"),
    ("#/$defs/s%2Fx", "$ref '#/$defs/s%2Fx' is not a well-formed name: write '~' as '~0', '/' as '~1' and '%' as "
                      "'%25'"),
    ("#/$defs/t~1x", "$ref '#/$defs/t~1x' points nowhere"),
])
def test_a_ref_written_literally_is_refused_not_misread(tmp_path: Path, ref: str, message: str) -> None:
    """Before, the build took the name literally and the browser decoded it: each refused what the other accepted."""
    text = source(f'"$ref": "{ref}"', defs=ESCAPED_DEFS)
    assert problems(tmp_path, text) == [(*at(text, '"$ref"'), message)]


def test_a_ref_takes_only_annotations_beside_it(tmp_path: Path) -> None:
    text = source('"$ref": "#/$defs/b", "title": "B", "minLength": 2', defs='"b": {"type": "string"}')
    assert problems(tmp_path, text) == [(*at(text, '"minLength"'),
                                         "'minLength' cannot sit beside $ref; put it in the definition")]


# -- extensions ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "needle", "message"), [
    ('"type": "string", "x-colour": "red"', '"x-colour"', "unknown extension 'x-colour'"),
    ('"type": "string", "x-visibility": "public"', '"x-visibility"',
     "x-visibility must be one of coachee, coach, sponsor"),
    ('"type": "string", "x-widget": "slider"', '"x-widget"',
     "x-widget must be one of text, textarea, number, scale, date, time, email, select, radio, checkbox, "
     "checkboxes, hidden, when, repeat, steps, list, fieldset"),
    ('"type": "string", "x-widget": "scale"', '"x-widget"',
     "x-widget 'scale' needs an integer with minimum and maximum, 2 to 11 values apart"),
    ('"type": "integer", "minimum": 1, "maximum": 100, "x-widget": "scale"', '"x-widget"',
     "x-widget 'scale' needs an integer with minimum and maximum, 2 to 11 values apart"),
    ('"type": "string", "x-widget": "date"', '"x-widget"', "x-widget 'date' needs a string with format: date"),
    ('"type": "string", "x-widget": "checkbox"', '"x-widget"', "x-widget 'checkbox' needs a boolean"),
    ('"type": "string", "x-widget": "radio"', '"x-widget"', "x-widget 'radio' needs an enum"),
    ('"type": "array", "items": {"type": "integer"}, "x-widget": "steps", "x-add": "Add"', '"x-widget"',
     "x-widget 'steps' needs an array of strings"),
    ('"type": "object", "additionalProperties": false, "x-widget": "when", "properties": {"day": {"type": "string"}}',
     '"x-widget"', "x-widget 'when' needs an object with properties date (format: date), time, tz and repeat"),
    ('"type": "string", "x-topic": "goal"', '"x-topic"',
     "x-topic is only used on fields the sponsor may see (x-visibility: sponsor)"),
    ('"type": "string", "x-visibility": "sponsor", "x-topic": "salary"', '"x-topic"',
     "x-topic must be one of goal, progress, actions, dates"),
    ('"type": "string", "x-visibility": "sponsor"', '"x-visibility"',
     "a field the sponsor may see needs x-topic: one of goal, progress, actions, dates"),
    ('"type": "string", "x-confirm": true', '"x-confirm"',
     "x-confirm must be a string (the text shown until the box is ticked)"),
    ('"type": "string", "x-confirm": "Sure?"', '"x-confirm"', "'x-confirm' does not apply to type string"),
    ('"type": "string", "enum": ["a", "b"], "x-labels": ["A"]', '"x-labels"',
     "x-labels must have one label per enum value (2 values, 1 labels)"),
    ('"type": "array", "items": {"type": "string"}', '"a"',
     'a list needs x-add: the text of its add button, e.g. "Add an action"'),
    ('"type": "string", "x-prompts": []', '"x-prompts"', "'x-prompts' does not apply to type string"),
    ('"type": "integer", "x-prompts": [{"min": 1, "max": 2, "text": "?"}]', '"x-prompts"',
     "x-prompts needs minimum and maximum on the same field"),
    ('"type": "integer", "minimum": 1, "maximum": 10, "x-prompts": [{"min": 1, "max": 6, "text": "?"}, '
     '{"min": 6, "max": 9, "text": "?"}]', '{"min": 6', "x-prompts entries 1 and 2 overlap"),
    ('"type": "integer", "minimum": 1, "maximum": 10, "x-prompts": [{"min": 0, "max": 6, "text": "?"}]',
     '{"min": 0', "x-prompts entry 1 is outside minimum..maximum"),
    ('"type": "integer", "minimum": 1, "maximum": 10, "x-prompts": [{"min": 7, "max": 6, "text": "?"}]',
     '{"min": 7', "x-prompts entry 1: min is greater than max"),
    ('"type": "integer", "minimum": 1, "maximum": 10, "x-prompts": [{"min": 1, "max": 6, "text": "?", '
     '"field": "nope"}]', '"field"', "x-prompts field 'nope' is not a property of the same object"),
    ('"type": "integer", "minimum": 1, "maximum": 10, "x-prompts": [{"min": 1, "max": 6, "txt": "?"}]',
     '"txt"', "'txt' is not allowed in x-prompts"),
])
def test_each_bad_extension(tmp_path: Path, field: str, needle: str, message: str) -> None:
    text = source(field)
    found = problems(tmp_path, text)
    assert (*at(text, needle), message) in found, found
    assert len(found) == 1 or needle == '"txt"', found


CALENDAR_OBJECT = ('"type": "object", "additionalProperties": false, "required": ["id"], "x-calendar": {CAL}, '
                   '"properties": {"id": {"type": "string", "x-widget": "hidden"}, "what": {"type": "string"}, '
                   '"done": {"type": "boolean"}, "when": {"type": "object", "additionalProperties": false, '
                   '"x-widget": "when", "properties": {"date": {"type": "string", "format": "date"}, '
                   '"tz": {"type": "string", "x-widget": "hidden"}}}}')


@pytest.mark.parametrize(("calendar", "needle", "message"), [
    ('{"kind": "action", "summary": "/what", "when": "/when", "done": "/done"}', None, None),
    ('{"kind": "meeting", "summary": "/what", "when": "/when"}', '"kind"',
     "x-calendar kind must be one of action, review"),
    ('{"kind": "action", "when": "/when"}', '"x-calendar"',
     "x-calendar needs either summary or summaryText, not both or neither"),
    ('{"kind": "action", "summary": "/what", "summaryText": "Hi", "when": "/when"}', '"x-calendar"',
     "x-calendar needs either summary or summaryText, not both or neither"),
    ('{"kind": "action", "summary": "/nope", "when": "/when"}', '"summary"',
     "x-calendar summary '/nope' points nowhere in this object"),
    ('{"kind": "action", "summary": "what", "when": "/when"}', '"summary"',
     "x-calendar summary 'what' must be a JSON pointer starting with '/'"),
    ('{"kind": "action", "summary": "/what", "when": "/what"}', '"when": "/what"',
     "x-calendar when must point to an object with x-widget: when"),
    ('{"kind": "action", "summary": "/what", "when": "/when", "done": "/what"}', '"done": "/what"',
     "x-calendar done must point to a boolean"),
    ('{"kind": "action", "summary": "/what", "when": "/when", "colour": "red"}', '"colour"',
     "'colour' is not allowed in x-calendar"),
    ('{"kind": "action", "summary": "/what"}', '"x-calendar"', "x-calendar needs 'when'"),
])
def test_calendar_extension(tmp_path: Path, calendar: str, needle: str | None, message: str | None) -> None:
    text = source(CALENDAR_OBJECT.replace("{CAL}", calendar))
    found = problems(tmp_path, text)
    assert found == ([] if message is None else [(*at(text, needle), message)])


def test_calendar_items_need_an_id(tmp_path: Path) -> None:
    text = source(CALENDAR_OBJECT.replace("{CAL}", '{"kind": "review", "summaryText": "Review", "when": "/when"}')
                  .replace('"required": ["id"], ', ""))
    assert problems(tmp_path, text) == [
        (*at(text, '"x-calendar"'),
         "an object with x-calendar needs a required 'id' property (a string with x-widget: hidden)")]


def test_x_title_must_point_to_text(tmp_path: Path) -> None:
    text = source(root='\n  "x-title": "/nope",')
    assert problems(tmp_path, text) == [(*at(text, '"x-title"'), "x-title '/nope' must point to a text field")]
    assert problems(tmp_path, source(root='\n  "x-title": "/a",')) == []


def test_a_schema_in_defs_is_checked_even_when_unused(tmp_path: Path) -> None:
    text = source(defs='"b": {"type": "string", "allOf": []}')
    assert problems(tmp_path, text) == [(*at(text, '"allOf"'), "'allOf' is not supported")]


def test_topic_and_visibility_follow_refs(tmp_path: Path) -> None:
    """A definition used under a sponsor-visible field inherits its visibility and topic."""
    text = source('"$ref": "#/$defs/b", "x-visibility": "sponsor", "x-topic": "dates"',
                  defs='"b": {"type": "object", "additionalProperties": false, "properties": '
                       '{"c": {"type": "string", "x-topic": "goal"}}}')
    assert problems(tmp_path, text) == []


def test_a_bad_file_does_not_hide_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "s.json").write_text(source())
    (folder / "t.json").write_text(source('"type": "string", "not": {}').replace('"$id": "s"', '"$id": "t"'))
    (folder / "u.migrate.js").write_text("export const migrations = {};\n")
    schemas, found = load_schemas(folder)
    assert list(schemas) == ["s"]
    assert [(p.path, p.severity, p.message) for p in found] == [
        ("schemas/t.json", "error", "'not' is not supported"),
        ("schemas/u.migrate.js", "warning", "migrations for 'u', but there is no u.json"),
    ]


def test_a_version_without_migrations_is_a_warning(tmp_path: Path) -> None:
    found = problems(tmp_path, source().replace('"x-version": 1', '"x-version": 3'))
    assert found == [(4, 3, "x-version is 3 but s.migrate.js does not exist: plans saved under an older version "
                            "cannot be upgraded")]


@pytest.mark.parametrize(("pattern", "ok"), [
    ("^([01][0-9]|2[0-3]):[0-5][0-9]$", True), ("^[a-z]{2,}$", True), ("^(?:a|b)(?=c)", True), ("a\\.b", True),
    ("[\\-a]", True), ("\\-", False), ("\\w", False), ("\\bword", False), ("(?i)x", False), ("a{,3}", False),
    ("a}", False), ("a]", False), ("\\u00e9", True), ("\\u00", False), ("[[a]", False), ("\\Z", False),
])
def test_patterns_keep_to_what_python_and_javascript_read_alike(pattern: str, ok: bool) -> None:
    assert (pattern_problem(pattern) is None) is ok, pattern_problem(pattern)


def test_translatable_strings_name_their_place() -> None:
    schemas, _ = load_schemas(REPO / "schemas")
    strings = dict(translatable_strings(schemas["smart-action-plan"]))
    assert strings["smart-action-plan:/title"] == "Action plan"
    assert strings["smart-action-plan:/properties/goal/properties/what/title"] == "What result do you want?"
    assert strings["smart-action-plan:/properties/actions/x-add"] == "Add an action"
    prompt = "smart-action-plan:/$defs/action/properties/commitment/x-prompts/1/text"
    assert strings[prompt] == "What would make it a 10?"
    assert strings["smart-action-plan:/$defs/review/x-calendar/summaryText"] == "Review my action plan"
    assert strings["smart-action-plan:/$defs/action/properties/dependsOnMe/x-confirm"].startswith("If the action")
    labels = dict(translatable_strings(schemas["coaching-agreement"]))
    assert labels["coaching-agreement:/properties/shares/items/x-labels/1"] == "Your progress"
    assert not any(text in ("goal", "monthly") for text in labels.values())  # enum values are data, not text
    # Property names that look like keywords are not texts: only the keyword positions are.
    raw = json.loads((REPO / "schemas" / "smart-action-plan.json").read_text())
    assert len(strings) == sum(1 for _ in _texts(raw))


def _texts(node: object, parent: str = ""):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        for key, value in node.items():
            if parent not in ("properties", "$defs"):
                if key in ("title", "description", "x-confirm", "x-add") and isinstance(value, str):
                    yield value
                elif key == "x-labels":
                    yield from value
                elif key == "x-prompts":
                    yield from (p["text"] for p in value)
                elif key == "x-calendar" and "summaryText" in value:
                    yield value["summaryText"]
            if key not in ("x-labels", "x-prompts", "x-calendar"):
                yield from _texts(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, "")


MEASURE_GROUP = ('"type": "object", "additionalProperties": false, "x-measure": {M}, "properties": {'
                 '"metric": {"type": "string"}, "baseline": {"type": "number"}, "target": {"type": "number"}, '
                 '"deadline": {"type": "string", "format": "date"}, "note": {"type": "integer"}}')
GOOD_MEASURE = '{"metric": "metric", "baseline": "baseline", "target": "target", "deadline": "deadline"}'


@pytest.mark.parametrize(("measure", "needle", "message"), [
    (GOOD_MEASURE, None, None),
    (GOOD_MEASURE.replace('"target": "target"', '"target": "goal"'), '"target": "goal"',
     "x-measure target 'goal' is not a property of this object"),
    (GOOD_MEASURE.replace('"metric": "metric"', '"metric": "baseline"'), '"metric": "baseline"',
     "x-measure metric 'baseline' must be a text field"),
    (GOOD_MEASURE.replace('"baseline": "baseline"', '"baseline": "note"'), '"baseline": "note"',
     "x-measure baseline 'note' must be a field of type number"),
    (GOOD_MEASURE.replace('"deadline": "deadline"', '"deadline": "metric"'), '"deadline": "metric"',
     "x-measure deadline 'metric' must be a field with format: date"),
    (GOOD_MEASURE.replace(', "deadline": "deadline"', ""), '"x-measure"', "x-measure needs 'deadline'"),
    (GOOD_MEASURE.replace('}', ', "unit": "%"}'), '"unit"', "'unit' is not allowed in x-measure"),
    (GOOD_MEASURE.replace('"metric": "metric"', '"metric": 3'), '"metric": 3',
     "x-measure metric must be a property name"),
])
def test_measure_extension(tmp_path: Path, measure: str, needle: str | None, message: str | None) -> None:
    text = source(MEASURE_GROUP.replace("{M}", measure))
    found = problems(tmp_path, text)
    assert found == ([] if message is None else [(*at(text, needle), message)])


def test_measure_belongs_on_an_object(tmp_path: Path) -> None:
    text = source(f'"type": "string", "x-measure": {GOOD_MEASURE}')
    assert problems(tmp_path, text) == [(*at(text, '"x-measure"'), "'x-measure' does not apply to type string")]


def test_the_action_plan_goal_is_measurable() -> None:
    schemas, _ = load_schemas(REPO / "schemas")
    goal = schemas["smart-action-plan"].raw["properties"]["goal"]
    assert goal["x-measure"] == json.loads(GOOD_MEASURE)
    # An annotation changes no data's validity: the schema's version is the repeat rule's 4, not one more.
    assert schemas["smart-action-plan"].version == 4
