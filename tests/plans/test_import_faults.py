"""Faults an attack on the importer found, each with the file that showed it, built in code:
text Word hides in tracked changes, content controls and nested tables; headings the importer
could not read; clashing objective codes; impossible years; narrative read as headings; Excel
dates, hidden parts, comments and formulas; control characters; CSV encodings, separators and
limits; the period row; far-off update dates; and health-check days outside the plan.

The partnership (Wexcombe), its people and every sentence are invented."""

from __future__ import annotations

import copy
import io
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from django.urls import reverse
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.comments import Comment

from saferhub.plans import health
from saferhub.plans.commands import plan as plan_command
from saferhub.plans.draft import Plan, Rag
from saferhub.plans.importing import PlanFileError, read_plan
from saferhub.plans.models import Strategy

from .plan_files import Styled, Table, write_csv, write_docx

TITLE = "Wexcombe Safer Streets Plan 2018/19"
HEADER = ["Action", "Lead", "Update/Progress"]


def read(path: Path, **kwargs) -> tuple[Plan, list[str]]:
    plan, problems = read_plan(path, **kwargs)
    return plan, [str(p) for p in problems]


def actions(plan: Plan) -> dict[str, list[str]]:
    return {o.code: [a.text for a in o.actions] for o in plan.objectives}


# ---------------------------------------------------------------------------------------------
# 1. Word: tracked insertions, content controls, nested tables


def _wrap(element, tag: str):
    """Wrap `element` in place in a new `tag` element (w:ins, or w:sdt with w:sdtContent)."""
    outer = OxmlElement(tag)
    element.addprevious(outer)
    if tag == "w:sdt":
        content = OxmlElement("w:sdtContent")
        outer.append(content)
        content.append(element)
    else:
        outer.set(qn("w:id"), "1")
        outer.set(qn("w:author"), "Rowan Hale")
        outer.append(element)
    return outer


def _run(text: str, tag: str = "w:t"):
    run, t = OxmlElement("w:r"), OxmlElement(tag)
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def tracked_docx(path: Path) -> Path:
    write_docx(
        path,
        Styled(TITLE),
        "SO1: Burglary",
        Table([HEADER, ["Mark bikes at the station", "Wexcombe Police", "Jan 2019: Stall run"]]),
        Table([HEADER, ["Visit each burgled home", "Wexcombe Police", ""]]),
    )
    document = docx.Document(str(path))
    first, second = document.tables
    cell = first.rows[1].cells[2]._tc
    paragraph = cell.findall(qn("w:p"))[0]
    _wrap(paragraph.append(_run(" at the fair")) or paragraph[-1], "w:ins")
    deleted = OxmlElement("w:del")
    deleted.append(_run(" WITHDRAWN WORDS", "w:delText"))
    paragraph.append(deleted)
    # A paragraph that is all a tracked insertion: an update of its own.
    inserted = OxmlElement("w:p")
    inserted.append(_run("Feb 2019: Forty bikes marked"))
    _wrap(inserted[0], "w:ins")
    cell.append(inserted)
    # A cell-level content control holding a paragraph, and one holding a nested table.
    lead = second.rows[1].cells[2]._tc
    control = copy.deepcopy(inserted)
    control[0][0][0].text = "Mar 2019: Twelve homes visited"
    lead.append(control)
    _wrap(control, "w:sdt")
    nested = second.rows[1].cells[2].add_table(rows=1, cols=2)
    nested.rows[0].cells[0].text = "Visits by ward"
    nested.rows[0].cells[1].text = "Northgate 7"
    lead.append(OxmlElement("w:p"))  # Word ends a cell with a paragraph
    # A whole table inside a body-level content control.
    third = copy.deepcopy(second._tbl)
    second._tbl.addnext(third)
    third.findall(qn("w:tr"))[1].findall(qn("w:tc"))[0].find(qn("w:p")).append(
        _run(" (second round)")
    )
    _wrap(third, "w:sdt")
    document.save(str(path))
    return path


