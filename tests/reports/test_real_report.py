"""The real Harrow 2018 assessment from the published data (skipped when it is absent)."""

import io

import pytest
from pypdf import PdfReader

from saferhub.reports.config import load_config
from saferhub.reports.formatting import num, rate
from saferhub.reports.html import build_charts, render_html
from saferhub.reports.model import build_report
from saferhub.reports.pdf import render_pdf
from tests.reports.test_html import Page

pytestmark = pytest.mark.shared_data
EXAMPLE = (
    __import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "partnership.toml"
)


@pytest.fixture(scope="module")
def harrow(real):
    _, _, evidence, _ = real
    config = load_config(EXAMPLE, evidence.taxonomy)
    report = build_report(
        evidence, area=config.area, period="2018", compare=list(config.comparators), config=config
    )
    return report, build_charts(report)


def test_real_report_tables_and_map(harrow):
    report, charts = harrow
    page = Page()
    page.feed(render_html(report, charts))
    a = report["assessment"]
    rows = page.tables["comparators-total"][1:]
    assert [r[0] for r in rows] == ["Harrow", "Barnet", "Brent", "Ealing", "Hillingdon", "London"]
    harrow_total = a["comparators"][0]["categories"]["total"]
    assert rows[0][2] == num(harrow_total["count"]) and rows[0][5] == rate(harrow_total["rate"])
    assert len(page.tables["wards-total"]) - 1 == 22
    assert "map:total" in charts and report["map"]["missing"] is None
    assert any(f["rule"] == "ward_concentration" for f in report["findings"])


def test_real_report_pdf(harrow):
    report, charts = harrow
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(report, charts))).pages]
    assert 15 <= len(pages) <= 40
    text = " ".join(pages)
    assert "Safer Harrow" in pages[0] and "Burglary from homes" in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
