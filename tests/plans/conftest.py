"""A stored plan with leads linked to accounts, for the service, view and permission tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from saferhub.accounts.models import Agency, AgencyType, User
from saferhub.plans.demo import POLICE, demo_plan
from saferhub.plans.services import import_plan
from tests.web import conftest as web

# The accounts fixtures of tests/web, shared here.
agency, make_user, signed_in, sign_in = web.agency, web.make_user, web.signed_in, web.sign_in

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Every plan test runs on TODAY at noon, whatever the machine's clock says: the site's
    "today" (update dates, the health check, the import's period) never moves under a test."""
    with time_machine.travel(datetime(2026, 11, 24, 12, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def police(db):
    return Agency.objects.get_or_create(name=POLICE, defaults={"type": AgencyType.POLICE})[0]


@pytest.fixture
def stored_plan(db, police, make_user):
    """The demo plan (dated around TODAY), with "A practitioner" as the named police lead."""
    lead = make_user("practitioner")
    lead.agency = police
    lead.save()
    return import_plan(demo_plan(TODAY, lead_person=lead.full_name), source="test")


@pytest.fixture
def other_lead(db, make_user):
    """A practitioner in another agency who leads nothing in the plan."""
    user = make_user("practitioner", email="other@eastmere.example")
    User.objects.filter(pk=user.pk).update(full_name="Another practitioner")
    return User.objects.get(pk=user.pk)
