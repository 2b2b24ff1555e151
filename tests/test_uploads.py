"""The limits on uploaded files (saferhub.uploads), and the attack files that showed they were
needed, built here in code (the plan and extract tests, and bench/bench_uploads.py, use them):

- `three_cell_xlsx`: a 5 KB workbook whose only cells are A1, B1 and XFD1048576 (a reader
  that walks the sheet's rectangle walks seventeen billion cells);
- `paragraphs_docx`: a small Word file of very many short paragraphs;
- `big_member_docx`: a Word file whose document part unpacks to far more than the file;
- `many_entries_docx`: a Word file with thousands of extra zip members;
- `merge_bomb_xlsx`: one merged range A1:XFD1048576 (a full openpyxl load expands it);
- `declared_dimension_xlsx`: a workbook's dimension rewritten, to lie either way.

No test here measures time: the deadline is tested with a clock the test moves."""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest

from saferhub import uploads
from saferhub.uploads import EXTRACT, PLAN, Deadline, Tally, UploadRefused

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BODY_RE = re.compile(rb"<w:body>.*</w:body>", re.DOTALL)


# ---------------------------------------------------------------------------------------------
# Attack files


def three_cell_xlsx(a1: str = "Action", b1: str = "Lead", far: str = "x") -> bytes:
    """A1, B1 and XFD1048576, nothing else: about 5 KB."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet["A1"], sheet["B1"], sheet["XFD1048576"] = a1, b1, far
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _blank_docx() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def rewrite_member(data: bytes, name: str, change, extra: dict[str, bytes] | None = None) -> bytes:
    """The zip with member `name` replaced by `change(old bytes)`, and `extra` members added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            target.writestr(member, change(content) if member.filename == name else content)
        for extra_name, content in (extra or {}).items():
            target.writestr(extra_name, content)
    return out.getvalue()


def _paragraphs_xml(count: int, text: str = "x") -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode() * count


def paragraphs_docx(count: int = 100_000, text: str = "") -> bytes:
    """A Word file of `count` short paragraphs, each its number after `text`: 100,000 are
    about 300 KB (the attack's 46 KB file compressed better; both are under the zip checks'
    ratio, so the paragraph cap is what refuses it)."""
    paragraphs = b"".join(
        f"<w:p><w:r><w:t>{text}{i}</w:t></w:r></w:p>".encode() for i in range(count)
    )
    body = b"<w:body>" + paragraphs + b"</w:body>"
    return rewrite_member(
        _blank_docx(), "word/document.xml", lambda xml: _BODY_RE.sub(lambda _: body, xml)
    )


def big_member_docx(unpacked_mb: int = 60) -> bytes:
    """A Word file whose document part is `unpacked_mb` MB of paragraphs (a few hundred KB
    packed), written a megabyte at a time."""
    source = zipfile.ZipFile(io.BytesIO(_blank_docx()))
    original = source.read("word/document.xml")
    head, tail = original.split(b"<w:body>")[0], b"</w:body></w:document>"
    paragraph = _paragraphs_xml(1, "a" * 13)
    chunk = paragraph * (uploads.MB // len(paragraph))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                target.writestr(member, source.read(member.filename))
        with target.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head + b"<w:body>")
            for _ in range(unpacked_mb):
                part.write(chunk)
            part.write(tail)
    return out.getvalue()


def many_entries_docx(count: int = 2_500) -> bytes:
    """A Word file with `count` extra (empty) members."""
    extra = {f"extra/item{i}.xml": b"" for i in range(count)}
    return rewrite_member(_blank_docx(), "word/document.xml", lambda xml: xml, extra)


def _sheet(data: bytes, change) -> bytes:
    return rewrite_member(data, "xl/worksheets/sheet1.xml", change)


def merge_bomb_xlsx() -> bytes:
    """A two-cell workbook with one merged range A1:XFD1048576."""
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    return _sheet(three_cell_xlsx(far=None), lambda xml: xml.replace(b"</sheetData>", merge))


