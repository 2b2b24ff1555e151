"""Ward choropleth maps drawn from the loaded GeoJSON boundaries: no tiles, no network.

Coordinates are projected with a Lambert azimuthal equal-area projection centred on the area,
so wards keep their true relative sizes and shapes (unprojected longitude and latitude would
stretch London east-west).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass

from matplotlib.collections import PolyCollection
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from shapely.geometry import shape

from .charts import Chart, plt

EARTH_RADIUS = 6_371_008.8
# Five classes from light to dark (a colour-blind-safe sequential blue scheme).
CLASSES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]


@dataclass(frozen=True)
class WardShape:
    code: str
    name: str
    rings: list[list[tuple[float, float]]]  # projected, metres
    label_at: tuple[float, float]


def laea(lon: float, lat: float, lon0: float, lat0: float) -> tuple[float, float]:
    lam, phi, lam0, phi0 = map(math.radians, (lon, lat, lon0, lat0))
    k = math.sqrt(
        2
        / (
            1
            + math.sin(phi0) * math.sin(phi)
            + math.cos(phi0) * math.cos(phi) * math.cos(lam - lam0)
        )
    )
    x = EARTH_RADIUS * k * math.cos(phi) * math.sin(lam - lam0)
    y = (
        EARTH_RADIUS
        * k
        * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam - lam0))
    )
    return x, y


def project(geometries: dict[str, tuple[str, str]]) -> list[WardShape]:
    """geometries: code -> (name, GeoJSON text). Returns projected shapes."""
    shapes = {code: (name, shape(json.loads(text))) for code, (name, text) in geometries.items()}
    if not shapes:
        return []
    lons, lats = [], []
    for _, geom in shapes.values():
        minx, miny, maxx, maxy = geom.bounds
        lons += [minx, maxx]
        lats += [miny, maxy]
    lon0, lat0 = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    out = []
    for code, (name, geom) in shapes.items():
        # ~10 m in degrees: invisible at report scale, a fraction of the vertices to draw.
        geom = geom.simplify(0.0001, preserve_topology=True)
        polygons = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        rings = [[laea(x, y, lon0, lat0) for x, y in p.exterior.coords] for p in polygons]
        point = geom.representative_point()
        out.append(WardShape(code, name, rings, laea(point.x, point.y, lon0, lat0)))
    return out


def class_breaks(values: list[float], classes: int = len(CLASSES)) -> list[float]:
    """Equal-count (quantile) class boundaries, deduplicated, lowest first."""
    ordered = sorted(values)
    if not ordered:
        return [0, 1]
    cuts = [
        ordered[min(len(ordered) - 1, round(i * len(ordered) / classes))] for i in range(1, classes)
    ]
    breaks = sorted({ordered[0], *cuts, ordered[-1]})
    if len(breaks) == 1:
        breaks.append(breaks[0] + 1)
    return breaks


def ward_map(
    label: str,
    measure: str,
    shapes: list[WardShape],
    values: dict[str, float],
    fmt: str = "{:,.0f}",
) -> Chart:
    """A choropleth of `values` by ward code; `measure` names what is mapped."""
    breaks = class_breaks(list(values.values()))
    colours = CLASSES[: len(breaks) - 1]

    def draw() -> Figure:
        figure, axes = plt.subplots(figsize=(7, 6))
        norm = BoundaryNorm(breaks, len(colours))
        cmap = ListedColormap(colours)
        polys, facecolours = [], []
        for ward in shapes:
            for ring in ward.rings:
                polys.append(ring)
                facecolours.append(cmap(norm(values.get(ward.code, 0))))
        axes.add_collection(
            PolyCollection(polys, facecolors=facecolours, edgecolors="#505a5f", linewidths=0.6)
        )
        for ward in shapes:
            value = values.get(ward.code, 0)
            dark = norm(value) >= 3  # white text on the two darkest blues only
            axes.text(
                *ward.label_at,
                ward.name,
                ha="center",
                va="center",
                fontsize=5.5,
                color="white" if dark else "#0b0c0c",
                wrap=True,
            )
        axes.autoscale_view()
        axes.set_aspect("equal")
        axes.axis("off")
        handles = [plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor="#505a5f") for c in colours]
        labels = [f"{fmt.format(lo)} to {fmt.format(hi)}" for lo, hi in itertools.pairwise(breaks)]
        axes.legend(
            handles,
            labels,
            title=measure,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
            title_fontsize=8,
        )
        return figure

    ranked = sorted(shapes, key=lambda w: -values.get(w.code, 0))
    alt = (
        f"Map of the {len(shapes)} wards shaded by {measure.lower()} of {label.lower()} in "
        f"{len(colours)} classes, darker for more. Highest: "
        + ", ".join(f"{w.name} {fmt.format(values.get(w.code, 0))}" for w in ranked[:3])
        + ". The table below lists every ward."
    )
    rows = [[w.name, fmt.format(values.get(w.code, 0))] for w in ranked]
    return Chart(f"{label}: {measure.lower()} by ward", alt, ["Ward", measure], rows, draw)
