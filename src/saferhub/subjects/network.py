"""The links around a subject, as nodes and edges for a list and a simple drawing.

`network(subject, depth)` walks links breadth first, one query per ring, up to `max_nodes`
subjects; `layout(network)` places the nodes on rings around the centre (pure arithmetic, so
the page can draw an SVG without script). Not filtered by sharing: the page passes the nodes
through the sharing policy and shows a locked subject without its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import cos, pi, sin

from django.db.models import Q

from .models import Link, Subject
from .vocabulary import link_label


@dataclass(frozen=True)
class Node:
    subject_id: int
    kind: str
    label: str
    depth: int  # links from the centre


@dataclass(frozen=True)
class Edge:
    link_id: int
    from_id: int
    to_id: int
    type: str
    label: str  # read from the "from" end: "Parent of"
    reverse_label: str  # read from the "to" end: "Child of"
    started_on: date | None
    ended_on: date | None

    def current(self, on: date) -> bool:
        return self.ended_on is None or self.ended_on >= on


@dataclass(frozen=True)
class Network:
    centre: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    truncated: bool  # more subjects were linked than max_nodes allowed

    def node(self, subject_id: int) -> Node | None:
        return next((x for x in self.nodes if x.subject_id == subject_id), None)


def network(subject: Subject, *, depth: int = 1, max_nodes: int = 150) -> Network:
    """The subjects within `depth` links of `subject`, and the links among them."""
    depths = {subject.pk: 0}
    frontier = {subject.pk}
    edges: dict[int, Link] = {}
    truncated = False
    for ring in range(1, max(depth, 0) + 1):
        if not frontier:
            break
        links = list(
            Link.objects.filter(Q(from_subject__in=frontier) | Q(to_subject__in=frontier))
            .order_by("id")
            .only("id", "from_subject", "to_subject", "type", "started_on", "ended_on")
        )
        frontier = set()
        for link in links:
            for end in (link.from_subject_id, link.to_subject_id):
                if end not in depths:
                    if len(depths) >= max_nodes:
                        truncated = True
                        continue
                    depths[end] = ring
                    frontier.add(end)
            if link.from_subject_id in depths and link.to_subject_id in depths:
                edges[link.pk] = link
    subjects = Subject.objects.in_bulk(list(depths))
    nodes = tuple(
        Node(pk, subjects[pk].kind, subjects[pk].display_name, d)
        for pk, d in sorted(depths.items(), key=lambda item: (item[1], item[0]))
        if pk in subjects
    )
    return Network(
        centre=subject.pk,
        nodes=nodes,
        edges=tuple(
            Edge(
                link_id=link.pk,
                from_id=link.from_subject_id,
                to_id=link.to_subject_id,
                type=link.type,
                label=link_label(link.type, from_end=True),
                reverse_label=link_label(link.type, from_end=False),
                started_on=link.started_on,
                ended_on=link.ended_on,
            )
            for link in sorted(edges.values(), key=lambda x: x.pk)
        ),
        truncated=truncated,
    )


def layout(net: Network, *, size: float = 600.0) -> dict[int, tuple[float, float]]:
    """Positions in a `size` square: the centre in the middle, each ring of depth d on a
    circle of radius proportional to d, nodes spread evenly in id order."""
    middle = size / 2
    rings: dict[int, list[int]] = {}
    for node in net.nodes:
        rings.setdefault(node.depth, []).append(node.subject_id)
    deepest = max(rings, default=0) or 1
    positions: dict[int, tuple[float, float]] = {}
    for d, ids in rings.items():
        if d == 0:
            for pk in ids:
                positions[pk] = (middle, middle)
            continue
        radius = (size / 2 - size * 0.08) * d / deepest
        offset = pi / len(ids) if d % 2 == 0 else 0.0
        for i, pk in enumerate(ids):
            angle = offset + 2 * pi * i / len(ids) - pi / 2
            positions[pk] = (
                round(middle + radius * cos(angle), 1),
                round(middle + radius * sin(angle), 1),
            )
    return positions
