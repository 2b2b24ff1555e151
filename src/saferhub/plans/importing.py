"""Read a delivery plan from Word, Excel or CSV into a `draft.Plan`, with every problem found.

Each format is first turned into rows of cell texts with a location ("table 3, row 5",
"sheet Plan, row 12", "row 12"; a Word paragraph is a one-cell row). One state machine,
`build_plan`, then reads those rows, so Word, Excel and CSV plans are understood alike:

- a header row (Action, Measures & targets, Review point/Deadline, Lead, Partners,
  Update/Progress, RAG, ...) sets which column holds what; a flat layout adds Group,
  Objective, Objective title, Aim, Indicator, Tags, Plan year and Disposition columns;
- a paragraph or whole-width merged row "Strategic Objective 4a – Title: aim" starts an
  objective, a short capitals line ("HIGH HARM CRIME") sets the group, "Red – ..." lines
  define the RAG ratings, "Plan period: 1 April 2019 to 31 March 2020" sets the period;
- a data row adds an action (and its measure when the measure cell has new text; a blank
  measure cell continues the one above, "–" or "n/a" means no measure).

Anything that cannot be read becomes a `Problem` naming file, row and column; nothing is
dropped silently. Updates are read in the form the exporter writes (see `parse_updates`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import docx
import openpyxl
from docx.table import Table
from docx.text.paragraph import Paragraph

from .. import uploads
from ..uploads import PLAN, Tally, UploadRefused
from . import draft
from .review import (
    DATE_RE,
    MONTH_NAMES,
    MONTHS,
    date_of,
    format_day,
    leading_date,
    parse_review_point,
)


class PlanFileError(ValueError):
    """The file cannot be opened as a plan at all (wrong type, missing, corrupt)."""


@dataclass(frozen=True)
class Row:
    where: str  # "table 3, row 5"
    cells: list[str]
    kind: str = "cells"  # "cells", "merged" (one cell across the table) or "paragraph"
    title: bool = False  # a Title or Heading 1 paragraph
    table: str = ""  # the table or sheet; a new one may come without its own header row
    notes: tuple[str, ...] = ()  # what the reader changed or left out here, for the preview


# Accepted header texts, normalised (see `normalise`), for each column the importer reads.
COLUMNS: dict[str, tuple[str, ...]] = {
    key: tuple(name.strip() for name in names.split("|"))
    for key, names in {
        "measure": "measures and targets | measure and targets | measures targets | measures"
        " | measure | measures and target | targets",
        "action": "action | actions",
        "review": "review point | review points | deadline | deadlines | deadline review point"
        " | review date | review | timescale | timescales",
        "lead": "lead | leads | lead s | lead officer | lead officers | lead agency",
        "partners": "partners | partner | partner agencies | key partners",
        "update": "update progress | rag rating update progress | progress | update | updates"
        " | progress update",
        "rag": "rag | rag rating | rag status",
        "group": "group",
        "objective": "objective | objective code | strategic objective",
        "objective_title": "objective title",
        "aim": "aim | objective aim",
        "indicator": "indicator | indicators",
        "tags": "tags | tag",
        "plan_year": "plan year",
        "disposition": "disposition | year end disposition",
    }.items()
}
_HEADER_KEYS = {name: key for key, names in COLUMNS.items() for name in names}
# Columns that belong to an action: text in them with no action text is a problem.
_ACTION_COLUMNS = (
    "review",
    "lead",
    "partners",
    "update",
    "rag",
    "tags",
    "plan_year",
    "disposition",
)
NO_MEASURE = frozenset({"-", "–", "—", "n/a", "na", "none"})
# Words that make a lead an organisation rather than a person.
_ORGANISATION_RE = re.compile(
    r"\b(police|council|services?|nhs|trust|probation|team|partnership|department|unit"
    r"|association|development|borough|fire|schools?|college|housing|charity|ccg|yos)\b",
    re.IGNORECASE,
)
# Kept in capitals when a capitals group heading is put into sentence case.
ACRONYMS = frozenset({"ASB", "CCTV", "CSE", "CSP", "IOM", "MAPPA", "MARAC", "NHS", "VAWG", "YOS"})

# An objective's code as plans write it: "Strategic Objective 2a", "Objective 4b", "SO1",
# "Priority 2" and "Strategic Priority 2" (kept as "P2"), "P2"; the number (up to three
# digits) may carry a letter, and a bracket may close it: "Objective 17a) Road safety".
_PREFIX = r"(?P<prefix>(?:strategic\s+)?(?:objective|priority)|SO|P(?=\s*\d))"
_NUMBER = r"(?P<number>\d{1,3}[a-z]?)"
_HEADING_RE = re.compile(
    rf"^\s*(?:{_PREFIX}\s*)?{_NUMBER}\s*[–—:.)-]"
    r"\s*(?P<title>[^:\n]*?)\s*(?:[:\n]\s*(?P<aim>.*?))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# The same code anywhere in a heading, after a group label: "HIGH HARM CRIME — SO2a: Title".
_CODE_IN_TEXT_RE = re.compile(
    rf"(?:^|(?<=[\s–—:|.-])){_PREFIX}\s*{_NUMBER}(?![\w/])\s*(?:[–—:.)-]|$)",
    re.IGNORECASE,
)
# An aim after a spaced dash, when there is no colon: "Modern slavery – To ensure …".
_DASH_AIM_RE = re.compile(r"\s[–—-]\s+(?=to\s)", re.IGNORECASE)
_SEPARATORS = "–—:|-"
_TITLE_AIM_RE = re.compile(r"\s*(?P<title>[^:\n]*?)\s*(?:[:\n]\s*(?P<aim>.*?))?\s*$", re.DOTALL)
_CODE_RE = re.compile(rf"^\s*(?:{_PREFIX})?\s*{_NUMBER}\s*$", re.IGNORECASE)
# What looks like an objective heading but may not read as one: a code word and a number
# ("SO1 Burglary"), a numbered line ("2. Burglary", "3a) Hate crime"), or a word, a number
# and a separator ("Aim 21: …"). Above a new table, or alone in a table's row, such a line
# is reported rather than skipped: skipped, the rows after it would be filed under the
# objective above.
_LOOKS_LIKE_HEADING_RE = re.compile(
    r"\b(?:objective|priority|SO|P)\s*\d{1,3}[a-z]?\b"
    r"|^\s*(?:[a-z]+\s+)?\d{1,3}[a-z]?\s*[).:–—-]\s*\S",
    re.IGNORECASE,
)
# Words that open a remark, never a group label: "Note: Priority 2 – see appendix B".
_NOT_LABELS = frozenset(
    [
        "note",
        "notes",
        "nb",
        "update",
        "updates",
        "see",
        "comment",
        "comments",
        "background",
        "progress",
        "please",
        "also",
        "summary",
        "context",
        "overview",
        "introduction",
        "remark",
        "remarks",
    ]
)
# A title that is the start of a sentence about an objective, not its name.
_SENTENCE_TITLE_RE = re.compile(r"^(?:see|refer|below|above|as|was|is|has|were|will)\b", re.I)
_RAG_LINE_RE = re.compile(
    r"^(?P<rag>red|amber|green)\s*[–—:-]\s*(?P<text>.+)$", re.IGNORECASE | re.DOTALL
)
_PERIOD_LINE_RE = re.compile(r"^plan period\s*:\s*(?P<text>.*)$", re.IGNORECASE)
_FINANCIAL_YEARS_RE = re.compile(r"\b(?P<a>\d{4})\s*/\s*(?P<b>\d{4}|\d{2})\b")
_CALENDAR_YEARS_RE = re.compile(r"\b(?P<a>\d{4})\s*[–—-]\s*(?P<b>\d{4}|\d{2})\b")
_TAG_RE = re.compile(r"^NEW ACTION\b\s*[:–—-]?\s*")
_RAG_WORDS = {
    "red": draft.Rag.RED,
    "amber": draft.Rag.AMBER,
    "green": draft.Rag.GREEN,
    "r": draft.Rag.RED,
    "a": draft.Rag.AMBER,
    "g": draft.Rag.GREEN,
}
_UPDATE_PREFIX_RE = re.compile(r"^\s*(?:update\b[\s:–—-]*)?", re.IGNORECASE)
# "update" or "progress" after an update's date: "25 Feb 19 update: …".
_UPDATE_WORD_RE = re.compile(r"^(?:\s+(?:update|progress)\b)?", re.IGNORECASE)
# A financial quarter starting an update: "Q3:", "Q3 update –", "Q3 2019/20 Green:". A colon,
# dash, "update" or a RAG word must follow, so "Q3 saw fewer calls" stays text.
_QUARTER_HEAD_RE = re.compile(
    r"^(?P<label>Q(?P<q>[1-4])(?:\s*(?P<qa>\d{4})\s*/\s*(?:\d{4}|\d{2}))?)"
    r"(?=\s*(?:[:–—-]|update\b|progress\b|red\b|amber\b|green\b|\())",
    re.IGNORECASE,
)
# A day with a two-digit year, only when "update" or a separator follows: "25 Feb 19 update:".
_SHORT_YEAR_DATE_RE = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_NAMES})\.?\s+(?P<y>\d{{2}})"
    r"(?=\s*(?:update\b|progress\b|[:–—-]|$))",
    re.IGNORECASE,
)
_UNDATED_RE = re.compile(r"^undated(?=\s|:|\(|$)", re.IGNORECASE)
_UPDATE_RAG_RE = re.compile(r"^\s+(?P<rag>red|amber|green)(?=\s*(?:$|[:(–—-]))", re.IGNORECASE)
_RAG_COLON_RE = re.compile(r"^\s*(?P<rag>red|amber|green)\s*:\s*", re.IGNORECASE)
_UPDATE_AUTHOR_RE = re.compile(r"^\s*\((?P<inner>[^()]*)\)")
_UPDATE_SEPARATOR_RE = re.compile(r"^\s*[:–—-]?\s*")


def normalise(text: str) -> str:
    """Header text as compared: lowercase, & as "and", no punctuation, single spaces."""
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def rag_of(text: str) -> draft.Rag | None:
    return _RAG_WORDS.get(text.strip().lower())


# ---------------------------------------------------------------------------------------------
# Reading the files into rows


def read_plan(
    path: Path,
    *,
    agencies: Sequence[str] = (),
    title: str | None = None,
    starts: date | None = None,
    ends: date | None = None,
) -> tuple[draft.Plan, list[draft.Problem]]:
    """Read a .docx, .xlsx or .csv plan; the problems list is empty when all of it was read.

    `starts` and `ends`, when given, are the plan's period whatever the file says (they date
    the quarter labels in its progress cells). Parts kept with a note (a column the plan has
    no place for, a quarter that could not be dated) are in the plan's `warnings`."""
    path = Path(path)
    readers = {".docx": docx_rows, ".xlsx": xlsx_rows, ".csv": csv_rows}
    suffix = path.suffix.lower()
    reader = readers.get(suffix)
    if reader is None:
        raise PlanFileError(f"{path.name}: expected a .docx, .xlsx or .csv plan file")
    if not path.is_file():
        raise PlanFileError(f"{path.name}: no such file ({path})")
    try:
        rows = [_clean(row) for row in reader(path, Tally(path.name, PLAN))]
    except UploadRefused as refused:  # a file over a limit (uploads.PLAN): the limit's words
        raise PlanFileError(str(refused)) from None
    except PlanFileError:
        raise
    except Exception as error:  # any library's complaint means the file is not readable
        # Not the library's words: they name the server's temporary folder and mean nothing
        # to the person who uploaded the file.
        kind = {".docx": "a Word (.docx)", ".xlsx": "an Excel (.xlsx)"}.get(suffix, "a CSV")
        raise PlanFileError(
            f"{path.name}: could not be read as {kind} file: it may be damaged, or be another "
            "kind of file renamed; open it and save it again in that format"
        ) from error
    return build_plan(
        rows,
        file=path.name,
        agencies=agencies,
        title=title,
        stem=path.stem,
        starts=starts,
        ends=ends,
    )


