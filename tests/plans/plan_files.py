"""Delivery plan files in the layouts partnerships use, written here for the importer tests.

The partnership (Eastmere), its people and every sentence are invented. `write_docx` and
`write_xlsx` take blocks: a string is a paragraph, `Styled` a styled paragraph, `Table` a table
(optionally with a merged heading row and measure cells merged down over several rows).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl


@dataclass
class Styled:
    text: str
    style: str = "Title"


@dataclass
class Table:
    rows: list[list[str]]
    heading: str | None = None  # a first row merged across the table
    merge_down: list[tuple[int, int, int]] = field(default_factory=list)  # column, first, last
    merge_across: list[tuple[int, int, int]] = field(default_factory=list)  # row, first, last


def write_docx(path: Path, *blocks: str | Styled | Table) -> Path:
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, Styled):
            document.add_paragraph(block.text, style=block.style)
        else:
            _docx_table(document, block)
    document.save(path)
    return path


def _docx_table(document, block: Table) -> None:
    offset = 1 if block.heading else 0
    width = len(block.rows[0])
    table = document.add_table(rows=len(block.rows) + offset, cols=width)
    if block.heading:
        merged = table.cell(0, 0).merge(table.cell(0, width - 1))
        merged.text = block.heading
    # Word keeps a merged cell's text once, in its first cell.
    below = {(r, c) for c, first, last in block.merge_down for r in range(first + 1, last + 1)}
    below |= {(r, c) for r, first, last in block.merge_across for c in range(first + 1, last + 1)}
    for r, cells in enumerate(block.rows):
        for c, text in enumerate(cells):
            if text and (r, c) not in below:
                table.cell(r + offset, c).text = text
    for column, first, last in block.merge_down:
        table.cell(first + offset, column).merge(table.cell(last + offset, column))
    for r, first, last in block.merge_across:
        table.cell(r + offset, first).merge(table.cell(r + offset, last))


def write_xlsx(path: Path, *blocks: str | Styled | Table, sheet: str = "Plan") -> Path:
    """Paragraph blocks become rows merged across the table width, as plans pasted into Excel."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    width = max(len(b.rows[0]) for b in blocks if isinstance(b, Table))
    row = 0
    for block in blocks:
        if isinstance(block, str | Styled):
            row += 1
            ws.cell(row=row, column=1, value=getattr(block, "text", block))
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            continue
        if block.heading:
            row += 1
            ws.cell(row=row, column=1, value=block.heading)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        first_row = row + 1
        for cells in block.rows:
            row += 1
            for c, text in enumerate(cells, start=1):
                ws.cell(row=row, column=c, value=text or None)
        for column, first, last in block.merge_down:
            ws.merge_cells(
                start_row=first_row + first,
                start_column=column + 1,
                end_row=first_row + last,
                end_column=column + 1,
            )
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


# ---------------------------------------------------------------------------------------------
# The Eastmere plans

RAG_LINES = [
    "Red – the action has stalled and needs the board's attention.",
    "Amber – the action is running late but has a plan to recover.",
    "Green – the action is on track or done.",
]
HEADER_DEADLINE = [
    "Measures & targets",
    "Action",
    "Deadline",
    "Lead(s)",
    "Partners",
    "RAG Rating – Update/Progress",
    "RAG",
]
HEADER_REVIEW_POINT = [
    "Measures and targets",
    "Actions",
    "Review \nPoint",
    "Lead officer",
    "Update/Progress",
    "RAG rating",
]

BURGLARY_ROWS = [
    HEADER_DEADLINE,
    [
        "Reduce residential burglary by 5% on 2018/19",
        "Fit better locks for repeat burglary victims",
        "March 2019 / CONTINUE 2019/20",
        "Jo Bloggs / Sam Patel\nEastmere Police",
        "Victim Support",
        "UPDATE 10th Jan 2019 Green\n45 homes fitted with new locks.\n"
        "UPDATE 12/03/2019 Amber\nSupplier delay on window locks.",
        "",
    ],
    [
        "Reduce residential burglary by 5% on 2018/19",
        "NEW ACTION: Publish burglary advice before the clocks change",
        "September 2018 REMOVE",
        "Alex Green, Head of Communications",
        "",
        "Advice drafted but not published.",
        "Red",
    ],
    [
        "Raise the burglary detection rate to 12%",
        "Review every burglary with no suspect within 7 days",
        "Ongoing CONTINUE 2019/20",
        "Priya Shah (Eastmere Police)",
        "",
        "",
        "Amber",
    ],
]
VEHICLE_ROWS = [
    HEADER_DEADLINE,
    [
        "Reduce theft from vehicles by 10%",
        "Set up a vehicle crime working group",
        "Set up in June 2018",
        "Economic Development\nEastmere Council",
        "",
        "12 March 2019: The group meets every month.",
        "Green",
    ],
    [
        "",
        "Fit cameras in the Harbour Street car park",
        "31/03/2020",
        "Chris Wong, Eastmere Council",
        "Harbour Trust",
        "",
        "",
    ],
]
ABUSE_ROWS = [
    HEADER_DEADLINE,
    [
        "Increase reports of domestic abuse by 8%",
        "Train front-line staff to spot the signs of abuse",
        "Q3 2019/20",
        "Morgan Lee\nEastmere Domestic Abuse Service",
        "",
        "1 October 2019 (Morgan Lee, Green): 120 staff trained.",
        "",
    ],
    [
        "Cut repeat victims at MARAC to 25%",
        "Review how cases are referred to MARAC",
        "COMPLETE",
        "Eastmere Council & Eastmere Police",
        "",
        "",
        "Green",
    ],
]


