"""RAG, targets and direction, with the edge cases a board argues about."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from saferhub.indicators.definitions import Direction, Polarity, Rag, TargetKind
from saferhub.indicators.targets import (
    TargetSpec,
    describe,
    direction,
    display,
    format_number,
    rag,
    target_for,
)

LOWER_5 = TargetSpec(TargetKind.ABSOLUTE, value=D(100), tolerance_pct=D(5))
HIGHER_5 = TargetSpec(
    TargetKind.ABSOLUTE, value=D(240), tolerance_pct=D(5), polarity=Polarity.HIGHER
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(99), Rag.GREEN),
        (D(100), Rag.GREEN),  # exactly on target meets it
        (D("100.01"), Rag.AMBER),
        (D(105), Rag.AMBER),  # exactly at the tolerance edge is still Amber
        (D("105.01"), Rag.RED),
        (D(0), Rag.GREEN),
    ],
)
def test_lower_is_better(value, expected):
    assert rag(value, target_for(LOWER_5, None), LOWER_5) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(358), Rag.GREEN),  # IDVA cases 358 against 240
        (D(240), Rag.GREEN),
        (D(228), Rag.AMBER),  # 240 - 5% = 228
        (D("227.99"), Rag.RED),
    ],
)
def test_higher_is_better(value, expected):
    assert rag(value, target_for(HIGHER_5, None), HIGHER_5) == expected


def test_zero_tolerance_has_no_amber():
    spec = TargetSpec(TargetKind.ABSOLUTE, value=D(10))
    assert rag(D(10), D(10), spec) == Rag.GREEN
    assert rag(D("10.01"), D(10), spec) == Rag.RED


def test_a_zero_target_is_green_only_at_zero():
    spec = TargetSpec(TargetKind.ABSOLUTE, value=D(0), tolerance_pct=D(50))
    assert rag(D(0), D(0), spec) == Rag.GREEN
    assert rag(D(1), D(0), spec) == Rag.RED  # a percentage of zero is no room at all


def test_relative_target_moves_the_comparison():
    minus_ten = TargetSpec(TargetKind.CHANGE, change_pct=D(-10), tolerance_pct=D(5))
    assert target_for(minus_ten, D(1000)) == D(900)
    assert rag(D(900), D(900), minus_ten) == Rag.GREEN
    assert rag(D(945), D(900), minus_ten) == Rag.AMBER
    assert rag(D(946), D(900), minus_ten) == Rag.RED
    assert target_for(minus_ten, D(333)) == D("299.70")  # 2 dp, half up


def test_no_worse_than_last_year():
    same = TargetSpec(TargetKind.CHANGE, change_pct=D(0))
    assert target_for(same, D(57)) == D(57)
    assert rag(D(57), D(57), same) == Rag.GREEN
    assert rag(D(58), D(57), same) == Rag.RED


def test_not_rated_without_a_value_a_target_or_a_comparison():
    relative = TargetSpec(TargetKind.CHANGE, change_pct=D(-10))
    assert target_for(relative, None) is None
    assert rag(D(5), None, relative) is None
    assert rag(None, D(5), LOWER_5) is None
    assert target_for(TargetSpec(TargetKind.NONE), D(5)) is None


def test_direction_reads_through_polarity():
    assert direction(D(90), D(100), Polarity.LOWER) == Direction.IMPROVING
    assert direction(D(90), D(100), Polarity.HIGHER) == Direction.WORSENING
    assert direction(D(100), D(100), Polarity.LOWER) == Direction.SAME
    assert direction(D(100), None, Polarity.LOWER) is None


def test_describe_and_format():
    assert describe(HIGHER_5) == "240 or more"
    assert describe(LOWER_5) == "100 or less"
    assert describe(TargetSpec(TargetKind.CHANGE, change_pct=D(-10))) == (
        "10% below the comparison period"
    )
    assert describe(TargetSpec(TargetKind.CHANGE, change_pct=D(0))) == (
        "no higher than the comparison period"
    )
    assert format_number(D("1234.50")) == "1,234.5"
    assert format_number(D("358.00")) == "358"
    assert format_number(None) == "–"
    assert display(D("31.25"), "percentage") == "31.3%"  # to 1 place, halves up (issue 13)
