# ruff: noqa: F811  (the fixtures imported from tests/casework are test arguments)
"""Attacks on casework (subjects, cases, sharing, the casework pages and import), written as
tests: each confirmed weakness is an xfail(strict) test that passes once it is fixed (and then
must lose its mark), each attack the site refuses is an ordinary test so it stays refused.
The world is tests/casework's: an ASB case led by the police, a council grantee, a housing
practitioner with no access."""

from __future__ import annotations

import base64
import logging
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as verbs
from saferhub.cases import services as cases
from saferhub.cases.models import BusinessArea, Case, CaseSubject, Document
from saferhub.cases.models import Role as CaseRole
from saferhub.sharing import policy
from saferhub.sharing import services as sharing
from saferhub.sharing.models import AccessRequest, BreakGlass, Consent, GrantSubject, Scope
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import LinkEntry, NameEntry, PersonDetails, SpecialCategoryEntry
from saferhub.subjects.models import Person, Subject
from tests.cases import documents as files
from tests.cases.conftest import person
from tests.casework.conftest import (  # noqa: F401  (fixtures)
    AT,
    OPENED,
    TODAY,
    _documents_in_tmp,
    _on_a_fixed_day,
    agreement,
    as_user,
    enter,
    give,
    things,
    world,
)
from tests.casework.pages import summary, text

pytestmark = [pytest.mark.django_db]

NEW_PERSON = reverse("casework:subject-new", kwargs={"kind": "person"})
REASON = "Safeguarding concern raised tonight by a neighbour (fictional)"


def url(name: str, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs=kwargs)


def audits(**where) -> int:
    return AuditEntry.objects.filter(**where).count()


def own_case(world, user):
    """A case `user`'s agency leads (any practitioner may open one)."""
    return cases.create_case(
        user,
        business_area=BusinessArea.objects.get(code="ASB"),
        title="Our own case (fictional)",
        opened_on=OPENED,
        extra={"asb_category": "Personal", "incidents_reported": "1"},
        at=AT - timedelta(days=1),
    )


def special(world):
    return subjects.set_special_category(
        world.victim, SpecialCategoryEntry(religion="jewish"), by=world.lead
    )


# ==============================================================================================
# Confirmed weaknesses (xfail strict: each passes once fixed)
# ==============================================================================================


def test_break_glass_then_add_to_own_case_opens_special_category_for_ever(world, as_user):
    special(world)
    spy = world.housing_worker
    mine = own_case(world, spy)
    client = as_user(spy)
    assert (
        client.post(
            url("break-glass", pk=world.case.pk), {"reason": REASON, "confirm": "on"}
        ).status_code
        == 302
    )
    assert not policy.can(spy, verbs.VIEW_SPECIAL_CATEGORY, world.victim)  # as designed
    client.post(
        url("case-subject-add", pk=mine.pk),
        {"subject": world.victim.pk, "role": CaseRole.ASSOCIATE},
    )
    assert "Jewish" not in text(client.get(url("subject", pk=world.victim.pk)))
    later = AT + timedelta(days=30)  # the break glass ended long ago
    assert not policy.can(spy, verbs.VIEW_SPECIAL_CATEGORY, world.victim, at=later)
    assert not policy.visible_subjects(spy, at=later).filter(pk=world.victim.pk).exists()


def test_a_named_grant_is_laundered_through_the_grantees_own_case(world, agreement, as_user):
    special(world)
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim], end_days=1)
    spy = world.council_worker
    mine = own_case(world, spy)
    response = as_user(spy).post(
        url("case-subject-add", pk=mine.pk),
        {"subject": world.victim.pk, "role": CaseRole.VICTIM},
    )
    added = CaseSubject.objects.filter(case=mine, subject=world.victim).exists()
    later = AT + timedelta(days=10)  # the grant expired
    assert not (
        added and policy.visible_subjects(spy, at=later).filter(pk=world.victim.pk).exists()
    ), response.status_code
    assert not policy.can(spy, verbs.VIEW_SPECIAL_CATEGORY, world.victim)


def test_a_grantee_cannot_change_the_lead_agencys_subject(world, agreement, as_user):
    give(world, agreement, Scope.WHOLE)
    spy = world.council_worker
    mine = own_case(world, spy)
    client = as_user(spy)
    client.post(
        url("case-subject-add", pk=mine.pk),
        {"subject": world.victim.pk, "role": CaseRole.ASSOCIATE},
    )
    world.victim.refresh_from_db()
    response = client.post(
        url("subject-edit", pk=world.victim.pk),
        {"date_of_birth": "1991-01-01", "gender": "", "version": world.victim.version},
    )
    person_row = Person.objects.get(subject=world.victim)
    assert person_row.date_of_birth == date(1990, 3, 4), response.status_code


