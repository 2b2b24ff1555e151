# ruff: noqa: F811  (the fixtures imported below are test arguments)
"""Display polish a newcomer asked for: the home page prints indicators exactly as the
indicators dashboard does (one formatter, the same RAG tags), the evidence page says once
that no ward has a population, and the admin home writes audit dates as the site does."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from saferhub.evidence import Store
from saferhub.evidence.periods import month_index
from saferhub.indicators import services as indicator_services
from saferhub.indicators.definitions import Frequency, Polarity, Source, TargetKind
from saferhub.indicators.models import Indicator
from saferhub.indicators.periods import period_span
from tests.conftest import ingest, write_csv
from tests.evidence.fixtures import POPULATION, borough_csv, ward_csv
from tests.indicators.conftest import council  # noqa: F401  (fixtures)
from tests.reports.conftest import wards_geojson
from tests.web.test_evidence_pages import cells

pytestmark = pytest.mark.django_db

Q2 = period_span(month_index(2026, 7), month_index(2026, 9))


def _row(html: str, table_id: str, name: str) -> str:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    return next(r for r in table.split("<tr")[1:] if name in r)


def _text(fragment: str) -> list[str]:
    """The cells of a row as text, hidden words dropped."""
    fragment = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", fragment)
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in found]


@pytest.mark.parametrize(
    ("unit", "value", "target", "value_text", "target_text"),
    [
        ("percentage", "73", "70", "73.0%", "70.0%"),
        ("per_100000", "296.14", "290", "296.1", "290.0"),
        ("per_1000", "0.3", "0.25", "0.30", "0.25"),
    ],
)
def test_board_home_prints_indicators_as_the_dashboard_does(
    signed_in, council, unit, value, target, value_text, target_text
):
    indicator = Indicator.objects.create(
        code="POLISH",
        name="Polish indicator",
        definition="A fictional figure.",
        owner=council,
        source=Source.MANUAL,
        polarity=Polarity.HIGHER,
        frequency=Frequency.QUARTERLY,
        target_kind=TargetKind.ABSOLUTE,
        target_value=Decimal(target),
        unit=unit,
    )
    client, user = signed_in("board")
    indicator_services.enter_value(
        indicator, period=Q2, value=Decimal(value), note="", user=user, today=date(2026, 10, 1)
    )
    home = _row(client.get(reverse("home")).content.decode(), "indicator-status", "Polish")
    board = _row(
        client.get(reverse("indicators:dashboard")).content.decode(), "indicators", "Polish"
    )
    home_cells, board_cells = _text(home), _text(board)
    assert home_cells[2:4] == [value_text, target_text]
    assert board_cells[3:5] == [value_text, target_text]
    # The RAG is the dashboard's coloured tag, not plain words.
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in home
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in board


@pytest.mark.relational_db
def test_no_ward_population_is_said_once_without_naming_every_ward(
    signed_in, tmp_path, monkeypatch
):
    boroughs = [c for c in POPULATION if not c.startswith("E059")]
    names = {"E09900001": "Alderby", "E09900002": "Brookfield", "E09900003": "Carrow"}
    names |= {"E12000007": "London"}
    population = write_csv(
        tmp_path / "population.csv",
        ["area_code", "area_name", "year", "population"],
        [[c, names[c], y, POPULATION[c]] for y in (2017, 2018) for c in boroughs],
    )
    path = tmp_path / "store.duckdb"
    with Store(path) as opened:
        ingest(
            opened, population, borough_csv(tmp_path), ward_csv(tmp_path), wards_geojson(tmp_path)
        )
    monkeypatch.setenv("SAFERHUB_STORE", str(path))
    client, _ = signed_in("analyst")
    html = client.get(reverse("evidence"), {"area": "Alderby", "period": "2018Q1"}).content.decode()
    note = html.split('id="wards-without-population">')[1].split("</p>")[0]
    assert note.startswith("No ward population is loaded, so ward rates are not shown.")
    assert "Alderby North" not in note and "Alderby South" not in note
    rows = cells(html, "wards")
    assert {r[0] for r in rows} == {"Alderby North", "Alderby South"}
    assert "No population loaded" not in html
    assert all(len(r) == 6 for r in rows)  # no rate column of blanks


def test_admin_home_writes_audit_dates_as_the_site_does(signed_in):
    client, _ = signed_in("admin")
    html = client.get(reverse("home")).content.decode()
    table = html.split('id="recent-audit"')[1].split("</table>")[0]
    when = [r[0] for r in (_text(row) for row in table.split("<tbody")[1].split("<tr")[1:])]
    assert when and all(re.fullmatch(r"24 November 2026, \d\d:\d\d", w) for w in when), when
    assert not re.search(r"\d{4}-\d\d-\d\d", table)
