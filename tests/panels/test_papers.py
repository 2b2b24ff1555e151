"""Panel papers: agendas, minutes (HTML, PDF, Word) and the actions CSV. No database."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from docx import Document
from pypdf import PdfReader

from saferhub.panels.papers import (
    ActionLine,
    AttendanceLine,
    Item,
    Paper,
    actions_csv,
    long_date,
    render_docx,
    render_html,
    render_pdf,
)

A1 = ActionLine("Northbrook Police", "DC Ada Quill", "Flag address", date(2027, 1, 21), "Open")
A2 = ActionLine("Harbour Housing", "Ben Tarrow", '=HYPERLINK("http://x")', date(2027, 2, 3), "Open")
ITEMS = (
    Item(
        1,
        "MRC-0001",
        "Referral from police",
        "Victim A",
        True,
        ("Visible high risk",),
        "Discussed <script>alert(1)</script> safety plan.",
        (A1, A2),
    ),
    Item(
        2,
        "MRC-0002",
        "Referral from health",
        "Victim B",
        False,
        ("Escalation",),
        "Agreed to monitor.",
        (),
    ),
)
ATTENDANCE = (
    AttendanceLine("Northbrook Police", "DC Ada Quill", True, False),
    AttendanceLine("Harbour Housing", "Ben Tarrow", False, True),
    AttendanceLine("Northbrook Health", "Cleo Marsh", False, False),
)
MINUTES = Paper(
    "minutes",
    "Northbrook MARAC",
    "MARAC",
    date(2027, 1, 14),
    "Northbrook Community Safety Partnership",
    "OFFICIAL-SENSITIVE",
    ITEMS,
    ATTENDANCE,
    "",
    datetime(2027, 1, 15, 9, 30),
)
AGENDA = replace(MINUTES, kind="agenda")


def test_long_date():
    assert long_date(date(2027, 1, 14)) == "14 January 2027"
    assert long_date(date(2027, 2, 3)) == "3 February 2027"


def test_html_escapes_discussion_and_titles_the_paper():
    text = render_html(MINUTES)
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Northbrook MARAC — minutes, 14 January 2027" in text
    assert "information-sharing agreement" in text and "Do not forward" in text


def test_agenda_has_no_discussion_or_actions_but_minutes_do():
    agenda, minutes = render_html(AGENDA), render_html(MINUTES)
    for word in ("Discussion", "Actions by agency", "Flag address", "Attendance"):
        assert word not in agenda
        assert word in minutes
    assert "Repeat referral" in agenda and agenda.count("Repeat referral") == 1
    assert "Visible high risk" in agenda


def test_minutes_attendance_statuses():
    text = render_html(MINUTES)
    assert "<td>Cleo Marsh</td><td>Absent</td>" in text
    assert "<td>Ben Tarrow</td><td>Apologies</td>" in text
    assert "<td>DC Ada Quill</td><td>Present</td>" in text


def test_bad_kind_is_refused_naming_the_field():
    with pytest.raises(ValueError, match=r"Paper\.kind"):
        render_html(replace(MINUTES, kind="notes"))


def test_pdf_text_holds_marking_panel_refs_and_due_date():
    data = render_pdf(MINUTES)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for needle in (
        "OFFICIAL-SENSITIVE",
        "Northbrook MARAC",
        "MRC-0001",
        "MRC-0002",
        "21 January 2027",
    ):
        assert needle in text
    for page in reader.pages:  # the marking is on every page
        assert "OFFICIAL-SENSITIVE" in page.extract_text()


def test_docx_has_marking_in_header_and_attendance_rows():
    doc = Document(io.BytesIO(render_docx(MINUTES)))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows == [
        ["Agency", "Name", "Attendance"],
        ["Northbrook Police", "DC Ada Quill", "Present"],
        ["Harbour Housing", "Ben Tarrow", "Apologies"],
        ["Northbrook Health", "Cleo Marsh", "Absent"],
    ]


def test_actions_csv_filters_and_neutralises_formulas():
    rows = list(csv.reader(io.StringIO(actions_csv([A1, A2]))))
    assert rows[0] == ["agency", "owner", "action", "due_on", "status"]
    assert rows[2][2] == '\'=HYPERLINK("http://x")'
    only = list(csv.reader(io.StringIO(actions_csv([A1, A2], agency="Northbrook Police"))))
    assert only == [
        rows[0],
        ["Northbrook Police", "DC Ada Quill", "Flag address", "2027-01-21", "Open"],
    ]


def test_actions_csv_refuses_a_row_that_is_not_an_action():
    with pytest.raises(TypeError, match="row 2"):
        actions_csv([A1, {"agency": "x"}])
