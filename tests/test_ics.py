"""site_src/js/export/ics.js and plan-events.js: every calendar is read back by Python icalendar and by ical.js."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.js.ics_checks import check_structure, icalendar_read
from tests.js.node_driver import NodeDriver, shared_driver
from tests.js.plan_fixtures import SCHEMA, action, make_plan

PLAN_EVENTS = "site_src/js/export/plan-events.js"
NOW = "2025-06-01T08:00:00Z"

@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def export(node: NodeDriver, plan: dict[str, Any], previous: dict[str, Any] | None = None,
           only: list[str] | None = None, now: str = NOW) -> tuple[bytes, dict[str, Any]]:
    """One "Export to calendar" as export-ui.js does it: events, then the calendar text."""
    result = node.call(PLAN_EVENTS, "calendarExport", plan, SCHEMA, previous, {}, only)
    text = node("buildCalendar", events=result["events"], now=now)
    return text.encode("utf-8"), result["remembered"]


def read_both(node: NodeDriver, data: bytes) -> list[dict[str, Any]]:
    """Structure checks, then both parsers; they must agree on every event."""
    check_structure(data)
    py = icalendar_read(data)
    js = node("icalRead", text=data.decode("utf-8"))
    assert len(py) == len(js["events"])
    for a, b in zip(py, js["events"], strict=True):
        assert a == b
    assert js["props"]["version"] == "2.0" and js["props"]["prodid"]
    return py


def utc_of(date: str, time: str, tz: str) -> str:
    """Python's answer: zoneinfo with fold=0 resolves gaps and overlaps as RFC 5545 3.3.5 says."""
    local = datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_plan_to_calendar_read_by_both_parsers(node: NodeDriver) -> None:
    plan = make_plan(
        [
            action(1, "Run 5 km, slowly; then stretch", "2025-03-03", "07:30",
                   how=["Shoes by the door", "Go before breakfast"], who="Anna", plan_b="Treadmill",
                   commitment=8),
            action(2, "Book the physio", "2025-12-31", None),
            action(3, "Already done", "2025-02-01", "18:00", done=True),
            {"id": "00000000-0000-4000-8000-000000000004", "what": "No date yet"},
        ],
        revision=4,
        review={"when": {"date": "2025-04-01", "time": "17:00", "tz": "Europe/Rome"}},
    )
    data, remembered = export(node, plan)
    events = read_both(node, data)
    assert [e["uid"] for e in events] == [
        "00000000-0000-4000-8000-000000000001@11111111-2222-4333-8444-555555555555.passo",
        "00000000-0000-4000-8000-000000000002@11111111-2222-4333-8444-555555555555.passo",
        "00000000-0000-4000-8000-000000000003@11111111-2222-4333-8444-555555555555.passo",
        "review@11111111-2222-4333-8444-555555555555.passo",
    ]
    assert set(remembered) == {e["uid"] for e in events}
    run, physio, done, review = events
    assert run["summary"] == "Run 5 km, slowly; then stretch"
    assert run["description"] == (
        "How:\n• Shoes by the door\n• Go before breakfast\nWho else: Anna\nPlan B: Treadmill\nCommitment: 8/10"
    )
    assert (run["start"], run["end"]) == ("2025-03-03T06:30:00.000Z", "2025-03-03T07:30:00.000Z")
    assert run["alarms"] == [{"action": "DISPLAY", "trigger": -3600, "description": run["summary"]}]
    assert all(e["sequence"] == 4 and e["status"] == "CONFIRMED" for e in events)
    assert all(e["dtstamp"] == "2025-06-01T08:00:00.000Z" for e in events)
    # All-day: VALUE=DATE, DTEND the next day (here across a year end); the reminder at 09:00 on the day.
    assert physio["startIsDate"] and (physio["start"], physio["end"]) == ("2025-12-31", "2026-01-01")
    assert physio["alarms"][0]["trigger"] == 9 * 3600
    assert done["summary"] == "✓ Already done" and done["alarms"] == []
    assert review["summary"] == "Follow-up review" and review["start"] == "2025-04-01T15:00:00.000Z"
    assert b"DTSTART;VALUE=DATE:20251231\r\nDTEND;VALUE=DATE:20260101\r\n" in data


