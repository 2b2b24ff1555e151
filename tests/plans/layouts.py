"""A corpus of delivery plan layouts as partnerships really write them, each with what the
importer must find in it: objectives (group, code, title), actions, and the dates and RAG of
the updates in each progress cell.

The partnership (Wexcombe), its people and every sentence are invented. The layouts vary what
real plans vary: where the objective heading stands (a merged first row, a group label in a
cell of its own, a paragraph above the table, three cells of one row, the first cell of an
unmerged sheet row), how its code is written ("Strategic Objective 2a", "Objective 4b", "SO1",
"Priority 2"), its separators (en dash, em dash, hyphen, colon, with or without spaces),
columns the importer has no place for, and several dated updates in one cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl

from .plan_files import Styled, Table, write_csv, write_docx

R, A, G = "Red", "Amber", "Green"
TITLE = "Wexcombe Safer Communities Delivery Plan 2018/19"  # 1 April 2018 to 31 March 2019

H6 = ["Measures and targets", "Action", "Review Point", "Lead", "Update/Progress", "RAG"]
# With a column a plan has no place for: kept with each action as "Comments".
H7 = [
    "Measures & targets",
    "Action",
    "Deadline",
    "Lead",
    "Comments",
    "RAG Rating – Update/Progress",
    "RAG",
]


@dataclass
class Layout:
    name: str
    write: Callable[[Path], Path]
    suffix: str
    objectives: list[tuple[str, str, str]]  # (group, code, title) in plan order
    actions: dict[str, list[str]]  # objective code -> its actions' texts
    updates: dict[str, list[tuple[date | None, str | None]]]  # action -> (date, RAG) each
    aims: dict[str, str] = field(default_factory=dict)  # objective code -> aim, where given
    extra: dict[str, dict[str, str]] = field(default_factory=dict)  # action -> kept columns
    warnings: int = 0
    period: tuple[date, date] = (date(2018, 4, 1), date(2019, 3, 31))


def write_sheet(
    path: Path, rows: list[list[str]], merges: list[tuple[int, int, int, int]], sheet="Plan"
) -> Path:
    """Rows on one sheet; `merges` are (first row, first column, last row, last column),
    counted from 0, with the text in the first cell only, as Excel keeps it."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    covered = {
        (r, c)
        for r1, c1, r2, c2 in merges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if text and (r, c) not in covered:
                ws.cell(row=r + 1, column=c + 1, value=text)
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# Word


def word_group_and_objective_in_one_merged_row(path: Path) -> Path:
    """The group label and the objective in one merged first row, an em dash between."""
    return write_docx(
        path,
        Styled(TITLE),
        Table(
            [
                H6,
                [
                    "Fewer repeat victims of domestic abuse",
                    "Offer a safety plan to every high-risk victim referred",
                    "March 2019",
                    "Rowan Hale (Wexcombe Council)",
                    "UPDATE 14th Nov 2018 Amber\nTwo caseworkers recruited; one post vacant.",
                    "",
                ],
                [
                    "",
                    "Run a winter awareness campaign in GP surgeries",
                    "December 2018",
                    "Wexcombe Health Trust",
                    "Posters designed with the surgeries.",
                    G,
                ],
            ],
            heading="HIGH HARM CRIME — Strategic Objective 2a: Domestic and sexual abuse",
            merge_down=[(0, 1, 2)],
        ),
    )


