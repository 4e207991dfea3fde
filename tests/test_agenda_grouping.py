"""site_src/js/due/sections.js in Node: each item's section and lateness, decided in the item's own zone, against a
table of daylight-saving days, midnights and a year boundary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.js.node_driver import NodeDriver, shared_driver

GROUPS = "site_src/js/due/sections.js"


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def when(date: str, tz: str, time: str | None = None) -> dict[str, Any]:
    return {"date": date, "time": time, "tz": tz}


ROME, NY, KOLKATA, TOKYO = "Europe/Rome", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"

# (item's when, now in UTC, expected section, expected lateness)
TABLE = [
    # 19:00 in Rome (UTC+2 in May): due at 17:00 UTC, whatever the device's zone.
    (when("2026-05-20", ROME, "19:00"), "2026-05-20T16:59:59Z", "today", None),
    (when("2026-05-20", ROME, "19:00"), "2026-05-20T17:00:00Z", "overdue", {"minutes": 0}),
    (when("2026-05-20", ROME, "19:00"), "2026-05-20T19:45:00Z", "overdue", {"hours": 2}),
    (when("2026-05-20", ROME, "19:00"), "2026-05-22T08:00:00Z", "overdue", {"days": 2}),
    # An all-day item is overdue only once its day has ended in its zone (midnight in Rome = 22:00 UTC).
    (when("2026-05-20", ROME), "2026-05-20T21:59:59Z", "today", None),
    (when("2026-05-20", ROME), "2026-05-20T22:00:00Z", "overdue", {"days": 1}),
    # Spring forward in Rome (29 March 2026, 02:00 -> 03:00): the day is 23 hours long and ends at 22:00 UTC.
    (when("2026-03-29", ROME), "2026-03-29T21:59:00Z", "today", None),
    (when("2026-03-29", ROME), "2026-03-29T22:00:00Z", "overdue", {"days": 1}),
    (when("2026-03-28", ROME), "2026-03-28T22:59:00Z", "today", None),  # the day before still ends at 23:00 UTC
    (when("2026-03-29", ROME, "03:30"), "2026-03-29T01:29:00Z", "today", None),
    (when("2026-03-29", ROME, "03:30"), "2026-03-29T01:30:00Z", "overdue", {"minutes": 0}),
    # Fall back in New York (1 November 2026, 02:00 EDT -> 01:00 EST): 01:30 happens twice; the first counts.
    (when("2026-11-01", NY, "01:30"), "2026-11-01T05:29:00Z", "today", None),
    (when("2026-11-01", NY, "01:30"), "2026-11-01T05:30:00Z", "overdue", {"minutes": 0}),
    (when("2026-11-01", NY), "2026-11-02T04:59:00Z", "today", None),  # a 25-hour day ends at 05:00 UTC
    (when("2026-11-01", NY), "2026-11-02T05:00:00Z", "overdue", {"days": 1}),
    # An item exactly at midnight belongs to its own day: 00:00 on 21 May in Rome is 22:00 UTC on 20 May.
    (when("2026-05-21", ROME, "00:00"), "2026-05-20T21:59:00Z", "week", None),
    (when("2026-05-21", ROME, "00:00"), "2026-05-20T22:00:00Z", "overdue", {"minutes": 0}),
    # Year boundary in Kolkata (UTC+5:30): 31 December ends at 18:30 UTC.
    (when("2026-12-31", KOLKATA), "2026-12-31T18:29:00Z", "today", None),
    (when("2026-12-31", KOLKATA), "2026-12-31T18:30:00Z", "overdue", {"days": 1}),
    (when("2027-01-07", KOLKATA), "2026-12-31T12:00:00Z", "week", None),
    (when("2027-01-08", KOLKATA), "2026-12-31T12:00:00Z", "later", None),
    (when("2026-12-30", KOLKATA, "23:59"), "2027-01-01T00:00:00Z", "overdue", {"days": 2}),
    # Tokyo is already on 21 May while New York is on 20 May: not "today" until it is 21 May in Tokyo.
    (when("2026-05-21", TOKYO, "09:00"), "2026-05-20T14:00:00Z", "week", None),
    (when("2026-05-21", TOKYO, "09:00"), "2026-05-20T15:00:00Z", "today", None),
    (None, "2026-05-20T14:00:00Z", "undated", None),
]


@pytest.mark.parametrize(("item", "now", "section", "late"), TABLE)
def test_section_and_lateness_in_the_items_own_zone(node: NodeDriver, item: dict[str, Any] | None, now: str,
                                                    section: str, late: dict[str, int] | None) -> None:
    assert node.call(GROUPS, "sectionOf", item, ms(now)) == section
    assert node.call(GROUPS, "lateness", item, ms(now)) == late


def test_item_entered_at_19_in_rome_starts_at_13_in_new_york(node: NodeDriver) -> None:
    start = node.call(GROUPS, "startsAt", when("2026-05-20", ROME, "19:00"))
    assert datetime.fromtimestamp(start / 1000, ZoneInfo(NY)).strftime("%Y-%m-%d %H:%M") == "2026-05-20 13:00"
    # In winter both zones shift together (UTC+1 and UTC-5): still six hours apart.
    start = node.call(GROUPS, "startsAt", when("2026-12-20", ROME, "19:00"))
    assert datetime.fromtimestamp(start / 1000, ZoneInfo(NY)).strftime("%H:%M") == "13:00"
    # Between the two daylight-saving changes (US on 8 March, EU on 29 March 2026) they are five hours apart.
    start = node.call(GROUPS, "startsAt", when("2026-03-20", ROME, "19:00"))
    assert datetime.fromtimestamp(start / 1000, ZoneInfo(NY)).strftime("%H:%M") == "14:00"


def test_group_leaves_out_done_and_dropped_and_runs_oldest_first(node: NodeDriver) -> None:
    entries = [
        {"id": "later", "when": when("2026-07-01", ROME), "done": False, "dropped": False},
        {"id": "old", "when": when("2026-05-01", ROME, "08:00"), "done": False, "dropped": False},
        {"id": "older", "when": when("2026-04-01", KOLKATA), "done": False, "dropped": False},
        {"id": "done", "when": when("2026-04-02", ROME), "done": True, "dropped": False},
        {"id": "dropped", "when": when("2026-04-03", ROME), "done": False, "dropped": True},
        {"id": "tonight", "when": when("2026-05-20", ROME, "21:00"), "done": False, "dropped": False},
        {"id": "morning", "when": when("2026-05-20", ROME), "done": False, "dropped": False},
        {"id": "b", "when": None, "done": False, "dropped": False},
        {"id": "a", "when": None, "done": False, "dropped": False},
    ]
    groups = node.call(GROUPS, "groupAgenda", entries, ms("2026-05-20T14:00:00Z"))
    assert {k: [e["id"] for e in v] for k, v in groups.items()} == {
        "overdue": ["older", "old"], "today": ["morning", "tonight"], "week": [], "later": ["later"],
        "undated": ["b", "a"],
    }
    assert groups["overdue"][0]["late"] == {"days": 49}
    assert node.call(GROUPS, "dueCounts", entries, ms("2026-05-20T14:00:00Z")) == {"overdue": 2, "today": 2}
