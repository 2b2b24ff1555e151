"""A previewed file held on the server until its confirmation: one token, one user, one use.

The file's bytes and what the preview page set (the column map, the defaults, the digest of
what it showed) are kept through the case documents' storage backend (`cases.storage`:
outside the web root, owner-only files, object storage when a site configures it), under a
name derived from the token, never the token itself. A hold lasts `HOLD_FOR`; each new hold
drops the user's earlier ones and any that have expired. Confirming is once only: apply.py
claims the token's digest in the import's own transaction, and the held file is deleted as
soon as the import is made (its result is kept, so a second click is answered with it).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from ..storage import document_storage

FOLDER = "pending-imports"
HOLD_FOR = timedelta(hours=2)


@dataclass
class Pending:
    token: str
    user_id: int
    filename: str
    sha256: str
    created_at: datetime
    mapping: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""  # of the last preview shown
    result: dict | None = None  # once imported

    @property
    def claim(self) -> str:
        """What apply.py claims: the token's digest (64 hex characters)."""
        return digest(self.token)

    @property
    def imported(self) -> bool:
        return self.result is not None

    def expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) - self.created_at > HOLD_FOR

    def as_json(self) -> dict:
        return {
            "user_id": self.user_id,
            "filename": self.filename,
            "sha256": self.sha256,
            "created_at": self.created_at.isoformat(),
            "mapping": self.mapping,
            "defaults": self.defaults,
            "fingerprint": self.fingerprint,
            "result": self.result,
        }


def digest(token: str) -> str:
    return hashlib.sha256(f"casework-import:{token}".encode()).hexdigest()


def _names(token: str) -> tuple[str, str]:
    base = f"{FOLDER}/{digest(token)}"
    return f"{base}.json", f"{base}.data"


def _write(storage, name: str, content: bytes) -> None:
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(content))


def hold(data: bytes, *, filename: str, user, mapping=None, defaults=None) -> Pending:
    """Keep an uploaded file for its preview and confirmation; returns the hold."""
    drop_for(user)
    pending = Pending(
        token=secrets.token_urlsafe(32),
        user_id=user.pk,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=timezone.now(),
        mapping=dict(mapping or {}),
        defaults=dict(defaults or {}),
    )
    storage = document_storage()
    _, body = _names(pending.token)
    _write(storage, body, data)
    save(pending)
    return pending


def save(pending: Pending) -> None:
    meta, _ = _names(pending.token)
    _write(document_storage(), meta, json.dumps(pending.as_json()).encode())


def load(token: str, user) -> Pending | None:
    """The user's hold for `token`, or None (no such token, another user's, or expired)."""
    if not token or not isinstance(token, str):
        return None
    storage = document_storage()
    meta, _ = _names(token)
    if not storage.exists(meta):
        return None
    with storage.open(meta, "rb") as handle:
        data = json.loads(handle.read())
    pending = Pending(
        token=token,
        user_id=data["user_id"],
        filename=data["filename"],
        sha256=data["sha256"],
        created_at=datetime.fromisoformat(data["created_at"]),
        mapping=data.get("mapping") or {},
        defaults=data.get("defaults") or {},
        fingerprint=data.get("fingerprint", ""),
        result=data.get("result"),
    )
    if pending.user_id != getattr(user, "pk", None):
        return None
    if pending.expired():
        drop(pending)
        return None
    return pending


def data(pending: Pending) -> bytes | None:
    """The held file's bytes (None once imported or removed)."""
    storage = document_storage()
    _, body = _names(pending.token)
    if not storage.exists(body):
        return None
    with storage.open(body, "rb") as handle:
        return handle.read()


def done(pending: Pending, result: dict) -> None:
    """The import was made: forget the file, keep the result for a second click."""
    pending.result = result
    save(pending)
    storage = document_storage()
    _, body = _names(pending.token)
    if storage.exists(body):
        storage.delete(body)


def drop(pending: Pending) -> None:
    storage = document_storage()
    for name in _names(pending.token):
        if storage.exists(name):
            storage.delete(name)


def drop_for(user) -> None:
    """Forget the user's holds that were never imported, and every expired hold."""
    storage = document_storage()
    try:
        _, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    now = timezone.now()
    for name in files:
        if not name.endswith(".json"):
            continue
        path = f"{FOLDER}/{name}"
        try:
            with storage.open(path, "rb") as handle:
                meta = json.loads(handle.read())
            created = datetime.fromisoformat(meta["created_at"])
        except (OSError, ValueError, KeyError):
            continue
        mine = meta.get("user_id") == user.pk and meta.get("result") is None
        if mine or now - created > HOLD_FOR:
            for each in (path, path[: -len(".json")] + ".data"):
                if storage.exists(each):
                    storage.delete(each)