def test_the_similar_check_does_not_confirm_a_locked_subjects_date_of_birth(world, as_user):
    client = as_user(world.housing_worker)
    response = client.post(
        NEW_PERSON,
        {
            "action": "check",
            "gender": "",
            "alias_type": "alias",
            "identifier_type": "",
            "given_names": "Ada",
            "family_name": "Testperson",
            "date_of_birth": "1990-03-04",
        },
    )
    page = text(response)
    assert "Locked" in page  # the locked view is shown, as designed
    shown = page.split("Similar records", 1)[1].split("Continue")[0]
    # No reason of the match (the page's own explanation of the check may name the fields).
    assert "same date of birth" not in shown and "dates of birth differ" not in shown
    assert "match</strong>" not in shown


def test_the_import_preview_does_not_confirm_a_locked_subjects_date_of_birth(world, as_user):
    client = as_user(world.housing_worker)
    rows = "".join(
        f"ASB/9{i},02/11/2026,ASB,Personal,Testperson,Ada,{day:02d}/03/1990,Victim,NB1 2AB\n"
        for i, day in enumerate(range(1, 8))
    )
    csv = "Case ref,Date opened,Business area,ASB category,Surname,First name,DOB,Role,Postcode\n"
    response = client.post(
        url("import"),
        {"file": SimpleUploadedFile("guess.csv", (csv + rows).encode(), "text/csv")},
    )
    assert response.status_code == 302, summary(response)
    preview = text(client.get(url("import-preview")))
    assert "Locked" in preview
    assert "same date of birth" not in preview


def test_the_request_and_break_glass_pages_are_on_the_record(world, things, as_user):
    client = as_user(world.housing_worker)
    before = audits(actor=world.housing_worker, action="view")
    asked = client.get(url("request-access", pk=world.case.pk) + f"?subject={things.spare.pk}")
    glass = client.get(url("break-glass", pk=world.case.pk))
    assert asked.status_code == glass.status_code == 200
    assert world.area.name in text(asked) and world.area.name in text(glass)
    assert audits(actor=world.housing_worker, action="view") >= before + 2
    # the spare person is on no case at all, let alone this one
    assert "Spare" not in text(asked)


# ==============================================================================================
# Attacks that are refused (each must stay refused)
# ==============================================================================================


def case_urls(world, things) -> list[str]:
    pk = world.case.pk
    return [
        url("case", pk=pk),
        url("case-edit", pk=pk),
        url("case-status", pk=pk),
        url("case-subject-add", pk=pk),
        url("case-subject-remove", pk=pk, part=things.row),
        url("consent", pk=pk, part=things.row),
        url("entry-add", pk=pk),
        url("entry-correct", pk=pk, part=things.entry.pk),
        url("task-add", pk=pk),
        url("task-edit", pk=pk, part=things.task.pk),
        url("document-upload", pk=pk),
        url("document-download", pk=pk, part=things.document.pk),
        url("grant-add", pk=pk),
        url("grant-revoke", pk=pk, part=things.grant.pk),
    ]


def test_another_agency_gets_403_on_every_case_url_and_each_refusal_is_audited(
    world, things, as_user
):
    client = as_user(world.housing_worker)
    BreakGlass.objects.all().delete()  # the fixture's break glass ended; make sure
    for target in case_urls(world, things):
        before = AuditEntry.objects.count()
        response = client.get(target)
        assert response.status_code == 403, target
        assert AuditEntry.objects.count() == before + 1, target
        assert world.case.title not in response.content.decode()


@pytest.mark.parametrize("state", ["expired", "revoked", "future"])
def test_a_dead_grant_opens_nothing(world, agreement, as_user, state):
    if state == "expired":
        give(world, agreement, Scope.WHOLE, start_days=-30, end_days=-1)
    elif state == "future":
        give(world, agreement, Scope.WHOLE, start_days=2, end_days=30)
    else:
        grant = give(world, agreement, Scope.WHOLE)
        sharing.revoke_grant(world.lead, grant, reason="No longer needed")
    client = as_user(world.council_worker)
    assert client.get(url("case", pk=world.case.pk)).status_code == 403
    assert not policy.visible_subjects(world.council_worker).filter(pk=world.victim.pk).exists()


