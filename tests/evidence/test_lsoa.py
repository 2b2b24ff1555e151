"""Assessments from the MPS LSOA-level file, against figures worked out by hand below.

The fixture file has the layout of the MPS "LSOA Level Crime (Historical)" file: the ward and
borough historical layout with LSOA Code / LSOA Name, and the borough both as a GSS code and
as a name. Four LSOAs of Alderby (two in each of its wards) and one of Brookfield; months
2017-10..2018-03, so 2018Q1 is compared with 2017Q4.

    LSOA                      burglary (prev, cur)   violence with injury (prev, cur)
    E01900001 Alderby 001A    [1,1,1 | 2,2,2] 3, 6   [3,3,3 | 3,3,3] 9, 9     total 12 -> 15
    E01900002 Alderby 001B    [0,0,0 | 0,0,0] 0, 0   [1,1,1 | 2,2,2] 3, 6     total  3 ->  6
    E01900003 Alderby 002A    [2,2,2 | 1,1,1] 6, 3   [0,0,0 | 0,0,0] 0, 0     total  6 ->  3
    E01900004 Alderby 002B    [1,0,0 | 1,1,1] 1, 3   [2,2,2 | 2,2,1] 6, 5     total  7 ->  8
    Alderby                                  10, 12                 18, 20    total 28 -> 32
    E01900011 Brookfield 001A [0,0,0 | 1,1,1] 0, 3   [5,5,5 | 5,5,5] 15, 15   total 15 -> 18

Alderby North holds 001A and 001B (total 15 -> 21), Alderby South 002A and 002B (13 -> 11).
"""

import pytest

from saferhub.evidence import Evidence, EvidenceError, parse_period
from tests.conftest import ingest, run_cli, snapshot, write_csv, write_geojson
from tests.evidence.fixtures import MONTHS, borough_csv, population_csv

BURGLARY = ("BURGLARY", "RES BURGLARY OF A HOME")
VIOLENCE = ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY")
LSOAS = {
    # code: (name, borough code, borough name, burglary, violence)
    "E01900001": ("Alderby 001A", "E09900001", "Alderby", [1, 1, 1, 2, 2, 2], [3] * 6),
    "E01900002": ("Alderby 001B", "E09900001", "Alderby", [0] * 6, [1, 1, 1, 2, 2, 2]),
    "E01900003": ("Alderby 002A", "E09900001", "Alderby", [2, 2, 2, 1, 1, 1], [0] * 6),
    "E01900004": ("Alderby 002B", "E09900001", "Alderby", [1, 0, 0, 1, 1, 1], [2, 2, 2, 2, 2, 1]),
    "E01900011": ("Brookfield 001A", "E09900002", "Brookfield", [0, 0, 0, 1, 1, 1], [5] * 6),
}
# Two spellings of the historical header: a code column beside a name column.
HEADERS = {
    "code-and-name": ["LSOA Code", "LSOA Name", "BoroughCode", "BoroughName"],
    "borough-holds-codes": ["LSOA Code", "LSOA Name", "Borough", "Borough Name"],
}


def lsoa_rows() -> list[list]:
    rows = []
    for code, (name, b_code, b_name, burglary, violence) in LSOAS.items():
        rows.append([code, name, b_code, b_name, *BURGLARY, *burglary])
        rows.append([code, name, b_code, b_name, *VIOLENCE, *violence])
    return rows


def lsoa_csv(folder, header="code-and-name", rows=None):
    return write_csv(
        folder / "lsoa.csv",
        [*HEADERS[header], "MajorText", "MinorText", *MONTHS],
        lsoa_rows() if rows is None else rows,
    )


