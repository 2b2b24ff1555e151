"""Optimistic concurrency for the records people edit, shared by the cases and sharing
services: each carries `version`; an edit names the version its editor saw, and is refused
(`StaleEdit`, naming the other people's changes from the audit log) if the row moved on."""

from __future__ import annotations

from datetime import date, datetime

from ..audit.log import record
from ..audit.models import Action as Audit
from ..audit.models import AuditEntry
from .errors import OtherChange, StaleEdit


def shown(value) -> object:
    """A value as the audit entry keeps it: a person or agency by name, a date as ISO."""
    if value is None or isinstance(value, str | bool | int | dict | list):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


def check_version(current, seen: int, *, what: str) -> None:
    """Refuse the edit if `current` (just locked) moved past the version the editor saw."""
    if current.version == seen:
        return
    entries = (
        AuditEntry.objects.filter(
            object_type=current._meta.label, object_id=str(current.pk), action=Audit.UPDATE
        )
        .select_related("actor__agency")
        .order_by("-id")[:20]
    )
    others = []
    for entry in reversed(list(entries)):
        version = entry.changes.get("version") if isinstance(entry.changes, dict) else None
        if not isinstance(version, int) or version <= seen:
            continue
        actor = entry.actor
        by = f"{actor.full_name} ({actor.agency.name})" if actor else (entry.actor_label or "?")
        fields = {k: v for k, v in entry.changes.items() if k not in {"version", "purpose", "by"}}
        others.append(OtherChange(by=by, at=entry.at, version=version, changes=fields))
    raise StaleEdit(what=what, seen=seen, current=current.version, others=others)


def save_version(current, values: dict, *, user, at: datetime, request=None, changes: dict) -> None:
    """Set `values` on the locked `current`, move its version on, stamp who changed it and
    when, save it and audit `changes` with the new version: how every edit of a versioned
    record ends, so the audit entry `check_version` reads back is always the same shape."""
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by, current.updated_at = user, at
    current.save()
    record(
        action=Audit.UPDATE,
        request=request,
        actor=user,
        obj=current,
        changes={**changes, "version": current.version},
    )


def changed_fields(obj, new: dict) -> dict:
    """Field -> {"from", "to"} for each value in `new` that differs from `obj`'s."""
    out = {}
    for name, value in new.items():
        old = getattr(obj, name)
        if old != value:
            out[name] = {"from": shown(old), "to": shown(value)}
    return out
