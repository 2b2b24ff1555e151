"""Reading a youth justice extract: every bad input is rejected whole, naming row and column."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from saferhub.indicators.demo_extract import write_demo_extract
from saferhub.indicators.extract import ExtractError, read_extract, read_extract_bytes

TODAY = date(2025, 11, 24)
HEADER = "Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date"
GOOD = "YJ-1,2010-03-03,M,White,Youth Caution,2024-05-01,2024-04-20"


def read(text: str, filename: str = "extract.csv"):
    return read_extract_bytes(text.encode("utf-8"), filename, today=TODAY)


def problems(text: str, filename: str = "extract.csv") -> list[str]:
    with pytest.raises(ExtractError) as caught:
        read(text, filename)
    assert all(p.startswith(f"{filename}: ") for p in caught.value.problems)
    return caught.value.problems


def only_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_a_good_file():
    [row] = read(f"{HEADER}\n{GOOD}\n")
    assert (row.row, row.person_id, row.sex, row.ethnicity) == (2, "YJ-1", "Male", "White")
    assert (row.outcome_type, row.kind) == ("Youth Caution", "caution")
    assert (row.date_of_birth, row.outcome_date, row.offence_date) == (
        date(2010, 3, 3),
        date(2024, 5, 1),
        date(2024, 4, 20),
    )
    assert row.age_at_offence == 14


def test_header_variants_aliases_and_normalised_values():
    text = (
        "client_id, Date Of Birth ,GENDER,ethnic-group,Disposal,Sentence date,date_of_offence,"
        "Worker\n"
        "C1,01/02/2009,f,,yco,2024-05-01,2024-04-20,Sam\n".replace(
            "yco", "Youth Conditional Caution"
        )
        + "C1,01/02/2009,,Black,s90/91,02/06/2024,20/04/2024,\n"
        "C2,2008-01-01,Unknown,Asian,dto LICENSE,2024-06-01,2024-01-01,\n"
        "C3,2008-01-01,Non-binary,Mixed,remand to youth detention accommodation,2024-06-01,"
        "2024-01-01,\n"
        "C4,2008-01-01,MALE,White,Bail Support,2024-06-01,2024-01-01,\n"
        "C5,2008-01-01,M,White,TRIAGE / DIVERSION,2024-06-01,2024-01-01,\n"
    )
    rows = read(text)
    assert [(r.sex, r.ethnicity, r.outcome_type, r.kind) for r in rows] == [
        ("Female", "Not known", "Youth Conditional Caution", "caution"),
        ("Not known", "Black", "Section 90/91", "custody"),
        ("Not known", "Asian", "DTO licence", "licence"),
        ("Non-binary", "Mixed", "Remand", "remand"),
        ("Male", "White", "Bail", "bail"),
        ("Male", "White", "Triage", "triage"),
    ]
    assert rows[1].outcome_date == date(2024, 6, 2)


def test_utf8_bom_and_blank_lines():
    data = ("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n,,,,,,\r\n\r\n").encode("utf-8")
    [row] = read_extract_bytes(data, "extract.csv", today=TODAY)
    assert row.person_id == "YJ-1"


def test_missing_columns():
    message = only_problem("Person ID,DOB,Sex,Outcome,Outcome date\nX,2010-01-01,M,YC,2024-01-01\n")
    assert "missing required columns" in message
    assert "ethnicity" in message and "offence date" in message
    assert "Headers found: 'Person ID', 'DOB', 'Sex', 'Outcome', 'Outcome date'" in message
    assert "date of birth" not in message.split("Headers found")[0]


def test_future_dates():
    message = only_problem(f"{HEADER}\nYJ-1,2010-03-03,M,White,YC,2025-12-01,2024-04-20\n")
    assert "row 2, column 'Outcome date'" in message
    assert "outcome date 01/12/2025 is in the future" in message
    assert "'2025-12-01'" in message  # the cell as written
    assert "24/11/2025" in message


def test_unknown_outcome_type():
    message = only_problem(
        f"{HEADER}\n{GOOD}\n{GOOD}\nYJ-1,2010-03-03,M,White,Fine,2024-05-01,2024-04-20\n"
    )
    assert "row 4, column 'Outcome type'" in message
    assert "unknown outcome type 'Fine'" in message
    assert "Referral Order" in message and "Section 90/91" in message


def test_bad_dates():
    found = problems(
        f"{HEADER}\n"
        "YJ-1,31/02/2010,M,White,YC,2024-05-01,2024-04-20\n"
        "YJ-2,2010-01-01,M,White,YC,yesterday,2024-04-20\n"
        "YJ-3,2010-01-01,M,White,YC,2024-05-01,2024/04/20\n"
    )
    assert len(found) == 3
    assert "row 2, column 'Date of birth'" in found[0] and "'31/02/2010' is not a date" in found[0]
    assert "row 3, column 'Outcome date'" in found[1] and "'yesterday'" in found[1]
    assert "row 4, column 'Offence date'" in found[2] and "'2024/04/20'" in found[2]


def test_blank_required_values():
    found = problems(f"{HEADER}\n,2010-03-03,M,White,,2024-05-01,\n")
    assert [p.split(": ", 1)[1] for p in found] == [
        "row 2, column 'Person ID': blank person id",
        "row 2, column 'Outcome type': blank outcome type",
        "row 2, column 'Offence date': blank offence date",
    ]


def test_offence_after_outcome():
    message = only_problem(f"{HEADER}\nYJ-1,2010-03-03,M,White,YC,2024-05-01,2024-05-02\n")
    assert "row 2, column 'Offence date'" in message
    assert "offence date 02/05/2024 is after the outcome date 01/05/2024" in message


def test_date_of_birth_after_offence():
    message = only_problem(f"{HEADER}\nYJ-1,2024-05-01,M,White,YC,2024-05-01,2024-04-30\n")
    assert "row 2, column 'Date of birth'" in message
    assert "date of birth 01/05/2024 is after the offence date 30/04/2024" in message


def test_under_ten_is_below_the_age_of_criminal_responsibility():
    # Born 1 May 2014: 9 on 30 Apr 2024, 10 on 1 May 2024.
    text = (
        f"{HEADER}\nYJ-1,2014-05-01,M,White,Triage,2024-05-01,2024-04-30\n"
        "YJ-2,2014-05-01,M,White,Triage,2024-05-01,2024-05-01\n"
    )
    message = only_problem(text)
    assert "row 2, column 'Date of birth'" in message
    assert "age 9" in message and "below the age of criminal responsibility" in message


def test_conflicting_dates_of_birth():
    text = (
        f"{HEADER}\n{GOOD}\nYJ-2,2010-01-01,M,White,YC,2024-05-01,2024-04-20\n"
        "YJ-1,2010-03-04,M,White,RO,2024-06-01,2024-04-20\n"
    )
    message = only_problem(text)
    assert "row 4, column 'Date of birth'" in message
    assert "'YJ-1' has date of birth 04/03/2010 here but 03/03/2010 in row 2" in message


def test_adults_are_read_not_rejected():
    rows = read(f"{HEADER}\nYJ-1,2005-01-01,M,White,YRO,2024-05-01,2024-04-20\n")
    assert rows[0].age_at_offence == 19


def test_rows_after_the_18th_birthday_are_kept_for_reoffences_and_custody():
    # A fictional child born 1 Sep 2006: cautioned at 17, reoffends at 18 (a reoffence,
    # whatever the age), and a DTO for an offence at 17 given on the 18th birthday (an
    # offence at 17, a sentence at 18). Every row is read; each age is where it is taken.
    rows = read(
        f"{HEADER}\n"
        "YJ-7,2006-09-01,M,White,YC,2024-05-10,2024-05-01\n"
        "YJ-7,2006-09-01,M,White,RO,2025-01-15,2024-10-01\n"
        "YJ-7,2006-09-01,M,White,DTO,2024-09-01,2024-08-31\n"
    )
    assert [(r.age_at_offence, r.age_at_outcome) for r in rows] == [(17, 17), (18, 18), (17, 18)]


@pytest.mark.parametrize("text", ["", "\n\n", f"{HEADER}\n", f"{HEADER}\n,,,,,,\n"])
def test_empty_files(text):
    message = only_problem(text)
    assert "empty" in message or "no data rows" in message


def test_not_csv_or_xlsx():
    with pytest.raises(ExtractError) as caught:
        read_extract_bytes(b"%PDF-1.4 binary", "extract.pdf", today=TODAY)
    assert "extract.pdf: is not a CSV or Excel (.xlsx) file" in caught.value.problems[0]
    with pytest.raises(ExtractError, match="not a CSV or Excel"):
        read_extract_bytes(b"\x00\x01\x02binary", "extract.csv", today=TODAY)
    with pytest.raises(ExtractError, match="not a valid Excel"):
        read_extract_bytes(b"Person ID,DOB", "extract.xlsx", today=TODAY)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ExtractError, match="not a readable Excel"):
        read_extract_bytes(docx.getvalue(), "extract.docx", today=TODAY)


def test_many_problems_are_listed_first_then_counted_per_column(tmp_path):
    """A file bad on every row (here 150 unknown outcome types, 30 future dates) is not
    answered with every problem: the first 100, then how many there are of each column."""
    lines = [HEADER]
    lines += [f"YJ-{i},2010-03-03,M,White,Fine,2024-05-01,2024-04-20" for i in range(150)]
    lines += [f"YJ-X{i},2010-03-03,M,White,YC,2026-01-01,2024-06-20" for i in range(30)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        read_extract(path, today=TODAY)
    error = caught.value
    assert len(error.problems) == 180  # every problem is still known
    assert len(error.listed) == 100 and "row 101," in error.listed[-1]
    assert error.summary() == [
        "80 more not listed; in all:",
        "150 problems in column 'Outcome type'",
        "30 problems in column 'Outcome date'",
    ]
    text = str(error)
    assert text.startswith("big.csv cannot be read (180 problems):")
    assert "row 101," in text and "row 102," not in text
    assert "… 150 problems in column 'Outcome type'" in text


def test_xlsx_with_native_dates(tmp_path):
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["This sheet is not the extract"])
    sheet = book.create_sheet("Data extract")
    sheet.append(["YJ ID", "DOB", "Gender", "Ethnicity", "Intervention", "Intervention date",
                  "Date of offence"])  # fmt: skip
    sheet.append([1001, date(2010, 3, 3), "F", "Asian", "YRO", datetime(2024, 5, 1), "20/04/2024"])
    sheet.append(
        [1001, datetime(2010, 3, 3), "F", "Asian", "DTO", date(2024, 9, 1), date(2024, 8, 1)]
    )
    sheet.append([1002, date(2010, 3, 3), "M", "White", "YC", date(2026, 1, 1), date(2024, 8, 1)])
    path = tmp_path / "extract.xlsx"
    book.save(path)
    with pytest.raises(ExtractError) as caught:
        read_extract(path, today=TODAY)
    [message] = caught.value.problems
    assert "extract.xlsx: row 4, column 'Intervention date'" in message
    assert "01/01/2026 is in the future" in message and "'2026-01-01'" in message
    sheet.delete_rows(4)
    book.save(path)
    rows = read_extract(path, today=TODAY)
    assert [(r.person_id, r.outcome_type, r.outcome_date, r.offence_date) for r in rows] == [
        ("1001", "Youth Rehabilitation Order", date(2024, 5, 1), date(2024, 4, 20)),
        ("1001", "DTO custody", date(2024, 9, 1), date(2024, 8, 1)),
    ]
    # The same bytes uploaded under a .csv name are still read as a workbook.
    assert read_extract_bytes(path.read_bytes(), "upload.csv", today=TODAY) == rows


def test_demo_extract_reads_back_and_is_deterministic(tmp_path):
    first = write_demo_extract(tmp_path / "a.csv", today=TODAY, seed=7, people=300)
    again = write_demo_extract(tmp_path / "b.csv", today=TODAY, seed=7, people=300)
    other = write_demo_extract(tmp_path / "c.csv", today=TODAY, seed=8, people=300)
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()
    rows = read_extract(first, today=TODAY)
    assert len({r.person_id for r in rows}) == 300
    assert rows[0].person_id == "YJ-00001"
    kinds = {r.kind for r in rows}
    assert kinds == {"triage", "caution", "court", "custody", "licence", "remand", "bail"}
    assert any(r.age_at_offence >= 18 for r in rows)  # some turn 18 during follow-up:
    # adult reoffences, and custody sentences given at 18 (not a child's custody)
    assert any(r.kind == "custody" and r.age_at_outcome >= 18 for r in rows)
    assert max(r.outcome_date for r in rows) <= TODAY
    assert min(r.outcome_date for r in rows) >= date(2021, 4, 1)
    assert {r.ethnicity for r in rows} <= {"White", "Black", "Asian", "Mixed", "Other", "Not known"}


def test_the_demo_extract_is_valid_whatever_its_size(tmp_path):
    """60,000 fictional children include some born on 29 February: their tenth birthday in a
    common year is 1 March, so none is 9 at an offence."""
    from saferhub.indicators.demo_extract import write_demo_extract

    path = write_demo_extract(tmp_path / "demo.csv", today=TODAY, people=60_000)
    assert len(read_extract(path, today=TODAY)) > 60_000
