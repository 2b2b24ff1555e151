"""Write a `draft.Plan` as Word, Excel or CSV in the layout partnerships already use.

Word and Excel follow the real delivery plan: title, plan period, RAG definitions, a capitals
heading per group, and per objective a table whose first row is the objective's heading, then
the header row, then one row per action with the measure cell merged down over its actions.
CSV is flat: one row per action naming its objective. `importing.read_plan` reads all three
back to the same plan; the written forms below are chosen so that it can:

- an update is "12 March 2019 Green (Jo Bloggs): text" (RAG and author left out when empty,
  "Undated" in place of the date for undated text, except plain undated text opening the cell,
  which is written as found);
- the review cell is the review point as entered (or, with no text, `format_review_point` of
  its time alone); a disposition that cell does not give is written in a Disposition column
  ("Continue 2020/21"), added to the table only when needed. Reading it back, the column
  fills the review point's disposition when the cell names none;
- an action not under a measure, after one that is, has "–" in the measure cell; a measure
  with no action has a row of its own; measures first appear in their order in the plan;
- leads are one a line, "Person (Agency)", "Person" or "Agency" ("(Agency)" when a bare name
  would read back differently);
- "NEW ACTION: " starts the action text when that is its first tag; other tags, the plan year
  and measure indicators get columns of their own when any action has them;
- columns of the imported file the plan had no place for (an action's `extra`, "Comments")
  are written after the others under their own headers, which the importer keeps again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from datetime import date
from enum import Enum

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..cells import csv_safe, without_controls
from . import draft
from .importing import parse_leads, parse_updates
from .review import format_day, format_review_point, parse_review_point

LABELS: dict[str, str] = {
    "group": "Group",
    "objective": "Objective",
    "objective_title": "Objective title",
    "aim": "Aim",
    "measure": "Measures & targets",
    "indicator": "Indicator",
    "action": "Action",
    "review": "Review point",
    "disposition": "Disposition",
    "lead": "Lead",
    "partners": "Partners",
    "tags": "Tags",
    "plan_year": "Plan year",
    "update": "Update/Progress",
    "rag": "RAG",
}
FLAT_COLUMNS = list(LABELS)
# Relative widths of the table columns (Word in millimetres, Excel in characters / 2).
WIDTHS = {
    "measure": 40,
    "indicator": 26,
    "action": 55,
    "review": 26,
    "disposition": 24,
    "lead": 32,
    "partners": 28,
    "tags": 18,
    "plan_year": 20,
    "update": 70,
    "rag": 18,
}
RAG_FILLS = {draft.Rag.RED: "F4A7A7", draft.Rag.AMBER: "FFD27F", draft.Rag.GREEN: "A9D18E"}
HEADER_FILL = "D9E2F3"
NO_MEASURE_MARK = "–"
EXTRA = "extra:"  # the column key of an imported column kept as is: "extra:Comments"
EXTRA_WIDTH = 30
Cells = dict[str, list[str]]  # column -> the cell's paragraphs (one per update, per lead)


# ---------------------------------------------------------------------------------------------
# Cell texts, shared by the three formats


def label(key: str) -> str:
    """A column's header: the plan's own name for it, or an imported column's header."""
    return key.removeprefix(EXTRA) if key.startswith(EXTRA) else LABELS[key]


def width(key: str) -> int:
    return EXTRA_WIDTH if key.startswith(EXTRA) else WIDTHS[key]


def extra_columns(plan: draft.Plan) -> list[str]:
    """The keys of the imported columns kept on any action, in the order first met."""
    names = dict.fromkeys(name for _, a in plan.actions() for name in a.extra)
    return [EXTRA + name for name in names]


def format_update(update: draft.Update) -> str:
    """ "12 March 2019 Green (Jo Bloggs): text", as `importing.parse_updates` reads it."""
    head = format_day(update.on) if update.on else "Undated"
    if update.rag:
        head += f" {update.rag.value}"
    if update.author:
        head += f" ({update.author})"
    return f"{head}: {update.text}" if update.text else f"{head}:"


