"""The verbs a case service asks about, and the gate every service passes through.

Who may do what is decided by `saferhub.sharing.policy`, the one visibility policy. The cases
app sits below sharing and never imports it: sharing installs its policy here when Django
starts (`SharingConfig.ready`), and until one is installed every check refuses (fail closed).
A refusal is written to the audit log, so an attempt on a case someone cannot see is on the
record even when no page let them try.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..audit.log import record
from ..audit.models import Action as Audit

# Reading a case and its parts.
VIEW = "view"  # the case's header: reference, title, business area, lead agency, status
VIEW_SUBJECTS = "view_subjects"
VIEW_CHRONOLOGY = "view_chronology"
VIEW_SENSITIVE = "view_sensitive"  # sensitive chronology entries, the business area's fields
VIEW_TASKS = "view_tasks"
VIEW_DOCUMENTS = "view_documents"
DOWNLOAD = "download"
VIEW_SPECIAL_CATEGORY = "view_special_category"
# Working a case.
CREATE_CASE = "create_case"  # asked of an Agency: open a case led by it
EDIT = "edit"
CLOSE = "close"
ADD_SUBJECT = "add_subject"
ADD_ENTRY = "add_entry"
CORRECT = "correct"  # asked of a ChronologyEntry
MANAGE_TASKS = "manage_tasks"  # create, reassign, re-date, cancel
COMPLETE = "complete"  # asked of a Task: mark it done
UPLOAD = "upload"
# Sharing a case.
GRANT = "grant"  # grant or revoke access, decide access requests
RECORD_CONSENT = "record_consent"
REQUEST_ACCESS = "request_access"
BREAK_GLASS = "break_glass"
REVIEW = "review"  # asked of a BreakGlass: the data protection officer's review
SEARCH = "search"  # asked of None: search subjects

VERBS = frozenset(
    {
        VIEW,
        VIEW_SUBJECTS,
        VIEW_CHRONOLOGY,
        VIEW_SENSITIVE,
        VIEW_TASKS,
        VIEW_DOCUMENTS,
        DOWNLOAD,
        VIEW_SPECIAL_CATEGORY,
        CREATE_CASE,
        EDIT,
        CLOSE,
        ADD_SUBJECT,
        ADD_ENTRY,
        CORRECT,
        MANAGE_TASKS,
        COMPLETE,
        UPLOAD,
        GRANT,
        RECORD_CONSENT,
        REQUEST_ACCESS,
        BREAK_GLASS,
        REVIEW,
        SEARCH,
    }
)


class Policy(Protocol):
    def can(self, user, verb: str, obj, *, at: datetime | None = None) -> bool: ...

    def purpose(self, user, case, *, at: datetime | None = None) -> str: ...


_installed: list[Policy] = []


def install(policy: Policy) -> None:
    """Make `policy` the one every case service asks (sharing does this at start-up)."""
    _installed[:] = [policy]


def installed() -> Policy | None:
    return _installed[0] if _installed else None


def allowed(user, verb: str, obj, *, at: datetime | None = None) -> bool:
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb!r}")
    policy = installed()
    return bool(policy and policy.can(user, verb, obj, at=at))


def refused(user, verb: str, obj, *, request=None, object_type: str = "") -> PermissionDenied:
    """Write the refused attempt to the audit log and return the error to raise. Services
    call this before they open their own transaction, so the entry stays when they fail."""
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            actor=user if getattr(user, "is_authenticated", False) else None,
            obj=obj if getattr(obj, "pk", None) is not None else None,
            object_type=object_type,
            changes={"refused": verb},
        )
    return PermissionDenied(f"not allowed to {verb.replace('_', ' ')}")


def require(user, verb: str, obj, *, at: datetime | None = None, request=None) -> None:
    """Raise `PermissionDenied` (audited) unless the policy allows `verb` on `obj`."""
    if not allowed(user, verb, obj, at=at):
        raise refused(user, verb, obj, request=request)


def purpose(user, case, *, at: datetime | None = None) -> str:
    """Why `user` works on `case` (the grant's purpose, the break-glass reason, "lead
    agency"), for the audit entry of what they do."""
    policy = installed()
    return policy.purpose(user, case, at=at) if policy else ""