def _text(value: object) -> str:
    """A cell's value as text; a spreadsheet date as "31 March 2019", which the review-point
    and update readers read as a date (str() would give "2019-03-31 00:00:00")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return format_day(value.date())
        return f"{format_day(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_day(value)
    return str(value).strip()


# C0 control characters other than tab and newline: PostgreSQL refuses NUL in text and jsonb,
# and none of them is anything a person typed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(row: Row) -> Row:
    """The row with control characters removed from its cells, and a note when there were."""
    cells = [_CONTROL_RE.sub("", cell.replace("\r\n", "\n")) for cell in row.cells]
    if cells == row.cells:
        return row
    note = "control characters (such as NUL) removed from this row's text"
    return replace(row, cells=cells, notes=(*row.notes, note))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _unwrap_content_controls(body) -> None:
    """Put the content of every content control (w:sdt) and custom XML element in its place:
    python-docx sees only the tables, rows, cells and paragraphs that stand directly in their
    parent, so a table, row or cell inside a control would vanish."""
    for tag in ("sdt", "customXml"):
        for element in list(body.iter(_W + tag)):
            parent = element.getparent()
            if parent is None:
                continue
            content = element.find(_W + "sdtContent") if tag == "sdt" else element
            index = parent.index(element)
            children = [] if content is None else [c for c in content if not c.tag.endswith("Pr")]
            parent.remove(element)
            for offset, child in enumerate(children):
                parent.insert(index + offset, child)


def _paragraph_text(p) -> str:
    """A paragraph's text from every w:t in it: runs in hyperlinks, fields, smart tags and
    tracked insertions (w:ins) included; deleted text is w:delText, so it is never read."""
    parts = []
    for element in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if any(a.tag == _FALLBACK for a in element.iterancestors()):
            continue  # the same text box again, for programs that cannot read the first
        tag = element.tag[len(_W) :]
        parts.append((element.text or "") if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(parts)


def _cell_text(tc, document) -> str:
    """A cell's paragraphs as lines; a table nested in the cell as lines of its own, one per
    row, the row's cells joined by " | ", so none of its text is lost."""
    lines = []
    for child in tc:
        if child.tag == _W + "p":
            lines.append(_paragraph_text(child))
        elif child.tag == _W + "tbl":
            for row in Table(child, document).rows:
                texts = distinct_texts([_cell_text(c._tc, document).strip() for c in row.cells])
                lines.append(" | ".join(texts))
    return "\n".join(lines)


