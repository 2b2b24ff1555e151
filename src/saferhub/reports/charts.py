"""Charts drawn with matplotlib: SVG for HTML and PDF, PNG for Word.

Every chart comes with a text alternative and the table of data it draws, so nothing is
available only as a picture. The palette is Okabe–Ito, safe for colour-blind readers.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6f6f6f",
}
plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "saferhub",
    }
)


@dataclass
class Chart:
    """A drawing plus the words and numbers behind it."""

    title: str
    alt: str
    headers: list[str]
    rows: list[list[str]]
    draw: Callable[[], Figure]
    # Where the data is already printed as a report table, the id of that table.
    data_in: str | None = None
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    def render(self, fmt: str) -> bytes:
        if fmt not in self._cache:
            figure = self.draw()
            buffer = io.BytesIO()
            figure.savefig(buffer, format=fmt, dpi=150, bbox_inches="tight", metadata=_meta(fmt))
            plt.close(figure)
            self._cache[fmt] = buffer.getvalue()
        return self._cache[fmt]

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.render("svg")).decode()


def _meta(fmt: str) -> dict:
    # Fixed metadata keeps output byte-stable between runs.
    return {"Date": None} if fmt == "svg" else {}


def _figure(width: float = 7.0, height: float = 2.8) -> tuple[Figure, plt.Axes]:
    figure, axes = plt.subplots(figsize=(width, height))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def trend_chart(
    label: str, months: list[str], counts: list[int], rolling: list[float | None]
) -> Chart:
    def draw() -> Figure:
        figure, axes = _figure()
        x = range(len(months))
        axes.plot(
            x,
            counts,
            color=OKABE_ITO["blue"],
            linewidth=1.4,
            marker="o",
            markersize=2.5,
            label="Monthly offences",
        )
        points = [(i, v) for i, v in enumerate(rolling) if v is not None]
        if points:
            axes.plot(
                [i for i, _ in points],
                [v for _, v in points],
                color=OKABE_ITO["orange"],
                linewidth=2.2,
                linestyle="--",
                label="12-month rolling average",
            )
        ticks = [i for i, m in enumerate(months) if m.endswith("-01") or i == 0]
        axes.set_xticks(ticks, [months[i] for i in ticks])
        axes.set_ylabel("Offences per month")
        axes.set_ylim(bottom=0)
        axes.legend(frameon=False, loc="lower left", ncols=2)
        return figure

    first, last = counts[0] if counts else 0, counts[-1] if counts else 0
    peak = max(range(len(counts)), key=lambda i: counts[i]) if counts else 0
    alt = (
        f"Line chart of monthly {label.lower()} from {months[0]} to {months[-1]}: "
        f"{first:,} in the first month, {last:,} in the last, highest {counts[peak]:,} in "
        f"{months[peak]}; a dashed line shows the 12-month rolling average."
        if counts
        else f"No monthly data for {label.lower()}."
    )
    rows = [
        [m, f"{c:,}", "–" if r is None else f"{r:,.1f}"]
        for m, c, r in zip(months, counts, rolling, strict=True)
    ]
    return Chart(
        f"{label}: monthly trend", alt, ["Month", "Offences", "12-month average"], rows, draw
    )


def profile_chart(label: str, monthly: list[dict], average: float, above: list[str]) -> Chart:
    months = [m["month"] for m in monthly]
    counts = [m["count"] for m in monthly]

    def draw() -> Figure:
        figure, axes = _figure(height=2.5)
        colours = [OKABE_ITO["vermillion"] if m in above else OKABE_ITO["sky"] for m in months]
        hatches = ["//" if m in above else "" for m in months]
        bars = axes.bar(range(len(months)), counts, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        axes.axhline(average, color="#0b0c0c", linewidth=1.2, linestyle="--")
        axes.text(
            len(months) - 0.5,
            average,
            f" average {average:,.1f}",
            va="bottom",
            ha="right",
            fontsize=8,
        )
        axes.set_xticks(range(len(months)), [m[2:] for m in months], rotation=0, fontsize=7)
        axes.set_ylabel("Offences")
        return figure

    alt = (
        (
            f"Bar chart of {label.lower()} by month, {months[0]} to {months[-1]}, with the monthly "
            f"average of {average:,.1f} marked; months above it "
            f"({', '.join(above) or 'none'}) are drawn hatched in a darker colour."
        )
        if months
        else f"No months for {label.lower()}."
    )
    rows = [
        [m, f"{c:,}", "above average" if m in above else ""]
        for m, c in zip(months, counts, strict=True)
    ]
    return Chart(
        f"{label}: monthly profile", alt, ["Month", "Offences", "Against average"], rows, draw
    )


def comparator_chart(label: str, areas: list[tuple[str, float | None, bool]]) -> Chart:
    """Horizontal bars of rate per 1,000: (name, rate, is_subject)."""
    shown = [(n, r, s) for n, r, s in areas if r is not None]

    def draw() -> Figure:
        figure, axes = _figure(height=0.35 * len(shown) + 0.8)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.grid(axis="y", visible=False)
        names = [n for n, _, _ in shown][::-1]
        rates = [r for _, r, _ in shown][::-1]
        colours = [OKABE_ITO["blue"] if s else OKABE_ITO["grey"] for _, _, s in shown][::-1]
        axes.barh(names, rates, color=colours)
        for y, rate in enumerate(rates):
            axes.text(rate, y, f" {rate:.2f}", va="center", fontsize=8)
        axes.set_xlabel("Offences per 1,000 residents")
        return figure

    alt = (
        f"Bar chart of {label.lower()} per 1,000 residents: "
        + "; ".join(f"{n} {r:.2f}" for n, r, _ in shown)
        + "."
    )
    return Chart(
        f"{label}: rate per 1,000 residents",
        alt,
        ["Area", "Rate per 1,000"],
        [[n, f"{r:.2f}"] for n, r, _ in shown],
        draw,
    )