def word_group_cell_beside_objective_cell(path: Path) -> Path:
    """A first row of two merged cells: the group over two columns, the objective over the
    rest (python-docx repeats each in every column); a Comments column; three updates."""
    heading = [
        "HIGH VOLUME CRIME",
        "",
        "Strategic Objective 3 - Anti-social behaviour (ASB) : To reduce repeat calls from "
        "the same streets",
        "",
        "",
        "",
        "",
    ]
    return write_docx(
        path,
        Styled(TITLE),
        Table(
            [
                heading,
                H7,
                [
                    "Repeat calls about the same street fall by a tenth",
                    "Hold street surgeries in the three streets with most calls",
                    "March 2019",
                    "Ash Penrose\nWexcombe Housing Service",
                    "Housing to lead; police to attend",
                    "Surgeries held in all three streets.\n"
                    "25 Feb 19 update: Calls down on two of the three streets.\n"
                    "17 May 19 update:\nThe third street is quieter too.",
                    G,
                ],
                [
                    "",
                    "Write to landlords of homes with repeated noise complaints",
                    "Ongoing",
                    "Wexcombe Council",
                    "",
                    "",
                    "",
                ],
            ],
            merge_across=[(0, 0, 1), (0, 2, 6)],
        ),
    )


def word_paragraph_headings_with_dashes_and_colons(path: Path) -> Path:
    """Headings as paragraphs above each table: "Objective 4b – Drugs" and "SO5:Hate crime"
    (no spaces); quarter labels dated in the plan's year."""
    return write_docx(
        path,
        Styled("Wexcombe Partnership Plan 2018/19", "Heading 1"),
        "Each lead updates their actions before the quarterly board.",
        "HIGH HARM CRIME",
        "Objective 4b – Drugs",
        Table(
            [
                H6,
                [
                    "More people leave custody into treatment",
                    "Run an outreach van at the station on weekend nights",
                    "Quarterly",
                    "Sol Marsh (Wexcombe Recovery Service)",
                    "Q2: The van is out twice a week.\nQ3 Green: The van now runs four nights.",
                    "",
                ],
            ]
        ),
        "SO5:Hate crime",
        Table(
            [
                H6,
                [
                    "More hate crimes are reported",
                    "Open two more third-party reporting centres",
                    "January 2019",
                    "Wexcombe Council",
                    "",
                    A,
                ],
            ]
        ),
    )


def word_mixed_case_group_and_priorities(path: Path) -> Path:
    """A group in ordinary case set off by a dash: "High harm crime – Priority 2 – Violence";
    the next priority has no group of its own and keeps it."""
    return write_docx(
        path,
        Styled(TITLE),
        "High harm crime – Priority 2 – Violence",
        Table(
            [
                H6,
                [
                    "Fewer assaults in the night-time economy",
                    "Train door staff in de-escalation",
                    "October 2018",
                    "Wexcombe Licensing Team",
                    "Update Jan 2019 – Forty door staff trained.",
                    "",
                ],
            ]
        ),
        "Priority 3 – Exploitation: To protect young people from exploitation",
        Table(
            [
                H6,
                [
                    "Young people at risk are known to a mentor",
                    "Match a mentor to every young person at risk",
                    "March 2019",
                    "Wexcombe Youth Service",
                    "5 Sep 18 update: Eight mentors recruited.\n"
                    "12/02/2019 Amber (Noor Lake): Waiting list of six.",
                    "",
                ],
            ]
        ),
    )


def word_heading_over_three_cells(path: Path) -> Path:
    """The heading row's code, title and aim each in their own cell, nothing merged."""
    return write_docx(
        path,
        Styled(TITLE),
        Table(
            [
                ["Priority 1", "Burglary", "To cut burglary of homes", "", "", ""],
                H6,
                [
                    "Repeat burglary victims fall",
                    "Fit door chains for older residents",
                    "June 2018 COMPLETE",
                    "Wexcombe Police",
                    "June 2018: 120 chains fitted.",
                    G,
                ],
            ]
        ),
    )


