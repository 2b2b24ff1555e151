"""Every change to cases, each in one transaction with its audit entry.

Pages, imports and the demo call these; nothing else writes case tables. Each service asks
the visibility policy first (`permissions.require`, which audits a refusal), then, for the
records people edit (cases, tasks, business areas), checks the version the editor saw and
refuses a stale edit naming the other person's change (`errors.StaleEdit`). Every audit entry
carries the purpose the user works the case under (lead agency, the grant's purpose, ...).
Times are passed in (`at`, default now) so tests never depend on the clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..accounts.models import Agency, Role
from ..audit.log import record
from ..audit.models import Action as Audit
from ..cells import without_controls
from ..uploads import Limits, UploadRefused, check_size
from . import permissions as perms
from .defaults import DEFAULTS
from .errors import CaseError, StaleEdit
from .files import DOCUMENT, check_document
from .models import (
    BusinessArea,
    Case,
    CaseSubject,
    ChronologyEntry,
    Document,
    EntryType,
    ReferenceCounter,
    Status,
    Task,
    TaskStatus,
)
from .models import (
    Role as CaseRole,
)
from .schema import SchemaError, clean_values, parse_reasons, parse_schema
from .storage import document_storage
from .versions import changed_fields, check_version, lock, save_version, shown

MAX_TITLE = 200
MAX_ENTRY = 20_000
MAX_TASK = 2_000

# --- shared steps ------------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _audit(action: str, obj, *, user, request, purpose: str, **changes) -> None:
    """The audit entry of a write on a case, with the purpose the user works it under."""
    record(
        action=action,
        request=request,
        actor=user,
        obj=obj,
        changes={**changes, "purpose": purpose},
    )


def _save_changes(
    current, new: dict, *, user, at: datetime, request, purpose: str, also: dict | None = None
) -> bool:
    """Set `new` on the locked `current` (a case or task), move its version on and audit
    the change; False, writing nothing, when nothing differs. `also` is set with it but not
    compared or audited (what follows from the change, as a task's finishing time)."""
    diff = changed_fields(current, new)
    if not diff:
        return False
    save_version(
        current,
        {**new, **(also or {})},
        user=user,
        at=at,
        request=request,
        changes={**diff, "purpose": purpose},
    )
    return True


def _text(value: str, *, field: str, label: str, limit: int) -> str:
    text = without_controls(value or "").strip()
    if not text:
        raise CaseError(f"Enter {label}", field=field)
    if len(text) > limit:
        raise CaseError(f"{label.capitalize()} must be {limit:,} characters or fewer", field=field)
    return text


# --- business areas ----------------------------------------------------------------------------


def load_defaults(*, actor=None, request=None) -> list[BusinessArea]:
    """Add the shipped business areas (`defaults.DEFAULTS`) that are missing, by code; areas
    already there (and a partnership's changes to them) are left alone."""
    created = []
    with transaction.atomic():
        have = set(BusinessArea.objects.values_list("code", flat=True))
        for spec in DEFAULTS:
            if spec["code"] in have:
                continue
            area = BusinessArea.objects.create(**spec)
            created.append(area)
            record(
                action=Audit.CREATE,
                request=request,
                actor=actor,
                obj=area,
                changes={"code": area.code, "name": area.name, "by": "defaults"},
            )
    return created


def save_business_area(
    area: BusinessArea, *, values: dict, version: int | None, user, request=None
) -> BusinessArea:
    """Create (`area` unsaved, `version` None) or edit a business area: name, description,
    fields (schema.py) and closure reasons. Only admins; a stale edit is refused."""
    from ..accounts.permissions import MANAGE_BUSINESS_AREAS, has

    if not has(user, MANAGE_BUSINESS_AREAS):
        raise perms.refused(user, "manage_business_areas", area, request=request)
    allowed = {"code", "name", "description", "fields", "closure_reasons", "active"}
    if unknown := set(values) - allowed:
        raise CaseError(f"unknown fields {', '.join(sorted(unknown))}")
    try:
        if "fields" in values:
            values["fields"] = [s.as_json() for s in parse_schema(values["fields"])]
        if "closure_reasons" in values or area.pk is None:
            values["closure_reasons"] = list(parse_reasons(values.get("closure_reasons")))
    except SchemaError as exc:
        raise CaseError(str(exc), field=next(iter(exc.errors), "")) from exc
    creating = area.pk is None
    with transaction.atomic():
        if not creating:
            current = lock(BusinessArea, area.pk)
            check_version(current, version or 0, what="business area")
            area = current
        changes = changed_fields(area, values) if not creating else {}
        for name, value in values.items():
            setattr(area, name, value)
        if not creating:
            area.version += 1
        try:
            with transaction.atomic():
                area.save()
        except IntegrityError:
            raise CaseError("A business area with this code or name exists", field="code") from None
        record(
            action=Audit.CREATE if creating else Audit.UPDATE,
            request=request,
            actor=user,
            obj=area,
            changes={"code": area.code, "name": area.name}
            if creating
            else {**changes, "version": area.version},
        )
    return area


# --- cases -------------------------------------------------------------------------------------


def next_reference(area: BusinessArea, year: int) -> str:
    """The next free reference for `area` in `year` (call inside the creating transaction:
    the counter row stays locked until it commits)."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=area.code, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{area.code}-{year}-{counter.last:06d}"


def _check_lead_officer(officer, agency_id: int) -> None:
    if officer.agency_id != agency_id or officer.role != Role.PRACTITIONER or not officer.is_active:
        raise CaseError(
            "The lead officer must be an active practitioner of the lead agency",
            field="lead_officer",
        )


def _clean_extra(area: BusinessArea, extra: dict | None) -> dict:
    try:
        return clean_values(area.schema, extra or {})
    except SchemaError as exc:
        raise CaseError(str(exc), field=next(iter(exc.errors), "extra")) from exc


def create_case(
    user,
    *,
    business_area: BusinessArea,
    title: str,
    opened_on: date,
    lead_officer=None,
    extra: dict | None = None,
    request=None,
    at: datetime | None = None,
) -> Case:
    """Open a case led by the user's agency (the user leads it unless `lead_officer` is
    another practitioner of it), with a new reference and the business area's fields."""
    at = _now(at)
    agency = user.agency
    perms.require(user, perms.CREATE_CASE, agency, at=at, request=request)
    if not business_area.active:
        raise CaseError("This business area is no longer in use", field="business_area")
    title = _text(title, field="title", label="a title", limit=MAX_TITLE)
    officer = lead_officer or user
    _check_lead_officer(officer, agency.pk)
    if opened_on > timezone.localdate(at):
        raise CaseError("The date opened cannot be in the future", field="opened_on")
    values = _clean_extra(business_area, extra)
    with transaction.atomic():
        case = Case.objects.create(
            reference=next_reference(business_area, opened_on.year),
            title=title,
            business_area=business_area,
            lead_agency=agency,
            lead_officer=officer,
            extra=values,
            opened_on=opened_on,
            created_by=user,
            created_at=at,
        )
        _audit(
            Audit.CREATE,
            case,
            user=user,
            request=request,
            purpose=perms.purpose(user, case, at=at),
            reference=case.reference,
            business_area=business_area.name,
        )
    return case


