"""Reading delivery plans from Word, Excel and CSV, writing them back, and reading them again."""

from __future__ import annotations

import copy
import io
import tempfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhub.plans import draft
from saferhub.plans.draft import (
    Action,
    Disposition,
    Lead,
    Measure,
    Objective,
    Plan,
    Rag,
    ReviewKind,
    ReviewPoint,
    Update,
)
from saferhub.plans.exporting import (
    format_leads,
    format_update,
    plan_to_csv,
    plan_to_docx,
    plan_to_xlsx,
)
from saferhub.plans.importing import (
    PlanFileError,
    parse_leads,
    parse_objective_heading,
    parse_updates,
    read_plan,
)
from saferhub.plans.review import format_review_point, parse_review_point
from tests.plans.plan_files import (
    HEADER_DEADLINE,
    HEADER_REVIEW_POINT,
    Styled,
    Table,
    eastmere_csv,
    eastmere_docx,
    eastmere_xlsx,
    safer_streets_docx,
    write_csv,
    write_docx,
    write_xlsx,
)

WRITERS = {"docx": plan_to_docx, "xlsx": plan_to_xlsx, "csv": plan_to_csv}
FIXTURES = {
    "eastmere.docx": eastmere_docx,
    "streets.docx": safer_streets_docx,
    "eastmere.xlsx": eastmere_xlsx,
    "eastmere.csv": eastmere_csv,
}
HEADING_1 = "Strategic Objective 1 – Burglary: To cut burglary"


def read_ok(path: Path, **options) -> Plan:
    plan, problems = read_plan(path, **options)
    assert problems == []
    return plan


def without_sources(plan: Plan) -> Plan:
    plan = copy.deepcopy(plan)
    for _, action in plan.actions():
        action.source = ""
    return plan


def round_trip(plan: Plan, fmt: str, folder: Path, stem: str = "plan", **options) -> Plan:
    path = folder / f"{stem}.{fmt}"
    path.write_bytes(WRITERS[fmt](plan))
    return without_sources(read_ok(path, **options))


def actions_of(plan: Plan, code: str) -> list[Action]:
    return next(o for o in plan.objectives if o.code == code).actions


# ---------------------------------------------------------------------------------------------
# Review points


@pytest.mark.parametrize(
    ("text", "kind", "due", "disposition", "carried_to"),
    [
        ("March 2019 / CONTINUE 2019/20", "month", date(2019, 3, 31), "Continue", "2019/20"),
        ("September 2018 REMOVE", "month", date(2018, 9, 30), "Remove", ""),
        ("Ongoing CONTINUE 2019/20", "ongoing", None, "Continue", "2019/20"),
        ("Set up in June 2018", "month", date(2018, 6, 30), None, ""),
        ("COMPLETE", "none", None, "Complete", ""),
        ("completed", "none", None, "Complete", ""),
        ("Quarterly", "quarterly", None, None, ""),
        ("Annually", "annually", None, None, ""),
        ("31/03/2020", "date", date(2020, 3, 31), None, ""),
        ("1/4/19", "date", date(2019, 4, 1), None, ""),
        ("Q3 2019/20", "month", date(2019, 12, 31), None, ""),
        ("Q4 2019/20", "month", date(2020, 3, 31), None, ""),
        ("Q1 2020/21", "month", date(2020, 6, 30), None, ""),
        ("end of 2019", "month", date(2019, 12, 31), None, ""),
        ("10th Jan 2019", "date", date(2019, 1, 10), None, ""),
        ("3 February 2020", "date", date(2020, 2, 3), None, ""),
        ("Feb 2020", "month", date(2020, 2, 29), None, ""),
        ("September 2018 – extended to January 2019", "month", date(2019, 1, 31), None, ""),
        ("March 2020 Continued into 2020-21", "month", date(2020, 3, 31), "Continue", "2020/21"),
        ("31/02/2019", "unknown", None, None, ""),
        ("When funding allows", "unknown", None, None, ""),
        ("  ", "none", None, None, ""),
        ("", "none", None, None, ""),
    ],
)
def test_review_point_cells(text, kind, due, disposition, carried_to):
    point = parse_review_point(text)
    assert point.text == text.strip()
    assert (point.kind, point.due, point.carried_to) == (ReviewKind(kind), due, carried_to)
    assert point.disposition == (Disposition(disposition) if disposition else None)


def test_a_month_without_a_year_needs_the_plans_first_year():
    assert parse_review_point("by March").kind == ReviewKind.UNKNOWN
    # In a 2019/20 plan, March is March 2020 and June is June 2019.
    assert parse_review_point("by March", today_year_hint=2019).due == date(2020, 3, 31)
    assert parse_review_point("June", today_year_hint=2019).due == date(2019, 6, 30)


@pytest.mark.parametrize(
    "point",
    [
        ReviewPoint(kind=ReviewKind.DATE, due=date(2020, 3, 5)),
        ReviewPoint(kind=ReviewKind.MONTH, due=date(2020, 2, 29)),
        ReviewPoint(
            kind=ReviewKind.ONGOING, disposition=Disposition.CONTINUE, carried_to="2020/21"
        ),
        ReviewPoint(kind=ReviewKind.QUARTERLY, disposition=Disposition.REMOVE),
        ReviewPoint(kind=ReviewKind.ANNUALLY),
        ReviewPoint(kind=ReviewKind.UNKNOWN),
        ReviewPoint(kind=ReviewKind.NONE, disposition=Disposition.COMPLETE),
        ReviewPoint(),
    ],
)
def test_a_review_point_without_text_is_written_so_it_reads_back(point):
    text = format_review_point(point)
    assert parse_review_point(text) == ReviewPoint(
        text=text,
        kind=point.kind,
        due=point.due,
        disposition=point.disposition,
        carried_to=point.carried_to,
    )


