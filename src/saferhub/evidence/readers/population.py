"""Population: the GLA/ONS borough file and a simple `area_code,year,population[,age_band]` CSV.

Rates need a population for the right year and, for youth measures, the right age band; both
files land in one long table keyed by area, year and age band ("all" when not given).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import EvidenceError
from ..formats import read_csv_header
from ..names import header_key
from . import Staged
from .mps import q

COLUMNS = {
    "population-gla": {
        "area_code": "code",
        "area_name": "name",
        "year": "year",
        "population": "population",
    },
    "population-simple": {
        "area_code": "areacode",
        "area_name": "areaname",
        "year": "year",
        "population": "population",
        "age_band": "ageband",
    },
}
REQUIRED = ("area_code", "year", "population")


def stage(con: duckdb.DuckDBPyConnection, path: Path, kind: str) -> Staged:
    header = read_csv_header(path)
    by_key = {header_key(h): h for h in header}
    cols = {role: by_key[key] for role, key in COLUMNS[kind].items() if key in by_key}
    missing = [r for r in REQUIRED if r not in cols]
    if missing:
        raise EvidenceError(f"{path}: missing column(s) {', '.join(missing)}")
    literal = "'" + str(path).replace("'", "''") + "'"
    pick = ", ".join(f"trim({q(col)}) as {role}" for role, col in cols.items())
    try:
        con.execute(
            f"""create or replace temp table pop_raw as
                select row_number() over () + 1 as _row, {pick}
                from read_csv({literal}, header = true, all_varchar = true, delim = ',',
                              strict_mode = true)"""
        )
    except duckdb.Error as exc:
        raise EvidenceError(f"{path}: cannot read as a population CSV: {exc}") from exc
    age = "coalesce(nullif(age_band, ''), 'all')" if "age_band" in cols else "'all'"
    name = "nullif(area_name, '')" if "area_name" in cols else "null"
    for column, check, expected in (
        ("area_code", "coalesce(area_code, '') = ''", "an area code"),
        (
            "year",
            "try_cast(year as integer) is null or try_cast(year as integer) not between "
            "1800 and 2200",
            "a year such as 2018",
        ),
        (
            "population",
            # Digits only (a whole number written "21400.0" by a spreadsheet is one): a
            # negative, fractional, exponent or hex value is refused, never rounded.
            "not regexp_full_match(coalesce(population, ''), '[0-9]+(\\.0+)?') "
            "or try_cast(population as bigint) is null",
            "a whole number of people, 0 or more",
        ),
    ):
        bad = con.execute(
            f"select _row, {column} from pop_raw where {check} order by _row limit 1"
        ).fetchone()
        if bad:
            raise EvidenceError(
                f"{path}: row {bad[0]}, column {cols[column]}: expected {expected}, "
                f"found {bad[1]!r}"
            )
    con.execute(
        f"""create or replace temp table staged_population as
            select upper(area_code) as area_code, {name} as area_name,
                   cast(year as integer) as year, {age} as age_band,
                   cast(population as bigint) as population, _row
            from pop_raw"""
    )
    dup = con.execute(
        """select min(_row), max(_row), area_code, year, age_band from staged_population
           group by area_code, year, age_band having count(*) > 1 order by 1 limit 1"""
    ).fetchone()
    if dup:
        raise EvidenceError(
            f"{path}: rows {dup[0]} and {dup[1]} both give the population of {dup[2]} "
            f"in {dup[3]} (age band {dup[4]})"
        )
    con.execute("alter table staged_population drop column _row")
    rows, years = con.execute(
        "select count(*), list(distinct year order by year) from staged_population"
    ).fetchone()
    return Staged(
        kind=kind,
        table="population",
        rows=rows,
        notes=[f"years {years[0]}–{years[-1]}"] if years else [],
        replace_on=("area_code", "year", "age_band"),
    )