def eastmere_docx(path: Path) -> Path:
    """Objective headings as merged first rows; header "Deadline" + "RAG Rating – ..."."""
    return write_docx(
        path,
        Styled("Eastmere Community Safety Partnership Delivery Plan 2019/20"),
        "This plan sets out what the partnership will do this year and who will do it.",
        "RAG ratings are used as follows:",
        *RAG_LINES,
        "HIGH VOLUME CRIME",
        Table(
            BURGLARY_ROWS,
            heading="Strategic Objective 1 – Burglary: To reduce the number of burglaries "
            "across Eastmere",
            merge_down=[(0, 1, 2)],
        ),
        Table(
            VEHICLE_ROWS,
            heading="Strategic Objective 4a - Motor vehicle crime: To reduce thefts of and "
            "from vehicles",
        ),
        "HIGH HARM CRIME",
        Table(
            ABUSE_ROWS,
            heading="Strategic Objective 5 – Domestic abuse: To increase reporting and cut "
            "repeat victimisation",
        ),
    )


ASB_ROWS = [
    HEADER_REVIEW_POINT,
    [
        "Reduce repeat calls about anti-social behaviour by 15%",
        "Map the ten streets with the most repeat calls",
        "Quarterly",
        "Dana Reid",
        "3 May 2019 Amber: Data sharing agreement still unsigned.\n"
        "UPDATE 2 August 2019 Green\nMap shared with ward panels.\nPanels chose three streets.",
        "",
    ],
    [
        "Reduce repeat calls about anti-social behaviour by 15%",
        "Hold a street meeting on each chosen street",
        "end of 2019",
        "Dana Reid / Tom Ash\nEastmere Housing",
        "Street meetings arranged for the autumn.",
        "Amber",
    ],
    [
        "Reduce repeat calls about anti-social behaviour by 15%",
        "NEW ACTION Offer mediation to neighbours in dispute",
        "Annually",
        "Eastmere Mediation Service",
        "",
        "",
    ],
    [
        "Cut youth-related calls in the town centre by 10%",
        "Open the youth hub on Friday evenings",
        "10th Jan 2020",
        "Sam Patel, Youth Worker",
        "",
        "Green",
    ],
]
YOUTH_ROWS = [
    HEADER_REVIEW_POINT,
    [
        "Fewer first-time entrants to the youth justice system",
        "Run a diversion scheme with Eastmere YOS",
        "April 2020 COMPLETED",
        "Eastmere YOS",
        "January 2020: 30 young people referred.",
        "",
    ],
]


def safer_streets_docx(path: Path) -> Path:
    """Objective headings as paragraphs above the table; header "Review Point" + "Update"."""
    return write_docx(
        path,
        Styled("Eastmere Safer Streets Plan 2019–2022", "Heading 1"),
        "ANTI-SOCIAL BEHAVIOUR",
        "Strategic Objective 2 – Anti-social behaviour: To reduce repeat anti-social "
        "behaviour in the worst-affected streets",
        Table(ASB_ROWS, merge_down=[(0, 1, 3)]),
        "Strategic Objective 3 – Youth offending",
        Table(YOUTH_ROWS),
    )


def eastmere_xlsx(path: Path) -> Path:
    """The burglary and vehicle tables as pasted into Excel: merged headings and measures."""
    return write_xlsx(
        path,
        Styled("Eastmere Community Safety Partnership Delivery Plan 2019/20"),
        *RAG_LINES,
        "HIGH VOLUME CRIME",
        Table(
            BURGLARY_ROWS,
            heading="Strategic Objective 1 – Burglary: To reduce the number of burglaries "
            "across Eastmere",
            merge_down=[(0, 1, 2)],
        ),
        Table(
            VEHICLE_ROWS,
            heading="Strategic Objective 4a - Motor vehicle crime: To reduce thefts of and "
            "from vehicles",
        ),
    )


FLAT_HEADER = [
    "Group",
    "Objective",
    "Objective title",
    "Aim",
    "Measure",
    "Indicator",
    "Actions",
    "Review point",
    "Disposition",
    "Lead",
    "Partners",
    "Tags",
    "Plan year",
    "Progress",
    "RAG",
]


def eastmere_csv(path: Path) -> Path:
    """A flat export from a spreadsheet: one row per action naming its objective."""
    return write_csv(
        path,
        [
            FLAT_HEADER,
            [
                "High volume crime",
                "SO1",
                "Burglary",
                "To reduce burglaries",
                "Reduce burglary by 5%",
                "burglary-rate",
                "Fit better locks for repeat victims",
                "31/03/2020",
                "Continue 2020/21",
                "Jo Bloggs (Eastmere Police)",
                "Victim Support",
                "Target hardening; Victims",
                "2019/20",
                "10 June 2019 Amber (Jo Bloggs): Locks ordered.",
                "",
            ],
            [
                "High volume crime",
                "SO1",
                "",
                "",
                "Reduce burglary by 5%",
                "",
                "Leaflet every house in Mill Lane",
                "June 2019 COMPLETE",
                "",
                "Eastmere Council",
                "",
                "",
                "2019/20",
                "",
                "Green",
            ],
            [
                "High harm crime",
                "SO5",
                "Domestic abuse",
                "",
                "",
                "",
                "Open a second refuge",
                "Ongoing",
                "Remove",
                "Morgan Lee, Eastmere Domestic Abuse Service",
                "",
                "",
                "2018/19",
                "",
                "",
            ],
        ],
    )
