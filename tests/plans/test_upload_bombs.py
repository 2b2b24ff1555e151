"""The plan importer against the attack files of the upload-bomb test (built in
tests/test_uploads.py): each is refused with a message naming the file and the limit, and
nothing is stored; real plans, including one whose sheet overstates its size, still import.

No timing is asserted: before the limits, the three-cell workbook ran for minutes (and 6 GB),
so a test that finishes at all shows the bound. bench/bench_uploads.py has the figures."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from django.urls import reverse

from saferhub.plans import importing
from saferhub.plans.importing import PlanFileError, read_plan
from saferhub.plans.models import Strategy
from saferhub.uploads import PLAN
from tests.test_uploads import (
    big_member_docx,
    declared_dimension_xlsx,
    many_entries_docx,
    merge_bomb_xlsx,
    paragraphs_docx,
    three_cell_xlsx,
    write,
)

from .plan_files import eastmere_csv, eastmere_docx, eastmere_xlsx


def refusal(path) -> str:
    with pytest.raises(PlanFileError) as refused:
        read_plan(path)
    return str(refused.value)


def test_the_three_cell_workbook_is_refused_at_its_far_cell(tmp_path):
    message = refusal(write(tmp_path, "plan.xlsx", three_cell_xlsx()))
    assert message.startswith("plan.xlsx: sheet Plan has a value at XFD1048576")
    assert "at most 20,000 rows and 100 columns" in message


def test_a_merged_range_over_the_whole_sheet_is_refused(tmp_path):
    message = refusal(write(tmp_path, "plan.xlsx", merge_bomb_xlsx()))
    assert message.startswith("plan.xlsx: sheet Plan merges or links the cells A1:XFD1048576")


def test_a_word_file_of_100000_paragraphs_is_refused(tmp_path):
    message = refusal(write(tmp_path, "plan.docx", paragraphs_docx(100_001)))
    assert message == (
        "plan.docx: it has more than 100,000 paragraphs; a delivery plan may have at most "
        "100,000 paragraphs: split the document, or delete what is not part of the plan"
    )


def test_a_word_file_of_more_rows_than_a_plan_is_refused(tmp_path):
    message = refusal(write(tmp_path, "plan.docx", paragraphs_docx(20_001)))
    assert message.startswith(
        "plan.docx: it has more than 20,000 rows (at paragraph 20001); a delivery plan may "
        "have at most 20,000 rows"
    )


def test_a_word_file_of_too_much_text_is_refused(tmp_path, monkeypatch):
    # 10,000,000 characters that are not compressed away would be a 5 MB test file: the cap
    # is lowered instead (the reader's wiring is what is tested; test_uploads tests the cap).
    monkeypatch.setattr(importing, "PLAN", replace(PLAN, characters=50_000))
    message = refusal(write(tmp_path, "plan.docx", paragraphs_docx(15_000)))
    assert message.startswith("plan.docx: it has more than 50,000 characters of text")


def test_a_word_file_that_unpacks_to_60_mb_is_refused_before_parsing(tmp_path):
    message = refusal(write(tmp_path, "plan.docx", big_member_docx(60)))
    assert message.startswith("plan.docx: its part word/document.xml unpacks to")
    assert "at most 50 MB" in message


def test_a_word_file_of_thousands_of_parts_is_refused(tmp_path):
    assert "at most 2,000 parts" in refusal(write(tmp_path, "plan.docx", many_entries_docx()))


def test_a_csv_of_too_many_rows_or_columns_is_refused(tmp_path):
    rows = write(tmp_path, "rows.csv", b"Action,Lead\n" + b"Patrol,Police\n" * 20_000)
    assert refusal(rows).startswith("rows.csv: it has more than 20,000 rows (at row 20001)")
    wide = write(tmp_path, "wide.csv", b"Action," * 150 + b"Lead\n")
    assert refusal(wide).startswith("wide.csv: row 1 has 151 columns; a delivery plan may")
    padded = write(tmp_path, "padded.csv", b"Objective,Action\n" + b"," * 5_000 + b"\n")
    read_plan(padded)  # empty cells after a line's last value are not columns


def test_real_plans_still_import(tmp_path):
    for path in (
        eastmere_docx(tmp_path / "plan.docx"),
        eastmere_xlsx(tmp_path / "plan.xlsx"),
        eastmere_csv(tmp_path / "plan.csv"),
    ):
        plan, problems = read_plan(path)
        assert not problems and plan.actions(), path.name


def test_a_workbook_that_overstates_its_size_reads_as_the_real_one(tmp_path):
    real = eastmere_xlsx(tmp_path / "real.xlsx")
    inflated = write(
        tmp_path, "inflated.xlsx", declared_dimension_xlsx(real.read_bytes(), "A1:XFD1048576")
    )
    assert read_plan(inflated) == read_plan(real)


def test_an_empty_far_cell_is_ignored_not_walked(tmp_path):
    plan, _ = read_plan(write(tmp_path, "plan.xlsx", three_cell_xlsx(far="")))
    assert plan.actions() == []  # a header and nothing else: read, not refused


@pytest.mark.django_db
def test_the_upload_page_names_the_limit_and_stores_nothing(client, signed_in):
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(three_cell_xlsx())
    upload.name = "bomb.xlsx"
    response = client.post(
        reverse("plans:import"), {"file": upload, "starts": "2026-04-01", "ends": "2027-03-31"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "bomb.xlsx: sheet Plan has a value at XFD1048576" in page
    assert "plans_import" not in "".join(client.session.keys())
    assert client.post(reverse("plans:import"), {"confirm": "1"}).status_code == 302
    assert not Strategy.objects.exists()
