"""Reporting periods: calendar and financial years, rolling twelve months, quarters, ranges.

Months are plain `(year, month)` pairs counted as an integer index so that arithmetic on
periods (the previous period, the middle month) is exact and needs no calendar library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import EvidenceError

PERIOD_HELP = (
    "a calendar year (2018), a financial year (2018/19), rolling 12 months ending in a month "
    "(12m:2019-03), a calendar quarter (2018Q3), a month (2018-07) or a month range "
    "(2018-01..2018-06)"
)


def month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_words(index: int) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[index % 12]} {index // 12}"


def parse_month(text: str) -> int:
    match = re.fullmatch(r"(\d{4})-?(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise EvidenceError(f"not a month: {text!r} (expected YYYY-MM)")
    return month_index(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Period:
    """An inclusive run of whole months, with the label the user gave it."""

    label: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    @property
    def start_label(self) -> str:
        return month_label(self.start)

    @property
    def end_label(self) -> str:
        return month_label(self.end)

    @property
    def title(self) -> str:
        """The period as a heading reads it: '2018', '2018/19', '12 months to Mar 2019'."""
        if re.fullmatch(r"\d{4}(/\d{2,4})?|\d{4}Q[1-4]", self.label):
            return self.label
        if self.length == 1:
            return _month_words(self.start)
        if self.label.lower().startswith("12m:"):
            return f"12 months to {_month_words(self.end)}"
        return f"{_month_words(self.start)} to {_month_words(self.end)}"

    def months(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    def previous(self) -> Period:
        """The period of the same length that ends the month before this one starts."""
        start = self.start - self.length
        return Period(
            label=f"{month_label(start)}..{month_label(self.start - 1)}",
            start=start,
            end=self.start - 1,
        )

    @property
    def population_year(self) -> int:
        """The year of the period's middle month: the year whose population a rate uses."""
        return (self.start + (self.length - 1) // 2) // 12


def parse_period(text: str) -> Period:
    raw = text.strip()
    if match := re.fullmatch(r"(\d{4})", raw):
        year = int(match.group(1))
        return Period(raw, month_index(year, 1), month_index(year, 12))
    if match := re.fullmatch(r"(\d{4})/(\d{2}|\d{4})", raw):
        year = int(match.group(1))
        following = int(match.group(2))
        if following % 100 != (year + 1) % 100:
            raise EvidenceError(f"not a financial year: {raw!r} (expected e.g. 2018/19)")
        return Period(raw, month_index(year, 4), month_index(year + 1, 3))
    if match := re.fullmatch(r"12m:(\d{4}-\d{2})", raw, flags=re.IGNORECASE):
        end = parse_month(match.group(1))
        return Period(raw, end - 11, end)
    if match := re.fullmatch(r"(\d{4})[Qq]([1-4])", raw):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = month_index(year, 3 * quarter - 2)
        return Period(raw, start, start + 2)
    if re.fullmatch(r"\d{4}-\d{2}", raw):
        month = parse_month(raw)
        return Period(raw, month, month)
    if match := re.fullmatch(r"(\d{4}-\d{2})\.\.(\d{4}-\d{2})", raw):
        start, end = parse_month(match.group(1)), parse_month(match.group(2))
        if end < start:
            raise EvidenceError(f"period {raw!r} ends before it starts")
        return Period(raw, start, end)
    raise EvidenceError(f"not a period: {raw!r}; use {PERIOD_HELP}")
