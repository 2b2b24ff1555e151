"""Writing to and checking the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

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
        last = AuditEntry.objects.order_by("-id").only("id", "hash").first()
        entry = AuditEntry(
            id=(last.id + 1) if last else 1,
            at=timezone.now(),
            actor=actor,
            actor_label=getattr(actor, "email", "") or "",
            address=client_address(request),
            action=action,
            object_type=object_type,
            object_id=object_id,
            changes=changes or {},
            previous_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


@dataclass
class Verification:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> Verification:
    """Recompute the chain from the first entry; report every edit, gap or reordering."""
    problems: list[str] = []
    expected_previous, expected_id, count = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("id").iterator():
        count += 1
        if entry.id != expected_id:
            problems.append(f"entries {expected_id}..{entry.id - 1} are missing (deleted)")
        if entry.previous_hash != expected_previous:
            problems.append(f"entry {entry.id}: does not follow the entry before it")
        if entry.compute_hash() != entry.hash:
            problems.append(f"entry {entry.id}: content changed after it was written")
        expected_previous, expected_id = entry.hash, entry.id + 1
    return Verification(entries=count, problems=problems)