def declared_dimension_xlsx(data: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's declared dimension set to `ref`."""
    return _sheet(
        data,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml),
    )


def rows_xlsx(rows: list[list[object]], title: str = "Plan") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------
# The zip directory


def test_a_normal_docx_and_xlsx_pass_the_zip_checks():
    uploads.check_zip(_blank_docx(), "plan.docx", PLAN)
    uploads.check_zip(rows_xlsx([["Action", "Lead"]] * 100), "plan.xlsx", PLAN)
    uploads.check_zip(b"not a zip", "plan.csv", PLAN)  # left to the parser to refuse


def test_a_member_that_unpacks_too_far_is_refused_before_parsing():
    data = big_member_docx(60)
    assert len(data) < 1024 * 1024  # 60 MB in under 1 MB
    with pytest.raises(UploadRefused) as refused:
        uploads.check_zip(data, "plan.docx", PLAN)
    assert str(refused.value).startswith("plan.docx: its part word/document.xml unpacks to 60 MB")
    assert "at most 50 MB" in str(refused.value)


def test_a_member_compressed_far_more_than_real_files_is_refused():
    data = big_member_docx(2)
    with pytest.raises(UploadRefused, match=r"compressed [\d,]+ times over.*at most 100 times"):
        uploads.check_zip(data, "plan.docx", PLAN)


def test_too_many_members_are_refused():
    with pytest.raises(UploadRefused) as refused:
        uploads.check_zip(many_entries_docx(2_500), "plan.docx", PLAN)
    assert "plan.docx: the file holds 2,5" in str(refused.value)
    assert "at most 2,000 parts" in str(refused.value)


