"""Grants rest on an agreement and a lawful basis that holds; consent is recorded per subject
per case, every change audited with old and new values and stale changes refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases.errors import StaleEdit
from saferhub.sharing import services as sharing
from saferhub.sharing.lawful import Art6, Art9, DpaCondition, basis_problems
from saferhub.sharing.models import Consent, Grant, InformationSharingAgreement, Scope
from saferhub.sharing.services import SharingError

from .conftest import AT, TODAY, give

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_a_grant_is_audited_with_its_basis_purpose_and_expiry(world, agreement):
    grant = give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim], special=True)
    entry = AuditEntry.objects.get(object_type="sharing.Grant", action="create")
    assert entry.changes["scope"] == "named_subjects"
    assert entry.changes["subjects"] == [world.victim.pk]
    assert entry.changes["lawful_basis"] == "public_task"
    assert entry.changes["expires_at"] == grant.expires_at.isoformat()
    assert entry.changes["purpose"] == "Joint problem-solving on Alder Court"
    assert grant.special_category_condition == "g" and grant.dpa_condition == "s1_18"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scope": "everything"}, "scope"),
        ({"agency": "police"}, "agency"),
        ({"purpose": "x"}, "purpose"),
        ({"expires_at": AT - timedelta(hours=1)}, "expires_at"),
        ({"expires_at": AT + timedelta(days=400)}, "expires_at"),
        ({"scope": Scope.NAMED_SUBJECTS}, "subjects"),
        ({"subjects": ["victim"]}, "subjects"),
        (
            {"scope": Scope.CHRONOLOGY_AND_TASKS, "include_special_category": True},
            "include_special_category",
        ),
        (
            {"include_special_category": True, "basis": {"lawful_basis": Art6.PUBLIC_TASK}},
            "special_category_condition",
        ),
        ({"basis": {"lawful_basis": "because"}}, "lawful_basis"),
    ],
)
def test_a_bad_grant_names_the_field_and_grants_nothing(world, agreement, change, field):
    values = {
        "agency": world.council,
        "scope": Scope.WHOLE,
        "agreement": agreement,
        "purpose": "Joint problem-solving",
        "expires_at": AT + timedelta(days=30),
    }
    values.update(change)
    if values["agency"] == "police":
        values["agency"] = world.police
    if values.get("subjects") == ["victim"]:
        values["subjects"] = [world.victim]
    with pytest.raises(SharingError) as caught:
        sharing.grant_access(world.lead, world.case, at=AT, **values)
    assert caught.value.field == field
    assert not Grant.objects.exists()


def test_a_grant_needs_both_agencies_on_the_agreement(world):
    narrow = sharing.save_agreement(
        InformationSharingAgreement(),
        values={
            "title": "Police and housing only",
            "purpose": "Tenancy enforcement",
            "data_items": "Names, incidents",
            "retention": "Two years",
            "review_on": TODAY + timedelta(days=100),
            "lawful_basis": Art6.PUBLIC_TASK,
        },
        parties=[world.police, world.housing],
        user=world.dpo,
        at=AT,
    )
    with pytest.raises(SharingError) as caught:
        sharing.grant_access(
            world.lead,
            world.case,
            agency=world.council,
            scope=Scope.WHOLE,
            agreement=narrow,
            purpose="Joint problem-solving",
            expires_at=AT + timedelta(days=30),
            at=AT,
        )
    assert caught.value.field == "agreement"


def test_only_the_lead_agency_grants_and_revokes(world, agreement):
    for someone in (world.council_worker, world.admin, world.dpo):
        with pytest.raises(PermissionDenied):
            sharing.grant_access(
                someone,
                world.case,
                agency=world.housing,
                scope=Scope.WHOLE,
                agreement=agreement,
                purpose="Joint problem-solving",
                expires_at=AT + timedelta(days=30),
                at=AT,
            )
    grant = give(world, agreement, Scope.WHOLE)
    with pytest.raises(PermissionDenied):
        sharing.revoke_grant(world.council_worker, grant, reason="Not needed", at=AT)
    revoked = sharing.revoke_grant(world.colleague, grant, reason="Not needed", at=AT)
    assert revoked.revoked_at == AT and not revoked.live(AT)
    with pytest.raises(SharingError, match="already revoked"):
        sharing.revoke_grant(world.lead, grant, reason="Not needed", at=AT)


def test_agreements_are_kept_by_admins_and_the_dpo_only(world):
    values = {
        "title": "T",
        "purpose": "P",
        "data_items": "D",
        "retention": "R",
        "review_on": TODAY,
        "lawful_basis": Art6.PUBLIC_TASK,
    }
    for someone in (world.lead, world.board, world.coordinator):
        with pytest.raises(PermissionDenied):
            sharing.save_agreement(
                InformationSharingAgreement(),
                values=values,
                parties=[world.police, world.council],
                user=someone,
                at=AT,
            )
    with pytest.raises(SharingError, match="at least two parties"):
        sharing.save_agreement(
            InformationSharingAgreement(),
            values=values,
            parties=[world.police],
            user=world.dpo,
            at=AT,
        )
    with pytest.raises(SharingError) as caught:
        sharing.save_agreement(
            InformationSharingAgreement(),
            values={**values, "retention": ""},
            parties=[world.police, world.council],
            user=world.dpo,
            at=AT,
        )
    assert caught.value.field == "retention"


def test_a_stale_agreement_edit_is_refused(world, agreement):
    sharing.save_agreement(
        agreement, values={"retention": "Seven years"}, version=1, user=world.dpo, at=AT
    )
    with pytest.raises(StaleEdit) as caught:
        sharing.save_agreement(
            agreement, values={"retention": "Five years"}, version=1, user=world.admin, at=AT
        )
    assert caught.value.others[0].by.startswith("Kim Dpo")


@pytest.mark.parametrize(
    ("basis", "problem"),
    [
        (
            {"lawful_basis": Art6.PUBLIC_TASK, "special_category": True},
            "special_category_condition",
        ),
        (
            {
                "lawful_basis": Art6.PUBLIC_TASK,
                "special_category_condition": Art9.HEALTH_SOCIAL_CARE,
                "special_category": True,
            },
            "dpa_condition",
        ),
        (
            {
                "lawful_basis": Art6.PUBLIC_TASK,
                "special_category_condition": "g",
                "dpa_condition": DpaCondition.HEALTH_SOCIAL_CARE,
                "special_category": True,
            },
            "dpa_condition",
        ),
        ({"lawful_basis": Art6.PUBLIC_TASK, "criminal_offence_data": True}, "dpa_condition"),
        (
            {"lawful_basis": Art6.PUBLIC_TASK, "dpa_condition": DpaCondition.LE_SAFEGUARDING},
            "dpa_condition",
        ),
        (
            {
                "lawful_basis": Art6.LAW_ENFORCEMENT,
                "special_category": True,
                "dpa_condition": DpaCondition.SAFEGUARDING,
            },
            "dpa_condition",
        ),
        ({"lawful_basis": "vibes"}, "lawful_basis"),
    ],
)
def test_the_lawful_basis_must_hold_together(basis, problem):
    assert set(basis_problems(**basis)) == {problem}


@pytest.mark.parametrize(
    "basis",
    [
        {"lawful_basis": Art6.PUBLIC_TASK},
        {
            "lawful_basis": Art6.PUBLIC_TASK,
            "special_category_condition": "g",
            "dpa_condition": DpaCondition.SAFEGUARDING,
            "special_category": True,
            "criminal_offence_data": True,
        },
        {
            "lawful_basis": Art6.VITAL_INTERESTS,
            "special_category_condition": "c",
            "special_category": True,
        },
        {
            "lawful_basis": Art6.LAW_ENFORCEMENT,
            "special_category": True,
            "dpa_condition": DpaCondition.LE_SAFEGUARDING,
        },
        {
            "lawful_basis": Art6.PUBLIC_TASK,
            "criminal_offence_data": True,
            "dpa_condition": DpaCondition.UNLAWFUL_ACTS,
        },
    ],
)
def test_bases_that_hold(basis):
    assert basis_problems(**basis) == {}


def test_consent_changes_are_audited_with_old_and_new_values(world):
    given = sharing.record_consent(
        world.lead, world.case, world.victim, status="given", recorded_on=TODAY, at=AT
    )
    assert (given.status, given.lawful_basis, given.version) == ("given", "", 1)
    created = AuditEntry.objects.get(object_type="sharing.Consent", action="create")
    assert created.changes["status"] == "given" and created.changes["subject"] == world.victim.pk
    withdrawn = sharing.record_consent(
        world.colleague,
        world.case,
        world.victim,
        status="refused",
        lawful_basis=Art6.PUBLIC_TASK,
        recorded_on=TODAY,
        notes="Withdrew at the visit",
        version=1,
        at=AT + timedelta(hours=1),
    )
    assert (withdrawn.status, withdrawn.version, withdrawn.recorded_by) == (
        "refused",
        2,
        world.colleague,
    )
    updated = AuditEntry.objects.get(object_type="sharing.Consent", action="update")
    assert updated.changes["status"] == {"from": "given", "to": "refused"}
    assert updated.changes["lawful_basis"] == {"from": "", "to": "public_task"}
    assert updated.changes["notes"] == "changed"


def test_consent_not_sought_needs_the_basis_used_instead(world):
    with pytest.raises(SharingError) as caught:
        sharing.record_consent(
            world.lead, world.case, world.victim, status="not_sought", recorded_on=TODAY, at=AT
        )
    assert caught.value.field == "lawful_basis"
    with pytest.raises(SharingError, match="not the basis"):
        sharing.record_consent(
            world.lead,
            world.case,
            world.victim,
            status="not_sought",
            lawful_basis=Art6.CONSENT,
            recorded_on=TODAY,
            at=AT,
        )
    assert not Consent.objects.exists()
    kept = sharing.record_consent(
        world.lead,
        world.case,
        world.victim,
        status="not_sought",
        lawful_basis=Art6.VITAL_INTERESTS,
        recorded_on=TODAY,
        at=AT,
    )
    assert kept.lawful_basis == "vital_interests"


def test_a_stale_consent_change_is_refused_naming_the_other(world):
    sharing.record_consent(
        world.lead, world.case, world.victim, status="given", recorded_on=TODAY, at=AT
    )
    sharing.record_consent(
        world.colleague,
        world.case,
        world.victim,
        status="refused",
        recorded_on=TODAY,
        version=1,
        at=AT,
    )
    with pytest.raises(StaleEdit) as caught:
        sharing.record_consent(
            world.lead,
            world.case,
            world.victim,
            status="not_sought",
            lawful_basis=Art6.PUBLIC_TASK,
            recorded_on=TODAY,
            version=1,
            at=AT,
        )
    assert "Cal Colleague" in str(caught.value)
    assert Consent.objects.get().status == "refused"


def test_consent_is_for_subjects_on_the_case_and_recorded_by_the_lead_agency(world, agreement):
    from saferhub.subjects.models import Subject

    stranger = Subject.objects.create(
        kind="person", display_name="Not on it", created_by=world.lead
    )
    with pytest.raises(SharingError) as caught:
        sharing.record_consent(
            world.lead, world.case, stranger, status="given", recorded_on=TODAY, at=AT
        )
    assert caught.value.field == "subject"
    give(world, agreement, Scope.WHOLE)
    with pytest.raises(PermissionDenied):
        sharing.record_consent(
            world.council_worker, world.case, world.victim, status="given", recorded_on=TODAY, at=AT
        )
    with pytest.raises(SharingError):
        sharing.record_consent(
            world.lead,
            world.case,
            world.victim,
            status="given",
            recorded_on=TODAY + timedelta(days=1),
            at=AT,
        )
