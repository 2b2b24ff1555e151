"""Panel changes, each in one transaction with its audit entry.

So far: setting up a panel and its members, and listing a case at a panel and ending the
listing (the listing is what opens the case to the members: `access.py`). Only the case's
lead agency may list its case, since listing shares it; the lead agency or the panel's chair
agency may end it. Times are passed in (`at`) so tests never depend on the clock.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..accounts.models import Role
from ..audit.log import record
from ..audit.models import Action as Audit
from ..cases import permissions as perms
from ..cases.errors import CaseError
from ..cases.models import CaseSubject
from ..cases.models import Role as CaseRole
from ..cells import without_controls
from ..risk.services import latest_complete
from ..sharing.policy import is_practitioner
from .access import live_listings, live_members
from .models import (
    CaseReview,
    Listing,
    Member,
    Panel,
    PanelAction,
    PanelType,
    Referral,
    ReviewStatus,
    Terms,
)
from .rules import (
    Complaint,
    ReferralRecord,
    Return,
    RuleError,
    repeat_of,
    safelives_return,
    threshold_test,
)

MAX_PURPOSE = 300


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _may_manage(user) -> bool:
    return bool(
        user is not None
        and user.is_active
        and getattr(user, "role", None) in {Role.COORDINATOR, Role.ADMIN}
    )


def _chairs(user, panel: Panel) -> bool:
    """A practitioner or coordinator of the panel's chair agency: who runs its business."""
    return (is_practitioner(user) or _may_manage(user)) and user.agency_id == panel.chair_agency_id


def create_panel(
    user,
    *,
    name: str,
    type: str,
    chair_agency,
    purpose: str,
    terms: str = Terms.WHOLE,
    meeting_pattern: str = "",
    request=None,
    at: datetime | None = None,
) -> Panel:
    """A new panel, its chair agency its first member. Coordinators and admins set panels up."""
    if not _may_manage(user):
        raise PermissionDenied("Only a coordinator or an admin can set up a panel")
    name = without_controls(name or "").strip()
    purpose = without_controls(purpose or "").strip()
    if not name:
        raise CaseError("Enter the panel's name", field="name")
    if type not in PanelType.values:
        raise CaseError("Choose the kind of panel", field="type")
    if terms not in Terms.values:
        raise CaseError("Choose what a listing shares", field="terms")
    if not purpose or len(purpose) > MAX_PURPOSE:
        raise CaseError(
            f"Enter the purpose listed cases are shared for ({MAX_PURPOSE} characters or fewer)",
            field="purpose",
        )
    at = _now(at)
    with transaction.atomic():
        if Panel.objects.filter(name=name).exists():
            raise CaseError("A panel with this name already exists", field="name")
        panel = Panel.objects.create(
            name=name,
            type=type,
            chair_agency=chair_agency,
            purpose=purpose,
            terms=terms,
            meeting_pattern=without_controls(meeting_pattern or "").strip()[:200],
            created_at=at,
        )
        Member.objects.create(panel=panel, agency=chair_agency, joined_at=at)
        record(
            action=Audit.CREATE,
            request=request,
            actor=user,
            obj=panel,
            changes={"type": type, "terms": terms, "chair_agency": chair_agency.pk},
        )
    return panel


def add_member(user, panel: Panel, agency, *, request=None, at: datetime | None = None) -> Member:
    """Add an agency to a panel; adding a live member again writes nothing."""
    if not _may_manage(user):
        raise PermissionDenied("Only a coordinator or an admin can change a panel's members")
    at = _now(at)
    with transaction.atomic():
        live = Member.objects.filter(panel=panel, agency=agency, left_at__isnull=True).first()
        if live is not None:
            return live
        member = Member.objects.create(panel=panel, agency=agency, joined_at=at)
        record(
            action=Audit.CREATE, request=request, actor=user, obj=member,
            changes={"panel": panel.pk, "agency": agency.pk},
        )  # fmt: skip
    return member


def remove_member(user, member: Member, *, request=None, at: datetime | None = None) -> None:
    """An agency leaves a panel: its access through the panel's listings ends at `at`."""
    if not _may_manage(user):
        raise PermissionDenied("Only a coordinator or an admin can change a panel's members")
    if member.agency_id == member.panel.chair_agency_id:
        raise CaseError("The chair agency cannot leave its own panel", field="agency")
    with transaction.atomic():
        if Member.objects.filter(pk=member.pk, left_at__isnull=False).exists():
            return
        member.left_at = _now(at)
        member.save(update_fields=["left_at"])
        record(
            action=Audit.UPDATE, request=request, actor=user, obj=member,
            changes={"left_at": member.left_at.isoformat()},
        )  # fmt: skip


def list_case(user, panel: Panel, case, *, request=None, at: datetime | None = None) -> Listing:
    """List `case` at `panel`: its lead agency shares it with the panel's members. A case
    already listed there keeps its live listing."""
    at = _now(at)
    perms.require(user, perms.GRANT, case, at=at, request=request)
    if not panel.active:
        raise CaseError("This panel is no longer active", field="panel")
    with transaction.atomic():
        live = live_listings(at).filter(panel=panel, case=case).first()
        if live is not None:
            return live
        listing = Listing.objects.create(panel=panel, case=case, listed_at=at, listed_by=user)
        record(
            action=Audit.CREATE, request=request, actor=user, obj=listing,
            changes={"panel": panel.pk, "case": case.pk, "purpose": panel.purpose},
        )  # fmt: skip
    return listing


