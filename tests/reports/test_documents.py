"""PDF and Word renderings: same sections, same numbers as the assessment object."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from saferhub.reports.docx_report import render_docx
from saferhub.reports.formatting import num, pct, rate, signed_rate
from saferhub.reports.pdf import render_pdf


@pytest.fixture(scope="module")
def pdf_pages(report_bundle):
    report, charts = report_bundle
    reader = PdfReader(io.BytesIO(render_pdf(report, charts)))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def word(report_bundle):
    report, charts = report_bundle
    return Document(io.BytesIO(render_docx(report, charts)))


def test_pdf_has_cover_contents_sections_and_page_numbers(pdf_pages, report_bundle):
    _report, _ = report_bundle
    text = "\n".join(pdf_pages)
    assert "Alderby Safety Partnership" in pdf_pages[0]
    assert "Contents" in pdf_pages[1]
    for heading in [
        "Summary of key findings",
        "Overall crime",
        "Where crime happens",
        "Burglary from homes",
        "Violence with injury",
        "Anti-social behaviour",
        "Data and definitions",
        "Appendix: chart data",
    ]:
        assert heading in text
    # Cover, contents, summary, overall, where, 2 priorities, ASB, data, appendix at least.
    assert len(pdf_pages) >= 10
    assert f"Page 2 of {len(pdf_pages)}" in pdf_pages[1]
    assert "Page 1 of" not in pdf_pages[0]


def test_pdf_states_the_assessment_figures(pdf_pages, report_bundle):
    report, _ = report_bundle
    text = "\n".join(pdf_pages)
    for comp in report["assessment"]["comparators"]:
        f = comp["categories"]["total"]
        assert (
            f"{comp['name']} {num(f['previous'])} {num(f['count'])} {pct(f['change_pct'])}"
            in text.replace("\n", " ")
        )
    for finding in report["findings"]:
        assert finding["text"][:40] in text.replace("\n", " ")


def test_word_has_real_headings_and_tables(word, report_bundle):
    _report, _ = report_bundle
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Summary of key findings",
        "Overall crime",
        "Where crime happens",
        "Burglary from homes",
        "Violence with injury",
        "Anti-social behaviour",
        "Data and definitions",
    ]
    assert len(word.tables) >= 10
    assert len(word.inline_shapes) >= 5


def test_word_comparator_table_equals_the_assessment(word, report_bundle):
    report, _ = report_bundle
    a = report["assessment"]
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Area")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    expected = [
        [
            c["name"],
            num(f["previous"]),
            num(f["count"]),
            pct(f["change_pct"]),
            rate(f["previous_rate"]),
            rate(f["rate"]),
            signed_rate(f["rate_change"]),
        ]
        for c in a["comparators"]
        for f in [c["categories"]["total"]]
    ]
    assert rows == expected


def test_word_charts_carry_alt_text(word, report_bundle):
    _, charts = report_bundle
    descriptions = {shape._inline.docPr.get("descr") for shape in word.inline_shapes}
    assert {c.alt for c in charts.values()} & descriptions