def test_tracked_insertions_content_controls_and_nested_tables_are_read(tmp_path):
    plan, problems = read(tracked_docx(tmp_path / "plan.docx"))
    assert problems == []
    assert actions(plan) == {
        "SO1": [
            "Mark bikes at the station",
            "Visit each burgled home",
            "Visit each burgled home (second round)",
        ]
    }
    bikes, homes, _ = plan.objectives[0].actions
    assert [(u.on, u.text) for u in bikes.updates] == [
        (date(2019, 1, 1), "Stall run at the fair"),
        (date(2019, 2, 1), "Forty bikes marked"),
    ]
    assert [(u.on, u.text) for u in homes.updates] == [
        (date(2019, 3, 1), "Twelve homes visited\nVisits by ward | Northgate 7")
    ]
    assert "WITHDRAWN" not in str([u.text for _, a in plan.actions() for u in a.updates])


# ---------------------------------------------------------------------------------------------
# 2. Headings the importer did not recognise


def test_more_heading_forms_are_recognised(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Styled(TITLE),
        "Strategic Priority 2 – Violence",
        Table([HEADER, ["Search arches at the station", "Wexcombe Police", ""]]),
        "Objective 17a) Road safety",
        Table([HEADER, ["Speed checks near schools", "Wexcombe Police", ""]]),
        "Objective 100 – Water safety",
        Table([HEADER, ["Throw lines at the weir", "Wexcombe Council", ""]]),
    )
    plan, problems = read(path)
    assert problems == []
    assert [(o.code, o.title) for o in plan.objectives] == [
        ("P2", "Violence"),
        ("SO17a", "Road safety"),
        ("SO100", "Water safety"),
    ]


@pytest.mark.parametrize("heading", ["3a) Hate crime", "2. Burglary", "SO4 Hate crime"])
def test_a_heading_that_cannot_be_read_above_a_table_is_a_problem(tmp_path, heading):
    path = write_docx(
        tmp_path / "plan.docx",
        Styled(TITLE),
        "SO1: Burglary",
        Table([HEADER, ["Mark bikes at the station", "Wexcombe Police", ""]]),
        heading,
        Table([HEADER, ["Open a reporting centre", "Wexcombe Council", ""]]),
    )
    _, problems = read(path)
    assert len(problems) == 1
    assert problems[0].startswith("plan.docx, paragraph 3: expected an objective heading")
    assert repr(heading) in problems[0] and "filed under SO1" in problems[0]


def test_an_excel_heading_row_in_column_a_starts_its_objective_or_is_a_problem(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        [TITLE],
        ["SO1: Burglary"],
        HEADER,
        ["Mark bikes at the station", "Wexcombe Police", ""],
        ["Objective 2a) Violence"],
        ["Search arches at the station", "Wexcombe Police", ""],
        ["Objective 3 Hate crime"],
        ["Open a reporting centre", "Wexcombe Council", ""],
    ]:
        sheet.append(row)
    book.save(tmp_path / "plan.xlsx")
    plan, problems = read(tmp_path / "plan.xlsx")
    assert actions(plan) == {
        "SO1": ["Mark bikes at the station"],
        "SO2a": ["Search arches at the station", "Open a reporting centre"],
    }
    assert problems == [
        "plan.xlsx, sheet Sheet, row 7: expected an objective heading ('Strategic Objective 2 "
        "– Title: aim') or an action with its lead; found 'Objective 3 Hate crime' alone"
    ]


# ---------------------------------------------------------------------------------------------
# 3. A repeated objective code


def _two_tables(path: Path, first: str, second: str) -> Path:
    return write_docx(
        path,
        Styled(TITLE),
        first,
        Table([HEADER, ["Mark bikes at the station", "Wexcombe Police", ""]]),
        second,
        Table([HEADER, ["Patrol the underpass", "Wexcombe Police", ""]]),
    )


def test_a_repeated_code_with_another_title_is_a_problem(tmp_path):
    path = _two_tables(tmp_path / "plan.docx", "SO1: Burglary", "SO1: Robbery – To reduce robbery")
    _, problems = read(path)
    assert problems == [
        "plan.docx, paragraph 3: expected SO1's title 'Burglary' as above, or another code; "
        "found 'Robbery'"
    ]


