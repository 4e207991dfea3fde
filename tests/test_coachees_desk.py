"""site_src/js/coachees/ in Node: grouping shares by coachee, the overview's columns and "needs attention" reasons at
a fixed clock (each item in its own zone), sorting, filtering and searching notes, the questions, and the CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from passo.site.assets import IMPORT_SPECIFIER
from tests.conftest import REPO
from tests.js.node_driver import NodeDriver, shared_driver
from tests.js.plan_fixtures import SCHEMA as TEST_SCHEMA
from tests.js.plan_fixtures import action as fixture_action
from tests.js.plan_fixtures import make_plan

DESK = "site_src/js/coachees/desk.js"
TEXT = "site_src/js/coachees/desk-text.js"
CSV = "site_src/js/coachees/csv.js"
MEASURE = "site_src/js/coachees/measure.js"
SCHEMAS = {sid: json.loads((REPO / "schemas" / f"{sid}.json").read_text(encoding="utf-8"))
           for sid in ("smart-action-plan", "coaching-agreement")}
ANN = "11111111-1111-4111-8111-111111111111"
BO = "22222222-2222-4222-8222-222222222222"
# 10 December 2026, 23:30 in UTC: already the 11th in Tokyo, still the 10th in New York.
NOW = int(datetime(2026, 12, 10, 23, 30, tzinfo=UTC).timestamp() * 1000)


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def action(aid: str, what: str, date: str, tz: str = "Europe/Rome", **extra: Any) -> dict[str, Any]:
    return {"id": aid, "what": what, "when": {"date": date, "tz": tz}, **extra}


def rec(pid: str, actions: list[dict[str, Any]], checkins: list[dict[str, Any]], *, coachee: str | None = ANN,
        frm: str = "Ann", shared: str = "2026-12-08T09:00:00Z", previous: dict[str, Any] | None = None,
        what: str = "Speak up", **extra: Any) -> dict[str, Any]:
    out = {"id": pid, "schema": "smart-action-plan", "schema_version": 3, "revision": 4, "updated": shared,
           "from": frm, "shared": shared, "lang": "en", "received": shared,
           "data": {"goal": {"what": what}, "actions": actions}, "checkins": checkins, "previous": previous, **extra}
    if coachee:
        out["coachee"] = coachee
    return out


def ci(item: str, at: str, outcome: str, **extra: Any) -> dict[str, Any]:
    return {"item": item, "at": at, "outcome": outcome, **extra}


def rows(node: NodeDriver, records: list[dict[str, Any]], now: int = NOW) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = node.call(DESK, "coacheeRows", records, SCHEMAS, now)
    return result


def test_shares_group_by_coachee_key_and_version_1_by_name(node: NodeDriver) -> None:
    records = [
        rec("p1", [], [], frm="Ann", shared="2026-11-01T09:00:00Z"),
        rec("p2", [], [], frm="Annie", shared="2026-12-01T09:00:00Z", names=["Ann", "Annie"]),
        rec("p3", [], [], coachee=BO, frm="Ann"),  # another Ann: another key
        rec("p4", [], [], coachee=None, frm="Cy"),
        rec("p5", [], [], coachee=None, frm="Cy"),
    ]
    groups = node.call(DESK, "groupCoachees", records)
    by_key = {g["key"]: g for g in groups}
    assert sorted(by_key) == sorted([ANN, BO, "from:Cy"])
    assert by_key[ANN]["name"] == "Annie" and by_key[ANN]["names"] == ["Ann", "Annie"]
    assert by_key[ANN]["latest"] == "2026-12-01T09:00:00Z"
    assert [r["id"] for r in by_key["from:Cy"]["records"]] == ["p4", "p5"]
    row = next(r for r in rows(node, records) if r["key"] == ANN)
    assert node.call(TEXT, "nameText", row) == "Annie (also shared as Ann)"


def test_columns_count_since_the_previous_share_each_item_in_its_zone(node: NodeDriver) -> None:
    previous = {"revision": 3, "shared": "2026-11-25T09:00:00Z", "from": "Ann",
                "data": {"goal": {"what": "Speak up"}, "actions": [{"id": "a1", "what": "Draft", "commitment": 9}]},
                "checkins": [ci("a1", "2026-11-20T10:00:00Z", "done")]}
    actions = [
        action("a1", "Draft", "2026-11-20", done=True),
        action("a2", "Rehearse", "2026-12-01", tz="Asia/Tokyo", done=True),
        action("a3", "Book room", "2026-12-05", tz="America/New_York", done=True),
        action("a4", "Ask Sam", "2026-11-28", commitment=8),
        action("a5", "Walk", "2026-12-09", occurrence_note="repeating"),
    ]
    checkins = [
        ci("a1", "2026-11-20T10:00:00Z", "done"),  # in the previous share already: not counted again
        # 1 December 16:00 UTC is the 2nd in Tokyo: late by its own day.
        ci("a2", "2026-12-01T16:00:00Z", "done"),
        # 6 December 03:00 UTC is still the 5th in New York: on time.
        ci("a3", "2026-12-06T03:00:00Z", "done"),
        ci("a4", "2026-11-29T10:00:00Z", "not-done", commitment=6),
        ci("a4", "2026-12-02T10:00:00Z", "not-done", commitment=4),
        ci("a5", "2026-12-09T20:00:00Z", "skipped", occurrence="2026-12-09"),
        ci("a5", "2026-12-02T20:00:00Z", "done", occurrence="2026-12-02"),
    ]
    row = rows(node, [rec("p1", actions, checkins, previous=previous)])[0]
    assert row["since"] == {"onTime": 2, "late": 1, "notDone": 2, "skipped": 1}
    # At NOW it is already 11 December in Rome: a4 (28 November) is 13 days late there, a5 (the 9th) 2 days.
    assert sorted((o["item"]["id"], o["days"]) for o in row["overdue"]) == [("a4", 13), ("a5", 2)]
    assert row["commitment"]["value"] == 4 and row["commitment"]["before"] == 6
    assert row["commitment"]["direction"] == "down"
    assert [r["kind"] for r in row["reasons"]] == ["overdue", "commitment"]
    assert node.call(TEXT, "reasonText", row["reasons"][0]) == "1 item overdue, the oldest by 13 days"
    assert node.call(TEXT, "reasonText", row["reasons"][1]) == "commitment at 4, under 7"
    assert node.call(TEXT, "commitmentText", row["commitment"]) == "4 of 10, falling (was 6)"
    cells = node.call(TEXT, "cells", row)
    assert (cells["overdue"], cells["onTime"], cells["late"], cells["notDone"], cells["skipped"]) == (
        "2", "2", "1", "2", "1")


def test_an_item_overdue_seven_days_is_not_yet_a_reason_eight_is(node: NodeDriver) -> None:
    # Tokyo: at NOW it is 11 December there; an all-day item on the 3rd is 8 days late, on the 4th 7 days.
    seven = rows(node, [rec("p1", [action("a", "A", "2026-12-04", tz="Asia/Tokyo")], [])])[0]
    eight = rows(node, [rec("p1", [action("a", "A", "2026-12-03", tz="Asia/Tokyo")], [])])[0]
    assert seven["overdue"][0]["days"] == 7 and seven["reasons"] == []
    assert eight["overdue"][0]["days"] == 8 and [r["kind"] for r in eight["reasons"]] == ["overdue"]


def test_no_share_for_longer_than_agreed(node: NodeDriver) -> None:
    old = rec("p1", [], [], shared="2026-11-05T09:00:00Z")
    assert [r for r in rows(node, [old])[0]["reasons"]] == [{"kind": "silent", "days": 35, "frequency": 30}]
    assert rows(node, [rec("p1", [], [], shared="2026-11-12T09:00:00Z")])[0]["reasons"] == []
    # The agreement's review repeats every two weeks: a share 15 days old is overdue.
    agreement = {**rec("ag", [], [], shared="2026-11-25T09:00:00Z"), "schema": "coaching-agreement",
                 "schema_version": 1, "data": {"review": {"id": "r1", "when": {
                     "date": "2026-12-20", "tz": "Europe/Rome", "repeat": {"freq": "weekly", "interval": 2}}}}}
    row = rows(node, [agreement])[0]
    assert row["reasons"] == [{"kind": "silent", "days": 15, "frequency": 14}]
    assert row["nextReview"] == "2026-12-20"
    assert node.call(TEXT, "reasonText", row["reasons"][0]) == "no share for 15 days (agreed: every 14 days)"


def test_measure_against_its_path_only_when_shared(node: NodeDriver) -> None:
    schema = {"type": "object", "properties": {"goal": {"type": "object", "x-measure": {
        "metric": "metric", "baseline": "baseline", "target": "target", "deadline": "deadline"}}}}
    data = {"goal": {"metric": "errors", "baseline": 10, "target": 5, "deadline": "2026-12-31"}}
    plain = {"data": data, "created": "2026-10-01T00:00:00Z"}
    assert node.call(MEASURE, "measureStatus", plain, schema, NOW) is None
    behind = node.call(MEASURE, "measureStatus", {**plain, "measurements": [
        {"group": "/goal", "at": "2026-12-01T00:00:00Z", "value": 9}]}, schema, NOW)
    assert behind["behind"] is True and 5 < behind["expected"] < 7
    ahead = node.call(MEASURE, "measureStatus", {**plain, "measurements": [
        {"group": "/goal", "at": "2026-12-01T00:00:00Z", "value": 5.5}]}, schema, NOW)
    assert ahead["behind"] is False


def test_sort_any_column_both_ways_with_empty_cells_last(node: NodeDriver) -> None:
    records = [rec("p1", [action("a", "A", "2026-11-01", commitment=3)], [], coachee=ANN, frm="Ann"),
               rec("p2", [], [], coachee=BO, frm="bo", shared="2026-12-09T09:00:00Z"),
               rec("p3", [action("c", "C", "2026-12-30", commitment=9)], [], coachee=None, frm="Cy")]
    all_rows = rows(node, records)
    names = lambda col, order: [r["name"] for r in node.call(DESK, "sortRows", all_rows, col, order)]  # noqa: E731
    assert names("name", "ascending") == ["Ann", "bo", "Cy"]
    assert names("name", "descending") == ["Cy", "bo", "Ann"]
    assert names("commitment", "ascending") == ["Ann", "Cy", "bo"]
    assert names("commitment", "descending") == ["Cy", "Ann", "bo"]
    assert names("latest", "descending")[0] == "bo"
    assert names("attention", "descending")[0] == "Ann"


def test_filter_attention_and_search_names_plans_and_notes(node: NodeDriver) -> None:
    records = [rec("p1", [action("a", "A", "2026-11-01")], [], coachee=ANN, frm="Ann", what="Öppna butiken"),
               rec("p2", [], [], coachee=BO, frm="Bo", what="Speak")]
    all_rows = rows(node, records)
    keep = lambda **kw: [r["name"] for r in node.call(DESK, "filterRows", all_rows, kw)]  # noqa: E731
    assert keep(attentionOnly=True) == ["Ann"]
    assert keep(query="oppna") == ["Ann"]  # accents ignored
    notes = [{"coachee": BO, "text": "Talk about the quarterly targets"}]
    assert keep(query="QUARTERLY targets", notes=notes) == ["Bo"]
    assert keep(query="quarterly", notes=[]) == []


def test_questions_are_questions_drawn_from_what_happened(node: NodeDriver) -> None:
    actions = [action("a4", "Ask Sam", "2026-11-28")]
    checkins = [ci("a4", "2026-11-29T10:00:00Z", "not-done", commitment=8),
                ci("a4", "2026-12-02T10:00:00Z", "not-done", commitment=5)]
    row = rows(node, [rec("p1", actions, checkins)])[0]
    questions = node.call(TEXT, "sessionQuestions", row)
    assert questions[0] == "“Ask Sam” was not done 2 times. What got in the way each time, and what do you make of it?"
    assert "Your commitment to “Ask Sam” went from 8 to 5. What changed?" in questions
    assert "How much does “Ask Sam” still matter to you?" in questions
    assert all(q.endswith("?") for q in questions) and 1 <= len(questions) <= 6
    calm = rows(node, [rec("p1", [], [])])[0]
    assert node.call(TEXT, "sessionQuestions", calm) == ["What has gone well since we last spoke?"]


def test_fell_due_since_the_previous_share(node: NodeDriver) -> None:
    previous = {"revision": 1, "shared": "2026-12-01T09:00:00Z", "data": {}, "checkins": []}
    actions = [action("old", "Old", "2026-11-20", done=True), action("new", "New", "2026-12-04"),
               action("later", "Later", "2027-01-04"), action("early", "Early", "2027-02-01", done=True)]
    checkins = [ci("early", "2026-12-03T10:00:00Z", "done")]
    plan = node.call(DESK, "readPlan", rec("p1", actions, checkins, previous=previous), SCHEMAS["smart-action-plan"],
                     NOW)
    due = node.call(DESK, "fellDue", plan, NOW)
    assert [(d["item"]["id"], d["state"], len(d["checkins"])) for d in due] == [
        ("new", "overdue", 0), ("early", "done", 1)]



def test_the_desk_reads_items_as_plan_items_does(node: NodeDriver) -> None:
    """desk-items.js is planItems() with its pointers worked out once: the same items, field for field, from plans
    of every shape (ids or none, done, plan B, commitments in and out of range, reviews, check-ins on items and on
    occurrences), read twice so the remembered pointers answer too."""
    actions = [
        action("a1", "Draft", "2026-12-01", commitment=8, planB="Ask Bo", done=True),
        {"what": "No id", "when": {"date": "2026-12-02", "time": "09:30", "tz": "Asia/Tokyo"}, "commitment": 11},
        action("a3", "  ", "2026-13-45", commitment="7"),
        {"id": "a4", "what": 5, "when": {"date": "2026-12-03", "repeat": {"freq": "daily"}}},
        "not an item",
    ]
    checkins = [ci("a1", "2026-12-01T10:00:00Z", "done"), ci("a3", "2026-12-02T10:00:00Z", "dropped"),
                ci("a4", "2026-12-03T10:00:00Z", "done", occurrence="2026-12-03"), {"item": 7, "outcome": "done"}]
    cases = [
        (rec("p1", actions, checkins), SCHEMAS["smart-action-plan"], checkins),
        ({**rec("p2", [], []), "data": {"goal": {"what": "G"}, "actions": actions[:2],
                                        "review": {"id": "r1", "when": {"date": "2026-12-20", "tz": "Europe/Rome"}}}},
         SCHEMAS["smart-action-plan"], []),
        ({**rec("ag", [], []), "schema": "coaching-agreement",
          "data": {"review": {"when": {"date": "2026-12-20", "repeat": {"freq": "weekly", "interval": 2}}}}},
         SCHEMAS["coaching-agreement"], []),
        (make_plan([fixture_action(1, "Run", "2026-12-01", "07:00", done=True, plan_b="Walk", commitment=3),
                    fixture_action(2, "Rest", "2026-12-02", None)], review={"when": {"date": "2026-12-09"}}),
         TEST_SCHEMA, [ci("00000000-0000-4000-8000-000000000002", "2026-12-02T10:00:00Z", "dropped")]),
        (rec("empty", [], []), None, []),
        ({**rec("nodata", [], []), "data": ["not", "an", "object"]}, SCHEMAS["smart-action-plan"], []),
    ]
    for _ in range(2):
        for plan, schema, given in cases:
            expected = node.call("site_src/js/schema/plan-items.js", "planItems", plan, schema, given)
            assert node.call("site_src/js/coachees/desk-items.js", "deskItems", plan, schema, given) == expected
            assert expected or schema is None or plan["id"] == "nodata"


@pytest.mark.parametrize(("value", "written"), [
    ("plain", "plain"), ("=1+2", "'=1+2"), ("+33 6", "'+33 6"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("a,b", '"a,b"'), ('say "hi"', '"say ""hi"""'), ("two\nlines", '"two\nlines"'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("\rx", "\"'\rx\""),
])
def test_a_csv_field_is_quoted_and_never_a_formula(node: NodeDriver, value: str, written: str) -> None:
    assert node.call(CSV, "csvField", value) == written


