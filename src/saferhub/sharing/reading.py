"""Every read of case content, through the policy and on the record.

Pages call these and nothing else to show a case, a subject or a document: each takes the
user, asks `policy.access`, returns only the parts the access covers, and writes a VIEW (or,
for a download, EXPORT) audit entry with the purpose (the grant's purpose, the break-glass
reason, "lead agency") and what the access rests on — DPA 2018 s62's who, when, what and why.
A refusal raises `PermissionDenied` and is audited too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from django.db import transaction
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action as Audit
from ..cases import permissions as verbs
from ..cases.models import Case, CaseSubject, ChronologyEntry, Document, Task
from ..cases.schema import FieldType
from ..cases.services import open_document
from ..subjects.models import Subject
from . import policy
from .models import Consent, Grant
from .policy import ALL, Access, LockedView


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


@dataclass(frozen=True)
class FieldValue:
    """One of the business area's own fields, as a page shows it."""

    name: str
    label: str
    type: str
    value: object  # as stored (schema.py): str, bool; None when not filled in


@dataclass(frozen=True)
class CaseView:
    """A case as one user may see it at one instant. Parts the access does not cover are
    empty (and `shows` says which parts are covered, so a page can say "not shared")."""

    case: Case
    access: Access
    shows: frozenset[str]  # the VIEW_* verbs (and DOWNLOAD) this access covers
    allowed: frozenset[str]  # the work verbs the user may use on this case now
    subjects: tuple[CaseSubject, ...] = ()
    entries: tuple[ChronologyEntry, ...] = ()
    corrected: frozenset[int] = field(default_factory=frozenset)  # ids of corrected entries
    tasks: tuple[Task, ...] = ()
    documents: tuple[Document, ...] = ()
    fields: tuple[FieldValue, ...] = ()
    consents: tuple[Consent, ...] = ()
    grants: tuple[Grant, ...] = ()  # who the case is shared with (the lead agency only)

    def shows_special_category(self, subject_id: int) -> bool:
        return self.access.covers_special(subject_id)


READ_VERBS = (
    verbs.VIEW,
    verbs.VIEW_SUBJECTS,
    verbs.VIEW_CHRONOLOGY,
    verbs.VIEW_SENSITIVE,
    verbs.VIEW_TASKS,
    verbs.VIEW_DOCUMENTS,
    verbs.DOWNLOAD,
    verbs.VIEW_SPECIAL_CATEGORY,
)
WORK_VERBS = (
    verbs.EDIT,
    verbs.CLOSE,
    verbs.ADD_SUBJECT,
    verbs.ADD_ENTRY,
    verbs.MANAGE_TASKS,
    verbs.UPLOAD,
    verbs.GRANT,
    verbs.RECORD_CONSENT,
    verbs.REQUEST_ACCESS,
    verbs.BREAK_GLASS,
)


def _case(case_or_id) -> Case:
    if isinstance(case_or_id, Case):
        return case_or_id
    return Case.objects.select_related("business_area", "lead_agency", "lead_officer").get(
        pk=case_or_id
    )


def audit_view(user, obj, a: Access, *, request=None, action=Audit.VIEW, **extra) -> None:
    """The audit entry of one read: purpose and basis, plus what was read."""
    with transaction.atomic():
        record(
            action=action,
            request=request,
            actor=user,
            obj=obj,
            changes={"purpose": a.purpose, **a.basis(), **extra},
        )


def open_case(user, case_or_id, *, request=None, at: datetime | None = None) -> CaseView:
    """The case as `user` may see it at `at`, audited. `Case.DoesNotExist` for an unknown
    id; `PermissionDenied` (audited) when the user has no access at all."""
    at = _now(at)
    case = _case(case_or_id)
    a = policy.access(user, case, at=at)
    if not a.any:
        raise verbs.refused(user, verbs.VIEW, case, request=request)
    shows = frozenset(v for v in READ_VERBS if policy.CASE_READS[v](a))
    allowed = frozenset(v for v in WORK_VERBS if policy.allowed_on_case(user, v, case, a))
    parts: dict = {}
    if verbs.VIEW_SUBJECTS in shows:
        rows = (
            CaseSubject.objects.filter(case=case).select_related("subject").order_by("role", "id")
        )
        parts["subjects"] = tuple(r for r in rows if a.covers(r.subject_id))
    if verbs.VIEW_CHRONOLOGY in shows:
        entries = ChronologyEntry.objects.filter(case=case).select_related("author", "agency")
        corrected = frozenset(
            ChronologyEntry.objects.filter(case=case, corrects__isnull=False).values_list(
                "corrects_id", flat=True
            )
        )
        if verbs.VIEW_SENSITIVE not in shows:
            entries = entries.filter(sensitive=False)
        parts["entries"] = tuple(entries)
        parts["corrected"] = corrected
    if verbs.VIEW_TASKS in shows:
        parts["tasks"] = tuple(
            Task.objects.filter(case=case).select_related("owner_user", "owner_agency")
        )
    if verbs.VIEW_DOCUMENTS in shows:
        parts["documents"] = tuple(
            Document.objects.filter(case=case).select_related("uploaded_by", "agency")
        )
    if verbs.VIEW_SENSITIVE in shows:
        parts["fields"] = tuple(
            FieldValue(s.name, s.label, str(s.type), case.extra.get(s.name))
            for s in case.business_area.schema
        )
        parts["consents"] = tuple(
            Consent.objects.filter(case=case).select_related("subject", "recorded_by")
        )
    if a.lead:
        parts["grants"] = tuple(
            Grant.objects.filter(case=case).select_related("agency", "granted_by", "agreement")
        )
    audit_view(user, case, a, request=request, shown=sorted(shows))
    return CaseView(case=case, access=a, shows=shows, allowed=allowed, **parts)


