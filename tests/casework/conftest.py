"""The casework world of tests/cases and tests/sharing (three fictional agencies, an ASB case
led by the police with a victim and a perpetrator), a signed-in client for any of its people,
and one of everything a casework URL can name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.cases import services as cases
from saferhub.cases.models import ChronologyEntry, Document, EntryType, Task
from saferhub.cases.models import Role as CaseRole
from saferhub.sharing import services as sharing
from saferhub.sharing.models import AccessRequest, BreakGlass, Grant, Scope
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import NameEntry, PersonDetails, PlaceDetails
from saferhub.subjects.models import MergeRecord, Subject
from saferhub.subjects.vocabulary import PlaceType
from tests.cases import documents as files
from tests.sharing.conftest import (
    AT,
    OPENED,
    TODAY,
    World,
    _documents_in_tmp,
    _on_a_fixed_day,
    agreement,
    give,
    world,
)

__all__ = [
    "AT",
    "OPENED",
    "TODAY",
    "World",
    "_documents_in_tmp",
    "_on_a_fixed_day",
    "agreement",
    "give",
    "world",
]


def enter(client, user) -> None:
    """Signed in with both factors, as the middleware checks (the sign-in pages themselves
    are tested in tests/web): the session holds the user and a confirmed device."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def as_user(client):
    """A client signed in as the given user (the same client: one user at a time)."""

    def sign(user):
        client.logout()
        enter(client, user)
        return client

    return sign


@dataclass
class Things:
    """One of everything a casework URL names, on the world's case."""

    entry: ChronologyEntry
    task: Task
    document: Document
    grant: Grant
    row: int  # the victim's CaseSubject
    access_request: AccessRequest
    break_glass: BreakGlass
    merge: MergeRecord
    spare: Subject  # a person on no case, recorded by the lead's agency
    place: Subject  # the case's location, recorded by the lead's agency
    agreement: object  # the information-sharing agreement the grants rest on


@pytest.fixture
def things(world, agreement) -> Things:
    entry = cases.add_entry(
        world.lead,
        world.case,
        type=EntryType.INCIDENT,
        text="Shouting and a kicked door at flat 4 (fictional)",
        event_date=TODAY - timedelta(days=3),
        at=AT - timedelta(days=3),
    )
    task = cases.add_task(
        world.lead,
        world.case,
        description="Visit the victim with housing",
        due_on=TODAY - timedelta(days=1),
        owner_user=world.lead,
        at=AT - timedelta(days=5),
    )
    document = cases.upload_document(
        world.lead,
        world.case,
        SimpleUploadedFile("statement.pdf", files.PDF),
        at=AT - timedelta(days=2),
    )
    grant = give(world, agreement, Scope.WHOLE, agency=world.council, end_days=30)
    asked = sharing.request_access(
        world.housing_worker,
        world.case,
        reason="Tenant of ours: joint visit planned for next week",
        subject=world.victim,
        at=AT - timedelta(hours=5),
    )
    dpo_glass = sharing.break_glass(
        world.housing_worker,
        world.case,
        reason="Tenant reported missing tonight; police unreachable",
        at=AT - timedelta(days=2),
    )
    twin = subjects.create_person(
        name=NameEntry(given_names="Ada", family_name="Testpersen"),
        details=PersonDetails(date_of_birth=date(1990, 3, 4)),
        by=world.lead,
    )
    merged = subjects.merge(world.victim, twin, by=world.lead, reason="Same person, misspelt")
    world.victim.refresh_from_db()
    spare = subjects.create_person(
        name=NameEntry(given_names="Cy", family_name="Spare"), by=world.lead
    )
    place = subjects.create_place(
        PlaceDetails(place_type=PlaceType.DWELLING, line_1="4 Alder Court", postcode="EM1 1AA"),
        by=world.lead,
    )
    cases.add_subject(world.lead, world.case, place, CaseRole.LOCATION, at=AT - timedelta(days=1))
    row = world.case.case_subjects.get(subject=world.victim).pk
    return Things(
        entry, task, document, grant, row, asked, dpo_glass, merged, spare, place, agreement
    )