@pytest.mark.parametrize("scope", [Scope.CHRONOLOGY_AND_TASKS, Scope.NAMED_SUBJECTS])
def test_a_partial_grant_reaches_no_document_and_no_other_subject(world, things, as_user, scope):
    things.grant.scope = scope
    things.grant.save(update_fields=["scope"])
    if scope == Scope.NAMED_SUBJECTS:
        GrantSubject.objects.create(grant=things.grant, subject=world.victim)
    client = as_user(world.council_worker)
    download = url("document-download", pk=world.case.pk, part=things.document.pk)
    assert client.get(download).status_code == 403
    assert client.get(url("document-upload", pk=world.case.pk)).status_code == 403
    assert client.get(url("subject", pk=world.perpetrator.pk)).status_code == 200
    page = text(client.get(url("subject", pk=world.perpetrator.pk)))
    assert "Locked" in page
    assert client.get(url("subject-special-category", pk=world.victim.pk)).status_code == 403
    case_page = client.get(url("case", pk=world.case.pk))
    assert things.document.filename not in text(case_page)
    if scope == Scope.CHRONOLOGY_AND_TASKS:
        assert "Examplename" not in text(case_page) and "Testperson" not in text(case_page)


def test_a_document_is_not_downloaded_through_another_case(world, things, as_user):
    mine = own_case(world, world.housing_worker)
    client = as_user(world.housing_worker)
    response = client.get(url("document-download", pk=mine.pk, part=things.document.pk))
    assert response.status_code == 404


def test_the_locked_view_shows_only_name_areas_and_agencies(world, things, as_user):
    cases.add_entry(
        world.lead,
        world.case,
        type="note",
        text="Secret note about Zebedee (fictional)",
        event_date=TODAY,
    )
    client = as_user(world.housing_worker)
    BreakGlass.objects.all().delete()
    before = audits(actor=world.housing_worker, object_id=str(world.victim.pk), action="view")
    page = text(client.get(url("subject", pk=world.victim.pk)))
    assert "Testperson" in page and "Locked" in page
    for secret in ("1990", "4 March", world.case.title, world.case.reference, "Zebedee"):
        assert secret not in page, secret
    assert audits(actor=world.housing_worker, object_id=str(world.victim.pk), action="view") == (
        before + 1
    )


