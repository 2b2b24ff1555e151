import duckdb
import pytest

from saferhub.evidence import EvidenceError
from tests.conftest import ingest, snapshot, write_csv
from tests.evidence.fixtures import MONTHS, borough_csv, population_csv, ward_csv


def offences(store, where="true"):
    return store.con.execute(
        f"""select area_type, area_code, area_name, borough_code, strftime(month, '%Y%m'),
                   major, minor, count from offences where {where} order by all"""
    ).fetchall()


def test_borough_file_lands_long_with_codes(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path))
    rows = offences(store, "area_name = 'Alderby' and minor = 'RES BURGLARY OF A HOME'")
    assert [(r[4], r[7]) for r in rows] == list(zip(MONTHS, [3, 4, 5, 6, 7, 8], strict=True))
    assert {r[1] for r in rows} == {"E09900001"}
    assert {r[0] for r in rows} == {"borough"}
    unknown = offences(store, "area_name = 'Unknown'")
    assert unknown and {r[3] for r in unknown} == {None}


@pytest.mark.parametrize(
    "header",
    [
        ("Major Category", "Minor Category", "Borough"),
        ("major_text", "MINORTEXT", "LookUp_BoroughName"),
        ("BoroughName", "MinorText", "MajorText"),  # order is free
    ],
)
def test_column_synonyms_and_order(store, tmp_path, header):
    from tests.evidence.fixtures import BOROUGH_ROWS

    roles = {"major": 0, "minor": 1, "borough": 2}
    keys = [
        next(
            r
            for r in roles
            if r in h.lower().replace(" ", "").replace("_", "").replace("lookupborough", "borough")
        )
        for h in header
    ]
    rows = [
        [(major, minor, borough)[roles[k]] for k in keys] + counts
        for (major, minor, borough), counts in BOROUGH_ROWS.items()
    ]
    path = write_csv(tmp_path / "b.csv", [*header, *MONTHS], rows)
    ingest(store, population_csv(tmp_path), path)
    total = store.con.execute("select sum(count) from offences").fetchone()[0]
    assert total == sum(sum(c) for c in BOROUGH_ROWS.values())
    assert (
        offences(store, "area_name = 'Alderby' and minor = 'RES BURGLARY OF A HOME'")[0][1]
        == "E09900001"
    )


def test_borough_column_may_hold_gss_codes(store, tmp_path):
    from tests.evidence.fixtures import BOROUGH_ROWS

    names = {
        "Alderby": "E09900001",
        "Brookfield": "E09900002",
        "Carrow": "E09900003",
        "Unknown": "Unknown",
    }
    rows = {(a, b, names[c]): v for (a, b, c), v in BOROUGH_ROWS.items()}
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path, rows=rows))
    got = store.con.execute(
        "select distinct area_code, area_name from offences where area_code is not null order by 1"
    ).fetchall()
    assert got == [("E09900001", "Alderby"), ("E09900002", "Brookfield"), ("E09900003", "Carrow")]


def test_parquet_gives_same_rows_as_csv(store, tmp_path):
    csv_path = borough_csv(tmp_path)
    parquet_path = tmp_path / "borough.data"  # no extension: detected from content
    duckdb.sql(
        f"copy (select * from read_csv('{csv_path}', header = true)) to '{parquet_path}' "
        "(format parquet)"
    )
    ingest(store, population_csv(tmp_path), parquet_path)
    from_parquet = offences(store)
    store.con.execute("delete from offences; delete from ingests")
    ingest(store, csv_path)
    assert offences(store) == from_parquet


def test_ward_file_keeps_ward_and_borough(store, tmp_path):
    ingest(store, population_csv(tmp_path), ward_csv(tmp_path))
    rows = store.con.execute(
        "select distinct area_type, area_code, area_name, borough_code from offences order by 2"
    ).fetchall()
    assert rows == [
        ("ward", "E05900011", "Alderby North", "E09900001"),
        ("ward", "E05900012", "Alderby South", "E09900001"),
    ]


def test_lsoa_file(store, tmp_path):
    path = write_csv(
        tmp_path / "lsoa.csv",
        ["LSOA Code", "LSOA Name", "Borough", "Major Category", "Minor Category", "201801"],
        [["E01900001", "Alderby 001A", "Alderby", "ROBBERY", "ROBBERY OF PERSONAL PROPERTY", 3]],
    )
    results = ingest(store, population_csv(tmp_path), path)
    assert results[-1].kind == "mps-lsoa"
    assert offences(store) == [
        (
            "lsoa",
            "E01900001",
            "Alderby 001A",
            "E09900001",
            "201801",
            "ROBBERY",
            "ROBBERY OF PERSONAL PROPERTY",
            3,
        )
    ]


def test_borough_codes_resolved_when_population_arrives_later(store, tmp_path):
    ingest(store, borough_csv(tmp_path))
    assert offences(store, "area_name = 'Alderby'")[0][1] is None
    ingest(store, population_csv(tmp_path))
    assert {r[1] for r in offences(store, "area_name = 'Alderby'")} == {"E09900001"}


def test_unmapped_category_is_reported(store, tmp_path):
    rows = {("NEW MAJOR", "NEW THING", "Alderby"): [1] * 6}
    result = ingest(store, borough_csv(tmp_path, rows=rows))[0]
    assert any("NEW MAJOR / NEW THING" in note for note in result.notes)


BAD = [
    (
        ["MajorText", "BoroughName", "201801"],
        [["BURGLARY", "Alderby", 1]],
        "missing column(s) (minor",
    ),
    (
        ["MajorText", "MinorText", "Borough", "BoroughName", "201801"],
        [["BURGLARY", "X", "Alderby", "Alderby", 1]],
        "both look like the borough column",
    ),
    (
        ["MajorText", "MinorText", "BoroughName", "201801"],
        [["BURGLARY", "X", "Alderby", "1.5"]],
        "row 2, column 201801: expected a whole number of offences (0 or more), found '1.5'",
    ),
    (
        ["MajorText", "MinorText", "BoroughName", "201801", "201802"],
        [["BURGLARY", "X", "Alderby", 1, 2], ["BURGLARY", "Y", "Alderby", 3, -2]],
        "row 3, column 201802: expected a whole number of offences (0 or more), found '-2'",
    ),
    (
        ["MajorText", "MinorText", "BoroughName", "201801"],
        [["BURGLARY", "X", "Alderby", ""]],
        "found a blank",
    ),
    (
        ["MajorText", "MinorText", "BoroughName", "201801", "201801"],
        [["BURGLARY", "X", "Alderby", 1, 1]],
        "month column 201801 appears twice",
    ),
    (
        ["MajorText", "MinorText", "BoroughName", "201813"],
        [["BURGLARY", "X", "Alderby", 1]],
        "column '201813' is not a month",
    ),
    (
        ["MajorText", "MinorText", "BoroughName", "201801"],
        [["BURGLARY", "X", "Alderby", 1], ["BURGLARY", "X", "Alderby", 2]],
        "rows 2 and 3 both hold BURGLARY / X for Alderby",
    ),
]


@pytest.mark.parametrize(("header", "rows", "message"), BAD)
def test_bad_mps_files_change_nothing(store, tmp_path, header, rows, message):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path))
    before = snapshot(store)
    path = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert str(path) in str(error.value)
    assert message in str(error.value)
    assert snapshot(store) == before


def test_unknown_format_is_named(store, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("when,what\n2018,something\n")
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert str(path) in str(error.value)
    assert "unknown format" in str(error.value)