def word_separators_without_spaces(path: Path) -> Path:
    """Hyphen and colon with no spaces around them; the group from a capitals line."""
    return write_docx(
        path,
        Styled(TITLE),
        "HIGH VOLUME CRIME",
        Table(
            [
                H6,
                [
                    "Burglary falls on last year",
                    "Mark property at community events",
                    "Ongoing",
                    "Wexcombe Police",
                    "",
                    "",
                ],
            ],
            heading="Strategic Objective 1-Burglary:To reduce burglary of homes",
        ),
        Table(
            [
                H6,
                [
                    "Street robbery falls",
                    "Patrol the bus station after school",
                    "Ongoing",
                    "Wexcombe Police",
                    "",
                    R,
                ],
            ],
            heading="Objective 2a:Robbery",
        ),
    )


def word_heading_on_three_lines(path: Path) -> Path:
    """Group, objective and aim on three lines of one merged cell; the next table's heading
    has no group and keeps it. Updates in the exporter's own form and "update" after a day."""
    return write_docx(
        path,
        Styled(TITLE),
        Table(
            [
                H6,
                [
                    "Thefts from cars fall",
                    "Visit every car park with the crime prevention van",
                    "March 2019",
                    "Kit Morrow (Wexcombe Police)",
                    "10/12/2018 Amber (Kit Morrow): Two car parks visited.\n"
                    "12 March 2019 update Green: Every car park visited.",
                    "",
                ],
            ],
            heading="HIGH VOLUME CRIME\nSO1 – Vehicle crime\nTo cut thefts from cars",
        ),
        Table(
            [
                H6,
                [
                    "Shops report more thefts",
                    "Give shops a direct line to the neighbourhood team",
                    "Ongoing",
                    "Wexcombe Police",
                    "",
                    "",
                ],
            ],
            heading="SO2 – Business crime",
        ),
    )


def word_update_cell_with_figures(path: Path) -> Path:
    """A progress cell with a table of quarterly figures inside it ("Q1: 2017/18  18.2%"):
    figures, not updates; a "Q3 update:" after them is one."""
    return write_docx(
        path,
        Styled(TITLE),
        "HIGH HARM CRIME",
        Table(
            [
                H6,
                [
                    "More people leave custody into treatment",
                    "Place a link worker in the local prison",
                    "March 2019",
                    "Wexcombe Recovery Service",
                    "Share of releases picked up by treatment:\n"
                    "Q1: 2017/18    18.2%\n"
                    "Q2: 1.7.17-30.6.18    15.0%\n"
                    "Q3 update: The link worker now visits the prison every week.",
                    "",
                ],
            ],
            heading="Strategic Objective 6 – Reoffending",
        ),
    )


def word_multi_year_plan_with_bare_quarters(path: Path) -> Path:
    """A three-year strategy: "Q3:" alone does not say which year, so it stays text (with a
    note in the preview) while a quarter with its year is an update."""
    return write_docx(
        path,
        Styled("Wexcombe Community Safety Strategy 2018-2021"),
        Table(
            [
                H6,
                [
                    "Fewer fires set on purpose",
                    "Clear fly-tipped rubbish within two days",
                    "Ongoing",
                    "Wexcombe Fire Service",
                    "Agreement signed with the waste team.\n"
                    "Q3: Thirty sites cleared.\n"
                    "Q4 2019/20: Sixty sites cleared.",
                    "",
                ],
            ],
            heading="SO7 – Arson",
        ),
    )


# ---------------------------------------------------------------------------------------------
# Excel


def excel_group_and_objective_in_merged_ranges(path: Path) -> Path:
    """A1:B1 holds the group, C1:F1 the objective; the measure is merged down two rows."""
    rows = [
        [TITLE, "", "", "", "", ""],
        ["Plan period: 1 April 2018 to 31 March 2019", "", "", "", "", ""],
        [
            "HIGH HARM CRIME",
            "",
            "Strategic Objective 2b – Modern slavery: To find and support victims",
            "",
            "",
            "",
        ],
        H6,
        [
            "More victims are referred for support",
            "Train licensing officers to spot the signs",
            "February 2019",
            "Wexcombe Licensing Team",
            "Q4: Forty licensing staff trained.",
            "",
        ],
        [
            "",
            "Visit every car wash with the police",
            "March 2019",
            "Wexcombe Police & Wexcombe Council",
            "",
            A,
        ],
    ]
    merges = [(0, 0, 0, 5), (1, 0, 1, 5), (2, 0, 2, 1), (2, 2, 2, 5), (4, 0, 5, 0)]
    return write_sheet(path, rows, merges)