def end_listing(
    user, listing: Listing, *, reason: str, request=None, at: datetime | None = None
) -> None:
    """The case leaves the panel: the members' access through it ends at `at`."""
    at = _now(at)
    lead = perms.allowed(user, perms.GRANT, listing.case, at=at)
    chair = is_practitioner(user) and user.agency_id == listing.panel.chair_agency_id
    if not (lead or chair):
        raise perms.refused(user, perms.GRANT, listing.case, request=request)
    reason = without_controls(reason or "").strip()
    if not reason or len(reason) > 300:
        raise CaseError(
            "Enter why the case leaves the panel (300 characters or fewer)", field="reason"
        )
    with transaction.atomic():
        if Listing.objects.filter(pk=listing.pk, ended_at__isnull=False).exists():
            return
        listing.ended_at, listing.ended_by, listing.end_reason = at, user, reason
        listing.save(update_fields=["ended_at", "ended_by", "end_reason"])
        record(
            action=Audit.UPDATE, request=request, actor=user, obj=listing,
            changes={"ended_at": at.isoformat()},
        )  # fmt: skip


# --- actions -----------------------------------------------------------------------------------

MAX_ACTION = 2000


def add_action(
    user,
    panel: Panel,
    *,
    owner_agency,
    description: str,
    due_on: date | None,
    listing: Listing | None = None,
    meeting=None,
    request=None,
    at: datetime | None = None,
) -> PanelAction:
    """An action the panel gives one member agency, with a due date: both are required, since
    an action nobody owns or that is never due is never done. The chair agency's practitioners
    (and coordinators) record them."""
    at = _now(at)
    chair = _chairs(user, panel)
    if not chair:
        raise PermissionDenied("Only the panel's chair agency records its actions")
    if owner_agency is None:
        raise CaseError("Choose the agency that owns the action", field="owner_agency")
    if not live_members(at).filter(panel=panel, agency=owner_agency).exists():
        raise CaseError("The owning agency must be a member of the panel", field="owner_agency")
    if due_on is None:
        raise CaseError("Enter the date the action is due", field="due_on")
    description = without_controls(description or "").strip()
    if not description or len(description) > MAX_ACTION:
        raise CaseError(
            f"Describe the action ({MAX_ACTION} characters or fewer)", field="description"
        )
    if listing is not None and listing.panel_id != panel.pk:
        raise CaseError("The case is not listed at this panel", field="listing")
    with transaction.atomic():
        action = PanelAction.objects.create(
            panel=panel, meeting=meeting, listing=listing, owner_agency=owner_agency,
            description=description, due_on=due_on, created_by=user, created_at=at,
        )  # fmt: skip
        record(
            action=Audit.CREATE, request=request, actor=user, obj=action,
            changes={"panel": panel.pk, "owner_agency": owner_agency.pk,
                     "due_on": due_on.isoformat()},
        )  # fmt: skip
    return action


# --- MARAC referral ----------------------------------------------------------------------------


def refer_to_marac(
    user,
    panel: Panel,
    case,
    subject,
    *,
    referred_on: date,
    professional_judgement: bool | None = None,
    potential_escalation: bool | None = None,
    summary: str = "",
    request=None,
    at: datetime | None = None,
) -> Referral:
    """Refer a case's victim to a MARAC. The criteria come from the victim's latest completed
    DASH on the case (no re-keying): visible high risk from its count, and the two
    judgements as assessed, which the referrer may add to but never take away. A referral
    meeting none of the three is refused with the reason. The referral lists the case at the
    panel, and is flagged a repeat when the victim's last referral to this MARAC was within
    12 months (`rules.repeat_of`)."""
    at = _now(at)
    if panel.type != PanelType.MARAC:
        raise CaseError("Referrals of this kind go to a MARAC", field="panel")
    if referred_on > at.date():
        raise CaseError("The referral date cannot be in the future", field="referred_on")
    perms.require(user, perms.GRANT, case, at=at, request=request)
    if not CaseSubject.objects.filter(case=case, subject=subject, role=CaseRole.VICTIM).exists():
        raise CaseError("The person referred must be a victim on this case", field="subject")
    dash = latest_complete(case, subject, "dash")
    met = set(dash.met) if dash else set()
    visible = "threshold" in met and dash is not None and dash.level == "high"
    judgement = bool(professional_judgement) or "professional_judgement" in met
    escalation = bool(potential_escalation) or "potential_escalation" in met
    if not (visible or judgement or escalation):
        score = "no completed DASH" if dash is None else f"a DASH count of {dash.score}"
        raise CaseError(
            f"The referral meets no MARAC criterion: {score} (14 or more is visible high "
            "risk), and neither professional judgement nor potential escalation is recorded",
            field="criteria",
        )
    with transaction.atomic():
        earlier = list(
            Referral.objects.filter(panel=panel, subject=subject, referred_on__lte=referred_on)
            .order_by("-referred_on", "-id")
            .values_list("referred_on", "id")
        )
        last = repeat_of(referred_on, [d for d, _ in earlier])
        listing = list_case(user, panel, case, request=request, at=at)
        referral = Referral.objects.create(
            panel=panel, case=case, subject=subject, assessment=dash, listing=listing,
            referring_agency=user.agency, referred_by=user, referred_on=referred_on,
            visible_high_risk=visible, professional_judgement=judgement,
            potential_escalation=escalation, dash_score=dash.score if dash else None,
            repeat=last is not None,
            repeat_of_id=next((i for d, i in earlier if d == last), None),
            summary=without_controls(summary or "").strip()[:5000], created_at=at,
        )  # fmt: skip
        record(
            action=Audit.CREATE, request=request, actor=user, obj=referral,
            changes={"panel": panel.pk, "case": case.pk, "repeat": referral.repeat,
                     "criteria": [n for n, v in (("visible_high_risk", visible),
                                  ("professional_judgement", judgement),
                                  ("potential_escalation", escalation)) if v]},
        )  # fmt: skip
    return referral


