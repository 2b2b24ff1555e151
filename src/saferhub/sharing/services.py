"""Every change to sharing: agreements, grants, access requests, break glass and consent.

Each service asks the policy (`cases.permissions.require`, which audits a refusal) before it
opens its transaction, writes its rows and audit entry together, and tells the people who
need to know by email once the change has committed (never before: a rolled-back grant sends
nothing). Emails name the case reference and what happened, never a subject's details or
free text; the reasons are on the site, behind the sign-in. Times are passed in (`at`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..accounts.models import Agency, User
from ..accounts.permissions import MANAGE_AGREEMENTS, has
from ..audit.log import record
from ..audit.models import Action as Audit
from ..cases import permissions as perms
from ..cases.errors import CaseError
from ..cases.files import DOCUMENT, check_document
from ..cases.models import Case, CaseSubject
from ..cases.services import read_bounded
from ..cases.storage import document_storage
from ..cases.versions import changed_fields, check_version, lock, save_version, shown
from ..cells import without_controls
from ..uploads import Limits
from .lawful import Art6, basis_problems
from .models import (
    AccessRequest,
    BreakGlass,
    Consent,
    ConsentStatus,
    Grant,
    GrantSubject,
    InformationSharingAgreement,
    RequestStatus,
    ReviewOutcome,
    Scope,
)

log = logging.getLogger(__name__)

MIN_REASON = 20  # characters: a reason, not "urgent"
MAX_REASON = 4_000
MAX_GRANT = timedelta(days=366)  # every grant is looked at again within a year
DEFAULT_BREAK_GLASS_HOURS = 4


class SharingError(CaseError):
    """A sharing change that cannot be made; `field` names the input."""


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _reason(text: str, *, field: str = "reason", minimum: int = MIN_REASON) -> str:
    text = without_controls(text or "").strip()
    if len(text) < minimum:
        raise SharingError(
            f"Give the reason in at least {minimum} characters: what it is for and why now",
            field=field,
        )
    if len(text) > MAX_REASON:
        raise SharingError(f"The reason must be {MAX_REASON:,} characters or fewer", field=field)
    return text


def _basis(problems: dict[str, str]) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise SharingError(message, field=field)


def _tell(people: Iterable[User], subject: str, body: str) -> None:
    """Email each person on their own, after the current transaction commits."""
    addresses = sorted({p.email for p in people if p.is_active and p.email})
    if not addresses:
        return

    def send() -> None:
        messages = [
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            for address in addresses
        ]
        try:
            get_connection().send_messages(messages)
        except OSError as exc:  # the change stands; the notice is on the home page too
            log.warning("sharing notice not sent (%s)", type(exc).__name__)

    transaction.on_commit(send)


def break_glass_hours() -> float:
    return float(getattr(settings, "CASEWORK_BREAK_GLASS_HOURS", DEFAULT_BREAK_GLASS_HOURS))


# --- information-sharing agreements ------------------------------------------------------------

AGREEMENT_FIELDS = {
    "title",
    "purpose",
    "data_items",
    "legal_gateway",
    "retention",
    "review_on",
    "signed_on",
    "lawful_basis",
    "special_category_condition",
    "criminal_offence_data",
    "dpa_condition",
}
REQUIRED_AGREEMENT = {"title", "purpose", "data_items", "retention", "review_on", "lawful_basis"}


def save_agreement(
    agreement: InformationSharingAgreement,
    *,
    values: dict,
    parties: Iterable[Agency] | None = None,
    version: int | None = None,
    user,
    request=None,
    at: datetime | None = None,
) -> InformationSharingAgreement:
    """Create (`agreement` unsaved) or edit an agreement. Admins and the data protection
    officer keep them; at least two parties; the lawful basis must hold together."""
    at = _now(at)
    if not has(user, MANAGE_AGREEMENTS):
        raise perms.refused(user, "manage_agreements", agreement, request=request)
    if unknown := set(values) - AGREEMENT_FIELDS:
        raise SharingError(f"unknown fields {', '.join(sorted(unknown))}")
    creating = agreement.pk is None
    new = dict(values)
    for name in ("title", "purpose", "data_items", "legal_gateway", "retention"):
        if name in new:
            new[name] = without_controls(new[name] or "").strip()
    merged = {name: new.get(name, getattr(agreement, name)) for name in AGREEMENT_FIELDS}
    for name in sorted(REQUIRED_AGREEMENT):
        if merged[name] in (None, ""):
            raise SharingError(f"Enter the agreement's {name.replace('_', ' ')}", field=name)
    _basis(
        basis_problems(
            lawful_basis=merged["lawful_basis"],
            special_category_condition=merged["special_category_condition"] or "",
            criminal_offence_data=bool(merged["criminal_offence_data"]),
            dpa_condition=merged["dpa_condition"] or "",
            special_category=bool(merged["special_category_condition"]),
        )
    )
    party_list = list(parties) if parties is not None else None
    if (creating or party_list is not None) and len({p.pk for p in party_list or []}) < 2:
        raise SharingError("An agreement has at least two parties", field="parties")
    with transaction.atomic():
        if creating:
            agreement.created_by, agreement.created_at = user, at
            for name, value in new.items():
                setattr(agreement, name, value)
            agreement.save()
            agreement.parties.set(party_list)
            record(
                action=Audit.CREATE,
                request=request,
                actor=user,
                obj=agreement,
                changes={
                    "title": agreement.title,
                    "parties": sorted(p.name for p in party_list),
                    "lawful_basis": agreement.lawful_basis,
                },
            )
            return agreement
        current = lock(InformationSharingAgreement, agreement.pk)
        check_version(current, version or 0, what="agreement")
        diff = changed_fields(current, new)
        if party_list is not None:
            before = sorted(current.parties.values_list("name", flat=True))
            after = sorted(p.name for p in party_list)
            if before != after:
                diff["parties"] = {"from": before, "to": after}
                current.parties.set(party_list)
                ended = _end_grants_of_former_parties(current, user=user, request=request, at=at)
                if ended:
                    diff["grants_ended"] = ended
        if not diff:
            return current
        save_version(current, new, user=user, at=at, request=request, changes=diff)
    return current


def _end_grants_of_former_parties(agreement, *, user, request, at: datetime) -> list[int]:
    """An agency taken off an agreement loses the grants resting on it: each live or future
    grant to a non-party is ended now, with its own audit entry (the lead agency can grant
    again under another agreement). Returns the grants' ids."""
    parties = agreement.parties.values_list("pk", flat=True)
    ending = (
        Grant.objects.select_for_update()
        .filter(agreement=agreement, revoked_at__isnull=True, expires_at__gt=at)
        .exclude(agency_id__in=parties)
        .select_related("case")
        .order_by("pk")
    )
    reason = "The agency was taken off the information-sharing agreement"
    ended = []
    for grant in ending:
        _end_grant(grant, reason, user=user, request=request, at=at)
        ended.append(grant.pk)
    return ended


def attach_signed_document(
    agreement: InformationSharingAgreement,
    upload,
    *,
    filename: str | None = None,
    user,
    request=None,
    at: datetime | None = None,
    limits: Limits = DOCUMENT,
) -> InformationSharingAgreement:
    """Keep the signed copy of an agreement (checked as a case document is; the earlier
    copy stays in storage, its hash in the audit log)."""
    at = _now(at)
    if not has(user, MANAGE_AGREEMENTS):
        raise perms.refused(user, "manage_agreements", agreement, request=request)
    name = filename if filename is not None else getattr(upload, "name", "") or ""
    data = read_bounded(upload, name or "the file", limits)
    checked = check_document(data, name, limits)
    storage = document_storage()
    stored = storage.save(
        f"agreements/{agreement.pk}/{uuid.uuid4().hex}.{checked.extension}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            current = lock(InformationSharingAgreement, agreement.pk)
            before = current.document_sha256
            save_version(
                current,
                {
                    "document_name": checked.filename,
                    "document_storage_name": stored,
                    "document_sha256": checked.sha256,
                    "document_size": checked.size,
                    "document_content_type": checked.content_type,
                },
                user=user,
                at=at,
                request=request,
                changes={"signed_document": {"from": before or None, "to": checked.sha256}},
            )
    except BaseException:
        storage.delete(stored)
        raise
    return current


# --- grants ------------------------------------------------------------------------------------


def grant_access(
    user,
    case: Case,
    *,
    agency: Agency,
    scope: str,
    agreement: InformationSharingAgreement,
    purpose: str,
    expires_at: datetime,
    starts_at: datetime | None = None,
    include_special_category: bool = False,
    subjects: Iterable = (),
    basis: dict | None = None,
    access_request: AccessRequest | None = None,
    request=None,
    at: datetime | None = None,
) -> Grant:
    """Share a case with another agency: in a scope, on an agreement both agencies are
    party to, with a lawful basis (the agreement's unless `basis` gives the grant's own),
    for a purpose, until it expires (at most a year on). Only the lead agency."""
    at = _now(at)
    perms.require(user, perms.GRANT, case, at=at, request=request)
    grant = _checked_grant(
        case,
        agency=agency,
        scope=scope,
        agreement=agreement,
        purpose=purpose,
        starts_at=starts_at or at,
        expires_at=expires_at,
        include_special_category=include_special_category,
        subjects=list(subjects),
        basis=basis,
        at=at,
    )
    grant.granted_by, grant.granted_at, grant.access_request = user, at, access_request
    with transaction.atomic():
        grant.save()
        named = list(grant._named)  # type: ignore[attr-defined]
        GrantSubject.objects.bulk_create([GrantSubject(grant=grant, subject=s) for s in named])
        _record_grant(grant, named, user=user, request=request)
    people = User.objects.filter(agency=agency, role="practitioner", is_active=True)
    _tell(
        people,
        f"Case {case.reference} shared with {agency.name}",
        f"Case {case.reference} ({case.business_area.name}, led by {case.lead_agency.name}) "
        f"is shared with your agency until {expires_at:%d %B %Y}.\n\n"
        "Sign in to Safer Hub to see it.\n",
    )
    return grant


def _checked_grant(
    case: Case,
    *,
    agency: Agency,
    scope: str,
    agreement: InformationSharingAgreement,
    purpose: str,
    starts_at: datetime,
    expires_at: datetime,
    include_special_category: bool,
    subjects: list,
    basis: dict | None,
    at: datetime,
) -> Grant:
    if scope not in Scope.values:
        raise SharingError("Choose what the agency may see", field="scope")
    if agency.pk == case.lead_agency_id:
        raise SharingError("The lead agency sees its cases already", field="agency")
    party_ids = set(agreement.parties.values_list("pk", flat=True))
    if not {agency.pk, case.lead_agency_id} <= party_ids:
        raise SharingError(
            "Both agencies must be parties to the information-sharing agreement",
            field="agreement",
        )
    purpose = _reason(purpose, field="purpose", minimum=10)
    if expires_at <= starts_at:
        raise SharingError("The grant must end after it starts", field="expires_at")
    if expires_at <= at:
        raise SharingError("The end of the grant must be in the future", field="expires_at")
    if expires_at - starts_at > MAX_GRANT:
        raise SharingError(
            "A grant lasts at most a year: grant it again when it is reviewed",
            field="expires_at",
        )
    on_case = set(CaseSubject.objects.filter(case=case).values_list("subject_id", flat=True))
    if scope == Scope.NAMED_SUBJECTS:
        if not subjects:
            raise SharingError("Choose the subjects the agency may see", field="subjects")
        if {s.pk for s in subjects} - on_case:
            raise SharingError("Each subject shared must be on this case", field="subjects")
    elif subjects:
        raise SharingError("Only a named-subjects grant lists subjects", field="subjects")
    if include_special_category and scope == Scope.CHRONOLOGY_AND_TASKS:
        raise SharingError(
            "A chronology-and-tasks grant shows no subjects, so no special category data",
            field="include_special_category",
        )
    fields = dict(basis) if basis is not None else agreement.basis_fields()
    if unknown := set(fields) - set(agreement.basis_fields()):
        raise SharingError(f"unknown basis fields {', '.join(sorted(unknown))}")
    fields = {**dict.fromkeys(("special_category_condition", "dpa_condition"), ""), **fields}
    _basis(
        basis_problems(
            lawful_basis=fields.get("lawful_basis", ""),
            special_category_condition=fields.get("special_category_condition") or "",
            criminal_offence_data=bool(fields.get("criminal_offence_data")),
            dpa_condition=fields.get("dpa_condition") or "",
            special_category=include_special_category,
        )
    )
    grant = Grant(
        case=case,
        agency=agency,
        scope=scope,
        include_special_category=include_special_category,
        agreement=agreement,
        purpose=purpose,
        starts_at=starts_at,
        expires_at=expires_at,
        **fields,
    )
    grant._named = subjects  # type: ignore[attr-defined]
    return grant


def _record_grant(grant: Grant, named: list, *, user, request) -> None:
    record(
        action=Audit.CREATE,
        request=request,
        actor=user,
        obj=grant,
        changes={
            "case": grant.case.reference,
            "agency": grant.agency.name,
            "scope": grant.scope,
            "subjects": [s.pk for s in named],
            "include_special_category": grant.include_special_category,
            "agreement": grant.agreement_id,
            "lawful_basis": grant.lawful_basis,
            "starts_at": grant.starts_at.isoformat(),
            "expires_at": grant.expires_at.isoformat(),
            "purpose": grant.purpose,
            **({"access_request": grant.access_request_id} if grant.access_request_id else {}),
        },
    )


def revoke_grant(
    user, grant: Grant, *, reason: str, request=None, at: datetime | None = None
) -> Grant:
    """End a grant now, with the reason."""
    at = _now(at)
    perms.require(user, perms.GRANT, grant.case, at=at, request=request)
    reason = _reason(reason, minimum=5)
    with transaction.atomic():
        current = lock(Grant, grant.pk)
        if current.revoked_at is not None:
            raise SharingError("This grant was already revoked", field="grant")
        _end_grant(current, reason, user=user, request=request, at=at)
    return current


def _end_grant(grant: Grant, reason: str, *, user, request, at: datetime) -> None:
    """Revoke `grant` (locked by the caller) now, with its audit entry."""
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = at, user, reason
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        action=Audit.UPDATE,
        request=request,
        actor=user,
        obj=grant,
        changes={
            "revoked_at": {"from": None, "to": at.isoformat()},
            "reason": reason,
            "case": grant.case.reference,
        },
    )


# --- access requests ---------------------------------------------------------------------------


def request_access(
    user,
    case: Case,
    *,
    reason: str,
    subject=None,
    request=None,
    at: datetime | None = None,
) -> AccessRequest:
    """Ask the case's lead agency for access, with a reason; its practitioners are told."""
    at = _now(at)
    perms.require(user, perms.REQUEST_ACCESS, case, at=at, request=request)
    reason = _reason(reason)
    if subject is not None and not CaseSubject.objects.filter(case=case, subject=subject).exists():
        raise SharingError("That subject is not on this case", field="subject")
    try:
        with transaction.atomic():
            asked = AccessRequest.objects.create(
                requester=user, case=case, subject=subject, reason=reason, requested_at=at
            )
            record(
                action=Audit.CREATE,
                request=request,
                actor=user,
                obj=asked,
                changes={
                    "case": case.reference,
                    "subject": getattr(subject, "pk", None),
                    "reason": reason,
                },
            )
    except IntegrityError:
        raise SharingError(
            "You have asked for access to this case already: the lead agency will decide",
            field="case",
        ) from None
    leads = User.objects.filter(agency_id=case.lead_agency_id, role="practitioner", is_active=True)
    _tell(
        [case.lead_officer] if case.lead_officer.is_active else leads,
        f"Access requested to case {case.reference}",
        f"{user.full_name} ({user.agency.name}) asks for access to case {case.reference}.\n\n"
        "Sign in to Safer Hub to approve or refuse the request.\n",
    )
    return asked


def decide_access_request(
    user,
    asked: AccessRequest,
    *,
    approve: bool,
    reason: str,
    grant: dict | None = None,
    request=None,
    at: datetime | None = None,
) -> AccessRequest:
    """Approve (creating the grant `grant` describes: scope, agreement, purpose,
    expires_at, and optionally include_special_category, subjects, basis) or refuse a
    request, with a reason; the requester is told by email and on their home page."""
    at = _now(at)
    perms.require(user, perms.GRANT, asked, at=at, request=request)
    reason = _reason(reason, field="decision_reason", minimum=5)
    case = asked.case
    made = None
    if approve:
        if not grant:
            raise SharingError("Say what the grant covers", field="grant")
        made = _checked_grant(
            case,
            agency=asked.requester.agency,
            scope=grant.get("scope", ""),
            agreement=grant.get("agreement"),
            purpose=grant.get("purpose", ""),
            starts_at=grant.get("starts_at") or at,
            expires_at=grant.get("expires_at"),
            include_special_category=bool(grant.get("include_special_category")),
            subjects=list(grant.get("subjects", ())),
            basis=grant.get("basis"),
            at=at,
        )
    with transaction.atomic():
        current = lock(AccessRequest, asked.pk)
        if current.status != RequestStatus.PENDING:
            raise SharingError(
                f"This request was already {current.get_status_display().lower()} by "
                f"{current.decided_by.full_name if current.decided_by else 'someone'}",
                field="status",
            )
        current.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
        current.decided_by, current.decided_at, current.decision_reason = user, at, reason
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        if made is not None:
            made.granted_by, made.granted_at, made.access_request = user, at, current
            made.save()
            named = list(made._named)  # type: ignore[attr-defined]
            GrantSubject.objects.bulk_create([GrantSubject(grant=made, subject=s) for s in named])
            _record_grant(made, named, user=user, request=request)
        record(
            action=Audit.UPDATE,
            request=request,
            actor=user,
            obj=current,
            changes={
                "status": {"from": RequestStatus.PENDING.value, "to": current.status},
                "decision_reason": reason,
                "case": case.reference,
                **({"grant": made.pk} if made is not None else {}),
            },
        )
    outcome = (
        f"was approved: you may see it until {made.expires_at:%d %B %Y}"
        if made is not None
        else "was refused"
    )
    _tell(
        [asked.requester],
        f"Your request for access to case {case.reference} {current.get_status_display().lower()}",
        f"Your request for access to case {case.reference} {outcome}.\n\n"
        "Sign in to Safer Hub to see the lead agency's reason.\n",
    )
    return current


# --- break glass -------------------------------------------------------------------------------


def break_glass(
    user, case: Case, *, reason: str, request=None, at: datetime | None = None
) -> BreakGlass:
    """Emergency read access to a case the user cannot otherwise see, for a few hours
    (`settings.CASEWORK_BREAK_GLASS_HOURS`, default 4), with a written reason; every data
    protection officer is emailed at once and it waits for their review."""
    at = _now(at)
    perms.require(user, perms.BREAK_GLASS, case, at=at, request=request)
    reason = _reason(reason)
    with transaction.atomic():
        glass = BreakGlass.objects.create(
            user=user,
            case=case,
            reason=reason,
            starts_at=at,
            ends_at=at + timedelta(hours=break_glass_hours()),
        )
        record(
            action=Audit.CREATE,
            request=request,
            actor=user,
            obj=glass,
            changes={
                "case": case.reference,
                "reason": reason,
                "ends_at": glass.ends_at.isoformat(),
            },
        )
    _tell(
        User.objects.filter(is_data_protection_officer=True, is_active=True).exclude(pk=user.pk),
        f"Break-glass access to case {case.reference}",
        f"{user.full_name} ({user.agency.name}) used break-glass access to case "
        f"{case.reference} at {at:%H:%M on %d %B %Y}, until {glass.ends_at:%H:%M}.\n\n"
        "Sign in to Safer Hub to review it.\n",
    )
    return glass


def review_break_glass(
    user,
    glass: BreakGlass,
    *,
    outcome: str,
    notes: str = "",
    request=None,
    at: datetime | None = None,
) -> BreakGlass:
    """The data protection officer's review: justified or not, with notes (required when
    not justified)."""
    at = _now(at)
    perms.require(user, perms.REVIEW, glass, at=at, request=request)
    if outcome not in ReviewOutcome.values:
        raise SharingError("Choose whether it was justified", field="outcome")
    notes = without_controls(notes or "").strip()
    if outcome == ReviewOutcome.NOT_JUSTIFIED:
        notes = _reason(notes, field="notes", minimum=5)
    with transaction.atomic():
        current = lock(BreakGlass, glass.pk)
        if current.reviewed_at is not None:
            raise SharingError("This break glass was reviewed already", field="outcome")
        current.reviewed_by, current.reviewed_at = user, at
        current.outcome, current.review_notes = outcome, notes
        current.save(update_fields=["reviewed_by", "reviewed_at", "outcome", "review_notes"])
        record(
            action=Audit.UPDATE,
            request=request,
            actor=user,
            obj=current,
            changes={
                "outcome": {"from": None, "to": outcome},
                "case": current.case.reference,
                **({"notes": notes} if notes else {}),
            },
        )
    return current


# --- consent -----------------------------------------------------------------------------------


def record_consent(
    user,
    case: Case,
    subject,
    *,
    status: str,
    recorded_on: date,
    lawful_basis: str = "",
    notes: str = "",
    version: int | None = None,
    request=None,
    at: datetime | None = None,
) -> Consent:
    """Record (or change) a subject's consent on a case: given; refused; or not sought,
    with the lawful basis used instead (also allowed after a refusal, when sharing goes on
    without consent). A change needs the `version` seen; old and new values are audited."""
    at = _now(at)
    perms.require(user, perms.RECORD_CONSENT, case, at=at, request=request)
    if status not in ConsentStatus.values:
        raise SharingError(
            "Choose whether consent was given, refused or not sought", field="status"
        )
    if not CaseSubject.objects.filter(case=case, subject=subject).exists():
        raise SharingError("That subject is not on this case", field="subject")
    if status == ConsentStatus.GIVEN:
        lawful_basis = ""
    elif lawful_basis == Art6.CONSENT:
        raise SharingError("Consent is not the basis when it was not given", field="lawful_basis")
    elif lawful_basis and lawful_basis not in Art6.values:
        raise SharingError("Choose the lawful basis from the list", field="lawful_basis")
    if status == ConsentStatus.NOT_SOUGHT and not lawful_basis:
        raise SharingError("Give the lawful basis used instead of consent", field="lawful_basis")
    if recorded_on > timezone.localdate(at):
        raise SharingError("The date cannot be in the future", field="recorded_on")
    notes = without_controls(notes or "").strip()
    new = {
        "status": status,
        "lawful_basis": lawful_basis,
        "recorded_on": recorded_on,
        "notes": notes,
    }
    with transaction.atomic():
        current = (
            Consent.objects.select_for_update()
            .filter(case=case, subject=subject, merged_from__isnull=True)
            .first()
        )
        if current is None:
            if version is not None:
                raise SharingError("This consent record is no longer there", field="status")
            try:
                with transaction.atomic():
                    current = Consent.objects.create(
                        case=case, subject=subject, recorded_by=user, recorded_at=at, **new
                    )
            except IntegrityError:
                raise SharingError(
                    "Someone recorded this consent a moment ago: look at theirs first",
                    field="status",
                ) from None
            record(
                action=Audit.CREATE,
                request=request,
                actor=user,
                obj=current,
                changes={
                    "case": case.reference,
                    "subject": subject.pk,
                    **{k: shown(v) for k, v in new.items() if k != "notes"},
                },
            )
            return current
        check_version(current, version or 0, what="consent record")
        diff = changed_fields(current, new)
        if not diff:
            return current
        for name, value in new.items():
            setattr(current, name, value)
        current.recorded_by, current.recorded_at = user, at
        current.version += 1
        current.save()
        if "notes" in diff:
            diff["notes"] = "changed"  # free text: the row holds it, the log says it changed
        record(
            action=Audit.UPDATE,
            request=request,
            actor=user,
            obj=current,
            changes={
                **diff,
                "version": current.version,
                "case": case.reference,
                "subject": subject.pk,
            },
        )
    return current
