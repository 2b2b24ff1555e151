"""The HTML report shows exactly the assessment object's numbers, accessibly."""

import itertools
from html.parser import HTMLParser

import pytest

from saferhub.reports.formatting import num, pct, rank, rate, signed, signed_rate
from saferhub.reports.html import render_html


class Page(HTMLParser):
    """Collects table cells by table id, headings in order, images, and ids."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.headings: list[tuple[int, str]] = []
        self.images: list[dict] = []
        self.ids: set[str] = set()
        self.captions: dict[str, str] = {}
        self.row_scopes: list[str] = []
        self._table = None
        self._cell = None
        self._heading = None
        self._caption = None
        self.facts: dict[str, dict[str, str]] = {}
        self._facts = None
        self._dd = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "table":
            self._table = attrs.get("id", f"anon-{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = ""
            if tag == "th" and attrs.get("scope"):
                self.row_scopes.append(attrs["scope"])
        elif tag == "caption":
            self._caption = ""
        elif tag in ("h1", "h2", "h3"):
            self._heading = (int(tag[1]), "")
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "dl":
            self._facts = attrs.get("id")
            self.facts[self._facts] = {}
        elif tag == "dd" and self._facts:
            self._dd = (attrs.get("data-field"), "")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._caption is not None:
            self._caption += data
        if self._heading:
            self._heading = (self._heading[0], self._heading[1] + data)
        if self._dd:
            self._dd = (self._dd[0], self._dd[1] + data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(self._cell.strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "caption":
            self.captions[self._table] = self._caption.strip()
            self._caption = None
        elif tag in ("h1", "h2", "h3") and self._heading:
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        elif tag == "dd" and self._dd:
            self.facts[self._facts][self._dd[0]] = self._dd[1].strip()
            self._dd = None
        elif tag == "dl":
            self._facts = None


@pytest.fixture(scope="module")
def page(report_bundle):
    report, charts = report_bundle
    parser = Page()
    parser.feed(render_html(report, charts))
    return parser


def test_every_section_is_present(page, report_bundle):
    report, _ = report_bundle
    expected = {"cover", "contents", "summary", "overall", "where", "asb", "data"}
    expected |= {f"priority-{p['key']}" for p in report["priorities"]}
    assert expected <= page.ids
    assert [h for level, h in page.headings if level == 2][:4] == [
        "Contents",
        "Summary of key findings",
        "Overall crime",
        "Where crime happens",
    ]


def test_headings_are_in_order(page):
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_comparator_tables_equal_the_assessment(page, report_bundle):
    report, _ = report_bundle
    a = report["assessment"]
    for key in ["total", *[p["key"] for p in report["priorities"]]]:
        rows = page.tables[f"comparators-{key}"][1:]
        assert len(rows) == len(a["comparators"])
        for row, comp in zip(rows, a["comparators"], strict=True):
            f = comp["categories"][key]
            assert row == [
                comp["name"],
                num(f["previous"]),
                num(f["count"]),
                pct(f["change_pct"]),
                rate(f["previous_rate"]),
                rate(f["rate"]),
                signed_rate(f["rate_change"]),
            ]
    assert page.tables["comparators-total"][-1][0] == "London"


def test_summary_table_and_quick_facts_equal_the_assessment(page, report_bundle):
    report, _ = report_bundle
    a = report["assessment"]
    cats = {c["key"]: c for c in a["categories"]}
    for row in page.tables["summary-table"][1:]:
        c = next(c for c in a["categories"] if c["label"] == row[0])
        assert row[1:] == [
            num(c["count"]),
            signed(c["change"]),
            pct(c["change_pct"]),
            rate(c["rate"]),
            rank(c["london_rank_by_rate"], a["ranked_boroughs"]),
        ]
    for p in report["priorities"]:
        c = cats[p["key"]]
        assert page.facts[f"facts-{p['key']}"] == {
            "count": num(c["count"]),
            "change": signed(c["change"]),
            "change_pct": pct(c["change_pct"]),
            "rate": rate(c["rate"]),
            "london_rank_by_rate": rank(c["london_rank_by_rate"], a["ranked_boroughs"]),
        }


def test_ward_tables_equal_the_assessment(page, report_bundle):
    report, _ = report_bundle
    a = report["assessment"]
    wards = {w["name"]: w for w in a["wards"]}
    for key in ["total", *[p["key"] for p in report["priorities"]]]:
        rows = page.tables[f"wards-{key}"][1:]
        assert {r[0] for r in rows} == set(wards)
        for row in rows:
            f = wards[row[0]]["categories"][key]
            assert row == [
                row[0],
                num(f["count"]),
                num(f["previous"]),
                signed(f["change"]),
                pct(f["change_pct"]),
                rate(f["rate"]),
                str(f["rank_by_count"]),
            ]


def test_findings_are_in_the_summary(page, report_bundle):
    report, _ = report_bundle
    assert report["findings"], "the fixture has changes worth reporting"
    text = " ".join(" ".join(" ".join(r) for r in t) for t in page.tables.values())
    assert "Total recorded crime" in text


def test_accessible_images_and_tables(page, report_bundle):
    _, charts = report_bundle
    assert len(page.images) == len(charts)
    assert all(img.get("alt") and len(img["alt"]) > 30 for img in page.images)
    for table_id in page.tables:
        assert page.captions.get(table_id), f"table {table_id} has no caption"
    assert set(page.row_scopes) == {"col", "row"}


def test_every_chart_has_its_data_table(page, report_bundle):
    _, charts = report_bundle
    captions = set(page.captions.values())
    for chart in charts.values():
        if chart.data_in:
            assert chart.data_in in page.tables
        else:
            assert chart.title in captions
