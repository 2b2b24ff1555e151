"""What a document is, from its bytes: the allow-list, the claimed extension, the limits."""

from __future__ import annotations

import hashlib

import pytest

from saferhub.cases.files import DOCUMENT, check_document, clean_filename, detect
from saferhub.uploads import UploadRefused

from . import documents as f


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (f.PDF, "pdf"),
        (f.PNG, "png"),
        (f.JPEG, "jpeg"),
        (f.CSV, "text"),
        (f.TEXT_1252, "text"),
        (f.ELF, None),
        (f.zipped({"a.txt": b"x"}), None),
        (f.macro_word(), None),
        (b"PK\x03\x04 not really a zip", None),
        (b"abc\x00def", None),
    ],
)
def test_content_decides_the_type(data, kind):
    assert detect(data) == kind


def test_word_and_excel_are_told_apart_by_their_parts():
    assert detect(f.word()) == "docx"
    assert detect(f.excel()) == "xlsx"


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (f.ELF, "run-me.pdf", "not one of the types allowed"),
        (f.ELF, "run-me.exe", "files ending .exe cannot be kept"),
        (f.PDF, "statement", "has no extension"),
        (f.PNG, "statement.pdf", "its name says .pdf but its content is a PNG image"),
        (f.word(), "incidents.xlsx", "content is a Word document"),
        (f.PDF, "notes.txt", "content is a PDF"),
        (f.macro_word(), "letter.docx", "macro-enabled"),
        (b"", "empty.pdf", "the file is empty"),
        (f.PDF, "", "it has no name"),
        (f.bomb(), "letter.docx", "compressed"),
    ],
)
def test_bad_documents_are_refused_naming_the_file(data, name, words):
    with pytest.raises(UploadRefused) as caught:
        check_document(data, name)
    assert words in str(caught.value)


def test_too_large_is_refused_before_anything_else():
    small = DOCUMENT.__class__(**{**DOCUMENT.__dict__, "file_bytes": 10})
    with pytest.raises(UploadRefused, match="at most 10 bytes"):
        check_document(f.PDF, "statement.pdf", small)


def test_an_accepted_document_carries_its_sha256_and_served_type():
    checked = check_document(f.PDF, "C:\\Users\\pat\\Statement.PDF")
    assert checked.filename == "Statement.PDF"
    assert checked.extension == "pdf" and checked.file_type == "pdf"
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(f.PDF).hexdigest()
    assert check_document(f.JPEG, "photo.jpg").file_type == "jpeg"
    assert check_document(f.CSV, "log.csv").content_type.startswith("text/plain")


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\temp\\a.pdf", "a.pdf"),
        ("  bad\x00name\x1b.pdf ", "badname.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_filenames_lose_folders_and_control_characters(name, clean):
    assert clean_filename(name) == clean
