"""Real files of each allowed type, and files that pretend, written in memory."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
CSV = b"date,what\n2026-11-03,Shouting in the stairwell\n"
TEXT_1252 = "Café closed, £5 fine\n".encode("cp1252")
ELF = b"\x7fELF\x02\x01\x01" + bytes(40)


def word() -> bytes:
    document = docx.Document()
    document.add_paragraph("Statement of a fictional witness.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Incidents"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def macro_word() -> bytes:
    """A .docm in all but name: Word's parts plus a VBA project."""
    return zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(100),
        }
    )


def bomb() -> bytes:
    """A zip whose one part unpacks 1,000 times over its packed size."""
    return zipped(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"a" * (3 * 1024 * 1024)}
    )
