"""Access requests (asked, approved into a grant, or refused; the requester told) and break
glass (a reason, a few hours, the DPO told at once and reviewing it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as v
from saferhub.sharing import notices, policy
from saferhub.sharing import services as sharing
from saferhub.sharing.models import AccessRequest, BreakGlass, Grant, Scope
from saferhub.sharing.services import SharingError

from .conftest import AT

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

REASON = "Tenant of ours at this address; we are planning a joint visit next week"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def ask(world, *, at=AT, who=None):
    return sharing.request_access(
        who or world.housing_worker, world.case, reason=REASON, subject=world.victim, at=at
    )


def test_a_request_tells_the_lead_officer_and_waits_for_the_lead_agency(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(world)
    assert [m.to for m in mail.outbox] == [[world.lead.email]]
    assert world.case.reference in mail.outbox[0].subject
    assert list(notices.pending_access_requests(world.colleague, at=AT)) == [asked]
    assert list(notices.pending_access_requests(world.council_worker, at=AT)) == []
    audit = AuditEntry.objects.get(object_type="sharing.AccessRequest", action="create")
    assert audit.changes["reason"] == REASON
    with pytest.raises(SharingError, match="asked for access to this case already"):
        ask(world)


@pytest.mark.parametrize("reason", ["", "urgent", "x" * 19])
def test_a_request_needs_a_real_reason(world, reason):
    with pytest.raises(SharingError) as caught:
        sharing.request_access(world.housing_worker, world.case, reason=reason, at=AT)
    assert caught.value.field == "reason"
    assert not AccessRequest.objects.exists()


def test_approval_creates_the_grant_and_the_requester_is_told(
    world, agreement, django_capture_on_commit_callbacks
):
    asked = ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        decided = sharing.decide_access_request(
            world.colleague,
            asked,
            approve=True,
            reason="Joint visit agreed",
            grant={
                "scope": Scope.NAMED_SUBJECTS,
                "agreement": agreement,
                "purpose": "Joint visit to the victim",
                "subjects": [world.victim],
                "expires_at": AT + timedelta(days=14),
            },
            at=AT,
        )
    assert decided.status == "approved" and decided.decided_by == world.colleague
    grant = Grant.objects.get(access_request=decided)
    assert (grant.agency, grant.scope, grant.granted_by) == (
        world.housing,
        Scope.NAMED_SUBJECTS,
        world.colleague,
    )
    assert policy.can(world.housing_worker, v.VIEW, world.victim, at=AT)
    assert not policy.can(world.housing_worker, v.VIEW, world.perpetrator, at=AT)
    told = [m for m in mail.outbox if m.to == [world.housing_worker.email]]
    assert len(told) == 1 and "was approved" in told[0].body and "8 December 2026" in told[0].body
    assert list(notices.access_request_notices(world.housing_worker, at=AT)) == [decided]
    assert (
        list(notices.access_request_notices(world.housing_worker, at=AT + timedelta(days=15))) == []
    )
    assert list(notices.pending_access_requests(world.lead, at=AT)) == []


def test_refusal_creates_nothing_and_is_told_with_the_reason_on_the_site(
    world, django_capture_on_commit_callbacks
):
    asked = ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        sharing.decide_access_request(
            world.lead, asked, approve=False, reason="No current need: case closing", at=AT
        )
    asked.refresh_from_db()
    assert asked.status == "refused" and not Grant.objects.exists()
    told = [m for m in mail.outbox if m.to == [world.housing_worker.email]]
    assert "was refused" in told[0].body and "No current need" not in told[0].body
    (notice,) = notices.access_request_notices(world.housing_worker, at=AT)
    assert notice.decision_reason == "No current need: case closing"
    audit = AuditEntry.objects.get(object_type="sharing.AccessRequest", action="update")
    assert audit.changes["status"] == {"from": "pending", "to": "refused"}


def test_only_the_lead_agency_decides_never_twice_and_never_the_requester(world, agreement):
    asked = ask(world)
    for someone in (world.council_worker, world.housing_worker, world.admin, world.dpo):
        with pytest.raises(PermissionDenied):
            sharing.decide_access_request(
                someone, asked, approve=False, reason="Not mine to decide", at=AT
            )
    sharing.decide_access_request(world.lead, asked, approve=False, reason="Not needed now", at=AT)
    with pytest.raises(SharingError, match="already refused by Pat Lead"):
        sharing.decide_access_request(
            world.colleague, asked, approve=False, reason="Not needed now", at=AT
        )


def test_a_bad_grant_in_an_approval_leaves_the_request_pending(world, agreement):
    asked = ask(world)
    with pytest.raises(SharingError) as caught:
        sharing.decide_access_request(
            world.lead,
            asked,
            approve=True,
            reason="Agreed",
            grant={
                "scope": Scope.WHOLE,
                "agreement": agreement,
                "purpose": "Joint visit",
                "expires_at": AT + timedelta(days=400),
            },
            at=AT,
        )
    assert caught.value.field == "expires_at"
    asked.refresh_from_db()
    assert asked.status == "pending" and not Grant.objects.exists()


def test_the_lead_agency_and_whole_case_grantees_do_not_request(world, agreement):
    from .conftest import give

    with pytest.raises(PermissionDenied):
        ask(world, who=world.colleague)
    give(world, agreement, Scope.WHOLE)
    with pytest.raises(PermissionDenied):
        ask(world, who=world.council_worker)


def test_break_glass_flags_every_dpo_at_once_and_waits_for_review(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        glass = sharing.break_glass(
            world.housing_worker,
            world.case,
            reason="Resident barricaded in, officer attending now",
            at=AT,
        )
    assert glass.ends_at == AT + timedelta(hours=4)
    assert [m.to for m in mail.outbox] == [[world.dpo.email]]
    assert "Fay Worker" in mail.outbox[0].body and "barricaded" not in mail.outbox[0].body
    assert list(notices.break_glass_to_review(world.dpo)) == [glass]
    assert list(notices.break_glass_to_review(world.admin)) == []
    assert list(notices.my_break_glass(world.housing_worker, at=AT)) == [glass]
    reviewed = sharing.review_break_glass(world.dpo, glass, outcome="justified", at=AT)
    assert (
        reviewed.reviewed_by == world.dpo and list(notices.break_glass_to_review(world.dpo)) == []
    )
    with pytest.raises(SharingError, match="reviewed already"):
        sharing.review_break_glass(
            world.dpo, glass, outcome="not_justified", notes="Changed my mind", at=AT
        )
    actions = list(
        AuditEntry.objects.filter(object_type="sharing.BreakGlass").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "update"]


@pytest.mark.parametrize("reason", ["", "emergency", "   x" * 3])
def test_break_glass_needs_a_written_reason(world, reason):
    with pytest.raises(SharingError):
        sharing.break_glass(world.housing_worker, world.case, reason=reason, at=AT)
    assert not BreakGlass.objects.exists()


def test_break_glass_is_not_for_those_who_see_the_case_or_for_other_roles(world):
    for someone in (world.lead, world.admin, world.dpo, world.board):
        with pytest.raises(PermissionDenied):
            sharing.break_glass(
                someone, world.case, reason="Resident barricaded in, officer attending now", at=AT
            )
    sharing.break_glass(
        world.housing_worker,
        world.case,
        reason="Resident barricaded in, officer attending now",
        at=AT,
    )
    with pytest.raises(PermissionDenied):  # while the first is live
        sharing.break_glass(
            world.housing_worker,
            world.case,
            reason="Resident barricaded in, officer attending now",
            at=AT,
        )


def test_an_unjustified_finding_needs_notes(world):
    glass = sharing.break_glass(
        world.housing_worker,
        world.case,
        reason="Resident barricaded in, officer attending now",
        at=AT,
    )
    with pytest.raises(SharingError) as caught:
        sharing.review_break_glass(world.dpo, glass, outcome="not_justified", at=AT)
    assert caught.value.field == "notes"
    with pytest.raises(SharingError):
        sharing.review_break_glass(world.dpo, glass, outcome="fine", at=AT)
