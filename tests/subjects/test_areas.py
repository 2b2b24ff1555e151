"""Grid references ↔ latitude/longitude, and a place's ward and LSOA from the evidence store's
boundaries (a real DuckDB store with boundaries ingested as `saferhub ingest` loads them)."""

from __future__ import annotations

import pytest

from saferhub.evidence import Store
from saferhub.subjects import areas
from saferhub.subjects.geography import (
    grid_to_osgb36,
    grid_to_wgs84,
    osgb36_to_grid,
    wgs84_to_grid,
)
from tests.conftest import ingest, write_geojson


def rectangle(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def test_the_ordnance_surveys_worked_example():
    # "A guide to coordinate systems in Great Britain", the transverse Mercator example:
    # E 651409.903, N 313177.270 is 52°39′27.2531″N, 1°43′4.5177″E on OSGB36.
    lat, lon = grid_to_osgb36(651409.903, 313177.270)
    assert lat == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert lon == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)
    easting, northing = osgb36_to_grid(lat, lon)
    assert easting == pytest.approx(651409.903, abs=0.01)
    assert northing == pytest.approx(313177.270, abs=0.01)


def test_grid_to_wgs84_applies_the_datum_shift_and_round_trips():
    _lat36, lon36 = grid_to_osgb36(530000, 180000)
    lat, lon = grid_to_wgs84(530000, 180000)
    # In London WGS84 lies about 110 m west of OSGB36 and a few metres north: not nothing.
    assert (lon36 - lon) * 111_320 * 0.62 == pytest.approx(110, abs=15)
    assert lat == pytest.approx(51.504, abs=0.001) and lon == pytest.approx(-0.1284, abs=0.001)
    easting, northing = wgs84_to_grid(lat, lon)
    assert easting == pytest.approx(530000, abs=0.1)
    assert northing == pytest.approx(180000, abs=0.1)


@pytest.fixture
def boundaries_store(tmp_path):
    """Two wards (north and south of 51.5°N) and two LSOAs in the north one."""
    wards = write_geojson(
        tmp_path / "wards.geojson",
        [
            (
                {"WD22CD": "E05900011", "WD22NM": "Alderby North", "LAD22CD": "E09900001"},
                rectangle(-0.3, 51.5, 0.0, 51.6),
            ),
            (
                {"WD22CD": "E05900012", "WD22NM": "Alderby South", "LAD22CD": "E09900001"},
                rectangle(-0.3, 51.4, 0.0, 51.5),
            ),
        ],
    )
    lsoas = write_geojson(
        tmp_path / "lsoas.geojson",
        [
            (
                {"LSOA21CD": "E01900001", "LSOA21NM": "Alderby 001A"},
                rectangle(-0.3, 51.5, -0.15, 51.6),
            ),
            (
                {"LSOA21CD": "E01900002", "LSOA21NM": "Alderby 001B"},
                rectangle(-0.15, 51.5, 0.0, 51.6),
            ),
        ],
    )
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        ingest(store, wards, lsoas)
    return path


def test_locate_a_point_in_ward_and_lsoa(boundaries_store):
    found = areas.locate(areas.Point.from_grid(530000, 180000), store_path=boundaries_store)
    assert found == areas.Area("E05900011", "Alderby North", "E01900002", "Alderby 001B")
    assert found.complete


def test_a_point_with_a_ward_but_no_lsoa(boundaries_store):
    found = areas.locate(areas.Point(-0.1, 51.45), store_path=boundaries_store)
    assert found == areas.Area("E05900012", "Alderby South", "", "")
    assert not found.complete


def test_a_point_outside_every_boundary(boundaries_store):
    assert areas.locate(areas.Point(-2.0, 53.0), store_path=boundaries_store) is None


def test_no_store_says_so(tmp_path):
    with pytest.raises(areas.NoBoundaries, match="no evidence store"):
        areas.locate(areas.Point(-0.1, 51.5), store_path=tmp_path / "missing.duckdb")


def test_a_store_without_boundaries_says_so(tmp_path):
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    with pytest.raises(areas.NoBoundaries, match="No ward or LSOA boundaries are loaded"):
        areas.locate(areas.Point(-0.1, 51.5), store_path=path)


def test_the_index_is_rebuilt_when_the_store_changes(boundaries_store, tmp_path):
    assert areas.locate(areas.Point(0.2, 51.55), store_path=boundaries_store) is None
    east = write_geojson(
        tmp_path / "east.geojson",
        [
            (
                {"WD22CD": "E05900013", "WD22NM": "Alderby East", "LAD22CD": "E09900001"},
                rectangle(0.0, 51.5, 0.3, 51.6),
            )
        ],
    )
    with Store(boundaries_store) as store:
        ingest(store, east)
    found = areas.locate(areas.Point(0.2, 51.55), store_path=boundaries_store)
    assert found is not None and found.ward_code == "E05900013"
