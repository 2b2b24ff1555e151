"""The synthetic demo area loaded once (boroughs, wards, boundaries, populations; no police.uk
records, for speed), and the partnership setting made as the site makes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferhub.evidence import Evidence, Store
from saferhub.evidence.synthetic import write_demo
from saferhub.partnership.areas import check
from saferhub.partnership.services import set_area
from tests.conftest import ingest


def demo_store(folder: Path) -> Path:
    """Northbrook, Eastmere, Southvale and Westford (fictional), 2021–2023."""
    data = folder / "demo"
    ingest_paths = [p for p in write_demo(data) if p.parent == data]
    path = folder / "evidence.duckdb"
    with Store(path) as store:
        ingest(store, *ingest_paths)
    return path


def set_partnership(path: Path, area: str, compare: list[str], **kwargs):
    with Store(path, read_only=True) as store:
        return set_area(check(Evidence(store).areas, area, compare), **kwargs)


@pytest.fixture(scope="session")
def demo_evidence(tmp_path_factory) -> Path:
    return demo_store(tmp_path_factory.mktemp("demo-evidence"))


@pytest.fixture
def demo(demo_evidence, monkeypatch) -> Path:
    """The demo store as the site's evidence."""
    monkeypatch.setenv("SAFERHUB_STORE", str(demo_evidence))
    return demo_evidence


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Setting times are tests.conftest.NOW, whatever the machine's date."""


# The site's users of every role with a real two-step sign-in (tests/web's fixtures).
from tests.web.conftest import agency, make_user, signed_in  # noqa: E402, F401
