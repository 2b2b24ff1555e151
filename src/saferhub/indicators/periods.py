"""The periods an indicator is reported in, and what each is compared with.

Partnerships report in financial years (April to March): Q1 is April to June. Months are the
evidence store's month indexes (`evidence.periods.month_index`), so the arithmetic is exact.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from ..evidence.periods import month_index
from .definitions import Frequency, PeriodRule

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _words(index: int) -> str:
    return f"{MONTHS[index % 12]} {index // 12}"


def fy_start(index: int) -> int:
    """The April that starts the financial year holding month `index`."""
    year, month = divmod(index, 12)
    return month_index(year if month >= 3 else year - 1, 4)


def fy_label(index: int) -> str:
    start = fy_start(index) // 12
    return f"{start}/{str(start + 1)[-2:]}"


@dataclass(frozen=True)
class Span:
    """An inclusive run of whole months with the label a board reads."""

    label: str
    start: int
    end: int

    @property
    def start_date(self) -> date:
        return date(self.start // 12, self.start % 12 + 1, 1)

    @property
    def end_date(self) -> date:
        year, month = self.end // 12, self.end % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def shifted(self, months: int) -> Span:
        return period_span(self.start + months, self.end + months)


def period_span(start: int, end: int) -> Span:
    """A span labelled the way it is usually named: a month, a financial quarter or year,
    twelve months to a month, or a financial year to date."""
    length = end - start + 1
    if length == 1:
        return Span(_words(end), start, end)
    if length == 3 and start % 3 == 0:
        quarter = (start - fy_start(start)) // 3 + 1
        return Span(f"{fy_label(start)} Q{quarter}", start, end)
    if length == 12 and start == fy_start(start):
        return Span(fy_label(start), start, end)
    if start == fy_start(end):
        return Span(f"{fy_label(start)} to {_words(end)}", start, end)
    if length == 12:
        return Span(f"12 months to {_words(end)}", start, end)
    return Span(f"{_words(start)} to {_words(end)}", start, end)


def ends_period(index: int, frequency: Frequency) -> bool:
    """Whether month `index` closes a period of this frequency (quarters end Jun, Sep, Dec,
    Mar; years end in March)."""
    if frequency == Frequency.MONTHLY:
        return True
    if frequency == Frequency.QUARTERLY:
        return index % 3 == 2
    return index % 12 == 2


def period_ending(index: int, frequency: Frequency) -> Span:
    """The month, financial quarter or financial year that ends with month `index`."""
    length = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}[frequency]
    return period_span(index - length + 1, index)


def recent_periods(last: int, frequency: Frequency, count: int) -> list[Span]:
    """The `count` most recent whole periods of this frequency ending on or before `last`,
    oldest first."""
    ends: list[int] = []
    index = last
    while len(ends) < count:
        if ends_period(index, frequency):
            ends.append(index)
        index -= 1
    return [period_ending(end, frequency) for end in reversed(ends)]


def current_and_comparison(end: int, rule: PeriodRule) -> tuple[Span, Span]:
    """An evidence indicator's period ending in month `end` and the period it is compared
    with, by its period rule."""
    if rule == PeriodRule.ROLLING_12:
        current = period_span(end - 11, end)
        return current, current.shifted(-12)
    if rule == PeriodRule.FYTD:
        current = period_span(fy_start(end), end)
        return current, current.shifted(-12)
    current = period_span(end - 2, end)
    return current, current.shifted(-3)


def evidence_ends(last: int, first: int, rule: PeriodRule, frequency: Frequency, count: int):
    """The last `count` month indexes (oldest first) at which an evidence indicator is
    reported, given the loaded months `first..last`: each must have its period and its
    comparison period wholly loaded."""
    step = Frequency.QUARTERLY if rule == PeriodRule.QUARTER else frequency
    ends: list[int] = []
    index = last
    while len(ends) < count and index >= first:
        if ends_period(index, step):
            _, comparison = current_and_comparison(index, rule)
            if comparison.start >= first:
                ends.append(index)
        index -= 1
    return list(reversed(ends))


def entry_periods(frequency: Frequency, *, today: date, count: int) -> list[Span]:
    """The periods a value may be entered for, in the order a form offers them: the last
    whole period first (what a lead is usually reporting), then older ones, and last the
    period still in progress, whose value can only be provisional."""
    this_month = month_index(today.year, today.month)
    end = this_month
    while not ends_period(end, frequency):
        end += 1
    whole = recent_periods(this_month - 1, frequency, count)
    return [*reversed(whole), period_ending(end, frequency)]
