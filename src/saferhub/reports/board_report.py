"""The quarterly board report on the delivery plan, as HTML and PDF (WeasyPrint)."""

from __future__ import annotations

from importlib.resources import files

from . import pdf as _quiet_weasyprint  # noqa: F401  (its import quietens WeasyPrint's log)
from .html import _environment


def render_board_html(report, *, for_print: bool = False) -> str:
    """`report` is a `plans.board.BoardReport`; nothing here computes a figure."""
    css = files("saferhub.reports").joinpath("templates/board.css").read_text()
    from ..indicators.targets import describe, direction_words, display

    return (
        _environment()
        .get_template("board.html.j2")
        .render(
            r=report,
            css=css,
            for_print=for_print,
            figure=display,
            describe=describe,
            direction=direction_words,
        )
    )


def render_board_pdf(report) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_board_html(report, for_print=True), base_url=".").write_pdf(
        media_type="print"
    )
