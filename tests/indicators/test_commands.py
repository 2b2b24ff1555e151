"""`saferhub indicators …` in its own process on a fresh site: ingest refreshes evidence
indicators, a youth justice import with bad rows stores nothing, a good one computes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from tests.evidence.fixtures import borough_csv, population_csv
from tests.plans.test_commands import fresh_site

HEADER = "Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date\n"


def _values(folder) -> list[tuple]:
    with sqlite3.connect(folder / "site.sqlite3") as db:
        return db.execute(
            "select i.code, v.period, v.value from indicators_value v "
            "join indicators_indicator i on i.id = v.indicator_id order by 1, v.period_end"
        ).fetchall()


@pytest.fixture(scope="module")
def defined(tmp_path_factory):
    """A fresh site database whose store is the site's own, with two indicators defined."""
    folder = tmp_path_factory.mktemp("cli-indicators")
    run, env = fresh_site(folder)
    subprocess.run([sys.executable, "-c", DEFINE], env=env, check=True, timeout=120)
    return folder, run


DEFINE = """
from saferhub.commandline import django_setup
django_setup()
from saferhub.accounts.models import Agency
from saferhub.indicators.models import Indicator
owner = Agency.objects.first()
Indicator.objects.create(code="BURG-Q", name="Burglary", definition="d", owner=owner,
    source="evidence", category="residential_burglary", area="Alderby",
    period_rule="quarter", frequency="quarterly")
Indicator.objects.create(code="YJ-FTE", name="FTE", definition="d", owner=owner,
    source="youth_justice", youth_justice_measure="fte_count", frequency="annual")
"""


def test_ingest_into_the_site_store_refreshes_evidence_indicators(defined, tmp_path):
    folder, run = defined
    result = run("ingest", str(population_csv(tmp_path)), str(borough_csv(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "refreshed 1 evidence indicators (1 values changed)" in result.stdout
    # Alderby residential burglary Jan–Mar 2018: 6 + 7 + 8 (tests/evidence/fixtures.py).
    assert ("BURG-Q", "2017/18 Q4", 21) in _values(folder)
    listed = run("indicators", "list").stdout
    assert "BURG-Q\tBurglary\t2017/18 Q4\t21\t" in listed


def test_a_bad_extract_names_each_row_and_stores_nothing(defined, tmp_path):
    folder, run = defined
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "YJ-1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
        + "YJ-2,2018-01-01,F,Asian,Youth Caution,2025-05-01,2025-04-01\n"
        + "YJ-3,2010-01-01,F,Asian,Referral Order,2025-05-01,2025-06-01\n"
    )
    result = run("indicators", "import-youth-justice", str(bad), "--as-at", "2026-11-24")
    assert result.returncode == 2
    assert "bad.csv: nothing imported" in result.stderr
    assert "row 3" in result.stderr and "criminal responsibility" in result.stderr
    assert "row 4" in result.stderr and "Offence date" in result.stderr
    assert not [v for v in _values(folder) if v[0] == "YJ-FTE"]
    assert run("indicators", "import-youth-justice", str(bad), "--population", "x").returncode == 2


def test_a_good_extract_computes_the_youth_justice_indicators(defined, tmp_path):
    folder, run = defined
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER
        + "YJ-1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
        + "YJ-1,2010-01-01,M,White,Referral Order,2025-09-01,2025-08-01\n"
        + "YJ-2,2009-03-01,F,Asian,Triage,2025-06-01,2025-05-01\n"
    )
    result = run(
        "indicators", "import-youth-justice", str(good), "--as-at", date(2026, 11, 24).isoformat()
    )
    assert result.returncode == 0, result.stderr
    assert "imported 3 rows (2 children)" in result.stdout
    assert ("YJ-FTE", "2025/26", 1) in _values(folder)
