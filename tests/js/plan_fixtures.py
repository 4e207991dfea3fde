"""Test plans and a small schema in the shape of the real ones (actions in a list, a review outside it)."""

from __future__ import annotations

from typing import Any

WHEN = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date"],
    "properties": {
        "date": {"type": "string", "format": "date"},
        "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        "tz": {"type": "string"},
    },
}
SCHEMA: dict[str, Any] = {
    "$id": "test-plan",
    "x-version": 1,
    "x-title": "/goal",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "goal": {"type": "string", "title": "Goal"},
        "actions": {"type": "array", "title": "Actions", "items": {"$ref": "#/$defs/action"}},
        "review": {"$ref": "#/$defs/review"},
    },
    "$defs": {
        "when": WHEN,
        "action": {
            "type": "object",
            "additionalProperties": False,
            "x-calendar": {
                "kind": "action",
                "summary": "0/what",
                "when": "0/when",
                "description": ["0/how", "0/who", "0/plan_b", "0/commitment"],
                "done": "0/done",
            },
            "properties": {
                "id": {"type": "string"},
                "what": {"type": "string", "title": "What"},
                "how": {"type": "array", "title": "How", "items": {"type": "string"}},
                "who": {"type": "string", "title": "Who else"},
                "plan_b": {"type": "string", "title": "Plan B"},
                "commitment": {"type": "integer", "title": "Commitment", "minimum": 1, "maximum": 10},
                "when": {"$ref": "#/$defs/when"},
                "done": {"type": "boolean"},
            },
        },
        "review": {
            "type": "object",
            "additionalProperties": False,
            "x-calendar": {"kind": "review", "summaryText": "Follow-up review", "when": "0/when"},
            "properties": {"when": {"$ref": "#/$defs/when"}},
        },
    },
}


def action(n: int, what: str, date: str, time: str | None, tz: str = "Europe/Rome", **extra: Any) -> dict[str, Any]:
    when: dict[str, str] = {"date": date, "tz": tz}
    if time is not None:
        when["time"] = time
    return {"id": f"00000000-0000-4000-8000-{n:012d}", "what": what, "when": when, **extra}


def make_plan(actions: list[dict[str, Any]], revision: int = 1, review: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"goal": "Run 10 km", "actions": actions}
    if review:
        data["review"] = review
    return {
        "format": "passo-plan", "format_version": 1, "schema": "test-plan", "schema_version": 1,
        "id": "11111111-2222-4333-8444-555555555555", "revision": revision,
        "created": "2025-01-01T10:00:00Z", "updated": "2025-01-02T10:00:00Z", "lang": "en", "data": data,
    }