def excel_one_merged_heading_with_comments(path: Path) -> Path:
    """Group and objective in one range merged across the sheet; a Comments column."""
    rows = [
        [TITLE, "", "", "", "", "", ""],
        ["HIGH VOLUME CRIME – SO4 – Theft: To reduce shop theft", "", "", "", "", "", ""],
        H7,
        [
            "Shop theft falls by a twentieth",
            "Set up a shop radio scheme on the high street",
            "September 2018",
            "Wexcombe Business Partnership",
            "Funded by the traders",
            "UPDATE 3rd Sept 2018 Green\nTwenty shops have radios.",
            "",
        ],
    ]
    return write_sheet(path, rows, [(0, 0, 0, 6), (1, 0, 1, 6)])


def excel_unmerged_heading_in_first_cell(path: Path) -> Path:
    """A sheet whose headings sit in column A alone, unmerged."""
    rows = [
        ["Strategic Objective 8 – Fraud: To protect older residents from scams"] + [""] * 5,
        H6,
        [
            "Fewer older residents lose money to scams",
            "Give talks on doorstep scams at day centres",
            "March 2019",
            "Wexcombe Trading Standards Team",
            "November 2018: Six talks given.",
            "",
        ],
    ]
    return write_sheet(path, rows, [])


# ---------------------------------------------------------------------------------------------
# CSV


def csv_flat_priorities_with_comments(path: Path) -> Path:
    """A flat sheet with priority codes ("P1", "Priority 2") and a Comments column; the file
    name gives the plan's year, which dates the quarters."""
    return write_csv(
        path,
        [
            [
                *("Group", "Objective", "Objective title", "Action"),
                *("Lead", "Progress", "RAG", "Comments"),
            ],
            [
                "High volume crime",
                "P1",
                "Shop theft",
                "Sign shops up to the radio scheme",
                "Wexcombe Business Partnership",
                "Q1: Twelve shops signed up.\nQ2 – The scheme covers the high street.",
                G,
                "Radios paid for by the traders",
            ],
            [
                "High harm crime",
                "Priority 2",
                "Violence",
                "Fund a night bus from the town centre",
                "Wexcombe Council",
                "",
                "",
                "",
            ],
        ],
    )


def csv_flat_with_whole_headings(path: Path) -> Path:
    """The Objective column holds the whole heading: "SO2b – Vehicle crime", "Strategic
    Objective 3: Arson"; updates with two-digit years."""
    return write_csv(
        path,
        [
            ["Objective", "Action", "Lead", "Update", "RAG"],
            [
                "SO2b – Vehicle crime",
                "Fit number plate security screws",
                "Wexcombe Police",
                "5 Oct 18 update: 300 cars fitted.\n9 Jan 19 – 450 cars fitted.",
                G,
            ],
            [
                "Strategic Objective 3: Arson",
                "Remove abandoned cars within a week",
                "Wexcombe Council",
                "",
                "",
            ],
        ],
    )


