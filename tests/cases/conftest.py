"""A small casework world: three agencies, people in every role, an ASB case led by the police
with a victim and a perpetrator on it. Everything fictional; every time passed in (`AT`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from saferhub.accounts.models import Agency, AgencyType, Role, User
from saferhub.cases import services
from saferhub.cases.models import BusinessArea, Case
from saferhub.cases.models import Role as CaseRole
from saferhub.subjects.entries import NameEntry, PersonDetails
from saferhub.subjects.models import Subject
from saferhub.subjects.services import create_person
from tests.conftest import NOW

AT = NOW  # 24 November 2026, 10:00 UTC
TODAY = AT.date()
OPENED = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Casework tests pass `at` to every call; the clock is frozen too, so nothing that
    forgot to can depend on the machine's date."""


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path: Path):
    """Each test's case documents go to its own folder."""
    settings.CASEWORK_DOCUMENTS = tmp_path / "documents"


@dataclass
class World:
    police: Agency
    council: Agency
    housing: Agency
    lead: User  # police practitioner, the case's lead officer
    colleague: User  # another police practitioner
    council_worker: User  # council practitioner (the grantee agency)
    council_coordinator: User  # council, not a practitioner
    housing_worker: User  # housing practitioner: no grant
    admin: User  # police admin
    board: User  # police board member
    analyst: User  # police analyst
    coordinator: User  # police coordinator
    dpo: User  # data protection officer (a council coordinator)
    area: BusinessArea
    case: Case
    victim: Subject
    perpetrator: Subject

    def refresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case


def person(email: str, agency: Agency, role: str, **extra) -> User:
    """A user who never signs in here (no password: hashing one costs a second a user)."""
    return User.objects.create_user(
        email,
        None,
        full_name=email.split("@")[0].replace(".", " ").title(),
        agency=agency,
        role=role,
        **extra,
    )


@pytest.fixture
def world(db) -> World:
    police = Agency.objects.create(name="Eastmere Police (fictional)", type=AgencyType.POLICE)
    council = Agency.objects.create(name="Eastmere Council (fictional)", type=AgencyType.COUNCIL)
    housing = Agency.objects.create(name="Eastmere Homes (fictional)", type=AgencyType.HOUSING)
    lead = person("pat.lead@police.example", police, Role.PRACTITIONER)
    area = BusinessArea.objects.get(code="ASB")
    case = services.create_case(
        lead,
        business_area=area,
        title="Noise and threats, Alder Court",
        opened_on=OPENED,
        extra={"asb_category": "Personal", "incidents_reported": "4"},
        at=AT - timedelta(days=20),
    )
    victim = create_person(
        name=NameEntry(given_names="Ada", family_name="Testperson"),
        details=PersonDetails(date_of_birth=date(1990, 3, 4)),
        by=lead,
    )
    perpetrator = create_person(
        name=NameEntry(given_names="Bram", family_name="Examplename"), by=lead
    )
    services.add_subject(lead, case, victim, CaseRole.VICTIM, at=AT - timedelta(days=20))
    services.add_subject(lead, case, perpetrator, CaseRole.PERPETRATOR, at=AT - timedelta(days=20))
    return World(
        police=police,
        council=council,
        housing=housing,
        lead=lead,
        colleague=person("cal.colleague@police.example", police, Role.PRACTITIONER),
        council_worker=person("dee.worker@council.example", council, Role.PRACTITIONER),
        council_coordinator=person("eve.coord@council.example", council, Role.COORDINATOR),
        housing_worker=person("fay.worker@homes.example", housing, Role.PRACTITIONER),
        admin=person("gus.admin@police.example", police, Role.ADMIN),
        board=person("hal.board@police.example", police, Role.BOARD),
        analyst=person("ian.analyst@police.example", police, Role.ANALYST),
        coordinator=person("jo.coord@police.example", police, Role.COORDINATOR),
        dpo=person(
            "kim.dpo@council.example", council, Role.COORDINATOR, is_data_protection_officer=True
        ),
        area=area,
        case=case,
        victim=victim,
        perpetrator=perpetrator,
    )
