"""The plan page takes the whole plan and its health count from Django's cache, per plan
version and day (issue 13): the next view after any write, or on another day, shows the
plan as it is then; a lead still sees only their own actions."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from saferhub.plans import convert, health, services, views
from saferhub.plans.models import Action, Update
from tests.conftest import NOW

from .conftest import TODAY, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch) -> list:
    """Each time the page reads the whole plan from its models rather than the cache."""
    read: list = []
    real = convert.to_draft

    def counting(strategy, **kwargs):
        read.append(strategy.pk)
        return real(strategy, **kwargs)

    monkeypatch.setattr(views.convert, "to_draft", counting)
    return read


def _page(client, strategy) -> str:
    return client.get(reverse("plans:detail", args=[strategy.pk])).content.decode()


def _findings(strategy, day) -> int:
    whole = convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk))
    return len(health.check_as_at(whole, today=day)[1])


def test_an_unchanged_plan_is_read_once(signed_in, stored_plan, reads):
    client, _ = signed_in("coordinator", email="coordinator@northbrook.example")
    first, second = _page(client, stored_plan), _page(client, stored_plan)
    assert len(reads) == 1 and first.count("<tr") == second.count("<tr")


def test_a_new_update_and_a_bulk_edit_show_on_the_next_view(signed_in, stored_plan, reads):
    client, user = signed_in("coordinator", email="coordinator@northbrook.example")
    action = Action.objects.filter(objective__strategy=stored_plan).first()
    assert "Half the posts filled" not in _page(client, stored_plan)
    services.post_update(action, on=TODAY, text="Half the posts filled", rag="Red", user=user)
    assert "Half the posts filled" in _page(client, stored_plan)
    Update.objects.filter(action=action).update(text="Corrected in bulk")  # no signal sent
    page = _page(client, stored_plan)
    assert "Corrected in bulk" in page and "Half the posts filled" not in page
    assert len(reads) == 3


def test_the_health_count_is_of_the_day_viewed(signed_in, stored_plan, monkeypatch):
    monkeypatch.setattr(views, "PLAN_CACHE_SECONDS", None)  # kept however far the clock moves
    client, _ = signed_in("coordinator", email="coordinator@northbrook.example")
    today = _findings(stored_plan, TODAY)
    assert f"Plan health check: {today} finding" in _page(client, stored_plan)
    later = NOW.replace(month=3, year=2027)
    with time_machine.travel(later, tick=False):
        client, _ = signed_in("coordinator", email="coordinator2@northbrook.example")
        then = _findings(stored_plan, later.date())
        assert then != today
        assert f"Plan health check: {then} finding" in _page(client, stored_plan)


def test_a_lead_still_sees_only_their_own_actions_from_the_cached_plan(
    signed_in, stored_plan, other_lead
):
    coordinator, _ = signed_in("coordinator", email="coordinator@northbrook.example")
    _page(coordinator, stored_plan)  # the whole plan is now cached
    own = Action.objects.filter(objective__strategy=stored_plan, leads__user__isnull=False).first()
    lead = own.leads.get(user__isnull=False).user
    not_own = Action.objects.exclude(leads__user=lead).first()
    reader = Client()
    sign_in(reader, lead)
    page = _page(reader, stored_plan)
    assert own.text[:60] in page and not_own.text[:60] not in page
    assert "Plan health check:" not in page  # the count is of the whole plan
