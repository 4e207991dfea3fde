"""site_src/js/checkin/plan-stats.js in Node: done on time, late, not done, each against the item's own day and zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.js.node_driver import NodeDriver, shared_driver

STATS = "site_src/js/checkin/plan-stats.js"


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def item(date: str | None, tz: str = "Europe/Rome", *, done: bool = False, time: str | None = None,
         kind: str = "action", ident: str = "a") -> dict[str, Any]:
    when = None if date is None else {"date": date, "tz": tz, **({"time": time} if time else {})}
    return {"id": ident, "kind": kind, "when": when, "done": done}


def checkin(outcome: str, at: str, ident: str = "a") -> dict[str, Any]:
    return {"item": ident, "at": at, "outcome": outcome, "note": "", "commitment": None,
            "from": None, "to": None, "plan_b": False}


# (why, item, check-ins, now, expected outcome). Deadlines are the end of the item's day in its own zone.
CASES = [
    ("done in the evening of its day, Rome", item("2026-05-10", time="19:00", done=True),
     [checkin("done", "2026-05-10T21:59:00Z")], "2026-06-01T00:00:00Z", "on-time"),
    ("done just after midnight in Rome (22:00 UTC in summer)", item("2026-05-10", done=True),
     [checkin("done", "2026-05-10T22:00:00Z")], "2026-06-01T00:00:00Z", "late"),
    ("the day Rome springs forward ends at 22:00 UTC", item("2026-03-29", done=True),
     [checkin("done", "2026-03-29T21:59:59Z")], "2026-04-10T00:00:00Z", "on-time"),
    ("the day Rome falls back lasts 25 hours, ending at 23:00 UTC", item("2026-10-25", done=True),
     [checkin("done", "2026-10-25T22:30:00Z")], "2026-11-10T00:00:00Z", "on-time"),
    ("an item at midnight is due by the end of that day", item("2026-05-10", "America/New_York", time="00:00"),
     [], "2026-05-11T03:59:00Z", "open"),
    ("and not done once New York's day is over", item("2026-05-10", "America/New_York", time="00:00"),
     [], "2026-05-11T04:00:00Z", "not-done"),
    ("31 December in Tokyo ends at 15:00 UTC", item("2026-12-31", "Asia/Tokyo"),
     [], "2026-12-31T15:00:00Z", "not-done"),
    ("a minute earlier it is still open", item("2026-12-31", "Asia/Tokyo"),
     [], "2026-12-31T14:59:00Z", "open"),
    ("done, then ticked again: the latest 'done' counts", item("2026-05-10", done=True),
     [checkin("done", "2026-05-09T10:00:00Z"), checkin("not-done", "2026-05-10T10:00:00Z"),
      checkin("done", "2026-05-12T10:00:00Z")], "2026-06-01T00:00:00Z", "late"),
    ("ticked done with no check-in: done, time unknown", item("2026-05-10", done=True),
     [], "2026-06-01T00:00:00Z", "done"),
    ("dropped is never 'not done'", item("2026-05-10"),
     [checkin("dropped", "2026-05-09T10:00:00Z")], "2026-06-01T00:00:00Z", "dropped"),
    ("partly done and past due is not done", item("2026-05-10"),
     [checkin("partly", "2026-05-10T10:00:00Z")], "2026-06-01T00:00:00Z", "not-done"),
    ("moved to a later day: due then", item("2026-06-03"),
     [checkin("moved", "2026-05-10T10:00:00Z")], "2026-06-01T00:00:00Z", "open"),
    ("no date: does not count", item(None), [], "2026-06-01T00:00:00Z", None),
    ("a review meeting does not count", item("2026-05-10", kind="review"), [], "2026-06-01T00:00:00Z", None),
]


@pytest.mark.parametrize(("why", "entry", "history", "now", "expected"), CASES, ids=[c[0] for c in CASES])
def test_item_outcome(node: NodeDriver, why: str, entry: dict[str, Any], history: list[dict[str, Any]],
                      now: str, expected: str | None) -> None:
    assert node.call(STATS, "itemOutcome", entry, history, ms(now)) == expected, why


def test_plan_counts_each_item_once_with_its_own_check_ins(node: NodeDriver) -> None:
    items = [
        item("2026-05-01", done=True, ident="on-time"),
        item("2026-05-01", done=True, ident="late"),
        item("2026-05-01", "Pacific/Auckland", ident="missed"),
        item("2026-05-20", "America/Los_Angeles", ident="open"),
        item("2026-05-01", ident="dropped"),
        item(None, ident="undated"),
    ]
    history = [
        checkin("done", "2026-05-01T12:00:00Z", "on-time"),
        checkin("done", "2026-05-03T12:00:00Z", "late"),
        checkin("dropped", "2026-05-02T12:00:00Z", "dropped"),
        checkin("done", "2026-05-01T08:00:00Z", "someone-else"),
    ]
    counts = node.call(STATS, "planStats", items, history, ms("2026-05-10T00:00:00Z"))
    assert counts == {"onTime": 1, "late": 1, "done": 0, "notDone": 1, "dropped": 1, "open": 1, "skipped": 0}


def test_bad_input_counts_nothing(node: NodeDriver) -> None:
    assert node.call(STATS, "planStats", None, None, 0) == {
        "onTime": 0, "late": 0, "done": 0, "notDone": 0, "dropped": 0, "open": 0, "skipped": 0}
    assert node.call(STATS, "itemOutcome", item("2026-02-30"), [], 0) is None


ZONED = "site_src/js/time/zoned-time.js"
PERIOD = "site_src/js/review/review-period.js"


@pytest.mark.parametrize(("when", "end"), [
    ({"date": "2026-03-29", "tz": "Europe/Rome"}, "2026-03-29T22:00:00Z"),  # springs forward: 23 hours
    ({"date": "2026-10-25", "tz": "Europe/Rome"}, "2026-10-25T23:00:00Z"),  # falls back: 25 hours
    ({"date": "2026-12-31", "tz": "Asia/Tokyo"}, "2026-12-31T15:00:00Z"),
    ({"date": "2026-05-10", "time": "00:00", "tz": "America/New_York"}, "2026-05-11T04:00:00Z"),
    ({"date": "2026-02-30", "tz": "Europe/Rome"}, None),
])
def test_deadline_is_the_end_of_the_items_day_in_its_zone(node: NodeDriver, when: dict[str, str],
                                                          end: str | None) -> None:
    assert node.call(ZONED, "deadline", when) == (None if end is None else ms(end))


def test_default_period_counts_a_review_once_its_day_is_over_in_its_own_zone(node: NodeDriver) -> None:
    tokyo_review = {"kind": "review", "when": {"date": "2026-05-19", "tz": "Asia/Tokyo"}}
    rome_review = {"kind": "review", "when": {"date": "2026-05-12", "tz": "Europe/Rome"}}
    # 20 May 14:00 UTC: 19 May is over in Tokyo; the device (New York) is on 20 May.
    period = node.call(PERIOD, "defaultPeriod", [rome_review, tokyo_review], ms("2026-05-20T14:00:00Z"),
                       "America/New_York")
    assert period == {"from": "2026-05-19", "to": "2026-05-20", "since": "review"}
    # 19 May 14:00 UTC: still 19 May in Tokyo (23:00), so the Rome review on 12 May is the last one over.
    period = node.call(PERIOD, "defaultPeriod", [rome_review, tokyo_review], ms("2026-05-19T14:00:00Z"),
                       "America/New_York")
    assert period == {"from": "2026-05-12", "to": "2026-05-19", "since": "review"}
    # No review over yet: the last 14 days, across a year boundary.
    period = node.call(PERIOD, "defaultPeriod", [], ms("2027-01-05T12:00:00Z"), "Europe/Rome")
    assert period == {"from": "2026-12-22", "to": "2027-01-05", "since": "days"}
