"""Signed-in users, a small loaded evidence store (tests/reports/conftest.load) and the
worker run here and now: the database queue's own worker, in batch mode."""

from __future__ import annotations

import pytest

from saferhub.jobs import worker
from tests.reports.conftest import load
from tests.web import conftest as web

agency, make_user, signed_in = web.agency, web.make_user, web.signed_in


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Jobs are dated, and files expire 24 hours on: the tests' clock starts at NOW."""


@pytest.fixture
def store(tmp_path, monkeypatch):
    load(tmp_path).close()
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "store.duckdb"))
    return tmp_path / "store.duckdb"


@pytest.fixture
def run_worker():
    """Run every waiting job with the configured queue's real worker; how many ran."""
    return lambda: worker.run(batch=True, interval=0)
