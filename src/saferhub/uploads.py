"""Limits on uploaded files, and the checks every reader of one makes before and while reading.

A file's size says little about what reading it costs. An .xlsx or .docx is a zip: 5 KB can
unpack to gigabytes, and a sheet whose only cells are A1 and XFD1048576 is, to a reader that
walks its rectangle, seventeen billion cells. An attack test drove a worker to 6 GB with such
a workbook, and kept one busy for nine minutes with a Word file of 200 MB of paragraphs. So
every reader of an upload (the delivery plan importer, the youth justice extract reader):

1. checks the file's size and, for a zip-based format, the zip's directory before any parser
   opens it (`check_zip`): how many members, how much they unpack to in all and each, and by
   what ratio each is compressed (what the directory says is checked again as members are
   read: the zip module stops reading a member at its declared size);
2. counts what it reads as it reads it (`Tally`): rows, cells, Word paragraphs and
   characters, each against a cap, and refuses at the first one over; a spreadsheet's
   declared dimension is never trusted, and empty rows and columns after the last value are
   ignored rather than walked (`sheet_rows`);
3. gives up after a wall-clock budget (`Deadline`), checked inside the reading loops, for
   whatever the caps do not foresee.

A refusal is an `UploadRefused` naming the file and the limit, with what to do about it; each
reader turns it into its own error type, so nothing of a refused file is stored. The limits
are set well above any real partnership file (see `PLAN` and `EXTRACT`, and the "Limits on
uploaded files" sections of docs/user/delivery-plan.md and docs/user/indicators.md).

No Django here: the command line and the site read files the same way. openpyxl is imported
only by `sheet_rows`, which is handed a workbook its caller opened.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1024 * 1024


class UploadRefused(ValueError):
    """A file over one of the limits. The message names the file, the limit and the fix."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}")


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold. `kind` names the file in messages ("a delivery plan")."""

    kind: str
    file_bytes: int  # the file itself (the site's forms refuse smaller ones first)
    zip_entries: int  # members of an .xlsx/.docx: a real one has 10 to a few hundred
    zip_total: int  # all members unpacked
    zip_member: int  # any one member unpacked (the sheet or document XML is the big one)
    zip_ratio: int  # unpacked / packed, for any member over RATIO_FLOOR unpacked
    rows: int  # spreadsheet rows (the last row with a value), CSV lines, Word rows read
    columns: int  # the last column with a value, in any row
    cells: int  # cells in the file (spreadsheet cells as stored, CSV and Word cells)
    paragraphs: int  # Word paragraphs, in the body and in table cells
    characters: int  # text read, in all
    seconds: float  # wall-clock budget for reading the file


# Members smaller than this unpacked may have any ratio: a 10 KB styles part of repeated XML
# compresses 100 times over and costs nothing to read.
RATIO_FLOOR = 1 * MB

# A delivery plan has a few hundred actions, a few thousand at the very most, each one row of
# a table or sheet with up to about 20 columns. The 400-action plan of bench/bench_plans.py
# is 25 KB as .xlsx and about 700 rows, 5,000 cells and 3,000 paragraphs as .docx, read in
# under half a second; these caps are some 25 times that (10,000 actions).
PLAN = Limits(
    kind="a delivery plan",
    file_bytes=20 * MB,
    zip_entries=2_000,
    zip_total=200 * MB,
    zip_member=50 * MB,
    zip_ratio=100,
    rows=20_000,
    columns=100,
    cells=500_000,
    paragraphs=100_000,
    characters=10_000_000,
    seconds=30.0,
)

# A youth justice extract is one row per outcome: up to about 200,000 rows for a large
# service's whole case history, with the 7 columns read and perhaps 50 more exported. A
# 100,000-row .xlsx extract is 3.8 MB, its sheet 47 MB unpacked (12 times), read in about
# 25 s on the 2-core development machine; these caps are 300,000 rows of 20 filled columns.
EXTRACT = Limits(
    kind="a youth justice extract",
    file_bytes=100 * MB,
    zip_entries=2_000,
    zip_total=400 * MB,
    zip_member=300 * MB,
    zip_ratio=100,
    rows=300_000,
    columns=250,
    cells=6_000_000,
    paragraphs=0,  # no Word extracts
    characters=200_000_000,
    seconds=120.0,
)


def _count(n: int) -> str:
    return f"{n:,}"


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def check_size(size: int, filename: str, limits: Limits) -> None:
    """Refuse a file larger than `limits.file_bytes` before anything reads it."""
    if size > limits.file_bytes:
        raise UploadRefused(
            filename,
            f"the file is {_size(size)}; {limits.kind} may be at most "
            f"{_size(limits.file_bytes)}: remove pictures and old material and save it again",
        )


def check_zip(source: bytes | Path, filename: str, limits: Limits) -> None:
    """Inspect an .xlsx/.docx zip's directory before any parser opens it.

    The directory states each member's packed and unpacked size; a zip bomb is one whose
    members unpack to far more than the file's size. A file that is not a zip at all is left
    to the parser, which refuses it in its own words."""
    if isinstance(source, Path):
        check_size(source.stat().st_size, filename, limits)
        stream: Any = source.open("rb")
    else:
        check_size(len(source), filename, limits)
        stream = io.BytesIO(source)
    with stream:
        try:
            with zipfile.ZipFile(stream) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return
    if len(members) > limits.zip_entries:
        raise UploadRefused(
            filename,
            f"the file holds {_count(len(members))} parts; {limits.kind} may hold at most "
            f"{_count(limits.zip_entries)} parts: it is not a file Word or Excel saved as it is",
        )
    total = 0
    for member in members:
        unpacked = member.file_size
        total += unpacked
        if unpacked > limits.zip_member:
            raise UploadRefused(
                filename,
                f"its part {member.filename} unpacks to {_size(unpacked)}; any part of "
                f"{limits.kind} may be at most {_size(limits.zip_member)}: split the file or "
                "remove what is not needed",
            )
        ratio = unpacked / max(member.compress_size, 1)
        if unpacked > RATIO_FLOOR and ratio > limits.zip_ratio:
            raise UploadRefused(
                filename,
                f"its part {member.filename} is compressed {ratio:,.0f} times over "
                f"({_size(member.compress_size)} to {_size(unpacked)}); real files are "
                f"compressed at most {limits.zip_ratio} times: it is not a file Word or "
                "Excel saved as it is",
            )
    if total > limits.zip_total:
        raise UploadRefused(
            filename,
            f"the file unpacks to {_size(total)}; {limits.kind} may unpack to at most "
            f"{_size(limits.zip_total)}: split the file or remove what is not needed",
        )


class Deadline:
    """A wall-clock budget for reading one file; `check()` goes inside the reading loops.

    The caps bound what a file may hold; the deadline bounds what nobody foresaw (a
    pathological table layout, a slow parser path). It is measured on the monotonic clock,
    which a test's frozen calendar clock does not stop; tests pass their own `clock`."""

    def __init__(
        self,
        filename: str,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.filename = filename
        self.seconds = limits.seconds
        self.kind = limits.kind
        self._clock = clock
        self._ends = clock() + limits.seconds

    def check(self) -> None:
        """Raise `UploadRefused` once the budget is spent."""
        if self._clock() > self._ends:
            raise UploadRefused(
                self.filename,
                f"reading it took longer than {self.seconds:g} seconds, the most allowed for "
                f"{self.kind}: the file is far larger or more complicated than a real one; "
                "save a copy with only the plan's tables (or the extract's columns) and try it",
            )


@dataclass
class Tally:
    """What a reader has read of one file so far, against the caps; every count checks the
    deadline too, so a reader that counts as it goes is bounded in time as well as size."""

    filename: str
    limits: Limits
    deadline: Deadline | None = None
    rows: int = 0
    cells: int = 0
    paragraphs: int = 0
    characters: int = 0

    def __post_init__(self) -> None:
        if self.deadline is None:
            self.deadline = Deadline(self.filename, self.limits)

    def _over(self, what: str, found: str, cap: int, fix: str) -> UploadRefused:
        return UploadRefused(
            self.filename,
            f"{found}; {self.limits.kind} may have at most {_count(cap)} {what}: {fix}",
        )

    def row(self, where: str = "") -> None:
        """One more row read (a spreadsheet or CSV row, a Word paragraph or table row)."""
        assert self.deadline is not None
        self.deadline.check()
        self.rows += 1
        if self.rows > self.limits.rows:
            place = f" (at {where})" if where else ""
            raise self._over(
                "rows",
                f"it has more than {_count(self.limits.rows)} rows{place}",
                self.limits.rows,
                "split the file, or delete the rows after its own",
            )

    def add_cells(self, count: int, where: str = "") -> None:
        """`count` more cells read; a row wider than the column cap is refused here too."""
        if count > self.limits.columns:
            place = f"{where} has" if where else "a row has"
            raise self._over(
                "columns",
                f"{place} {_count(count)} columns",
                self.limits.columns,
                "delete the columns after the file's own",
            )
        self.cells += count
        if self.cells > self.limits.cells:
            raise self._over(
                "cells",
                f"it has more than {_count(self.limits.cells)} cells",
                self.limits.cells,
                "split the file, or delete what is not part of it",
            )

    def stored(self, count: int) -> None:
        """`count` more spreadsheet cells as the file stores them, empty or not: what a full
        (not read-only) load of the workbook would hold in memory."""
        assert self.deadline is not None
        self.deadline.check()
        self.cells += count
        if self.cells > self.limits.cells:
            raise self._over(
                "cells",
                f"it has more than {_count(self.limits.cells)} cells",
                self.limits.cells,
                "split the file, or delete what is not part of it",
            )

    def paragraph(self) -> None:
        """One more Word paragraph (body or table cell)."""
        self.paragraphs += 1
        if self.paragraphs > self.limits.paragraphs:
            raise self._over(
                "paragraphs",
                f"it has more than {_count(self.limits.paragraphs)} paragraphs",
                self.limits.paragraphs,
                "split the document, or delete what is not part of the plan",
            )
        if self.paragraphs % 256 == 0:
            assert self.deadline is not None
            self.deadline.check()

    def text(self, text: str) -> str:
        """Count the characters of `text` (returned, so a reader can wrap its cell texts)."""
        self.characters += len(text)
        if self.characters > self.limits.characters:
            raise self._over(
                "characters of text",
                f"it has more than {_count(self.limits.characters)} characters of text",
                self.limits.characters,
                "split the file, or delete what is not part of it",
            )
        return text


def column_letter(number: int) -> str:
    """1 → "A", 16384 → "XFD" (as Excel names a column, for messages)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetShape:
    """What `sheet_rows` found in one sheet: where its values end, its merged ranges and the
    ranges its hyperlinks cover."""

    rows: int = 0  # the last row with a value
    columns: int = 0  # the last column with a value
    merges: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def sheet_rows(
    sheet: Any,
    tally: Tally,
    *,
    label: str,
    shape: SheetShape | None = None,
) -> Iterator[tuple[int, list[object]]]:
    """(row number, values) for each row of a read-only openpyxl sheet that holds a value, the
    values up to its last one; rows with none are not yielded.

    The sheet's declared dimension (`max_row`, `max_column`) is read but never walked: a file
    may declare A1:XFD1048576, or declare A1 and hold a million rows. openpyxl's own row
    iterator pads each row to the declared width (or to its last cell) and fills every gap
    between rows, so the rows are read as the file stores them, cell by cell, from openpyxl's
    sheet parser: each stored cell counts against the cell cap, a value past the row or
    column cap is refused where it is, and empty cells after the last value cost nothing.
    `shape`, when given, is filled in with the extent and the merged ranges (which openpyxl's
    full loader would otherwise expand cell by cell)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    limits = tally.limits
    deadline = tally.deadline
    assert deadline is not None
    declared = ""
    if sheet.max_row and sheet.max_column:
        declared = f"{column_letter(sheet.max_column)}{sheet.max_row}"
    book = sheet.parent
    shape = shape if shape is not None else SheetShape()
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            tally.stored(len(cells))  # checks the deadline too
            filled = [(c["column"], c["value"]) for c in cells if not _empty(c["value"])]
            if not filled:
                continue
            last = max(column for column, _ in filled)
            if number > limits.rows or last > limits.columns:
                far = last if last > limits.columns else filled[0][0]
                note = f" (the sheet declares A1:{declared})" if declared else ""
                raise UploadRefused(
                    tally.filename,
                    f"{label} has a value at {column_letter(far)}{number}{note}; "
                    f"{limits.kind} may use at most {_count(limits.rows)} rows and "
                    f"{_count(limits.columns)} columns (up to "
                    f"{column_letter(limits.columns)}{limits.rows}): delete what is beyond "
                    "the file's own rows and columns (Ctrl+End in Excel goes to the last "
                    "cell it keeps) and save it again",
                )
            tally.row(f"{label}, row {number}")
            values: list[object] = [None] * last
            for column, value in filled:
                values[column - 1] = value
                if isinstance(value, str):
                    tally.text(value)
            shape.rows = max(shape.rows, number)
            shape.columns = max(shape.columns, last)
            yield number, values
        if parser.merged_cells is not None:
            shape.merges = [str(cell.ref) for cell in parser.merged_cells.mergeCell]
        shape.links = [str(link.ref) for link in parser.hyperlinks.hyperlink if link.ref]


def check_ranges(shape: SheetShape, tally: Tally, *, label: str) -> None:
    """Refuse merged or hyperlinked ranges that reach past the caps or cover more cells than
    the cell cap in all: openpyxl's full loader makes an object for every cell of every merged
    range and of every hyperlink's range, so one range A1:XFD1048576 is seventeen billion."""
    from openpyxl.utils.cell import range_boundaries

    limits = tally.limits
    area = 0
    for ref in [*shape.merges, *shape.links]:
        if ":" not in ref:
            ref = f"{ref}:{ref}"
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if max_row > limits.rows or max_col > limits.columns:
            raise UploadRefused(
                tally.filename,
                f"{label} merges or links the cells {ref}; {limits.kind} may use at most "
                f"{_count(limits.rows)} rows and {_count(limits.columns)} columns (up to "
                f"{column_letter(limits.columns)}{limits.rows}): unmerge them and save it again",
            )
        area += (max_row - min_row + 1) * (max_col - min_col + 1)
        if area > limits.cells:
            raise UploadRefused(
                tally.filename,
                f"{label}'s merged and linked ranges cover more than "
                f"{_count(limits.cells)} cells, the most {limits.kind} may have: unmerge "
                "them and save it again",
            )