def test_a_review_point_with_text_is_written_as_entered():
    point = parse_review_point("Ongoing CONTINUE 2019/20")
    assert format_review_point(point) == "Ongoing CONTINUE 2019/20"


# ---------------------------------------------------------------------------------------------
# Cells: headings, leads, updates


@pytest.mark.parametrize(
    ("text", "code", "title", "aim"),
    [
        (
            "Strategic Objective 1 – Burglary: To reduce burglary",
            "SO1",
            "Burglary",
            "To reduce burglary",
        ),
        (
            "Strategic Objective 4a - Motor vehicle crime: To cut thefts",
            "SO4a",
            "Motor vehicle crime",
            "To cut thefts",
        ),
        ("SO12B: Fraud", "SO12b", "Fraud", ""),
        ("SO3 – Youth offending", "SO3", "Youth offending", ""),
        (
            "Objective 2. Arson\nTo reduce deliberate fires",
            "SO2",
            "Arson",
            "To reduce deliberate fires",
        ),
    ],
)
def test_objective_headings(text, code, title, aim):
    heading = parse_objective_heading(text)
    assert (heading.code, heading.title, heading.aim) == (code, title, aim)
    assert parse_objective_heading(heading.heading()) == heading


def test_a_numbered_paragraph_is_not_an_objective_without_its_prefix():
    assert parse_objective_heading("1. Introduction", strict=True) is None
    assert parse_objective_heading("1. Introduction").code == "SO1"


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        (
            "Jo Bloggs / Sam Patel\nNorthbrook Police",
            [("Jo Bloggs", "Northbrook Police"), ("Sam Patel", "Northbrook Police")],
        ),
        ("Alex Green, Head of Strategy", [("Alex Green", "")]),
        ("Alex Green, Eastmere Council", [("Alex Green", "Eastmere Council")]),
        ("Economic Development", [("", "Economic Development")]),
        ("Priya Shah (Harbour Futures)", [("Priya Shah", "Harbour Futures")]),
        ("(Harbour Futures)\nJo Bloggs", [("", "Harbour Futures"), ("Jo Bloggs", "")]),
        ("Eastmere Council & Eastmere Police", [("", "Eastmere Council"), ("", "Eastmere Police")]),
        ("Jo Bloggs; Sam Patel", [("Jo Bloggs", ""), ("Sam Patel", "")]),
        ("Jo Bloggs / Eastmere Police", [("Jo Bloggs", ""), ("", "Eastmere Police")]),
        (
            "Dana Reid\nEastmere Housing\nTom Ash",
            [("Dana Reid", "Eastmere Housing"), ("Tom Ash", "")],
        ),
        ("Jo Bloggs (Police & Crime Panel)", [("Jo Bloggs", "Police & Crime Panel")]),
    ],
)
def test_lead_cells(cell, leads):
    assert parse_leads(cell) == [Lead(person=p, agency=a) for p, a in leads]


def test_leads_named_in_the_agency_list_are_agencies_with_its_spelling():
    assert parse_leads("Harbour futures") == [Lead(person="Harbour futures")]
    assert parse_leads("Harbour futures", ["Harbour Futures"]) == [Lead(agency="Harbour Futures")]
    assert parse_leads("Jo Bloggs, North Harbour Futures", ["Harbour Futures"]) == [
        Lead(person="Jo Bloggs", agency="North Harbour Futures")
    ]


def test_leads_are_written_so_that_they_read_back():
    leads = [
        Lead(person="Jo Bloggs"),
        Lead(agency="Eastmere Police"),  # would join Jo Bloggs if written bare
        Lead(agency="Harbour Futures"),  # has no organisation word
        Lead(person="Sam Patel", agency="Eastmere Council"),
        Lead(person="Sam Housing"),  # a person whose name reads as an agency
    ]
    lines = format_leads(leads)
    assert lines == [
        "Jo Bloggs",
        "(Eastmere Police)",
        "(Harbour Futures)",
        "Sam Patel (Eastmere Council)",
        "Sam Housing ()",
    ]
    assert parse_leads("\n".join(lines)) == leads


def test_update_cells():
    cell = (
        "Work began in the spring.\n"
        "UPDATE 10th Jan 2019 Green\nAutumn campaign ran.\nSecond line.\n"
        "12 March 2019 (Jo Bloggs, Amber): Supplier late.\n"
        "UPDATE: 31/02/2019 not a real day\n"
        "January 2020 - Red - stalled\n"
        "3/2/2020 Green spaces were cleared."
    )
    assert parse_updates(cell) == [
        Update(on=None, text="Work began in the spring."),
        Update(date(2019, 1, 10), "Autumn campaign ran.\nSecond line.", Rag.GREEN),
        Update(
            date(2019, 3, 12),
            "Supplier late.\nUPDATE: 31/02/2019 not a real day",
            Rag.AMBER,
            "Jo Bloggs",
        ),
        Update(date(2020, 1, 1), "Red - stalled"),
        Update(date(2020, 2, 3), "Green spaces were cleared."),
    ]


@pytest.mark.parametrize(
    "update",
    [
        Update(date(2019, 3, 12), "Text: with a colon", Rag.GREEN, "Jo Bloggs"),
        Update(date(2019, 3, 12), "(bracketed) start"),
        Update(date(2019, 3, 12), "Green light given"),
        Update(date(2019, 3, 12), "", Rag.RED),
        Update(None, "No date", Rag.AMBER, "Sam Patel"),
        Update(None, "", None, "Sam Patel"),
        Update(date(2019, 3, 12), "Two\nlines"),
    ],
)
def test_the_written_update_form_reads_back_exactly(update):
    assert parse_updates(format_update(update)) == [update]


def test_the_written_update_form():
    update = Update(date(2019, 3, 2), "Ran it", Rag.GREEN, "Jo Bloggs")
    assert format_update(update) == "2 March 2019 Green (Jo Bloggs): Ran it"
    assert format_update(Update(None, "Later")) == "Undated: Later"