def test_a_repeated_code_continues_its_objective_and_fills_a_missing_title(tmp_path):
    same = _two_tables(tmp_path / "same.docx", "SO1: Burglary", "SO1: Burglary")
    plan, problems = read(same)
    assert problems == [] and len(plan.objectives) == 1 and len(plan.actions()) == 2
    untitled = _two_tables(tmp_path / "untitled.docx", "Strategic Objective 1:", "SO1: Burglary")
    plan, problems = read(untitled)
    assert problems == []
    assert [(o.code, o.title) for o in plan.objectives] == [("SO1", "Burglary")]


# ---------------------------------------------------------------------------------------------
# 4. Years that cannot be a plan's


ONE_ACTION = [["Objective", "Action", "Lead", "Update/Progress"], ["SO1", "Patrol", "Police", ""]]
QUARTER = [ONE_ACTION[0], ["SO1", "Patrol", "Police", "Q3: Patrols doubled\nQ4: Held steady"]]


@pytest.mark.parametrize(
    "name, rows, kwargs",
    [
        ("plan.csv", [["Delivery plan 0000/01"], *ONE_ACTION], {}),
        ("plan-0000-01.csv", ONE_ACTION, {}),
        ("plan.csv", QUARTER, {"starts": date(1, 1, 1), "ends": date(2019, 3, 31)}),
        ("plan.csv", QUARTER, {"starts": date(2018, 4, 1), "ends": date(9999, 12, 31)}),
    ],
)
def test_a_period_outside_the_years_a_plan_may_run_is_a_problem(tmp_path, name, rows, kwargs):
    _, problems = read(write_csv(tmp_path / name, rows), **kwargs)
    assert len(problems) == 1
    assert "expected a plan period within the years 2000 to 2100" in problems[0]


@pytest.mark.django_db
def test_the_command_and_the_site_refuse_a_period_outside_those_years(tmp_path, signed_in):
    path = write_csv(tmp_path / "plan-2018-19.csv", ONE_ACTION)
    result = CliRunner().invoke(plan_command, ["import", str(path), "--starts", "0001-01-01"])
    assert result.exit_code == 2
    assert "--starts: expected a day in the years 2000 to 2100" in result.output
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(path.read_bytes())
    upload.name = path.name
    page = client.post(reverse("plans:import"), {"file": upload, "ends": "9999-12-31"})
    assert page.status_code == 200
    assert "Enter a day in the years 2000 to 2100" in page.content.decode()


# ---------------------------------------------------------------------------------------------
# 5. Narrative paragraphs


def test_remarks_naming_an_objective_are_not_headings(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Styled(TITLE),
        "SO1: Burglary",
        Table([HEADER, ["Mark bikes at the station", "Wexcombe Police", ""]]),
        "SO2: Robbery",
        Table([HEADER, ["Patrol the underpass", "Wexcombe Police", ""]]),
        "Note: Priority 2 – see appendix B for details",
        "Update: SO1 - good progress made this year",
        "SO3 – see the board's minutes",
    )
    plan, problems = read(path)
    assert problems == []
    assert [(o.group, o.code) for o in plan.objectives] == [("", "SO1"), ("", "SO2")]


# ---------------------------------------------------------------------------------------------
# 6 and 7. Excel: dates, formulas, hidden sheets and rows, comments