EDITABLE = {"title", "lead_officer", "extra"}


def update_case(
    user,
    case: Case,
    *,
    version: int,
    changes: dict,
    request=None,
    at: datetime | None = None,
) -> Case:
    """Change a case's title, lead officer or business-area fields (`changes` holds only
    those being changed). Refused as stale if the case moved past `version`."""
    at = _now(at)
    why = perms.cleared(user, perms.EDIT, case, at=at, request=request)
    if unknown := set(changes) - EDITABLE:
        raise CaseError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    new = dict(changes)
    if "title" in new:
        new["title"] = _text(new["title"], field="title", label="a title", limit=MAX_TITLE)
    if "lead_officer" in new:
        _check_lead_officer(new["lead_officer"], case.lead_agency_id)
    with transaction.atomic():
        current = lock(Case, case.pk)
        check_version(current, version, what="case")
        if "extra" in new:  # against the business area as it is now, not as the page saw it
            new["extra"] = _clean_extra(current.business_area, new["extra"])
        _save_changes(current, new, user=user, at=at, request=request, purpose=why)
    return current


def set_status(
    user,
    case: Case,
    *,
    version: int,
    status: str,
    reason: str = "",
    on: date | None = None,
    request=None,
    at: datetime | None = None,
) -> Case:
    """Move a case to open, under review or closed. Closing needs one of the business
    area's closure reasons and the date it closed (not in the future); reopening clears
    them. Refused as stale if the case moved past `version`."""
    at = _now(at)
    if status not in Status.values:
        raise CaseError("Choose a status", field="status")
    verb = perms.CLOSE if status == Status.CLOSED or case.status == Status.CLOSED else perms.EDIT
    why = perms.cleared(user, verb, case, at=at, request=request)
    with transaction.atomic():
        current = lock(Case, case.pk)
        check_version(current, version, what="case")
        if status == Status.CLOSED:
            if reason not in BusinessArea.objects.get(pk=current.business_area_id).reasons:
                raise CaseError(
                    "Choose a closure reason from this business area's list", field="reason"
                )
            if on is None:
                raise CaseError("Enter the date the case closed", field="on")
            if on > timezone.localdate(at) or on < current.opened_on:
                raise CaseError(
                    "The date closed must be between the date opened and today", field="on"
                )
            new = {"status": status, "closure_reason": reason, "closed_on": on}
        else:
            new = {"status": status, "closure_reason": "", "closed_on": None}
        _save_changes(current, new, user=user, at=at, request=request, purpose=why)
    return current