# ---------------------------------------------------------------------------------------------
# Real layouts


def test_word_plan_with_headings_in_merged_rows(tmp_path):
    plan = read_ok(eastmere_docx(tmp_path / "eastmere.docx"))
    assert plan.title == "Eastmere Community Safety Partnership Delivery Plan 2019/20"
    assert (plan.starts, plan.ends) == (date(2019, 4, 1), date(2020, 3, 31))
    assert plan.rag_definitions == {
        "Red": "the action has stalled and needs the board's attention.",
        "Amber": "the action is running late but has a plan to recover.",
        "Green": "the action is on track or done.",
    }
    assert [(o.code, o.title, o.aim, o.group) for o in plan.objectives] == [
        (
            "SO1",
            "Burglary",
            "To reduce the number of burglaries across Eastmere",
            "High volume crime",
        ),
        (
            "SO4a",
            "Motor vehicle crime",
            "To reduce thefts of and from vehicles",
            "High volume crime",
        ),
        (
            "SO5",
            "Domestic abuse",
            "To increase reporting and cut repeat victimisation",
            "High harm crime",
        ),
    ]
    burglary = plan.objectives[0]
    assert [m.text for m in burglary.measures] == [
        "Reduce residential burglary by 5% on 2018/19",
        "Raise the burglary detection rate to 12%",
    ]
    locks, advice, review = burglary.actions
    assert [a.measure for a in burglary.actions] == [0, 0, 1]
    assert locks.text == "Fit better locks for repeat burglary victims"
    assert locks.source == "table 1, row 3"
    assert locks.leads == [
        Lead("Jo Bloggs", "Eastmere Police"),
        Lead("Sam Patel", "Eastmere Police"),
    ]
    assert locks.partners == "Victim Support"
    assert locks.review == ReviewPoint(
        "March 2019 / CONTINUE 2019/20",
        ReviewKind.MONTH,
        date(2019, 3, 31),
        Disposition.CONTINUE,
        "2019/20",
    )
    assert locks.disposition == Disposition.CONTINUE
    assert locks.updates == [
        Update(date(2019, 1, 10), "45 homes fitted with new locks.", Rag.GREEN),
        Update(date(2019, 3, 12), "Supplier delay on window locks.", Rag.AMBER),
    ]
    assert locks.rag == Rag.AMBER
    assert advice.tags == [draft.NEW_ACTION]
    assert advice.text == "Publish burglary advice before the clocks change"
    assert advice.leads == [Lead(person="Alex Green")]
    assert (advice.review.kind, advice.review.due) == (ReviewKind.MONTH, date(2018, 9, 30))
    assert advice.disposition == Disposition.REMOVE
    # The RAG column rates the latest update, here the undated text.
    assert advice.updates == [Update(None, "Advice drafted but not published.", Rag.RED)]
    # A RAG with no update text becomes an empty undated update carrying the rating.
    assert review.updates == [Update(None, "", Rag.AMBER)]
    assert review.review.kind == ReviewKind.ONGOING
    assert review.review.carried_to == "2019/20"

    vehicles = plan.objectives[1]
    assert [a.measure for a in vehicles.actions] == [0, 0]  # a blank measure cell continues
    group, cameras = vehicles.actions
    assert group.leads == [Lead(agency="Economic Development"), Lead(agency="Eastmere Council")]
    assert group.review.due == date(2018, 6, 30)
    assert group.updates == [Update(date(2019, 3, 12), "The group meets every month.", Rag.GREEN)]
    assert cameras.leads == [Lead("Chris Wong", "Eastmere Council")]
    assert (cameras.review.kind, cameras.review.due) == (ReviewKind.DATE, date(2020, 3, 31))
    assert cameras.updates == []

    training, marac = plan.objectives[2].actions
    assert training.review.due == date(2019, 12, 31)
    assert training.leads == [Lead("Morgan Lee", "Eastmere Domestic Abuse Service")]
    assert training.updates == [
        Update(date(2019, 10, 1), "120 staff trained.", Rag.GREEN, "Morgan Lee")
    ]
    assert marac.review == ReviewPoint("COMPLETE", ReviewKind.NONE, None, Disposition.COMPLETE)
    assert marac.leads == [Lead(agency="Eastmere Council"), Lead(agency="Eastmere Police")]


def test_word_plan_with_headings_as_paragraphs(tmp_path):
    plan = read_ok(safer_streets_docx(tmp_path / "streets.docx"))
    assert plan.title == "Eastmere Safer Streets Plan 2019–2022"
    assert (plan.starts, plan.ends) == (date(2019, 1, 1), date(2022, 12, 31))
    assert plan.rag_definitions == draft.DEFAULT_RAG_DEFINITIONS
    assert [(o.code, o.title, o.aim, o.group) for o in plan.objectives] == [
        (
            "SO2",
            "Anti-social behaviour",
            "To reduce repeat anti-social behaviour in the worst-affected streets",
            "Anti-social behaviour",
        ),
        ("SO3", "Youth offending", "", "Anti-social behaviour"),
    ]
    asb = plan.objectives[0]
    assert len(asb.measures) == 2
    assert [a.measure for a in asb.actions] == [0, 0, 0, 1]
    mapping, meetings, mediation, hub = asb.actions
    assert mapping.review.kind == ReviewKind.QUARTERLY
    assert mapping.leads == [Lead(person="Dana Reid")]
    assert mapping.updates == [
        Update(date(2019, 5, 3), "Data sharing agreement still unsigned.", Rag.AMBER),
        Update(
            date(2019, 8, 2), "Map shared with ward panels.\nPanels chose three streets.", Rag.GREEN
        ),
    ]
    assert meetings.leads == [
        Lead("Dana Reid", "Eastmere Housing"),
        Lead("Tom Ash", "Eastmere Housing"),
    ]
    assert meetings.review.due == date(2019, 12, 31)
    assert meetings.updates == [Update(None, "Street meetings arranged for the autumn.", Rag.AMBER)]
    assert (mediation.tags, mediation.text) == (
        [draft.NEW_ACTION],
        "Offer mediation to neighbours in dispute",
    )
    assert mediation.review.kind == ReviewKind.ANNUALLY
    assert mediation.leads == [Lead(agency="Eastmere Mediation Service")]
    assert hub.review == ReviewPoint("10th Jan 2020", ReviewKind.DATE, date(2020, 1, 10))
    assert hub.leads == [Lead(person="Sam Patel")]
    (diversion,) = plan.objectives[1].actions
    assert diversion.disposition == Disposition.COMPLETE
    assert diversion.review.due == date(2020, 4, 30)
    assert diversion.leads == [Lead(agency="Eastmere YOS")]
    assert diversion.updates == [Update(date(2020, 1, 1), "30 young people referred.")]


