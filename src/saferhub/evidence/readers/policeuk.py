"""data.police.uk street-level CSVs: loose files, archive-layout folders and zip archives.

Records keep their snapped coordinates and LSOA; the ward and borough are assigned by point
in polygon (see geo.py). Records without coordinates are kept, counted and reported.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import duckdb

from ..errors import EvidenceError
from ..formats import POLICEUK_HEADER, STREET_CSV, read_csv_header
from ..geo import assign_incidents
from ..taxonomy import Taxonomy
from . import Staged


def folder_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.csv") if STREET_CSV.search(p.as_posix()))


@contextmanager
def zip_files(path: Path) -> Iterator[list[Path]]:
    """Extract the street CSVs of a police.uk archive to a temporary folder."""
    with TemporaryDirectory(prefix="saferhub-") as tmp, zipfile.ZipFile(path) as archive:
        members = sorted(n for n in archive.namelist() if STREET_CSV.search(n))
        for member in members:
            archive.extract(member, tmp)
        yield [Path(tmp) / m for m in members]


def stage(
    con: duckdb.DuckDBPyConnection, files: list[Path], label: str, taxonomy: Taxonomy
) -> Staged:
    for file in files:
        header = [h.strip() for h in read_csv_header(file)]
        if header != POLICEUK_HEADER:
            raise EvidenceError(
                f"{label}: {file.name}: header is not the police.uk street-level header "
                f"({', '.join(POLICEUK_HEADER)}); found {', '.join(header)}"
            )
    names = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    try:
        con.execute(
            f"""create or replace temp table pu_raw as
                select row_number() over (partition by filename) + 1 as _row,
                       parse_filename(filename) as _file, *
                from read_csv([{names}], header = true, all_varchar = true, delim = ',',
                              quote = '"', filename = true, strict_mode = true)"""
        )
    except duckdb.Error as exc:
        raise EvidenceError(f"{label}: cannot read as police.uk street-level CSV: {exc}") from exc
    checks = (
        (
            "Month",
            "not regexp_full_match(coalesce(\"Month\", ''), '\\d{4}-(0[1-9]|1[0-2])')",
            "a month YYYY-MM",
        ),
        ("Crime type", "coalesce(trim(\"Crime type\"), '') = ''", "a crime type"),
        (
            "Longitude",
            '"Longitude" <> \'\' and (try_cast("Longitude" as double) is null or '
            'abs(try_cast("Longitude" as double)) > 180)',
            "a longitude",
        ),
        (
            "Latitude",
            '"Latitude" <> \'\' and (try_cast("Latitude" as double) is null or '
            'abs(try_cast("Latitude" as double)) > 90)',
            "a latitude",
        ),
    )
    for column, condition, expected in checks:
        bad = con.execute(
            f'select _file, _row, "{column}" from pu_raw where {condition} '
            "order by _file, _row limit 1"
        ).fetchone()
        if bad:
            raise EvidenceError(
                f"{label}: {bad[0]} row {bad[1]}, column {column}: expected {expected}, "
                f"found {bad[2]!r}"
            )
    con.execute(
        """create or replace temp table staged_incidents as
           select 'policeuk' as source, nullif(trim("Falls within"), '') as force,
                  cast("Month" || '-01' as date) as month, trim("Crime type") as crime_type,
                  nullif(trim("Last outcome category"), '') as outcome,
                  try_cast("Longitude" as double) as longitude,
                  try_cast("Latitude" as double) as latitude,
                  nullif(trim("LSOA code"), '') as lsoa_code,
                  nullif(trim("LSOA name"), '') as lsoa_name,
                  cast(null as varchar) as ward_code, cast(null as varchar) as borough_code,
                  nullif(trim("Location"), '') as location, nullif(trim("Crime ID"), '') as crime_id
           from pu_raw"""
    )
    assign_incidents(con, "staged_incidents")
    rows, no_coords, unplaced, months, types = con.execute(
        """select count(*), count(*) filter (where longitude is null or latitude is null),
                  count(*) filter (where longitude is not null and latitude is not null
                                   and borough_code is null),
                  list(distinct strftime(month, '%Y-%m') order by strftime(month, '%Y-%m')),
                  list(distinct crime_type order by crime_type)
           from staged_incidents"""
    ).fetchone()
    notes = [f"{rows} records; {no_coords} without coordinates (kept, counted, not mapped)"]
    if not con.execute(
        "select count(*) from boundaries where area_type in ('ward', 'borough')"
    ).fetchone()[0]:
        notes.append(
            "no ward or borough boundaries loaded yet: records are placed in wards "
            "when boundaries are loaded"
        )
    elif unplaced:
        notes.append(f"{unplaced} records fall outside every loaded ward and borough boundary")
    unmapped = taxonomy.unmapped_policeuk(types or [])
    if unmapped:
        notes.append(f"crime types in no partnership category: {', '.join(unmapped)}")
    return Staged(
        kind="policeuk",
        table="incidents",
        rows=rows,
        months=months or [],
        notes=notes,
        replace_on=("source", "force", "month"),
    )