def test_the_total_unpacked_is_capped():
    small = replace(PLAN, zip_total=3 * uploads.MB)
    noise = random.Random(0).randbytes  # does not compress: only the total is over
    data = rewrite_member(
        _blank_docx(), "word/document.xml", lambda xml: xml, {"a.bin": noise(2 * uploads.MB)}
    )
    uploads.check_zip(data, "plan.docx", PLAN)
    with pytest.raises(
        UploadRefused, match="unpacks to 3 MB; a delivery plan may unpack to at most 3 MB"
    ):
        uploads.check_zip(
            rewrite_member(data, "b", lambda x: x, {"b.bin": noise(uploads.MB // 2)}), "p", small
        )


def test_the_file_size_is_checked_from_a_path_too(tmp_path):
    path = write(tmp_path, "plan.docx", b"x" * 100)
    with pytest.raises(UploadRefused, match=r"plan.docx: the file is 100 bytes.*at most 50 bytes"):
        uploads.check_zip(path, "plan.docx", replace(PLAN, file_bytes=50))


# ---------------------------------------------------------------------------------------------
# Counting


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_deadline_refuses_once_spent_and_names_the_file_and_budget():
    clock = Clock()
    deadline = Deadline("plan.docx", PLAN, clock=clock)
    clock.now += PLAN.seconds - 1
    deadline.check()
    clock.now += 2
    with pytest.raises(UploadRefused, match=r"plan\.docx: reading it took longer than 30 seconds"):
        deadline.check()


def test_every_count_checks_the_deadline():
    clock = Clock()
    tally = Tally("x.csv", EXTRACT, Deadline("x.csv", EXTRACT, clock=clock))
    tally.row()
    clock.now += EXTRACT.seconds + 1
    with pytest.raises(UploadRefused, match="longer than 120 seconds"):
        tally.row()


def test_caps_on_rows_columns_cells_paragraphs_and_characters():
    small = replace(PLAN, rows=2, columns=3, cells=5, paragraphs=2, characters=10)
    tally = Tally("plan.csv", small)
    tally.row("row 1")
    tally.row("row 2")
    with pytest.raises(UploadRefused, match=r"more than 2 rows \(at row 3\).*at most 2 rows"):
        tally.row("row 3")
    with pytest.raises(
        UploadRefused, match="row 4 has 4 columns; a delivery plan may have at most 3"
    ):
        tally.add_cells(4, "row 4")
    tally.add_cells(3)
    with pytest.raises(UploadRefused, match="more than 5 cells"):
        tally.add_cells(3)
    tally.paragraph()
    tally.paragraph()
    with pytest.raises(UploadRefused, match="more than 2 paragraphs"):
        tally.paragraph()
    assert tally.text("0123456789") == "0123456789"
    with pytest.raises(UploadRefused, match="more than 10 characters of text"):
        tally.text("!")


def test_column_letters():
    assert [uploads.column_letter(n) for n in (1, 26, 27, 100, 16384)] == [
        "A",
        "Z",
        "AA",
        "CV",
        "XFD",
    ]


# ---------------------------------------------------------------------------------------------
# Sheets as stored


def _rows(data: bytes, limits=PLAN) -> tuple[list[tuple[int, list]], uploads.SheetShape]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    shape = uploads.SheetShape()
    try:
        rows = list(
            uploads.sheet_rows(
                book.worksheets[0], Tally("f.xlsx", limits), label="sheet Plan", shape=shape
            )
        )
    finally:
        book.close()
    return rows, shape


def test_sheet_rows_give_values_as_stored_and_skip_empty_rows():
    rows, shape = _rows(rows_xlsx([["a", None, "c"], [], [None, "e"]]))
    assert rows == [(1, ["a", None, "c"]), (3, [None, "e"])]
    assert (shape.rows, shape.columns) == (3, 3)


def test_a_value_at_xfd1048576_is_refused_where_it_is():
    with pytest.raises(UploadRefused) as refused:
        _rows(three_cell_xlsx())
    message = str(refused.value)
    assert message.startswith("f.xlsx: sheet Plan has a value at XFD1048576")
    assert "(the sheet declares A1:XFD1048576)" in message
    assert "at most 20,000 rows and 100 columns (up to CV20000)" in message


def test_empty_cells_beyond_the_values_cost_nothing_and_are_ignored():
    rows, shape = _rows(three_cell_xlsx(far=""))
    assert rows == [(1, ["Action", "Lead"])] and (shape.rows, shape.columns) == (1, 2)


def test_a_dimension_that_understates_the_sheet_is_not_trusted():
    data = declared_dimension_xlsx(rows_xlsx([["a", "b"]] * 30), "A1:B2")
    with pytest.raises(UploadRefused, match=r"value at A21 \(the sheet declares A1:B2\)"):
        _rows(data, replace(PLAN, rows=20))


def test_a_dimension_that_overstates_the_sheet_is_not_walked():
    data = declared_dimension_xlsx(rows_xlsx([["a", "b"]] * 3), "A1:XFD1048576")
    rows, shape = _rows(data)
    assert len(rows) == 3 and (shape.rows, shape.columns) == (3, 2)


def test_stored_cells_count_even_when_empty():
    data = rows_xlsx([["a", "b", "c", "d"]] * 3)
    with pytest.raises(UploadRefused, match="more than 10 cells"):
        _rows(data, replace(PLAN, cells=10))


def test_merged_ranges_past_the_caps_are_refused():
    _, shape = _rows(merge_bomb_xlsx())
    assert shape.merges == ["A1:XFD1048576"]
    with pytest.raises(UploadRefused, match="merges or links the cells A1:XFD1048576"):
        uploads.check_ranges(shape, Tally("f.xlsx", PLAN), label="sheet Plan")
    many = uploads.SheetShape(merges=["A1:CV1000"] * 6)
    with pytest.raises(UploadRefused, match="merged and linked ranges cover more than 500,000"):
        uploads.check_ranges(many, Tally("f.xlsx", PLAN), label="sheet Plan")
