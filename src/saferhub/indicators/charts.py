"""Small SVG charts drawn on the server: a sparkline per dashboard row and an indicator's
history. Plain SVG with presentation attributes (no scripts, no style attributes), so the
site's Content-Security-Policy needs no exception and the charts print as they show."""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from .targets import display, format_number

INK, TARGET, GRID = "#1d70b8", "#d4351c", "#b1b4b6"
# The site's typeface (GOV.UK Frontend's), as a presentation attribute: the CSP allows no
# style attributes.
FONT = "'GDS Transport', arial, sans-serif"
RAG_FILL = {"Red": "#d4351c", "Amber": "#f47738", "Green": "#00703c", None: "#505a5f"}


def nice_ticks(high: float, low: float = 0.0) -> list[Decimal]:
    """Round axis ticks from 0 (or below, for a negative low) to a round maximum at or above
    `high`: a step of 1, 2, 2.5 or 5 × 10^k, the smallest giving at most 4 intervals, so 3
    to 5 ticks. 0.3 -> 0, 0.1, 0.2, 0.3; 61 -> 0, 20, 40, 60, 80; 1319 -> 0, 500, 1000, 1500.
    """
    top = Decimal(str(high)) if high > 0 else Decimal(1)
    bottom = Decimal(str(low)) if low < 0 else Decimal(0)
    span = top - bottom
    exponent = math.floor(math.log10(float(span) / 4))
    for power in (exponent, exponent + 1):
        for mantissa in ("1", "2", "2.5", "5"):
            step = Decimal(mantissa).scaleb(power)
            first = (bottom / step).to_integral_value(rounding="ROUND_FLOOR")
            last = (top / step).to_integral_value(rounding="ROUND_CEILING")
            if last - first <= 4:
                count = int(last - first) + 1
                return [_plain((first + i) * step) for i in range(count)]
    step = Decimal(10).scaleb(exponent + 1)  # not reached: 10 × 10^k always fits
    return [bottom, bottom + step]


def _plain(number: Decimal) -> Decimal:
    """20 rather than 2E+1, 0.1 rather than 0.10."""
    return Decimal(format(number.normalize(), "f"))


def tick_label(tick: Decimal, unit: str | None = None) -> str:
    """A tick as the axis prints it: round, thousands separated, "%" for percentages."""
    text = format_number(tick)
    return f"{text}%" if unit == "percentage" else text


def _scale(values: list[float], low: float, high: float, top: float, bottom: float):
    span = (high - low) or 1.0
    return [bottom - (v - low) / span * (bottom - top) for v in values]


def sparkline(values: list[Decimal | None], *, label: str, width=120, height=28) -> str:
    """The last periods as a line; gaps where a period has no value."""
    present = [float(v) for v in values if v is not None]
    title = f"<title>{escape(label)}</title>"
    if len(present) < 2:
        return (
            f'<svg role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{title}</svg>'
        )
    low, high = min(present), max(present)
    step = (width - 6) / max(len(values) - 1, 1)
    points, runs = [], []
    for i, value in enumerate(values):
        if value is None:
            runs.append(points)
            points = []
            continue
        y = _scale([float(value)], low, high, 3, height - 3)[0]
        points.append(f"{3 + i * step:.1f},{y:.1f}")
    runs.append(points)
    lines = "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{INK}" stroke-width="2"/>'
        for run in runs
        if len(run) > 1
    )
    last_x, last_y = points[-1].split(",") if points else ("0", "0")
    dot = f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="{INK}"/>' if points else ""
    return (
        f'<svg role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{title}{lines}{dot}</svg>'
    )


def history(points: list, *, label: str, unit: str | None = None, width=680, height=260) -> str:
    """Bars of each period's value coloured by RAG, with the target as a red line, on an
    axis of 3 to 5 round ticks from 0. With `unit`, values print to its precision."""
    left, right, top, bottom = 64, 12, 14, height - 58
    values = [float(p.value) for p in points if p.value is not None]
    targets = [float(p.target) for p in points if p.target is not None]
    everything = values + targets
    ticks = nice_ticks(max(everything, default=0.0), min(everything, default=0.0))
    low, high = float(ticks[0]), float(ticks[-1])
    n = max(len(points), 1)
    slot = (width - left - right) / n
    shown = (lambda v: display(v, unit)) if unit else format_number
    parts = [f"<title>{escape(label)}</title>"]
    for tick in ticks:
        y = _scale([float(tick)], low, high, top, bottom)[0]
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#0b0c0c">{escape(tick_label(tick, unit))}</text>'
        )
    zero = _scale([0.0], low, high, top, bottom)[0]
    target_points = []
    for i, point in enumerate(points):
        x = left + i * slot + slot * 0.15
        centre = left + i * slot + slot / 2
        if point.value is not None:
            y = _scale([float(point.value)], low, high, top, bottom)[0]
            fill = RAG_FILL[point.rag]
            hatch = ' fill-opacity="0.55"' if point.provisional else ""
            parts.append(
                f'<rect x="{x:.1f}" y="{min(y, zero):.1f}" width="{slot * 0.7:.1f}" '
                f'height="{abs(zero - y):.1f}" fill="{fill}"{hatch}>'
                f"<title>{escape(point.period)}: {escape(shown(point.value))}"
                f"{' (provisional)' if point.provisional else ''}</title></rect>"
            )
        if point.target is not None:
            ty = _scale([float(point.target)], low, high, top, bottom)[0]
            target_points.append(f"{centre:.1f},{ty:.1f}")
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom + 14}" font-size="12" text-anchor="end" '
            f'transform="rotate(-30 {centre:.1f} {bottom + 14})" fill="#0b0c0c">'
            f"{escape(point.period)}</text>"
        )
    if len(target_points) > 1:
        parts.append(
            f'<polyline points="{" ".join(target_points)}" fill="none" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    elif target_points:
        x, y = target_points[0].split(",")
        parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{TARGET}"/>')
    return (
        f'<svg role="img" aria-label="{escape(label)}" width="100%" viewBox="0 0 {width} '
        f'{height}" preserveAspectRatio="xMinYMin meet" font-family="{FONT}">'
        f"{''.join(parts)}</svg>"
    )
