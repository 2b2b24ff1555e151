"""The pure arithmetic of an assessment: change, rates, ranks, averages.

Every rounding rule lives here so that tables, exports and reports all show the same figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, places: int) -> float:
    """Round as people do on paper (2.345 -> 2.35), not banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def change(*, current: int, previous: int | None) -> int | None:
    return None if previous is None else current - previous


def change_pct(*, current: int, previous: int | None) -> float | None:
    """Percentage change to 1 dp; None when there is nothing to compare with (previous is 0)."""
    if not previous:
        return None
    return round_half_up((current - previous) * 100 / previous, 1)


def rate_per_1000(*, count: int | None, population: int | None) -> float | None:
    """Offences per 1,000 residents to 2 dp; None without a count or a population."""
    if count is None or not population:
        return None
    return round_half_up(count * 1000 / population, 2)


def rate_change(*, rate: float | None, previous_rate: float | None) -> float | None:
    if rate is None or previous_rate is None:
        return None
    return round_half_up(rate - previous_rate, 2)


def figures(*, count: int, previous: int | None, population: int | None) -> dict:
    """The figures of one area and category. Both periods use one population (the period's
    year), so a rate change always has the same sign as the count change."""
    rate = rate_per_1000(count=count, population=population)
    previous_rate = rate_per_1000(count=previous, population=population)
    return {
        "count": count,
        "previous": previous,
        "change": change(current=count, previous=previous),
        "change_pct": change_pct(current=count, previous=previous),
        "rate": rate,
        "previous_rate": previous_rate,
        "rate_change": rate_change(rate=rate, previous_rate=previous_rate),
    }


def rank_ascending(values: Mapping[str, float | None]) -> dict[str, int]:
    """Competition rank, 1 = lowest value; ties share a rank. Areas without a value get none."""
    present = sorted(v for v in values.values() if v is not None)
    first: dict[float, int] = {}
    for position, value in enumerate(present, start=1):
        first.setdefault(value, position)
    return {key: first[v] for key, v in values.items() if v is not None}


def monthly_average(counts: Iterable[int]) -> float:
    values = list(counts)
    return sum(values) / len(values) if values else 0.0


def months_above_average(series: Mapping[str, int]) -> list[str]:
    """Months whose count is strictly above the mean of the series."""
    average = monthly_average(series.values())
    return [month for month, count in series.items() if count > average]


def rolling_mean(values: list[int], window: int) -> list[float | None]:
    """Mean of each value and the window-1 before it (1 dp); None until the window is full."""
    out: list[float | None] = []
    for i in range(len(values)):
        if i + 1 < window:
            out.append(None)
        else:
            out.append(round_half_up(sum(values[i + 1 - window : i + 1]) / window, 1))
    return out