def docx_rows(path: Path, tally: Tally | None = None) -> Iterator[Row]:
    """Body paragraphs and table rows in document order (python-docx repeats merged cells).

    Bounded (`uploads.PLAN`): the zip is checked before python-docx opens it, and rows, cells,
    paragraphs, characters and the time taken are counted while walking."""
    tally = tally or Tally(path.name, PLAN)
    uploads.check_zip(path, path.name, tally.limits)
    document = docx.Document(str(path))
    body = document.element.body
    for _ in body.iter(_W + "p"):  # every paragraph, in table cells too, before any is read
        tally.paragraph()
    _unwrap_content_controls(body)
    paragraphs = tables = 0
    # Style names by style id: python-docx finds a paragraph's style by scanning every style
    # in the document (2.6 ms a paragraph with no style of its own: 117 s for 100,000).
    styles: dict[str | None, str] = {}
    for child in body.iterchildren():
        if child.tag == _W + "p":
            paragraphs += 1
            where = f"paragraph {paragraphs}"
            tally.row(where)
            style_id = child.style
            if style_id not in styles:
                found = Paragraph(child, document).style
                styles[style_id] = found.name if found is not None else ""
            style = styles[style_id]
            yield Row(
                where,
                [tally.text(_text(_paragraph_text(child)))],
                "paragraph",
                title=style in ("Title", "Heading 1"),
            )
        elif child.tag == _W + "tbl":
            tables += 1
            for number, row in enumerate(Table(child, document).rows, start=1):
                where = f"table {tables}, row {number}"
                tally.row(where)
                cells = row.cells  # a merged cell is repeated in each grid column it spans
                tally.add_cells(len(cells), where)
                texts = [tally.text(_text(_cell_text(cell._tc, document))) for cell in cells]
                ids = [id(cell._tc) for cell in cells]
                filled = {i for i, text in zip(ids, texts, strict=True) if text}
                merged = len(filled) == 1 and ids.count(filled.pop()) > 1
                yield Row(
                    where,
                    texts,
                    "merged" if merged else "cells",
                    table=f"table {tables}",
                )


def xlsx_rows(path: Path, tally: Tally | None = None) -> Iterator[Row]:
    """Every visible sheet's visible rows; a merged range's text is given to each of its cells.

    Hidden sheets and rows are left out, each with a note (what an author hides is usually
    old or working material; the preview says where it was). A cell's comment is given as a
    note, and so is a formula Excel saved no value for (there is nothing to read in its place).

    Bounded (`uploads.PLAN`): the zip is checked, then each sheet is read once in read-only
    mode, cell by cell as stored, against the caps (`uploads.sheet_rows`); only then is the
    workbook loaded whole (for merged cells, hidden rows, comments and formulas), and each
    sheet is walked only to its last value, never to the dimension it declares.
    """
    tally = tally or Tally(path.name, PLAN)
    uploads.check_zip(path, path.name, tally.limits)
    shapes = _xlsx_shapes(path, tally)
    book = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path, data_only=False)
    assert tally.deadline is not None
    for sheet in book.worksheets:
        tally.deadline.check()
        where = f"sheet {sheet.title}"
        if sheet.sheet_state != "visible":
            yield Row(where, [], "note", notes=(f"{where} is hidden: not imported",))
            continue
        shape = shapes.get(sheet.title, uploads.SheetShape())
        notes = _sheet_notes(sheet, formulas[sheet.title])
        ranges = sheet.merged_cells.ranges
        height = max([shape.rows, *(m.max_row for m in ranges), *notes], default=0)
        height = min(height, tally.limits.rows)
        width = max([shape.columns, *(m.max_col for m in ranges)], default=0)
        values = (
            [
                [_text(v) for v in row]
                for row in sheet.iter_rows(max_row=height, max_col=width, values_only=True)
            ]
            if height and width
            else [[] for _ in range(height)]
        )
        spans: dict[int, list[tuple[int, int]]] = {}
        for merged in ranges:
            top = values[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    values[r][c] = top
                if merged.max_col > merged.min_col:
                    spans.setdefault(r, []).append((merged.min_col - 1, merged.max_col - 1))
        for r, cells in enumerate(values):
            if r % 256 == 0:
                tally.deadline.check()
            here = f"{where}, row {r + 1}"
            if sheet.row_dimensions[r + 1].hidden:
                if any(cells):
                    yield Row(here, [], "note", notes=(f"{here} is hidden: not imported",))
                continue
            filled = [c for c, text in enumerate(cells) if text]
            merged = any(filled and a <= filled[0] and filled[-1] <= b for a, b in spans.get(r, []))
            yield Row(
                here,
                cells,
                "merged" if merged else "cells",
                table=where,
                notes=tuple(notes.get(r + 1, ())),
            )


def _xlsx_shapes(path: Path, tally: Tally) -> dict[str, uploads.SheetShape]:
    """Each sheet's extent, read in read-only mode against the caps before the workbook is
    loaded whole (a full load holds every stored cell, and every cell of a merged range)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    shapes: dict[str, uploads.SheetShape] = {}
    try:
        for sheet in book.worksheets:
            label = f"sheet {sheet.title}"
            shape = shapes[sheet.title] = uploads.SheetShape()
            for _ in uploads.sheet_rows(sheet, tally, label=label, shape=shape):
                pass
            uploads.check_ranges(shape, tally, label=label)
    finally:
        book.close()
    return shapes


def _sheet_notes(sheet, formulas) -> dict[int, list[str]]:
    """Notes by row number: cell comments, and formulas with no saved value; from the cells
    the sheet stores (never its whole rectangle)."""
    notes: dict[int, list[str]] = {}
    for (row, column), cell in sorted(sheet._cells.items()):
        if getattr(cell, "comment", None) is not None and cell.comment.text.strip():
            text = " ".join(cell.comment.text.split())
            notes.setdefault(row, []).append(
                f"column {cell.column_letter} has a comment, not imported: {text!r}"
            )
        formula = formulas._cells.get((row, column))
        formula = getattr(formula, "value", None)
        if cell.value is None and isinstance(formula, str) and formula.startswith("="):
            notes.setdefault(row, []).append(
                f"column {cell.column_letter} holds a formula ({formula}) with no value "
                "saved: read as empty; open and save the file in Excel to keep its value"
            )
    return notes


# Byte order marks: a UTF-16 file saved by Excel ("Unicode text") starts with one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(raw: bytes, name: str) -> str:
    """The file's text: by its byte order mark, else UTF-8, else Windows-1252 (Excel's "CSV"
    in the UK); a file that is neither is refused without the codec's own words."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                break
    position = 0
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            position = error.start
    raise PlanFileError(
        f"{name}: expected text in UTF-8 or Windows-1252; found a byte that is neither at "
        f"position {position}: save the file from Excel as 'CSV UTF-8'"
    )


