"""Checks on an .ics file that parsers do not make (TESTING.md): both parsers accept broken files silently."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import icalendar

CONTENT_LINE = re.compile(r"^[A-Z][A-Z0-9-]*(;[A-Z0-9-]+=[^:;]*)*:")


def check_structure(data: bytes) -> list[str]:
    """Assert RFC 5545 framing on the raw bytes; return the unfolded content lines."""
    assert data.endswith(b"\r\n"), "file must end with CRLF"
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    logical: list[str] = []
    for raw in data[:-2].split(b"\r\n"):
        assert len(raw) <= 75, f"line of {len(raw)} octets: {raw!r}"
        line = raw.decode("utf-8")  # raises if a fold split a UTF-8 sequence
        if line.startswith(" "):
            assert logical, "file starts with a continuation line"
            logical[-1] += line[1:]
        else:
            assert line and not line.startswith("\t"), f"empty or tab-folded line: {raw!r}"
            logical.append(line)
    stack: list[tuple[str, dict[str, int]]] = []
    for line in logical:
        assert CONTENT_LINE.match(line), f"not a content line: {line!r}"
        name = re.split(r"[;:]", line, maxsplit=1)[0]
        if name == "BEGIN":
            stack.append((line[6:], {}))
        elif name == "END":
            comp, counts = stack.pop()
            assert comp == line[4:], f"END:{line[4:]} closes {comp}"
            if comp == "VEVENT":
                assert counts.get("UID") == 1 and counts.get("DTSTAMP") == 1, f"VEVENT without UID/DTSTAMP {counts}"
            if comp == "VCALENDAR":
                assert counts.get("VERSION") == 1 and counts.get("PRODID") == 1
            if comp == "VALARM":
                assert all(counts.get(k) == 1 for k in ("ACTION", "TRIGGER", "DESCRIPTION")), counts
        else:
            assert stack, f"property outside a component: {line!r}"
            stack[-1][1][name] = stack[-1][1].get(name, 0) + 1
            # Never TZID together with a UTC time (the issue forbids the mix).
            assert not (";TZID=" in line.split(":", 1)[0] and line.endswith("Z")), line
    assert not stack, "unclosed component"
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in logical
    return logical


def _time(value: Any) -> str | None:
    if value is None:
        return None
    dt = value.dt
    if isinstance(dt, datetime):
        assert dt.utcoffset() is not None and dt.utcoffset().total_seconds() == 0, "start not in UTC"
        return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert isinstance(dt, date)
    return dt.isoformat()


def icalendar_read(data: bytes) -> list[dict[str, Any]]:
    """Events as Python icalendar sees them, in the same shape as the Node driver's icalRead()."""
    cal = icalendar.Calendar.from_ical(data)
    out = []
    for ev in cal.walk("VEVENT"):
        out.append({
            "uid": str(ev["UID"]),
            "dtstamp": _time(ev.get("DTSTAMP")),
            "summary": str(ev["SUMMARY"]) if "SUMMARY" in ev else None,
            "description": str(ev["DESCRIPTION"]) if "DESCRIPTION" in ev else None,
            "start": _time(ev.get("DTSTART")),
            "end": _time(ev.get("DTEND")),
            "startIsDate": not isinstance(ev["DTSTART"].dt, datetime),
            "sequence": int(ev["SEQUENCE"]),
            "status": str(ev["STATUS"]),
            "alarms": [
                {
                    "action": str(a["ACTION"]),
                    "trigger": int(a["TRIGGER"].dt.total_seconds()),
                    "description": str(a["DESCRIPTION"]),
                }
                for a in ev.walk("VALARM")
            ],
        })
    return out