def test_excel_plan_with_merged_cells(tmp_path):
    plan = read_ok(eastmere_xlsx(tmp_path / "eastmere.xlsx"))
    word = read_ok(eastmere_docx(tmp_path / "eastmere.docx"))
    assert plan.title == word.title
    assert plan.rag_definitions == word.rag_definitions
    assert [o.code for o in plan.objectives] == ["SO1", "SO4a"]
    # The same tables pasted into Excel read as the Word ones do, row labels apart.
    assert without_sources(plan).objectives == without_sources(word).objectives[:2]
    assert plan.objectives[0].actions[1].source == "sheet Plan, row 9"
    assert [a.measure for a in plan.objectives[0].actions] == [0, 0, 1]


def test_flat_csv_plan(tmp_path):
    plan = read_ok(eastmere_csv(tmp_path / "eastmere.csv"), title="Eastmere plan 2019/20")
    assert plan.title == "Eastmere plan 2019/20"
    assert plan.starts == date(2019, 4, 1)
    assert [(o.code, o.title, o.aim, o.group) for o in plan.objectives] == [
        ("SO1", "Burglary", "To reduce burglaries", "High volume crime"),
        ("SO5", "Domestic abuse", "", "High harm crime"),
    ]
    burglary = plan.objectives[0]
    assert burglary.measures == [Measure("Reduce burglary by 5%", "burglary-rate")]
    locks, leaflets = burglary.actions
    assert (locks.measure, leaflets.measure) == (0, 0)
    assert locks.tags == ["Target hardening", "Victims"]
    assert locks.plan_year == "2019/20"
    # The Disposition column fills a review point that names no disposition of its own.
    assert locks.review == ReviewPoint(
        "31/03/2020", ReviewKind.DATE, date(2020, 3, 31), Disposition.CONTINUE, "2020/21"
    )
    assert locks.disposition == Disposition.CONTINUE
    assert locks.updates == [Update(date(2019, 6, 10), "Locks ordered.", Rag.AMBER, "Jo Bloggs")]
    assert leaflets.review.disposition == Disposition.COMPLETE
    assert leaflets.updates == [Update(None, "", Rag.GREEN)]
    (refuge,) = plan.objectives[1].actions
    assert refuge.measure is None
    assert refuge.plan_year == "2018/19"
    assert (refuge.review.kind, refuge.review.disposition) == (
        ReviewKind.ONGOING,
        Disposition.REMOVE,
    )
    assert refuge.disposition == Disposition.REMOVE
    assert refuge.leads == [Lead("Morgan Lee", "Eastmere Domestic Abuse Service")]
    assert refuge.source == "row 4"


def test_title_and_period_fall_back_to_the_file_name(tmp_path):
    plan = read_ok(eastmere_csv(tmp_path / "Eastmere plan 2020-21.csv"))
    assert plan.title == "Eastmere plan 2020-21"
    assert (plan.starts, plan.ends) == (date(2020, 4, 1), date(2021, 3, 31))
    plan = read_ok(eastmere_csv(tmp_path / "Eastmere strategy 2020-23.csv"))
    assert (plan.starts, plan.ends) == (date(2020, 1, 1), date(2023, 12, 31))


def test_a_disposition_column_wins_over_the_review_cell(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["Objective", "Action", "Review point", "Disposition"],
            ["SO1", "Patrol the park", "March 2020 CONTINUE 2020/21", "Complete"],
        ],
    )
    (action,) = read_ok(path).objectives[0].actions
    assert action.disposition == Disposition.COMPLETE
    assert (action.review.disposition, action.review.carried_to) == (
        Disposition.CONTINUE,
        "2020/21",
    )


def test_a_row_with_only_a_measure_adds_the_measure(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Table(
            [
                HEADER_DEADLINE,
                ["Fewer arson attacks", "Remove fly-tipped waste", "", "", "", "", ""],
                ["Faster repairs to street lights", "", "", "", "", "", ""],
                ["–", "Survey the alleyways", "", "", "", "", ""],
            ],
            heading=HEADING_1,
        ),
    )
    objective = read_ok(path).objectives[0]
    assert [m.text for m in objective.measures] == [
        "Fewer arson attacks",
        "Faster repairs to street lights",
    ]
    assert [(a.text, a.measure) for a in objective.actions] == [
        ("Remove fly-tipped waste", 0),
        ("Survey the alleyways", None),
    ]


def test_the_same_heading_twice_continues_the_objective(tmp_path):
    rows = [HEADER_DEADLINE, ["", "Patrol the park", "", "", "", "", ""]]
    path = write_docx(
        tmp_path / "plan.docx", Table(rows, heading=HEADING_1), Table(rows, heading=HEADING_1)
    )
    plan = read_ok(path)
    assert len(plan.objectives) == 1
    assert [a.source for a in plan.objectives[0].actions] == ["table 1, row 3", "table 2, row 3"]