DST_CASES = [
    # (zone, date, time): days around each change, the skipped hour and the repeated hour.
    ("Europe/Rome", "2025-03-29", "09:00"),
    ("Europe/Rome", "2025-03-30", "01:59"),
    ("Europe/Rome", "2025-03-30", "02:30"),  # does not exist: 03:30 CEST
    ("Europe/Rome", "2025-03-30", "03:00"),
    ("Europe/Rome", "2025-03-31", "09:00"),
    ("Europe/Rome", "2025-10-26", "02:30"),  # twice: the first (CEST) one
    ("Europe/Rome", "2025-10-26", "03:00"),
    ("Europe/Rome", "2025-10-27", "09:00"),
    ("America/New_York", "2025-03-08", "09:00"),
    ("America/New_York", "2025-03-09", "02:30"),  # does not exist: 03:30 EDT
    ("America/New_York", "2025-03-10", "09:00"),
    ("America/New_York", "2025-11-02", "01:30"),  # twice: the first (EDT) one
    ("America/New_York", "2025-11-02", "02:00"),
    ("America/New_York", "2025-11-03", "00:15"),
    ("Asia/Kolkata", "2025-03-30", "02:30"),  # no DST, a half-hour offset
    ("Asia/Kolkata", "2025-11-02", "00:10"),  # the UTC date is the day before
    ("Asia/Kolkata", "2025-12-31", "23:59"),
]


@pytest.mark.parametrize(("tz", "date", "time"), DST_CASES)
def test_start_times_across_dst(node: NodeDriver, tz: str, date: str, time: str) -> None:
    plan = make_plan([action(1, "Meet", date, time, tz=tz)])
    (event,) = read_both(node, export(node, plan)[0])
    expected = utc_of(date, time, tz)
    assert event["start"] == expected
    end = datetime.fromisoformat(expected.replace(".000Z", "+00:00")) + timedelta(minutes=60)
    assert event["end"] == end.strftime("%Y-%m-%dT%H:%M:%S.000Z")


# Zones with unusual rules: half-hour DST (Lord Howe), negative DST (Dublin), Ramadan pauses (Casablanca),
# southern hemisphere, -03:30, no DST, and DST rules that changed within the range.
ZONES = ["Europe/Rome", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Dublin",
         "Africa/Casablanca", "America/Santiago", "America/St_Johns", "Pacific/Auckland", "Europe/London",
         "America/Sao_Paulo", "Asia/Tehran", "UTC"]
LOCAL = st.tuples(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat),
    st.times().map(lambda t: f"{t.hour:02d}:{t.minute:02d}"),
    st.sampled_from(ZONES),
)


@settings(deadline=None, derandomize=True, max_examples=60)
@given(cases=st.lists(LOCAL, min_size=1, max_size=40))
def test_start_times_agree_with_zoneinfo(cases: list[tuple[str, str, str]]) -> None:
    """Any local time in any of these zones: the same instant as Python's zoneinfo (fold=0, RFC 5545)."""
    got = shared_driver()("zonedBatch", cases=[list(c) for c in cases])
    assert got == [utc_of(*c) for c in cases]