# --- subjects on a case ------------------------------------------------------------------------


def add_subject(
    user, case: Case, subject, role: str, *, request=None, at: datetime | None = None
) -> CaseSubject:
    """Put a subject on the case in a role (once per role). The user must be allowed to add
    subjects to the case and to attach this subject (their agency holds it: the rule sharing
    installs, `permissions.may_attach`), whichever page, import or command calls this; a
    refusal writes nothing but its audit entry. A merged subject is refused: the subject it
    was merged into is the one to use."""
    at = _now(at)
    why = perms.cleared(user, perms.ADD_SUBJECT, case, at=at, request=request)
    if role not in CaseRole.values:
        raise CaseError("Choose a role", field="role")
    if subject.merged_into_id is not None:
        raise CaseError(
            "This record was merged into another: add that one instead", field="subject"
        )
    perms.require_attach(user, subject, at=at, request=request)
    with transaction.atomic():
        if CaseSubject.objects.filter(case=case, subject=subject, role=role).exists():
            raise CaseError("This subject is already on the case in that role", field="role")
        row = CaseSubject.objects.create(
            case=case, subject=subject, role=role, added_by=user, added_at=at
        )
        _audit(
            Audit.CREATE,
            row,
            user=user,
            request=request,
            purpose=why,
            case=case.reference,
            subject=subject.pk,
            role=role,
        )
    return row


def remove_subject(user, row: CaseSubject, *, request=None, at: datetime | None = None) -> None:
    """Take a subject off a case (added in error); the audit entry keeps who and what."""
    at = _now(at)
    case = row.case
    why = perms.cleared(user, perms.EDIT, case, at=at, request=request)
    with transaction.atomic():
        _audit(
            Audit.DELETE,
            row,
            user=user,
            request=request,
            purpose=why,
            case=case.reference,
            subject=row.subject_id,
            role=row.role,
        )
        row.delete()


# --- chronology --------------------------------------------------------------------------------


def _entry_fields(type_: str, text: str, event_date: date, at: datetime) -> tuple[str, str]:
    if type_ not in EntryType.values:
        raise CaseError("Choose the type of entry", field="type")
    text = _text(text, field="text", label="what happened", limit=MAX_ENTRY)
    if event_date > timezone.localdate(at):
        raise CaseError("The date of the event cannot be in the future", field="event_date")
    return type_, text


def add_entry(
    user,
    case: Case,
    *,
    type: str,
    text: str,
    event_date: date,
    sensitive: bool = False,
    request=None,
    at: datetime | None = None,
) -> ChronologyEntry:
    """Add a dated entry to the chronology, by the user for their agency."""
    at = _now(at)
    why = perms.cleared(user, perms.ADD_ENTRY, case, at=at, request=request)
    type_, text = _entry_fields(type, text, event_date, at)
    with transaction.atomic():
        entry = ChronologyEntry.objects.create(
            case=case,
            type=type_,
            text=text,
            sensitive=sensitive,
            author=user,
            agency_id=user.agency_id,
            event_date=event_date,
            recorded_at=at,
        )
        _audit(
            Audit.CREATE,
            entry,
            user=user,
            request=request,
            purpose=why,
            case=case.reference,
            type=type_,
            event_date=event_date.isoformat(),
            sensitive=sensitive,
        )
    return entry