def test_a_table_without_its_own_header_uses_the_one_before(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Table([HEADER_DEADLINE, ["", "Patrol the park", "", "", "", "", ""]], heading=HEADING_1),
        "Strategic Objective 2 – Arson",
        Table([["", "Clear the bins", "Ongoing", "", "", "", ""]]),
    )
    plan = read_ok(path)
    assert [[a.text for a in o.actions] for o in plan.objectives] == [
        ["Patrol the park"],
        ["Clear the bins"],
    ]


def test_a_header_merged_over_two_columns_reads_both(tmp_path):
    header = ["Action", "Lead", "Lead", "RAG"]
    path = write_docx(
        tmp_path / "plan.docx",
        Table(
            [
                header,
                ["Patrol", "Jo Bloggs", "Eastmere Police", ""],
                ["Visit", "Sam Patel", "", ""],
            ],
            heading=HEADING_1,
            merge_across=[(0, 1, 2), (2, 1, 2)],
        ),
    )
    patrol, visit = read_ok(path).objectives[0].actions
    assert patrol.leads == [Lead("Jo Bloggs", "Eastmere Police")]
    assert visit.leads == [Lead(person="Sam Patel")]


def test_a_flat_row_with_no_objective(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [["Objective", "Action"], ["", "Patrol"], ["SO2", "Visit"]],
    )
    problem, *_ = read_plan(path)[1]
    assert problem.where == "plan.csv, row 2, column Objective"
    assert problem.reason == "expected an objective code such as SO1; found none"


# ---------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("fixture", list(FIXTURES))
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_fixture_round_trip_through_word_and_excel(tmp_path, fixture, fmt):
    plan = without_sources(read_ok(FIXTURES[fixture](tmp_path / fixture)))
    assert round_trip(plan, fmt, tmp_path) == plan


@pytest.mark.parametrize("fixture", list(FIXTURES))
def test_fixture_round_trip_through_csv(tmp_path, fixture):
    plan = without_sources(read_ok(FIXTURES[fixture](tmp_path / fixture)))
    again = round_trip(plan, "csv", tmp_path, stem=Path(fixture).stem)
    # CSV carries no title, period or RAG definitions; everything under them survives.
    assert again.objectives == plan.objectives


def full_plan() -> Plan:
    """Every field filled, and the awkward cases: actions out of measure order, an action with
    no measure between measured ones, a measure and an objective with no actions."""
    return Plan(
        title="Eastmere Delivery Plan 2019/20",
        starts=date(2019, 4, 1),
        ends=date(2020, 3, 31),
        rag_definitions={"Red": "Stuck.", "Green": "Fine."},
        objectives=[
            Objective(
                "SO1",
                "Burglary",
                "To reduce burglary",
                group="High volume crime",
                measures=[
                    Measure("Reduce burglary by 5%", indicator="burglary-rate"),
                    Measure("Raise detections", indicator="detections"),
                    Measure("A measure with no action"),
                ],
                actions=[
                    Action(
                        "Fit locks",
                        measure=1,
                        leads=[
                            Lead("Jo Bloggs", "Eastmere Police"),
                            Lead(agency="Harbour Futures"),
                            Lead("Sam Patel"),
                            Lead(agency="Eastmere Council"),
                        ],
                        partners="Victim Support\nNeighbourhood Watch",
                        review=parse_review_point("March 2020 / CONTINUE 2020/21"),
                        tags=[draft.NEW_ACTION, "Funded", "Victims"],
                        plan_year="2019/20",
                        disposition=Disposition.CONTINUE,
                        updates=[
                            Update(None, "Started in the spring."),
                            Update(
                                date(2019, 6, 10),
                                "Locks ordered.\nSecond line.",
                                Rag.AMBER,
                                "Jo Bloggs",
                            ),
                            Update(date(2019, 9, 1), "", Rag.GREEN),
                        ],
                    ),
                    Action("No measure, first", review=parse_review_point("Quarterly")),
                    Action(
                        "Under the first measure",
                        measure=0,
                        # A disposition the review text does not give goes in a Disposition
                        # column, which also fills the review point.
                        review=ReviewPoint(
                            "Ongoing", ReviewKind.ONGOING, None, Disposition.COMPLETE
                        ),
                        disposition=Disposition.COMPLETE,
                        tags=["Funded"],
                        updates=[Update(None, "", Rag.RED)],
                    ),
                    Action(
                        "No measure, after one",
                        review=parse_review_point("COMPLETE"),
                        disposition=Disposition.REMOVE,
                        updates=[Update(None, "Waiting", Rag.AMBER, "Sam Patel")],
                    ),
                    Action("Under the second again", measure=1, plan_year="2020/21"),
                ],
            ),
            Objective("SO4a", "Motor vehicle crime", group="High volume crime"),
            Objective(
                "SO5",
                "Domestic abuse",
                "To increase reporting",
                group="Violence against women and girls (VAWG)",
                actions=[
                    Action(
                        "Train staff",
                        review=ReviewPoint(
                            "31/03/2020",
                            ReviewKind.DATE,
                            date(2020, 3, 31),
                            Disposition.CONTINUE,
                            "2020/21",
                        ),
                        disposition=Disposition.CONTINUE,
                        updates=[
                            Update(date(2019, 10, 1), "Done (mostly)", Rag.GREEN, "Morgan Lee")
                        ],
                    )
                ],
            ),
        ],
    )


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_full_plan_survives_word_and_excel(tmp_path, fmt):
    plan = full_plan()
    assert round_trip(plan, fmt, tmp_path) == plan


def test_a_full_plan_survives_csv(tmp_path):
    plan = full_plan()
    again = round_trip(plan, "csv", tmp_path)
    assert again.objectives == plan.objectives
    assert again.title == "plan"


