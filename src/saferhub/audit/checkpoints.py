"""Signed checkpoints of the audit chain, kept outside the database.

A hash chain alone cannot show that its newest entries were removed, or that the whole table
was emptied: what is left still verifies. So after each committed entry its id and hash are
appended, signed with the audit key, to a file the database cannot touch
(`settings.AUDIT_CHECKPOINTS`; in production a file the site may only append to, e.g.
`chattr +a`, or a copy shipped to syslog). `verify` then checks the chain against every
checkpoint: an entry that was checkpointed must still be there, with the same hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger("saferhub.audit")


@dataclass(frozen=True)
class Checkpoint:
    line: int
    id: int
    hash: str
    at: str
    signed: bool  # the signature matches


def _signature(entry_id: int, entry_hash: str, at: str) -> str:
    message = f"{entry_id}|{entry_hash}|{at}".encode()
    return hmac.new(settings.AUDIT_KEY, message, hashlib.sha256).hexdigest()


def write(entry_id: int, entry_hash: str, at: str, path: Path | None = None) -> None:
    """Append one checkpoint. Called once the entry's transaction has committed, so a
    rolled-back entry is never checkpointed. A failure is logged (without the entry's
    content) and never fails the request that made the entry."""
    path = Path(path or settings.AUDIT_CHECKPOINTS)
    line = json.dumps(
        {"id": entry_id, "hash": entry_hash, "at": at, "sig": _signature(entry_id, entry_hash, at)}
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
    except OSError as exc:
        log.error("audit checkpoint not written to %s: %s", path, exc.strerror)


def read(path: Path | None = None) -> list[Checkpoint] | None:
    """Every checkpoint in the file, or None when there is no file."""
    path = Path(path or settings.AUDIT_CHECKPOINTS)
    if not path.is_file():
        return None
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(text)
            entry_id, entry_hash, at = int(data["id"]), str(data["hash"]), str(data["at"])
            signed = hmac.compare_digest(str(data["sig"]), _signature(entry_id, entry_hash, at))
        except (ValueError, KeyError, TypeError):
            found.append(Checkpoint(number, 0, "", "", signed=False))
            continue
        found.append(Checkpoint(number, entry_id, entry_hash, at, signed))
    return found