def correct_entry(
    user,
    entry: ChronologyEntry,
    *,
    text: str,
    type: str | None = None,
    event_date: date | None = None,
    sensitive: bool | None = None,
    request=None,
    at: datetime | None = None,
) -> ChronologyEntry:
    """Correct an entry by adding a new one that points at it; the original is kept as it
    was and shows as corrected. Only the latest version of an entry can be corrected."""
    at = _now(at)
    why = perms.cleared(user, perms.CORRECT, entry, case=entry.case, at=at, request=request)
    type_, text = _entry_fields(type or entry.type, text, event_date or entry.event_date, at)
    with transaction.atomic():
        later = ChronologyEntry.objects.filter(corrects=entry).first()
        if later is not None:
            raise CaseError(
                f"This entry was already corrected by entry {later.pk}: correct that one",
                field="corrects",
            )
        correction = ChronologyEntry.objects.create(
            case_id=entry.case_id,
            type=type_,
            text=text,
            sensitive=entry.sensitive if sensitive is None else sensitive,
            author=user,
            agency_id=user.agency_id,
            event_date=event_date or entry.event_date,
            recorded_at=at,
            corrects=entry,
        )
        _audit(
            Audit.CREATE,
            correction,
            user=user,
            request=request,
            purpose=why,
            case=entry.case.reference,
            corrects=entry.pk,
            type=type_,
            event_date=correction.event_date.isoformat(),
        )
    return correction


# --- tasks -------------------------------------------------------------------------------------


def _check_owner(case: Case, owner_user, owner_agency: Agency | None, at: datetime) -> None:
    """Exactly one owner, who can see the case's tasks: a person, or an agency with at
    least one active practitioner who can."""
    if (owner_user is None) == (owner_agency is None):
        raise CaseError("Choose a person or an agency to own the task", field="owner")
    if owner_user is not None:
        if not owner_user.is_active or not perms.allowed(owner_user, perms.VIEW_TASKS, case, at=at):
            raise CaseError(
                "The task's owner must be someone who can see this case's tasks", field="owner"
            )
        return
    people = owner_agency.users.filter(is_active=True, role=Role.PRACTITIONER)[:200]
    if not any(perms.allowed(p, perms.VIEW_TASKS, case, at=at) for p in people):
        raise CaseError(
            "The owning agency must be one that can see this case's tasks", field="owner"
        )


def add_task(
    user,
    case: Case,
    *,
    description: str,
    due_on: date,
    owner_user=None,
    owner_agency: Agency | None = None,
    request=None,
    at: datetime | None = None,
) -> Task:
    """Add a task owned by one person or one agency."""
    at = _now(at)
    why = perms.cleared(user, perms.MANAGE_TASKS, case, at=at, request=request)
    description = _text(description, field="description", label="the task", limit=MAX_TASK)
    _check_owner(case, owner_user, owner_agency, at)
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            description=description,
            owner_user=owner_user,
            owner_agency=owner_agency,
            due_on=due_on,
            created_by=user,
            created_at=at,
        )
        _audit(
            Audit.CREATE,
            task,
            user=user,
            request=request,
            purpose=why,
            case=case.reference,
            due_on=due_on.isoformat(),
            owner=shown(owner_user or owner_agency),
        )
    return task


TASK_FIELDS = {"description", "due_on", "owner_user", "owner_agency", "status"}


