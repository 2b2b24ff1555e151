"""How figures are written in reports: one place, shared by HTML and Word."""

from __future__ import annotations


def num(value: int | float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def signed(value: int | None) -> str:
    return "–" if value is None else f"{value:+,}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}%"


def rate(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def signed_rate(value: float | None) -> str:
    return "–" if value is None else f"{value:+,.2f}"


def rank(value: int | None, of: int) -> str:
    return "–" if value is None else f"{value} of {of}"


FILTERS = {
    "num": num,
    "signed": signed,
    "pct": pct,
    "rate": rate,
    "signed_rate": signed_rate,
    "rank": rank,
}
