"""site_src/js/time/repeat.js in Node against python-dateutil's rrule: the same local dates for a table of rules
(intervals, several weekdays, counts and untils, starts the rule does not produce, 29 February, month ends), the
same instants through daylight-saving changes, windows far from the start that cost only what they hold, and the
bad rules of issue 16 refused with their codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.js.node_driver import NodeDriver, shared_driver

REPEAT = "site_src/js/time/repeat.js"
ZONED = "site_src/js/time/zoned-time.js"

FREQS = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}
WEEKDAYS = {"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA,
            "SU": rrule.SU}


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def reference(when: dict[str, Any], tz: str | None = None) -> rrule.rrule:
    """The rule as dateutil reads it. A monthly rule keeps its day (bymonthday, else the start's) and falls on the
    month's last day when the month is shorter: RRULE's BYMONTHDAY=28,...,d;BYSETPOS=-1 for d of 29 and more."""
    repeat = when["repeat"]
    start = datetime.fromisoformat(f"{when['date']}T{when.get('time') or '00:00'}")
    if tz:
        start = start.replace(tzinfo=ZoneInfo(tz))
    args: dict[str, Any] = {"dtstart": start, "interval": repeat.get("interval", 1)}
    if "byday" in repeat:
        args["byweekday"] = [WEEKDAYS[d] for d in repeat["byday"]]
    if repeat["freq"] == "monthly":
        day = repeat.get("bymonthday", start.day)
        if day >= 29:
            args["bymonthday"], args["bysetpos"] = tuple(range(28, day + 1)), -1
        else:
            args["bymonthday"] = day
    if "count" in repeat:
        args["count"] = repeat["count"]
    if "until" in repeat:
        # Inclusive of the whole day: an occurrence at 19:00 on the until date still belongs to the rule.
        args["until"] = datetime.fromisoformat(f"{repeat['until']}T23:59:59").replace(tzinfo=start.tzinfo)
    return rrule.rrule(FREQS[repeat["freq"]], **args)


def rule(start: str, **repeat: Any) -> dict[str, Any]:
    return {"date": start, "tz": "Europe/Rome", "repeat": repeat}


# (when, window from, window to): each rule's dates in the window, by repeat.js and by dateutil.
TABLE = [
    (rule("2027-03-01", freq="daily"), "2027-03-01", "2027-04-15"),
    (rule("2027-03-01", freq="daily", interval=3), "2027-03-01", "2027-05-01"),
    (rule("2027-03-01", freq="daily", interval=99, count=5), "2027-01-01", "2028-12-31"),
    (rule("2027-03-01", freq="daily", count=10), "2027-02-01", "2027-04-01"),
    (rule("2027-03-01", freq="daily", until="2027-03-20"), "2027-03-05", "2027-04-01"),
    (rule("2027-03-01", freq="daily", until="2027-03-01"), "2027-01-01", "2027-12-31"),
    # Weekly: the start's weekday, then chosen weekdays (a Monday start on Tuesdays and Fridays begins on Tuesday).
    (rule("2027-03-03", freq="weekly"), "2027-03-01", "2027-06-01"),
    (rule("2027-03-01", freq="weekly", byday=["TU", "FR"]), "2027-03-01", "2027-05-01"),
    (rule("2027-03-04", freq="weekly", byday=["MO", "TH"]), "2027-03-01", "2027-05-01"),
    (rule("2027-03-05", freq="weekly", byday=["MO", "WE", "SU"], interval=2), "2027-03-01", "2027-06-30"),
    (rule("2027-03-07", freq="weekly", byday=["SA", "MO"], interval=3, count=7), "2027-03-01", "2027-12-31"),
    (rule("2027-03-06", freq="weekly", byday=["MO"], interval=2, count=4), "2027-03-01", "2027-12-31"),
    (rule("2027-03-01", freq="weekly", byday=["TU"], interval=2, until="2027-05-11"), "2027-03-01", "2027-12-31"),
    (rule("2027-03-02", freq="weekly", byday=["SU", "MO", "TU", "WE", "TH", "FR", "SA"], count=20),
     "2027-03-01", "2027-12-31"),
    (rule("2027-12-29", freq="weekly", byday=["FR", "MO"]), "2027-12-20", "2028-01-31"),  # across a year end
    # Monthly: the start's day, a chosen day, the 29th to 31st on the month's last day when shorter.
    (rule("2027-01-15", freq="monthly"), "2027-01-01", "2028-06-30"),
    (rule("2027-01-31", freq="monthly"), "2027-01-01", "2028-06-30"),
    (rule("2027-01-10", freq="monthly", bymonthday=31), "2027-01-01", "2028-12-31"),
    (rule("2027-01-10", freq="monthly", bymonthday=30, interval=1, count=14), "2027-01-01", "2028-12-31"),
    (rule("2027-01-31", freq="monthly", bymonthday=29), "2027-01-01", "2029-03-31"),
    (rule("2027-01-20", freq="monthly", bymonthday=5), "2027-01-01", "2027-12-31"),  # Jan's 5th is past
    (rule("2027-01-20", freq="monthly", bymonthday=5, count=3), "2027-01-01", "2027-12-31"),
    (rule("2027-02-28", freq="monthly", bymonthday=31, interval=2), "2027-01-01", "2029-12-31"),
    (rule("2027-03-31", freq="monthly", interval=11, until="2031-01-01"), "2027-01-01", "2031-12-31"),
    (rule("2027-01-15", freq="monthly", bymonthday=10, interval=30, count=3), "2027-01-01", "2036-12-31"),
    # 29 February: a leap day start, and rules that pass leap and common years.
    (rule("2028-02-29", freq="daily", interval=7), "2028-02-01", "2028-05-01"),
    (rule("2028-02-29", freq="monthly"), "2028-02-01", "2029-04-30"),
    (rule("2027-01-29", freq="monthly", bymonthday=29), "2027-01-01", "2029-12-31"),
    (rule("2028-02-29", freq="weekly", byday=["TU", "SU"], until="2028-03-31"), "2028-02-01", "2028-04-30"),
    (rule("2027-02-28", freq="daily", count=3), "2027-02-01", "2027-03-31"),
    # Windows that start inside the rule, end before it, or miss it entirely.
    (rule("2027-03-01", freq="weekly", byday=["WE", "SA"]), "2027-09-15", "2027-10-20"),
    (rule("2027-03-01", freq="monthly", bymonthday=31), "2027-04-01", "2027-04-29"),
    (rule("2027-03-01", freq="daily", count=30), "2027-04-01", "2027-05-01"),
    (rule("2027-03-01", freq="daily"), "2026-01-01", "2027-02-28"),
]


def reference_dates(when: dict[str, Any], lo: str, hi: str) -> list[str]:
    found = reference(when).between(datetime.fromisoformat(lo), datetime.fromisoformat(f"{hi}T23:59:59"), inc=True)
    return [d.date().isoformat() for d in found]


def _id(case: tuple[dict[str, Any], str, str]) -> str:
    when, lo, hi = case
    return f"{when['date']}-" + "-".join(f"{k}={v}" for k, v in when["repeat"].items()) + f"@{lo}..{hi}"


@pytest.mark.parametrize("case", TABLE, ids=_id)
def test_occurrences_as_dateutil_gives_them(node: NodeDriver, case: tuple[dict[str, Any], str, str]) -> None:
    when, lo, hi = case
    assert node.call(REPEAT, "repeatProblems", when) == []
    expected = reference_dates(when, lo, hi)
    assert node.call(REPEAT, "occurrences", when, lo, hi) == expected
    # The whole rule as dateutil runs it (bounded: an endless rule over its first two years).
    every = [d.date().isoformat() for d in reference(when).between(
        datetime.fromisoformat(when["date"]), datetime.fromisoformat(when["date"]) + timedelta(days=4000), inc=True)]
    assert node.call(REPEAT, "firstOccurrence", when) == every[0]
    repeat = when["repeat"]
    last = every[-1] if "count" in repeat or "until" in repeat else None
    assert node.call(REPEAT, "lastOccurrence", when) == last
    # Every day of the window: produced or not, and the next one from there.
    day = date.fromisoformat(lo)
    while day <= date.fromisoformat(hi):
        iso = day.isoformat()
        later = [d for d in every if d >= iso]
        if day.day in (1, 15, 28, 29, 30, 31) or iso in expected:
            assert node.call(REPEAT, "isOccurrence", when, iso) is (iso in every), iso
            assert node.call(REPEAT, "nextOccurrence", when, iso, 4000) == (later[0] if later else None), iso
        day += timedelta(days=1)


# Timed rules across daylight-saving changes: each occurrence keeps its wall-clock time in its zone. repeat.js
# gives the local date, zoned-time.js the instant; dateutil runs the rule on an aware start in the same zone.
DST = [
    ("Europe/Rome", {"date": "2027-03-22", "time": "19:00", "repeat": {"freq": "weekly", "byday": ["MO", "TH"]}},
     "2027-03-01", "2027-04-30"),
    ("Europe/Rome", {"date": "2027-03-25", "time": "02:30", "repeat": {"freq": "daily", "count": 8}},
     "2027-03-01", "2027-04-30"),  # 02:30 does not exist on 28 March: 03:30 CEST, as RFC 5545 3.3.5 says
    ("Europe/Rome", {"date": "2027-10-28", "time": "02:30", "repeat": {"freq": "daily", "count": 5}},
     "2027-10-01", "2027-11-30"),  # 02:30 happens twice on 31 October: the first one
    ("America/New_York", {"date": "2027-02-28", "time": "08:00", "repeat": {"freq": "weekly", "interval": 1}},
     "2027-02-01", "2027-04-30"),
    ("America/New_York", {"date": "2027-10-31", "time": "01:30", "repeat": {"freq": "weekly", "count": 3}},
     "2027-10-01", "2027-12-31"),
    ("America/New_York", {"date": "2027-01-31", "time": "21:15",
                          "repeat": {"freq": "monthly", "bymonthday": 31, "until": "2027-12-31"}},
     "2027-01-01", "2027-12-31"),
    ("Australia/Sydney", {"date": "2027-03-29", "time": "07:00",
                          "repeat": {"freq": "weekly", "byday": ["SU", "WE"], "interval": 2}},
     "2027-03-01", "2027-05-31"),  # Sydney falls back on 4 April and springs forward on 3 October
    ("Australia/Sydney", {"date": "2027-09-30", "time": "02:30", "repeat": {"freq": "daily", "count": 6}},
     "2027-09-01", "2027-10-31"),
]


@pytest.mark.parametrize(("tz", "when", "lo", "hi"), DST, ids=[f"{c[0]}-{c[1]['date']}" for c in DST])
def test_timed_occurrences_keep_their_wall_clock_time_across_dst(node: NodeDriver, tz: str, when: dict[str, Any],
                                                                 lo: str, hi: str) -> None:
    when = {**when, "tz": tz}
    dates = node.call(REPEAT, "occurrences", when, lo, hi)
    instants = [node.call(ZONED, "zonedToUtc", d, when["time"], tz) for d in dates]
    start = datetime.fromisoformat(lo).replace(tzinfo=ZoneInfo(tz))
    end = datetime.fromisoformat(f"{hi}T23:59:59").replace(tzinfo=ZoneInfo(tz))
    expected = reference(when, tz).between(start, end, inc=True)
    assert dates == [d.date().isoformat() for d in expected]
    assert instants == [int(d.astimezone(UTC).timestamp() * 1000) for d in expected]
    # The wall-clock time is the same on both sides of the change; the UTC offset is not.
    offsets = {d.utcoffset() for d in expected}
    assert len(offsets) == 2, offsets


FAR = [
    (rule("2027-01-01", freq="daily", until="2036-12-31"), "2036-06-01", "2036-06-14", 14),
    (rule("2027-01-01", freq="daily"), "2036-06-01", "2036-06-14", 14),
    (rule("2027-01-01", freq="daily", count=1000), "2029-09-20", "2029-10-10", 7),  # the count ends on 26 Sep
    (rule("2027-01-01", freq="daily", count=1000), "2035-01-01", "2035-01-14", 0),
    (rule("2027-01-04", freq="weekly", byday=["MO", "TH"]), "2036-06-01", "2036-06-14", 4),
    (rule("2027-01-04", freq="weekly", byday=["MO", "TH"], interval=3, count=600), "2030-01-01", "2030-01-31", 3),
    (rule("2027-01-31", freq="monthly"), "2036-02-01", "2036-03-31", 2),
]


@pytest.mark.parametrize(("when", "lo", "hi", "n"), FAR, ids=[f"{c[1]}-{c[0]['repeat']}" for c in FAR])
def test_a_window_far_from_the_start_costs_what_it_holds(node: NodeDriver, when: dict[str, Any], lo: str, hi: str,
                                                        n: int) -> None:
    before = node.call(REPEAT, "workDone")
    found = node.call(REPEAT, "occurrences", when, lo, hi)
    work = node.call(REPEAT, "workDone") - before
    assert found == reference_dates(when, lo, hi)
    assert len(found) == n
    # Days, weeks or months of the rule looked at: the window's own (plus the one after it), never ten years'.
    periods = {"daily": 15, "weekly": 4, "monthly": 3}[when["repeat"]["freq"]]
    assert work <= periods, work


BAD = [
    ({"freq": "daily", "interval": 0}, "/repeat/interval", "interval"),
    ({"freq": "daily", "interval": 100}, "/repeat/interval", "interval"),
    ({"freq": "daily", "interval": 1.5}, "/repeat/interval", "interval"),
    ({"freq": "daily", "count": 0}, "/repeat/count", "count"),
    ({"freq": "daily", "count": 1001}, "/repeat/count", "count"),
    ({"freq": "daily", "until": "2027-02-28"}, "/repeat/until", "until-before-start"),
    ({"freq": "daily", "until": "2027-02-30"}, "/repeat/until", "until"),
    ({"freq": "daily", "until": "2027-04-01", "count": 3}, "/repeat/count", "until-and-count"),
    ({"freq": "weekly", "byday": ["MO", "XX"]}, "/repeat/byday", "byday"),
    ({"freq": "weekly", "byday": ["mo"]}, "/repeat/byday", "byday"),
    ({"freq": "weekly", "byday": []}, "/repeat/byday", "byday"),
    ({"freq": "weekly", "byday": ["MO", "MO"]}, "/repeat/byday", "byday"),
    ({"freq": "daily", "byday": ["MO"]}, "/repeat/byday", "byday"),
    ({"freq": "monthly", "bymonthday": 0}, "/repeat/bymonthday", "bymonthday"),
    ({"freq": "monthly", "bymonthday": 32}, "/repeat/bymonthday", "bymonthday"),
    ({"freq": "weekly", "bymonthday": 3}, "/repeat/bymonthday", "bymonthday"),
    ({"freq": "yearly"}, "/repeat/freq", "freq"),
    ({"freq": "daily", "hourly": True}, "/repeat/hourly", "keys"),
    # Starting on Monday 1 March, every Thursday until Tuesday 2 March: the until falls before the first date.
    ({"freq": "weekly", "byday": ["TH"], "until": "2027-03-02"}, "/repeat/until", "until-before-start"),
    ({"freq": "monthly", "bymonthday": 20, "until": "2027-03-15"}, "/repeat/until", "until-before-start"),
]


@pytest.mark.parametrize(("repeat", "path", "code"), BAD, ids=[c[2] + str(i) for i, c in enumerate(BAD)])
def test_bad_rules_are_named_and_expand_to_nothing(node: NodeDriver, repeat: dict[str, Any], path: str,
                                                   code: str) -> None:
    when = {"date": "2027-03-01", "time": "19:00", "tz": "Europe/Rome", "repeat": repeat}
    assert {"path": path, "code": code} in node.call(REPEAT, "repeatProblems", when)
    assert node.call(REPEAT, "occurrences", when, "2027-01-01", "2027-12-31") == []


def test_a_when_without_a_rule_is_its_own_one_occurrence(node: NodeDriver) -> None:
    when = {"date": "2027-03-01", "time": "19:00", "tz": "Europe/Rome"}
    assert node.call(REPEAT, "repeatProblems", when) == []
    assert node.call(REPEAT, "occurrences", when, "2027-01-01", "2027-12-31") == ["2027-03-01"]
    assert node.call(REPEAT, "occurrences", when, "2027-03-02", "2027-12-31") == []
    assert node.call(REPEAT, "lastOccurrence", when) == "2027-03-01"
    assert node.call(REPEAT, "occurrenceWhen", {**when, "repeat": {"freq": "daily"}}, "2027-03-09") == {
        "date": "2027-03-09", "time": "19:00", "tz": "Europe/Rome"}


@st.composite
def rules(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    """Any valid rule from a start in 2027-2029, and a window somewhere in its first years."""
    start = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 3 * 365)))
    freq = draw(st.sampled_from(["daily", "weekly", "monthly"]))
    repeat: dict[str, Any] = {"freq": freq}
    if draw(st.booleans()):
        repeat["interval"] = draw(st.sampled_from([1, 2, 3, 5, 7, 12, 30, 99]))
    if freq == "weekly" and draw(st.booleans()):
        repeat["byday"] = draw(st.lists(st.sampled_from(list(WEEKDAYS)), min_size=1, max_size=7, unique=True))
    if freq == "monthly" and draw(st.booleans()):
        repeat["bymonthday"] = draw(st.integers(1, 31))
    end = draw(st.sampled_from(["none", "count", "until"]))
    if end == "count":
        repeat["count"] = draw(st.integers(1, 40))
    elif end == "until":
        repeat["until"] = (start + timedelta(days=draw(st.integers(0, 900)))).isoformat()
    lo = start + timedelta(days=draw(st.integers(-60, 1500)))
    hi = lo + timedelta(days=draw(st.integers(0, 400)))
    return {"date": start.isoformat(), "tz": "Europe/Rome", "repeat": repeat}, lo.isoformat(), hi.isoformat()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rules())
def test_any_rule_gives_dateutils_dates(node: NodeDriver, case: tuple[dict[str, Any], str, str]) -> None:
    when, lo, hi = case
    if node.call(REPEAT, "repeatProblems", when):
        # The one refusal a valid-looking draw can meet: an until before the rule's first date.
        assert reference_dates(when, when["date"], when["repeat"]["until"]) == []
        return
    assert node.call(REPEAT, "occurrences", when, lo, hi) == reference_dates(when, lo, hi)
    every = reference(when)
    assert node.call(REPEAT, "firstOccurrence", when) == every[0].date().isoformat()
    if "count" in when["repeat"] or "until" in when["repeat"]:
        assert node.call(REPEAT, "lastOccurrence", when) == list(every)[-1].date().isoformat()


def test_occurrence_dates_are_right_on_any_day_from_year_1000_to_9999(node: NodeDriver) -> None:
    """dateOf builds "YYYY-MM-DD" from a date's fields (toISOString() was most of the agenda's time): every 37th day
    across the whole range, leap years and century rules included, read back as Python reads the calendar."""
    start, end = date(1000, 1, 1), date(9999, 12, 31)
    when = {"date": start.isoformat(), "tz": "UTC", "repeat": {"freq": "daily", "interval": 37}}
    got = node.call(REPEAT, "occurrences", when, start.isoformat(), end.isoformat())
    expected = [(start + timedelta(days=k)).isoformat() for k in range(0, (end - start).days + 1, 37)]
    assert got == expected
