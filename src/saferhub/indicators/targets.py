"""Targets, RAG and direction of travel: the rules a board reads an indicator by.

RAG is never stored. It is worked out from the value, the target, the polarity and the Amber
tolerance each time it is shown, so changing a target re-rates every period at once and the
dashboard, the indicator page, the exports and the board report cannot disagree.

The rules (also in docs/user/indicators.md):
- Green: the value meets or beats the target (at or below it when lower is better, at or
  above it when higher is better).
- Amber: it misses the target by no more than the tolerance, a percentage of the target
  (a target of 100 with 5% tolerance: 100 < value <= 105 when lower is better).
- Red: it misses by more than that.
- Not rated: no value, no target, a relative target with nothing to compare with, or a
  provisional value (a youth justice cohort still in follow-up; see `status.py`).
A relative ("change") target is the comparison value moved by the change: −10% on 1,000
last year is a target of 900; 0% means "no worse than the comparison period".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..evidence.measures import round_half_up
from .definitions import Direction, Polarity, Rag, TargetKind


@dataclass(frozen=True)
class TargetSpec:
    kind: TargetKind
    value: Decimal | None = None  # the absolute target
    change_pct: Decimal | None = None  # the relative target, e.g. -10
    tolerance_pct: Decimal = Decimal(0)
    polarity: Polarity = Polarity.LOWER


def target_for(spec: TargetSpec, comparison: Decimal | None) -> Decimal | None:
    """The target that applies to one period's value, or None when there is none."""
    if spec.kind == TargetKind.ABSOLUTE:
        return spec.value
    if spec.kind == TargetKind.CHANGE and comparison is not None and spec.change_pct is not None:
        moved = comparison * (1 + spec.change_pct / 100)
        return Decimal(str(round_half_up(float(moved), 2)))
    return None


def rag(value: Decimal | None, target: Decimal | None, spec: TargetSpec) -> Rag | None:
    if value is None or target is None:
        return None
    # How far the value is on the wrong side of the target (<= 0: met or beaten).
    shortfall = value - target if spec.polarity == Polarity.LOWER else target - value
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= abs(target) * spec.tolerance_pct / 100:
        return Rag.AMBER
    return Rag.RED


def direction(
    current: Decimal | None, previous: Decimal | None, polarity: Polarity
) -> Direction | None:
    """Improving or worsening on the previous period, read through the polarity."""
    if current is None or previous is None:
        return None
    if current == previous:
        return Direction.SAME
    better = current < previous if polarity == Polarity.LOWER else current > previous
    return Direction.IMPROVING if better else Direction.WORSENING


@dataclass(frozen=True)
class DirectionWords:
    """A direction as a board reads it, in words that say better or worse (never only up
    or down) and a symbol that means the same in greyscale: ✓ better, ✗ worse, = same."""

    label: str  # "Improving"
    symbol: str  # "✓"
    meaning: str  # "better: lower than the period before"

    @property
    def text(self) -> str:
        """The whole thing in words, for exports and plain text: "Improving (better: ...)"."""
        return f"{self.label} ({self.meaning})"


def direction_words(
    value: Direction | str | None, polarity: Polarity | str
) -> DirectionWords | None:
    """The one wording of a direction for every page, export and report; None when there is
    no direction (no earlier period to compare with)."""
    if value is None or value == "":
        return None
    value, polarity = Direction(value), Polarity(polarity)
    if value is Direction.SAME:
        return DirectionWords("No change", "=", "the same as the period before")
    went_down = (value is Direction.IMPROVING) == (polarity is Polarity.LOWER)
    way = "lower" if went_down else "higher"
    if value is Direction.IMPROVING:
        return DirectionWords("Improving", "✓", f"better: {way} than the period before")
    return DirectionWords("Worsening", "✗", f"worse: {way} than the period before")


def describe(spec: TargetSpec, unit: str = "") -> str:
    """The target as a board reads it: "240 or more", "10% below the comparison period";
    an absolute target to the precision of its unit when the unit is given."""
    if spec.kind == TargetKind.ABSOLUTE and spec.value is not None:
        side = "or less" if spec.polarity == Polarity.LOWER else "or more"
        shown = display(spec.value, unit) if unit else format_number(spec.value)
        return f"{shown} {side}"
    if spec.kind == TargetKind.CHANGE and spec.change_pct is not None:
        pct = spec.change_pct
        if pct == 0:
            word = "no higher" if spec.polarity == Polarity.LOWER else "no lower"
            return f"{word} than the comparison period"
        way = "below" if pct < 0 else "above"
        return f"{format_number(abs(pct))}% {way} the comparison period"
    return "No target"


def format_number(value: Decimal | float | int | None) -> str:
    """Thousands separated, trailing zeros dropped: 1234.50 -> "1,234.5"; None -> "–"."""
    if value is None:
        return "–"
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    places = -number.as_tuple().exponent
    return f"{number:,.{places}f}"


# Decimal places a value of each unit is shown to; its target is shown to the same.
PLACES = {"count": 0, "per_1000": 2, "per_100000": 1, "percentage": 1}


def display(value: Decimal | float | int | None, unit: str) -> str:
    """A value to the precision of its unit, as every page, export and report prints it:
    counts whole with thousands separators ("1,235"), rates per 1,000 to 2 places ("5.68"),
    per 100,000 to 1 ("112.5"), percentages to 1 with a % sign ("71.9%"). Halves round up.
    An unknown unit keeps the figure as given ("1,234.5"); None is "–"."""
    if value is None:
        return "–"
    places = PLACES.get(str(unit))
    if places is None:
        return format_number(value)
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # never "-0.0"
    text = f"{number:,.{places}f}"
    return f"{text}%" if unit == "percentage" else text


def value_problem(value: Decimal, unit: str) -> str | None:
    """Why a value cannot be a figure in this unit, or None. Counts are whole and never
    negative, rates are never negative, and a percentage lies between 0 and 100: anything
    else is a typing error that would otherwise be rated as if it were real."""
    if unit == "percentage" and not Decimal(0) <= value <= Decimal(100):
        return f"A percentage must be between 0 and 100; {format_number(value)} was entered."
    if value < 0:
        kind = "count" if unit == "count" else "rate"
        return f"A {kind} cannot be negative; {format_number(value)} was entered."
    if unit == "count" and value != value.to_integral_value():
        return f"A count is a whole number; {format_number(value)} was entered."
    return None
