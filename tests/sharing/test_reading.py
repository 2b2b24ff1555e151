"""Reads of case content return only what the access covers and are each audited with who,
what and why (the purpose); refused reads are audited too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as v
from saferhub.cases import services as cases
from saferhub.sharing import reading
from saferhub.sharing import services as sharing
from saferhub.sharing.models import Scope
from tests.cases import documents as files

from .conftest import AT, TODAY, give

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def worked(world):
    """A case with an ordinary and a sensitive entry, a correction, a task and a document."""
    first = cases.add_entry(
        world.lead,
        world.case,
        type="incident",
        text="Door kicked",
        event_date=TODAY - timedelta(days=3),
        at=AT,
    )
    cases.add_entry(
        world.lead,
        world.case,
        type="note",
        text="Victim's new address (fictional)",
        event_date=TODAY,
        sensitive=True,
        at=AT,
    )
    cases.correct_entry(world.lead, first, text="Door kicked twice", at=AT)
    cases.add_task(
        world.lead, world.case, description="Visit", due_on=TODAY, owner_user=world.lead, at=AT
    )
    document = cases.upload_document(
        world.lead, world.case, SimpleUploadedFile("s.pdf", files.PDF), at=AT
    )
    return first, document


def last_view(user) -> AuditEntry:
    return AuditEntry.objects.filter(actor=user, action="view").order_by("-id").first()


def test_the_lead_agency_sees_everything_and_the_view_is_audited(world, worked):
    first, document = worked
    view = reading.open_case(world.lead, world.case.pk, at=AT)
    assert len(view.entries) == 3 and first.pk in view.corrected
    assert {r.subject_id for r in view.subjects} == {world.victim.pk, world.perpetrator.pk}
    assert [d.pk for d in view.documents] == [document.pk]
    assert {f.name: f.value for f in view.fields}["asb_category"] == "Personal"
    assert v.EDIT in view.allowed and v.GRANT in view.allowed
    entry = last_view(world.lead)
    assert entry.object_type == "cases.Case" and entry.object_id == str(world.case.pk)
    assert entry.changes["purpose"] == "lead agency" and entry.changes["lead_agency"] is True
    assert set(entry.changes["shown"]) >= {v.VIEW_SENSITIVE, v.VIEW_DOCUMENTS}


def test_a_chronology_grant_sees_no_sensitive_entry_subject_field_or_document(
    world, agreement, worked
):
    grant = give(world, agreement, Scope.CHRONOLOGY_AND_TASKS, purpose="Housing tenancy review")
    view = reading.open_case(world.council_worker, world.case, at=AT)
    assert [e.text for e in view.entries] == ["Door kicked twice", "Door kicked"]
    assert view.subjects == () and view.documents == () and view.fields == ()
    assert len(view.tasks) == 1 and view.grants == ()
    assert view.allowed == {v.ADD_ENTRY, v.REQUEST_ACCESS, v.BREAK_GLASS}
    entry = last_view(world.council_worker)
    assert entry.changes["purpose"] == "Housing tenancy review"
    assert entry.changes["grants"] == [grant.pk]


def test_a_named_subjects_grant_sees_those_subjects_only(world, agreement, worked):
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    view = reading.open_case(world.council_worker, world.case, at=AT)
    assert [r.subject_id for r in view.subjects] == [world.victim.pk]
    assert view.entries == () and view.tasks == () and view.documents == ()
    assert not view.shows_special_category(world.victim.pk)


def test_break_glass_is_read_under_its_reason(world, worked):
    glass = sharing.break_glass(
        world.housing_worker,
        world.case,
        reason="Resident barricaded in, officer attending now",
        at=AT,
    )
    view = reading.open_case(world.housing_worker, world.case, at=AT + timedelta(minutes=5))
    assert len(view.entries) == 3 and view.allowed == {v.REQUEST_ACCESS}
    assert not view.shows_special_category(world.victim.pk)
    entry = last_view(world.housing_worker)
    assert entry.changes["purpose"] == (
        "break glass: Resident barricaded in, officer attending now"
    )
    assert entry.changes["break_glass"] == glass.pk


@pytest.mark.parametrize("who", ["housing_worker", "admin", "dpo", "board"])
def test_no_access_is_refused_and_the_attempt_audited(world, worked, who):
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        reading.open_case(user, world.case.pk, at=AT)
    entry = AuditEntry.objects.filter(actor=user).order_by("-id").first()
    assert entry.action == "view" and entry.changes == {"refused": "view"}
    assert entry.object_id == str(world.case.pk)


def test_a_download_is_exported_on_the_record_with_its_hash(world, agreement, worked):
    _, document = worked
    give(world, agreement, Scope.WHOLE, purpose="Joint tenancy enforcement")
    download = reading.download_document(world.council_worker, document, at=AT)
    with download.file as handle:
        assert handle.read() == files.PDF
    assert (download.filename, download.content_type) == ("s.pdf", "application/pdf")
    entry = AuditEntry.objects.filter(actor=world.council_worker, action="export").get()
    assert entry.changes["sha256"] == document.sha256
    assert entry.changes["purpose"] == "Joint tenancy enforcement"


def test_a_download_outside_the_grant_is_refused_and_audited(world, agreement, worked):
    _, document = worked
    give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
    with pytest.raises(PermissionDenied):
        reading.download_document(world.council_worker, document, at=AT)
    entry = AuditEntry.objects.filter(actor=world.council_worker).order_by("-id").first()
    assert entry.changes == {"refused": "download"}
    assert entry.object_type == "cases.Document"


def test_opening_a_subject_in_full_or_locked_is_audited(world, agreement):
    full = reading.open_subject(world.lead, world.victim, at=AT)
    assert full.full and full.special_category and full.locked is None
    assert [r.case_id for r in full.cases] == [world.case.pk]
    assert last_view(world.lead).changes["purpose"] == "lead agency"
    locked = reading.open_subject(world.housing_worker, world.victim, at=AT)
    assert not locked.full and locked.cases == ()
    assert locked.locked.business_areas == ("Anti-social behaviour",)
    assert locked.locked.agencies == ("Eastmere Police (fictional)",)
    entry = last_view(world.housing_worker)
    assert entry.changes == {"locked": True, "cases": [world.case.pk]}
    with pytest.raises(PermissionDenied):
        reading.open_subject(world.admin, world.victim, at=AT)


def test_listing_cases_is_audited_with_the_cases_shown(world):
    reading.record_listing(world.lead, [world.case], what="my cases")
    entry = last_view(world.lead)
    assert entry.changes == {"listed": "my cases", "count": 1, "cases": [world.case.pk]}
