"""Where job results are kept: a private folder beside the evidence store (var/jobs by
default), outside anything the web server serves; files readable by the site's user only.

Django's storage API, so a deployment that keeps documents in object storage swaps this one
function."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

from ..evidence.location import default_store_path


def storage() -> Storage:
    # Built on each use: the folder follows SAFERHUB_STORE, as the evidence store does.
    folder = default_store_path().parent / "jobs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return FileSystemStorage(
        location=folder, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


def save(content: bytes, suffix: str) -> str:
    """Store `content` under a random name (never the user's words); returns that name."""
    return storage().save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content))


def delete(name: str) -> None:
    if name:
        storage().delete(name)
