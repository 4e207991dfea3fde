"""site_src/js/measure/: the path from baseline to target and where a value stands (measure-path.js, run in Node),
and which groups a schema marks measurable (measure-core.js)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.js.node_driver import NodeDriver, shared_driver

PATH = "site_src/js/measure/measure-path.js"
CORE = "site_src/js/measure/measure-core.js"


@pytest.fixture(scope="module")
def node() -> Iterator[NodeDriver]:
    yield shared_driver()


def day(node: NodeDriver, date: str) -> float:
    result: float = node.call(PATH, "dayNumber", date)
    return result


def path(node: NodeDriver, baseline: float, target: float, start: str = "2027-01-01",
         end: str = "2027-04-11") -> dict[str, Any]:
    return {"baseline": baseline, "target": target, "start": day(node, start), "end": day(node, end)}


def test_the_path_is_a_straight_line_held_at_both_ends(node: NodeDriver) -> None:
    p = path(node, 10, 5)  # 100 days from 10% to 5%
    assert [node.call(PATH, "pathValue", p, day(node, d)) for d in
            ("2026-12-01", "2027-01-01", "2027-02-20", "2027-04-11", "2027-12-31")] == [10, 10, 7.5, 5, 5]
    assert node.call(PATH, "pathValue", p, day(node, "2027-01-21")) == pytest.approx(9)


@pytest.mark.parametrize(("baseline", "target", "date", "value", "expected"), [
    # Lower is better (10 -> 5): on 20 Feb the path is at 7.5; the tolerance is 5% of 5, 0.25.
    (10, 5, "2027-02-20", 7.5, "on"),
    (10, 5, "2027-02-20", 7.25, "on"),
    (10, 5, "2027-02-20", 7.2, "ahead"),
    (10, 5, "2027-02-20", 7.8, "behind"),
    (10, 5, "2027-02-20", 11, "behind"),
    # Higher is better (0 -> 100): on 20 Feb the path is at 50; the tolerance is 5.
    (0, 100, "2027-02-20", 55, "on"),
    (0, 100, "2027-02-20", 56, "ahead"),
    (0, 100, "2027-02-20", 44, "behind"),
    # After the deadline the path is the target itself.
    (0, 100, "2027-06-01", 98, "on"),
    (0, 100, "2027-06-01", 90, "behind"),
    (0, 100, "2027-06-01", 120, "ahead"),
    # Negative values and fractions behave the same.
    (-2.5, -10, "2027-02-20", -7, "ahead"),
])
def test_standing_is_direction_aware(node: NodeDriver, baseline: float, target: float, date: str, value: float,
                                     expected: str) -> None:
    assert node.call(PATH, "standing", path(node, baseline, target), day(node, date), value) == expected


@pytest.mark.parametrize("p", [
    {"baseline": 5, "target": 5, "start": 0, "end": 10},  # nothing to move
    {"baseline": 0, "target": 5, "start": 10, "end": 10},  # the deadline on the day it started
    {"baseline": 0, "target": 5, "start": 10, "end": 2},  # the deadline before it started
    {"baseline": None, "target": 5, "start": 0, "end": 10},  # no baseline
])
def test_no_path_no_standing(node: NodeDriver, p: dict[str, Any]) -> None:
    assert node.call(PATH, "standing", p, 5, 3) is None


def test_measurable_groups_follow_refs_and_read_the_metrics_visibility(node: NodeDriver) -> None:
    plan_schema = node("readJSON", file="schemas/smart-action-plan.json")
    (goal,) = node.call(CORE, "measurableGroups", plan_schema)
    assert (goal["pointer"], goal["sptr"], goal["metricVisibility"]) == ("/goal", "/properties/goal", "sponsor")
    oskar = node("readJSON", file="schemas/oskar-session.json")
    assert node.call(CORE, "measurableGroups", oskar) == []  # its scale per outcome has its own chart
