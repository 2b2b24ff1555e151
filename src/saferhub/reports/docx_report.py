"""The assessment report as an editable Word document, through python-docx.

Real Word headings and tables (so partners can edit, restyle and build a contents field),
charts as PNG with their alternative text, and the data behind each chart as a table.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from .charts import Chart
from .formatting import num, pct, rank, rate, signed, signed_rate
from .html import build_charts


def _table(doc, caption: str, headers: list[str], rows: list[list[str]], bold_rows=()):
    doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if index in bold_rows:
                cell.paragraphs[0].runs[0].bold = True
    doc.add_paragraph()
    return table


def _chart(doc, chart: Chart) -> None:
    doc.add_picture(io.BytesIO(chart.render("png")), width=Cm(16))
    picture = doc.inline_shapes[-1]
    picture._inline.docPr.set("descr", chart.alt)  # the alternative text Word shows
    doc.add_paragraph(chart.title, style="Caption")
    if not chart.data_in:  # otherwise the same figures are a table of their own nearby
        _table(doc, f"Data: {chart.title}", chart.headers, chart.rows)


def _comparators(doc, a: dict, key: str, label: str, previous: str) -> None:
    rows, subject = [], []
    for i, c in enumerate(a["comparators"]):
        f = c["categories"][key]
        rows.append(
            [
                c["name"],
                num(f["previous"]),
                num(f["count"]),
                pct(f["change_pct"]),
                rate(f["previous_rate"]),
                rate(f["rate"]),
                signed_rate(f["rate_change"]),
            ]
        )
        if c["is_subject"]:
            subject.append(i)
    _table(
        doc,
        f"{label}: offences and rate per 1,000 residents, {previous} and {a['period']['title']}",
        [
            "Area",
            f"Offences {previous}",
            f"Offences {a['period']['title']}",
            "Change",
            f"Rate {previous}",
            f"Rate {a['period']['title']}",
            "Rate change",
        ],
        rows,
        subject,
    )


def _ward_table(doc, a: dict, key: str, label: str, with_rate: bool) -> None:
    wards = sorted(a["wards"], key=lambda w: -w["categories"][key]["count"])
    headers = ["Ward", "Offences", "Previous", "Change", "Change %"]
    headers += ["Rate per 1,000"] if with_rate else []
    rows = []
    for w in wards:
        f = w["categories"][key]
        row = [
            w["name"],
            num(f["count"]),
            num(f["previous"]),
            signed(f["change"]),
            pct(f["change_pct"]),
        ]
        rows.append(row + ([rate(f["rate"])] if with_rate else []))
    _table(
        doc,
        f"{label} by ward",
        [*headers, "Rank"],
        [
            [*r, str(w["categories"][key]["rank_by_count"])]
            for r, w in zip(rows, wards, strict=True)
        ],
    )


def _neighbourhoods(doc, report: dict, label: str) -> None:
    """The LSOAs with the most offences and the biggest rises (the report's own lists)."""
    lsoas, a = report["neighbourhoods"], report["assessment"]
    doc.add_heading("Neighbourhoods (LSOAs)", level=2)
    doc.add_paragraph(
        f"{a['area']['name']} has {num(lsoas['count'])} LSOAs (lower layer super output areas, "
        "small areas of about 1,500 residents) in the MPS LSOA-level data. These are the ones "
        f"with the most offences in {a['period']['title']}"
        + (
            f" and the biggest rises on {a['previous_period']['title']}."
            if a["previous_period"]
            else "."
        )
    )
    for field, title in (("highest", "Most offences"), ("rises", "Biggest rises")):
        rows = [
            [
                f"{row['name']} ({row['code']})",
                num(row["categories"][lsoas["key"]]["count"]),
                signed(row["categories"][lsoas["key"]]["change"]),
            ]
            for row in lsoas[field]
        ]
        _table(
            doc,
            f"{title}: {label.lower()}",
            ["LSOA", "Offences", "Change"],
            rows or [["None", "", ""]],
        )


def render_docx(report: dict, charts: dict[str, Chart] | None = None) -> bytes:
    charts = build_charts(report) if charts is None else charts
    a = report["assessment"]
    categories = {c["key"]: c for c in a["categories"]}
    prev = a["previous_period"]
    previous = prev["title"] if prev else "previous period"
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    accent = RGBColor.from_string(report["partnership"]["colour"].lstrip("#").upper())

    if report["partnership"]["logo"]:
        doc.add_picture(report["partnership"]["logo"], height=Cm(2))
    doc.add_paragraph(report["partnership"]["name"]).runs[0].bold = True
    title = doc.add_heading(report["title"], level=0)
    title.runs[0].font.color.rgb = accent
    doc.add_paragraph(f"{a['area']['name']}: {a['period']['start']} to {a['period']['end']}")
    doc.add_paragraph(f"Produced by Safer Hub on {report['generated_at']}.")
    doc.add_page_break()

    doc.add_heading("Summary of key findings", level=1)
    for finding in report["findings"]:
        doc.add_paragraph(finding["text"], style="List Bullet")
    keys = ["total", *[p["key"] for p in report["priorities"]]]
    _table(
        doc,
        f"Priority categories at a glance, {a['period']['title']}",
        ["Category", "Offences", "Change", "Change %", "Rate per 1,000", "London rank by rate"],
        [
            [
                categories[k]["label"],
                num(categories[k]["count"]),
                signed(categories[k]["change"]),
                pct(categories[k]["change_pct"]),
                rate(categories[k]["rate"]),
                rank(categories[k]["london_rank_by_rate"], a["ranked_boroughs"]),
            ]
            for k in keys
        ],
    )

    total = categories["total"]
    doc.add_heading("Overall crime", level=1)
    _comparators(doc, a, "total", total["label"], previous)
    for name in ("trend:total", "comparators:total"):
        if name in charts:
            _chart(doc, charts[name])

    doc.add_heading("Where crime happens", level=1)
    if "map:total" in charts:
        _chart(doc, charts["map:total"])
    else:
        doc.add_paragraph(f"Map not shown: {report['map']['missing']}")
    with_rate = report["map"]["measure"] == "rate"
    if a["wards"]:
        _ward_table(doc, a, "total", total["label"], with_rate)
    if report.get("neighbourhoods"):
        _neighbourhoods(doc, report, total["label"])

    for priority in report["priorities"]:
        key, c = priority["key"], categories[priority["key"]]
        doc.add_heading(priority["heading"], level=1)
        _table(
            doc,
            f"{c['label']}: quick facts",
            ["Measure", "Value"],
            [
                ["Offences", num(c["count"])],
                ["Change", signed(c["change"])],
                ["Change %", pct(c["change_pct"])],
                ["Rate per 1,000", rate(c["rate"])],
                ["London rank by rate", rank(c["london_rank_by_rate"], a["ranked_boroughs"])],
            ],
        )
        for name in (f"trend:{key}", f"profile:{key}"):
            if name in charts:
                _chart(doc, charts[name])
        _comparators(doc, a, key, c["label"], previous)
        if a["wards"]:
            if f"map:{key}" in charts:
                _chart(doc, charts[f"map:{key}"])
            _ward_table(doc, a, key, c["label"], with_rate)

    if "asb" not in keys:  # otherwise its priority section already covers it
        doc.add_heading("Anti-social behaviour", level=1)
        if report["asb"]:
            asb = report["asb"]
            doc.add_paragraph(
                f"{num(asb['count'])} anti-social behaviour incidents in "
                f"{a['period']['title']} ({pct(asb['change_pct'])})."
            )
            _chart(doc, charts["profile:asb"])
        else:
            reason = next(
                (n for n in a["notes"] if n.startswith("Anti-social")),
                "No anti-social behaviour figures: no police.uk records are loaded.",
            )
            doc.add_paragraph(reason)

    doc.add_heading("Data and definitions", level=1)
    _table(
        doc,
        "Files loaded into the evidence store",
        ["File", "Kind", "Rows", "Months", "SHA-256"],
        [
            [
                s["file"].split("/")[-1],
                s["kind"],
                num(s["rows"]),
                f"{s['months'][0]} to {s['months'][-1]}" if s["months"] else "",
                s["sha256"][:16],
            ]
            for s in report["sources"]
        ],
    )
    coverage = a.get("force_coverage") or {"complete": True}
    ranks = (
        f"Ranks among the {a['ranked_boroughs']} London boroughs, 1 = lowest."
        if coverage["complete"]
        else f"No London ranks: {coverage['label']}, and London's figures are theirs only."
    )
    doc.add_paragraph(
        f"Rates: offences {a['rate_basis']}. {ranks} Percentages to 1 "
        "decimal place and rates to 2, rounded half up."
    )
    for caveat in report["caveats"]:
        doc.add_paragraph(caveat, style="List Bullet")
    for note in report["notes"]:
        doc.add_paragraph(note, style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