def format_updates(updates: list[draft.Update]) -> list[str]:
    """One text per update; undated text that opens the cell is written as it was found.

    An update holding only the rating the RAG column shows is left to that column.
    """
    only = updates[0] if len(updates) == 1 else None
    if only and only.rag and only == draft.Update(on=None, text="", rag=only.rag):
        return []
    texts = [format_update(u) for u in updates]
    first = updates[0] if updates else None
    plain = first and first.on is None and not (first.rag or first.author)
    if plain and parse_updates(first.text) == [first]:
        texts[0] = first.text
    return texts


def format_leads(leads: list[draft.Lead]) -> list[str]:
    """One line per lead, each read back as the same lead even after the line above."""
    lines: list[str] = []
    for lead in leads:
        if lead.person and lead.agency:
            line = f"{lead.person} ({lead.agency})"
        else:
            bare = lead.person or lead.agency
            line = bare if parse_leads("\n".join([*lines, bare]))[-1:] == [lead] else None
            line = line or (f"{lead.person} ()" if lead.person else f"({lead.agency})")
        lines.append(line)
    return lines


def review_cell(review: draft.ReviewPoint) -> str:
    """The review point as entered; with no text, its time only (the disposition has a column)."""
    return review.text or format_review_point(replace(review, disposition=None, carried_to=""))


def disposition_cell(action: draft.Action) -> str:
    """The action's disposition when its review text does not already say it, else blank."""
    if action.disposition is None:
        return ""
    read = parse_review_point(review_cell(action.review))
    if read.disposition or read.carried_to:
        return "" if read.disposition == action.disposition else action.disposition.value
    return f"{action.disposition.value} {action.review.carried_to}".strip()


def _action_text(action: draft.Action) -> str:
    if action.tags[:1] == [draft.NEW_ACTION]:
        return f"{draft.NEW_ACTION}: {action.text}"
    return action.text


def _other_tags(action: draft.Action) -> list[str]:
    return action.tags[1:] if action.tags[:1] == [draft.NEW_ACTION] else action.tags


def cell_text(cells: Cells, key: str) -> str:
    """A cell as one text, lines for paragraphs, as Excel and CSV hold it."""
    return "\n".join(cells.get(key, []))


def action_cells(action: draft.Action) -> Cells:
    rag = action.rag
    cells = {
        "action": [_action_text(action)],
        "review": [review_cell(action.review)],
        "disposition": [disposition_cell(action)],
        "lead": format_leads(action.leads),
        "partners": [action.partners],
        "tags": ["; ".join(_other_tags(action))],
        "plan_year": [action.plan_year],
        "update": format_updates(action.updates),
        "rag": [rag.value] if rag else [],
        **{EXTRA + name: text.splitlines() for name, text in action.extra.items()},
    }
    return {key: paragraphs for key, paragraphs in cells.items() if any(paragraphs)}


def objective_rows(objective: draft.Objective) -> list[tuple[int | None, Cells]]:
    """The objective's table rows: (measure index or None, cells), measures in plan order."""
    rows: list[tuple[int | None, Cells]] = []
    shown: set[int] = set()

    def measures_before(index: int) -> None:
        for earlier in range(index):
            if earlier not in shown:
                shown.add(earlier)
                rows.append((earlier, {}))

    for action in objective.actions:
        if action.measure is not None:
            measures_before(action.measure)
            shown.add(action.measure)
        rows.append((action.measure, action_cells(action)))
    measures_before(len(objective.measures))
    seen_measure = False
    for index, cells in rows:
        if index is None:
            cells["measure"] = [NO_MEASURE_MARK] if seen_measure else []
        else:
            seen_measure = True
            cells["measure"] = [objective.measures[index].text]
            cells["indicator"] = [objective.measures[index].indicator]
    return rows


def table_columns(plan: draft.Plan) -> list[str]:
    """The columns of the Word and Excel tables: the optional ones only when used."""
    actions = [a for _, a in plan.actions()]
    used = {
        "indicator": any(m.indicator for o in plan.objectives for m in o.measures),
        "disposition": any(disposition_cell(a) for a in actions),
        "tags": any(_other_tags(a) for a in actions),
        "plan_year": any(a.plan_year for a in actions),
    }
    return [key for key in WIDTHS if used.get(key, True)] + extra_columns(plan)