def test_the_csv_reads_back_with_pythons_csv_module(node: NodeDriver) -> None:
    header = ["Coachee", "Plans", "Needs attention"]
    records = [["Zoë, \"Z\"", "Öppna; =HYPERLINK(\"x\")", "no share for 40 days"], ["-Bo", "Speak\nup", ""]]
    text: str = node.call(CSV, "toCsv", header, records)
    assert text.startswith("\ufeff") and text.endswith("\r\n") and "\r\n" in text
    back = list(csv.reader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    assert back == [header, records[0], ["'-Bo", "Speak\nup", ""]]


def test_the_page_preloads_its_whole_static_import_graph() -> None:
    """coachees.html lists every module coachees-page.js imports statically, however deep: fetched at once, the page
    starts reading IndexedDB as soon as the HTML is parsed instead of one import level later each time."""
    js = REPO / "site_src" / "js"
    graph: set[str] = set()
    todo = ["coachees/coachees-page.js"]
    while todo:
        module = todo.pop()
        for m in IMPORT_SPECIFIER.finditer((js / module).read_text(encoding="utf-8")):
            target = (js / module).parent.joinpath(m.group("spec")).resolve().relative_to(js).as_posix()
            if "(" not in m.group("head") and target not in graph:  # static imports only
                graph.add(target)
                todo.append(target)
    template = (REPO / "templates" / "coachees.html").read_text(encoding="utf-8")
    preloaded = set(re.findall(r'"js/([\w/.-]+\.js)"', template))
    assert graph - preloaded == set()
    assert preloaded - graph == set()
