"""Quarters as boards read them: three-month blocks, named in financial years (April–March)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Quarter:
    starts: date
    ends: date

    @property
    def label(self) -> str:
        """ "Q3 2026/27 (October to December 2026)": financial quarter, then the months."""
        fy = self.starts.year if self.starts.month >= 4 else self.starts.year - 1
        number = ((self.starts.month - 4) % 12) // 3 + 1
        months = f"{self.starts:%B} to {self.ends:%B %Y}"
        return f"Q{number} {fy}/{str(fy + 1)[-2:]} ({months})"


def quarter_of(day: date) -> Quarter:
    first_month = (day.month - 1) // 3 * 3 + 1
    starts = date(day.year, first_month, 1)
    following = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return Quarter(starts=starts, ends=following - timedelta(days=1))
