"""Render one report object to every requested format, sharing the drawn charts."""

from __future__ import annotations

from ..evidence import Evidence
from .config import PartnershipConfig
from .docx_report import render_docx
from .html import build_charts, render_html
from .model import build_report
from .pdf import render_pdf


def render_all(
    evidence: Evidence,
    *,
    area: str,
    period: str,
    compare: list[str],
    config: PartnershipConfig,
    formats: list[str],
) -> dict[str, bytes]:
    report = build_report(evidence, area=area, period=period, compare=compare, config=config)
    charts = build_charts(report)
    renderers = {
        "html": lambda: render_html(report, charts).encode("utf-8"),
        "pdf": lambda: render_pdf(report, charts),
        "docx": lambda: render_docx(report, charts),
    }
    return {fmt: renderers[fmt]() for fmt in dict.fromkeys(formats)}