LAYOUTS = [
    Layout(
        "word-group-and-objective-in-one-merged-row",
        word_group_and_objective_in_one_merged_row,
        "docx",
        objectives=[("High harm crime", "SO2a", "Domestic and sexual abuse")],
        actions={
            "SO2a": [
                "Offer a safety plan to every high-risk victim referred",
                "Run a winter awareness campaign in GP surgeries",
            ]
        },
        updates={
            "Offer a safety plan to every high-risk victim referred": [(date(2018, 11, 14), A)],
            "Run a winter awareness campaign in GP surgeries": [(None, G)],
        },
    ),
    Layout(
        "word-group-cell-beside-objective-cell",
        word_group_cell_beside_objective_cell,
        "docx",
        objectives=[("High volume crime", "SO3", "Anti-social behaviour (ASB)")],
        aims={"SO3": "To reduce repeat calls from the same streets"},
        actions={
            "SO3": [
                "Hold street surgeries in the three streets with most calls",
                "Write to landlords of homes with repeated noise complaints",
            ]
        },
        updates={
            "Hold street surgeries in the three streets with most calls": [
                (None, None),
                (date(2019, 2, 25), None),
                (date(2019, 5, 17), G),
            ],
            "Write to landlords of homes with repeated noise complaints": [],
        },
        extra={
            "Hold street surgeries in the three streets with most calls": {
                "Comments": "Housing to lead; police to attend"
            },
            "Write to landlords of homes with repeated noise complaints": {},
        },
        warnings=1,
    ),
    Layout(
        "word-paragraph-headings-with-dashes-and-colons",
        word_paragraph_headings_with_dashes_and_colons,
        "docx",
        objectives=[("High harm crime", "SO4b", "Drugs"), ("High harm crime", "SO5", "Hate crime")],
        actions={
            "SO4b": ["Run an outreach van at the station on weekend nights"],
            "SO5": ["Open two more third-party reporting centres"],
        },
        updates={
            "Run an outreach van at the station on weekend nights": [
                (date(2018, 7, 1), None),
                (date(2018, 10, 1), G),
            ],
            "Open two more third-party reporting centres": [(None, A)],
        },
    ),
    Layout(
        "word-mixed-case-group-and-priorities",
        word_mixed_case_group_and_priorities,
        "docx",
        objectives=[
            ("High harm crime", "P2", "Violence"),
            ("High harm crime", "P3", "Exploitation"),
        ],
        aims={"P3": "To protect young people from exploitation"},
        actions={
            "P2": ["Train door staff in de-escalation"],
            "P3": ["Match a mentor to every young person at risk"],
        },
        updates={
            "Train door staff in de-escalation": [(date(2019, 1, 1), None)],
            "Match a mentor to every young person at risk": [
                (date(2018, 9, 5), None),
                (date(2019, 2, 12), A),
            ],
        },
    ),
    Layout(
        "word-heading-over-three-cells",
        word_heading_over_three_cells,
        "docx",
        objectives=[("", "P1", "Burglary")],
        aims={"P1": "To cut burglary of homes"},
        actions={"P1": ["Fit door chains for older residents"]},
        updates={"Fit door chains for older residents": [(date(2018, 6, 1), G)]},
    ),
    Layout(
        "word-separators-without-spaces",
        word_separators_without_spaces,
        "docx",
        objectives=[
            ("High volume crime", "SO1", "Burglary"),
            ("High volume crime", "SO2a", "Robbery"),
        ],
        aims={"SO1": "To reduce burglary of homes"},
        actions={
            "SO1": ["Mark property at community events"],
            "SO2a": ["Patrol the bus station after school"],
        },
        updates={
            "Mark property at community events": [],
            "Patrol the bus station after school": [(None, R)],
        },
    ),
    Layout(
        "word-heading-on-three-lines",
        word_heading_on_three_lines,
        "docx",
        objectives=[
            ("High volume crime", "SO1", "Vehicle crime"),
            ("High volume crime", "SO2", "Business crime"),
        ],
        aims={"SO1": "To cut thefts from cars"},
        actions={
            "SO1": ["Visit every car park with the crime prevention van"],
            "SO2": ["Give shops a direct line to the neighbourhood team"],
        },
        updates={
            "Visit every car park with the crime prevention van": [
                (date(2018, 12, 10), A),
                (date(2019, 3, 12), G),
            ],
            "Give shops a direct line to the neighbourhood team": [],
        },
    ),
    Layout(
        "word-update-cell-with-figures",
        word_update_cell_with_figures,
        "docx",
        objectives=[("High harm crime", "SO6", "Reoffending")],
        actions={"SO6": ["Place a link worker in the local prison"]},
        updates={
            "Place a link worker in the local prison": [(None, None), (date(2018, 10, 1), None)]
        },
    ),
    Layout(
        "word-multi-year-plan-with-bare-quarters",
        word_multi_year_plan_with_bare_quarters,
        "docx",
        objectives=[("", "SO7", "Arson")],
        actions={"SO7": ["Clear fly-tipped rubbish within two days"]},
        updates={
            "Clear fly-tipped rubbish within two days": [(None, None), (date(2020, 1, 1), None)]
        },
        warnings=1,
        period=(date(2018, 1, 1), date(2021, 12, 31)),
    ),
    Layout(
        "excel-group-and-objective-in-merged-ranges",
        excel_group_and_objective_in_merged_ranges,
        "xlsx",
        objectives=[("High harm crime", "SO2b", "Modern slavery")],
        aims={"SO2b": "To find and support victims"},
        actions={
            "SO2b": [
                "Train licensing officers to spot the signs",
                "Visit every car wash with the police",
            ]
        },
        updates={
            "Train licensing officers to spot the signs": [(date(2019, 1, 1), None)],
            "Visit every car wash with the police": [(None, A)],
        },
    ),
    Layout(
        "excel-one-merged-heading-with-comments",
        excel_one_merged_heading_with_comments,
        "xlsx",
        objectives=[("High volume crime", "SO4", "Theft")],
        aims={"SO4": "To reduce shop theft"},
        actions={"SO4": ["Set up a shop radio scheme on the high street"]},
        updates={"Set up a shop radio scheme on the high street": [(date(2018, 9, 3), G)]},
        extra={
            "Set up a shop radio scheme on the high street": {"Comments": "Funded by the traders"}
        },
        warnings=1,
    ),
    Layout(
        "excel-unmerged-heading-in-first-cell",
        excel_unmerged_heading_in_first_cell,
        "xlsx",
        objectives=[("", "SO8", "Fraud")],
        aims={"SO8": "To protect older residents from scams"},
        actions={"SO8": ["Give talks on doorstep scams at day centres"]},
        updates={"Give talks on doorstep scams at day centres": [(date(2018, 11, 1), None)]},
    ),
    Layout(
        "csv-flat-priorities-with-comments",
        csv_flat_priorities_with_comments,
        "csv",
        objectives=[
            ("High volume crime", "P1", "Shop theft"),
            ("High harm crime", "P2", "Violence"),
        ],
        actions={
            "P1": ["Sign shops up to the radio scheme"],
            "P2": ["Fund a night bus from the town centre"],
        },
        updates={
            "Sign shops up to the radio scheme": [(date(2018, 4, 1), None), (date(2018, 7, 1), G)],
            "Fund a night bus from the town centre": [],
        },
        extra={
            "Sign shops up to the radio scheme": {"Comments": "Radios paid for by the traders"},
            "Fund a night bus from the town centre": {},
        },
        warnings=1,
    ),
    Layout(
        "csv-flat-with-whole-headings",
        csv_flat_with_whole_headings,
        "csv",
        objectives=[("", "SO2b", "Vehicle crime"), ("", "SO3", "Arson")],
        actions={
            "SO2b": ["Fit number plate security screws"],
            "SO3": ["Remove abandoned cars within a week"],
        },
        updates={
            "Fit number plate security screws": [(date(2018, 10, 5), None), (date(2019, 1, 9), G)],
            "Remove abandoned cars within a week": [],
        },
    ),
]


def file_name(layout: Layout) -> str:
    """The file's name; the CSVs' name carries the plan's year (they have no title)."""
    return f"wexcombe-plan-2018-19.{layout.suffix}"