def _delimiter(text: str) -> str:
    """The separator between cells: a comma unless the first lines are plainly separated by
    semicolons (Excel in much of Europe) or tabs (Excel's "Text")."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def csv_rows(path: Path, tally: Tally | None = None) -> Iterator[Row]:
    """Each line's cells; bounded (`uploads.PLAN`): the file's size first, then rows, cells
    (empty ones after a line's last value are not counted), characters and time."""
    tally = tally or Tally(path.name, PLAN)
    uploads.check_size(path.stat().st_size, path.name, tally.limits)
    text = _decode(path.read_bytes(), path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            where = f"row {number}"
            tally.row(where)
            width = len(cells)
            while width and not cells[width - 1].strip():
                width -= 1
            tally.add_cells(width, where)
            yield Row(where, [tally.text(_text(_unquote(c))) for c in cells[:width]])
    except csv.Error as error:
        limit = csv.field_size_limit()
        reason = (
            f"expected a cell of at most {limit} characters; found a longer one"
            if "field limit" in str(error)
            else "expected comma-separated cells; found broken quoting"
        )
        raise PlanFileError(f"{path.name}, row {number + 1}: {reason}") from None


def _unquote(cell: str) -> str:
    """Undo the exporter's guard against formulas ("'=x" back to "=x")."""
    return (
        cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell
    )


# ---------------------------------------------------------------------------------------------
# Reading cells


def _code(prefix: str | None, number: str) -> str:
    """ "SO4a" for Strategic Objective 4a, Objective 4a, SO4A or a bare 4a; "P2" for Priority 2."""
    letter = "P" if prefix and prefix.lower().split()[-1] in ("p", "priority") else "SO"
    return f"{letter}{number.lower()}"


def _title_and_aim(text: str) -> tuple[str, str]:
    """ "Title: aim", "Title\naim", or (with no colon) "Title – To aim"."""
    match = _TITLE_AIM_RE.match(text)
    return _dash_aim(match["title"], (match["aim"] or "").strip())


def _dash_aim(title: str, aim: str) -> tuple[str, str]:
    if not aim and (dash := _DASH_AIM_RE.search(title)):
        return title[: dash.start()].strip(), title[dash.end() :].strip()
    return title, aim


def parse_objective_heading(text: str, *, strict: bool = False) -> draft.Objective | None:
    """ "Strategic Objective 4a – Title: aim" as an objective; `strict` needs the prefix."""
    match = _HEADING_RE.match(text)
    if not match or (strict and not match["prefix"]):
        return None
    if not match["title"] and not match["prefix"]:
        return None
    title, aim = _dash_aim(match["title"], (match["aim"] or "").strip())
    return draft.Objective(code=_code(match["prefix"], match["number"]), title=title, aim=aim)


def _group_label(text: str) -> str | None:
    """The text before an objective's code, as its group; None when it reads as a sentence
    ("Progress on Objective 2 – …"), not a label. A label is in capitals, or is set off from
    the code by a dash, colon or bar, in at most eight words with no figures."""
    label = text.rstrip(_SEPARATORS + " \t\n")
    if not label.strip():
        return ""
    label = " ".join(label.split())
    if any(ch.isdigit() for ch in label) or len(label) > 80 or label.endswith((".", ",")):
        return None
    if label.split()[0].lower().rstrip(".") in _NOT_LABELS:
        return None
    set_off = any(ch in _SEPARATORS for ch in text[len(text.rstrip(_SEPARATORS + " \t\n")) :])
    if is_group_heading(label):
        return sentence_case(label)
    return label if set_off and len(label.split()) <= 8 else None


def find_objective_heading(
    text: str, *, strict: bool = False
) -> tuple[str, draft.Objective] | None:
    """An objective heading anywhere in a heading's text, with the group label before it:
    "HIGH HARM CRIME — Strategic Objective 2a: Domestic abuse" is ("High harm crime", SO2a).
    A heading at the very start is read as `parse_objective_heading` reads it. A title that
    reads as a sentence ("SO1 - good progress made this year", "Priority 2 – see appendix B")
    is a remark about an objective, not its heading."""
    found = None
    if heading := parse_objective_heading(text, strict=strict):
        found = "", heading
    for match in [] if found else _CODE_IN_TEXT_RE.finditer(text):
        group = _group_label(text[: match.start()])
        if group is None:
            return None
        title, aim = _title_and_aim(text[match.end() :])
        code = _code(match["prefix"], match["number"])
        found = group, draft.Objective(code=code, title=title, aim=aim)
        break
    if found and _reads_as_sentence(found[1].title):
        return None
    return found


def _reads_as_sentence(title: str) -> bool:
    """ "see appendix B", "was set by the board", "good progress made this year": a title
    starting with such a word, or in lower case over four words or more."""
    words = title.split()
    return bool(_SENTENCE_TITLE_RE.match(title)) or (
        len(words) >= 4 and title[:1].islower() and not title[:1].isupper()
    )


def looks_like_heading(text: str) -> bool:
    """A line that may be meant as an objective heading though it does not read as one."""
    return bool(_LOOKS_LIKE_HEADING_RE.search(text)) and len(text) <= 200


def heading_in_row(texts: Sequence[str]) -> tuple[str, draft.Objective] | None:
    """An objective heading spread over a row's cells, the texts of merged cells taken once
    each: "HIGH HARM CRIME" | "SO2a: Domestic abuse", or "Priority 2" | "Violence" | "To cut
    violence". Cells before the code's are its group; cells after it give a missing title,
    then the aim."""
    if not texts or len(texts) > 3:
        return None
    index = next((i for i, text in enumerate(texts) if _CODE_IN_TEXT_RE.search(text)), None)
    if index is None:
        return None
    text = texts[index]
    labels = [_group_label(f"{label} –") for label in texts[:index]]
    found = find_objective_heading(text, strict=True)
    if found is None or any(label is None for label in labels):
        return None
    group, objective = found
    group = " – ".join(label for label in [*labels, group] if label)
    rest = list(texts[index + 1 :])
    if rest and not objective.title:
        objective.title = rest.pop(0)
    objective.aim = "\n".join([objective.aim, *rest]).strip()
    return group, objective


def distinct_texts(cells: Sequence[str]) -> list[str]:
    """A row's filled texts, each once: python-docx and merged Excel ranges repeat a merged
    cell's text in every column it spans."""
    seen: list[str] = []
    for text in cells:
        if text and text not in seen:
            seen.append(text)
    return seen


def is_group_heading(text: str) -> bool:
    """A short line in capitals with no figures: "HIGH VOLUME CRIME"."""
    return (
        any(ch.isalpha() for ch in text)
        and text == text.upper()
        and not any(ch.isdigit() for ch in text)
        and len(text) <= 80
    )


def sentence_case(text: str) -> str:
    """ "HIGH HARM CRIME (VAWG)" as "High harm crime (VAWG)": known acronyms stay capitals."""
    lower = text.lower()
    lower = lower[:1].upper() + lower[1:]
    return re.sub(r"[A-Za-z]+", lambda m: m[0].upper() if m[0].upper() in ACRONYMS else m[0], lower)


# The years a plan's period may fall in: anything else is a typing slip ("0000/01"), and
# years 0 and 10000 cannot even be dated.
PERIOD_YEARS = range(2000, 2101)


class PeriodError(ValueError):
    """A period named outside `PERIOD_YEARS`; the message says so, for the person."""


def period_problem(starts: date | None, ends: date | None) -> str | None:
    """Why a plan's period cannot be used, or None: a day outside `PERIOD_YEARS`."""
    for day in (starts, ends):
        if day is not None and day.year not in PERIOD_YEARS:
            return (
                f"expected a plan period within the years {PERIOD_YEARS[0]} to "
                f"{PERIOD_YEARS[-1]}; found {format_day(day)}"
            )
    return None


def missing_period(plan: draft.Plan, file: str, fix: str) -> list[draft.Problem]:
    """The problem of a plan with no period (it cannot be stored without one), as the site's
    preview and the command's --dry-run both report it; `fix` says how to give one."""
    if plan.starts is not None and plan.ends is not None:
        return []
    return [draft.Problem(file, f"no plan period in the title: {fix}")]


def plan_period(title: str) -> tuple[date | None, date | None]:
    """The period a title names: "2019/20" is a financial year (1 April to 31 March), and so is
    "2019-20" (one year on, as in file names, which cannot hold "/"); "2019-2022" and "2019-22"
    are calendar years (1 January to 31 December). Raises PeriodError for years outside
    `PERIOD_YEARS`."""
    if match := _FINANCIAL_YEARS_RE.search(title):
        first, last = int(match["a"]), _full_year(int(match["a"]), match["b"])
        if last > first:
            return _period(match[0], first, last, (4, 1), (3, 31))
    if match := _CALENDAR_YEARS_RE.search(title):
        first, last = int(match["a"]), _full_year(int(match["a"]), match["b"])
        if len(match["b"]) == 2 and last == first + 1:
            return _period(match[0], first, last, (4, 1), (3, 31))
        if last >= first:
            return _period(match[0], first, last, (1, 1), (12, 31))
    return None, None


def _period(text: str, first: int, last: int, start: tuple, end: tuple) -> tuple[date, date]:
    if first not in PERIOD_YEARS or last not in PERIOD_YEARS:
        raise PeriodError(
            f"expected a plan period within the years {PERIOD_YEARS[0]} to "
            f"{PERIOD_YEARS[-1]}; found {text!r}"
        )
    return date(first, *start), date(last, *end)


def _full_year(first: int, text: str) -> int:
    return int(text) if len(text) == 4 else first // 100 * 100 + int(text)


def _period_day(text: str) -> date | bool | None:
    """One side of "Plan period: A to B": a day, None for "open", False if unreadable."""
    if text.strip().lower() == "open":
        return None
    match = DATE_RE.fullmatch(text.strip())
    read = date_of(match) if match and match["dmy"] else None
    return read[0] if read else False


def is_agency(text: str, agencies: Sequence[str] = ()) -> bool:
    folded = text.casefold()
    if any(folded == a.casefold() or folded.endswith(a.casefold()) for a in agencies if a):
        return True
    return bool(_ORGANISATION_RE.search(text))


def _agency_name(text: str, agencies: Sequence[str]) -> str:
    for agency in agencies:
        if agency.casefold() == text.casefold():
            return agency
    return text


def _split_outside_brackets(line: str) -> list[str]:
    """Split on "/", ";" and " & ", but not inside brackets: "Jo (Police & Crime Panel)"."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[()]|/|;| & ", line):
        if match[0] in "()":
            depth += 1 if match[0] == "(" else -1
        elif depth == 0:
            parts.append(line[start : match.start()])
            start = match.end()
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]


def _one_lead(part: str, agencies: Sequence[str]) -> tuple[draft.Lead, bool]:
    """One part of a leads cell, and whether it was written explicitly "(Agency)"."""
    if match := re.fullmatch(r"(?P<person>[^()]*?)\s*\((?P<agency>[^()]*)\)", part):
        agency = _agency_name(match["agency"].strip(), agencies)
        return draft.Lead(person=match["person"].strip(), agency=agency), True
    if "," in part and not is_agency(part.split(",")[0], agencies):
        pieces = [p.strip() for p in part.split(",")]
        # "Person, Agency" gives both; "Person, Job title" keeps only the person.
        agency = pieces[-1] if is_agency(pieces[-1], agencies) else ""
        return draft.Lead(person=pieces[0], agency=_agency_name(agency, agencies)), False
    if is_agency(part, agencies):
        return draft.Lead(agency=_agency_name(part, agencies)), False
    return draft.Lead(person=part), False


def parse_leads(text: str, agencies: Sequence[str] = ()) -> list[draft.Lead]:
    """Leads as written in a cell: one or more people and/or agencies.

    Parts are split on new lines, "/", ";" and " & " (not inside brackets). A line that is only
    an agency, after lines of people with no agency of their own, is those people's agency:
    "Jo Bloggs / Sam Patel" then "Northbrook Police" gives both people that agency.
    """
    leads: list[draft.Lead] = []
    waiting: list[draft.Lead] = []  # people on earlier lines with no agency yet
    for line in text.splitlines():
        for index, part in enumerate(_split_outside_brackets(line)):
            lead, explicit = _one_lead(part, agencies)
            if lead.person and not lead.agency:
                waiting.append(lead)
            elif not lead.person and not explicit and index == 0 and waiting:
                for person in waiting:
                    person.agency = lead.agency
                waiting = []
                continue
            else:
                waiting = []
            if lead.person or lead.agency:
                leads.append(lead)
    return leads


@dataclass(frozen=True)
class Period:
    """The plan's period as known when its cells are read: what dates a bare "Q3"."""

    starts: date | None = None
    ends: date | None = None


_NO_PERIOD = Period()


def quarter_in(period: Period, number: int) -> date | None:
    """The first day of financial quarter `number` (Q1 April–June … Q4 January–March) whose
    middle month falls within the plan's period; None when no such quarter, or more than one
    (a plan of several years: "Q3" alone does not say which year)."""
    if period.starts is None or period.ends is None:
        return None
    found = []
    for year in range(max(period.starts.year - 1, 1), min(period.ends.year, 9998) + 1):
        first = date(year, 3 * number + 1, 1) if number < 4 else date(year + 1, 1, 1)
        middle = first.replace(month=first.month + 1, day=15)
        if period.starts <= middle <= period.ends:
            found.append(first)
    return found[0] if len(found) == 1 else None


def _financial_quarter(number: int, first_year: int) -> date:
    """The first day of Qn of financial year first_year/first_year+1."""
    return date(first_year, 3 * number + 1, 1) if number < 4 else date(first_year + 1, 1, 1)


def _when(rest: str, period: Period) -> tuple[date | None, int, str] | None:
    """The date an update line starts with, where it ends, and a quarter label that could not
    be dated (else ""). None when the line starts no update."""
    if undated := _UNDATED_RE.match(rest):
        return None, undated.end(), ""
    if match := _QUARTER_HEAD_RE.match(rest):
        if not re.search(r"[A-Za-z]{2}", rest[match.end() :]):
            return None  # "Q2: 1.7.17-30.6.18  16.9%": a line of figures, not an update
        number = int(match["q"])
        if match["qa"]:
            year = _full_year(0, match["qa"])
            if not 1 <= year <= 9998:
                return None
            return _financial_quarter(number, year), match.end(), ""
        day = quarter_in(period, number)
        return (day, match.end(), "") if day else (None, match.end(), match["label"])
    if match := _SHORT_YEAR_DATE_RE.match(rest):
        try:
            day = date(2000 + int(match["y"]), MONTHS[match["m"].lower()], int(match["d"]))
        except ValueError:
            return None
        return day, match.end(), ""
    if read := leading_date(rest):
        return read[0], read[1], ""
    return None


def _update_head(line: str, period: Period = _NO_PERIOD) -> tuple[draft.Update, str] | None:
    """A line that starts an update: "[UPDATE] <when> [update] [RAG] [(author[, RAG])] [:] text",
    <when> being a date, a month, "25 Feb 19", a quarter ("Q3", "Q3 2019/20") or "Undated".
    Returns the update and the text after its head."""
    rest = line[_UPDATE_PREFIX_RE.match(line).end() :]
    when = _when(rest, period)
    if when is None:
        return None
    on, end, undatable = when
    if undatable:
        return None
    rest = rest[end:]
    rest = rest[_UPDATE_WORD_RE.match(rest).end() :]
    update = draft.Update(on=on, text="")
    if match := _UPDATE_RAG_RE.match(rest):
        update.rag, rest = rag_of(match["rag"]), rest[match.end() :]
    if match := _UPDATE_AUTHOR_RE.match(rest):
        parts = [p.strip() for p in match["inner"].split(",")]
        if update.rag is None and rag_of(parts[-1]) and len(parts[-1]) > 1:
            update.rag = rag_of(parts.pop())
        update.author, rest = ", ".join(parts), rest[match.end() :]
    if on is None and not re.match(r"^\s*:", rest):
        return None  # "Undated" is only a heading when written as the exporter does: "Undated:"
    return update, rest[_UPDATE_SEPARATOR_RE.match(rest).end() :]


def split_updates(text: str, period: Period = _NO_PERIOD) -> tuple[list[draft.Update], list[str]]:
    """The updates in a progress cell, and the quarter labels that could not be dated (kept
    as text of the update above them); see `parse_updates`."""
    updates: list[draft.Update] = []
    undatable: list[str] = []
    current: draft.Update | None = None
    lines: list[str] = []

    def finish() -> None:
        if current is not None:
            current.text = "\n".join(lines).strip()
            if current.on or current.text or current.rag or current.author:
                updates.append(current)

    for line in text.splitlines():
        if head := _update_head(line, period):
            finish()
            current, lines = head[0], [head[1].rstrip()]
            continue
        if current is None and (rated := _RAG_COLON_RE.match(line)):
            # "Green: on track" opening the cell: an undated update with that rating.
            current, lines = draft.Update(on=None, text="", rag=rag_of(rated["rag"])), []
            lines.append(line[rated.end() :].strip())
            continue
        rest = line[_UPDATE_PREFIX_RE.match(line).end() :]
        if (when := _when(rest, period)) and when[2]:
            undatable.append(when[2])
        if current is None:
            current = draft.Update(on=None, text="")
        lines.append(line.rstrip())
    finish()
    return updates, undatable


def parse_updates(text: str, period: Period = _NO_PERIOD) -> list[draft.Update]:
    """The updates in a progress cell, oldest first as written.

    A line that starts with an optional "UPDATE" and a date begins a dated update, and a RAG
    word right after the date is its rating. The date may be a day ("10th Jan 2019",
    "12/03/2019"), a day with a two-digit year when "update" or a colon or dash follows it
    ("25 Feb 19 update:"), a month ("Update Jan 2019 – ", dated the 1st), or a financial
    quarter ("Q3 2019/20:", or "Q3:" in a plan of one year, dated the quarter's first day).
    A quarter label followed only by figures is not an update. Text before the first dated
    line is one undated update. The exporter writes each update as "12 March 2019 Green (Jo
    Bloggs): text" - date, then RAG, then author in brackets, each left out when empty - and
    "Undated ...:" for undated ones, which this reads back exactly.
    """
    return split_updates(text, period)[0]


# ---------------------------------------------------------------------------------------------
# The state machine


def build_plan(
    rows: Iterable[Row],
    *,
    file: str,
    agencies: Sequence[str] = (),
    title: str | None = None,
    stem: str = "",
    starts: date | None = None,
    ends: date | None = None,
) -> tuple[draft.Plan, list[draft.Problem]]:
    """Turn rows from any format into a plan and the problems found on the way."""
    builder = _Builder(file, agencies, title)
    for row in rows:
        builder.feed(row)
    return builder.finish(stem or Path(file).stem, starts=starts, ends=ends)


@dataclass
class _Progress:
    """An action's progress and RAG cells, waiting for the plan's period."""

    order: int  # the row's place in the file, to list its problems in order
    where: str  # "plan.docx, table 2, row 4"
    action: draft.Action
    text: str
    rag: str
    update_column: str
    rag_column: str


# An update dated further than this outside the plan's period is noted (see `_far_dates`).
FAR_FROM_PERIOD = timedelta(days=366)


class _Builder:
    """The one reader of rows: header rows set the columns, lines (paragraphs, merged rows)
    start objectives and groups or give the title, period and RAG definitions, and data rows
    add measures and actions to the current objective."""

    def __init__(self, file: str, agencies: Sequence[str], title: str | None):
        self.file, self.agencies = file, agencies
        self.plan = draft.Plan(title=title or "")
        self.problems: list[draft.Problem] = []
        self.columns: dict[str, int] | None = None  # None until a header row is read
        self.extra: dict[int, str] = {}
        self.labels: dict[int, str] = {}  # column index -> header text, for problems
        self.header_ok = True
        self.reported: set[int] = set()  # unknown columns already reported for this header
        self.width = 0
        self.table = ""
        self.group = ""
        self.objective: draft.Objective | None = None
        self.measure: int | None = None
        self.titled = bool(title)
        self.period_given = False
        self.definitions_read = False
        self.first_row = True
        self.rows = 0  # rows fed so far: problems are listed in the file's order
        self.problem_rows: list[int] = []
        # Progress and RAG cells, read once the plan's period is known (it dates "Q3").
        self.pending: list[_Progress] = []
        self.unread: Row | None = None  # the last paragraph, when it looked like a heading
        self.table_heading: Row | None = None  # that paragraph, when a table followed it
        if title:
            self._period_from_title(title)

    # -- problems ------------------------------------------------------------------------
    def problem(self, row: Row, reason: str, column: int | None = None) -> None:
        where = f"{self.file}, {row.where}"
        if column is not None:
            where += f", column {self.labels.get(column) or column + 1}"
        self.problems.append(draft.Problem(where=where, reason=reason))
        self.problem_rows.append(self.rows)

    def warning(self, row: Row, reason: str, column: int | None = None) -> None:
        where = f"{self.file}, {row.where}"
        if column is not None:
            where += f", column {self.labels.get(column) or column + 1}"
        self.plan.warnings.append(draft.Problem(where=where, reason=reason))

    # -- rows ----------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        for note in row.notes:
            self.warning(row, note)
        filled = [i for i, text in enumerate(row.cells) if text]
        if not filled:
            return
        self.rows += 1
        first, self.first_row = self.first_row, False
        # A paragraph that looked like a heading but was not read is reported if the table
        # straight after it adds rows to the objective above (see `_unread_heading`).
        unread, self.unread = self.unread, None
        if row.table and row.table != self.table:
            self.table, self.table_heading = row.table, unread
            if len(row.cells) != self.width:
                self.columns = None
        if row.kind != "paragraph" and self._header(row):
            return
        # A heading row over several cells: "HIGH HARM CRIME" | "SO2a: Domestic abuse". Not
        # in a flat layout, whose rows name their objective in a column.
        flat = self.columns is not None and "objective" in self.columns
        found = heading_in_row(distinct_texts(row.cells)) if row.kind == "cells" else None
        if found and not flat:
            self._start_objective(row, found[1], group=found[0])
            return
        # One run of text: a paragraph, a row merged across the table, or (before any header)
        # a row with one filled cell, as a spreadsheet title is.
        line = row.kind in ("paragraph", "merged") or (self.columns is None and len(filled) == 1)
        if line:
            title = row.title or (first and row.kind != "paragraph")
            self._line(row, row.cells[filled[0]], title=title)
            return
        if self.columns is None:
            if len(filled) == 2 and rag_of(row.cells[filled[0]]) and len(row.cells[filled[0]]) > 1:
                self._definition(row.cells[filled[0]], row.cells[filled[1]])
                return
            # "Plan period:" | "1 April 2019 to 31 March 2020" in two cells of a sheet.
            if match := _PERIOD_LINE_RE.match(" ".join(row.cells[i] for i in filled)):
                self._period_line(row, match["text"])
                return
            self.problem(
                row,
                "expected a header row naming an Action column before the plan's "
                f"rows; found {' | '.join(row.cells[i] for i in filled)!r}",
            )
            return
        if self.header_ok and not self._unread_heading(row, filled):
            self._data(row)

    def _unread_heading(self, row: Row, filled: list[int]) -> bool:
        """Report a heading that could not be read, before a data row is filed under the
        objective above it: a paragraph straight above this table, or this row when it is a
        lone cell that looks like one ("Objective 2a Violence" in column A)."""
        if self.objective is None or "objective" in (self.columns or {}):
            return False
        expected = "expected an objective heading ('Strategic Objective 2 – Title: aim')"
        if (paragraph := self.table_heading) is not None:
            self.table_heading = None
            self.problems.append(
                draft.Problem(
                    where=f"{self.file}, {paragraph.where}",
                    reason=f"{expected} above {self.table}; found {paragraph.cells[0]!r}, which "
                    f"could not be read, so the table's rows would be filed under "
                    f"{self.objective.code}",
                )
            )
            self.problem_rows.append(self.rows)
        text = row.cells[filled[0]]
        if len(filled) == 1 and looks_like_heading(text):
            self.problem(row, f"{expected} or an action with its lead; found {text!r} alone")
            return True
        return False

    def _header(self, row: Row) -> bool:
        """A row naming at least two known columns, and mostly known ones, is a header."""
        keys: dict[str, int] = {}
        extra: dict[int, str] = {}  # a second column under the same name (a merged header)
        filled = [i for i, text in enumerate(row.cells) if text]
        for i in filled:
            key = _HEADER_KEYS.get(normalise(row.cells[i]))
            if key and key in keys:
                extra[i] = key
            elif key:
                keys[key] = i
        if len(keys) < 2 or (len(keys) + len(extra)) * 2 < len(filled):
            return False
        self.columns, self.extra, self.width = keys, extra, len(row.cells)
        self.reported = set()
        self.labels = {i: " ".join(text.split()) for i, text in enumerate(row.cells)}
        self.header_ok = "action" in keys
        if not self.header_ok:
            self.problem(
                row,
                "expected an Action column in this header row; found "
                f"{' | '.join(self.labels[i] for i in filled)!r}, so the rows "
                "under it were not read",
            )
        return True

    def _line(self, row: Row, text: str, *, title: bool) -> None:
        strict = row.kind == "paragraph"
        if found := find_objective_heading(text, strict=strict):
            self._start_objective(row, found[1], group=found[0])
        elif match := _PERIOD_LINE_RE.match(text):
            self._period_line(row, match["text"])
        elif title and not self.titled:
            self.titled, self.plan.title = True, text
            self._period_from_title(text, row)
        elif match := _RAG_LINE_RE.match(text):
            self._definition(match["rag"], match["text"])
        elif is_group_heading(text):
            self.group = sentence_case(text)
        elif row.kind == "paragraph":
            self.unread = row if looks_like_heading(text) else None
        elif row.kind != "paragraph" and (self.columns is not None or self.plan.objectives):
            # Inside a table, a row across it that says nothing the plan has would be lost, and
            # the rows after it taken as the objective above's.
            self.problem(
                row,
                "expected an objective heading ('Strategic Objective 2 – Title: "
                f"aim') or a group heading in capitals; found {text!r}",
            )

    def _definition(self, word: str, text: str) -> None:
        if not self.definitions_read:
            self.definitions_read, self.plan.rag_definitions = True, {}
        self.plan.rag_definitions[rag_of(word)] = text.strip()

    def _period_line(self, row: Row, text: str) -> None:
        if text.strip().lower() == "none":
            starts = ends = None
        else:
            sides = re.split(r"\s+to\s+", text.strip())
            days = [_period_day(side) for side in sides] if len(sides) == 2 else [False]
            if any(day is False for day in days):
                self.problem(
                    row,
                    "expected 'Plan period: 1 April 2019 to 31 March 2020' "
                    f"(or 'open' for either side); found {text!r}",
                )
                return
            starts, ends = days
        self.period_given, self.plan.starts, self.plan.ends = True, starts, ends

    def _period_from_title(self, text: str, row: Row | None = None) -> None:
        if self.period_given:
            return
        try:
            self.plan.starts, self.plan.ends = plan_period(text)
        except PeriodError as error:
            where = f"{self.file}, {row.where}" if row else self.file
            self.problems.append(draft.Problem(where=where, reason=str(error)))
            self.problem_rows.append(self.rows)

    def _start_objective(self, row: Row, heading: draft.Objective, *, group: str = "") -> None:
        """A heading's own group label ("HIGH HARM CRIME — SO2a: …") wins over the capitals
        line above, and is the group of the objectives after it until another is given.

        A code met again continues its objective (a table carried on over a page), and fills
        in a title or aim it lacked; a different title or aim is a clash, reported as the flat
        layout reports it, since merging would lose one of them."""
        self.table_heading = None
        if group:
            self.group = group
        existing = next((o for o in self.plan.objectives if o.code == heading.code), None)
        if existing is None:
            heading.group = self.group
            self.plan.objectives.append(heading)
        else:
            for name in ("title", "aim"):
                known, found = getattr(existing, name), getattr(heading, name)
                if found and known and found != known:
                    self.problem(
                        row,
                        f"expected {existing.code}'s {name} {known!r} as above, or another "
                        f"code; found {found!r}",
                    )
                elif found:
                    setattr(existing, name, found)
        self.objective, self.measure = existing or heading, None

    def _cell(self, row: Row, key: str) -> str:
        """The text under a column; under a header merged over several, their texts as lines."""
        if key not in self.columns:
            return ""
        indices = [self.columns[key], *(i for i, k in self.extra.items() if k == key)]
        texts = [row.cells[i] for i in sorted(indices) if i < len(row.cells) and row.cells[i]]
        return "\n".join(t for n, t in enumerate(texts) if t not in texts[:n])

    def _data(self, row: Row) -> None:
        extra = self._extra_cells(row)
        cell = {key: self._cell(row, key) for key in COLUMNS}
        flat = "objective" in self.columns and cell["objective"]
        if flat and not self._flat_objective(row, cell):
            return
        if self.objective is None and "objective" in self.columns:
            self.problem(
                row, "expected an objective code such as SO1; found none", self.columns["objective"]
            )
            return
        if self.objective is None:
            self.problem(
                row,
                "expected an objective heading ('Strategic Objective 1 – Title: "
                "aim') or an Objective column before this row; found none",
            )
            return
        self._measure(row, cell)
        if not cell["action"]:
            given = [self.labels[self.columns[key]] for key in _ACTION_COLUMNS if cell[key]]
            given += list(extra)
            if given:
                names = ", ".join(given)
                self.problem(
                    row,
                    f"expected an action for the {names} given in this row; "
                    "the action cell is empty",
                    self.columns["action"],
                )
            return
        action = self._action(row, cell)
        action.extra = extra
        self.objective.actions.append(action)

    def _extra_cells(self, row: Row) -> dict[str, str]:
        """Text under columns a plan has no place for ("Comments", "Funding"), by header, kept
        with the action; each such column is noted once per header row."""
        known = {*self.columns.values(), *self.extra}
        extra: dict[str, str] = {}
        for i, text in enumerate(row.cells):
            if not text or i in known:
                continue
            label = self.labels.get(i) or f"Column {i + 1}"
            if text in extra.get(label, "").split("\n"):
                continue  # the same merged cell again
            extra[label] = f"{extra[label]}\n{text}" if label in extra else text
            if i not in self.reported:
                self.reported.add(i)
                self.warning(
                    row,
                    f"{label!r} is not a column a plan has (Action, Measures & targets, "
                    "Review point, Lead, ...): its text is kept with each action, under that "
                    "name, and written back in the plan's exports",
                    i,
                )
        return extra

    def _flat_objective(self, row: Row, cell: dict[str, str]) -> bool:
        heading = parse_objective_heading(cell["objective"])
        code = _CODE_RE.match(cell["objective"])
        if heading is None and code is None:
            self.problem(
                row,
                f"expected an objective code such as SO1 or SO4a; found {cell['objective']!r}",
                self.columns["objective"],
            )
            return False
        if heading is None:
            heading = draft.Objective(code=_code(code["prefix"], code["number"]), title="")
        heading.title = cell["objective_title"] or heading.title
        heading.aim = cell["aim"] or heading.aim
        existing = next((o for o in self.plan.objectives if o.code == heading.code), None)
        if existing is None:
            heading.group = cell["group"]
            self.plan.objectives.append(heading)
            self.objective, self.measure = heading, None
            return True
        if existing is not self.objective:
            self.objective, self.measure = existing, None
        for key, name, found in (
            ("objective_title", "title", heading.title),
            ("aim", "aim", heading.aim),
            ("group", "group", cell["group"]),
        ):
            known = getattr(existing, name)
            if found and known and found != known:
                self.problem(
                    row,
                    f"expected {existing.code}'s {name} {known!r} as on its "
                    f"first row; found {found!r}",
                    self.columns.get(key),
                )
            elif found:
                setattr(existing, name, found)
        return True

    def _measure(self, row: Row, cell: dict[str, str]) -> None:
        text = cell["measure"]
        if not text:
            return
        if text.lower() in NO_MEASURE:
            self.measure = None
            return
        measures = self.objective.measures
        index = next((i for i, m in enumerate(measures) if m.text == text), None)
        if index is None:
            measures.append(draft.Measure(text=text))
            index = len(measures) - 1
        self.measure = index
        indicator, known = cell["indicator"], measures[index].indicator
        if indicator and known and indicator != known:
            self.problem(
                row,
                f"expected the indicator {known!r} given for this measure "
                f"above; found {indicator!r}",
                self.columns.get("indicator"),
            )
        elif indicator:
            measures[index].indicator = indicator

    def _action(self, row: Row, cell: dict[str, str]) -> draft.Action:
        text, tags = cell["action"], []
        if match := _TAG_RE.match(text):
            text, tags = text[match.end() :], [draft.NEW_ACTION]
        for tag in re.split(r"[;,]", cell["tags"]):
            if tag.strip() and tag.strip() not in tags:
                tags.append(tag.strip())
        starts = self.plan.starts
        # A month with no year ("by March") is read within a financial-year plan only.
        hint = starts.year if starts and (starts.month, starts.day) == (4, 1) else None
        action = draft.Action(
            text=text,
            measure=self.measure,
            leads=parse_leads(cell["lead"], self.agencies),
            partners=cell["partners"],
            review=parse_review_point(cell["review"], today_year_hint=hint),
            tags=tags,
            plan_year=cell["plan_year"],
            source=row.where,
        )
        action.disposition = action.review.disposition
        self._disposition(row, cell["disposition"], action)
        self.pending.append(
            _Progress(
                order=self.rows,
                where=f"{self.file}, {row.where}",
                action=action,
                text=cell["update"],
                rag=cell["rag"],
                update_column=self.labels.get(self.columns.get("update", -1), ""),
                rag_column=self.labels.get(self.columns.get("rag", -1), ""),
            )
        )
        return action

    def _progress(self) -> None:
        """Split each progress cell into dated updates, now that the period is known, and
        check its RAG cell against the latest."""
        period = Period(self.plan.starts, self.plan.ends)
        for cell in self.pending:
            cell.action.updates, undatable = split_updates(cell.text, period)
            self._far_dates(cell)
            for label in dict.fromkeys(undatable):
                self.plan.warnings.append(
                    draft.Problem(
                        where=f"{cell.where}, column {cell.update_column}",
                        reason=f"{label!r} names a quarter but not its year, and the plan's "
                        f"period ({self._period_text()}) does not settle it: kept as text of "
                        "the update above it; write the year ('Q3 2019/20') to make it an "
                        "update of its own",
                    )
                )
            self._rag(cell)

    def _far_dates(self, cell: _Progress) -> None:
        """Note an update dated more than a year outside the plan's period: "12 March 2099"
        in a 2018/19 plan is most likely a slip of the year, and is kept as written."""
        starts, ends = self.plan.starts, self.plan.ends
        for update in cell.action.updates:
            day = update.on
            if day is None or starts is None or ends is None:
                continue
            if starts - FAR_FROM_PERIOD <= day <= ends + FAR_FROM_PERIOD:
                continue
            side = (
                f"before the plan starts ({format_day(starts)})"
                if day < starts
                else (f"after the plan ends ({format_day(ends)})")
            )
            self.plan.warnings.append(
                draft.Problem(
                    where=f"{cell.where}, column {cell.update_column}",
                    reason=f"an update is dated {format_day(day)}, more than a year {side}: "
                    "kept as written; check its year",
                )
            )

    def _period_text(self) -> str:
        if self.plan.starts and self.plan.ends:
            return f"{self.plan.starts:%-d %B %Y} to {self.plan.ends:%-d %B %Y}"
        return "not known"

    def _disposition(self, row: Row, text: str, action: draft.Action) -> None:
        """A Disposition column wins; it also fills a review point that names none itself."""
        if not text:
            return
        read = parse_review_point(text)
        if read.disposition is None or read.kind != draft.ReviewKind.NONE:
            self.problem(
                row,
                "expected Continue, Complete or Remove (Continue may name the "
                f"year, 'Continue 2020/21'); found {text!r}",
                self.columns["disposition"],
            )
            return
        action.disposition = read.disposition
        review = action.review
        if review.disposition is None and not review.carried_to:
            review.disposition, review.carried_to = read.disposition, read.carried_to

    def _rag(self, cell: _Progress) -> None:
        """The RAG column rates the latest update when that update carries no rating."""
        text, action = cell.rag, cell.action
        if not text:
            return
        rag = rag_of(text)
        where = f"{cell.where}, column {cell.rag_column}"
        if rag is None:
            self._late_problem(cell, where, f"expected Red, Amber or Green; found {text!r}")
        elif not action.updates:
            action.updates.append(draft.Update(on=None, text="", rag=rag))
        elif action.rag != rag:
            latest = action.latest
            if latest.rag is None:
                latest.rag = rag
            else:
                self._late_problem(
                    cell,
                    where,
                    f"expected {latest.rag.value} as the latest update says; found {text!r}",
                )

    def _late_problem(self, cell: _Progress, where: str, reason: str) -> None:
        self.problems.append(draft.Problem(where=where, reason=reason))
        self.problem_rows.append(cell.order)

    def finish(
        self, stem: str, *, starts: date | None = None, ends: date | None = None
    ) -> tuple[draft.Plan, list[draft.Problem]]:
        """The plan once every row is read; `starts` and `ends`, given, win over the file's."""
        if not self.plan.title:
            self.plan.title = stem
            self._period_from_title(stem)
        self.plan.starts = starts or self.plan.starts
        self.plan.ends = ends or self.plan.ends
        if reason := period_problem(self.plan.starts, self.plan.ends):
            self.problems.append(draft.Problem(where=self.file, reason=reason))
            self.problem_rows.append(self.rows + 1)
            self.plan.starts = self.plan.ends = None  # nothing is dated by a period so far off
        self._progress()
        order = sorted(range(len(self.problems)), key=lambda i: self.problem_rows[i])
        self.problems = [self.problems[i] for i in order]
        if not any(o.actions for o in self.plan.objectives):
            self.problems.append(
                draft.Problem(
                    where=self.file,
                    reason="expected at least one action under an Action header; found none",
                )
            )
        return self.plan, self.problems
