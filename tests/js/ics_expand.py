"""A calendar's occurrences as recurring-ical-events and ical.js expand them (RRULE, EXDATE, RECURRENCE-ID), in one
shape: {uid: [start, ...]}, each start an ISO instant in UTC or a date, sorted by where the rule put each occurrence
(a moved one keeps its place)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from tests.js.node_driver import NodeDriver


def as_text(value: date | datetime) -> str:
    if isinstance(value, datetime):
        assert value.utcoffset() is not None, "a floating time"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value.isoformat()


def instant(when: dict[str, Any]) -> str:
    """Where a {date, time?, tz} falls, as zoneinfo says: an instant in UTC, or the date of an all-day item."""
    if not when.get("time"):
        return str(when["date"])
    local = datetime.fromisoformat(f"{when['date']}T{when['time']}").replace(tzinfo=ZoneInfo(when["tz"]))
    return as_text(local)


def by_recurring_ical_events(data: bytes, start: str, end: str) -> dict[str, list[str]]:
    cal = icalendar.Calendar.from_ical(data)
    found: dict[str, list[tuple[str, str]]] = {}
    for ev in recurring_ical_events.of(cal).between(datetime.fromisoformat(start), datetime.fromisoformat(end)):
        rid = ev.get("RECURRENCE-ID")
        key = as_text(rid.dt) if rid else as_text(ev["DTSTART"].dt)
        found.setdefault(str(ev["UID"]), []).append((key, as_text(ev["DTSTART"].dt)))
    return {k: [at for _, at in sorted(v)] for k, v in found.items()}


def by_ical_js(node: NodeDriver, data: bytes, start: str, end: str) -> dict[str, list[str]]:
    found = node("icalExpand", text=data.decode("utf-8"), **{"from": start, "to": end})
    return {k: [o["start"] for o in v] for k, v in found.items()}
