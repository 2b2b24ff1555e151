"""The "Neighbourhoods (LSOAs)" table: the assessment's LSOA lists, in HTML, PDF and Word.

Alderby's four fictional LSOAs (tests/evidence/test_lsoa.py works them by hand), total crime
2018Q1 against 2017Q4: 001A 15 (+3), 001B 6 (+3), 002A 3 (−3), 002B 8 (+1). Most offences:
001A, 002B, 001B, 002A; rises: 001A, 001B (ties by name), 002B.
"""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from saferhub.evidence import Evidence, Store, load_taxonomy
from saferhub.reports.docx_report import render_docx
from saferhub.reports.html import build_charts, render_html
from saferhub.reports.model import build_report
from saferhub.reports.pdf import render_pdf
from tests.conftest import ingest
from tests.evidence.fixtures import borough_csv, population_csv, ward_csv
from tests.evidence.test_lsoa import lsoa_csv
from tests.reports.conftest import CONFIG, wards_geojson
from tests.reports.test_html import Page

HIGHEST = [
    ["Alderby 001A E01900001", "15", "+3"],
    ["Alderby 002B E01900004", "8", "+1"],
    ["Alderby 001B E01900002", "6", "+3"],
    ["Alderby 002A E01900003", "3", "-3"],
]
RISES = [HIGHEST[0], HIGHEST[2], HIGHEST[1]]


@pytest.fixture(scope="module")
def lsoa_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lsoa-report")
    store = Store(folder / "store.duckdb")
    ingest(
        store,
        population_csv(folder),
        borough_csv(folder),
        ward_csv(folder),
        wards_geojson(folder),
        lsoa_csv(folder),
    )
    evidence = Evidence(store, load_taxonomy())
    report = build_report(
        evidence, area="Alderby", period="2018Q1", compare=["Brookfield"], config=CONFIG
    )
    yield report, build_charts(report)
    store.close()


def test_report_object_lists_the_assessments_lsoa_rows(lsoa_bundle):
    report, _ = lsoa_bundle
    lsoas = report["neighbourhoods"]
    marks = report["assessment"]["lsoa_highlights"]["total"]
    assert [row["code"] for row in lsoas["highest"]] == marks["highest"]
    assert [row["code"] for row in lsoas["rises"]] == marks["rises"]
    # The very rows of the assessment, not copies with figures worked out again.
    rows = {row["code"]: row for row in report["assessment"]["lsoas"]}
    assert all(row is rows[row["code"]] for row in lsoas["highest"] + lsoas["rises"])
    assert lsoas["count"] == 4


def test_html_has_the_neighbourhoods_table_in_the_area_section(lsoa_bundle):
    report, charts = lsoa_bundle
    html = render_html(report, charts)
    page = Page()
    page.feed(html)
    assert (3, "Neighbourhoods (LSOAs)") in page.headings
    assert page.tables["lsoas-highest"] == [["LSOA", "Offences", "Change"], *HIGHEST]
    assert page.tables["lsoas-rises"] == [["LSOA", "Offences", "Change"], *RISES]
    where = html[html.index('<section id="where">') :]
    assert where.index('id="lsoas"') < where.index("</section>")
    assert "Alderby has 4 LSOAs" in html


def test_no_lsoa_data_no_neighbourhoods_table(report_bundle):
    report, charts = report_bundle
    assert report["neighbourhoods"] is None
    page = Page()
    page.feed(render_html(report, charts))
    assert "lsoas" not in page.ids and "lsoas-highest" not in page.tables
    word = Document(io.BytesIO(render_docx(report, charts)))
    assert "Neighbourhoods (LSOAs)" not in [p.text for p in word.paragraphs]


def test_pdf_and_word_show_the_same_lsoa_figures(lsoa_bundle):
    report, charts = lsoa_bundle
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(report, charts))).pages
    )
    assert "Neighbourhoods (LSOAs)" in text
    assert "Alderby 001A" in text and "E01900001" in text
    word = Document(io.BytesIO(render_docx(report, charts)))
    assert "Neighbourhoods (LSOAs)" in [
        p.text for p in word.paragraphs if p.style.name == "Heading 2"
    ]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in word.tables
        if table.rows[0].cells[0].text == "LSOA"
    ]
    expected = [[f"{n.rsplit(' ', 1)[0]} ({n.rsplit(' ', 1)[1]})", c, d] for n, c, d in HIGHEST]
    assert tables[0][1:] == expected
    assert tables[1][1:] == [expected[0], expected[2], expected[1]]
