"""Sharing through the pages: a grant made and revoked; a locked subject found in search, a
request with a reason, the lead agency approving (the grant made) or refusing, the requester
told; break glass and the data protection officer's review; agreements kept by the admin and
DPO, a refused signed copy storing nothing. Every bad input named field by field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.sharing.models import (
    AccessRequest,
    BreakGlass,
    Grant,
    InformationSharingAgreement,
    Scope,
)
from tests.cases import documents as files

from .conftest import TODAY
from .pages import named, summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def grant_form(chosen, **values) -> dict:
    return {
        "scope": Scope.WHOLE,
        "agreement": chosen.pk,
        "purpose": "Joint visits to the tenant",
        "expires_on": (TODAY + timedelta(days=90)).isoformat(),
        **values,
    }


def test_the_lead_shares_a_case_and_revokes_the_grant(world, agreement, as_user):
    client = as_user(world.lead)
    url = reverse("casework:grant-add", kwargs={"pk": world.case.pk})
    for values, fields in [
        ({"agency": world.council.pk, "purpose": "x"}, ["purpose"]),
        (
            {"agency": world.council.pk, "expires_on": (TODAY + timedelta(days=400)).isoformat()},
            ["expires_on"],
        ),
        ({"agency": world.council.pk, "scope": Scope.NAMED_SUBJECTS}, ["subjects"]),
        (
            {
                "agency": world.council.pk,
                "include_special_category": "on",
                "lawful_basis": "public_task",
            },
            ["special_category_condition"],
        ),
        ({"agency": ""}, ["agency"]),
        ({"agency": world.council.pk, "agreement": ""}, ["agreement"]),
    ]:
        response = client.post(url, grant_form(agreement, **values))
        assert named(response, *fields), (values, summary(response))
    assert not Grant.objects.exists()
    made = client.post(url, grant_form(agreement, agency=world.council.pk))
    assert made.status_code == 302
    grant = Grant.objects.get()
    assert grant.scope == Scope.WHOLE and grant.purpose == "Joint visits to the tenant"
    assert grant.lawful_basis == agreement.lawful_basis
    assert (
        as_user(world.council_worker)
        .get(reverse("casework:case", kwargs={"pk": world.case.pk}))
        .status_code
        == 200
    )
    client = as_user(world.lead)
    revoke = reverse("casework:grant-revoke", kwargs={"pk": world.case.pk, "part": grant.pk})
    assert named(client.post(revoke, {"reason": ""}), "reason")
    assert client.post(revoke, {"reason": "Visits finished"}).status_code == 302
    assert (
        as_user(world.council_worker)
        .get(reverse("casework:case", kwargs={"pk": world.case.pk}))
        .status_code
        == 403
    )


def test_a_locked_subject_is_found_asked_for_and_the_request_approved(
    world, agreement, as_user, django_capture_on_commit_callbacks
):
    outsider = as_user(world.housing_worker)
    found = outsider.get(reverse("casework:search") + "?q=Testperson")
    page = text(found)
    assert "Ada Testperson" in page and "Locked" in page and "Request access" in page
    assert "Born 4 March 1990" not in page and "Alder Court" not in page
    url = reverse("casework:request-access", kwargs={"pk": world.case.pk})
    short = outsider.post(url, {"reason": "urgent", "subject": world.victim.pk})
    assert named(short, "reason") and not AccessRequest.objects.exists()
    asked = outsider.post(
        url,
        {"reason": "Our tenant: a joint visit is planned next week", "subject": world.victim.pk},
    )
    assert asked.status_code == 302
    request = AccessRequest.objects.get()
    assert request.subject == world.victim
    again = outsider.get(reverse("casework:search") + "?q=Testperson")
    assert "Access requested" in text(again)

    lead = as_user(world.lead)
    assert "Fay Worker" in text(lead.get(reverse("casework:access-requests")))
    decide = reverse("casework:access-request", kwargs={"pk": request.pk})
    missing = lead.post(
        decide,
        {
            "decision": "approve",
            "decision_reason": "Agreed, joint visit",
            "scope": "whole",
            "agreement": agreement.pk,
            "purpose": "Joint visit to the tenant",
        },
    )
    assert named(missing, "expires_on")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = lead.post(
            decide,
            {
                "decision": "approve",
                "decision_reason": "Agreed, joint visit",
                "scope": "whole",
                "agreement": agreement.pk,
                "purpose": "Joint visit to the tenant",
                "expires_on": (TODAY + timedelta(days=30)).isoformat(),
            },
        )
    assert approved.status_code == 302
    grant = Grant.objects.get(access_request=request)
    assert grant.agency == world.housing
    assert [m.to for m in mail.outbox] == [[world.housing_worker.email]]
    outsider = as_user(world.housing_worker)
    assert outsider.get(reverse("casework:case", kwargs={"pk": world.case.pk})).status_code == 200
    home = text(outsider.get(reverse("home")))
    assert "was approved" in home and "Agreed, joint visit" in home


def test_a_request_is_refused_with_a_reason_and_the_requester_sees_it(world, things, as_user):
    lead = as_user(world.lead)
    decide = reverse("casework:access-request", kwargs={"pk": things.access_request.pk})
    no_reason = lead.post(decide, {"decision": "refuse", "decision_reason": ""})
    assert named(no_reason, "decision_reason")
    refused = lead.post(
        decide, {"decision": "refuse", "decision_reason": "Not needed: we will share a summary"}
    )
    assert refused.status_code == 302
    things.access_request.refresh_from_db()
    assert things.access_request.status == "refused"
    page = text(as_user(world.housing_worker).get(reverse("casework:access-requests")))
    assert "Refused" in page and "Not needed: we will share a summary" in page
    # The requester cannot decide their own request.
    response = as_user(world.housing_worker).get(decide)
    assert response.status_code == 403


def test_break_glass_needs_a_reason_and_the_dpo_reviews_it(world, as_user):
    client = as_user(world.housing_worker)
    url = reverse("casework:break-glass", kwargs={"pk": world.case.pk})
    page = text(client.get(url))
    assert "Anti-social behaviour" in page and "Alder Court" not in page
    refused = client.post(url, {"reason": "now"})
    assert named(refused, "reason", "confirm") and not BreakGlass.objects.exists()
    opened = client.post(
        url, {"reason": "Tenant missing tonight and police unreachable", "confirm": "on"}
    )
    assert opened.status_code == 302
    case_page = text(client.get(reverse("casework:case", kwargs={"pk": world.case.pk})))
    assert "emergency access" in case_page and "Alder Court" in case_page
    glass = BreakGlass.objects.get()
    dpo = as_user(world.dpo)
    assert "Fay Worker" in text(dpo.get(reverse("casework:reviews")))
    review = reverse("casework:review", kwargs={"pk": glass.pk})
    assert named(dpo.post(review, {"outcome": "not_justified", "notes": ""}), "notes")
    assert dpo.post(review, {"outcome": "justified", "notes": ""}).status_code == 302
    glass.refresh_from_db()
    assert glass.outcome == "justified" and glass.reviewed_by == world.dpo


def test_agreements_are_kept_by_the_admin_and_a_refused_signed_copy_stores_nothing(world, as_user):
    client = as_user(world.admin)
    url = reverse("casework:agreement-new")
    values = {
        "title": "Eastmere housing and police sharing (fictional)",
        "parties": [world.police.pk, world.housing.pk],
        "purpose": "Tenancy-related anti-social behaviour",
        "data_items": "Names, addresses, incidents",
        "retention": "Six years",
        "review_on": (TODAY + timedelta(days=365)).isoformat(),
        "lawful_basis": "public_task",
    }
    one_party = client.post(url, {**values, "parties": [world.police.pk]})
    assert named(one_party, "parties")
    mismatch = client.post(url, {**values, "special_category_condition": "g"})
    assert named(mismatch, "dpa_condition")
    folder = settings.CASEWORK_DOCUMENTS
    bad = client.post(url, {**values, "document": SimpleUploadedFile("signed.pdf", files.PNG)})
    assert named(bad, "document")
    assert not InformationSharingAgreement.objects.exists()
    assert not (folder.exists() and any(p.is_file() for p in folder.rglob("*")))
    good = client.post(url, {**values, "document": SimpleUploadedFile("signed.pdf", files.PDF)})
    assert good.status_code == 302
    agreement = InformationSharingAgreement.objects.get()
    assert agreement.document_name == "signed.pdf" and agreement.document_sha256
    page = text(as_user(world.lead).get(reverse("casework:agreements")))
    assert "Eastmere housing and police sharing (fictional)" in page
    assert "Add an agreement" not in page


def test_search_reads_the_box_and_names_what_it_could_not(world, as_user):
    client = as_user(world.lead)
    by_date = text(client.get(reverse("casework:search") + "?q=4/3/1990"))
    assert "Searched as a date of birth" in by_date and "Ada Testperson" in by_date
    assert "Born 4 March 1990" in by_date
    empty = client.get(reverse("casework:search") + "?q=")
    assert named(empty, "q")
    nothing = text(client.get(reverse("casework:search") + "?q=Nobodyatall"))
    assert "0 records found" in nothing
    entry = AuditEntry.objects.filter(object_type="subjects.search").latest("id")
    assert entry.changes["terms"] == {"query": "Nobodyatall", "read_as": "name"}
