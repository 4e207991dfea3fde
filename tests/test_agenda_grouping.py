"""site_src/js/due/sections.js in Node: each item's section and lateness against a table of daylight-saving days,
midnights, a year boundary and devices in other zones. A timed item falls on the day its moment falls on the device;
an all-day item is a day in its own zone."""

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

# (item's when, now in UTC, the device's zone, expected section, expected lateness). A device in the item's own zone
# sees what the coachee entered; the rows at the end put the device elsewhere.
TABLE = [
    # 19:00 in Rome (UTC+2 in May): due at 17:00 UTC, whatever the device's zone.
    (when("2026-05-20", ROME, "19:00"), "2026-05-20T16:59:59Z", ROME, "today", None),
    (when("2026-05-20", ROME, "19:00"), "2026-05-20T17:00:00Z", ROME, "overdue", {"minutes": 0}),
    (when("2026-05-20", ROME, "19:00"), "2026-05-20T19:45:00Z", ROME, "overdue", {"hours": 2}),
    (when("2026-05-20", ROME, "19:00"), "2026-05-22T08:00:00Z", ROME, "overdue", {"days": 2}),
    # An all-day item is overdue only once its day has ended in its zone (midnight in Rome = 22:00 UTC).
    (when("2026-05-20", ROME), "2026-05-20T21:59:59Z", ROME, "today", None),
    (when("2026-05-20", ROME), "2026-05-20T22:00:00Z", ROME, "overdue", {"days": 1}),
    # Spring forward in Rome (29 March 2026, 02:00 -> 03:00): the day is 23 hours long and ends at 22:00 UTC.
    (when("2026-03-29", ROME), "2026-03-29T21:59:00Z", ROME, "today", None),
    (when("2026-03-29", ROME), "2026-03-29T22:00:00Z", ROME, "overdue", {"days": 1}),
    (when("2026-03-28", ROME), "2026-03-28T22:59:00Z", ROME, "today", None),  # the day before still ends at 23:00 UTC
    (when("2026-03-29", ROME, "03:30"), "2026-03-29T01:29:00Z", ROME, "today", None),
    (when("2026-03-29", ROME, "03:30"), "2026-03-29T01:30:00Z", ROME, "overdue", {"minutes": 0}),
    # Fall back in New York (1 November 2026, 02:00 EDT -> 01:00 EST): 01:30 happens twice; the first counts.
    (when("2026-11-01", NY, "01:30"), "2026-11-01T05:29:00Z", NY, "today", None),
    (when("2026-11-01", NY, "01:30"), "2026-11-01T05:30:00Z", NY, "overdue", {"minutes": 0}),
    (when("2026-11-01", NY), "2026-11-02T04:59:00Z", NY, "today", None),  # a 25-hour day ends at 05:00 UTC
    (when("2026-11-01", NY), "2026-11-02T05:00:00Z", NY, "overdue", {"days": 1}),
    # An item exactly at midnight belongs to its own day: 00:00 on 21 May in Rome is 22:00 UTC on 20 May.
    (when("2026-05-21", ROME, "00:00"), "2026-05-20T21:59:00Z", ROME, "week", None),
    (when("2026-05-21", ROME, "00:00"), "2026-05-20T22:00:00Z", ROME, "overdue", {"minutes": 0}),
    # Year boundary in Kolkata (UTC+5:30): 31 December ends at 18:30 UTC.
    (when("2026-12-31", KOLKATA), "2026-12-31T18:29:00Z", KOLKATA, "today", None),
    (when("2026-12-31", KOLKATA), "2026-12-31T18:30:00Z", KOLKATA, "overdue", {"days": 1}),
    (when("2027-01-07", KOLKATA), "2026-12-31T12:00:00Z", KOLKATA, "week", None),
    (when("2027-01-08", KOLKATA), "2026-12-31T12:00:00Z", KOLKATA, "later", None),
    (when("2026-12-30", KOLKATA, "23:59"), "2027-01-01T00:00:00Z", KOLKATA, "overdue", {"days": 2}),
    (None, "2026-05-20T14:00:00Z", NY, "undated", None),
    # 01:00 on 11 June in Rome is 19:00 on 10 June in New York: Today there, the day it falls; Next 7 days in Rome,
    # where it is still the 10th, and Today in Tokyo, where the 11th has begun.
    (when("2026-06-11", ROME, "01:00"), "2026-06-10T16:00:00Z", NY, "today", None),
    (when("2026-06-11", ROME, "01:00"), "2026-06-10T16:00:00Z", ROME, "week", None),
    (when("2026-06-11", ROME, "01:00"), "2026-06-10T16:00:00Z", TOKYO, "today", None),
    # Overdue at the same moment everywhere; a day late in New York (the 11th there), six hours in Rome.
    (when("2026-06-11", ROME, "01:00"), "2026-06-11T05:00:00Z", NY, "overdue", {"days": 1}),
    (when("2026-06-11", ROME, "01:00"), "2026-06-11T05:00:00Z", ROME, "overdue", {"hours": 6}),
    # 23:30 on 20 May in New York is 12:30 on the 21st in Tokyo: Next 7 days on a device there until midnight.
    (when("2026-05-20", NY, "23:30"), "2026-05-20T14:59:00Z", TOKYO, "week", None),
    (when("2026-05-20", NY, "23:30"), "2026-05-20T15:00:00Z", TOKYO, "today", None),
    # 09:00 on 21 May in Tokyo is 20:00 on the 20th in New York: Today there (it was Next 7 days by Tokyo's day).
    (when("2026-05-21", TOKYO, "09:00"), "2026-05-20T14:00:00Z", NY, "today", None),
    # The week's end counted on the device: 01:00 on 28 May in Rome is still the 27th, 7 days on, in New York.
    (when("2026-05-28", ROME, "01:00"), "2026-05-20T14:00:00Z", NY, "week", None),
    (when("2026-05-28", ROME, "01:00"), "2026-05-20T14:00:00Z", ROME, "later", None),
    # An all-day item stays a day in its own zone: 11 June in Rome is Today from midnight there (18:00 on the 10th
    # in New York) and overdue once it has ended there, while New York still has hours of the 11th left.
    (when("2026-06-11", ROME), "2026-06-10T21:59:00Z", NY, "week", None),
    (when("2026-06-11", ROME), "2026-06-10T22:00:00Z", NY, "today", None),
    (when("2026-06-11", ROME), "2026-06-11T21:59:00Z", NY, "today", None),
    (when("2026-06-11", ROME), "2026-06-11T22:00:00Z", NY, "overdue", {"days": 1}),
    (when("2026-05-21", TOKYO), "2026-05-20T14:00:00Z", NY, "week", None),  # 23:00 on the 20th in Tokyo
    (when("2026-05-21", TOKYO), "2026-05-20T15:00:00Z", NY, "today", None),
    # Across a daylight-saving change on the device alone: New York springs forward on 8 March 2026, Rome not
    # until the 29th; 01:30 on 9 March in Rome is 20:30 on the 8th in New York (UTC-4 since that morning).
    (when("2026-03-09", ROME, "01:30"), "2026-03-08T12:00:00Z", NY, "today", None),
    (when("2026-03-09", ROME, "01:30"), "2026-03-08T12:00:00Z", ROME, "week", None),
]