def test_empty_and_open_plan_periods_survive(tmp_path):
    plan = full_plan()
    plan.starts, plan.ends = None, date(2021, 3, 31)  # the title says otherwise
    assert round_trip(plan, "docx", tmp_path) == plan
    plan.ends = None
    assert round_trip(plan, "xlsx", tmp_path) == plan


# Safe text: words that no reader takes for a date, RAG, organisation, tag or disposition.
WORDS = [
    *("alpha", "beacon", "canal", "dock", "estate", "ferry", "garden", "harbour", "island"),
    *("lane", "market", "north", "orchard", "park", "quay", "river", "station", "tower"),
    *("valley", "west", "yard", "zone", "patrol", "leaflet", "camera", "lock", "visit"),
    *("survey", "panel", "youth"),
]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(
    lambda ws: " ".join(ws).capitalize()
)
GROUPS = ["High volume crime", "High harm crime", "Anti-social behaviour (ASB)"]
PEOPLE = ["Jo Bloggs", "Sam Patel", "Dana Reid", "Tom Ash"]
AGENCIES = ["Eastmere Police", "Eastmere Council", "Harbour Futures", "Northgate Group"]
REVIEW_TEXTS = [
    "",
    "March 2020",
    "March 2020 / CONTINUE 2020/21",
    "Ongoing",
    "Quarterly",
    "31/03/2020",
    "Q3 2019/20",
    "COMPLETE",
    "September 2018 REMOVE",
    "by June",
    "When funding allows",
]
leads = st.builds(Lead, st.sampled_from(["", *PEOPLE]), st.sampled_from(["", *AGENCIES])).filter(
    lambda lead: lead.person or lead.agency
)
updates = st.builds(
    Update,
    on=st.one_of(st.none(), st.dates(date(2018, 1, 1), date(2021, 12, 31))),
    text=st.one_of(st.just(""), words, st.tuples(words, words).map("\n".join)),
    rag=st.one_of(st.none(), st.sampled_from(Rag)),
    author=st.sampled_from(["", *PEOPLE]),
).filter(lambda u: u.on or u.text or u.rag or u.author)


@st.composite
def actions(draw, measures: int) -> Action:
    review = parse_review_point(draw(st.sampled_from(REVIEW_TEXTS)), today_year_hint=2019)
    disposition = draw(st.one_of(st.none(), st.sampled_from(Disposition)))
    if review.disposition is None and disposition is not None:
        # Written in a Disposition column, which also fills the review point.
        review.disposition = disposition
        if disposition == Disposition.CONTINUE:
            review.carried_to = draw(st.sampled_from(["", "2020/21"]))
    elif review.disposition is not None:
        disposition = draw(st.sampled_from([review.disposition, *Disposition]))
    dated = draw(st.lists(updates.filter(lambda u: u.on), max_size=3))
    undated = draw(st.lists(updates.filter(lambda u: not u.on), max_size=1))
    return Action(
        text=draw(words),
        measure=draw(st.one_of(st.none(), st.integers(0, measures - 1))) if measures else None,
        leads=draw(st.lists(leads, max_size=3)),
        partners=draw(st.one_of(st.just(""), words)),
        review=review,
        tags=draw(st.lists(st.sampled_from([draft.NEW_ACTION, "Funded", "Victims"]), unique=True)),
        plan_year=draw(st.sampled_from(["", "2019/20", "2020/21"])),
        disposition=disposition,
        updates=undated + dated,
    )


@st.composite
def objectives(draw, number: int) -> Objective:
    measures = draw(st.lists(words, unique=True, max_size=3))
    indicators = draw(
        st.lists(
            st.sampled_from(["", "rate-1", "rate-2"]),
            min_size=len(measures),
            max_size=len(measures),
        )
    )
    return Objective(
        code=f"SO{number}{draw(st.sampled_from(['', 'a', 'b']))}",
        title=draw(words),
        aim=draw(st.one_of(st.just(""), words)),
        group=draw(st.sampled_from(GROUPS)),
        measures=[Measure(m, i) for m, i in zip(measures, indicators, strict=True)],
        actions=draw(st.lists(actions(len(measures)), max_size=4)),
    )


@st.composite
def plans(draw) -> Plan:
    count = draw(st.integers(1, 3))
    found = [draw(objectives(n)) for n in range(1, count + 1)]
    if not any(o.actions for o in found):
        found[0].actions.append(Action("Patrol the park"))
    return Plan(
        title="Eastmere Delivery Plan 2019/20",
        starts=date(2019, 4, 1),
        ends=date(2020, 3, 31),
        objectives=found,
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans())
def test_any_plan_survives_every_format(plan):
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("docx", "xlsx"):
            assert round_trip(plan, fmt, Path(folder)) == plan, fmt
        # CSV has no title row: given the same title, the whole plan reads back.
        assert round_trip(plan, "csv", Path(folder), title=plan.title) == plan


# ---------------------------------------------------------------------------------------------
# What the written files look like


def test_word_layout(tmp_path):
    document = docx.Document(io.BytesIO(plan_to_docx(full_plan())))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert round(section.page_width.mm) == 297
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Eastmere Delivery Plan 2019/20"
    texts = [p.text for p in document.paragraphs]
    assert "Plan period: 1 April 2019 to 31 March 2020" in texts
    assert "HIGH VOLUME CRIME" in texts
    assert "VIOLENCE AGAINST WOMEN AND GIRLS (VAWG)" in texts
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    first_row = table.rows[0].cells
    assert {c.text for c in first_row} == {"SO1 – Burglary: To reduce burglary"}
    header = [c.text for c in table.rows[1].cells]
    assert header[:3] == ["Measures & targets", "Indicator", "Action"]
    assert header[-2:] == ["Update/Progress", "RAG"]
    for row in table.rows[:2]:
        assert row._tr.xpath("./w:trPr/w:tblHeader")  # repeated on each page
    assert table.rows[2]._tr.xpath("./w:trPr/w:tblHeader") == []
    # The first measure is written on a row of its own before "Fit locks" (second measure).
    assert [c.text for c in table.rows[2].cells[:3]] == [
        "Reduce burglary by 5%",
        "burglary-rate",
        "",
    ]
    locks = table.rows[3]
    assert locks.cells[2].text == "NEW ACTION: Fit locks"
    rag = locks.cells[-1]
    assert rag.text == "Green"
    assert rag._tc.xpath("./w:tcPr/w:shd/@w:fill") == ["A9D18E"]
    # Each update is a paragraph of its own in the update cell.
    update_cell = locks.cells[header.index("Update/Progress")]
    assert [p.text for p in update_cell.paragraphs] == [
        "Started in the spring.",
        "10 June 2019 Amber (Jo Bloggs): Locks ordered.\nSecond line.",
        "1 September 2019 Green:",
    ]


