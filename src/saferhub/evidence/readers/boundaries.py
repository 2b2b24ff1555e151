"""GeoJSON boundaries for boroughs (local authority districts), wards and LSOAs.

The area type and the code and name properties are recognised from the ONS property names
(LAD22CD, WD25CD, LSOA21CD, ...) or the GLA ones (GSS_CODE, NAME), so any vintage loads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
from shapely.geometry import shape

from ..errors import EvidenceError
from . import Staged

PATTERNS = (
    ("ward", re.compile(r"^WD\d{2}CD$"), re.compile(r"^WD\d{2}NM$")),
    ("lsoa", re.compile(r"^LSOA\d{2}CD$"), re.compile(r"^LSOA\d{2}NM$")),
    ("msoa", re.compile(r"^MSOA\d{2}CD$"), re.compile(r"^MSOA\d{2}NM$")),
    ("borough", re.compile(r"^(LAD\d{2}CD|GSS_CODE)$"), re.compile(r"^(LAD\d{2}NM|NAME)$")),
)
PARENT = re.compile(r"^(LAD\d{2}CD|LADCD_ACTIVE)$")


def _roles(properties: dict, path: Path) -> tuple[str, str, str, str | None]:
    keys = list(properties)
    for area_type, code_re, name_re in PATTERNS:
        code = next((k for k in keys if code_re.match(k)), None)
        name = next((k for k in keys if name_re.match(k)), None)
        if code and name:
            parent = None
            if area_type in ("ward", "lsoa", "msoa"):
                parent = next((k for k in keys if PARENT.match(k)), None)
            return area_type, code, name, parent
    raise EvidenceError(
        f"{path}: feature properties {', '.join(keys)} name no area code and name "
        "(expected e.g. WD22CD/WD22NM, LSOA21CD/LSOA21NM, LAD22CD/LAD22NM or GSS_CODE/NAME)"
    )


def stage(con: duckdb.DuckDBPyConnection, path: Path) -> Staged:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvidenceError(f"{path}: not valid GeoJSON: {exc}") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise EvidenceError(f"{path}: GeoJSON has no features (expected a FeatureCollection)")
    area_type, code_key, name_key, parent_key = _roles(features[0].get("properties") or {}, path)
    rows = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        code, name = props.get(code_key), props.get(name_key)
        if not code or not name:
            raise EvidenceError(f"{path}: feature {number} has no {code_key} or {name_key}")
        try:
            geometry = shape(feature.get("geometry"))
        except (AttributeError, TypeError, ValueError) as exc:
            raise EvidenceError(f"{path}: feature {number} ({code}): bad geometry: {exc}") from exc
        if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise EvidenceError(f"{path}: feature {number} ({code}): expected a polygon")
        rows.append(
            (
                area_type,
                str(code).strip(),
                str(name).strip(),
                props.get(parent_key) if parent_key else None,
                json.dumps(feature["geometry"], separators=(",", ":")),
            )
        )
    codes = [r[1] for r in rows]
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise EvidenceError(f"{path}: area {dup} appears in more than one feature")
    con.execute(
        """create or replace temp table staged_boundaries (area_type varchar, area_code varchar,
           area_name varchar, parent_code varchar, geometry varchar)"""
    )
    con.executemany("insert into staged_boundaries values (?, ?, ?, ?, ?)", rows)
    return Staged(
        kind=f"boundaries-{area_type}",
        table="boundaries",
        rows=len(rows),
        notes=[f"{len(rows)} {area_type} boundaries"],
        replace_on=("area_type", "area_code"),
    )
