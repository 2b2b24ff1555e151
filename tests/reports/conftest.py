"""A small loaded store (fictional boroughs from tests/evidence/fixtures) and its report."""

from __future__ import annotations

import pytest

from saferhub.evidence import Evidence, Store, load_taxonomy
from saferhub.reports.config import PartnershipConfig, Priority
from saferhub.reports.html import build_charts
from saferhub.reports.model import build_report
from tests.conftest import ingest, square, write_geojson
from tests.evidence.fixtures import borough_csv, population_csv, ward_csv

PRIORITIES = (
    Priority("residential_burglary", "Burglary from homes"),
    Priority("violence_with_injury", "Violence with injury"),
)
CONFIG = PartnershipConfig(
    name="Alderby Safety Partnership", priorities=PRIORITIES, colour="#00703c"
)


def wards_geojson(folder, codes=("E05900011", "E05900012")):
    names = {"E05900011": "Alderby North", "E05900012": "Alderby South"}
    return write_geojson(
        folder / "wards.geojson",
        [
            (
                {"WD22CD": code, "WD22NM": names[code], "LAD22CD": "E09900001"},
                square(-0.3 + 0.05 * i, 51.5, 0.05),
            )
            for i, code in enumerate(codes)
        ],
    )


def load(folder, *, boundaries=True) -> Store:
    store = Store(folder / "store.duckdb")
    files = [population_csv(folder), borough_csv(folder), ward_csv(folder)]
    if boundaries:
        files.append(wards_geojson(folder))
    ingest(store, *files)
    return store


@pytest.fixture(scope="module")
def report_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    store = load(folder)
    evidence = Evidence(store, load_taxonomy())
    report = build_report(
        evidence, area="Alderby", period="2018Q1", compare=["Brookfield", "Carrow"], config=CONFIG
    )
    yield report, build_charts(report)
    store.close()
