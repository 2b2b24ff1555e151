"""An uploaded import file read into rows of cell values, bounded, whatever it claims to be.

The type comes from the content, not the name: a zip (PK) is read as an Excel workbook, text
as CSV, and a file whose name says .xlsx but whose bytes are something else is refused saying
what it looks like. Reading reuses the upload bounds (`saferhub.uploads`): the size first, the
zip's directory before openpyxl opens it, then rows, cells, characters and time as they are
read, each sheet cell by cell as it is stored (never to the dimension it declares).

A formula is never worked out: the workbook is read with its formulas, so a cell holding
`=HYPERLINK(...)` is that text (and the preview says so). CSV text is UTF-8 (with or without
a byte order mark), UTF-16 with its mark, or else Windows-1252, which is what Excel's "CSV"
writes on a UK Windows machine; anything else is refused naming the byte.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ... import uploads
from ...uploads import MB, Limits, Tally, UploadRefused

# A partner's caseload file: a few thousand rows at most, usually far fewer; these caps allow
# 50,000 rows of 40 filled columns (bench/bench_casework_import.py imports 10,000).
IMPORT = Limits(
    kind="a casework import file",
    file_bytes=20 * MB,
    zip_entries=2_000,
    zip_total=300 * MB,
    zip_member=200 * MB,
    zip_ratio=100,
    rows=50_000,
    columns=200,
    cells=2_000_000,
    paragraphs=0,
    characters=50_000_000,
    seconds=120.0,
)

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
_XLSX = (".xlsx", ".xlsm")


class ImportFileError(ValueError):
    """The file cannot be read as an import at all (wrong type, damaged, over a limit). The
    message names the file and says what to do."""


@dataclass
class Sheet:
    """One table of the file: a CSV, or one visible sheet of a workbook."""

    name: str  # "" for a CSV
    rows: list[tuple[int, list]]  # (row number as a spreadsheet shows it, cell values)

    @property
    def label(self) -> str:
        return f"sheet {self.name}" if self.name else "the file"


@dataclass
class Table:
    """What was read: the sheets in order, and notes on how (the encoding, hidden sheets)."""

    filename: str
    kind: str  # "csv" or "xlsx"
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str, limits: Limits = IMPORT) -> Table:
    """Read an uploaded file's bytes; `ImportFileError` when it is not a readable CSV or
    workbook, or goes over a limit (nothing of it is kept)."""
    name = Path(filename).name or "the file"
    suffix = Path(name).suffix.lower()
    try:
        uploads.check_size(len(data), name, limits)
        if data[:4] == b"PK\x03\x04":
            uploads.check_zip(data, name, limits)
            return _workbook(data, name, limits)
        if suffix in _XLSX:
            raise ImportFileError(
                f"{name}: the name says it is an Excel workbook (.xlsx) but it is not one: "
                f"it looks like {_looks_like(data)}. Open it in Excel and save it as an Excel "
                "workbook (.xlsx) or as CSV"
            )
        if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise ImportFileError(
                f"{name}: is an old Excel 97-2003 workbook (.xls): open it in Excel and save "
                "it as an Excel workbook (.xlsx) or as CSV"
            )
        if suffix not in (".csv", ".txt", ""):
            raise ImportFileError(
                f"{name}: expected a CSV file (.csv) or an Excel workbook (.xlsx); "
                f"found {_looks_like(data)}"
            )
        return _csv(data, name, limits)
    except UploadRefused as refused:
        raise ImportFileError(str(refused)) from None


def _looks_like(data: bytes) -> str:
    """What a file's first bytes say it is, in words."""
    head = data[:1024]
    if not head:
        return "an empty file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel 97-2003 (.xls) or Word (.doc) file"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return "a web page (HTML), as some systems' 'Excel' exports are"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "a picture"
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "a binary file of another kind"
    return "text (perhaps a CSV file given the wrong name)"


# --- workbooks ---------------------------------------------------------------------------------


def _workbook(data: bytes, name: str, limits: Limits) -> Table:
    import openpyxl

    tally = Tally(name, limits)
    try:
        # Formulas as they are written (data_only=False): nothing in a file is worked out.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a zip that is no workbook (a .docx renamed), or a damaged one
        raise ImportFileError(
            f"{name}: is a zip file but not a readable Excel workbook (.xlsx): it may be "
            "damaged or another kind of file renamed; open it in Excel and save it again"
        ) from exc
    try:
        sheets: list[Sheet] = []
        notes: list[str] = []
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                notes.append(f"sheet {sheet.title} is hidden: not read")
                continue
            label = f"sheet {sheet.title}"
            shape = uploads.SheetShape()
            rows = list(uploads.sheet_rows(sheet, tally, label=label, shape=shape))
            uploads.check_ranges(shape, tally, label=label)
            sheets.append(Sheet(sheet.title, rows))
    except (ImportFileError, UploadRefused):
        raise
    except Exception as exc:  # a sheet whose XML breaks off, or holds what is no cell
        raise ImportFileError(
            f"{name}: could not be read as an Excel workbook (.xlsx): it may be damaged; "
            "open it in Excel and save it again"
        ) from exc
    finally:
        book.close()
    if not sheets:
        raise ImportFileError(f"{name}: the workbook has no visible sheet to read")
    return Table(name, "xlsx", sheets, notes)


# --- CSV ---------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The file's text and the encoding it was read in (for the preview's note)."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"{name}: starts with a {label} byte order mark but is not {label} text "
                    f"(a broken character at byte {exc.start:,}): save it again as 'CSV UTF-8'"
                ) from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            f"{name}: is not a text file (it holds NUL bytes): expected a CSV file; found "
            f"{_looks_like(data)}"
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise ImportFileError(
            f"{name}: expected text in UTF-8 or Windows-1252 (Excel's CSV); found the byte "
            f"0x{byte:02X} at byte {exc.start + 1:,}, which is neither: save the file from "
            "Excel as 'CSV UTF-8 (Comma delimited)'"
        ) from None


def _delimiter(text: str) -> str:
    """A comma, unless the first lines are plainly separated by semicolons or tabs."""
    sample = "\n".join(text[:65536].splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _csv(data: bytes, name: str, limits: Limits) -> Table:
    text, encoding = decode(data, name)
    notes = [] if encoding == "UTF-8" else [f"read as {encoding} text"]
    tally = Tally(name, limits)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[tuple[int, list]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            width = len(cells)
            while width and not cells[width - 1].strip():
                width -= 1  # Excel pads each line to the widest: not cells of this one
            if not width:
                continue
            where = f"row {number}"
            tally.row(where)
            tally.add_cells(width, where)
            rows.append((number, [tally.text(c) for c in cells[:width]]))
    except csv.Error as exc:
        limit = csv.field_size_limit()
        reason = (
            f"a cell longer than {limit:,} characters"
            if "field limit" in str(exc)
            else "broken quoting (a quote mark never closed, or text after a closing one)"
        )
        raise ImportFileError(
            f"{name}, row {number + 1}: expected CSV cells; found {reason}"
        ) from None
    return Table(name, "csv", [Sheet("", rows)], notes)
