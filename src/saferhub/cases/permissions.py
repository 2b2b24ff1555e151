"""The verbs a case service asks about, and the gate every service passes through.

Who may do what is decided by `saferhub.sharing.policy`, the one visibility policy. The cases
app sits below sharing and never imports it: sharing installs its policy here when Django
starts (`SharingConfig.ready`), and until one is installed every check refuses (fail closed).
A refusal is written to the audit log, so an attempt on a case someone cannot see is on the
record even when no page let them try.

Putting an existing subject on a case is a second question, about the subject rather than the
case: whether the user's agency holds it (leads a case it is on, or recorded it), so that a
subject seen only through a grant, break glass or a panel listing cannot be made the lead
agency's own. Sharing installs that rule too (`install_attach_check`); with none installed no
subject may be attached.
"""

from __future__ import annotations

from collections.abc import Callable
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
# (user, subject, at) -> whether the user may put that existing subject on a case.
AttachCheck = Callable[..., bool]
_attach_checks: list[AttachCheck] = []
ATTACH_SUBJECT = "attach_subject"  # what a refused attach is recorded as (asked of a Subject)


def install(policy: Policy) -> None:
    """Make `policy` the one every case service asks (sharing does this at start-up)."""
    _installed[:] = [policy]


def installed() -> Policy | None:
    return _installed[0] if _installed else None


def install_attach_check(check: AttachCheck) -> None:
    """Make `check(user, subject, at=)` the rule for attaching an existing subject to a case
    (sharing does this at start-up)."""
    _attach_checks[:] = [check]


def may_attach(user, subject, *, at: datetime | None = None) -> bool:
    """Whether `user` may put the existing `subject` on a case; False with no rule installed."""
    check = _attach_checks[0] if _attach_checks else None
    return bool(check and check(user, subject, at=at))


def allowed(user, verb: str, obj, *, at: datetime | None = None) -> bool:
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb!r}")
    policy = installed()
    return bool(policy and policy.can(user, verb, obj, at=at))


def _decision(user, verb: str, obj, at: datetime | None) -> tuple[bool, str | None]:
    """Whether `verb` on `obj` is allowed and, when the policy can say so from the same
    work, the purpose (None: ask `purpose` separately). A policy offering `decide` answers
    both from one look at the user's access, which a service otherwise computes twice."""
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb!r}")
    policy = installed()
    if policy is None:
        return False, None
    decide = getattr(policy, "decide", None)
    if decide is not None:
        return decide(user, verb, obj, at=at)
    return bool(policy.can(user, verb, obj, at=at)), None


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


def cleared(user, verb: str, obj, *, case=None, at: datetime | None = None, request=None) -> str:
    """`require`, then the purpose `user` works `case` (default: `obj`, a case) under, for
    the audit entry of the write: one question of the policy where it can answer both."""
    ok, why = _decision(user, verb, obj, at)
    if not ok:
        raise refused(user, verb, obj, request=request)
    if why is not None and (case is None or case is obj):
        return why
    return purpose(user, obj if case is None else case, at=at)


def require_attach(user, subject, *, at: datetime | None = None, request=None) -> None:
    """Raise `PermissionDenied` (audited) unless `user` may put `subject` on a case."""
    if not may_attach(user, subject, at=at):
        raise refused(user, ATTACH_SUBJECT, subject, request=request)


def purpose(user, case, *, at: datetime | None = None) -> str:
    """Why `user` works on `case` (the grant's purpose, the break-glass reason, "lead
    agency"), for the audit entry of what they do."""
    policy = installed()
    return policy.purpose(user, case, at=at) if policy else ""
