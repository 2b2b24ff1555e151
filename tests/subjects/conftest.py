"""People to make changes as, on a fixed day, and helpers that create fictional subjects."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.accounts.models import Agency, AgencyType, Role, User
from saferhub.subjects import services
from saferhub.subjects.entries import NameEntry, PersonDetails
from tests.conftest import NOW

TODAY = NOW.date()  # 24 November 2026


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Subject tests run on TODAY, so "a date of birth in the future" means the same thing on
    any day the suite runs."""


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="Northbrook Council", type=AgencyType.COUNCIL)


@pytest.fixture
def officer(agency):
    return User.objects.create_user(
        "asb.officer@northbrook.example",
        "correct horse battery staple",
        full_name="An ASB officer",
        agency=agency,
        role=Role.PRACTITIONER,
    )


@pytest.fixture
def admin(agency):
    return User.objects.create_user(
        "admin@northbrook.example",
        "correct horse battery staple",
        full_name="The partnership admin",
        agency=agency,
        role=Role.ADMIN,
    )


def person(
    by,
    given: str,
    family: str,
    born: date | None = None,
    **kwargs,
):
    """A fictional person, through the service as a page would create one."""
    return services.create_person(
        name=NameEntry(given, family).cleaned(TODAY),
        details=PersonDetails(date_of_birth=born).cleaned(TODAY),
        by=by,
        **kwargs,
    )
