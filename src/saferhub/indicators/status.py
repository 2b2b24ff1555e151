"""An indicator's values read as a board reads them: target, RAG and direction per period.

The one place RAG and direction are worked out for display. The dashboard, the indicator
page, the exports and the board report all take their rows from `status_of`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .definitions import Direction, Polarity, Rag
from .targets import direction, rag, target_for


@dataclass(frozen=True)
class Point:
    period: str
    period_start: date
    period_end: date
    value: Decimal | None
    comparison: Decimal | None
    comparison_period: str
    target: Decimal | None
    rag: Rag | None
    provisional: bool
    vintage: str
    entered_by: str
    entered_at: object  # a datetime
    note: str
    detail: dict


@dataclass(frozen=True)
class Status:
    indicator: object  # models.Indicator
    points: list[Point]  # oldest first

    @property
    def final(self) -> list[Point]:
        """The points a board is told: provisional ones only while there is nothing final,
        since a cohort still in follow-up looks better than it will be."""
        final = [p for p in self.points if not p.provisional]
        return final or self.points

    @property
    def latest(self) -> Point | None:
        return self.final[-1] if self.final else None

    @property
    def previous(self) -> Point | None:
        return self.final[-2] if len(self.final) > 1 else None

    @property
    def direction(self) -> Direction | None:
        latest, previous = self.latest, self.previous
        if latest is None or previous is None:
            return None
        return direction(latest.value, previous.value, Polarity(self.indicator.polarity))

    def sparkline(self, count: int = 8) -> list[Decimal | None]:
        return [p.value for p in self.final[-count:]]


def point_of(indicator, value) -> Point:
    spec = indicator.target_spec
    target = target_for(spec, value.comparison)
    return Point(
        period=value.period,
        period_start=value.period_start,
        period_end=value.period_end,
        value=value.value,
        comparison=value.comparison,
        comparison_period=value.comparison_period,
        target=target,
        rag=None if value.provisional else rag(value.value, target, spec),
        provisional=value.provisional,
        vintage=value.vintage,
        entered_by=value.entered_by.full_name if value.entered_by_id else "",
        entered_at=value.entered_at,
        note=value.note,
        detail=value.detail,
    )


def status_of(indicator, values, *, as_at: date | None = None) -> Status:
    """The indicator's status from its values (any order); with `as_at`, as it stood that
    day: periods ending later, and values entered later, are left out."""
    chosen = sorted(values, key=lambda v: v.period_end)
    if as_at is not None:
        chosen = [v for v in chosen if v.period_end <= as_at and v.entered_at.date() <= as_at]
    return Status(indicator, [point_of(indicator, v) for v in chosen])


# The columns `point_of` reads, in the order `_Row` takes them; `entered_by` as the name.
_ROW_FIELDS = (
    "indicator_id",
    "period",
    "period_start",
    "period_end",
    "value",
    "comparison",
    "comparison_period",
    "provisional",
    "vintage",
    "entered_by_id",
    "entered_by__full_name",
    "entered_at",
    "note",
    "detail_text",
)


@dataclass(frozen=True, slots=True)
class _Row:
    """One stored value as plain data, with the attributes `point_of` reads from a
    models.Value: a dashboard reads hundreds of values, and building a model instance (and
    its user's) for each cost more than the rest of the page."""

    indicator_id: int
    period: str
    period_start: date
    period_end: date
    value: Decimal | None
    comparison: Decimal | None
    comparison_period: str
    provisional: bool
    vintage: str
    entered_by_id: int | None
    entered_by_name: str | None
    entered_at: object
    note: str
    detail_text: str | None

    @property
    def entered_by(self):
        return _Named(self.entered_by_name or "")

    @property
    def detail(self) -> Mapping:
        return _Detail(self.detail_text)


@dataclass(frozen=True, slots=True)
class _Named:
    full_name: str


class _Detail(Mapping):
    """A value's `detail` (how an evidence value was computed, its breakdowns), read from its
    JSON text only when something looks at it: the dashboard and the board report never do,
    and decoding every value's detail was most of the cost of reading the values."""

    __slots__ = ("_text", "_value")

    def __init__(self, text: str | None) -> None:
        self._text = text
        self._value: dict | None = None

    def _loaded(self) -> dict:
        if self._value is None:
            found = json.loads(self._text) if self._text else {}
            self._value = found if isinstance(found, dict) else {}
        return self._value

    def __getitem__(self, key):
        return self._loaded()[key]

    def __iter__(self) -> Iterator:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __repr__(self) -> str:
        return repr(self._loaded())


def statuses(indicators, *, as_at: date | None = None) -> list[Status]:
    """Statuses for many indicators with their values fetched in one query, as plain rows."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from .models import Value

    by_indicator: dict[int, list] = {}
    found = (
        Value.objects.filter(indicator__in=indicators)
        .annotate(detail_text=Cast("detail", TextField()))
        .values_list(*_ROW_FIELDS)
    )
    for fields in found:
        row = _Row(*fields)
        by_indicator.setdefault(row.indicator_id, []).append(row)
    return [status_of(i, by_indicator.get(i.pk, []), as_at=as_at) for i in indicators]


def active_statuses(*, as_at: date | None = None) -> list[Status]:
    """Every active indicator's status: the dashboard's rows and the board report's."""
    from .models import Indicator

    return statuses(
        list(Indicator.objects.filter(active=True).select_related("owner")), as_at=as_at
    )
