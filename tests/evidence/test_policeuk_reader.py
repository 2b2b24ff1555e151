import zipfile

import pytest

from saferhub.evidence import EvidenceError
from saferhub.evidence.formats import POLICEUK_HEADER
from tests.conftest import ingest, snapshot, square, write_csv, write_geojson

# Two wards side by side in one borough: west x 0..1, east x 1..2 (degrees, fictional).
WARD_PROPS = [
    {"WD22CD": "E05900021", "WD22NM": "West Ward", "LAD22CD": "E09900001", "LAD22NM": "Alderby"},
    {"WD22CD": "E05900022", "WD22NM": "East Ward", "LAD22CD": "E09900001", "LAD22NM": "Alderby"},
]


def wards_geojson(folder):
    return write_geojson(
        folder / "wards.geojson", [(WARD_PROPS[0], square(0, 50)), (WARD_PROPS[1], square(1, 50))]
    )


def record(month, crime_type, lon, lat, crime_id=""):
    return [
        crime_id,
        month,
        "Force",
        "Force",
        lon,
        lat,
        "On or near X",
        "E01900001",
        "Alderby 001A",
        crime_type,
        "Under investigation",
        "",
    ]


def street_csv(folder, month, rows, force="demo"):
    return write_csv(folder / month / f"{month}-{force}-street.csv", POLICEUK_HEADER, rows)


def incidents(store):
    return store.con.execute(
        "select strftime(month, '%Y-%m'), crime_type, ward_code, borough_code from incidents "
        "order by all"
    ).fetchall()


def test_records_are_placed_in_wards_by_point_in_polygon(store, tmp_path):
    ingest(store, wards_geojson(tmp_path))
    path = street_csv(
        tmp_path,
        "2018-01",
        [
            record("2018-01", "Anti-social behaviour", 0.5, 50.5),
            record("2018-01", "Burglary", 1.5, 50.2, "abc"),
            record("2018-01", "Burglary", "", ""),  # no coordinates
            record("2018-01", "Burglary", 5.0, 50.5),  # outside every boundary
        ],
    )
    result = ingest(store, path)[0]
    assert incidents(store) == [
        ("2018-01", "Anti-social behaviour", "E05900021", "E09900001"),
        ("2018-01", "Burglary", "E05900022", "E09900001"),
        ("2018-01", "Burglary", None, None),
        ("2018-01", "Burglary", None, None),
    ]
    assert "4 records; 1 without coordinates" in result.notes[0]
    assert any("1 records fall outside" in n for n in result.notes)


def test_folder_layout_and_zip_archive_give_the_same_records(store, tmp_path):
    folder = tmp_path / "archive"
    street_csv(folder, "2018-01", [record("2018-01", "Burglary", 0.5, 50.5)])
    street_csv(folder, "2018-02", [record("2018-02", "Drugs", 1.5, 50.5)])
    ingest(store, wards_geojson(tmp_path), folder)
    from_folder = incidents(store)
    assert len(from_folder) == 2
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.rglob("*.csv")):
            out.write(path, path.relative_to(folder).as_posix())
    store.con.execute("delete from incidents; delete from ingests where kind = 'policeuk'")
    result = ingest(store, archive)
    assert len(result) == 1 and result[0].months == ["2018-01", "2018-02"]
    assert incidents(store) == from_folder


def test_records_loaded_before_boundaries_are_placed_when_boundaries_arrive(store, tmp_path):
    result = ingest(
        store, street_csv(tmp_path, "2018-01", [record("2018-01", "Burglary", 0.5, 50.5)])
    )[0]
    assert any("no ward or borough boundaries loaded" in n for n in result.notes)
    assert incidents(store)[0][2] is None
    ingest(store, wards_geojson(tmp_path))
    assert incidents(store)[0][2:] == ("E05900021", "E09900001")


def test_newer_month_file_replaces_older(store, tmp_path):
    ingest(
        store, street_csv(tmp_path / "a", "2018-01", [record("2018-01", "Burglary", 0.5, 50.5)] * 3)
    )
    result = ingest(
        store, street_csv(tmp_path / "b", "2018-01", [record("2018-01", "Burglary", 0.5, 50.5)] * 2)
    )[0]
    assert len(incidents(store)) == 2
    assert any(n.startswith("replaces 3 rows loaded from") for n in result.notes)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([record("2018-13", "Burglary", 0.5, 50.5)], "row 2, column Month: expected a month"),
        ([record("2018-01", "", 0.5, 50.5)], "row 2, column Crime type"),
        (
            [record("2018-01", "Burglary", 0.5, 50.5), record("2018-01", "Burglary", "east", 50)],
            "row 3, column Longitude: expected a longitude, found 'east'",
        ),
        ([record("2018-01", "Burglary", 0.5, 95)], "column Latitude"),
    ],
)
def test_bad_records_change_nothing(store, tmp_path, rows, message):
    path = street_csv(tmp_path, "2018-01", rows)
    before = snapshot(store)
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert message in str(error.value)
    assert path.name in str(error.value)
    assert snapshot(store) == before


def test_wrong_header_is_named(store, tmp_path):
    path = write_csv(
        tmp_path / "2018-01" / "2018-01-demo-street.csv",
        ["Crime ID", "Month", "Type"],
        [["", "2018-01", "Burglary"]],
    )
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert "not the police.uk street-level header" in str(error.value)
