"""The links around a subject as a picture and as a list, from one object.

`links_around(network, visible, on)` decides once what the page may say of each linked
subject (its name, or "locked" when the user may not see it: the sharing policy's answer is
passed in as `visible`), and both the SVG drawing and the list beside it read that object, so
they always show the same data. The drawing is an SVG image with presentation attributes
only (the CSP forbids style attributes and inline script), served as a data URI.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from ..subjects.network import Network, layout
from ..subjects.vocabulary import Kind

SIZE = 600
# GOV.UK colours, one per kind, with a shape each so the picture does not rely on colour.
COLOURS = {
    Kind.PERSON: "#1d70b8",
    Kind.PLACE: "#00703c",
    Kind.VEHICLE: "#6f72af",
    Kind.GROUP: "#b58840",
}
LOCKED = "#505a5f"
LABEL_LENGTH = 24
LABEL_ROOM = 110  # on each side of the outermost subjects, for their names
MIN_WIDTH, MIN_HEIGHT = 420.0, 260.0


@dataclass(frozen=True)
class Node:
    subject_id: int
    kind: str
    label: str  # the name, or "Locked person" for a subject the user may not see
    visible: bool
    centre: bool
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    link_id: int
    from_id: int
    to_id: int
    words: str  # read from the centre's side where the link touches it
    other: Node  # the subject at the other end, as the list names it
    started_on: date | None
    ended_on: date | None
    current: bool


@dataclass(frozen=True)
class LinksAround:
    centre: Node
    nodes: tuple[Node, ...]
    lines: tuple[Line, ...]
    truncated: bool

    @property
    def src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(svg(self).encode()).decode()

    @property
    def alt(self) -> str:
        if not self.lines:
            return "No links recorded"
        return (
            f"A drawing of {len(self.lines)} link{'s' if len(self.lines) != 1 else ''} between "
            f"{len(self.nodes)} subjects; the same links are listed beside it"
        )


def _label(node, visible: bool) -> str:
    if visible:
        return node.label
    return f"Locked {Kind(node.kind).label.lower()}"


def links_around(net: Network, visible: set[int], on: date) -> LinksAround:
    """The network as the user may see it: subjects outside `visible` are named only by
    their kind."""
    # A few subjects are drawn close together, so their names stay large when the picture
    # is scaled to the page; a crowded network spreads out to the full size.
    places = layout(net, size=min(SIZE, 240.0 + 40.0 * len(net.nodes)))
    nodes = {
        n.subject_id: Node(
            n.subject_id,
            n.kind,
            _label(n, n.subject_id in visible or n.subject_id == net.centre),
            n.subject_id in visible or n.subject_id == net.centre,
            n.subject_id == net.centre,
            *places.get(n.subject_id, (SIZE / 2, SIZE / 2)),
        )
        for n in net.nodes
    }
    lines = []
    for edge in net.edges:
        outward = edge.from_id == net.centre
        other = nodes[edge.to_id if outward else edge.from_id]
        if edge.to_id != net.centre and edge.from_id != net.centre:
            outward, other = True, nodes[edge.to_id]
        lines.append(
            Line(
                link_id=edge.link_id,
                from_id=edge.from_id,
                to_id=edge.to_id,
                words=edge.label if outward else edge.reverse_label,
                other=other,
                started_on=edge.started_on,
                ended_on=edge.ended_on,
                current=edge.current(on),
            )
        )
    return LinksAround(
        centre=nodes[net.centre],
        nodes=tuple(nodes.values()),
        lines=tuple(lines),
        truncated=net.truncated,
    )


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _two_lines(text: str) -> list[str]:
    """A subject's name on at most two lines of LABEL_LENGTH characters, broken between
    words where it can, so that a demo name such as "Larkspur Court (fictional)" shows in
    full; only a name longer than both lines is shortened, with "…"."""
    if len(text) <= LABEL_LENGTH:
        return [text]
    cut = text.rfind(" ", 0, LABEL_LENGTH + 1)
    if cut <= 0:
        first, rest = text[:LABEL_LENGTH], text[LABEL_LENGTH:]
    else:
        first, rest = text[:cut], text[cut + 1 :]
    return [first, _short(rest)]


def _label_text(node: Node, y: float, weight: str) -> str:
    """The name under a subject's shape, one tspan per line."""
    lines = _two_lines(node.label)
    spans = "".join(
        f'<tspan x="{node.x:.1f}" dy="{0 if i == 0 else 22}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{node.x:.1f}" y="{y:.1f}" font-size="20" text-anchor="middle" '
        f'fill="#0b0c0c" stroke="#ffffff" stroke-width="5" paint-order="stroke"{weight}>'
        f"{spans}</text>"
    )