def rectangle(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def boundaries(folder):
    """Wards: North is y 0..1, South y 1..2 (x 0..2); each LSOA a unit square inside one."""
    wards = write_geojson(
        folder / "wards.geojson",
        [
            (
                {"WD22CD": "E05900011", "WD22NM": "Alderby North", "LAD22CD": "E09900001"},
                rectangle(0, 0, 2, 1),
            ),
            (
                {"WD22CD": "E05900012", "WD22NM": "Alderby South", "LAD22CD": "E09900001"},
                rectangle(0, 1, 2, 2),
            ),
        ],
    )
    corners = {"E01900001": (0, 0), "E01900002": (1, 0), "E01900003": (0, 1), "E01900004": (1, 1)}
    lsoas = write_geojson(
        folder / "lsoas.geojson",
        [
            ({"LSOA21CD": code, "LSOA21NM": LSOAS[code][0]}, rectangle(x, y, x + 1, y + 1))
            for code, (x, y) in corners.items()
        ],
    )
    return wards, lsoas


def category(result, key):
    return next(c for c in result["categories"] if c["key"] == key)


def by_code(rows):
    return {r["code"]: r for r in rows}


@pytest.mark.parametrize("header", sorted(HEADERS))
def test_borough_from_the_lsoa_file_alone_is_the_lsoa_sum(store, tmp_path, header):
    ingest(store, population_csv(tmp_path), lsoa_csv(tmp_path, header))
    a = Evidence(store).assess(area="Alderby", period="2018Q1", compare=["Brookfield"])
    assert a["borough_level_source"] == "MPS LSOA-level data"
    total = category(a, "total")
    assert (total["count"], total["previous"], total["change"]) == (32, 28, 4)
    assert total["rate"] == 3.2  # 32 per 10,000 residents
    assert (category(a, "burglary")["count"], category(a, "burglary")["previous"]) == (12, 10)
    assert category(a, "violence_with_injury")["count"] == 20
    # The file holds two of the three boroughs with a population: London is those two
    # (50 offences, 30,000 residents), named so, and nothing is ranked against it.
    assert (total["london_rank_by_count"], total["london_rank_by_rate"]) == (None, None)
    rows = {c["name"]: c["categories"]["total"] for c in a["comparators"]}
    assert (rows["Brookfield"]["count"], rows["Brookfield"]["previous"]) == (18, 15)
    london = rows["London (2 of 3 boroughs loaded)"]
    assert (london["count"], london["previous"], london["rate"]) == (50, 43, 1.67)
    # Jan: burglary 2+0+1+1, violence 3+2+0+2; Feb the same; Mar violence 3+2+0+1.
    assert [m["count"] for m in total["monthly"]] == [11, 11, 10]
    assert a["wards"] == []  # no boundaries loaded: no ward table


def test_lsoa_table_and_highlights(store, tmp_path):
    ingest(store, population_csv(tmp_path), lsoa_csv(tmp_path))
    a = Evidence(store).assess(area="Alderby", period="2018Q1")
    lsoas = by_code(a["lsoas"])
    assert sorted(lsoas) == ["E01900001", "E01900002", "E01900003", "E01900004"]
    totals = {
        c: (r["categories"]["total"]["count"], r["categories"]["total"]["change"])
        for c, r in lsoas.items()
    }
    assert totals == {
        "E01900001": (15, 3),
        "E01900002": (6, 3),
        "E01900003": (3, -3),
        "E01900004": (8, 1),
    }
    assert sum(count for count, _ in totals.values()) == category(a, "total")["count"]
    marks = a["lsoa_highlights"]["total"]
    assert marks["highest"] == ["E01900001", "E01900004", "E01900002", "E01900003"]
    assert marks["rises"] == ["E01900001", "E01900002", "E01900004"]  # ties by name
    assert marks["falls"] == ["E01900003"]
    assert lsoas["E01900001"]["name"] == "Alderby 001A"
    assert lsoas["E01900001"]["categories"]["total"]["rank_by_count"] == 4


def test_ward_table_from_lsoas_placed_by_boundaries(store, tmp_path):
    wards, lsoas = boundaries(tmp_path)
    ingest(store, population_csv(tmp_path), lsoa_csv(tmp_path), wards, lsoas)
    a = Evidence(store).assess(area="Alderby", period="2018Q1")
    got = {
        w["code"]: (
            w["name"],
            w["categories"]["total"]["count"],
            w["categories"]["total"]["previous"],
        )
        for w in a["wards"]
    }
    assert got == {
        "E05900011": ("Alderby North", 21, 15),
        "E05900012": ("Alderby South", 11, 13),
    }
    assert any("ward figures are its LSOA-level counts" in n for n in a["notes"])
    # A ward of an LSOA-only borough is an area of its own.
    ward = Evidence(store).assess(area="Alderby North", period="2018Q1")
    assert (category(ward, "total")["count"], category(ward, "total")["previous"]) == (21, 15)


def test_boundaries_loaded_first_give_the_same_wards(store, tmp_path):
    wards, lsoas = boundaries(tmp_path)
    ingest(store, wards, lsoas, population_csv(tmp_path), lsoa_csv(tmp_path))
    a = Evidence(store).assess(area="Alderby", period="2018Q1")
    assert [w["categories"]["total"]["count"] for w in a["wards"]] == [21, 11]


def test_borough_file_stays_the_source_when_lsoa_file_is_loaded_too(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path), lsoa_csv(tmp_path))
    a = Evidence(store).assess(area="Alderby", period="2018Q1", compare=["Brookfield"])
    assert a["borough_level_source"] == "MPS borough-level data"
    total = category(a, "total")
    # The borough file's figures (see test_cli), not 49 + 32 and not the LSOA sum.
    assert (total["count"], total["previous"]) == (49, 44)
    london = next(c for c in a["comparators"] if c["type"] == "force")
    # Every row of the borough file: Alderby 49, Brookfield 93, Carrow 15, Unknown 27.
    assert london["categories"]["total"]["count"] == 184
    counts, _ = Evidence(store).counts(area="Alderby", period=parse_period("2018Q1"))
    assert counts["total"] == 49  # an indicator's period counts by the same rule
    assert by_code(a["lsoas"])["E01900001"]["categories"]["total"]["count"] == 15


