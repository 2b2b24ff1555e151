"""The policy's querysets are single queries with EXISTS subqueries; the sharing re-pointer
follows merges; the home page's queries list what each person should see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as v
from saferhub.cases import services as cases
from saferhub.sharing import notices, policy
from saferhub.sharing import services as sharing
from saferhub.sharing.models import Consent, GrantSubject, Scope
from saferhub.subjects.hooks import repointer
from saferhub.subjects.models import Subject
from tests.cases import documents as files

from .conftest import AT, TODAY, give

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_visible_cases_and_subjects_are_one_query_each(world, agreement):
    give(world, agreement, Scope.WHOLE)
    give(world, agreement, Scope.NAMED_SUBJECTS, agency=world.housing, subjects=[world.victim])
    for query in (
        lambda: list(policy.visible_cases(world.council_worker, at=AT)),
        lambda: list(policy.visible_subjects(world.housing_worker, at=AT)),
        lambda: list(policy.special_category_subjects(world.lead, at=AT)),
        lambda: list(policy.visible_cases(world.council_worker, at=AT, showing=v.VIEW_TASKS)),
    ):
        with CaptureQueriesContext(connection) as captured:
            query()
        assert len(captured) == 1
        assert "EXISTS" in captured[0]["sql"].upper()


def test_my_cases_and_tasks_come_from_visible_cases(world, agreement):
    give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
    mine = cases.add_task(
        world.lead,
        world.case,
        description="Council letter",
        due_on=TODAY,
        owner_agency=world.council,
        at=AT,
    )
    assert notices.my_tasks(world.council_worker, at=AT) == [mine]
    assert notices.my_cases(world.council_worker, at=AT) == [world.case]
    assert notices.my_cases(world.lead, at=AT) == [world.case]
    assert notices.overdue_count(world.council_worker, TODAY + timedelta(days=1), at=AT) == 1
    assert notices.my_tasks(world.council_worker, at=AT + timedelta(days=40)) == []
    assert notices.my_tasks(world.housing_worker, at=AT) == []
    listed = AuditEntry.objects.filter(actor=world.council_worker, action="view").order_by("id")
    assert [e.changes for e in listed][:2] == [
        {"listed": "my tasks", "count": 1, "ids": [mine.pk]},
        {"listed": "my cases", "count": 1, "cases": [world.case.pk]},
    ]
    assert listed[0].object_type == "cases.Task"


def test_the_sharing_re_pointer_moves_named_subjects_and_consent_and_back(world, agreement):
    double = Subject.objects.create(kind="person", display_name="Ada T.", created_by=world.lead)
    cases.add_subject(world.lead, world.case, double, "witness", at=AT)
    grant = give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim, double])
    sharing.record_consent(world.lead, world.case, double, status="given", recorded_on=TODAY, at=AT)
    sharing.record_consent(
        world.lead, world.case, world.victim, status="refused", recorded_on=TODAY, at=AT
    )
    hook = repointer("sharing")
    moved = hook.repoint(world.victim, double)
    assert set(GrantSubject.objects.filter(grant=grant).values_list("subject_id", flat=True)) == {
        world.victim.pk
    }
    assert Consent.objects.filter(subject=world.victim).count() == 2
    hook.restore(world.victim, double, moved)
    assert set(GrantSubject.objects.filter(grant=grant).values_list("subject_id", flat=True)) == {
        world.victim.pk,
        double.pk,
    }
    assert Consent.objects.get(subject=double).status == "given"


def test_a_signed_agreement_is_kept_with_its_hash(world, agreement):
    import hashlib

    from saferhub.uploads import UploadRefused

    kept = sharing.attach_signed_document(
        agreement, SimpleUploadedFile("isa.pdf", files.PDF), user=world.dpo, at=AT
    )
    assert kept.document_sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert kept.document_storage_name.startswith(f"agreements/{agreement.pk}/")
    with pytest.raises(UploadRefused):
        sharing.attach_signed_document(
            agreement, SimpleUploadedFile("isa.pdf", files.PNG), user=world.dpo, at=AT
        )
    agreement.refresh_from_db()
    assert agreement.document_sha256 == kept.document_sha256


def test_a_real_merge_and_unmerge_carry_case_roles_grants_and_access(world, agreement):
    """Through the subjects app's own merge: the absorbed record's case role, its place in a
    named-subjects grant and so what the grantee sees move to the kept record, and back."""
    from saferhub.cases.models import CaseSubject
    from saferhub.subjects.entries import NameEntry
    from saferhub.subjects.merging import merge, unmerge
    from saferhub.subjects.services import create_person

    double = create_person(
        name=NameEntry(given_names="Ada", family_name="Testpersen"), by=world.lead
    )
    cases.add_subject(world.lead, world.case, double, "witness", at=AT)
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[double])
    assert not policy.can(world.council_worker, v.VIEW, world.victim, at=AT)
    record = merge(world.victim, double, by=world.lead, reason="Same person, misspelt")
    assert set(
        CaseSubject.objects.filter(case=world.case).values_list("subject_id", flat=True)
    ) == {world.victim.pk, world.perpetrator.pk}
    assert policy.can(world.council_worker, v.VIEW, world.victim, at=AT)
    unmerge(record, by=world.admin, reason="Not the same person after all")
    assert CaseSubject.objects.filter(case=world.case, subject=double, role="witness").exists()
    assert not policy.can(world.council_worker, v.VIEW, world.victim, at=AT)
    assert policy.can(world.council_worker, v.VIEW, double, at=AT)
