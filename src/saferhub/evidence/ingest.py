"""Loading files into the evidence store: one transaction per file, idempotent, with provenance.

A file whose bytes were loaded before changes nothing. A file covering months (or areas,
years) already loaded replaces those rows and says which earlier file it replaced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import EvidenceError
from .formats import detect
from .gazetteer import Gazetteer
from .readers import Staged
from .store import Store, refresh_derived
from .taxonomy import Taxonomy

COLUMNS = {
    "offences": (
        "source",
        "area_type",
        "area_code",
        "area_name",
        "borough_code",
        "borough_name",
        "month",
        "major",
        "minor",
        "count",
    ),
    "incidents": (
        "source",
        "force",
        "month",
        "crime_type",
        "outcome",
        "longitude",
        "latitude",
        "lsoa_code",
        "lsoa_name",
        "ward_code",
        "borough_code",
        "location",
        "crime_id",
    ),
    "population": ("area_code", "area_name", "year", "age_band", "population"),
    "boundaries": ("area_type", "area_code", "area_name", "parent_code", "geometry"),
}


@dataclass
class IngestResult:
    file: str
    kind: str
    status: str  # "loaded" or "unchanged"
    rows: int = 0
    months: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        span = f", months {self.months[0]}..{self.months[-1]}" if self.months else ""
        if self.status == "unchanged":
            return f"{self.file}: already loaded (same sha256); nothing changed"
        return f"{self.file}: loaded {self.rows} rows as {self.kind}{span}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand(path: Path) -> list[tuple[Path, str]]:
    """The files an argument stands for, each with its detected kind."""
    from .readers import policeuk

    kind = detect(path)
    if kind == "policeuk-folder":
        return [(f, "policeuk") for f in policeuk.folder_files(path)]
    return [(path, kind)]


def _stage(store: Store, path: Path, kind: str, taxonomy: Taxonomy) -> Staged:
    # Readers pull in numpy and shapely; `provenance` (read by every report) needs neither.
    from .readers import boundaries, mps, policeuk, population

    con = store.con
    if kind == "mps":
        staged = mps.stage(con, path)
        pairs = con.execute("select distinct major, minor from staged_offences order by 1, 2")
        unmapped = taxonomy.unmapped_mps(pairs.fetchall())
        if unmapped:
            staged.notes.append(
                "categories in no partnership category (counted in total only): "
                + "; ".join(f"{a} / {b}" for a, b in unmapped)
            )
        unresolved = con.execute(
            "select list(distinct borough_name order by borough_name) from staged_offences "
            "where borough_code is null"
        ).fetchone()[0]
        if unresolved:
            staged.notes.append(
                "areas that are not boroughs (counted in the force total, never ranked): "
                + ", ".join(unresolved)
            )
        return staged
    if kind in ("population-gla", "population-simple"):
        return population.stage(con, path, kind)
    if kind == "geojson":
        return boundaries.stage(con, path)
    if kind == "policeuk":
        return policeuk.stage(con, [path], str(path), taxonomy)
    if kind == "policeuk-zip":
        with policeuk.zip_files(path) as files:
            return policeuk.stage(con, files, str(path), taxonomy)
    raise EvidenceError(f"{path}: no reader for {kind}")


def _replace(store: Store, staged: Staged) -> list[str]:
    """Delete rows the staged file supersedes; describe what was replaced."""
    con = store.con
    table, keys = staged.table, staged.replace_on
    match = " and ".join(f"s.{k} is not distinct from t.{k}" for k in keys)
    where = (
        f"exists (select 1 from (select distinct {', '.join(keys)} from staged_{table}) s "
        f"where {match})"
    )
    replaced = con.execute(
        f"""select i.file, strftime(i.ingested_at, '%Y-%m-%d %H:%M'), count(*)
            from {table} t join ingests i on i.id = t.ingest_id
            where {where} group by all order by 2"""
    ).fetchall()
    con.execute(f"delete from {table} t where {where}")
    return [f"replaces {n} rows loaded from {file} at {when}" for file, when, n in replaced]


def _resolve_boroughs(store: Store) -> None:
    """Give codes to boroughs loaded by name before a file that names them was loaded."""
    con = store.con
    names = [
        r[0]
        for r in con.execute(
            "select distinct borough_name from offences where borough_code is null"
        ).fetchall()
    ]
    if not names:
        return
    gazetteer = Gazetteer.load(con)
    gazetteer.register_lookup(con, names)
    con.execute(
        """update offences o set borough_code = g.code, borough_name = g.name,
               area_code = case when o.area_type = 'borough' then g.code else o.area_code end,
               area_name = case when o.area_type = 'borough' then g.name else o.area_name end
           from borough_lookup g
           where o.borough_code is null and o.borough_name = g.value and g.code is not null"""
    )


def ingest_file(store: Store, path: Path, kind: str, taxonomy: Taxonomy) -> IngestResult:
    digest = sha256_of(path)
    already = store.con.execute(
        "select count(*) from ingests where sha256 = ?", [digest]
    ).fetchone()[0]
    if already:
        return IngestResult(file=str(path), kind=kind, status="unchanged")
    with store.transaction() as con:
        staged = _stage(store, path, kind, taxonomy)
        staged.notes.extend(_replace(store, staged))
        ingest_id = con.execute("select nextval('ingest_ids')").fetchone()[0]
        con.execute(
            "insert into ingests values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ingest_id,
                str(path.resolve()),
                digest,
                staged.kind,
                staged.rows,
                staged.months,
                datetime.now(UTC).replace(tzinfo=None),
                "\n".join(staged.notes) or None,
            ],
        )
        cols = ", ".join(COLUMNS[staged.table])
        con.execute(
            f"insert into {staged.table} (ingest_id, {cols}) "
            f"select {ingest_id}, {cols} from staged_{staged.table}"
        )
        if staged.table == "boundaries":
            from .geo import assign_incidents  # numpy and shapely: only for boundaries

            # Records loaded before these boundaries get their wards now.
            assign_incidents(con, "incidents")
        if staged.table in ("boundaries", "population"):
            _resolve_boroughs(store)
        # The stored aggregates commit with the rows they summarise, or not at all.
        refresh_derived(con, boundaries_changed=staged.table == "boundaries")
    return IngestResult(
        file=str(path),
        kind=staged.kind,
        status="loaded",
        rows=staged.rows,
        months=staged.months,
        notes=staged.notes,
    )


def ingest_paths(store: Store, paths: list[Path], taxonomy: Taxonomy, progress=None):
    """Ingest every file the paths stand for, yielding a result per file.

    Each file commits on its own; the first bad file stops the run with an EvidenceError
    and leaves the store as the files before it left it.
    """
    files = [item for path in paths for item in expand(path)]
    iterator = progress(files) if progress else files
    for path, kind in iterator:
        yield ingest_file(store, path, kind, taxonomy)


def provenance(store: Store) -> list[dict]:
    """Every load, newest first: what the data and definitions sections of reports cite."""
    rows = store.con.execute(
        """select id, file, sha256, kind, rows, months, ingested_at, notes from ingests
           order by id desc"""
    ).fetchall()
    keys = ("id", "file", "sha256", "kind", "rows", "months", "ingested_at", "notes")
    return [dict(zip(keys, r, strict=True)) for r in rows]
