"""site_src/js/repeat/habit.js in Node: each occurrence of a repeating action and what became of it, in the item's
own zone, across a daylight-saving change; what the agenda shows and what is counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.js.node_driver import NodeDriver, shared_driver

HABIT = "site_src/js/repeat/habit.js"
ROME = "Europe/Rome"


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def checkin(occurrence: str, outcome: str, at: str, **extra: Any) -> dict[str, Any]:
    return {"item": "a", "occurrence": occurrence, "at": at, "outcome": outcome, **extra}


DAILY_19 = {"date": "2027-03-25", "time": "19:00", "tz": ROME, "repeat": {"freq": "daily"}}


def test_missed_next_and_moved_across_the_dst_change(node: NodeDriver) -> None:
    history = [checkin("2027-03-25", "done", "2027-03-25T19:00:00Z"),
               checkin("2027-03-27", "skipped", "2027-03-27T10:00:00Z"),
               checkin("2027-03-26", "moved", "2027-03-26T10:00:00Z",
                       to={"date": "2027-04-02", "time": "08:00", "tz": ROME})]
    # 31 March, 18:59 CEST in Rome: today's 19:00 is a minute away, so it is the next one, not missed.
    parts = node.call(HABIT, "agendaParts", DAILY_19, history, "a", ms("2027-03-31T16:59:00Z"))
    assert parts == {"missed": ["2027-03-28", "2027-03-29", "2027-03-30"], "next": "2027-03-31",
                     "moved": [{"occurrence": "2027-03-26", "to": {"date": "2027-04-02", "time": "08:00", "tz": ROME}}]}
    # At 19:00 CEST (17:00 UTC, an hour earlier in UTC than before the change) it is due: missed, and tomorrow next.
    parts = node.call(HABIT, "agendaParts", DAILY_19, history, "a", ms("2027-03-31T17:00:00Z"))
    assert parts["missed"][-1] == "2027-03-31" and parts["next"] == "2027-04-01"


def test_a_ten_year_rule_ignored_for_years_looks_back_a_bounded_window(node: NodeDriver) -> None:
    when = {"date": "2020-01-01", "tz": ROME, "repeat": {"freq": "daily", "until": "2029-12-31"}}
    parts = node.call(HABIT, "agendaParts", when, [], "a", ms("2027-03-31T10:00:00Z"))
    # Its last 400 days (LOOKBACK_DAYS), never seven years of them; today's is still due.
    assert len(parts["missed"]) == 400 and parts["next"] == "2027-03-31"


def test_counts_leave_skipped_and_dropped_out(node: NodeDriver) -> None:
    history = [checkin("2027-03-25", "done", "2027-03-25T19:00:00Z"),
               checkin("2027-03-26", "partly", "2027-03-26T19:00:00Z"),
               checkin("2027-03-27", "skipped", "2027-03-27T10:00:00Z"),
               checkin("2027-03-28", "dropped", "2027-03-28T10:00:00Z"),
               checkin("2027-03-29", "not-done", "2027-03-29T20:00:00Z")]
    counts = node.call(HABIT, "occurrenceCounts", DAILY_19, history, "a", "2027-03-25", "2027-03-31",
                       ms("2027-03-31T10:00:00Z"))
    assert counts == {"done": 1, "partly": 1, "notDone": 2, "skipped": 1, "dropped": 1, "due": 1, "total": 5}
    states = ["done", "partly", "skipped", "dropped", "not-done", "missed", "due"]
    assert node.call(HABIT, "doneOfLast", states, 12) == {"done": 1, "of": 4}


def test_a_later_check_in_on_the_same_day_wins_and_others_items_are_ignored(node: NodeDriver) -> None:
    history = [checkin("2027-03-29", "not-done", "2027-03-29T20:00:00Z"),
               checkin("2027-03-29", "done", "2027-03-30T08:00:00Z"),
               {**checkin("2027-03-30", "done", "2027-03-30T20:00:00Z"), "item": "b"}]
    recent = node.call(HABIT, "recentOccurrences", DAILY_19, history, "a", ms("2027-03-31T10:00:00Z"), 1)
    assert [(o["date"], o["state"]) for o in recent] == [
        ("2027-03-25", "missed"), ("2027-03-26", "missed"), ("2027-03-27", "missed"), ("2027-03-28", "missed"),
        ("2027-03-29", "done"), ("2027-03-30", "missed"), ("2027-03-31", "due")]


def test_a_bad_rule_gives_nothing_to_count(node: NodeDriver) -> None:
    bad = {**DAILY_19, "repeat": {"freq": "daily", "interval": 0}}
    assert node.call(HABIT, "expandable", bad) is False
    assert node.call(HABIT, "recentOccurrences", bad, [], "a", ms("2027-03-31T10:00:00Z"), 6) == []