def preamble(plan: draft.Plan) -> list[str]:
    """The lines after the title: plan period and RAG definitions."""

    def day(value: date | None) -> str:
        return format_day(value) if value else "open"

    if plan.starts or plan.ends:
        period = f"Plan period: {day(plan.starts)} to {day(plan.ends)}"
    else:
        period = "Plan period: none"
    return [period, *(f"{rag} – {text}" for rag, text in plan.rag_definitions.items())]


def _groups(plan: draft.Plan) -> Iterator[tuple[str | None, draft.Objective]]:
    """(group heading or None, objective) in plan order; a heading where the group changes."""
    group = ""
    for objective in plan.objectives:
        heading = None
        if objective.group and objective.group != group:
            heading, group = objective.group.upper(), objective.group
        yield heading, objective


def _runs(rows: list[tuple[int | None, Cells]]) -> list[tuple[int, int]]:
    """(first, last) row positions of consecutive rows under the same measure."""
    runs, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][0] is None or rows[i][0] != rows[start][0]:
            if rows[start][0] is not None and i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs


# ---------------------------------------------------------------------------------------------
# Word


def scrubbed(value):
    """`value` (a plan, or any part of one) with control characters taken out of every text.
    Input is cleaned, but a plan stored before that was must still export: Word and Excel
    refuse such characters, and one bad update would otherwise block every export."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return without_controls(value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: scrubbed(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, list | tuple):
        return type(value)(scrubbed(v) for v in value)
    if isinstance(value, dict):
        return {k: scrubbed(v) for k, v in value.items()}
    return value


def plan_to_docx(plan: draft.Plan) -> bytes:
    """The plan as a landscape A4 Word document in the delivery plan layout."""
    plan = scrubbed(plan)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    document.add_paragraph(plan.title, style="Title")
    for line in preamble(plan):
        document.add_paragraph(line)
    columns = table_columns(plan)
    scale = 267 / sum(width(key) for key in columns)
    widths = [Mm(width(key) * scale) for key in columns]
    for heading, objective in _groups(plan):
        if heading:
            document.add_paragraph(heading, style="Heading 2")
        _docx_table(document, objective, columns, widths)
        document.add_paragraph()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, objective: draft.Objective, columns: list[str], widths) -> None:
    rows = objective_rows(objective)
    table = document.add_table(rows=2 + len(rows), cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False  # Word and LibreOffice keep the widths below, not equal columns
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    heading = table.rows[0].cells[0].merge(table.rows[0].cells[-1])
    heading.text = objective.heading()
    _bold(heading)
    _shade(heading, HEADER_FILL)
    for cell, key in zip(table.rows[1].cells, columns, strict=True):
        cell.text = label(key)
        _bold(cell)
        _shade(cell, HEADER_FILL)
    for row in table.rows[:2]:
        _repeat_as_header(row)
    runs = _runs(rows)
    continued = {i for first, last in runs for i in range(first + 1, last + 1)}
    for position, (_, cells) in enumerate(rows):
        for cell, key in zip(table.rows[2 + position].cells, columns, strict=True):
            if key in ("measure", "indicator") and position in continued:
                continue
            _write(cell, key, cells.get(key) or [""])
    for first, last in runs:
        for key in ("measure", "indicator"):
            if key in columns:
                index = columns.index(key)
                table.cell(2 + first, index).merge(table.cell(2 + last, index))
    for row in table.rows[1:]:  # the merged heading row spans them all
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _write(cell, key: str, paragraphs: list[str]) -> None:
    """One paragraph per update or lead; the RAG word is written and its cell shaded."""
    cell.text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)
    if key == "rag" and paragraphs[0]:
        _shade(cell, RAG_FILLS[draft.Rag(paragraphs[0])])
        _bold(cell)


def _bold(cell) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = True


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row) -> None:
    """Word repeats these rows at the top of each page the table runs on to."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


# ---------------------------------------------------------------------------------------------
# Excel