@pytest.mark.parametrize(("item", "now", "device", "section", "late"), TABLE)
def test_section_and_lateness(node: NodeDriver, item: dict[str, Any] | None, now: str, device: str, section: str,
                              late: dict[str, int] | None) -> None:
    assert node.call(GROUPS, "sectionOf", item, ms(now), device) == section
    assert node.call(GROUPS, "lateness", item, ms(now), device) == late
    if item and item.get("time"):
        # The date the agenda shows (the moment on this device) is the day the section counts from.
        shown = datetime.fromtimestamp(node.call(GROUPS, "startsAt", item) / 1000, ZoneInfo(device)).date()
        assert node.call(GROUPS, "dayOf", item, device) == shown.isoformat()


def test_the_device_zone_defaults_to_the_runtimes(node: NodeDriver) -> None:
    # The test runtime's zone is UTC (Node's default here): 23:30 on 20 May in New York is the 21st there.
    item = when("2026-05-20", NY, "23:30")
    assert node.call(GROUPS, "dayOf", item) == node.call(GROUPS, "dayOf", item, "UTC") == "2026-05-21"
    assert node.call(GROUPS, "sectionOf", item, ms("2026-05-20T12:00:00Z")) == "week"


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
    groups = node.call(GROUPS, "groupAgenda", entries, ms("2026-05-20T14:00:00Z"), ROME)
    assert {k: [e["id"] for e in v] for k, v in groups.items()} == {
        "overdue": ["older", "old"], "today": ["morning", "tonight"], "week": [], "later": ["later"],
        "undated": ["b", "a"],
    }
    assert groups["overdue"][0]["late"] == {"days": 49}
    assert node.call(GROUPS, "dueCounts", entries, ms("2026-05-20T14:00:00Z"), ROME) == {"overdue": 2, "today": 2}


