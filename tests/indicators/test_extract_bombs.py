"""The youth justice extract reader against the attack files of the upload-bomb test (built
in tests/test_uploads.py): each is refused whole with a message naming the file and the
limit, and nothing is stored; real extracts, including one whose sheet overstates its size,
still read. No timing is asserted (bench/bench_uploads.py has the figures)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from saferhub.indicators import extract
from saferhub.indicators.extract import ExtractError, read_extract_bytes
from saferhub.indicators.models import Value, YouthJusticeExtract
from saferhub.uploads import EXTRACT
from tests.test_uploads import (
    big_member_docx,
    declared_dimension_xlsx,
    many_entries_docx,
    rows_xlsx,
    three_cell_xlsx,
)

TODAY = date(2025, 11, 24)
HEADER = ["Person ID", "Date of birth", "Sex", "Ethnicity", "Outcome type", "Outcome date"]
HEADER += ["Offence date"]
GOOD = ["YJ-1", "2010-03-03", "M", "White", "Youth Caution", "2024-05-01", "2024-04-20"]


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(ExtractError) as refused:
        read_extract_bytes(data, filename, today=TODAY)
    [problem] = refused.value.problems
    return problem


def far_cell_xlsx() -> bytes:
    """A good extract with one more cell, at XFD1048576."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Extract"
    sheet.append(HEADER)
    sheet.append(GOOD)
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_three_cell_workbook_is_refused_without_walking_its_rows():
    problem = refusal(three_cell_xlsx("Person ID", "Date of birth"), "extract.xlsx")
    assert problem.startswith("extract.xlsx: missing required columns")  # from its row 1


def test_a_good_extract_with_a_far_cell_is_refused_at_it():
    problem = refusal(far_cell_xlsx(), "extract.xlsx")
    assert problem.startswith("extract.xlsx: sheet Extract has a value at XFD1048576")
    assert "a youth justice extract may use at most 300,000 rows and 250 columns" in problem


def test_zip_bombs_are_refused_before_parsing():
    assert "times over" in refusal(big_member_docx(2), "extract.xlsx")
    assert "at most 2,000 parts" in refusal(many_entries_docx(), "extract.xlsx")


def test_a_sheet_that_understates_its_size_is_counted_as_read(monkeypatch):
    monkeypatch.setattr(extract, "EXTRACT", replace(EXTRACT, rows=50))
    data = declared_dimension_xlsx(rows_xlsx([HEADER] + [GOOD] * 60, "Extract"), "A1:G2")
    assert "value at A51 (the sheet declares A1:G2)" in refusal(data, "extract.xlsx")


def test_too_many_rows_columns_or_cells_in_a_csv(monkeypatch):
    monkeypatch.setattr(extract, "EXTRACT", replace(EXTRACT, rows=50, cells=1_000))
    text = (",".join(HEADER) + "\n" + (",".join(GOOD) + "\n") * 60).encode()
    assert refusal(text, "extract.csv").startswith(
        "extract.csv: it has more than 50 rows (at row 51); a youth justice extract may"
    )
    wide = (",".join(HEADER + ["x"] * 300) + "\n").encode()
    assert refusal(wide, "wide.csv").startswith("wide.csv: row 1 has 307 columns")
    many = (",".join(HEADER + ["x"] * 200) + "\n").encode() * 5
    assert refusal(many, "many.csv").startswith("many.csv: it has more than 1,000 cells")


def test_the_file_size_is_capped_for_the_command_line_too(monkeypatch):
    monkeypatch.setattr(extract, "EXTRACT", replace(EXTRACT, file_bytes=100))
    problem = refusal(b"x" * 200, "extract.csv")
    assert problem.startswith("extract.csv: the file is 200 bytes; a youth justice extract")


def test_real_extracts_still_read():
    rows = [HEADER, GOOD, ["YJ-2", "2011-01-01", "F", "", "Triage", "2025-06-01", "2025-04-01"]]
    csv_text = "\n".join(",".join(r) for r in rows).encode()
    assert len(read_extract_bytes(csv_text, "extract.csv", today=TODAY)) == 2
    workbook = rows_xlsx(rows, "Extract")
    assert len(read_extract_bytes(workbook, "extract.xlsx", today=TODAY)) == 2
    inflated = declared_dimension_xlsx(workbook, "A1:XFD1048576")
    assert read_extract_bytes(inflated, "x.xlsx", today=TODAY) == read_extract_bytes(
        workbook, "x.xlsx", today=TODAY
    )
    padded = three_cell_xlsx("Person ID", "Date of birth", far="")  # empty far cell: read
    assert "missing required columns" in refusal(padded, "extract.xlsx")


@pytest.mark.django_db
def test_the_upload_page_names_the_limit_and_stores_nothing(signed_in):
    client, _ = signed_in("analyst")
    upload = io.BytesIO(far_cell_xlsx())
    upload.name = "bomb.xlsx"
    page = client.post(reverse("indicators:youth-justice"), {"extract": upload}).content.decode()
    assert "The extract was not imported" in page
    assert "bomb.xlsx: sheet Extract has a value at XFD1048576" in page
    assert not YouthJusticeExtract.objects.exists() and not Value.objects.exists()
