"""A stored plan with leads linked to accounts, for the service, view and permission tests."""

from __future__ import annotations

import pytest

from saferhub.accounts.models import Agency, AgencyType, User
from saferhub.plans.demo import POLICE, demo_plan
from saferhub.plans.services import import_plan
from tests.conftest import NOW
from tests.web import conftest as web

# The accounts fixtures of tests/web, shared here.
agency, make_user, signed_in, sign_in = web.agency, web.make_user, web.signed_in, web.sign_in

TODAY = NOW.date()  # 24 November 2026


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Every plan test runs on TODAY (tests.conftest.NOW), whatever the machine's clock says:
    the site's "today" (update dates, the health check, the import's period) never moves."""


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
