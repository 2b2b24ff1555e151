"""Stored aggregates: the small tables every assessment reads, built once at ingest.

They are a pure function of what is loaded (`offences`, `incidents`, `boundaries`), so they
are rebuilt inside the transaction of every ingest, and on opening a store built before them
(or by an older layout of them: `evidence_meta` holds the version). Keeping them in the
store, not in temporary tables built on every open, is what lets `saferhub assess` answer in
a fraction of a second. They keep the source categories (major, minor), not partnership
categories, so they do not depend on the taxonomy an assessment is run with.

- `agg_boroughs(level, borough_code, major, minor, month, count)`: every level's rows summed
  by borough (level = the file's area type: borough, ward or lsoa). Rows whose borough is not
  a borough (airports, "Unknown") keep a null code: they count in the force total only.
- `agg_small(area_type, borough_code, area_code, major, minor, month, count)`: ward and LSOA
  rows, plus `lsoa-ward` rows (LSOA rows summed into the ward holding each LSOA, from
  `lsoa_wards`), sorted by borough so one borough's rows are read alone.
- `agg_areas(area_type, area_code, area_name, borough_code)`: boroughs, wards (from ward rows,
  or from `lsoa_wards` for boroughs loaded at LSOA level) and LSOAs.
- `agg_months(level, month)`, `agg_categories(major, minor)`: what is loaded.
- `agg_incidents(month, crime_type, borough_code, ward_code, lsoa_code, count)`: police.uk
  records counted per place and month.

`lsoa_wards(lsoa_code, ward_code, ward_name, borough_code)` is derived from the LSOA and ward
boundaries (see `geo.lsoa_wards`) when boundaries are loaded; it is empty without both.
"""

from __future__ import annotations

from .db import duckdb

VERSION = "2"

META = """
create table if not exists evidence_meta (key varchar primary key, value varchar);
create table if not exists lsoa_wards (
    lsoa_code varchar primary key,
    ward_code varchar not null,
    ward_name varchar,
    borough_code varchar
);
"""

TABLES = (
    "agg_boroughs",
    "agg_small",
    "agg_areas",
    "agg_months",
    "agg_categories",
    "agg_incidents",
)


def _statements(kind: str) -> list[str]:
    # Boroughs that have ward-level rows take their ward table from them, never from LSOAs.
    return [
        f"""create or replace {kind} agg_boroughs as
            select area_type as level, borough_code, major, minor, month,
                   cast(sum(count) as bigint) as count
            from offences group by all order by month, level, borough_code""",
        f"""create or replace {kind} agg_small as
            select area_type, borough_code, area_code, major, minor, month,
                   cast(sum(count) as bigint) as count
            from offences where area_type in ('ward', 'lsoa') and borough_code is not null
            group by all
            union all
            select 'lsoa-ward', o.borough_code, w.ward_code, o.major, o.minor, o.month,
                   cast(sum(o.count) as bigint)
            from offences o join lsoa_wards w on w.lsoa_code = o.area_code
            where o.area_type = 'lsoa' and o.borough_code is not null
            group by all
            order by borough_code, area_type, month""",
        f"""create or replace {kind} agg_areas as
            select distinct 'borough' as area_type, borough_code as area_code,
                   borough_name as area_name, borough_code
            from offences where borough_code is not null
            union
            select distinct area_type, area_code, area_name, borough_code
            from offences where area_type in ('ward', 'lsoa') and borough_code is not null
            union
            select distinct 'lsoa-ward', w.ward_code, coalesce(w.ward_name, w.ward_code),
                   o.borough_code
            from offences o join lsoa_wards w on w.lsoa_code = o.area_code
            where o.area_type = 'lsoa' and o.borough_code is not null
            order by 1, 4, 3""",
        f"""create or replace {kind} agg_months as
            select distinct area_type as level, month from offences order by 1, 2""",
        f"""create or replace {kind} agg_categories as
            select distinct major, minor from offences order by 1, 2""",
        f"""create or replace {kind} agg_incidents as
            select month, crime_type, borough_code, ward_code, lsoa_code,
                   cast(count(*) as bigint) as count
            from incidents group by all order by month, borough_code""",
    ]


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every stored aggregate from the loaded rows (call inside the ingest's
    transaction, so the aggregates and the rows they summarise commit together)."""
    con.execute(META)
    for statement in _statements("table"):
        con.execute(statement)
    con.execute("insert or replace into evidence_meta values ('aggregates_version', ?)", [VERSION])


def build_temporary(con: duckdb.DuckDBPyConnection) -> None:
    """The same tables as temporary ones, for a store that is old and cannot be written
    (opened read-only by another process, or on read-only media)."""
    try:
        con.execute("select 1 from lsoa_wards limit 0")
    except duckdb.CatalogException:
        con.execute(
            "create temp table lsoa_wards (lsoa_code varchar, ward_code varchar, "
            "ward_name varchar, borough_code varchar)"
        )
    for statement in _statements("temp table"):
        con.execute(statement)


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        row = con.execute(
            "select value from evidence_meta where key = 'aggregates_version'"
        ).fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row) and row[0] == VERSION
