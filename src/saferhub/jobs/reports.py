"""The Strategic Assessment report as a job: the steps of `reports.render.render_all`, one
at a time, so the progress page can say which is running."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import slugify

from .kinds import Outcome, Progress

FORMAT_NAMES = {"html": "web page", "pdf": "PDF", "docx": "Word document"}


def file_name(area: str, period: str, fmt: str) -> str:
    """`strategic-assessment-northbrook-2023-24.pdf`: the area and period the file holds."""
    return f"strategic-assessment-{slugify(area)}-{slugify(period)}.{fmt}"


def assessment_report(job, progress: Progress) -> Outcome:
    from ..reports.config import default_config
    from ..reports.docx_report import render_docx
    from ..reports.html import build_charts, render_html
    from ..reports.model import build_report
    from ..reports.pdf import render_pdf
    from ..web.evidence_views import FORMATS, _evidence

    asked = job.params
    fmt = asked["format"]
    progress(10, "Reading the evidence")
    with _evidence() as evidence:
        area = evidence.assess(area=asked["area"], period=asked["period"])["area"]
        progress(25, "Working out the figures and key findings")
        report = build_report(
            evidence,
            area=area["name"],
            period=asked["period"],
            compare=asked["compare"],
            config=default_config(area["name"], evidence.taxonomy),
        )
    progress(50, "Drawing the charts and maps")
    charts = build_charts(report)
    progress(75, f"Writing the {FORMAT_NAMES[fmt]}")
    renderers = {
        "html": lambda: render_html(report, charts).encode("utf-8"),
        "pdf": lambda: render_pdf(report, charts),
        "docx": lambda: render_docx(report, charts),
    }
    content = renderers[fmt]()
    return Outcome(
        content=content,
        file_name=file_name(area["name"], report["assessment"]["period"]["label"], fmt),
        content_type=FORMATS[fmt],
    )


def again_url(job) -> str:
    """The evidence page for the same question, where the report can be asked for again."""
    asked = job.params
    query = {"area": asked["area"], "period": asked["period"]}
    if asked.get("compare"):
        query["compare"] = ", ".join(asked["compare"])
    return f"{reverse('evidence')}?{urlencode(query)}"