def test_lsoa_file_with_a_borough_code_missing_names_file_row_and_column(store, tmp_path):
    ingest(store, population_csv(tmp_path))
    before = snapshot(store)
    rows = lsoa_rows()
    rows[2][2] = ""  # third data row: E01900002's burglary, no borough code
    path = lsoa_csv(tmp_path, rows=rows)
    with pytest.raises(EvidenceError) as error:
        ingest(store, path)
    assert str(error.value) == (
        f"{path}: row 4, column 'BoroughCode': blank borough code; "
        "expected a GSS code such as E09000015"
    )
    assert snapshot(store) == before


def test_cli_assesses_a_borough_from_the_lsoa_file(tmp_path):
    store = tmp_path / "cli.duckdb"
    loaded = run_cli(store, "ingest", str(population_csv(tmp_path)), str(lsoa_csv(tmp_path)))
    assert loaded.returncode == 0, loaded.stderr
    table = run_cli(store, "assess", "--area", "Alderby", "--period", "2018Q1")
    assert table.returncode == 0, table.stderr
    assert "LSOAs (4): Total recorded crime" in table.stdout
    assert "  Highest: Alderby 001A 15 (+3), Alderby 002B 8 (+1)" in table.stdout
    assert "  Biggest rises: Alderby 001A 15 (+3), Alderby 001B 6 (+3), Alderby 002B 8 (+1)" in (
        table.stdout
    )
    as_csv = run_cli(store, "assess", "--area", "Alderby", "--period", "2018Q1", "--format", "csv")
    lsoa_total = [line for line in as_csv.stdout.splitlines() if line.startswith("lsoa,E01900001,")]
    assert lsoa_total and lsoa_total[0].startswith("lsoa,E01900001,Alderby 001A,total,15,12,3,")


def test_lsoa_listed_under_two_boroughs_is_reported_and_counted_once(store, tmp_path):
    """Alderby 001B's two rows listed again under Brookfield, ahead of its Alderby rows:
    it stays in Alderby (its name begins with it), and Brookfield is not 18 + 6 = 24."""
    rows = lsoa_rows()
    copies = [["E01900002", "Alderby 001B", "E09900002", "Brookfield", *r[4:]] for r in rows[2:4]]
    path = lsoa_csv(tmp_path, rows=[*rows[:2], *copies, *rows[2:]])
    (result,) = ingest(store, population_csv(tmp_path), path)[1:]
    assert (
        "warning: LSOA E01900002 (Alderby 001B) is listed under two boroughs, Brookfield and "
        "Alderby: counted in Alderby only (its name begins with it); left out: 2 rows under "
        "Brookfield from row 4"
    ) in result.notes
    assert result.rows == 10
    a = Evidence(store).assess(area="Alderby", period="2018Q1", compare=["Brookfield"])
    rows_by_name = {c["name"]: c["categories"]["total"] for c in a["comparators"]}
    assert (rows_by_name["Alderby"]["count"], rows_by_name["Alderby"]["previous"]) == (32, 28)
    assert (rows_by_name["Brookfield"]["count"], rows_by_name["Brookfield"]["previous"]) == (18, 15)
    assert rows_by_name["London (2 of 3 boroughs loaded)"]["count"] == 50
    assert sorted(by_code(a["lsoas"])) == ["E01900001", "E01900002", "E01900003", "E01900004"]
    brookfield = Evidence(store).assess(area="Brookfield", period="2018Q1")
    assert [r["code"] for r in brookfield["lsoas"]] == ["E01900011"]


def test_lsoa_in_two_boroughs_without_a_telling_name_stays_where_first_listed(tmp_path):
    rows = lsoa_rows()
    for row in rows[2:4]:
        row[1] = "Riverside 9Z"  # a name that begins with neither borough
    copies = [[*r[:2], "E09900002", "Brookfield", *r[4:]] for r in rows[2:4]]
    path = lsoa_csv(tmp_path, rows=[*rows, *copies])
    store = tmp_path / "cli.duckdb"
    loaded = run_cli(store, "ingest", str(population_csv(tmp_path)), str(path))
    assert loaded.returncode == 0, loaded.stderr
    assert (
        "  warning: LSOA E01900002 (Riverside 9Z) is listed under two boroughs, Alderby and "
        "Brookfield: counted in Alderby only (it is listed there first); left out: 2 rows "
        "under Brookfield from row 12"
    ) in loaded.stdout.splitlines()
    table = run_cli(store, "assess", "--area", "Brookfield", "--period", "2018Q1")
    assert "LSOAs (1): Total recorded crime" in table.stdout
