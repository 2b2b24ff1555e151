"""Evidence indicators against the evidence engine's own figures on the published data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saferhub.evidence import EvidenceError
from saferhub.evidence.periods import month_label
from saferhub.indicators.definitions import Frequency, PeriodRule, Unit
from saferhub.indicators.evidence_values import evidence_series

pytestmark = pytest.mark.shared_data


def _assessed(evidence, area: str, start: int, end: int, key: str) -> dict:
    result = evidence.assess(area=area, period=f"{month_label(start)}..{month_label(end)}")
    return next(c for c in result["categories"] if c["key"] == key)


@pytest.mark.parametrize(
    ("area", "category", "rule", "frequency"),
    [
        ("Westminster", "burglary", PeriodRule.ROLLING_12, Frequency.QUARTERLY),
        ("Croydon", "violence_with_injury", PeriodRule.FYTD, Frequency.MONTHLY),
        ("London", "robbery", PeriodRule.QUARTER, Frequency.QUARTERLY),
    ],
)
def test_counts_and_rates_match_the_assessment(real, area, category, rule, frequency):
    _, _, evidence, _ = real
    series = evidence_series(
        evidence, category=category, area=area, rule=rule, frequency=frequency, unit=Unit.COUNT
    )
    assert len(series) == 8
    for computed in series[-3:]:
        span = computed.period
        row = _assessed(evidence, area, span.start, span.end, category)
        assert computed.value == Decimal(row["count"])
        shift = 3 if rule == PeriodRule.QUARTER else 12
        before = _assessed(evidence, area, span.start - shift, span.end - shift, category)
        assert computed.comparison == Decimal(before["count"])
    rates = evidence_series(
        evidence, category=category, area=area, rule=rule, frequency=frequency, unit=Unit.PER_1000
    )
    last = rates[-1].period
    assert rates[-1].value == Decimal(
        str(_assessed(evidence, area, last.start, last.end, category)["rate"])
    )


def test_periods_end_on_the_frequency_and_the_latest_loaded_month(real):
    _, _, evidence, _ = real
    last = max(evidence.offence_months)
    series = evidence_series(
        evidence,
        category="burglary",
        area="Camden",
        rule=PeriodRule.ROLLING_12,
        frequency=Frequency.MONTHLY,
        unit=Unit.COUNT,
    )
    assert [c.period.end for c in series] == list(range(last - 7, last + 1))
    assert series[-1].period.label.startswith("12 months to ")


def test_unknown_category_and_area_are_named(real):
    _, _, evidence, _ = real
    with pytest.raises(EvidenceError, match="unknown category 'burglarly'"):
        evidence_series(
            evidence,
            category="burglarly",
            area="Camden",
            rule=PeriodRule.ROLLING_12,
            frequency=Frequency.MONTHLY,
            unit=Unit.COUNT,
        )
    with pytest.raises(EvidenceError, match="Atlantis"):
        evidence_series(
            evidence,
            category="burglary",
            area="Atlantis",
            rule=PeriodRule.ROLLING_12,
            frequency=Frequency.MONTHLY,
            unit=Unit.COUNT,
        )
