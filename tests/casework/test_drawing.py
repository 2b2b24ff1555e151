"""The links drawing and its list come from one object: locked subjects are named by their
kind only in both, ended links are dashed, and the SVG holds presentation attributes only."""

from __future__ import annotations

import re
from datetime import date

from saferhub.casework.drawing import frame, links_around, svg
from saferhub.subjects.network import Edge, Network, Node

ON = date(2026, 11, 24)


def net(*others: tuple[int, str, str]) -> Network:
    nodes = [Node(1, "person", "Ada Testperson", 0)]
    edges = []
    for pk, kind, label in others:
        nodes.append(Node(pk, kind, label, 1))
        edges.append(
            Edge(
                pk,
                1,
                pk,
                "associate_of",
                "Associate of",
                "Associate of",
                None,
                date(2026, 1, 1) if pk == 3 else None,
            )
        )
    return Network(centre=1, nodes=tuple(nodes), edges=tuple(edges), truncated=False)


def test_a_subject_the_user_cannot_see_is_named_by_its_kind_in_the_list_and_the_drawing():
    links = links_around(net((2, "person", "Bram Example"), (3, "group", "Hidden crew")), {2}, ON)
    assert [line.other.label for line in links.lines] == ["Bram Example", "Locked group"]
    drawn = svg(links)
    assert "Bram Example" in drawn and "Locked group" in drawn and "Hidden crew" not in drawn
    assert [line.current for line in links.lines] == [True, False]
    assert drawn.count('stroke-dasharray="8 6"') == 1
    assert "style=" not in drawn and "<script" not in drawn
    assert not re.search(r"\son\w+=", drawn)  # no event handlers


def test_names_are_escaped_and_long_ones_shortened():
    links = links_around(net((2, "person", "<b>&" + "x" * 60)), {2}, ON)
    drawn = svg(links)
    assert "<b>" not in drawn and "&lt;b&gt;&amp;" in drawn and "…" in drawn


def test_the_frame_fits_the_subjects_with_room_for_their_names():
    small = links_around(net((2, "person", "Bram")), {2}, ON)
    left, top, width, height = frame(small)
    assert width >= 420 and height >= 260
    for node in small.nodes:
        assert left < node.x < left + width and top < node.y < top + height
    crowded = links_around(net(*((k, "person", f"P{k}") for k in range(2, 40))), set(), ON)
    assert frame(crowded)[2] > width
    assert crowded.alt.startswith("A drawing of 38 links between 39 subjects")
    assert small.src.startswith("data:image/svg+xml;base64,")
