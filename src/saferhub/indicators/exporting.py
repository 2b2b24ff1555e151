"""Indicators to CSV and XLSX: the dashboard (every indicator's latest value) and one
indicator's history, with the same figures, targets and RAG the pages show (from
`status.py`). Text cells are formula-safe, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from openpyxl.styles import Font

from ..cells import csv_safe, without_controls
from ..plans.exporting import _text_cell
from .definitions import Frequency, Polarity, Source, Unit
from .status import Point, Status
from .targets import PLACES, direction_words

DASHBOARD_COLUMNS = [
    "Code",
    "Indicator",
    "Owner",
    "Source",
    "Unit",
    "Polarity",
    "Frequency",
    "Period",
    "Value",
    "Target",
    "RAG",
    "Direction",
    "Provisional",
    "Data vintage",
]
HISTORY_COLUMNS = [
    "Period",
    "Starts",
    "Ends",
    "Value",
    "Comparison period",
    "Comparison value",
    "Target",
    "RAG",
    "Provisional",
    "Data vintage",
    "Entered by",
    "Entered at",
    "Note",
]


def _number(value: Decimal | None, unit: str | None = None) -> float | int | None:
    """A number stays a number; with its unit, rounded to the places the pages show
    (`targets.display`), so a spreadsheet and the dashboard agree."""
    if value is None:
        return None
    places = PLACES.get(str(unit)) if unit else None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def _direction(status: Status) -> str:
    """The direction in words, as the pages word it: "Improving (better: ...)"."""
    words = direction_words(status.direction, status.indicator.polarity)
    return words.text if words else ""


def dashboard_rows(statuses: list[Status]) -> list[list]:
    rows = []
    for status in statuses:
        i, latest = status.indicator, status.latest
        rows.append(
            [
                i.code,
                i.name,
                i.owner.name,
                Source(i.source).label,
                Unit(i.unit).label,
                Polarity(i.polarity).label,
                Frequency(i.frequency).label,
                latest.period if latest else "",
                _number(latest.value, i.unit) if latest else None,
                _number(latest.target, i.unit) if latest else None,
                (latest.rag or "Not rated") if latest else "Not rated",
                _direction(status),
                "yes" if latest and latest.provisional else "",
                latest.vintage if latest else "",
            ]
        )
    return rows


def history_rows(points: list[Point], unit: str | None = None) -> list[list]:
    """One row a period; with the indicator's unit, figures to the places the pages show."""
    return [
        [
            p.period,
            p.period_start.isoformat(),
            p.period_end.isoformat(),
            _number(p.value, unit),
            p.comparison_period,
            _number(p.comparison, unit),
            _number(p.target, unit),
            p.rag or "Not rated",
            "yes" if p.provisional else "",
            p.vintage,
            p.entered_by,
            f"{p.entered_at:%Y-%m-%d %H:%M}",
            p.note,
        ]
        for p in points
    ]


def to_csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            ["" if c is None else csv_safe(c) if isinstance(c, str) else c for c in row]
        )
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for column, name in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = max(
            12, min(60, len(name) + 4)
        )
    for r, row in enumerate(rows, start=2):
        for column, cell in enumerate(row, start=1):
            if isinstance(cell, str):
                # Stored text from before input was cleaned must not break the export.
                _text_cell(sheet, r, column, without_controls(cell))
            else:
                sheet.cell(row=r, column=column, value=cell)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(fmt: str, title: str, header: list[str], rows: list[list]) -> bytes:
    """The table as a file of the format `fmt` (a key of CONTENT_TYPES)."""
    return to_csv(header, rows) if fmt == "csv" else to_xlsx(title, header, rows)