def field_text(value: FieldValue) -> str:
    """A business-area field's value in words ("Yes", "24 November 2026", "12.5")."""
    if value.value is None:
        return ""
    if value.type == FieldType.BOOL:
        return "Yes" if value.value else "No"
    if value.type == FieldType.DATE:
        from datetime import date

        day = date.fromisoformat(str(value.value))
        return f"{day.day} {day:%B %Y}"
    return str(value.value)


@dataclass(frozen=True)
class SubjectView:
    """A subject as one user may see it: in full (with the cases they see it on), or the
    locked view only. `locked` may be set for a full view too: the subject is also on cases
    the user cannot see."""

    subject: Subject
    full: bool
    special_category: bool
    cases: tuple[CaseSubject, ...]  # rows of the cases the user sees it on
    locked: LockedView | None


def open_subject(
    user, subject: Subject, *, request=None, at: datetime | None = None
) -> SubjectView:
    """A subject in full when the policy lets the user see it, else its locked view;
    audited either way. People who may not search (admins, the board) get PermissionDenied
    (audited) for a subject they cannot see."""
    at = _now(at)
    visible, views = policy.subject_views(user, [subject], at=at)
    full, locked = subject.pk in visible, views[subject.pk]
    if not full and not policy.can(user, verbs.SEARCH, None, at=at):
        raise verbs.refused(user, verbs.VIEW, subject, request=request)
    if not full:
        with transaction.atomic():
            record(
                action=Audit.VIEW,
                request=request,
                actor=user,
                obj=subject,
                changes={
                    "locked": True,
                    "cases": [c.case_id for c in locked.cases] if locked else [],
                },
            )
        return SubjectView(subject, False, False, (), locked)
    seen = tuple(
        policy.seen_case_subjects(user, at=at)
        .filter(subject=subject)
        .select_related("case__business_area", "case__lead_agency")
        .order_by("-case__opened_on", "case_id")
    )
    purposes: list[str] = []
    bases: dict = {}
    for case_id in dict.fromkeys(r.case_id for r in seen):
        a = policy.access(user, next(r.case for r in seen if r.case_id == case_id), at=at)
        purposes.append(a.purpose)
        for key, value in a.basis().items():
            if isinstance(value, list):
                bases.setdefault(key, []).extend(value)
            elif key not in bases:
                bases[key] = value
    special = policy.special_category_subjects(user, at=at).filter(pk=subject.pk).exists()
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            actor=user,
            obj=subject,
            changes={
                "purpose": "; ".join(dict.fromkeys(p for p in purposes if p))
                or "own agency's record",
                **bases,
                "cases": [r.case_id for r in seen],
                "special_category": special,
            },
        )
    return SubjectView(subject, True, special, seen, locked)


@dataclass(frozen=True)
class Download:
    file: IO[bytes]
    filename: str
    content_type: str
    size: int
    sha256: str


def download_document(
    user, document: Document, *, request=None, at: datetime | None = None
) -> Download:
    """The stored file to send, after the policy check, with its EXPORT audit entry
    (purpose, basis, SHA-256). The caller streams `file` as an attachment and closes it."""
    at = _now(at)
    a = policy.access(user, document.case, at=at)
    if not a.whole:
        raise verbs.refused(user, verbs.DOWNLOAD, document, request=request)
    handle = open_document(document)
    audit_view(
        user,
        document,
        a,
        request=request,
        action=Audit.EXPORT,
        case=document.case.reference,
        sha256=document.sha256,
    )
    return Download(
        handle, document.filename, document.content_type, document.size, document.sha256
    )


def record_listing(user, rows, *, what: str, request=None, object_type: str = "cases.Case") -> None:
    """The audit entry of a list of cases (or tasks, documents...) shown: references, titles
    and descriptions are case content. Which list, how many, and which ids."""
    ids = [row.pk for row in rows]
    key = "cases" if object_type == "cases.Case" else "ids"
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            actor=user,
            object_type=object_type,
            changes={"listed": what, "count": len(ids), key: ids},
        )


__all__ = [
    "ALL",
    "CaseView",
    "Download",
    "FieldValue",
    "SubjectView",
    "audit_view",
    "download_document",
    "field_text",
    "open_case",
    "open_subject",
    "record_listing",
]
