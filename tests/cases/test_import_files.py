"""Reading an import file, bounded, whatever it claims to be: real CSV bytes and real
workbooks written here with openpyxl."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from saferhub.cases.importing import files
from saferhub.cases.importing.files import IMPORT, ImportFileError, read_table


def workbook(rows, *, title="Cases", more=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if more:
        more(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_in_utf8_is_read_with_its_row_numbers():
    table = read_table(b"Surname,DOB\nTestperson,04/03/1990\n", "people.csv")
    assert table.kind == "csv" and table.notes == []
    assert table.sheets[0].rows == [(1, ["Surname", "DOB"]), (2, ["Testperson", "04/03/1990"])]


def test_a_csv_from_excel_in_windows_1252_is_decoded_and_said_so():
    data = "Surname,Notes\nO’Brien,Café outreach – weekly\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data, "people.csv")
    assert table.sheets[0].rows[1] == (2, ["O’Brien", "Café outreach – weekly"])
    assert table.notes == ["read as Windows-1252 text"]


def test_a_utf8_byte_order_mark_and_utf16_are_read():
    assert read_table("\ufeffSurname\nA\n".encode(), "x.csv").sheets[0].rows[0] == (1, ["Surname"])
    data = "Surname,Town\nÉtienne,Eastmere\n".encode("utf-16")
    assert read_table(data, "x.csv").sheets[0].rows[1] == (2, ["Étienne", "Eastmere"])


def test_a_csv_in_neither_encoding_names_the_byte():
    data = b"Surname\nTest\x81person\n"
    with pytest.raises(ImportFileError) as refused:
        read_table(data, "people.csv")
    message = str(refused.value)
    assert "people.csv" in message and "0x81" in message and "at byte 13" in message
    assert "CSV UTF-8" in message


def test_semicolons_and_tabs_are_found():
    rows = read_table(b"Surname;DOB\nA;04/03/1990\n", "x.csv").sheets[0].rows
    assert rows[1] == (2, ["A", "04/03/1990"])
    rows = read_table(b"Surname\tDOB\nA\t04/03/1990\n", "x.csv").sheets[0].rows
    assert rows[1] == (2, ["A", "04/03/1990"])


def test_blank_lines_are_not_rows_but_keep_the_numbering():
    rows = read_table(b"Surname\n\n,,,\nTest\n", "x.csv").sheets[0].rows
    assert rows == [(1, ["Surname"]), (4, ["Test"])]


def test_broken_quoting_is_refused_by_row():
    data = b'Surname,Notes\nA,"never closed\n' + b"x" * 10 + b"\n"
    with pytest.raises(ImportFileError, match="row 2"):
        read_table(data, "x.csv", replace(IMPORT, rows=50))


def test_a_file_that_claims_to_be_xlsx_but_is_text_is_refused_saying_what_it_is():
    with pytest.raises(ImportFileError) as refused:
        read_table(b"Surname,DOB\nA,04/03/1990\n", "caseload.xlsx")
    message = str(refused.value)
    assert "caseload.xlsx" in message and "is not one" in message
    assert "text (perhaps a CSV file given the wrong name)" in message


@pytest.mark.parametrize(
    ("data", "looks"),
    [
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"<html><table><tr><td>Surname</td></tr></table></html>", "a web page (HTML)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a picture"),
        (b"", "an empty file"),
    ],
)
def test_other_files_named_xlsx_are_named_for_what_they_are(data, looks):
    with pytest.raises(ImportFileError, match=looks.replace("(", r"\(").replace(")", r"\)")):
        read_table(data, "caseload.xlsx")


def test_an_old_xls_workbook_is_refused_with_what_to_do():
    with pytest.raises(ImportFileError, match="Excel 97-2003"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "caseload.xls")


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
        read_table(out.getvalue(), "caseload.xlsx")


def test_an_unknown_suffix_is_refused():
    with pytest.raises(ImportFileError, match=r"expected a CSV file \(.csv\) or an Excel"):
        read_table(b"Surname\n", "caseload.pdf")


def test_a_workbook_is_read_sheet_by_sheet_skipping_hidden_ones():
    def hide(book):
        hidden = book.create_sheet("Old")
        hidden.append(["Surname"])
        hidden.sheet_state = "hidden"
        other = book.create_sheet("Notes")
        other.append(["nothing"])

    table = read_table(workbook([["Surname"], ["Testperson"]], more=hide), "c.xlsx")
    assert [s.name for s in table.sheets] == ["Cases", "Notes"]
    assert table.notes == ["sheet Old is hidden: not read"]
    assert table.sheets[0].rows == [(1, ["Surname"]), (2, ["Testperson"])]


def test_formula_cells_are_read_as_their_text_never_worked_out():
    data = workbook([["Surname", "Notes"], ["Testperson", '=HYPERLINK("http://x.invalid","a")']])
    table = read_table(data, "c.xlsx")
    assert table.sheets[0].rows[1][1][1] == '=HYPERLINK("http://x.invalid","a")'


def test_a_workbook_over_the_size_limit_is_refused_before_it_is_opened():
    data = workbook([["Surname"], ["A" * 5000]])
    with pytest.raises(ImportFileError, match="may be at most"):
        read_table(data, "c.xlsx", replace(IMPORT, file_bytes=len(data) - 1))


def test_a_workbook_with_too_many_rows_is_refused_naming_the_limit():
    data = workbook([["Surname"], *([f"Person{i}"] for i in range(30))])
    with pytest.raises(ImportFileError) as refused:
        read_table(data, "c.xlsx", replace(IMPORT, rows=20))
    assert "c.xlsx" in str(refused.value) and "20 rows" in str(refused.value)


def test_a_workbook_with_too_many_cells_is_refused():
    data = workbook([[f"c{i}" for i in range(20)] for _ in range(10)])
    with pytest.raises(ImportFileError, match="at most 100 cells"):
        read_table(data, "c.xlsx", replace(IMPORT, cells=100))


def test_a_value_far_out_in_the_sheet_is_refused_where_it_is():
    def far(book):
        book.active["ZZ5"] = "x"

    with pytest.raises(ImportFileError, match="ZZ5"):
        read_table(workbook([["Surname"]], more=far), "c.xlsx", replace(IMPORT, columns=50))


def test_a_zip_bomb_is_refused_from_its_directory():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="compressed"):
        read_table(out.getvalue(), "c.xlsx")


def test_a_csv_with_too_many_rows_or_characters_is_refused():
    data = ("Surname\n" + "A\n" * 30).encode()
    with pytest.raises(ImportFileError, match="20 rows"):
        read_table(data, "c.csv", replace(IMPORT, rows=20))
    with pytest.raises(ImportFileError, match="characters"):
        read_table(
            ("Surname\n" + "A" * 500 + "\n").encode(), "c.csv", replace(IMPORT, characters=100)
        )


def test_reading_takes_no_longer_than_its_budget(monkeypatch):
    """The deadline, on a clock that moves 10 s a tick (the real monotonic clock is the
    default; uploads.Deadline takes another for tests)."""
    ticks = iter(range(0, 10_000, 10))

    class Ticking(files.Tally):
        def __post_init__(self):
            self.deadline = files.uploads.Deadline(
                self.filename, self.limits, clock=lambda: next(ticks)
            )

    monkeypatch.setattr(files, "Tally", Ticking)
    with pytest.raises(ImportFileError, match="longer than 25 seconds"):
        read_table(("Surname\n" + "A\n" * 50).encode(), "c.csv", replace(IMPORT, seconds=25))