def test_word_merges_a_measure_over_its_actions(tmp_path):
    plan = Plan(
        "Plan",
        objectives=[
            Objective(
                "SO1",
                "Burglary",
                measures=[Measure("Fewer burglaries")],
                actions=[Action("One", measure=0), Action("Two", measure=0)],
            ),
        ],
    )
    table = docx.Document(io.BytesIO(plan_to_docx(plan))).tables[0]
    top, below = table.rows[2].cells[0], table.rows[3].cells[0]
    assert top._tc is below._tc  # one cell spanning both rows
    assert top.text == "Fewer burglaries"


def test_excel_layout():
    book = openpyxl.load_workbook(io.BytesIO(plan_to_xlsx(full_plan())))
    sheet = book["Plan"]
    assert sheet["A1"].value == "Eastmere Delivery Plan 2019/20"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    heading = "SO1 – Burglary: To reduce burglary"
    heading_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == heading)
    assert f"A{heading_row}:K{heading_row}" in merged
    assert sheet.cell(heading_row + 1, 3).value == "Action"
    # "Fit locks" and "Under the second again" are not next to each other, so each has its
    # own measure cell; the first measure spans nothing.
    assert sheet.cell(heading_row + 2, 1).value == "Reduce burglary by 5%"
    assert sheet.cell(heading_row + 2, 3).value is None  # the measure written before its use
    assert sheet.cell(heading_row + 2, 1).alignment.wrap_text
    assert sheet.column_dimensions["C"].width > 10


def test_excel_merges_a_measure_over_its_actions(tmp_path):
    plan = Plan(
        "Plan",
        objectives=[
            Objective(
                "SO1",
                "Burglary",
                measures=[Measure("Fewer burglaries")],
                actions=[Action("One", measure=0), Action("Two", measure=0)],
            ),
        ],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(plan_to_xlsx(plan)))["Plan"]
    ranges = [r for r in sheet.merged_cells.ranges if r.min_col == r.max_col == 1]
    assert len(ranges) == 1 and ranges[0].max_row - ranges[0].min_row == 1


def test_csv_is_flat():
    text = plan_to_csv(full_plan()).decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header == (
        "Group,Objective,Objective title,Aim,Measures & targets,Indicator,Action,Review point,"
        "Disposition,Lead,Partners,Tags,Plan year,Update/Progress,RAG"
    )
    assert "High volume crime,SO4a,Motor vehicle crime," in text  # an objective with no actions


# ---------------------------------------------------------------------------------------------
# Problems


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in read_plan(path)[1]]


def test_a_data_row_before_any_header(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        HEADING_1,
        Table([["Fit locks", "Jo Bloggs"], HEADER_DEADLINE[:2], ["", "Patrol"]]),
    )
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith("plan.docx, table 1, row 1: expected a header row")
    assert "'Fit locks | Jo Bloggs'" in problems[0]


def test_a_data_row_before_any_objective(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Table([HEADER_DEADLINE, ["", "Patrol the park", "", "", "", "", ""]]),
    )
    problems = problems_of(path)
    assert problems[0].startswith("plan.docx, table 1, row 2: expected an objective heading")
    assert (
        problems[1] == "plan.docx: expected at least one action under an Action header; found none"
    )


