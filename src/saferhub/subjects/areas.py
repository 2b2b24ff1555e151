"""Which ward and LSOA a place is in, from the boundaries loaded in the evidence store.

This links a place to the assessment of its area: the evidence store holds the ward and LSOA
boundaries (GeoJSON, longitude/latitude) that `saferhub ingest` loaded. `locate` answers from
a spatial index (shapely's STRtree, as `evidence.geo` places police.uk records), built once
per store file and rebuilt when the file changes. When no store or no boundaries are there it
says so plainly (`NoBoundaries`) instead of guessing.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from ..evidence.location import default_store_path
from .geography import grid_to_wgs84


class NoBoundaries(Exception):
    """No ward or LSOA boundaries to locate a place in, with what to do about it."""


@dataclass(frozen=True)
class Point:
    """A point in WGS84 degrees."""

    longitude: float
    latitude: float

    @classmethod
    def from_grid(cls, easting: float, northing: float) -> Point:
        latitude, longitude = grid_to_wgs84(easting, northing)
        return cls(longitude=longitude, latitude=latitude)


@dataclass(frozen=True)
class Area:
    """The ward and LSOA holding a point; a code is "" where no loaded boundary of that type
    covers it (or none of that type is loaded)."""

    ward_code: str = ""
    ward_name: str = ""
    lsoa_code: str = ""
    lsoa_name: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.ward_code and self.lsoa_code)


class _Layer:
    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        import shapely
        from shapely.geometry import shape

        self.codes = [code for code, _, _ in rows]
        self.names = [name for _, name, _ in rows]
        self.tree = shapely.STRtree([shape(json.loads(g)) for _, _, g in rows])

    def find(self, point) -> tuple[str, str] | None:
        hits = sorted(self.tree.query(point, predicate="intersects").tolist())
        if not hits:
            return None
        first = hits[0]  # a point on a shared edge: the first area by code, deterministically
        return self.codes[first], self.names[first]


class _Index:
    def __init__(self, con, error: type[Exception]) -> None:
        self.layers: dict[str, _Layer] = {}
        for area_type in ("ward", "lsoa"):
            rows = con.execute(
                "select area_code, area_name, geometry from boundaries where area_type = ? "
                "order by area_code",
                [area_type],
            ).fetchall()
            if rows:
                self.layers[area_type] = _Layer(rows)
        # The ward an LSOA was counted in (evidence.geo.build_lsoa_wards): a ward for points
        # in a loaded LSOA when no ward boundaries are loaded.
        try:
            pairs = con.execute("select lsoa_code, ward_code, ward_name from lsoa_wards")
            self.lsoa_wards = {code: (ward, name) for code, ward, name in pairs.fetchall()}
        except error:  # a store from before the LSOA-to-ward table
            self.lsoa_wards = {}


_cache: dict[tuple[str, int, int], _Index] = {}
_lock = threading.Lock()


def _index(path: Path) -> _Index:
    from ..evidence.db import duckdb

    if not path.exists():
        raise NoBoundaries(
            f"There is no evidence store at {path}, so no ward or LSOA boundaries are loaded: "
            "load them with `saferhub ingest` and locate the place again"
        )
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _lock:
        if key not in _cache:
            try:
                con = duckdb.connect(str(path), read_only=True)
            except duckdb.Error as exc:
                message = f"The evidence store at {path} cannot be read now ({exc})"
                raise NoBoundaries(message) from exc
            try:
                index = _Index(con, duckdb.Error)
            except duckdb.Error as exc:  # a store without the tables
                raise NoBoundaries(f"The evidence store at {path} has no boundaries table") from exc
            finally:
                con.close()
            _cache.clear()
            _cache[key] = index
        return _cache[key]


def locate(point: Point, *, store_path: Path | str | None = None) -> Area | None:
    """The ward and LSOA holding `point`, from the evidence store's boundaries (the default
    store unless `store_path` names one). None when the point is outside every loaded
    boundary; raises NoBoundaries when no ward or LSOA boundaries are loaded at all."""
    import shapely

    path = Path(store_path) if store_path is not None else default_store_path()
    index = _index(path)
    if not index.layers:
        raise NoBoundaries(
            f"No ward or LSOA boundaries are loaded in the evidence store at {path}: load "
            "them with `saferhub ingest` and locate the place again"
        )
    geometry = shapely.points(point.longitude, point.latitude)
    ward = index.layers["ward"].find(geometry) if "ward" in index.layers else None
    lsoa = index.layers["lsoa"].find(geometry) if "lsoa" in index.layers else None
    if ward is None and lsoa is not None and lsoa[0] in index.lsoa_wards:
        ward = index.lsoa_wards[lsoa[0]]
    if ward is None and lsoa is None:
        return None
    return Area(
        ward_code=ward[0] if ward else "",
        ward_name=ward[1] if ward else "",
        lsoa_code=lsoa[0] if lsoa else "",
        lsoa_name=lsoa[1] if lsoa else "",
    )
