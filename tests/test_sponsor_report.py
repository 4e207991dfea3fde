"""site_src/js/export/sponsor-report.js: the report never holds a confidential field or a topic the agreement keeps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.js.node_driver import NodeDriver, shared_driver

REPORT = "site_src/js/export/sponsor-report.js"
TOPICS = ["agreement", "goals", "actions", "progress"]

AGREEMENT_SCHEMA: dict[str, Any] = {
    "$id": "coaching-agreement",
    "x-version": 1,
    "title": "Coaching agreement",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "parties": {"type": "string", "title": "Parties", "x-visibility": "sponsor", "x-topic": "agreement"},
        "sponsor": {"type": "string", "title": "Sponsor", "x-visibility": "sponsor", "x-topic": "agreement"},
        "shares": {
            "type": "array", "title": "Shared with the sponsor", "x-visibility": "sponsor", "x-topic": "agreement",
            "items": {"type": "string", "enum": TOPICS},
        },
        "confidential": {"type": "string", "title": "Stays between coach and coachee", "x-visibility": "coach"},
        "frequency": {"type": "string", "title": "Progress reports", "x-visibility": "sponsor", "x-topic": "agreement"},
    },
}

PLAN_SCHEMA: dict[str, Any] = {
    "$id": "action-plan",
    "x-version": 1,
    "title": "Action plan",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "goal": {"type": "string", "title": "Goal", "x-visibility": "sponsor", "x-topic": "goals"},
        "why": {"type": "string", "title": "Why it matters", "x-visibility": "coach", "x-topic": "goals"},
        "notes": {"type": "string", "title": "Notes", "x-visibility": "coachee"},
        "undeclared": {"type": "string", "title": "Declares nothing"},
        "milestones": {
            "type": "array", "title": "Milestones", "x-visibility": "sponsor", "x-topic": "goals",
            "items": {"type": "string"},
        },
        "actions": {"type": "array", "title": "Actions", "x-topic": "actions", "items": {"$ref": "#/$defs/action"}},
        "review": {"$ref": "#/$defs/review", "x-visibility": "sponsor", "x-topic": "progress"},
        "scale": {
            "type": "object", "title": "Scale", "x-visibility": "sponsor", "x-topic": "progress",
            "additionalProperties": False,
            "properties": {
                "score": {"type": "integer", "title": "Score", "x-visibility": "sponsor"},
                "feeling": {"type": "string", "title": "How it feels", "x-visibility": "coachee"},
            },
        },
    },
    "$defs": {
        "action": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "what": {"type": "string", "title": "What", "x-visibility": "sponsor"},
                "how": {"type": "string", "title": "How"},
                "plan_b": {"type": "string", "title": "Plan B", "x-visibility": "coach"},
                # Shared as a whole: its parts declare nothing and take the field's visibility and topic.
                "when": {
                    "type": "object", "title": "When", "x-visibility": "sponsor",
                    "properties": {"date": {"type": "string", "title": "Date"}, "time": {"type": "string"}},
                },
                "done": {"type": "boolean", "title": "Done", "x-visibility": "sponsor", "x-topic": "progress"},
            },
        },
        "review": {"type": "string", "title": "Review date"},
    },
}
SCHEMAS = {"coaching-agreement": AGREEMENT_SCHEMA, "action-plan": PLAN_SCHEMA}


def envelope(schema: str, pid: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "passo-plan", "format_version": 1, "schema": schema, "schema_version": 1, "id": pid,
        "revision": 3, "created": "2025-01-01T00:00:00Z", "updated": "2025-01-02T00:00:00Z", "lang": "en",
        "data": data,
    }


def agreement(shares: list[str]) -> dict[str, Any]:
    return envelope("coaching-agreement", "agreement-1", {
        "parties": "Ann and Bo", "sponsor": "Cleo", "shares": shares,
        "confidential": "SECRET-health", "frequency": "monthly",
    })


PLAN_DATA: dict[str, Any] = {
    "goal": "Lead the team meeting",
    "why": "SECRET-why",
    "notes": "SECRET-notes",
    "undeclared": "SECRET-undeclared",
    "milestones": ["first", "second"],
    "actions": [
        {"id": "a1", "what": "Prepare agenda", "how": "SECRET-how", "plan_b": "SECRET-planb", "done": True,
         "when": {"date": "2025-03-03", "time": "09:00"}},
        {"id": "a2", "what": "Ask for feedback", "done": False},
    ],
    "review": "2025-05-01",
    "scale": {"score": 7, "feeling": "SECRET-feeling"},
}


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def build(node: NodeDriver, shares: list[str], plans: list[dict[str, Any]], lang: str = "en") -> dict[str, Any]:
    args = {"agreement": agreement(shares), "plans": plans, "schemas": SCHEMAS, "now": "2025-06-01T08:00:00.5Z",
            "lang": lang}
    report: dict[str, Any] = node.call(REPORT, "buildSponsorReport", args)
    return report


def test_report_envelope_and_shared_fields(node: NodeDriver) -> None:
    plan = envelope("action-plan", "plan-1", PLAN_DATA)
    report = build(node, ["goals", "actions", "progress"], [plan])
    assert {k: v for k, v in report.items() if k != "plans"} == {
        "format": "passo-sponsor-report", "format_version": 1, "agreement": "agreement-1",
        "generated": "2025-06-01T08:00:00Z", "lang": "en",
    }
    (entry,) = report["plans"]
    assert entry["schema"] == "action-plan" and entry["id"] == "plan-1"
    assert entry["fields"] == {
        "/goal": "Lead the team meeting",
        "/milestones": ["first", "second"],
        "/actions/0/what": "Prepare agenda",
        "/actions/0/when/date": "2025-03-03",
        "/actions/0/when/time": "09:00",
        "/actions/0/done": True,
        "/actions/1/what": "Ask for feedback",
        "/actions/1/done": False,
        "/review": "2025-05-01",
        "/scale/score": 7,
    }
    assert "SECRET" not in json.dumps(report)


def test_topics_the_agreement_does_not_share_stay_out(node: NodeDriver) -> None:
    plan = envelope("action-plan", "plan-1", PLAN_DATA)
    only_goals = build(node, ["goals"], [plan])["plans"][0]["fields"]
    assert set(only_goals) == {"/goal", "/milestones"}
    # "done" has its own topic (progress): sharing actions alone does not share it.
    only_actions = build(node, ["actions"], [plan])["plans"][0]["fields"]
    assert set(only_actions) == {
        "/actions/0/what", "/actions/0/when/date", "/actions/0/when/time", "/actions/1/what",
    }
    assert build(node, [], [plan])["plans"][0]["fields"] == {}


def test_agreement_itself_and_its_confidential_part(node: NodeDriver) -> None:
    report = build(node, ["agreement"], [agreement(["agreement"])])
    assert report["plans"][0]["fields"] == {
        "/parties": "Ann and Bo", "/sponsor": "Cleo", "/shares": ["agreement"], "/frequency": "monthly",
    }


def test_rows_have_translatable_labels(node: NodeDriver) -> None:
    report = build(node, ["goals", "actions", "progress"], [envelope("action-plan", "plan-1", PLAN_DATA)])
    (plan,) = node.call(REPORT, "reportRows", report, SCHEMAS)
    assert plan["title"] == "Action plan"
    labels = {r["pointer"]: r["label"] for r in plan["rows"]}
    assert labels["/actions/1/what"] == "Actions › 2 › What"
    assert labels["/review"] == "Review date"
    assert labels["/scale/score"] == "Scale › Score"
    assert labels["/actions/0/when/date"] == "Actions › 1 › When › Date"


def expected_fields(schema: dict[str, Any], data: Any, shares: set[str]) -> dict[str, Any]:
    """An independent reading of the rule: visibility and topic hold inside a field until redeclared."""
    out: dict[str, Any] = {}

    def walk(node: dict[str, Any], value: Any, pointer: str, vis: str | None, topic: str | None) -> None:
        if "$ref" in node:
            target = schema["$defs"][node["$ref"].split("/")[-1]]
            vis = node.get("x-visibility", target.get("x-visibility", vis))
            topic = node.get("x-topic", target.get("x-topic", topic))
            node = target
        else:
            vis, topic = node.get("x-visibility", vis), node.get("x-topic", topic)
        leaf = not isinstance(value, dict | list) or (
            isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)
        )
        if leaf:
            if vis == "sponsor" and topic in shares and pointer:
                out[pointer] = value
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(node["items"], v, f"{pointer}/{i}", vis, topic)
        else:
            for key, sub in node.get("properties", {}).items():
                if key in value:
                    walk(sub, value[key], f"{pointer}/{key}", vis, topic)

    walk(schema, data, "", None, None)
    return out


words = st.text(alphabet="abcXYZ <>&\"'😀", max_size=8)
action_st = st.fixed_dictionaries(
    {"id": st.uuids().map(str)},
    optional={
        "what": words, "how": words, "plan_b": words, "done": st.booleans(),
        "when": st.fixed_dictionaries({}, optional={"date": words, "time": words}),
    },
)
plan_data_st = st.fixed_dictionaries(
    {},
    optional={
        "goal": words, "why": words, "notes": words, "undeclared": words,
        "milestones": st.lists(words, max_size=3),
        "actions": st.lists(action_st, max_size=4),
        "review": words,
        "scale": st.fixed_dictionaries({}, optional={"score": st.integers(1, 10), "feeling": words}),
    },
)


@settings(deadline=None, derandomize=True, max_examples=100)
@given(data=plan_data_st, shares=st.lists(st.sampled_from(TOPICS), unique=True))
def test_never_more_than_the_agreement_shares(data: dict[str, Any], shares: list[str]) -> None:
    node = shared_driver()
    report = build(node, shares, [envelope("action-plan", "p", data)])
    fields = report["plans"][0]["fields"]
    assert fields == expected_fields(PLAN_SCHEMA, data, set(shares))
    # Each key is a JSON pointer to that very value in the plan.
    for pointer, value in fields.items():
        target: Any = data
        for key in pointer.split("/")[1:]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        assert target == value
    # Never a field that is not marked for the sponsor, whatever the agreement says.
    assert not any(
        p.endswith(("/why", "/notes", "/undeclared", "/how", "/plan_b", "/feeling", "/id")) for p in fields
    )


def test_real_agreement_and_action_plan(node: NodeDriver) -> None:
    """The site's own schemas: the agreement's confidential parts and coach-only fields never go."""
    schemas = {sid: node("readJSON", file=f"schemas/{sid}.json") for sid in ("coaching-agreement", "smart-action-plan")}
    agreement_plan = envelope("coaching-agreement", "agr", {
        "sponsor": {"organisation": "SECRET-org-is-coachee-only"},
        "coachee": {"name": "SECRET-name"}, "coach": {"name": "SECRET-coach"},
        "shares": ["goal", "actions", "dates", "progress"], "frequency": "monthly",
        "how": "SECRET-how", "confidential": "SECRET-confidential", "limits": "SECRET-limits",
        "review": {"id": "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f", "when": {"date": "2025-09-01", "tz": "Europe/Rome"}},
    })
    plan = envelope("smart-action-plan", "sap", {
        "goal": {"what": "Present at the all-hands", "why": "SECRET-why", "metric": "talks", "baseline": 0,
                 "target": 1, "deadline": "2025-12-01"},
        "actions": [{
            "id": "0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b", "what": "Draft the slides", "steps": ["SECRET-step"],
            "who": "SECRET-who", "planB": "SECRET-planb", "commitment": 6, "matters": "SECRET-matters",
            "toTen": "SECRET-toten", "dependsOnMe": True, "done": False,
            "when": {"date": "2025-10-01", "time": "09:00", "tz": "Europe/Rome"},
        }],
    })
    args = {"agreement": agreement_plan, "plans": [agreement_plan, plan], "schemas": schemas,
            "now": "2025-06-01T08:00:00Z", "lang": "en"}
    report = node.call(REPORT, "buildSponsorReport", args)
    assert "SECRET" not in json.dumps(report)
    fields = report["plans"][1]["fields"]
    assert fields["/goal/what"] == "Present at the all-hands" and fields["/actions/0/what"] == "Draft the slides"
    assert fields["/actions/0/when/date"] == "2025-10-01" and fields["/actions/0/done"] is False
    assert "/actions/0/commitment" not in fields
    # Share only the goal: no actions, no dates, no progress.
    args["agreement"] = {**agreement_plan, "data": {**agreement_plan["data"], "shares": ["goal"]}}
    only_goal = node.call(REPORT, "buildSponsorReport", args)["plans"][1]["fields"]
    assert set(only_goal) == {"/goal/what", "/goal/metric", "/goal/baseline", "/goal/target"}
    rows = node.call(REPORT, "reportRows", report, schemas)
    texts = {r["pointer"]: r["text"] for r in rows[1]["rows"]}
    assert texts["/actions/0/done"] == "No"


def test_measurements_go_only_where_the_metric_goes(node: NodeDriver) -> None:
    """A measurement is as visible as its metric: in the report when the goal topic is shared, never its note."""
    schemas = {sid: node("readJSON", file=f"schemas/{sid}.json") for sid in ("coaching-agreement", "smart-action-plan")}
    agreement = envelope("coaching-agreement", "agr", {"shares": ["goal"]})
    plan = envelope("smart-action-plan", "sap", {
        "goal": {"what": "Fewer error reports", "metric": "Error reports, % of orders", "baseline": 10, "target": 5,
                 "deadline": "2025-12-01"}})
    plan["measurements"] = [{"group": "/goal", "at": "2025-05-01T08:00:00Z", "value": 7.5, "note": "SECRET-note"}]
    args = {"agreement": agreement, "plans": [plan], "schemas": schemas, "now": "2025-06-01T08:00:00Z", "lang": "en"}
    report = node.call(REPORT, "buildSponsorReport", args)
    assert "SECRET" not in json.dumps(report)
    assert report["plans"][0]["measurements"] == [{"group": "/goal", "at": "2025-05-01T08:00:00Z", "value": 7.5}]
    # The preview shows each one, labelled with the metric as the coachee wrote it: the preview is the file.
    rows = node("callInPage", module=REPORT, fn="reportRows", args=[report, schemas])[0]["rows"]
    assert rows[-1]["pointer"] == "/goal" and rows[-1]["value"] == 7.5 and rows[-1]["text"] == "7.5"
    assert rows[-1]["label"].startswith("Error reports, % of orders, ")
    # An agreement that does not share the goal keeps the metric home, and its measurements with it.
    args["agreement"] = envelope("coaching-agreement", "agr", {"shares": ["actions"]})
    assert "measurements" not in node.call(REPORT, "buildSponsorReport", args)["plans"][0]
