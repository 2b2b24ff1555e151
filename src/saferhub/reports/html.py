"""The assessment report as HTML: the web page, and the source WeasyPrint prints to PDF."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .charts import Chart, comparator_chart, profile_chart, trend_chart
from .formatting import FILTERS
from .maps import project, ward_map


def build_charts(report: dict) -> dict[str, Chart]:
    """Every chart and map of the report, keyed by what it shows (drawn lazily)."""
    a, trend = report["assessment"], report["trend"]
    charts: dict[str, Chart] = {}
    shapes = project(report["map"]["geometries"]) if not report["map"]["missing"] else []
    by_rate = report["map"]["measure"] == "rate"
    keys = ["total", *[p["key"] for p in report["priorities"]]]
    if report["asb"]:
        keys.append("asb")
    for key in dict.fromkeys(keys):
        category = next(c for c in a["categories"] if c["key"] == key)
        label = category["label"]
        if key in trend["series"] and key != "asb":
            charts[f"trend:{key}"] = trend_chart(
                label, trend["months"], trend["series"][key], trend["rolling_12"][key]
            )
        if key == "total" and len(a["comparators"]) > 1:  # rates at a glance
            charts["comparators:total"] = comparator_chart(
                label,
                [
                    (c["name"], c["categories"][key]["rate"], c["is_subject"])
                    for c in a["comparators"]
                ],
            )
            charts["comparators:total"].data_in = "comparators-total"
        else:
            charts[f"profile:{key}"] = profile_chart(
                label,
                category["monthly"],
                category["monthly_average"],
                category["months_above_average"],
            )
        if shapes:
            field = "rate" if by_rate else "count"
            values = {w["code"]: w["categories"][key][field] or 0 for w in a["wards"]}
            charts[f"map:{key}"] = ward_map(
                label,
                "Rate per 1,000" if by_rate else "Offences",
                shapes,
                values,
                "{:,.2f}" if by_rate else "{:,.0f}",
            )
            charts[f"map:{key}"].data_in = f"wards-{key}"
    return charts


def appendix_tables(charts: dict[str, Chart]) -> list[dict]:
    """The data of charts not already printed as a report table, merged by kind of chart
    (all monthly trends in one table, all monthly profiles in another) so print stays short.
    Charts of one kind share their first column (the month)."""
    tables: dict[str, dict] = {}
    for name, chart in charts.items():
        if chart.data_in:
            continue
        kind = name.split(":")[0]
        label = chart.title.split(":")[0]
        table = tables.setdefault(
            kind,
            {
                "caption": chart.title.split(": ")[-1].capitalize() + " data",
                "headers": [chart.headers[0]],
                "rows": {},
            },
        )
        table["headers"] += [f"{label}: {h.lower()}" for h in chart.headers[1:]]
        for row in chart.rows:
            table["rows"].setdefault(row[0], []).extend(row[1:])
    return [
        {
            "caption": t["caption"],
            "headers": t["headers"],
            "rows": [[key, *cells] for key, cells in t["rows"].items()],
        }
        for t in tables.values()
    ]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("saferhub.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def _data_uri(path: str | None) -> str | None:
    if not path:
        return None
    mime = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode()


def render_html(
    report: dict, charts: dict[str, Chart] | None = None, *, for_print: bool = False
) -> str:
    charts = build_charts(report) if charts is None else charts
    a = report["assessment"]
    wards = {w["code"]: w for w in a["wards"]}
    return (
        _environment()
        .get_template("assessment.html.j2")
        .render(
            r=report,
            a=a,
            charts=charts,
            wards=wards,
            categories={c["key"]: c for c in a["categories"]},
            logo=_data_uri(report["partnership"]["logo"]),
            appendix=appendix_tables(charts) if for_print else [],
            for_print=for_print,
        )
    )
