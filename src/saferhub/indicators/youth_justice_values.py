"""Youth justice indicators: each measure of `youth_justice.py` per reporting period, with
the 10–17 populations its rates use.

Periods are whole months up to the extract's date; the period holding that date is left out
until it ends. Rates use the 10–17 population of the period's middle year, as evidence rates
use the all-ages population.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..evidence.periods import Period, month_index
from . import youth_justice as yj
from .definitions import Frequency
from .evidence_values import HISTORY, Computed
from .models import YouthJusticeMeasure as M
from .periods import recent_periods

YOUTH_AGE_BANDS = ("10-17", "10–17", "10 to 17", "10_17")


def populations_10_17(con, area: str) -> dict[int, int]:
    """The 10–17 populations the evidence store holds for an area (name or GSS code), by
    year; loaded like any population file with an age_band column of 10-17."""
    if not area.strip():
        return {}
    rows = con.execute(
        """select year, sum(population) from population
           where (upper(area_code) = upper(?) or lower(area_name) = lower(?))
             and list_contains(?, age_band)
           group by year""",
        [area.strip(), area.strip(), list(YOUTH_AGE_BANDS)],
    ).fetchall()
    return {int(year): int(population) for year, population in rows}


def _decimal(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def youth_justice_series(
    extract: yj.Extract,
    measure: str,
    frequency: Frequency,
    *,
    as_at: date,
    populations: dict[int, int],
    count: int = HISTORY,
    memo: dict | None = None,
) -> list[Computed]:
    """The measure for the last `count` whole periods before `as_at`, oldest first; each
    value compared with the same period a year earlier. Pass one `memo` for all the
    indicators of an import: a count and its rate, or the three reoffending figures, then
    share one computation per period."""
    memo = {} if memo is None else memo
    last = month_index(as_at.year, as_at.month) - 1
    spans = recent_periods(last, frequency, count + (12 // _months(frequency)))
    values = {span.end: _one(extract, measure, span, as_at, populations, memo) for span in spans}
    out = []
    for span in spans[-count:]:
        value, detail, provisional = values[span.end]
        year_before = values.get(span.end - 12)
        out.append(
            Computed(
                period=span,
                value=value,
                comparison=year_before[0] if year_before else None,
                comparison_label=span.shifted(-12).label if year_before else "",
                detail=detail,
                provisional=provisional,
            )
        )
    return out


def _months(frequency: Frequency) -> int:
    return {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}[frequency]


def _one(extract, measure: str, span, as_at: date, populations: dict[int, int], memo: dict):
    """(value, detail, provisional) of one measure in one period."""
    start, end = span.start_date, span.end_date

    def measured(function, *extra):
        key = (function.__name__, start, end)
        if key not in memo:
            memo[key] = function(extract, start, end, *extra)
        return memo[key]

    year = Period(span.label, span.start, span.end).population_year
    population = populations.get(year)
    notes: list[str] = []
    if measure in (M.FTE_COUNT, M.FTE_RATE):
        result = measured(yj.first_time_entrants)
        value = (
            result.count if measure == M.FTE_COUNT else yj.rate(result.count, population, 100_000)
        )
    elif measure in (M.CUSTODY_COUNT, M.CUSTODY_RATE):
        result = measured(yj.custody)
        value = (
            result.count if measure == M.CUSTODY_COUNT else yj.rate(result.count, population, 1000)
        )
    elif measure == M.TRIAGE_TO_FTE:
        result = measured(yj.triage_to_fte, as_at)
        value = result.value
    else:
        result = measured(yj.reoffending, as_at)
        value = {
            M.REOFFENDING_RATE: result.binary_rate,
            M.REOFFENCES_PER_REOFFENDER: result.per_reoffender,
            M.REOFFENCES_PER_MEMBER: result.per_member,
        }[measure]
    if measure in (M.FTE_RATE, M.CUSTODY_RATE) and population is None:
        notes.append(f"no 10–17 population for {year}: no rate")
    detail = {**result.as_dict(), "population_10_17": population, "notes": notes}
    return _decimal(value), detail, bool(getattr(result, "provisional", False))