def test_start_times_around_every_change_of_a_decade() -> None:
    """Every half hour from 3 h before to 3 h after each transition of 2020-2030, in each zone."""
    cases = []
    for tz in ZONES:
        zone = ZoneInfo(tz)
        moment = datetime(2020, 1, 1, tzinfo=UTC)
        while moment.year < 2031:
            nxt = moment + timedelta(hours=6)
            if moment.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
                local = moment.astimezone(zone).replace(tzinfo=None, minute=0)
                for step in range(-6, 19):
                    t = local + timedelta(minutes=30 * step)
                    cases.append((t.date().isoformat(), t.strftime("%H:%M"), tz))
            moment = nxt
    assert len(cases) > 1000
    got = shared_driver()("zonedBatch", cases=[list(c) for c in cases])
    wrong = [(c, g, utc_of(*c)) for c, g in zip(cases, got, strict=True) if g != utc_of(*c)]
    assert not wrong, wrong[:5]


def test_overlap_and_gap_rules_named() -> None:
    # The rule the writer follows, spelled out against zoneinfo so a reader sees the choice.
    assert utc_of("2025-03-30", "02:30", "Europe/Rome") == "2025-03-30T01:30:00.000Z"
    assert utc_of("2025-10-26", "02:30", "Europe/Rome") == "2025-10-26T00:30:00.000Z"


def test_uids_stable_sequence_grows_and_deleted_actions_cancelled_once(node: NodeDriver) -> None:
    a1 = action(1, "Run", "2025-03-03", "07:30")
    a2 = action(2, "Swim", "2025-03-04", "18:00")
    a3 = action(3, "Rest", "2025-03-05", None)
    plan = make_plan([a1, a2, a3], revision=3)
    first, memory = export(node, plan)
    ev1 = {e["uid"]: e for e in read_both(node, first)}

    # Reorder and edit: the same UIDs, a higher SEQUENCE, no duplicates.
    edited = copy.deepcopy(plan)
    edited["revision"] = 5
    edited["data"]["actions"] = [a3, {**a2, "what": "Swim 1 km"}, a1]
    second, memory = export(node, edited, memory, now="2025-06-02T08:00:00Z")
    ev2 = {e["uid"]: e for e in read_both(node, second)}
    assert set(ev2) == set(ev1)
    assert all(e["sequence"] == 5 > ev1[uid]["sequence"] for uid, e in ev2.items())
    assert ev2[next(u for u in ev2 if "000000000002@" in u)]["summary"] == "Swim 1 km"

    # Delete one action: it comes once more, CANCELLED, with its old time and a higher SEQUENCE.
    deleted = copy.deepcopy(edited)
    deleted["revision"] = 6
    deleted["data"]["actions"] = [a3, a1]
    third, memory = export(node, deleted, memory)
    ev3 = {e["uid"]: e for e in read_both(node, third)}
    uid2 = next(u for u in ev1 if "000000000002@" in u)
    assert set(ev3) == set(ev1)
    assert ev3[uid2]["status"] == "CANCELLED" and ev3[uid2]["sequence"] == 6
    assert ev3[uid2]["start"] == ev1[uid2]["start"] and ev3[uid2]["alarms"] == []
    assert all(e["status"] == "CONFIRMED" for u, e in ev3.items() if u != uid2)

    # The next export no longer carries it.
    fourth, memory = export(node, deleted, memory)
    assert {e["uid"] for e in read_both(node, fourth)} == set(ev1) - {uid2}
    assert uid2 not in memory


def test_add_one_action_keeps_memory_of_the_rest(node: NodeDriver) -> None:
    a1 = action(1, "Run", "2025-03-03", "07:30")
    a2 = action(2, "Swim", "2025-03-04", "18:00")
    plan = make_plan([a1, a2], revision=2)
    _, memory = export(node, plan)
    only_uid = f"{a2['id']}@{plan['id']}.passo"
    deleted = {**plan, "revision": 3, "data": {"goal": "x", "actions": [a2]}}
    one, memory = export(node, deleted, memory, only=[only_uid])
    assert [e["uid"] for e in read_both(node, one)] == [only_uid]
    # "Add to calendar" for one action cancels nothing, but the next full export still does.
    full, _ = export(node, deleted, memory)
    statuses = {e["uid"]: e["status"] for e in read_both(node, full)}
    assert statuses == {only_uid: "CONFIRMED", f"{a1['id']}@{plan['id']}.passo": "CANCELLED"}


