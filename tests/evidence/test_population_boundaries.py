import pytest

from saferhub.evidence import EvidenceError
from tests.conftest import ingest, snapshot, square, write_csv, write_geojson


def test_gla_borough_file(store, tmp_path):
    path = write_csv(
        tmp_path / "gla.csv",
        ["Code", "Name", "Year", "Source", "Population", "Inland_Area _Hectares"],
        [
            ["E09900001", "Alderby", 2018, "GLA", 1000, 1.5],
            ["E09900001", "Alderby", 2019, "GLA", 1010, 1.5],
        ],
    )
    result = ingest(store, path)[0]
    assert result.kind == "population-gla"
    assert store.con.execute(
        "select area_code, year, age_band, population from population order by year"
    ).fetchall() == [("E09900001", 2018, "all", 1000), ("E09900001", 2019, "all", 1010)]


def test_simple_file_with_age_bands(store, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        ["area_code", "year", "population", "age_band"],
        [["E05900011", 2018, 300, "10-17"], ["E05900011", 2018, 4000, ""]],
    )
    ingest(store, path)
    assert dict(store.con.execute("select age_band, population from population").fetchall()) == {
        "10-17": 300,
        "all": 4000,
    }


def test_population_reload_replaces_same_area_and_year(store, tmp_path):
    ingest(
        store,
        write_csv(
            tmp_path / "a.csv",
            ["area_code", "year", "population"],
            [["E09900001", 2018, 1000], ["E09900002", 2018, 50]],
        ),
    )
    result = ingest(
        store,
        write_csv(
            tmp_path / "b.csv", ["area_code", "year", "population"], [["E09900001", 2018, 1200]]
        ),
    )[0]
    assert dict(store.con.execute("select area_code, population from population").fetchall()) == {
        "E09900001": 1200,
        "E09900002": 50,
    }
    assert any("replaces 1 rows" in n for n in result.notes)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["E09900001", "2018", "many"]], "row 2, column population: expected a whole number"),
        ([["E09900001", "1018x", "5"]], "row 2, column year: expected a year"),
        # A negative population once showed a rate of -27,000 per 100,000; fractions, exponents
        # and hex are refused, not rounded.
        ([["E09900001", "2018", "5"], ["E09900002", "2018", "-27000"]], "row 3, column population"),
        ([["E09900001", "2018", "1500.5"]], "row 2, column population: expected a whole number"),
        ([["E09900001", "2018", "1e5"]], "row 2, column population: expected a whole number"),
        ([["E09900001", "2018", "0x10"]], "row 2, column population"),
        ([["E09900001", "2018", "+5"]], "row 2, column population"),
        ([["", "2018", "5"]], "row 2, column area_code"),
        (
            [["E09900001", "2018", "5"], ["E09900001", "2018", "6"]],
            "rows 2 and 3 both give the population of E09900001 in 2018",
        ),
    ],
)
def test_bad_population_changes_nothing(store, tmp_path, rows, message):
    path = write_csv(tmp_path / "pop.csv", ["area_code", "year", "population"], rows)
    before = snapshot(store)
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert message in str(error.value) and str(path) in str(error.value)
    assert snapshot(store) == before


def test_a_whole_number_written_with_a_point_zero_is_read(store, tmp_path):
    ingest(
        store,
        write_csv(
            tmp_path / "p.csv",
            ["area_code", "year", "population"],
            [["E09900001", "2018", "21400.0"]],
        ),
    )
    assert store.con.execute("select population from population").fetchall() == [(21400,)]


def test_boundaries_recognise_area_types(store, tmp_path):
    wards = write_geojson(
        tmp_path / "w.geojson",
        [({"WD25CD": "E05900021", "WD25NM": "West", "LAD25CD": "E09900001"}, square(0, 0))],
    )
    boroughs = write_geojson(
        tmp_path / "b.geojson", [({"GSS_CODE": "E09900001", "NAME": "Alderby"}, square(0, 0, 2))]
    )
    lsoas = write_geojson(
        tmp_path / "l.geojson",
        [({"LSOA21CD": "E01900001", "LSOA21NM": "Alderby 001A"}, square(0, 0, 0.5))],
    )
    ingest(store, wards, boroughs, lsoas)
    assert store.con.execute(
        "select area_type, area_code, parent_code from boundaries order by 1"
    ).fetchall() == [
        ("borough", "E09900001", None),
        ("lsoa", "E01900001", None),
        ("ward", "E05900021", "E09900001"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"type": "FeatureCollection", "features": []}', "has no features"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"colour": 1}, '
            '"geometry": null}]}',
            "name no area code and name",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"WD22CD": "E1", '
            '"WD22NM": "W"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}',
            "expected a polygon",
        ),
        ('{"type": "FeatureCollection", "features": [', "not valid GeoJSON"),
    ],
)
def test_bad_geojson(store, tmp_path, text, message):
    path = tmp_path / "bad.geojson"
    path.write_text(text)
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert message in str(error.value) and str(path) in str(error.value)
    assert snapshot(store)["boundaries"] == 0
