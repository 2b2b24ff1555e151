"""Evidence indicators: values computed from the evidence store for each reporting period.

Counts come from `Evidence.counts()`, which applies exactly the rules of the Strategic
Assessment (`Evidence.assess()`), so an indicator and the assessment never disagree about the
same area, category and months. Rates use the population of the period's middle year for both
the period and its comparison, as the assessment does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..evidence import Evidence, EvidenceError
from ..evidence.areas import resolve_area
from ..evidence.measures import rate_per_1000, round_half_up
from ..evidence.periods import Period
from .definitions import Frequency, PeriodRule, Unit
from .periods import Span, current_and_comparison, evidence_ends

HISTORY = 8  # periods kept for the sparkline and the history chart


@dataclass(frozen=True)
class Computed:
    """One period's value of an indicator, as computed (not yet stored)."""

    period: Span
    value: Decimal | None
    comparison: Decimal | None = None
    comparison_label: str = ""
    detail: dict = field(default_factory=dict)
    provisional: bool = False


def scaled(count: int | None, population: int | None, unit: Unit) -> Decimal | None:
    """A count in the indicator's unit: itself, or a rate on the given population (per 1,000
    to 2 dp as in the assessment, per 100,000 to 1 dp)."""
    if count is None:
        return None
    if unit == Unit.COUNT:
        return Decimal(count)
    if unit == Unit.PER_1000:
        rate = rate_per_1000(count=count, population=population)
    else:
        rate = round_half_up(count * 100_000 / population, 1) if population else None
    return None if rate is None else Decimal(str(rate))


def evidence_series(
    evidence: Evidence,
    *,
    category: str,
    area: str,
    rule: PeriodRule,
    frequency: Frequency,
    unit: Unit,
    count: int = HISTORY,
) -> list[Computed]:
    """The indicator's last `count` periods (oldest first) whose months and comparison
    months are all loaded. Raises EvidenceError for an unknown area or category."""
    if category not in {c.key for c in evidence.taxonomy.categories}:
        raise EvidenceError(f"unknown category {category!r}")
    if not evidence.offence_months:
        return []
    resolve_area(evidence.areas, area)  # an unknown area is an error, not an empty series
    cache: dict[tuple[int, int], tuple[int | None, list[str]]] = {}

    def counted(span: Span) -> tuple[int | None, list[str]]:
        if (span.start, span.end) not in cache:
            try:
                counts, reasons = evidence.counts(
                    area=area, period=Period(span.label, span.start, span.end)
                )
            except EvidenceError as exc:  # a gap in the loaded months
                counts, reasons = {}, [str(exc)]
            cache[(span.start, span.end)] = (counts.get(category), reasons)
        return cache[(span.start, span.end)]

    months = evidence.offence_months
    out = []
    for end in evidence_ends(max(months), min(months), rule, frequency, count):
        current, comparison = current_and_comparison(end, rule)
        value, reasons = counted(current)
        previous, _ = counted(comparison)
        year = Period(current.label, current.start, current.end).population_year
        population = evidence.population_of(area, year) if unit.per else None
        notes = [] if value is not None else reasons
        if unit.per and population is None:
            notes.append(f"no {year} population loaded for {area}: no rate")
        out.append(
            Computed(
                period=current,
                value=scaled(value, population, unit),
                comparison=scaled(previous, population, unit),
                comparison_label=comparison.label,
                detail={
                    "count": value,
                    "comparison_count": previous,
                    "population": population,
                    "population_year": year if unit.per else None,
                    "notes": notes,
                },
            )
        )
    return out


def store_vintage(evidence: Evidence) -> tuple[int, str]:
    """The latest load into the store and a sentence naming the data an evidence value was
    computed from: the months of crime data loaded and when they were last loaded."""
    latest, at = evidence.con.execute("select max(id), max(ingested_at) from ingests").fetchone()
    months = sorted(evidence.offence_months)
    if not months:
        return latest or 0, "Evidence store: no crime data loaded"
    span = f"{_month(months[0])} to {_month(months[-1])}"
    return latest or 0, f"Evidence store: crime data {span}, last loaded {at:%d %b %Y %H:%M}"


def _month(index: int) -> str:
    return Period("", index, index).title
