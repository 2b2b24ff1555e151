"""Dates as people write them in delivery plans, and review points read out of their cells.

A review-point cell holds what a coordinator typed: "March 2019 / CONTINUE 2019/20",
"Ongoing", "Q3 2019/20", "31/03/2020", "COMPLETE". The text is kept exactly; the point in time,
the year-end disposition and the year an action is carried to are read out of it, so the health
check and the board can reason about dates without losing what was written.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .draft import Disposition, ReviewKind, ReviewPoint

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
MONTHS = _MONTHS  # month names and abbreviations, lower case, to their numbers
MONTH_NAMES = _MONTH  # a regex alternation of them
_YEAR = r"(?:\d{4}|\d{2})"

# One date as written; alternatives are tried in this order at each position.
DATE_RE = re.compile(
    rf"""
    (?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b)
    | (?P<numeric>\b(?P<nd>\d{{1,2}})[/.](?P<nm>\d{{1,2}})[/.](?P<ny>{_YEAR})\b)
    | (?P<quarter>\bQ(?P<q>[1-4])\s*(?P<qa>{_YEAR})\s*[/-]\s*(?P<qb>{_YEAR})\b)
    | (?P<dmy>\b(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?
        (?P<dm>{_MONTH})\.?,?\s+(?P<dy>\d{{4}})\b)
    | (?P<my>\b(?P<mm>{_MONTH})\.?,?\s+(?P<my_y>\d{{4}})\b)
    | (?P<yearend>\bend\s+of\s+(?P<ya>\d{{4}})(?:\s*[/-]\s*(?P<yb>{_YEAR}))?\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A month with no year ("by March") is read only with a year hint, and only capitalised.
_BARE_MONTH_RE = re.compile(rf"\b(?P<month>{_MONTH})\b(?!\.?,?\s+\d)", re.IGNORECASE)
_DISPOSITION_RE = re.compile(r"\b(continue[ds]?|complete[d]?|remove[d]?)\b", re.IGNORECASE)
_CARRIED_RE = re.compile(
    r"\bcontinued?\s*(?:into|to|in|for)?\s*(?P<a>\d{4})\s*[/-]\s*(?P<b>\d{2}|\d{4})\b",
    re.IGNORECASE,
)
_KIND_WORDS = (
    (re.compile(r"\bon-?going\b", re.IGNORECASE), ReviewKind.ONGOING),
    (re.compile(r"\bquarterly\b", re.IGNORECASE), ReviewKind.QUARTERLY),
    (re.compile(r"\b(annually|annual|yearly)\b", re.IGNORECASE), ReviewKind.ANNUALLY),
)
_FILLER_RE = re.compile(r"[\s/,;:.()–—-]+")


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def date_of(match: re.Match) -> tuple[date, ReviewKind] | None:
    """The day a DATE_RE match means, and whether it named a day or a month; None if invalid."""
    try:
        if match["iso"]:  # "2019-03-31", as spreadsheets and databases write a day
            return date(int(match["iy"]), int(match["im"]), int(match["id"])), ReviewKind.DATE
        if match["numeric"]:
            return date(_year(match["ny"]), int(match["nm"]), int(match["nd"])), ReviewKind.DATE
        if match["dmy"]:
            month = _MONTHS[match["dm"].lower()]
            return date(int(match["dy"]), month, int(match["dd"])), ReviewKind.DATE
        if match["my"]:
            return month_end(int(match["my_y"]), _MONTHS[match["mm"].lower()]), ReviewKind.MONTH
        if match["quarter"]:
            # Financial quarters: Q1 April-June ... Q4 January-March of the following year.
            first, number = _year(match["qa"]), int(match["q"])
            last_month = 3 * number + 3 if number < 4 else 3
            year = first if number < 4 else first + 1
            return month_end(year, last_month), ReviewKind.MONTH
        if match["yb"]:  # "end of 2019/20": the end of that financial year
            return month_end(int(match["ya"]) + 1, 3), ReviewKind.MONTH
        return month_end(int(match["ya"]), 12), ReviewKind.MONTH
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[re.Match, date, ReviewKind]]:
    """Every valid date in `text`, in order; invalid ones such as 31/02/2019 are skipped."""
    found = []
    for match in DATE_RE.finditer(text):
        read = date_of(match)
        if read is not None:
            found.append((match, *read))
    return found


def leading_date(text: str) -> tuple[date, int] | None:
    """A date at the very start of `text` (a month counts as its first day), and where it ends.

    Used for updates, which are dated when they were written, so "January 2019" is 1 January.
    """
    match = DATE_RE.match(text)
    read = date_of(match) if match else None
    if read is None:
        return None
    day, kind = read
    if match["quarter"] or match["yearend"]:
        return None
    return (day.replace(day=1) if kind == ReviewKind.MONTH else day), match.end()


def format_day(day: date) -> str:
    """A day as the importer reads it back: "12 March 2019" (the year in four figures)."""
    return f"{day.day} {day:%B} {day.year:04d}"


def _bare_month(text: str, year_hint: int) -> date | None:
    for match in reversed(list(_BARE_MONTH_RE.finditer(text))):
        if match["month"][0].isupper():
            month = _MONTHS[match["month"].lower()]
            # The hint is a plan's first year: April-December fall in it, January-March after.
            return month_end(year_hint if month >= 4 else year_hint + 1, month)
    return None


def parse_review_point(text: str, *, today_year_hint: int | None = None) -> ReviewPoint:
    """Read a review-point or deadline cell; the text is kept as entered (stripped).

    When several dates are written ("September 2018 ... January 2019") the last is the point:
    cells are extended rather than rewritten as a plan rolls on. A month with no year ("by
    March") is read only when `today_year_hint` (the plan's first year) is given.
    """
    text = text.strip()
    point = ReviewPoint(text=text)
    if not text:
        return point
    words = list(_DISPOSITION_RE.finditer(text))
    if words:
        point.disposition = _disposition(words[-1][1])
    carried = _CARRIED_RE.search(text)
    if carried and point.disposition == Disposition.CONTINUE:
        point.carried_to = f"{carried['a']}/{_year(carried['b']) % 100:02d}"
    dates = find_dates(text)
    if dates:
        point.due, point.kind = dates[-1][1], dates[-1][2]
        return point
    for pattern, kind in _KIND_WORDS:
        if pattern.search(text):
            point.kind = kind
            return point
    if today_year_hint is not None and (due := _bare_month(text, today_year_hint)):
        point.kind, point.due = ReviewKind.MONTH, due
        return point
    rest = _CARRIED_RE.sub(" ", text)
    rest = _FILLER_RE.sub("", _DISPOSITION_RE.sub(" ", rest))
    # A cell holding only a disposition ("COMPLETE") names no point in time at all.
    point.kind = ReviewKind.NONE if words and not rest else ReviewKind.UNKNOWN
    return point


def _disposition(word: str) -> Disposition:
    word = word.lower()
    if word.startswith("continue"):
        return Disposition.CONTINUE
    if word.startswith("complete"):
        return Disposition.COMPLETE
    return Disposition.REMOVE


def format_review_point(point: ReviewPoint) -> str:
    """The cell text: as entered when there is one, else a text that reads back the same."""
    if point.text:
        return point.text
    when = {
        ReviewKind.DATE: lambda: f"{point.due:%d/%m/%Y}",
        ReviewKind.MONTH: lambda: f"{point.due:%B %Y}",
        ReviewKind.ONGOING: lambda: "Ongoing",
        ReviewKind.QUARTERLY: lambda: "Quarterly",
        ReviewKind.ANNUALLY: lambda: "Annually",
        ReviewKind.UNKNOWN: lambda: "Unknown",
        ReviewKind.NONE: lambda: "",
    }[point.kind]()
    if point.kind in (ReviewKind.DATE, ReviewKind.MONTH) and point.due is None:
        when = "Unknown"
    parts = [when] if when else []
    if point.disposition is not None:
        word = point.disposition.value.upper()
        parts.append(f"{word} {point.carried_to}".strip())
    return " / ".join(parts)