def update_task(
    user,
    task: Task,
    *,
    version: int,
    changes: dict,
    request=None,
    at: datetime | None = None,
) -> Task:
    """Change a task. Marking it done is open to its owner (`permissions.COMPLETE`); any
    other change (re-dating, reassigning, cancelling, reopening) needs MANAGE_TASKS on the
    case. Refused as stale if the task moved past `version`."""
    at = _now(at)
    if unknown := set(changes) - TASK_FIELDS:
        raise CaseError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    new = dict(changes)
    if "status" in new and new["status"] not in TaskStatus.values:
        raise CaseError("Choose a status", field="status")
    only_done = set(new) == {"status"} and new["status"] == TaskStatus.DONE
    verb, obj = (perms.COMPLETE, task) if only_done else (perms.MANAGE_TASKS, task.case)
    why = perms.cleared(user, verb, obj, case=task.case, at=at, request=request)
    if "description" in new:
        new["description"] = _text(
            new["description"], field="description", label="the task", limit=MAX_TASK
        )
    with transaction.atomic():
        current = lock(Task, task.pk)
        check_version(current, version, what="task")
        if {"owner_user", "owner_agency"} & set(new):
            owner_user = new.get("owner_user", current.owner_user)
            owner_agency = new.get("owner_agency", current.owner_agency)
            if "owner_user" in new and "owner_agency" not in new:
                owner_agency = None if owner_user is not None else owner_agency
            if "owner_agency" in new and "owner_user" not in new:
                owner_user = None if owner_agency is not None else owner_user
            _check_owner(current.case, owner_user, owner_agency, at)
            new["owner_user"], new["owner_agency"] = owner_user, owner_agency
        finished = (
            {"finished_at": None if new["status"] == TaskStatus.OPEN else at}
            if "status" in new
            else None
        )
        _save_changes(current, new, user=user, at=at, request=request, purpose=why, also=finished)
    return current


# --- documents ---------------------------------------------------------------------------------


def read_bounded(upload, filename: str, limits: Limits = DOCUMENT) -> bytes:
    """The upload's bytes, refusing a file over the size limit before reading it when its
    size is known, and otherwise as soon as it passes the limit (never more than one chunk
    over). `upload` is a Django UploadedFile, a binary file or bytes."""
    if isinstance(upload, bytes | bytearray):
        check_size(len(upload), filename, limits)
        return bytes(upload)
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        check_size(size, filename, limits)
    chunks: Iterable[bytes] = (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    )
    data = bytearray()
    for chunk in chunks:
        data += chunk
        check_size(len(data), filename, limits)
    return bytes(data)


def upload_document(
    user,
    case: Case,
    upload,
    *,
    filename: str | None = None,
    description: str = "",
    request=None,
    at: datetime | None = None,
    limits: Limits = DOCUMENT,
) -> Document:
    """Check an uploaded file by its content (`files.check_document`), store it under a
    generated name and record it with its SHA-256. A refused file (`UploadRefused`) is never
    written anywhere; if recording fails after the file was stored, the file is removed."""
    at = _now(at)
    why = perms.cleared(user, perms.UPLOAD, case, at=at, request=request)
    name = filename if filename is not None else getattr(upload, "name", "") or ""
    data = read_bounded(upload, name or "the file", limits)
    checked = check_document(data, name, limits)
    description = without_controls(description or "").strip()
    if len(description) > 300:
        raise CaseError("The description must be 300 characters or fewer", field="description")
    storage = document_storage()
    stored = storage.save(
        f"cases/{case.pk}/{uuid.uuid4().hex}.{checked.extension}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                filename=checked.filename,
                file_type=checked.file_type,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                storage_name=stored,
                description=description,
                uploaded_by=user,
                agency_id=user.agency_id,
                uploaded_at=at,
            )
            _audit(
                Audit.CREATE,
                document,
                user=user,
                request=request,
                purpose=why,
                case=case.reference,
                file_type=checked.file_type,
                size=checked.size,
                sha256=checked.sha256,
            )
    except BaseException:
        storage.delete(stored)
        raise
    return document


def open_document(document: Document):
    """The stored file, opened for reading. Only `sharing.reading.download_document` calls
    this, after the policy check and with the download's audit entry."""
    return document_storage().open(document.storage_name, "rb")


__all__ = [
    "CaseError",
    "StaleEdit",
    "UploadRefused",
    "add_entry",
    "add_subject",
    "add_task",
    "correct_entry",
    "create_case",
    "load_defaults",
    "next_reference",
    "open_document",
    "read_bounded",
    "remove_subject",
    "save_business_area",
    "set_status",
    "update_case",
    "update_task",
    "upload_document",
]