def test_a_device_in_another_zone_groups_and_counts_by_its_own_day(node: NodeDriver) -> None:
    # 14:00 UTC on 20 May: 10:00 in New York, 16:00 in Rome, 23:00 in Tokyo.
    entries = [
        {"id": "rome-1am", "when": when("2026-05-21", ROME, "01:00"), "done": False, "dropped": False},
        {"id": "tokyo-9am", "when": when("2026-05-21", TOKYO, "09:00"), "done": False, "dropped": False},
        {"id": "tokyo-day", "when": when("2026-05-21", TOKYO), "done": False, "dropped": False},
        {"id": "ny-late", "when": when("2026-05-20", NY, "23:30"), "done": False, "dropped": False},
    ]
    now = ms("2026-05-20T14:00:00Z")
    ids = lambda groups: {k: [e["id"] for e in v] for k, v in groups.items() if v}  # noqa: E731
    # In New York all three timed items fall this evening or tonight; the all-day one is a Tokyo day, still ahead.
    assert ids(node.call(GROUPS, "groupAgenda", entries, now, NY)) == {
        "today": ["rome-1am", "tokyo-9am", "ny-late"], "week": ["tokyo-day"]}
    # In Tokyo, an hour before midnight, every one of them falls tomorrow (oldest first by the moment each starts).
    assert ids(node.call(GROUPS, "groupAgenda", entries, now, TOKYO)) == {
        "week": ["tokyo-day", "rome-1am", "tokyo-9am", "ny-late"]}
    assert node.call(GROUPS, "dueCounts", entries, now, NY) == {"overdue": 0, "today": 3}
    assert node.call(GROUPS, "dueCounts", entries, now, ROME) == {"overdue": 0, "today": 0}


def test_the_review_counts_an_action_on_the_day_the_agenda_shows_it(node: NodeDriver) -> None:
    period = "site_src/js/review/review-period.js"

    def entry(ident: str, at: dict[str, Any], moved_from: dict[str, Any] | None = None) -> dict[str, Any]:
        checkins = [{"outcome": "moved", "from": moved_from, "to": at}] if moved_from else []
        return {"item": {"id": ident, "kind": "action", "when": at}, "checkins": checkins}

    entries = [
        entry("rome-1am-11th", when("2026-06-11", ROME, "01:00")),  # 19:00 on the 10th in New York
        entry("rome-day-11th", when("2026-06-11", ROME)),
        entry("ny-evening-10th", when("2026-06-10", NY, "17:00")),  # 23:00 on the 10th in Rome
        entry("moved-off-the-10th", when("2026-06-20", ROME), moved_from=when("2026-06-11", ROME, "00:30")),
    ]
    ids = lambda found: [e["item"]["id"] for e in found]  # noqa: E731
    up_to_10th = {"from": "2026-06-01", "to": "2026-06-10"}
    assert ids(node.call(period, "dueInPeriod", entries, up_to_10th, NY)) == [
        "ny-evening-10th", "rome-1am-11th", "moved-off-the-10th"]
    # On a device in Rome the Rome actions fall on the 11th, outside that period; the all-day one everywhere.
    assert ids(node.call(period, "dueInPeriod", entries, up_to_10th, ROME)) == ["ny-evening-10th"]
    assert ids(node.call(period, "dueInPeriod", entries, {"from": "2026-06-11", "to": "2026-06-11"}, ROME)) == [
        "rome-1am-11th", "rome-day-11th", "moved-off-the-10th"]
    assert ids(node.call(period, "dueInPeriod", entries, {"from": "2026-06-11", "to": "2026-06-11"}, NY)) == [
        "rome-day-11th"]
