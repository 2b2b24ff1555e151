"""Uploading case documents: refused files leave nothing anywhere; kept ones carry their
SHA-256 and live outside the web root under generated names."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from saferhub.audit.models import AuditEntry
from saferhub.cases import services, storage
from saferhub.cases.files import DOCUMENT
from saferhub.cases.models import Document, ImmutableError
from saferhub.uploads import UploadRefused

from . import documents as f
from .conftest import AT

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def stored_files() -> list[Path]:
    root = Path(settings.CASEWORK_DOCUMENTS)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (f.ELF, "statement.pdf", "not one of the types allowed"),
        (f.ELF, "tool.exe", "cannot be kept on a case"),
        (f.PNG, "statement.pdf", "its content is a PNG image"),
        (f.macro_word(), "letter.docx", "macro-enabled"),
        (b"", "empty.pdf", "empty"),
        (f.bomb(), "letter.docx", "compressed"),
    ],
)
def test_a_refused_upload_stores_nothing(world, data, name, words):
    with pytest.raises(UploadRefused, match=words):
        services.upload_document(world.lead, world.case, SimpleUploadedFile(name, data), at=AT)
    assert not Document.objects.exists()
    assert stored_files() == []
    assert not AuditEntry.objects.filter(object_type="cases.Document").exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(world):
    small = DOCUMENT.__class__(**{**DOCUMENT.__dict__, "file_bytes": 50})

    class Unreadable(io.BytesIO):
        size = 51

        def chunks(self):
            raise AssertionError("read a file already known to be too large")

    with pytest.raises(UploadRefused, match="at most 50 bytes"):
        services.upload_document(
            world.lead, world.case, Unreadable(), filename="big.pdf", at=AT, limits=small
        )
    streamed = io.BytesIO(f.PDF * 10)  # no size known: refused as it passes the limit
    with pytest.raises(UploadRefused, match="at most 50 bytes"):
        services.upload_document(
            world.lead, world.case, streamed, filename="big.pdf", at=AT, limits=small
        )
    assert stored_files() == [] and not Document.objects.exists()


def test_a_kept_document_has_its_sha256_type_and_a_generated_name(world):
    data = f.word()
    document = services.upload_document(
        world.lead,
        world.case,
        SimpleUploadedFile("../Witness statement.docx", data),
        description="Statement",
        at=AT,
    )
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert (document.filename, document.file_type, document.size) == (
        "Witness statement.docx",
        "docx",
        len(data),
    )
    assert "Witness" not in document.storage_name
    assert document.storage_name.startswith(f"cases/{world.case.pk}/")
    (path,) = stored_files()
    assert path.read_bytes() == data
    assert Path(settings.CASEWORK_DOCUMENTS) in path.parents
    entry = AuditEntry.objects.get(object_type="cases.Document", action="create")
    assert entry.changes["sha256"] == document.sha256 and entry.changes["purpose"] == "lead agency"
    document.description = "changed"
    with pytest.raises(ImmutableError):
        document.save()


def test_the_stored_file_is_removed_if_recording_it_fails(world, monkeypatch):
    """A database failure after the file is stored (injected: the in-memory test database
    cannot be made to fail there) leaves neither the row nor the file."""

    def database_went_away(**kwargs):
        raise OperationalError("database went away")

    monkeypatch.setattr(services, "record", database_went_away)
    with pytest.raises(OperationalError):
        services.upload_document(world.lead, world.case, SimpleUploadedFile("a.pdf", f.PDF), at=AT)
    assert stored_files() == [] and not Document.objects.exists()


def test_without_a_setting_documents_go_beside_the_sqlite_database(settings, tmp_path):
    del settings.CASEWORK_DOCUMENTS
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "site.sqlite3")}
    assert storage.documents_root(sqlite) == tmp_path.resolve() / "casework-documents"
    memory = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "saferhub"}
    for database in (memory, postgres):
        assert storage.documents_root(database) == Path(settings.VAR) / "casework-documents"
    assert Path(settings.STATIC_ROOT) not in storage.documents_root(sqlite).parents


def test_a_storages_alias_replaces_the_disk(world, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        storage.ALIAS: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "object-store")},
        },
    }
    document = services.upload_document(
        world.lead, world.case, SimpleUploadedFile("a.pdf", f.PDF), at=AT
    )
    assert (tmp_path / "object-store" / document.storage_name).read_bytes() == f.PDF
