"""Writing to and checking the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import checkpoints
from .models import GENESIS, AuditEntry


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64] if request is not None else ""


def record(
    *,
    action: str,
    request=None,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    changes: dict | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the transaction that writes the protected data, so the
    data and its audit entry commit together or not at all."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One writer at a time extends the chain.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE audit_auditentry IN EXCLUSIVE MODE")
        # The newest entry's id and hash as a plain row: no model instance to build.
        newest = AuditEntry.objects.values_list("id", "hash").order_by("-id")
        last_id, last_hash = newest.first() or (0, GENESIS)
        entry = AuditEntry(
            id=last_id + 1,
            at=timezone.now(),
            actor=actor,
            actor_label=getattr(actor, "email", "") or "",
            address=client_address(request),
            action=action,
            object_type=object_type,
            object_id=object_id,
            changes=changes or {},
            previous_hash=last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        at = entry.at.isoformat()
        transaction.on_commit(lambda: checkpoints.write(entry.id, entry.hash, at))
    return entry


@dataclass
class Verification:
    entries: int
    problems: list[str]
    legacy: int = 0  # entries from before the chain was keyed
    checkpoints: int | None = None  # None: no checkpoint file

    @property
    def ok(self) -> bool:
        return not self.problems

    def notes(self) -> list[str]:
        """What the result cannot vouch for, in words."""
        notes = []
        if self.legacy:
            notes.append(
                f"the first {self.legacy} entries were hashed before the chain was keyed: "
                "a rewrite of them with the public algorithm would not show"
            )
        if self.checkpoints is None:
            notes.append(
                "no checkpoint file: removal of the newest entries cannot be detected "
                f"(expected at {settings.AUDIT_CHECKPOINTS})"
            )
        return notes


def _some(numbers: list[int]) -> str:
    """A long list of ids named briefly: "3, 4, 5 and 997 more"."""
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


def verify(checkpoint_file=None) -> Verification:
    """Recompute the chain from the first entry and check it against the checkpoints written
    outside the database; report every edit, gap, reordering, forgery or truncation."""
    problems: list[str] = []
    expected_previous, expected_id, count, legacy, keyed = GENESIS, 1, 0, 0, False
    hashes: dict[int, str] = {}
    for entry in AuditEntry.objects.order_by("id").iterator():
        count += 1
        if entry.id != expected_id:
            problems.append(f"entries {expected_id}..{entry.id - 1} are missing (deleted)")
        if entry.previous_hash != expected_previous:
            problems.append(f"entry {entry.id}: does not follow the entry before it")
        if entry.compute_hash() == entry.hash:
            keyed = True
        elif not keyed and entry.legacy_hash() == entry.hash:
            legacy += 1
        else:
            problems.append(f"entry {entry.id}: content changed after it was written")
        hashes[entry.id] = entry.hash
        expected_previous, expected_id = entry.hash, entry.id + 1
    written = checkpoints.read(checkpoint_file)
    unsigned = [p.line for p in written or [] if not p.signed]
    missing = [p.id for p in written or [] if p.signed and p.id not in hashes]
    rewritten = [p.id for p in written or [] if p.id in hashes and hashes[p.id] != p.hash]
    if unsigned:
        problems.append(f"checkpoint lines {_some(unsigned)}: not signed with the audit key")
    if missing:
        problems.append(f"checkpointed entries {_some(missing)} are missing: entries were deleted")
    if rewritten:
        problems.append(f"entries {_some(rewritten)} differ from their checkpoints: rewritten")
    last = max((p.id for p in written or [] if p.signed), default=0)
    if last > expected_id - 1:
        problems.append(
            f"the log ends at entry {expected_id - 1} but entry {last} was checkpointed: "
            "the newest entries were removed"
        )
    return Verification(
        entries=count,
        problems=problems,
        legacy=legacy,
        checkpoints=None if written is None else len(written),
    )
