"""What an uploaded case document is, from its content, and whether it may be kept.

A file's name and the browser's content type are the uploader's claims; only the bytes say
what it is. `check_document` reads the bytes (already bounded by the caller, see
`services.read_bounded`), finds the type from magic numbers (and, for Word and Excel, the
zip's own parts), and refuses a file that is empty, too large, of a type not on the
allow-list, or whose extension claims a type it is not. Pure: no Django, no storage, so a
refused file never reaches the disk.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from ..cells import CONTROLS
from ..uploads import MB, Limits, UploadRefused, check_size, check_zip

# A case document: a letter, a photo, a statement, a spreadsheet of incidents. 20 MB holds a
# scanned 40-page PDF or a phone photo several times over; the zip limits are those of
# `uploads.PLAN` for the Word and Excel files among them.
DOCUMENT = Limits(
    kind="a case document",
    file_bytes=20 * MB,
    zip_entries=2_000,
    zip_total=200 * MB,
    zip_member=100 * MB,
    zip_ratio=100,
    rows=0,  # documents are stored, not read row by row
    columns=0,
    cells=0,
    paragraphs=0,
    characters=0,
    seconds=30.0,
)

# Detected type -> (the content type served on download, the type in words).
TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "a PDF"),
    "png": ("image/png", "a PNG image"),
    "jpeg": ("image/jpeg", "a JPEG image"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "a Word document (.docx)",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "an Excel workbook (.xlsx)",
    ),
    "text": ("text/plain; charset=utf-8", "plain text or CSV"),
}

# The allow-list: each extension a document may have, and the type its content must be.
EXTENSIONS: dict[str, str] = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "docx": "docx",
    "xlsx": "xlsx",
    "txt": "text",
    "csv": "text",
}

ALLOWED = ", ".join(f".{ext}" for ext in EXTENSIONS)

# Control characters a text file never holds (tab, newlines and form feed are fine).
TEXT_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Checked:
    """A document that may be stored: what it is and its fingerprint."""

    filename: str  # the name cleaned for showing (no folders, no control characters)
    extension: str
    file_type: str  # a key of TYPES
    content_type: str
    size: int
    sha256: str


def clean_filename(name: str) -> str:
    """The file's own name without any folder (Windows or POSIX), control characters or
    surrounding spaces, at most 255 characters (keeping the extension)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = CONTROLS.sub("", base).replace("\x7f", "").strip().strip(".")
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base


def detect(data: bytes) -> str | None:
    """The allow-listed type the content is, or None. Word and Excel are told apart (and
    from any other zip) by the parts Office writes; a macro-enabled file is not allowed."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    if _is_text(data):
        return "text"
    return None


def _office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None  # macros: .docm/.xlsm, whatever the name says
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _is_text(data: bytes) -> bool:
    """UTF-8 (with or without a byte-order mark) or Windows-1252 text, as Excel saves CSV,
    without the control characters binary files are full of."""
    if TEXT_CONTROLS.search(data):
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def check_document(data: bytes, filename: str, limits: Limits = DOCUMENT) -> Checked:
    """Refuse (`UploadRefused`, naming the file and what to do) unless `data` is a
    non-empty, allow-listed file within the limits whose extension matches its content."""
    name = clean_filename(filename)
    shown = name or "the file"
    if not name:
        raise UploadRefused(shown, "it has no name: choose the file again")
    if not data:
        raise UploadRefused(shown, "the file is empty: choose the file that holds the document")
    check_size(len(data), shown, limits)
    _, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    if ext not in EXTENSIONS:
        what = f"files ending .{ext} cannot be kept on a case" if ext else "it has no extension"
        raise UploadRefused(shown, f"{what}: the types allowed are {ALLOWED}")
    if data.startswith(b"PK\x03\x04"):
        check_zip(data, shown, limits)
    found = detect(data)
    if found is None:
        raise UploadRefused(
            shown,
            f"its content is not one of the types allowed ({ALLOWED}); a macro-enabled Word "
            "or Excel file is refused too: save it as .pdf, .docx or .xlsx",
        )
    if found != EXTENSIONS[ext]:
        raise UploadRefused(
            shown,
            f"its name says .{ext} but its content is {TYPES[found][1]}: rename it to the "
            "right extension, or choose the right file",
        )
    return Checked(
        filename=name,
        extension=ext,
        file_type=found,
        content_type=TYPES[found][0],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
