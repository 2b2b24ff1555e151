"""Shared fixtures: a fresh store per test, fixture-file writers, the published data."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from saferhub.evidence import Store, load_taxonomy
from saferhub.evidence.ingest import ingest_paths

SHARED_DATA = Path(
    os.environ.get("SAFERHUB_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


# The instant the site's tests run at. Tests that read "today", "now", the current quarter or
# an as-at date freeze the clock here (the clock still ticks from it), so the suite gives the
# same result on any day it is run: see `frozen_clock`.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock():
    """The clock moved to `NOW` for one test, ticking from there."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _workers_keep_the_test_connection(monkeypatch):
    """The database job worker closes "old" connections as it wakes, as a long-running worker
    should; inside a test's transaction that would close the test's own connection (on
    PostgreSQL; SQLite's in-memory test database is never closed). Django's test client
    disconnects close_old_connections from its request signals for the same reason."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda **kwargs: None)


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings, tmp_path: Path):
    """A test's audit checkpoints go to its own folder, never beside a real database."""
    settings.AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints"


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store.duckdb") as opened:
        yield opened


@pytest.fixture
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "mps").is_dir():
        pytest.skip(f"published data not found at {SHARED_DATA} (set SAFERHUB_DATA to run)")
    return SHARED_DATA


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_geojson(path: Path, features: list[tuple[dict, list]]) -> Path:
    """features: (properties, polygon ring [[lon, lat], ...])."""
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": props,
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                    for props, ring in features
                ],
            }
        )
    )
    return path


def square(x: float, y: float, size: float = 1.0) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def ingest(store: Store, *paths: Path, taxonomy=None) -> list:
    return list(ingest_paths(store, list(paths), taxonomy or load_taxonomy()))


def snapshot(store: Store) -> dict[str, int]:
    """Row counts of every table: what a failed ingest must leave unchanged."""
    return {
        table: store.con.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("ingests", "offences", "incidents", "population", "boundaries")
    }


@pytest.fixture(scope="session")
def real(tmp_path_factory, shared_data):
    """The published London data loaded once per test run: (data, store, evidence, results)."""
    from saferhub.evidence import Evidence

    folder = tmp_path_factory.mktemp("real")
    store = Store(folder / "real.duckdb")
    results = ingest(
        store,
        shared_data / "population" / "london-borough-population.csv",
        shared_data / "boundaries" / "london-boroughs.geojson",
        shared_data / "boundaries" / "london-wards-2022-bgc.geojson",
        shared_data / "mps" / "recorded-crime-borough-historical.csv",
        shared_data / "mps" / "recorded-crime-ward-historical.parquet",
        shared_data / "policeuk" / "metropolitan-burglary-2018.zip",
    )
    yield shared_data, store, Evidence(store), results
    store.close()


def run_cli(store, *args):
    """The `saferhub` command as a user runs it, in its own process, against `store`."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "--store", str(store), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SAFERHUB_STORE": ""},
    )