def excel_plan(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    for row in [
        [TITLE],
        ["SO1: Burglary"],
        ["Action", "Lead", "Deadline", "Update/Progress"],
        ["Mark bikes", "Wexcombe Police", datetime(2019, 3, 31), datetime(2019, 1, 10)],
        ["Visit homes", "Wexcombe Police", "2019-02-28", "2019-01-15: Ten homes visited"],
        ["Old action", "Wexcombe Police", "", ""],
        ["Patrol the underpass", "Wexcombe Police", "=TODAY()", ""],
    ]:
        sheet.append(row)
    sheet.row_dimensions[6].hidden = True
    sheet["A5"].comment = Comment("Ask the ward team for the list", "Rowan Hale")
    old = book.create_sheet("Last year")
    old.append(["SO9: Arson"])
    old.sheet_state = "hidden"
    book.save(path)
    return path


def test_excel_dates_read_as_dates_and_iso_dates_as_dates(tmp_path):
    plan, problems = read(excel_plan(tmp_path / "plan.xlsx"))
    assert problems == []
    bikes, homes, _ = plan.objectives[0].actions
    assert bikes.review.due == date(2019, 3, 31)
    assert [u.on for u in bikes.updates] == [date(2019, 1, 10)]
    assert homes.review.due == date(2019, 2, 28)
    assert [(u.on, u.text) for u in homes.updates] == [(date(2019, 1, 15), "Ten homes visited")]


def test_excel_hidden_parts_comments_and_formulas_are_noted(tmp_path):
    plan, _ = read(excel_plan(tmp_path / "plan.xlsx"))
    assert actions(plan) == {"SO1": ["Mark bikes", "Visit homes", "Patrol the underpass"]}
    notes = [str(w) for w in plan.warnings]
    assert notes[0] == (
        "plan.xlsx, sheet Plan, row 5: column A has a comment, not imported: "
        "'Ask the ward team for the list'"
    )
    assert notes[1] == "plan.xlsx, sheet Plan, row 6: sheet Plan, row 6 is hidden: not imported"
    assert notes[2].startswith("plan.xlsx, sheet Plan, row 7: column C holds a formula (=TODAY())")
    assert notes[3] == "plan.xlsx, sheet Last year: sheet Last year is hidden: not imported"


# ---------------------------------------------------------------------------------------------
# 8. Control characters


def test_control_characters_are_removed_with_a_note(tmp_path):
    rows = [ONE_ACTION[0], ["SO1", "Patrol\x00 the\x07 underpass", "Police", "Jan 2019: Begun\x1b"]]
    plan, problems = read(write_csv(tmp_path / "plan-2018-19.csv", rows))
    assert problems == []
    (action,) = plan.objectives[0].actions
    assert action.text == "Patrol the underpass" and action.updates[0].text == "Begun"
    (note,) = plan.warnings
    assert note.where == "plan-2018-19.csv, row 2" and "control characters" in note.reason


# ---------------------------------------------------------------------------------------------
# 9. CSV encodings, separators and limits; messages without library words or server paths


@pytest.mark.parametrize(
    "encoded",
    [
        "Objective,Action,Lead\nSO1,Café patrols,Police\n".encode("utf-16"),
        "Objective,Action,Lead\nSO1,Café patrols,Police\n".encode("utf-16-be"),
        "Objective;Action;Lead\nSO1;Café patrols;Police\n".encode(),
        "Objective\tAction\tLead\nSO1\tCafé patrols\tPolice\n".encode("cp1252"),
    ],
    ids=["utf-16-le", "utf-16-be", "semicolons", "tabs-cp1252"],
)
def test_csv_encodings_and_separators_are_recognised(tmp_path, encoded):
    if encoded.startswith(b"\x00"):  # UTF-16 BE as Excel writes it, with its mark
        encoded = b"\xfe\xff" + encoded
    path = tmp_path / "plan-2018-19.csv"
    path.write_bytes(encoded)
    plan, problems = read(path)
    assert problems == []
    assert actions(plan) == {"SO1": ["Café patrols"]}


def test_unreadable_files_are_refused_in_plain_words(tmp_path):
    huge = tmp_path / "huge.csv"
    huge.write_text("Objective,Action,Lead\nSO1,Patrol,Police\nSO1," + "x" * 200_000 + ",Police\n")
    with pytest.raises(PlanFileError) as error:
        read_plan(huge)
    assert str(error.value) == (
        "huge.csv, row 3: expected a cell of at most 131072 characters; found a longer one"
    )
    odd = tmp_path / "odd.csv"
    odd.write_bytes(b"Objective,Action\nSO1,\x8f\x81\n")
    with pytest.raises(PlanFileError) as error:
        read_plan(odd)
    assert "codec" not in str(error.value) and "UTF-8 or Windows-1252" in str(error.value)
    fake = tmp_path / "fake.docx"
    fake.write_text("not a Word file")
    with pytest.raises(PlanFileError) as error:
        read_plan(fake)
    assert str(error.value).startswith("fake.docx: could not be read as a Word (.docx) file")
    assert str(tmp_path) not in str(error.value)


# ---------------------------------------------------------------------------------------------
# 10. The period row; --dry-run without a period


def test_a_plan_period_row_sets_the_period_and_is_not_the_title(tmp_path):
    for rows in (
        [["Plan period: 1 April 2018 to 31 March 2019"], *ONE_ACTION],
        [["Plan period:", "1 April 2018 to 31 March 2019"], *ONE_ACTION],
    ):
        plan, problems = read(write_csv(tmp_path / "wexcombe.csv", rows))
        assert problems == []
        assert (plan.title, plan.starts, plan.ends) == (
            "wexcombe",
            date(2018, 4, 1),
            date(2019, 3, 31),
        )


@pytest.mark.django_db
def test_a_dry_run_reports_a_missing_period(tmp_path):
    path = write_csv(tmp_path / "wexcombe.csv", ONE_ACTION)
    result = CliRunner().invoke(plan_command, ["import", str(path), "--dry-run"])
    assert result.exit_code == 2
    assert "cannot read wexcombe.csv: no plan period in the title: give --starts" in result.output
    assert not Strategy.objects.exists()


# ---------------------------------------------------------------------------------------------
# 11. Update dates far from the plan; a leading RAG word


def test_far_off_update_dates_are_noted_and_a_leading_rag_is_read(tmp_path):
    rows = [
        ONE_ACTION[0],
        ["SO1", "Patrol", "Police", "12 March 2099: Patrols doubled\n01/01/1900: Begun"],
        ["SO1", "Light the underpass", "Council", "Green: ok"],
    ]
    plan, problems = read(write_csv(tmp_path / "plan-2018-19.csv", rows))
    assert problems == []
    assert [w.reason for w in plan.warnings] == [
        "an update is dated 12 March 2099, more than a year after the plan ends (31 March "
        "2019): kept as written; check its year",
        "an update is dated 1 January 1900, more than a year before the plan starts (1 April "
        "2018): kept as written; check its year",
    ]
    light = plan.objectives[0].actions[1]
    assert [(u.on, u.rag, u.text) for u in light.updates] == [(None, Rag.GREEN, "ok")]


# ---------------------------------------------------------------------------------------------
# 12. Health-check days outside the plan, and days that cannot be read


def test_a_check_as_at_a_day_outside_the_plan_says_so():
    plan = Plan(title=TITLE, starts=date(2018, 4, 1), ends=date(2019, 3, 31))
    after = health.as_at(plan, today=date(2026, 11, 24), asked=date(2029, 12, 31))
    assert after.sentence == (
        "checked as at 31 December 2029; 31 December 2029 is after the plan's end (31 March 2019)"
    )
    before = health.as_at(plan, today=date(2026, 11, 24), asked=date(2017, 1, 1))
    assert "1 January 2017 is before the plan's start (1 April 2018)" in before.sentence


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["garbage", "2019-02-30", "9999-12-31"])
def test_the_site_says_when_it_cannot_use_the_day_asked_for(client, stored_plan, signed_in, asked):
    client, _ = signed_in("coordinator")
    url = reverse("plans:health", args=[stored_plan.pk])
    page = client.get(url, {"as_at": asked}).content.decode()
    assert 'id="health-as-at-unread"' in page and f"The date &#x27;{asked}&#x27;" in page
    assert "so the plan was checked as at" in page
    report = client.get(
        reverse("plans:board-report", args=[stored_plan.pk, "html"]), {"as_at": asked}
    )
    assert report.status_code == 400 and asked in report.content.decode()
