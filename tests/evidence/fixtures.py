"""Small hand-made inputs in the publishers' layouts, with figures simple enough to check
by hand. Boroughs are fictional (codes E099000xx) and named in the population file."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_csv

BOROUGHS = {"E09900001": "Alderby", "E09900002": "Brookfield", "E09900003": "Carrow"}
MONTHS = ["201710", "201711", "201712", "201801", "201802", "201803"]

# (major, minor, borough) -> counts for MONTHS
BOROUGH_ROWS = {
    ("BURGLARY", "RES BURGLARY OF A HOME", "Alderby"): [3, 4, 5, 6, 7, 8],
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", "Alderby"): [1, 0, 1, 0, 1, 0],
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", "Alderby"): [10, 10, 10, 9, 9, 9],
    ("BURGLARY", "RES BURGLARY OF A HOME", "Brookfield"): [1, 1, 1, 1, 1, 1],
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", "Brookfield"): [0, 0, 0, 0, 0, 0],
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", "Brookfield"): [20, 20, 20, 30, 30, 30],
    ("BURGLARY", "RES BURGLARY OF A HOME", "Carrow"): [5, 5, 5, 2, 2, 2],
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", "Carrow"): [2, 2, 2, 2, 2, 2],
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", "Carrow"): [1, 1, 1, 1, 1, 1],
    ("BURGLARY", "RES BURGLARY OF A HOME", "Unknown"): [9, 9, 9, 9, 9, 9],
}
# Alderby's two wards split its rows exactly.
WARDS = {"E05900011": "Alderby North", "E05900012": "Alderby South"}
WARD_SHARE = {"E05900011": [2, 3, 4, 5, 5, 6], "E05900012": None}  # None = the rest
POPULATION = {
    "E09900001": 10_000,
    "E09900002": 20_000,
    "E09900003": 5_000,
    "E12000007": 100_000,
    "E05900011": 4_000,
    "E05900012": 6_000,
}


def population_csv(folder: Path, years=(2017, 2018)) -> Path:
    names = {**BOROUGHS, "E12000007": "London", **WARDS}
    rows = [[code, names[code], year, pop] for year in years for code, pop in POPULATION.items()]
    return write_csv(
        folder / "population.csv", ["area_code", "area_name", "year", "population"], rows
    )


def borough_csv(
    folder: Path,
    name="borough.csv",
    header=("MajorText", "MinorText", "BoroughName"),
    rows=None,
    months=MONTHS,
) -> Path:
    rows = BOROUGH_ROWS if rows is None else rows
    return write_csv(
        folder / name,
        [*header, *months],
        [[major, minor, borough, *counts] for (major, minor, borough), counts in rows.items()],
    )


def ward_rows() -> list[list]:
    rows = []
    for (major, minor, borough), counts in BOROUGH_ROWS.items():
        if borough != "Alderby":
            continue
        north = [min(c, s) for c, s in zip(counts, WARD_SHARE["E05900011"], strict=True)]
        south = [c - n for c, n in zip(counts, north, strict=True)]
        rows.append(["Alderby North", "E05900011", major, minor, borough, *north])
        rows.append(["Alderby South", "E05900012", major, minor, borough, *south])
    return rows


def ward_csv(folder: Path) -> Path:
    return write_csv(
        folder / "ward.csv",
        ["WardName", "WardCode", "MajorText", "MinorText", "LookUp_BoroughName", *MONTHS],
        ward_rows(),
    )