# --- ASB case review (community trigger) -------------------------------------------------------

DEFAULT_TRIGGER = {"complaints_needed": 3, "months": 6}


def log_case_review(
    user,
    panel: Panel,
    *,
    reference: str,
    received_on: date,
    applicant_type: str,
    complaints: list[Complaint],
    request=None,
    at: datetime | None = None,
) -> CaseReview:
    """Log an ASB case review application and decide the threshold at once, with the local
    threshold from the panel's settings (`trigger`: complaints_needed, months; three in six
    months by default). The decision, the qualifying complaints and the threshold applied are
    kept, so the annual publication figures can be counted from the records."""
    at = _now(at)
    if panel.type != PanelType.ASB_CASE_REVIEW:
        raise CaseError("Applications of this kind go to an ASB case review panel", field="panel")
    if not (_chairs(user, panel)):
        raise PermissionDenied("Only the panel's chair agency logs applications")
    reference = without_controls(reference or "").strip()
    if not reference or len(reference) > 30:
        raise CaseError("Enter the application's reference (30 characters or fewer)",
                        field="reference")  # fmt: skip
    if received_on > at.date():
        raise CaseError("The date received cannot be in the future", field="received_on")
    local = {**DEFAULT_TRIGGER, **(panel.settings or {}).get("trigger", {})}
    try:
        result = threshold_test(received_on, complaints, **local)
    except RuleError as exc:
        raise CaseError(str(exc), field=exc.field) from exc
    with transaction.atomic():
        if CaseReview.objects.filter(reference=reference).exists():
            raise CaseError("An application with this reference is already logged",
                            field="reference")  # fmt: skip
        review = CaseReview.objects.create(
            panel=panel, reference=reference, received_on=received_on,
            applicant_type=without_controls(applicant_type or "").strip()[:30],
            complaints=[{"made_on": c.made_on.isoformat(), "agency": c.agency[:200]}
                        for c in complaints],
            threshold_complaints=local["complaints_needed"], threshold_months=local["months"],
            threshold_met=result.met, decided_on=at.date(),
            status=ReviewStatus.REVIEW_DUE if result.met else ReviewStatus.THRESHOLD_NOT_MET,
            created_by=user, created_at=at,
        )  # fmt: skip
        record(
            action=Audit.CREATE, request=request, actor=user, obj=review,
            changes={"panel": panel.pk, "threshold_met": result.met,
                     "qualifying": len(result.qualifying)},
        )  # fmt: skip
    return review


# --- figures -----------------------------------------------------------------------------------


def marac_return(user, panel: Panel, start: date, end: date, *, request=None) -> Return:
    """The SafeLives quarterly data return for one MARAC over [start, end]: counts only (no
    names), for the chair agency and coordinators; the export is recorded."""
    if panel.type != PanelType.MARAC:
        raise CaseError("The SafeLives return is for a MARAC", field="panel")
    if not (is_practitioner(user) and user.agency_id == panel.chair_agency_id) and not (
        _may_manage(user)
    ):
        raise PermissionDenied("Only the chair agency or a coordinator produces the return")
    rows = Referral.objects.filter(panel=panel, referred_on__range=(start, end)).select_related(
        "referring_agency"
    )
    figures = safelives_return(
        [
            ReferralRecord(
                referred_on=r.referred_on,
                repeat=r.repeat,
                referring_agency=r.referring_agency.name,
                victim_gender=r.victim_gender,
                victim_age=r.victim_age,
                victim_ethnicity=r.victim_ethnicity,
                victim_disability=r.victim_disability,
                victim_lgbt=r.victim_lgbt,
                children_in_household=r.children_in_household,
            )
            for r in rows
        ],
        start,
        end,
    )
    record(
        action=Audit.EXPORT, request=request, actor=user, object_type="panels.Return",
        object_id=str(panel.pk),
        changes={"start": start.isoformat(), "end": end.isoformat(),
                 "referrals": figures.referrals},
    )  # fmt: skip
    return figures
