"""Documents through the pages: a refused upload (too big, a type not allowed, a name that
claims another type, empty) is named on the file field and nothing is stored, neither a row
nor a file; a good one is kept with its SHA-256 and downloaded with its audit entry."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.cases.files import DOCUMENT
from saferhub.cases.models import Document
from tests.cases import documents as files

from .pages import named, summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def stored() -> list:
    folder = settings.CASEWORK_DOCUMENTS
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def upload(client, world, name: str, data: bytes):
    return client.post(
        reverse("casework:document-upload", kwargs={"pk": world.case.pk}),
        {"file": SimpleUploadedFile(name, data), "description": "A fictional file"},
    )


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * DOCUMENT.file_bytes, "MB"),
        ("program.exe", files.ELF, "cannot be kept on a case"),
        ("photo.pdf", files.PNG, "its name says .pdf but its content is a PNG image"),
        ("letter.docx", files.macro_word(), "macro-enabled"),
        ("notes.txt", files.ELF, "not one of the types allowed"),
        ("bomb.docx", files.bomb(), ""),
        ("noextension", files.PDF, "no extension"),
    ],
)
def test_a_refused_upload_is_named_on_the_file_field_and_nothing_is_stored(
    world, as_user, name, data, says
):
    client = as_user(world.lead)
    before = stored()
    response = upload(client, world, name, data)
    assert response.status_code == 200
    assert named(response, "file"), summary(response)
    assert says in summary(response)
    assert not Document.objects.exists()
    assert stored() == before


def test_an_empty_file_is_refused_by_the_form(world, as_user):
    response = upload(as_user(world.lead), world, "empty.pdf", b"")
    assert named(response, "file") and not Document.objects.exists() and not stored()


def test_a_good_upload_is_kept_and_downloaded_with_its_audit_entry(world, as_user):
    client = as_user(world.lead)
    response = upload(client, world, "statement.docx", data := files.word())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert len(stored()) == 1
    assert "statement.docx" in text(
        client.get(reverse("casework:case", kwargs={"pk": world.case.pk}))
    )
    got = client.get(
        reverse("casework:document-download", kwargs={"pk": world.case.pk, "part": document.pk})
    )
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == data
    assert got["Content-Disposition"].startswith('attachment; filename="statement.docx"')
    assert got["X-Content-Type-Options"] == "nosniff"
    export = AuditEntry.objects.filter(action="export").latest("id")
    assert export.object_id == str(document.pk) and export.changes["sha256"] == document.sha256
    assert export.changes["purpose"] == "lead agency"


def test_a_document_of_another_case_is_not_found_through_this_one(world, things, as_user):
    from saferhub.cases import services as cases

    other = cases.create_case(
        world.lead,
        business_area=world.area,
        title="Another",
        opened_on=world.case.opened_on,
        extra={"asb_category": "Nuisance"},
    )
    response = as_user(world.lead).get(
        reverse("casework:document-download", kwargs={"pk": other.pk, "part": things.document.pk})
    )
    assert response.status_code == 404
