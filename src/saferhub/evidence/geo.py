"""Point-in-polygon: which ward and borough a police.uk record's coordinates fall in.

police.uk gives a snapped point and an LSOA code but no ward; partnerships report by ward,
so each record is placed against the ward boundaries loaded in the store (falling back to
borough boundaries where no ward covers the point).
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import shapely
from shapely.geometry import shape


class Locator:
    """Spatial index over the loaded ward and borough boundaries."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._layers = {}
        for area_type in ("ward", "borough"):
            rows = con.execute(
                "select area_code, parent_code, geometry from boundaries where area_type = ? "
                "order by area_code",
                [area_type],
            ).fetchall()
            if rows:
                geoms = [shape(json.loads(g)) for _, _, g in rows]
                codes = np.array([c for c, _, _ in rows], dtype=object)
                parents = np.array([p for _, p, _ in rows], dtype=object)
                self._layers[area_type] = (shapely.STRtree(geoms), codes, parents)

    @property
    def empty(self) -> bool:
        return not self._layers

    def _hit(self, area_type: str, points: np.ndarray, mask: np.ndarray):
        codes_out = np.full(len(points), None, dtype=object)
        parents_out = np.full(len(points), None, dtype=object)
        if area_type not in self._layers or not mask.any():
            return codes_out, parents_out
        tree, codes, parents = self._layers[area_type]
        wanted = np.flatnonzero(mask)
        found, target = tree.query(points[wanted], predicate="intersects")
        # A point on a shared edge touches two areas: keep the first, deterministically.
        found, first = np.unique(found, return_index=True)
        codes_out[wanted[found]] = codes[target[first]]
        parents_out[wanted[found]] = parents[target[first]]
        return codes_out, parents_out

    def assign(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ward and borough codes per point (None where no boundary covers it)."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        located = ~(np.isnan(lon) | np.isnan(lat))
        points = shapely.points(np.where(located, lon, 0.0), np.where(located, lat, 0.0))
        wards, ward_parents = self._hit("ward", points, located)
        boroughs, _ = self._hit("borough", points, located & (ward_parents == None))  # noqa: E711
        boroughs = np.where(ward_parents == None, boroughs, ward_parents)  # noqa: E711
        return wards, boroughs


def assign_incidents(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Set ward_code and borough_code on every row of `table` from the loaded boundaries."""
    locator = Locator(con)
    data = con.execute(f"select rowid, longitude, latitude from {table}").fetchnumpy()
    if len(data["rowid"]) == 0:
        return
    lon = np.asarray(
        data["longitude"].filled(np.nan)
        if hasattr(data["longitude"], "filled")
        else data["longitude"],
        dtype=float,
    )
    lat = np.asarray(
        data["latitude"].filled(np.nan)
        if hasattr(data["latitude"], "filled")
        else data["latitude"],
        dtype=float,
    )
    wards, boroughs = locator.assign(lon, lat)
    con.register(
        "located_points", {"rid": np.asarray(data["rowid"]), "ward": wards, "borough": boroughs}
    )
    con.execute(
        f"""update {table} set ward_code = p.ward, borough_code = p.borough
            from located_points p where {table}.rowid = p.rid"""
    )
    con.unregister("located_points")


def build_lsoa_wards(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `lsoa_wards`: the ward holding each loaded LSOA boundary's representative point.

    LSOAs are not drawn to nest in wards, so each LSOA is counted whole in the ward that holds
    a point inside it (`point_on_surface`, which unlike the centroid is always inside the
    polygon): ward figures built from LSOA-level counts are a close approximation, and sum
    exactly to the borough's LSOA total.
    """
    con.execute("delete from lsoa_wards")
    lsoas = con.execute(
        "select area_code, geometry from boundaries where area_type = 'lsoa' order by 1"
    ).fetchall()
    wards = con.execute(
        "select area_code, area_name, parent_code, geometry from boundaries "
        "where area_type = 'ward' order by 1"
    ).fetchall()
    if not lsoas or not wards:
        return
    points = shapely.point_on_surface([shape(json.loads(g)) for _, g in lsoas])
    tree = shapely.STRtree([shape(json.loads(g)) for *_, g in wards])
    found, target = tree.query(points, predicate="intersects")
    found, first = np.unique(found, return_index=True)
    rows = [
        (lsoas[i][0], wards[t][0], wards[t][1], wards[t][2])
        for i, t in zip(found.tolist(), target[first].tolist(), strict=True)
    ]
    if rows:
        codes, ward_codes, names, parents = (list(column) for column in zip(*rows, strict=True))
        con.execute(
            "insert into lsoa_wards select unnest(?), unnest(?), unnest(?), unnest(?)",
            [codes, ward_codes, names, parents],
        )
