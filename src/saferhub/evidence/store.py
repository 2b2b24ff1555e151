"""The embedded DuckDB evidence store: schema, location and transactions.

The tables follow the store contract in the design brief: long, tidy tables that every
measure reads, plus `ingests` for provenance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import aggregates
from .db import duckdb
from .errors import EvidenceError
from .location import default_store_path

SCHEMA = """
create sequence if not exists ingest_ids start 1;
create table if not exists ingests (
    id integer primary key,
    file varchar not null,
    sha256 varchar not null,
    kind varchar not null,
    rows bigint not null,
    months varchar[],
    ingested_at timestamp not null,
    notes varchar
);
create table if not exists offences (
    ingest_id integer not null,
    source varchar not null,
    area_type varchar not null,
    area_code varchar,
    area_name varchar not null,
    borough_code varchar,
    borough_name varchar,
    month date not null,
    major varchar not null,
    minor varchar not null,
    count integer not null
);
create table if not exists incidents (
    ingest_id integer not null,
    source varchar not null,
    force varchar,
    month date not null,
    crime_type varchar not null,
    outcome varchar,
    longitude double,
    latitude double,
    lsoa_code varchar,
    lsoa_name varchar,
    ward_code varchar,
    borough_code varchar,
    location varchar,
    crime_id varchar
);
create table if not exists population (
    ingest_id integer not null,
    area_code varchar not null,
    area_name varchar,
    year integer not null,
    age_band varchar not null,
    population bigint not null
);
create table if not exists boundaries (
    ingest_id integer not null,
    area_type varchar not null,
    area_code varchar not null,
    area_name varchar not null,
    parent_code varchar,
    geometry varchar not null
);
"""


def refresh_derived(con: duckdb.DuckDBPyConnection, *, boundaries_changed: bool = False) -> None:
    """Rebuild what is derived from the loaded rows: the LSOA-to-ward table (when boundaries
    changed, or was never built) and the stored aggregates."""
    con.execute(aggregates.META)
    if boundaries_changed or not aggregates.is_current(con):
        has = dict(
            con.execute(
                "select area_type, count(*) from boundaries "
                "where area_type in ('lsoa', 'ward') group by 1"
            ).fetchall()
        )
        if boundaries_changed or (has.get("lsoa") and has.get("ward")):
            from .geo import build_lsoa_wards  # shapely: only when boundaries are involved

            build_lsoa_wards(con)
    aggregates.rebuild(con)


class Store:
    """An open evidence store. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        if read_only and not self.path.exists():
            raise EvidenceError(
                f"no evidence store at {self.path}: load data first with `saferhub ingest PATH`"
            )
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.read_only = read_only
        self.con = self._connect(read_only)
        if not read_only:
            self.con.execute(SCHEMA)
            if not aggregates.is_current(self.con):
                with self.transaction():
                    refresh_derived(self.con)
        elif not aggregates.is_current(self.con):
            self._upgrade_read_only()

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise EvidenceError(f"cannot open evidence store {self.path}: {exc}") from exc

    def _upgrade_read_only(self) -> None:
        """A store written before the stored aggregates (or an older layout of them): build
        them once, in the file when it can be written, else for this session only."""
        self.con.close()
        try:
            with duckdb.connect(str(self.path)) as con:
                con.execute(SCHEMA)
                con.execute("begin transaction")
                refresh_derived(con)
                con.execute("commit")
        except duckdb.Error:
            self.con = self._connect(True)
            aggregates.build_temporary(self.con)
            return
        self.con = self._connect(True)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a failed ingest leaves the store as it was."""
        self.con.execute("begin transaction")
        try:
            yield self.con
        except BaseException:
            self.con.execute("rollback")
            raise
        self.con.execute("commit")

    def loaded_months(self, table: str = "offences") -> list[str]:
        rows = self.con.execute(
            f"select distinct strftime(month, '%Y-%m') from {table} order by 1"
        ).fetchall()
        return [r[0] for r in rows]