def _shape(node: Node) -> str:
    colour = COLOURS.get(node.kind, LOCKED) if node.visible else LOCKED
    r = 20 if node.centre else 14
    x, y = node.x, node.y
    stroke = ' stroke="#0b0c0c" stroke-width="3"' if node.centre else ""
    if node.kind == Kind.PLACE:
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="{colour}"{stroke}/>'
        )
    if node.kind == Kind.VEHICLE:
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"{stroke}/>'
    if node.kind == Kind.GROUP:
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y + r:.1f} {x - r:.1f},{y + r:.1f}"
        return f'<polygon points="{points}" fill="{colour}"{stroke}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"{stroke}/>'


def frame(links: LinksAround) -> tuple[float, float, float, float]:
    """The part of the layout the subjects use, with room for their labels: a network of
    two is drawn as large as one of twenty, not lost in an empty square."""
    xs = [n.x for n in links.nodes] or [SIZE / 2]
    ys = [n.y for n in links.nodes] or [SIZE / 2]
    left, right = min(xs) - LABEL_ROOM, max(xs) + LABEL_ROOM
    top, bottom = min(ys) - 40, max(ys) + 72  # room for a name on two lines
    width, height = right - left, bottom - top
    if width < MIN_WIDTH:
        left, width = left - (MIN_WIDTH - width) / 2, MIN_WIDTH
    if height < MIN_HEIGHT:
        top, height = top - (MIN_HEIGHT - height) / 2, MIN_HEIGHT
    return left, top, width, height


def svg(links: LinksAround) -> str:
    """The drawing: a line per link (dashed when it has ended), a shape per subject."""
    at = {n.subject_id: n for n in links.nodes}
    left, top, width, height = frame(links)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'font-family="Arial, sans-serif">',
        f'<rect x="{left:.0f}" y="{top:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'fill="#ffffff"/>',
    ]
    for line in links.lines:
        a, b = at[line.from_id], at[line.to_id]
        dash = "" if line.current else ' stroke-dasharray="8 6"'
        parts.append(
            f'<line x1="{a.x:.1f}" y1="{a.y:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}" '
            f'stroke="#505a5f" stroke-width="2"{dash}/>'
        )
    for line in links.lines:  # the words on top of every line, on a white ground
        a, b = at[line.from_id], at[line.to_id]
        mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
        words = escape(_short(line.words))
        parts.append(
            f'<text x="{mx:.1f}" y="{my + 5:.1f}" font-size="17" text-anchor="middle" '
            f'fill="#0b0c0c" stroke="#ffffff" stroke-width="5" paint-order="stroke">'
            f"{words}</text>"
        )
    for node in links.nodes:
        parts.append(_shape(node))
        below = node.y + (40 if node.centre else 34)
        weight = ' font-weight="bold"' if node.centre else ""
        parts.append(_label_text(node, below, weight))
    parts.append("</svg>")
    return "".join(parts)


def legend() -> list[tuple[str, str]]:
    """(shape in words, kind) for the key under the picture."""
    return [
        ("circle", Kind.PERSON.label),
        ("square", Kind.PLACE.label),
        ("diamond", Kind.VEHICLE.label),
        ("triangle", Kind.GROUP.label),
    ]


__all__ = ["LinksAround", "legend", "links_around", "svg"]
