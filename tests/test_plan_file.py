"""site_src/js/files/plan-file.js: plan files and backups, and every bad import refused before anything is written."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.js.node_driver import NodeDriver, shared_driver
from tests.js.plan_fixtures import SCHEMA, action, make_plan

PLAN_FILE = "site_src/js/files/plan-file.js"
SCHEMAS = {"test-plan": SCHEMA}
NOW = "2025-06-01T08:00:00.123Z"


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def plan_n(n: int, revision: int = 1) -> dict[str, Any]:
    plan = make_plan([action(n, f"Action {n} <b>bold</b>", "2025-03-03", "07:30")], revision=revision)
    plan["id"] = f"aaaaaaaa-0000-4000-8000-{n:012d}"
    plan["created"] = f"2025-01-{1 + n % 28:02d}T10:00:00Z"
    return plan


def parse(node: NodeDriver, text: str, schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return node("parseImport", text=text, schemas=SCHEMAS if schemas is None else schemas)


def refused(node: NodeDriver, text: str, schemas: dict[str, Any] | None = None) -> list[str]:
    result = parse(node, text, schemas)
    assert result["plans"] == [], "a bad file must yield nothing to write"
    assert result["errors"], "a bad file must say why"
    return result["errors"]


def test_plan_file_round_trip_is_byte_identical(node: NodeDriver) -> None:
    plan = plan_n(1, revision=7)
    plan["data"]["goal"] = 'Ünïcødé 日本 😀 "quotes" \\ <script>alert(1)</script>'
    text = node.call(PLAN_FILE, "planToFile", plan)
    assert json.loads(text) == {**plan, "format_version": 3, "checkins": [], "measurements": []}
    assert list(json.loads(text)) == [
        "format", "format_version", "schema", "schema_version", "id", "revision", "created", "updated", "lang",
        "data", "checkins", "measurements",
    ]
    result = parse(node, text)
    assert result["errors"] == [] and result["kind"] == "plan"
    assert node.call(PLAN_FILE, "planToFile", result["plans"][0]) == text


def test_backup_round_trip_is_byte_identical_apart_from_the_timestamp(node: NodeDriver) -> None:
    plans = [plan_n(n, revision=n) for n in range(1, 13)]
    first = node.call(PLAN_FILE, "backupFile", plans, NOW)
    doc = json.loads(first)
    assert doc["format"] == "passo-backup" and doc["format_version"] == 3
    assert doc["exported"] == "2025-06-01T08:00:00Z"
    result = parse(node, first)
    assert result["errors"] == [] and result["kind"] == "backup" and len(result["plans"]) == 12
    again = node.call(PLAN_FILE, "backupFile", list(reversed(result["plans"])), "2026-01-01T00:00:00Z")
    assert again.replace("2026-01-01T00:00:00Z", "2025-06-01T08:00:00Z", 1) == first


def test_html_in_strings_is_kept_as_data(node: NodeDriver) -> None:
    plan = plan_n(1)
    plan["data"]["goal"] = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    result = parse(node, node.call(PLAN_FILE, "planToFile", plan))
    assert result["errors"] == []
    assert result["plans"][0]["data"]["goal"] == plan["data"]["goal"]


def test_not_json(node: NodeDriver) -> None:
    assert refused(node, "{not json") == ["This file is not a plan or backup from Passo: it is not JSON."]
    assert refused(node, "") == ["This file is not a plan or backup from Passo: it is not JSON."]


@pytest.mark.parametrize("text", ["[]", "42", '"passo-plan"', "null", '{"format": "passo-calendar"}', "{}"])
def test_json_of_another_kind(node: NodeDriver, text: str) -> None:
    assert refused(node, text) == ["This file is JSON, but not a plan or backup from Passo."]


def test_sponsor_report_is_not_a_plan(node: NodeDriver) -> None:
    text = json.dumps({"format": "passo-sponsor-report", "format_version": 1, "plans": []})
    assert refused(node, text)[0].startswith("This is a sponsor report")


def test_unknown_schema(node: NodeDriver) -> None:
    plan = plan_n(1)
    plan["schema"] = "astrology-chart"
    assert refused(node, json.dumps(plan)) == ["This site has no form called “astrology-chart”."]


def test_newer_format_version(node: NodeDriver) -> None:
    plan = plan_n(1)
    plan["format_version"] = 4
    (msg,) = refused(node, json.dumps(plan))
    assert "newer version of Passo" in msg
    backup = {"format": "passo-backup", "format_version": 4, "exported": NOW, "plans": [plan_n(1)]}
    assert "newer version of Passo" in refused(node, json.dumps(backup))[0]


def test_newer_schema_version(node: NodeDriver) -> None:
    plan = plan_n(1)
    plan["schema_version"] = 9
    assert refused(node, json.dumps(plan)) == [
        "It was made with a newer version of the form “test-plan” (version 9; this site has version 1). "
        "Reload Passo to update it, then try again."
    ]


def test_data_that_breaks_the_schema_names_plan_and_field(node: NodeDriver) -> None:
    plans = [plan_n(n) for n in range(1, 13)]
    plans[2]["data"]["actions"][0]["when"]["date"] = "next Tuesday"
    plans[5]["data"]["surprise"] = 1
    backup = node.call(PLAN_FILE, "backupFile", plans, NOW)
    errors = refused(node, backup)
    assert len(errors) == 2
    assert errors[0].startswith("plan 3 of 12, field /actions/0/when/date: ")
    assert errors[1].startswith("plan 6 of 12, field /")
    single = refused(node, node.call(PLAN_FILE, "planToFile", plans[2]))
    assert single[0].startswith("Field /actions/0/when/date: ")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p.pop("id"), "The plan id is missing or not valid."),
        (lambda p: p.update(id="../../etc"), "The plan id is missing or not valid."),
        (lambda p: p.update(revision=0), "The revision is missing or not a whole number."),
        (lambda p: p.update(revision="7"), "The revision is missing or not a whole number."),
        (lambda p: p.update(updated="yesterday"), "“updated” is not a date and time."),
        (lambda p: p.update(lang=""), "The language is missing or not valid."),
        (lambda p: p.update(data=[]), "The plan has no data."),
        (lambda p: p.update(extra=1), "Unknown entry “extra”."),
    ],
)
def test_bad_envelope(node: NodeDriver, change: Any, expected: str) -> None:
    plan = plan_n(1)
    change(plan)
    assert expected in refused(node, json.dumps(plan))


def test_too_large_file_is_refused_before_parsing(node: NodeDriver) -> None:
    big = '{"format": "passo-plan", "pad": "' + "x" * (20 * 1024 * 1024) + '"}'
    (msg,) = refused(node, big)
    assert msg == "This file is too large to import (20.0 MB; the limit is 10 MB)."
    assert node.call(PLAN_FILE, "sizeProblem", 20 * 1024 * 1024) == msg
    assert node.call(PLAN_FILE, "sizeProblem", 5 * 1024 * 1024) is None


def test_duplicate_ids_in_one_backup(node: NodeDriver) -> None:
    plans = [plan_n(1), plan_n(2), plan_n(1)]
    backup = {"format": "passo-backup", "format_version": 1, "exported": "2025-01-01T00:00:00Z", "plans": plans}
    assert refused(node, json.dumps(backup)) == ["plan 3 of 3: it has the same id as plan 1."]


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ('{"__proto__": {"polluted": 1}, "format": "passo-plan"}', "/__proto__"),
        ('{"format": "passo-backup", "format_version": 1, "plans": [{"data": {"constructor": {"x": 1}}}]}',
         "/plans/0/data/constructor"),
        ('{"format": "passo-plan", "data": {"actions": [{"prototype": 1}]}}', "/data/actions/0/prototype"),
    ],
)
def test_prototype_keys_are_refused(node: NodeDriver, text: str, pointer: str) -> None:
    (msg,) = refused(node, text)
    assert pointer in msg and "is not allowed" in msg
    # Nothing leaked into the Node process's Object prototype either.
    assert node("call", module=PLAN_FILE, fn="isoNow", args=["2025-01-01T00:00:00Z"]) == "2025-01-01T00:00:00Z"


def test_deep_nesting_is_refused(node: NodeDriver) -> None:
    assert "nested too deeply" in refused(node, "[" * 5000 + "]" * 5000)[0]


def test_older_schema_version_is_migrated_before_validation(node: NodeDriver) -> None:
    schemas = {"test-plan": {**SCHEMA, "x-version": 2}}
    plan = plan_n(1)
    plan["data"]["old_goal"] = plan["data"].pop("goal")
    result = parse(node, json.dumps(plan), schemas)
    assert result["errors"] == []
    (got,) = result["plans"]
    assert got["schema_version"] == 2 and got["data"]["goal"] == "Run 10 km" and "old_goal" not in got["data"]
    plan["data"]["boom"] = True
    assert "could not be brought up to the current form version" in refused(node, json.dumps(plan), schemas)[0]


def test_many_problems_are_capped(node: NodeDriver) -> None:
    plans = [plan_n(n) for n in range(1, 41)]
    for p in plans:
        p["revision"] = 0
    errors = refused(node, json.dumps({"format": "passo-backup", "format_version": 1, "plans": plans}))
    assert len(errors) == 20 and errors[-1] == "… and 21 more problems."


def test_empty_backup(node: NodeDriver) -> None:
    assert refused(node, json.dumps({"format": "passo-backup", "format_version": 1, "plans": []})) == [
        "This backup holds no plans."
    ]


def test_import_decision(node: NodeDriver) -> None:
    stored = plan_n(1, revision=5)
    newer = {**copy.deepcopy(stored), "revision": 6}
    older = {**copy.deepcopy(stored), "revision": 4}
    changed = copy.deepcopy(stored)
    changed["data"]["goal"] = "Something else"

    def decide(existing: dict[str, Any] | None, incoming: dict[str, Any]) -> str:
        return str(node.call(PLAN_FILE, "planImportDecision", existing, incoming))

    assert decide(None, stored) == "add"
    assert decide(stored, newer) == "update"
    assert decide(stored, copy.deepcopy(stored)) == "same"
    assert decide(stored, changed) == "ask"
    assert decide(stored, older) == "ask"


def test_file_names(node: NodeDriver) -> None:
    plan = plan_n(1)
    assert node.call(PLAN_FILE, "fileName", "plan", plan, NOW) == "passo-test-plan-aaaaaaaa-2025-06-01.json"
    assert node.call(PLAN_FILE, "fileName", "backup", None, NOW) == "passo-backup-2025-06-01.json"
    assert node.call(PLAN_FILE, "fileName", "plan", plan, NOW, "ics") == "passo-test-plan-aaaaaaaa-2025-06-01.ics"


# ---- format_version 2: check-ins ----

ACTION_1 = "00000000-0000-4000-8000-000000000001"


def checkin(**change: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"item": ACTION_1, "at": "2025-03-04T09:00:00Z", "outcome": "done", "note": "",
                            "commitment": 8, "from": None, "to": None, "plan_b": False}
    return {**base, **change}


def v2(checkins: list[dict[str, Any]], n: int = 1) -> dict[str, Any]:
    return {**plan_n(n, revision=3), "format_version": 2, "checkins": checkins}


MOVE = checkin(outcome="moved", commitment=None,
               **{"from": {"date": "2025-03-03", "time": "07:30", "tz": "Europe/Rome"},
                  "to": {"date": "2025-03-10", "tz": "Europe/Rome"}, "plan_b": True})


def test_v2_plan_with_checkins_round_trips_and_the_checkins_reach_the_store(node: NodeDriver) -> None:
    plan = v2([checkin(note="Ran before work ✓"), MOVE])
    result = parse(node, json.dumps(plan))
    assert result["errors"] == []
    (imported,) = result["plans"]
    assert imported["checkins"] == plan["checkins"]  # putPlans writes these with the plan
    text = node.call(PLAN_FILE, "planToFile", imported)
    assert json.loads(text)["checkins"] == plan["checkins"]
    assert json.loads(node.call(PLAN_FILE, "planToFile", imported, [MOVE]))["checkins"] == [MOVE]


def test_v1_plan_imports_as_before_without_checkins(node: NodeDriver) -> None:
    result = parse(node, json.dumps(plan_n(1)))
    assert result["errors"] == []
    assert "checkins" not in result["plans"][0]  # so an update leaves check-ins on the device as they are
    bad = {**plan_n(1), "checkins": []}
    assert refused(node, json.dumps(bad)) == ["Unknown entry “checkins”."]


def test_backup_carries_each_plans_checkins_and_is_version_3(node: NodeDriver) -> None:
    plans = [plan_n(1), plan_n(2)]
    text = node("call", module=PLAN_FILE, fn="backupFile", args=[plans, NOW])  # no check-ins given: empty lists
    doc = json.loads(text)
    assert doc["format_version"] == 3 and [p["checkins"] for p in doc["plans"]] == [[], []]
    backup = {**doc, "plans": [v2([checkin()], 1), v2([], 2)]}
    result = parse(node, json.dumps(backup))
    assert result["errors"] == [] and [len(p["checkins"]) for p in result["plans"]] == [1, 0]


BAD_CHECKINS = [
    (checkin(item="99999999-0000-4000-8000-000000000000"),
     "it names an item the plan does not have (“99999999-0000-4000-8000-000000000000”)."),
    (checkin(outcome="maybe"),
     "the outcome “maybe” is unknown (known: done, partly, not-done, skipped, dropped, moved)."),
    (checkin(commitment=0), "the commitment is 0; it must be a whole number from 1 to 10."),
    (checkin(commitment=11), "the commitment is 11; it must be a whole number from 1 to 10."),
    ({**MOVE, "to": {"date": "2025-02-30", "tz": "Europe/Rome"}},
     "it moves the item to a date that does not exist (2025-02-30)."),
    (checkin(at="2999-01-01T00:00:00Z"), "it is dated in the future (2999-01-01T00:00:00Z)."),
    (checkin(at="yesterday"), "“at” is not a date and time."),
    ({**checkin(), "mood": "ok"}, "unknown entry “mood”."),
]


@pytest.mark.parametrize(("bad", "expected"), BAD_CHECKINS)
def test_bad_checkin_is_refused_naming_plan_and_checkin(node: NodeDriver, bad: dict[str, Any], expected: str) -> None:
    plan = v2([checkin(), bad])
    assert refused(node, json.dumps(plan)) == [f"Plan “Run 10 km”, check-in 2: {expected}"]
    # In a backup the good plan beside it is not written either: nothing changes.
    backup = {"format": "passo-backup", "format_version": 2, "exported": NOW, "plans": [v2([], 2), plan]}
    assert refused(node, json.dumps(backup)) == [f"Plan “Run 10 km”, check-in 2: {expected}"]


def test_more_than_ten_thousand_checkins_are_refused(node: NodeDriver) -> None:
    assert parse(node, json.dumps(v2([checkin()] * 10000)))["errors"] == []
    assert refused(node, json.dumps(v2([checkin()] * 10001))) == [
        "Plan “Run 10 km”: it has 10001 check-ins; a plan can have at most 10000."
    ]


# ---- format_version 3: measurements ----

MEASURED_SCHEMA: dict[str, Any] = copy.deepcopy(SCHEMA)
MEASURED_SCHEMA["properties"]["result"] = {
    "type": "object", "additionalProperties": False,
    "x-measure": {"metric": "metric", "baseline": "baseline", "target": "target", "deadline": "deadline"},
    "properties": {"metric": {"type": "string"}, "baseline": {"type": "number"}, "target": {"type": "number"},
                   "deadline": {"type": "string", "format": "date"}},
}
MEASURED = {"test-plan": MEASURED_SCHEMA}


def measurement(**change: Any) -> dict[str, Any]:
    return {"group": "/result", "at": "2025-03-04T09:00:00Z", "value": 7.5, "note": "", **change}


def v3(measurements: list[dict[str, Any]], n: int = 1) -> dict[str, Any]:
    plan = {**v2([checkin()] if n == 1 else [], n), "format_version": 3, "measurements": measurements}
    plan["data"] = {**plan["data"], "result": {"metric": "Error reports, %", "baseline": 10, "target": 5,
                                              "deadline": "2025-06-30"}}
    return plan


def test_v3_plan_with_measurements_round_trips(node: NodeDriver) -> None:
    plan = v3([measurement(note="after the new checklist"), measurement(at="2025-04-01T08:00:00+02:00", value=6)])
    result = parse(node, json.dumps(plan), MEASURED)
    assert result["errors"] == []
    (imported,) = result["plans"]
    assert imported["measurements"] == plan["measurements"]
    text = node.call(PLAN_FILE, "planToFile", imported)
    assert json.loads(text) == plan
    # A backup holding version 3 plans is a version 3 backup, and reads back the same.
    backup = json.loads(node.call(PLAN_FILE, "backupFile", [imported], NOW))
    assert backup["format_version"] == 3 and backup["plans"] == [plan]
    assert parse(node, json.dumps(backup), MEASURED)["plans"][0]["measurements"] == plan["measurements"]


def test_versions_1_and_2_still_import_and_measurements_need_version_3(node: NodeDriver) -> None:
    assert parse(node, json.dumps(plan_n(1)), MEASURED)["errors"] == []
    assert parse(node, json.dumps(v2([checkin()])), MEASURED)["errors"] == []
    assert refused(node, json.dumps({**v3([measurement()]), "format_version": 2}), MEASURED) == [
        "Unknown entry “measurements”."]


BAD_MEASUREMENTS = [
    (measurement(value="7.5"), "the value \"7.5\" is not a number."),
    (measurement(value=None), "the value null is not a number."),
    (measurement(at="2999-01-01T00:00:00Z"), "it is dated in the future (2999-01-01T00:00:00Z)."),
    (measurement(at="last week"), "“at” is not a date and time."),
    (measurement(group="/goal"), "it names a part of the plan that is not measured (“/goal”)."),
    (measurement(group="/review"), "it names a part of the plan that is not measured (“/review”)."),
    ({**measurement(), "unit": "%"}, "unknown entry “unit”."),
    (measurement(note=5), "the note is not text of at most 2000 characters."),
    (measurement(at="2025-03-01T00:00:00Z"), "it is older than the measurement before it: the list goes oldest first."),
]


@pytest.mark.parametrize(("bad", "expected"), BAD_MEASUREMENTS)
def test_bad_measurement_is_refused_naming_plan_and_entry(node: NodeDriver, bad: dict[str, Any], expected: str) -> None:
    plan = v3([measurement(), bad])
    assert refused(node, json.dumps(plan), MEASURED) == [f"Plan “Run 10 km”, measurement 2: {expected}"]
    backup = {"format": "passo-backup", "format_version": 3, "exported": NOW, "plans": [v3([], 2), plan]}
    assert refused(node, json.dumps(backup), MEASURED) == [f"Plan “Run 10 km”, measurement 2: {expected}"]


def test_a_value_too_large_for_json_numbers_is_not_a_number(node: NodeDriver) -> None:
    text = json.dumps(v3([measurement()])).replace('"value": 7.5', '"value": 1e999')
    assert refused(node, text, MEASURED) == ["Plan “Run 10 km”, measurement 1: the value null is not a number."]


def test_a_group_measurable_in_no_schema_is_refused(node: NodeDriver) -> None:
    plan = v3([measurement()])
    del plan["data"]["result"]
    assert refused(node, json.dumps(plan)) == [  # the plain schema marks nothing measurable
        "Plan “Run 10 km”, measurement 1: it names a part of the plan that is not measured (“/result”)."]


def test_more_than_ten_thousand_measurements_are_refused(node: NodeDriver) -> None:
    assert parse(node, json.dumps(v3([measurement()] * 10000)), MEASURED)["errors"] == []
    assert refused(node, json.dumps(v3([measurement()] * 10001)), MEASURED) == [
        "Plan “Run 10 km”: it has 10001 measurements; a plan can have at most 10000."]