def test_the_links_drawing_names_no_locked_subject(world, agreement, as_user):
    subjects.add_link(
        world.victim,
        world.perpetrator,
        LinkEntry(type="associate_of"),
        by=world.lead,
    )
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    response = as_user(world.council_worker).get(url("subject", pk=world.victim.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Examplename" not in html
    for blob in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html):
        assert b"Examplename" not in base64.b64decode(blob)


def test_search_gives_a_locked_hit_only_its_locked_view(world, as_user):
    response = as_user(world.housing_worker).get(url("search"), {"q": "Testperson"})
    page = text(response)
    assert "Testperson" in page
    assert "4 March" not in page and world.case.title not in page
    assert world.case.reference not in page
    assert audits(actor=world.housing_worker, object_type="subjects.search") == 1


def test_non_practitioners_see_no_case_and_no_subject_in_full(world, things, as_user):
    for user in (world.admin, world.board, world.analyst, world.coordinator, world.dpo):
        client = as_user(user)
        assert client.get(url("case", pk=world.case.pk)).status_code == 403
        page = client.get(url("subject", pk=world.victim.pk))
        assert page.status_code in (200, 403)
        assert "1990" not in text(page)


# --- access requests and break glass -----------------------------------------------------------


def test_a_request_cannot_be_approved_by_its_requester_or_a_grantee(world, things, as_user):
    asked = things.access_request
    for user in (world.housing_worker, world.council_worker):
        response = as_user(user).post(
            url("access-request", pk=asked.pk),
            {"decision": "approve", "decision_reason": "Looks fine to me", "scope": "whole"},
        )
        assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_a_second_request_for_one_case_is_refused(world, things, as_user):
    client = as_user(world.housing_worker)
    response = client.post(
        url("request-access", pk=world.case.pk), {"reason": REASON, "confirm": "on"}
    )
    assert response.status_code == 200 and summary(response)
    assert AccessRequest.objects.filter(requester=world.housing_worker).count() == 1


@pytest.mark.parametrize("reason", ["", "urgent", "x" * 4001])
def test_break_glass_needs_a_real_reason(world, as_user, reason):
    response = as_user(world.housing_worker).post(
        url("break-glass", pk=world.case.pk), {"reason": reason}
    )
    assert response.status_code == 200 and summary(response)
    assert not BreakGlass.objects.exists()


def test_break_glass_is_not_extended_while_live_and_reads_only(world, as_user):
    client = as_user(world.housing_worker)
    assert (
        client.post(
            url("break-glass", pk=world.case.pk), {"reason": REASON, "confirm": "on"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("break-glass", pk=world.case.pk), {"reason": REASON, "confirm": "on"}
        ).status_code
        == 403
    )
    assert BreakGlass.objects.count() == 1
    glass = BreakGlass.objects.get()
    assert glass.ends_at - glass.starts_at <= timedelta(hours=4)
    for name in ("entry-add", "document-upload", "case-edit", "grant-add", "task-add"):
        assert client.get(url(name, pk=world.case.pk)).status_code == 403, name


def test_a_dpo_does_not_review_their_own_break_glass(world, as_user):
    dpo = person(
        "lee.dpo@homes.example",
        world.housing,
        Role.PRACTITIONER,
        is_data_protection_officer=True,
    )
    glass = sharing.break_glass(dpo, world.case, reason=REASON)
    response = as_user(dpo).post(url("review", pk=glass.pk), {"outcome": "justified"})
    assert response.status_code == 403
    glass.refresh_from_db()
    assert glass.reviewed_at is None


# --- stale edits -------------------------------------------------------------------------------


def test_a_save_without_the_version_is_refused(world, as_user):
    client = as_user(world.lead)
    response = client.post(
        url("subject-edit", pk=world.victim.pk), {"date_of_birth": "1991-01-01", "gender": ""}
    )
    assert response.status_code == 200
    assert Person.objects.get(subject=world.victim).date_of_birth == date(1990, 3, 4)
    response = client.post(
        url("case-edit", pk=world.case.pk),
        {"title": "Taken over", "lead_officer": world.lead.pk},
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=world.case.pk).title == world.case.title


def test_a_stale_consent_change_is_refused(world, as_user):
    row = world.case.case_subjects.get(subject=world.victim)
    sharing.record_consent(world.lead, world.case, world.victim, status="given", recorded_on=TODAY)
    response = as_user(world.colleague).post(
        url("consent", pk=world.case.pk, part=row.pk),
        {"status": "refused", "recorded_on": TODAY.isoformat()},  # no version
    )
    assert response.status_code == 200 and summary(response)
    assert Consent.objects.get(case=world.case, subject=world.victim).status == "given"


# --- documents ---------------------------------------------------------------------------------


def up(client, world, name, data):
    return client.post(
        url("document-upload", pk=world.case.pk),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("macro.docx", files.macro_word()),
        ("bomb.docx", files.bomb()),
        ("run.exe.pdf", files.ELF),
    ],
)
def test_dangerous_uploads_are_refused(world, as_user, name, data):
    response = up(as_user(world.lead), world, name, data)
    assert response.status_code == 200 and summary(response)
    assert not Document.objects.exists()


def test_a_pdf_html_polyglot_is_only_ever_sent_as_a_pdf_attachment(world, as_user):
    client = as_user(world.lead)
    data = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    assert up(client, world, "statement.pdf", data).status_code == 302
    document = Document.objects.get()
    response = client.get(url("document-download", pk=world.case.pk, part=document.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        'say "hi"; x=.pdf',
        "a\r\nSet-Cookie: stolen=1\r\n.pdf",
        "r\u00e9sum\u00e9\u202egnp.pdf",
        "x" * 5000 + ".pdf",
    ],
)
def test_a_hostile_filename_is_cleaned_and_the_download_header_stays_one_header(
    world, as_user, name
):
    client = as_user(world.lead)
    # Through the service: a browser cannot send every one of these names in a form.
    document = cases.upload_document(
        world.lead, world.case, SimpleUploadedFile("x.pdf", files.PDF), filename=name
    )
    assert "/" not in document.filename and "\\" not in document.filename
    assert len(document.filename) <= 255
    assert ".." not in document.storage_name
    response = client.get(url("document-download", pk=world.case.pk, part=document.pk))
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\n" not in header and "\r" not in header
    assert "Set-Cookie" not in response.headers and "stolen" not in response.cookies
    assert audits(action="export", object_id=str(document.pk)) == 1


# --- merging -----------------------------------------------------------------------------------


def test_only_an_admin_undoes_a_merge(world, things, as_user):
    for user in (world.lead, world.dpo, world.coordinator):
        response = as_user(user).post(url("unmerge", pk=things.merge.pk), {"reason": "Undo it"})
        assert response.status_code == 403
    things.merge.refresh_from_db()
    assert things.merge.undone_at is None


def test_a_merge_with_a_record_the_user_cannot_change_is_refused(world, things, agreement, as_user):
    give(world, agreement, Scope.WHOLE)  # the council sees, never changes, the case
    theirs = subjects.create_person(
        name=NameEntry(given_names="Ada", family_name="Testperson"),
        details=PersonDetails(date_of_birth=date(1990, 3, 4)),
        by=world.council_worker,
    )
    client = as_user(world.council_worker)
    # the victim is not theirs to change: the merge page is refused outright
    assert client.get(url("subject-merge", pk=world.victim.pk)).status_code == 403
    response = client.get(url("subject-merge", pk=theirs.pk), {"other": world.victim.pk})
    assert response.status_code == 200 and summary(response)
    assert Subject.objects.get(pk=theirs.pk).merged_into_id is None
    assert Subject.objects.get(pk=world.victim.pk).merged_into_id is None


# --- import ------------------------------------------------------------------------------------


def test_an_import_cannot_open_a_case_in_another_agencys_name(world, as_user):
    client = as_user(world.housing_worker)
    csv = (
        "Case ref,Date opened,Business area,ASB category,Surname,First name,Role,Lead agency\n"
        f"ASB/55,02/11/2026,ASB,Personal,Newperson,Nia,Victim,{world.police.name}\n"
    )
    response = client.post(
        url("import"), {"file": SimpleUploadedFile("theirs.csv", csv.encode(), "text/csv")}
    )
    assert response.status_code == 302
    preview = client.get(url("import-preview"))
    assert "you can import only cases your own agency" in text(preview).lower()
    assert not Case.objects.filter(lead_agency=world.police).exclude(pk=world.case.pk).exists()


def test_an_import_keeps_a_formula_as_text_and_a_huge_file_is_refused(world, as_user):
    client = as_user(world.lead)
    huge = b"Surname,First name\n" + b"A,B\n" * (6 * 1024 * 1024)
    response = client.post(
        url("import"), {"file": SimpleUploadedFile("huge.csv", huge, "text/csv")}
    )
    assert response.status_code == 200 and "MB" in text(response)


# --- CSRF, redirects, logs ---------------------------------------------------------------------


def test_state_changes_need_a_post_with_a_csrf_token(world, things):
    client = Client(enforce_csrf_checks=True)
    enter(client, world.housing_worker)
    assert (
        client.get(
            url("break-glass", pk=world.case.pk), {"reason": REASON, "confirm": "on"}
        ).status_code
        == 200
    )
    before = BreakGlass.objects.count()
    response = client.post(
        url("break-glass", pk=world.case.pk), {"reason": REASON, "confirm": "on"}
    )
    assert response.status_code == 403
    assert BreakGlass.objects.count() == before
    enter(client, world.lead)
    client.get(
        url("grant-revoke", pk=world.case.pk, part=things.grant.pk),
        {"reason": REASON, "confirm": "on"},
    )
    things.grant.refresh_from_db()
    assert things.grant.revoked_at is None


def test_a_next_parameter_does_not_redirect_off_site(world, as_user):
    client = as_user(world.lead)
    response = client.post(
        NEW_PERSON + "?next=https://evil.example/",
        {
            "action": "check",
            "gender": "",
            "alias_type": "alias",
            "identifier_type": "",
            "given_names": "Quinn",
            "family_name": "Offsite",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("http")


def test_no_name_reaches_the_server_log(world, things, as_user, caplog):
    caplog.set_level(logging.DEBUG)
    client = as_user(world.housing_worker)
    client.get(url("search"), {"q": "Testperson"})
    client.post(
        url("break-glass", pk=world.case.pk), {"reason": REASON + " Zanzibar", "confirm": "on"}
    )
    client.get(url("subject", pk=world.victim.pk))
    client.get(url("case", pk=world.case.pk))
    client.get(url("case", pk=999999))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("Testperson", "Zanzibar", world.case.title, "Examplename"):
        assert secret not in logged, secret


def test_an_unknown_case_is_a_plain_404(world, as_user, settings):
    assert settings.DEBUG is False
    response = as_user(world.lead).get(url("case", pk=999999))
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
