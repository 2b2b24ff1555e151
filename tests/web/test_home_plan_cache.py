# ruff: noqa: F811  (the fixtures imported below are test arguments)
"""The home page's plan summary is cached per plan version and day (issue 13): the next
view after any write to the plan, or on another day, shows the plan as it is then."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from saferhub.plans import board, convert, services
from saferhub.plans.draft import Rag
from saferhub.plans.models import Action, Strategy
from saferhub.web import home
from tests.conftest import NOW
from tests.plans.conftest import police, stored_plan  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch) -> list:
    """Each time the summary is built rather than taken from the cache."""
    built: list = []
    real = home.build_plan_summary

    def counting(strategy, today):
        built.append(today)
        return real(strategy, today)

    monkeypatch.setattr(home, "build_plan_summary", counting)
    return built


def _summary(client):
    return client.get(reverse("home")).context["plan"]


def _expected(strategy: Strategy, today):
    return board.build(
        convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk)), as_at=today
    )


def test_a_second_view_of_an_unchanged_plan_is_not_built_again(signed_in, stored_plan, builds):
    with time_machine.travel(NOW, tick=False):
        client, _ = signed_in("coordinator", email="coordinator@northbrook.example")
        first, second = _summary(client), _summary(client)
    assert len(builds) == 1
    assert second.report.totals == first.report.totals
    assert second.findings == first.findings


def test_a_new_update_changes_the_rag_on_the_next_view(signed_in, stored_plan, builds):
    with time_machine.travel(NOW, tick=False):
        client, user = signed_in("coordinator", email="coordinator@northbrook.example")
        before = _summary(client)
        action = next(
            a
            for a in Action.objects.filter(objective__strategy=stored_plan)
            if convert.action_to_draft(a, {}).rag != Rag.RED
        )
        services.post_update(action, on=NOW.date(), text="Stalled", rag=Rag.RED, user=user)
        after = _summary(client)
    assert len(builds) == 2
    assert after.report.totals == _expected(stored_plan, NOW.date()).totals
    assert after.report.totals[Rag.RED] == before.report.totals[Rag.RED] + 1
    assert action.pk in {line.action.key for line in after.red}


def test_an_edit_outside_the_services_still_shows_on_the_next_view(signed_in, stored_plan, builds):
    """A bulk write sends no signal: the key is the rows themselves, so it still changes."""
    with time_machine.travel(NOW, tick=False):
        client, _ = signed_in("coordinator", email="coordinator@northbrook.example")
        red = _summary(client).red
        assert red
        Action.objects.filter(pk=red[0].action.key).update(text="Renamed by a bulk edit")
        html = client.get(reverse("home")).content.decode()
    assert "Renamed by a bulk edit" in html.split('id="red-actions"')[1]


def test_the_next_day_is_built_as_at_that_day(signed_in, stored_plan, builds, monkeypatch):
    monkeypatch.setattr(home, "PLAN_CACHE_SECONDS", None)  # kept however far the clock moves
    with time_machine.travel(NOW, tick=False):
        client, _ = signed_in("coordinator", email="coordinator@northbrook.example")
        today = _summary(client)
    later = NOW + timedelta(days=200)
    with time_machine.travel(later, tick=False):  # a new day, and a new session
        client, _ = signed_in("coordinator", email="coordinator2@northbrook.example")
        then = _summary(client)
    assert [line.action.key for line in then.report.overdue] != [
        line.action.key for line in today.report.overdue
    ]
    assert (today.report.as_at, then.report.as_at) == (NOW.date(), later.date())
    expected = _expected(stored_plan, later.date())
    assert [line.action.key for line in then.report.overdue] == [
        line.action.key for line in expected.overdue
    ]
    assert len(builds) == 2


def test_a_closed_plan_is_no_longer_shown(signed_in, stored_plan):
    with time_machine.travel(NOW, tick=False):
        client, _ = signed_in("board", email="board@northbrook.example")
        assert _summary(client).strategy.pk == stored_plan.pk
        Strategy.objects.filter(pk=stored_plan.pk).update(status=Strategy.Status.CLOSED)
        assert _summary(client) is None


def test_the_fingerprint_covers_every_column_of_every_plan_table(stored_plan):
    """A new column on any table a draft is read from is part of the key without a change
    here (the query lists the model's fields)."""
    from saferhub.plans.models import Lead, Measure, Objective, Update

    sql = home._plan_rows_sql()
    for model, query in zip((Objective, Measure, Action, Lead, Update), sql, strict=True):
        for field in model._meta.concrete_fields:
            assert f'"{field.column}"' in query, (model.__name__, field.column)
    key = home.plan_fingerprint(stored_plan, NOW.date())
    assert key == home.plan_fingerprint(stored_plan, NOW.date())
    assert key != home.plan_fingerprint(stored_plan, NOW.date() + timedelta(days=1))