def test_undated_or_bad_dates_make_no_event(node: NodeDriver) -> None:
    bad = [
        {"id": "a", "what": "x", "when": {"date": "", "tz": "Europe/Rome"}},
        {"id": "b", "what": "x", "when": {"date": "2025-3-1", "tz": "Europe/Rome"}},
        {"id": "c", "what": "x", "when": {"date": "2025-03-01", "time": "25:00", "tz": "Europe/Rome"}},
    ]
    data, _ = export(node, make_plan(bad))
    events = read_both(node, data)
    # "c" has a date but no valid time: an all-day event rather than a wrong hour.
    assert [(e["uid"].split("@")[0], e["startIsDate"]) for e in events] == [("c", True)]


def test_control_characters_and_line_breaks(node: NodeDriver) -> None:
    text = "a\r\nb\rc\nd\x00e\x07f\tg\x7fh"
    (event,) = read_both(node, export(node, make_plan([action(1, text, "2025-03-03", "07:30")]))[0])
    assert event["summary"] == "a\nb\nc\ndef\tgh"  # line breaks kept as \n, NUL, BEL and DEL dropped


# Text a coachee might type: every plane, combining marks, emoji, and the characters TEXT must escape.
TEXT = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from(["\n", ",", ";", "\\", "\\n", ":", '"', " ", "\t", "😀", "👩‍👩‍👧", "e\u0301", "日本", "ß"]),
    ),
    max_size=500,
).map(lambda parts: "".join(parts)[:500])


@settings(deadline=None, derandomize=True, max_examples=150)
@given(summary=TEXT, description=TEXT)
def test_any_text_survives_escaping_folding_and_both_parsers(summary: str, description: str) -> None:
    node = shared_driver()
    event = {
        "uid": "x@y.passo", "summary": summary, "description": description, "date": "2025-03-03",
        "time": "07:30", "tz": "Europe/Rome", "durationMinutes": 30, "alarmMinutesBefore": 10,
        "sequence": 1, "status": "CONFIRMED",
    }
    data = node("buildCalendar", events=[event], now=NOW).encode("utf-8")
    (got,) = read_both(node, data)
    assert got["summary"] == summary
    # An empty description is left out rather than written empty.
    assert got["description"] == (description or None)
    assert got["alarms"][0]["description"] == summary


def test_structure_checks_catch_what_parsers_let_through(node: NodeDriver) -> None:
    good, _ = export(node, make_plan([action(1, "Run " * 40, "2025-03-03", "07:30")]))
    check_structure(good)
    broken = [
        good.replace(b"\r\n", b"\n"),  # LF line ends
        good.replace(b"\r\n ", b"\r\n", 1),  # a continuation line without its space
        good.replace(b"DTSTAMP:20250601T080000Z\r\n", b""),  # no DTSTAMP
        good.replace(b"UID:", b"X-UID:"),  # no UID
        good.replace(b"\r\n ", b"", 1),  # a line over 75 octets
        "SUMMARY:é\r\n".encode() + good,  # a property outside the calendar
    ]
    for data in broken:
        with pytest.raises(AssertionError):
            check_structure(data)


