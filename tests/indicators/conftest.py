"""Indicators to test against: an owner agency, a manual and an evidence indicator, and a
small evidence store whose figures are worked out by hand in tests/evidence/fixtures.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saferhub.accounts.models import Agency, AgencyType
from saferhub.evidence import Evidence, Store
from saferhub.evidence.periods import month_index
from saferhub.indicators import services
from saferhub.indicators.definitions import Frequency, PeriodRule, Polarity, Source, TargetKind
from saferhub.indicators.models import Indicator
from saferhub.indicators.periods import period_span
from tests.conftest import ingest
from tests.evidence.fixtures import borough_csv, population_csv, ward_csv
from tests.web import conftest as web

agency, make_user, signed_in = web.agency, web.make_user, web.signed_in


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Indicator tests are written about 2026/27 periods; their "today" is tests.conftest.NOW
    (24 November 2026: 2026/27 Q2 is the last whole quarter, Q3 is in progress)."""


# The first two quarters of 2026/27: whole quarters on the tests' day (tests.conftest.NOW).
Q1 = period_span(month_index(2026, 4), month_index(2026, 6))
Q2 = period_span(month_index(2026, 7), month_index(2026, 9))


@pytest.fixture
def council(db):
    return Agency.objects.create(name="Eastmere Council (fictional)", type=AgencyType.COUNCIL)


@pytest.fixture
def idva(council):
    """IDVA cases a quarter, higher is better, 60 a quarter (240 a year), 5% tolerance."""
    return Indicator.objects.create(
        code="IDVA-CASES",
        name="New IDVA cases",
        definition="New cases taken on by IDVAs.",
        owner=council,
        source=Source.MANUAL,
        polarity=Polarity.HIGHER,
        frequency=Frequency.QUARTERLY,
        target_kind=TargetKind.ABSOLUTE,
        target_value=Decimal(60),
    )


@pytest.fixture
def idva_values(idva, make_user):
    """IDVA cases entered for Q1 (52) and Q2 (61): improving, Green in Q2."""
    user = make_user("coordinator", email="entry@example.invalid")
    services.enter_value(idva, period=Q1, value=Decimal(52), note="", user=user)
    services.enter_value(idva, period=Q2, value=Decimal(61), note="", user=user)
    return idva


@pytest.fixture
def small_evidence(tmp_path):
    with Store(tmp_path / "small.duckdb") as store:
        ingest(store, population_csv(tmp_path), borough_csv(tmp_path), ward_csv(tmp_path))
        yield Evidence(store)


@pytest.fixture
def burglary(council):
    """Alderby residential burglary, quarter on quarter, per 1,000, no higher than before."""
    return Indicator.objects.create(
        code="BURG-Q",
        name="Residential burglary",
        definition="Recorded residential burglaries.",
        owner=council,
        source=Source.EVIDENCE,
        category="residential_burglary",
        area="Alderby",
        period_rule=PeriodRule.QUARTER,
        frequency=Frequency.QUARTERLY,
        unit="per_1000",
        target_kind=TargetKind.CHANGE,
        target_change_pct=Decimal(0),
    )


def board_report_indicators(client, strategy, name: str) -> tuple[str, str]:
    """The board report's indicator section as at 24 November 2026, and the row of `name`."""
    from django.urls import reverse

    page = client.get(
        reverse("plans:board-report", args=[strategy.pk, "html"]), {"as_at": "2026-11-24"}
    ).content.decode()
    section = page[page.index('id="indicators"') :]
    row = section[section.index(name) :]
    return section, row[: row.index("</tr>")]