def plan_to_xlsx(plan: draft.Plan) -> bytes:
    """The plan on a sheet "Plan", laid out as the Word tables are, merged cells included."""
    plan = scrubbed(plan)
    columns = table_columns(plan)
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    width = len(columns)
    total_chars = sum(_chars(key) for key in columns)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    row = 0

    def line(text: str, *, font: Font | None = None, fill: PatternFill | None = None) -> None:
        nonlocal row
        row += 1
        cell = _text_cell(sheet, row, 1, text)
        cell.alignment = wrap
        cell.font = font or Font()
        if fill:
            cell.fill = fill
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.row_dimensions[row].height = _height([text], total_chars, font)

    line(plan.title, font=Font(bold=True, size=16))
    for text in preamble(plan):
        line(text)
    for heading, objective in _groups(plan):
        row += 1  # a blank row between tables
        if heading:
            line(heading, font=Font(bold=True, size=13))
        line(objective.heading(), font=Font(bold=True), fill=header_fill)
        row += 1
        for index, key in enumerate(columns, start=1):
            cell = _text_cell(sheet, row, index, label(key))
            cell.font, cell.fill, cell.alignment = Font(bold=True), header_fill, wrap
        rows = objective_rows(objective)
        for offset, (_, cells) in enumerate(rows, start=1):
            sheet.row_dimensions[row + offset].height = max(
                _height(cells.get(key) or [""], _chars(key)) for key in columns
            )
            for index, key in enumerate(columns, start=1):
                text = cell_text(cells, key)
                cell = _text_cell(sheet, row + offset, index, text or None)
                cell.alignment = wrap
                if key == "rag" and text:
                    cell.fill = PatternFill("solid", fgColor=RAG_FILLS[draft.Rag(text)])
                    cell.font = Font(bold=True)
        for first, last in _runs(rows):
            for key in ("measure", "indicator"):
                if key in columns:
                    index = columns.index(key) + 1
                    sheet.merge_cells(
                        start_row=row + first + 1,
                        start_column=index,
                        end_row=row + last + 1,
                        end_column=index,
                    )
        row += len(rows)
    for index, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _chars(key)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(sheet, row: int, column: int, text: str | None):
    """A cell that holds text as text: openpyxl would store "=…" as a formula, which a
    spreadsheet then runs (formula injection) and a re-import reads back empty."""
    cell = sheet.cell(row=row, column=column, value=text)
    if text is not None:
        cell.data_type = "s"
    return cell


def _chars(key: str) -> float:
    """A column's width in Excel's units (about one character each)."""
    return width(key) / 2 + 4


def _height(paragraphs: list[str], chars: float, font: Font | None = None) -> float:
    """Row height in points for wrapped text: spreadsheet programs other than Excel do not
    grow rows to fit on opening, so the export sets heights itself."""
    lines = sum(max(1, -(-len(text) // max(1, int(chars * 0.95)))) for text in paragraphs)
    size = font.size if font is not None and font.size else 11
    return lines * size * 1.35 + 3


# ---------------------------------------------------------------------------------------------
# CSV


def plan_to_csv(plan: draft.Plan) -> bytes:
    """One row per action (and per measure or objective with none), naming its objective.

    CSV has no title, period or RAG definitions: reading it takes the title from the file name.
    """
    plan = scrubbed(plan)
    out = io.StringIO()
    writer = csv.writer(out)
    columns = FLAT_COLUMNS + extra_columns(plan)
    writer.writerow([csv_safe(label(key)) for key in columns])
    for objective in plan.objectives:
        named = {
            "group": [objective.group],
            "objective": [objective.code],
            "objective_title": [objective.title],
            "aim": [objective.aim],
        }
        rows = [cells for _, cells in objective_rows(objective)] or [{}]
        for cells in rows:
            writer.writerow([csv_safe(cell_text({**cells, **named}, key)) for key in columns])
    return out.getvalue().encode("utf-8-sig")


# Each export format: its writer and its media type (the site's downloads, the CLI's files).
FORMATS = {
    "docx": (
        plan_to_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (plan_to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (plan_to_csv, "text/csv; charset=utf-8"),
}