def test_the_real_action_plan_schema(node: NodeDriver) -> None:
    schema = node("readJSON", file="schemas/smart-action-plan.json")
    plan = make_plan([], revision=2)
    plan["schema"] = "smart-action-plan"
    plan["data"] = {
        "goal": {"what": "Run 10 km"},
        "actions": [{
            "id": "0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b", "what": "Run, then stretch",
            "steps": ["Shoes", "Door"], "who": "Anna", "planB": "Gym", "commitment": 9,
            "when": {"date": "2025-10-26", "time": "02:30", "tz": "Europe/Rome"},
        }],
        "review": {"id": "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f", "when": {"date": "2025-11-01", "tz": "Europe/Rome"}},
    }
    result = node.call(PLAN_EVENTS, "calendarExport", plan, schema, None, {}, None)
    data = node("buildCalendar", events=result["events"], now=NOW).encode()
    action_ev, review_ev = read_both(node, data)
    assert action_ev["uid"] == f"0d9a3c52-8f7e-4a51-9a0e-0c1d2e3f4a5b@{plan['id']}.passo"
    assert action_ev["summary"] == "Run, then stretch"
    assert action_ev["start"] == utc_of("2025-10-26", "02:30", "Europe/Rome")
    for text in ("Shoes", "Door", "Anna", "Gym"):
        assert text in action_ev["description"]
    assert review_ev["summary"] == "Review my action plan" and review_ev["start"] == "2025-11-01"


def test_moved_dropped_and_done_after_checkins(node: NodeDriver) -> None:
    """Follow-through: a move keeps the UID with a higher SEQUENCE and the new time; a dropped action is sent once
    as CANCELLED; a done one keeps no alarm. The plan's revision rises with each check-in (store.recordCheckin)."""
    first_plan = make_plan([action(1, "Call the printer", "2025-03-03", "19:00"),
                            action(2, "Tidy the desk", "2025-03-04", None),
                            action(3, "Book the room", "2025-03-05", None)], revision=3)
    data, remembered = export(node, first_plan)
    before = {e["uid"]: e for e in read_both(node, data)}

    moved = copy.deepcopy(first_plan)
    moved["revision"] = 6
    moved["data"]["actions"][0]["when"] = {"date": "2025-03-10", "time": "08:30", "tz": "America/New_York"}
    moved["data"]["actions"][2]["done"] = True
    checkins = [
        {"item": "00000000-0000-4000-8000-000000000001", "at": "2025-03-04T09:00:00Z", "outcome": "moved",
         "note": "", "commitment": None, "plan_b": False,
         "from": {"date": "2025-03-03", "time": "19:00", "tz": "Europe/Rome"},
         "to": {"date": "2025-03-10", "time": "08:30", "tz": "America/New_York"}},
        {"item": "00000000-0000-4000-8000-000000000002", "at": "2025-03-04T09:01:00Z", "outcome": "dropped",
         "note": "", "commitment": None, "from": None, "to": None, "plan_b": False},
        {"item": "00000000-0000-4000-8000-000000000003", "at": "2025-03-05T20:00:00Z", "outcome": "done",
         "note": "", "commitment": 9, "from": None, "to": None, "plan_b": False},
    ]
    result = node.call(PLAN_EVENTS, "calendarExport", moved, SCHEMA, remembered, {}, None, checkins)
    after = {e["uid"]: e for e in read_both(node, node("buildCalendar", events=result["events"], now=NOW)
                                            .encode("utf-8"))}
    call, desk, room = (f"00000000-0000-4000-8000-00000000000{i}@11111111-2222-4333-8444-555555555555.passo"
                        for i in (1, 2, 3))
    assert after.keys() == before.keys()
    assert after[call]["sequence"] == 6 > before[call]["sequence"]
    assert after[call]["start"] == utc_of("2025-03-10", "08:30", "America/New_York") == "2025-03-10T12:30:00.000Z"
    assert after[call]["alarms"] and after[call]["status"] == "CONFIRMED"
    assert after[desk]["status"] == "CANCELLED" and after[desk]["alarms"] == []
    assert after[room]["alarms"] == [] and after[room]["summary"] == "✓ Book the room"
    # Sent once: the next export no longer names the dropped action.
    again = node.call(PLAN_EVENTS, "calendarExport", moved, SCHEMA, result["remembered"], {}, None, checkins)
    assert desk not in {e["uid"] for e in again["events"]}
    assert len(again["events"]) == 2
