"""Where case documents are kept: a Django storage backend outside the web root.

`settings.STORAGES["casework_documents"]`, when a site configures it (object storage, say),
is used as it is. Otherwise a private folder on disk: `settings.CASEWORK_DOCUMENTS` when set,
else `casework-documents/` beside the SQLite database (or in var/ for another database), which
is never under STATIC_ROOT or any URL: files leave only through the audited download.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

ALIAS = "casework_documents"
FOLDER = "casework-documents"


def documents_root(database: dict | None = None) -> Path:
    """The folder documents go in when no storage alias is configured (`database`: the
    settings of the site's database, `DATABASES["default"]` unless given)."""
    configured = getattr(settings, "CASEWORK_DOCUMENTS", None)
    if configured:
        return Path(configured)
    database = database or settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"].endswith("sqlite3") and name and not _in_memory(name):
        return Path(name).resolve().parent / FOLDER
    return Path(settings.VAR) / FOLDER


def _in_memory(name: str) -> bool:
    return name == ":memory:" or name.startswith("file:") or "mode=memory" in name


def document_storage() -> Storage:
    """The storage documents are saved to and read from."""
    if ALIAS in settings.STORAGES:
        return storages[ALIAS]
    return FileSystemStorage(
        location=documents_root(),
        base_url="/no-public-url/",  # never served: see the module docstring
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )
