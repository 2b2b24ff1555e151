"""Reporting periods in financial years, and evidence periods with their comparisons."""

from __future__ import annotations

from datetime import date

from saferhub.evidence.periods import month_index
from saferhub.indicators.definitions import Frequency, PeriodRule
from saferhub.indicators.periods import (
    current_and_comparison,
    evidence_ends,
    period_span,
    recent_periods,
)


def m(year: int, month: int) -> int:
    return month_index(year, month)


def test_labels():
    assert period_span(m(2026, 4), m(2026, 6)).label == "2026/27 Q1"
    assert period_span(m(2027, 1), m(2027, 3)).label == "2026/27 Q4"
    assert period_span(m(2026, 4), m(2027, 3)).label == "2026/27"
    assert period_span(m(2026, 4), m(2026, 9)).label == "2026/27 to Sep 2026"
    assert period_span(m(2025, 10), m(2026, 9)).label == "12 months to Sep 2026"
    assert period_span(m(2026, 2), m(2026, 2)).label == "Feb 2026"
    span = period_span(m(2024, 1), m(2024, 3))
    assert (span.start_date, span.end_date) == (date(2024, 1, 1), date(2024, 3, 31))
    assert period_span(m(2024, 2), m(2024, 2)).end_date == date(2024, 2, 29)


def test_recent_quarters_and_years_are_whole():
    quarters = recent_periods(m(2026, 11), Frequency.QUARTERLY, 3)
    assert [q.label for q in quarters] == ["2025/26 Q4", "2026/27 Q1", "2026/27 Q2"]
    years = recent_periods(m(2026, 11), Frequency.ANNUAL, 2)
    assert [y.label for y in years] == ["2024/25", "2025/26"]


def test_rules_compare_like_with_like():
    current, comparison = current_and_comparison(m(2026, 9), PeriodRule.FYTD)
    assert (current.label, comparison.label) == ("2026/27 to Sep 2026", "2025/26 to Sep 2025")
    current, comparison = current_and_comparison(m(2026, 9), PeriodRule.QUARTER)
    assert (current.label, comparison.label) == ("2026/27 Q2", "2026/27 Q1")
    current, comparison = current_and_comparison(m(2026, 3), PeriodRule.ROLLING_12)
    assert (current.label, comparison.label) == ("2025/26", "2024/25")


def test_evidence_periods_need_their_comparison_loaded():
    # Loaded Jan 2024 to Feb 2026: rolling 12 needs 24 months, so the first is Dec 2025.
    ends = evidence_ends(m(2026, 2), m(2024, 1), PeriodRule.ROLLING_12, Frequency.MONTHLY, 8)
    assert ends == [m(2025, 12), m(2026, 1), m(2026, 2)]
    quarterly = evidence_ends(m(2026, 2), m(2023, 1), PeriodRule.QUARTER, Frequency.MONTHLY, 2)
    assert quarterly == [m(2025, 9), m(2025, 12)]  # quarter rule: quarter ends only
