"""The assessment report as PDF: the print rendering of the same HTML, through WeasyPrint."""

from __future__ import annotations

import logging

from .charts import Chart
from .html import render_html

# WeasyPrint logs every CSS property it does not support; keep command output readable.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(report: dict, charts: dict[str, Chart] | None = None) -> bytes:
    from weasyprint import HTML

    html = render_html(report, charts, for_print=True)
    return HTML(string=html, base_url=".").write_pdf(media_type="print")
