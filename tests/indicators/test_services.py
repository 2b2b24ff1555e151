"""Storing indicator values: evidence refresh, manual entry, audit, RAG as read back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import pairwise

import pytest

from saferhub.audit.models import AuditEntry
from saferhub.evidence.periods import month_index
from saferhub.indicators import services
from saferhub.indicators.definitions import Frequency, Rag
from saferhub.indicators.models import Value
from saferhub.indicators.periods import period_span, recent_periods
from saferhub.indicators.status import status_of

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_evidence_refresh_stores_the_hand_worked_quarter(small_evidence, burglary):
    result = services.refresh_evidence(small_evidence)
    assert (result.indicators, result.problems) == (1, [])
    value = Value.objects.get(indicator=burglary)
    # Alderby residential burglary: Jan–Mar 2018 = 6 + 7 + 8 = 21, Oct–Dec 2017 = 3 + 4 + 5
    # = 12; 2018 population 10,000: 2.1 and 1.2 per 1,000.
    assert value.period == "2017/18 Q4"
    assert (value.value, value.comparison) == (Decimal("2.10"), Decimal("1.20"))
    assert value.comparison_period == "2017/18 Q3"
    assert value.detail["count"] == 21 and value.detail["population"] == 10_000
    assert value.vintage.startswith("Evidence store: crime data Oct 2017 to Mar 2018")
    # Target: no higher than the comparison (1.2); 2.1 misses by far more than 5%.
    point = status_of(burglary, [value]).latest
    assert (point.target, point.rag) == (Decimal("1.20"), Rag.RED)
    assert services.stale_evidence(small_evidence) is False
    # A second refresh with nothing new changes nothing and says so.
    assert services.refresh_evidence(small_evidence).values_changed == 0


def test_a_bad_evidence_indicator_is_named_and_the_others_still_refresh(
    small_evidence, burglary, council
):
    burglary.pk, burglary.code, burglary.area = None, "BURG-X", "Atlantis"
    burglary.save()
    result = services.refresh_evidence(small_evidence)
    assert result.indicators == 1
    assert len(result.problems) == 1 and result.problems[0].startswith("BURG-X: ")
    assert "Atlantis" in result.problems[0]


def test_manual_entry_records_who_when_and_compares_a_year_on(idva, make_user):
    user = make_user("coordinator")
    last_year = period_span(month_index(2025, 4), month_index(2025, 6))
    this_year = period_span(month_index(2026, 4), month_index(2026, 6))
    services.enter_value(idva, period=this_year, value=Decimal(57), note="", user=user)
    services.enter_value(idva, period=last_year, value=Decimal(49), note="late", user=user)
    latest = Value.objects.get(indicator=idva, period_end=date(2026, 6, 30))
    # Entering last year's value afterwards becomes this year's comparison.
    assert (latest.comparison, latest.comparison_period) == (Decimal(49), "2025/26 Q1")
    assert latest.entered_by == user and latest.vintage.startswith("Entered by ")
    point = status_of(idva, [latest]).latest
    assert (point.target, point.rag) == (Decimal(60), Rag.AMBER)  # 57 misses 60 by 3, within 5% (3)
    # A correction replaces the value, and the audit log has old and new.
    services.enter_value(idva, period=this_year, value=Decimal(56), note="", user=user)
    entry = AuditEntry.objects.filter(object_id=str(idva.pk)).order_by("-id").first()
    assert entry.changes["value"] == {"from": "57.00", "to": "56"}
    assert status_of(idva, idva.values.all()).latest.rag == Rag.RED


def test_values_are_refused_for_computed_indicators_and_future_periods(idva, burglary, make_user):
    user = make_user("admin")
    future = recent_periods(month_index(2100, 6), Frequency.QUARTERLY, 1)[0]
    with pytest.raises(services.IndicatorError, match="has not started yet"):
        services.enter_value(idva, period=future, value=Decimal(1), note="", user=user)
    past = period_span(month_index(2026, 4), month_index(2026, 6))
    with pytest.raises(services.IndicatorError, match="computed, not entered by hand"):
        services.enter_value(burglary, period=past, value=Decimal(1), note="", user=user)
    assert not Value.objects.exists()


def test_status_as_at_leaves_out_later_periods(idva, make_user):
    user = make_user("coordinator")
    for month, value in ((6, 50), (9, 70)):
        span = period_span(month_index(2026, month - 2), month_index(2026, month))
        services.enter_value(idva, period=span, value=Decimal(value), note="", user=user)
    Value.objects.update(entered_at=datetime(2026, 7, 15, tzinfo=UTC))
    status = status_of(idva, idva.values.all(), as_at=date(2026, 8, 1))
    assert [p.period for p in status.points] == ["2026/27 Q1"]
    # A value entered after the day is left out even for an earlier period.
    assert status_of(idva, idva.values.all(), as_at=date(2026, 7, 14)).points == []
    full = status_of(idva, idva.values.all())
    assert full.direction == "improving" and full.sparkline() == [Decimal(50), Decimal(70)]


def test_provisional_values_are_shown_but_never_rated_or_reported_as_latest(idva):
    def value(month: int, number: int, provisional: bool) -> Value:
        span = period_span(month_index(2026, month - 2), month_index(2026, month))
        return Value(
            indicator=idva,
            period=span.label,
            period_start=span.start_date,
            period_end=span.end_date,
            value=Decimal(number),
            provisional=provisional,
            vintage="test",
            entered_at=datetime(2026, 11, 1, tzinfo=UTC),
        )

    status = status_of(idva, [value(6, 50, False), value(9, 70, True)])
    assert [p.rag for p in status.points] == [Rag.RED, None]  # 70 would be Green
    assert status.latest.period == "2026/27 Q1"
    assert status.sparkline() == [Decimal(50)]
    only_provisional = status_of(idva, [value(9, 70, True)])
    assert only_provisional.latest.provisional and only_provisional.latest.rag is None


def test_youth_populations_come_from_the_store_by_name_or_code(store, tmp_path):
    from saferhub.indicators.youth_justice_values import populations_10_17
    from tests.conftest import ingest, write_csv

    path = write_csv(
        tmp_path / "pop.csv",
        ["area_code", "area_name", "year", "population", "age_band"],
        [
            ["E09900001", "Alderby", 2025, 1200, "10-17"],
            ["E09900001", "Alderby", 2025, 10_000, ""],
            ["E09900002", "Brookfield", 2025, 900, "10-17"],
        ],
    )
    ingest(store, path)
    assert populations_10_17(store.con, "alderby") == {2025: 1200}
    assert populations_10_17(store.con, "E09900002") == {2025: 900}
    assert populations_10_17(store.con, "") == {}


def test_a_value_for_a_period_not_yet_ended_is_provisional(idva, make_user):
    user = make_user("coordinator")
    q2 = period_span(month_index(2026, 7), month_index(2026, 9))
    early = services.enter_value(
        idva, period=q2, value=Decimal(40), note="", user=user, today=date(2026, 9, 30)
    )
    assert early.provisional  # the last day of the quarter: still in progress
    assert status_of(idva, [early]).latest.rag is None  # shown, never rated
    final = services.enter_value(
        idva, period=q2, value=Decimal(62), note="", user=user, today=date(2026, 10, 1)
    )
    assert not final.provisional and status_of(idva, [final]).latest.rag == Rag.GREEN


@pytest.mark.django_db(transaction=True)
def test_parallel_entries_for_one_period_leave_an_exact_history(idva, make_user):
    """Eight people save the same period at once: every save is recorded, each replacing the
    value the one before it stored, and the period holds the last one."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database is in memory, one writer; the race needs a server")
    user = make_user("coordinator")
    q2 = period_span(month_index(2026, 7), month_index(2026, 9))

    def save(number: int) -> None:
        try:
            services.enter_value(
                idva,
                period=q2,
                value=Decimal(50 + number),
                note="",
                user=user,
                today=date(2026, 11, 24),
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(save, range(8)))
    entries = list(
        AuditEntry.objects.filter(object_type="indicators.Indicator", object_id=str(idva.pk))
        .order_by("id")
        .values_list("action", "changes")
    )
    assert [action for action, _ in entries] == ["create"] + ["update"] * 7
    chain = [changes["value"] for _, changes in entries]
    assert chain[0]["from"] is None
    assert all(Decimal(b["from"]) == Decimal(a["to"]) for a, b in pairwise(chain))
    assert Value.objects.get(indicator=idva).value == Decimal(chain[-1]["to"])