def test_text_with_no_action(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Table(
            [
                HEADER_DEADLINE,
                ["", "Patrol", "", "", "", "", ""],
                ["", "", "June 2019", "Jo Bloggs", "", "Went well", ""],
            ],
            heading=HEADING_1,
        ),
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.docx, table 1, row 4, column Action"
    assert "Deadline, Lead(s), RAG Rating – Update/Progress" in problem.reason
    assert "empty" in problem.reason


def test_an_unknown_rag(tmp_path):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        Table([HEADER_DEADLINE, ["", "Patrol", "", "", "", "", "Purple"]], heading=HEADING_1),
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.xlsx, sheet Plan, row 3, column RAG"
    assert problem.reason == "expected Red, Amber or Green; found 'Purple'"


def test_a_rag_that_contradicts_the_latest_update(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["Objective", "Action", "Update", "RAG"],
            ["SO1", "Patrol", "1 May 2019 Green: ok", "Red"],
        ],
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.csv, row 2, column RAG"
    assert problem.reason == "expected Green as the latest update says; found 'Red'"


def test_an_unreadable_update_date_is_kept_as_text(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [["Objective", "Action", "Update"], ["SO1", "Patrol", "31/02/2019: went well"]],
    )
    (action,) = read_ok(path).objectives[0].actions
    assert action.updates == [Update(None, "31/02/2019: went well")]


def test_a_header_with_no_action_column(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        Table([["Measure", "Lead", "RAG"], ["Fewer fires", "Jo Bloggs", "Red"]], heading=HEADING_1),
    )
    problems = read_plan(path)[1]
    assert problems[0].where == "plan.docx, table 1, row 2"
    assert "expected an Action column" in problems[0].reason
    assert "'Measure | Lead | RAG'" in problems[0].reason
    assert problems[1].reason.startswith("expected at least one action")
    assert len(problems) == 2


def test_a_file_with_no_actions(tmp_path):
    path = write_docx(tmp_path / "plan.docx", Styled("Eastmere plan"), "Nothing yet.")
    assert problems_of(path) == [
        "plan.docx: expected at least one action under an Action header; found none"
    ]


def test_an_unknown_column_is_kept_with_its_actions_and_noted(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [["Objective", "Action", "Comments"], ["SO1", "Patrol", "ask Jo"], ["SO1", "Visit", "x"]],
    )
    plan, problems = read_plan(path)
    assert problems == []
    assert [a.extra for _, a in plan.actions()] == [{"Comments": "ask Jo"}, {"Comments": "x"}]
    (warning,) = plan.warnings
    assert warning.where == "plan.csv, row 2, column Comments"
    assert "its text is kept with each action" in warning.reason


def test_text_in_an_unknown_column_with_no_action_is_a_problem(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [["Objective", "Action", "Comments"], ["SO1", "Patrol", ""], ["SO1", "", "orphan note"]],
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.csv, row 3, column Action"
    assert "for the Comments given in this row" in problem.reason


def test_a_bad_disposition_and_a_bad_objective_code(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["Objective", "Action", "Disposition"],
            ["SO1", "Patrol", "Maybe"],
            ["Burglary", "Visit", ""],
        ],
    )
    first, second = read_plan(path)[1]
    assert first.where == "plan.csv, row 2, column Disposition"
    assert "found 'Maybe'" in first.reason
    assert second.where == "plan.csv, row 3, column Objective"
    assert second.reason == "expected an objective code such as SO1 or SO4a; found 'Burglary'"


def test_an_objective_with_two_titles(tmp_path):
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["Objective", "Objective title", "Action"],
            ["SO1", "Burglary", "Patrol"],
            ["SO1", "Robbery", "Visit"],
        ],
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.csv, row 3, column Objective title"
    assert problem.reason == "expected SO1's title 'Burglary' as on its first row; found 'Robbery'"


def test_a_table_whose_heading_is_not_an_objective(tmp_path):
    # Read as narrative, the rows under it would silently join Strategic Objective 1.
    path = write_docx(
        tmp_path / "plan.docx",
        Table([HEADER_DEADLINE, ["", "Patrol", "", "", "", "", ""]], heading=HEADING_1),
        Table([HEADER_REVIEW_POINT, ["", "Visit", "", "", "", ""]], heading="Priority two: fires"),
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.docx, table 2, row 1"
    assert problem.reason == (
        "expected an objective heading ('Strategic Objective 2 – Title: aim') or a group "
        "heading in capitals; found 'Priority two: fires'"
    )


def test_a_stray_merged_row_inside_a_table(tmp_path):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        Table([HEADER_DEADLINE, ["", "Patrol", "", "", "", "", ""]], heading=HEADING_1),
        "Please see the notes page",
    )
    (problem,) = read_plan(path)[1]
    assert problem.where == "plan.xlsx, sheet Plan, row 4"
    assert "found 'Please see the notes page'" in problem.reason


def test_narrative_blank_rows_and_a_rag_key_table_are_not_problems(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        "1. Introduction",
        "The partnership meets every quarter.",
        Table([["Red", "Stalled"], ["Amber", "Late"], ["Green", "Fine"]]),
        Table(
            [HEADER_REVIEW_POINT, ["", "", "", "", "", ""], ["", "Patrol", "", "", "", ""]],
            heading=HEADING_1,
        ),
    )
    plan = read_ok(path)
    assert plan.rag_definitions == {"Red": "Stalled", "Amber": "Late", "Green": "Fine"}
    assert [a.text for a in plan.objectives[0].actions] == ["Patrol"]


@pytest.mark.parametrize("name", ["plan.pdf", "plan.doc", "plan"])
def test_a_file_of_another_kind(tmp_path, name):
    path = tmp_path / name
    path.write_text("not a plan")
    with pytest.raises(PlanFileError, match=name):
        read_plan(path)


@pytest.mark.parametrize("name", ["missing.docx", "missing.csv"])
def test_a_missing_file(tmp_path, name):
    with pytest.raises(PlanFileError, match=name):
        read_plan(tmp_path / name)


@pytest.mark.parametrize("name", ["broken.docx", "broken.xlsx"])
def test_a_corrupt_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(PlanFileError, match=name) as error:
        read_plan(path)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path, ext):
    """ "=HYPERLINK(…)" typed in an action must not become a live formula in the export, and
    must read back as typed."""
    from datetime import date

    from saferhub.plans import draft
    from saferhub.plans.exporting import plan_to_csv, plan_to_xlsx
    from saferhub.plans.importing import read_plan

    text = '=HYPERLINK("http://example.invalid","click")'
    plan = draft.Plan(
        title="Eastmere plan 2026/27",
        starts=date(2026, 4, 1),
        ends=date(2027, 3, 31),
        objectives=[
            draft.Objective(
                code="SO1",
                title="Burglary",
                actions=[
                    draft.Action(text=text, leads=[draft.Lead(person="-Sam")]),
                    draft.Action(text="+10 patrols", partners="@Eastmere"),
                ],
            )
        ],
    )
    path = tmp_path / f"plan.{ext}"
    path.write_bytes((plan_to_xlsx if ext == "xlsx" else plan_to_csv)(plan))
    if ext == "xlsx":
        import openpyxl

        cells = [c for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
    else:
        assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")
    back, problems = read_plan(path, title=plan.title)
    assert problems == []
    actions = back.objectives[0].actions
    assert [a.text for a in actions] == [text, "+10 patrols"]
    assert actions[0].leads[0].person == "-Sam" and actions[1].partners == "@Eastmere"
