"""Ways into a case the user cannot see: asking the lead agency for access (which approves,
creating a grant, or refuses, with a reason; the requester is told), and break glass
(emergency read access for a few hours, with a written reason, flagged at once to the data
protection officer, who reviews it here).

The request and break-glass pages are for people who cannot see the case, so they show only
what the locked view shows: the business area and the lead agency, never the case's title.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from ...audit.log import record
from ...audit.models import Action as Audit
from ...cases import permissions as verbs
from ...paging import paged
from ...sharing import notices, services
from ...sharing.models import AccessRequest, BreakGlass, InformationSharingAgreement
from ...sharing.reading import record_listing
from ...subjects.models import Subject
from .. import access as gate
from ..forms.sharing import AccessRequestForm, BreakGlassForm, DecisionForm, ReviewForm
from ..problems import REFUSALS, onto
from .common import form_page, posted
from .sharing import GRANT_ALIASES, grant_subjects, grant_values

PER_PAGE = 25


@gate.case(verbs.REQUEST_ACCESS)
def request_access(request, on: gate.OnCase):
    case = on.case
    raw = request.POST.get("subject") or request.GET.get("subject") or ""
    # Only a subject on this case: the page must not name any record one cares to number.
    subject = (
        Subject.objects.filter(pk=int(raw), case_roles__case=case).first()
        if raw.isdigit()
        else None
    )
    if request.method != "POST":
        _shown(request, case, "request access")
    form = AccessRequestForm(posted(request), initial={"subject": getattr(subject, "pk", None)})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_access(
                request.user,
                case,
                reason=form.cleaned_data["reason"],
                subject=subject,
                request=request,
            )
        except REFUSALS as exc:
            onto(form, exc, aliases={"case": None, "subject": None})
        else:
            messages.success(
                request,
                f"Access requested from {case.lead_agency.name}: you will be told of their "
                "decision by email and on your home page",
            )
            if subject is not None:
                return redirect("casework:subject", pk=subject.pk)
            return redirect("casework:access-requests")
    return render(
        request,
        "casework/request_access.html",
        {"title": "Request access", "case": case, "subject": subject, "form": form},
    )


def _shown(request, case, page: str) -> None:
    """These pages name a case's business area and lead agency to someone who cannot open
    it: each showing is on the record, so walking case numbers leaves a trail."""
    with transaction.atomic():
        record(
            action=Audit.VIEW, request=request, actor=request.user, obj=case, changes={"page": page}
        )


@gate.case(verbs.BREAK_GLASS)
def break_glass(request, on: gate.OnCase):
    case = on.case
    form = BreakGlassForm(posted(request))
    if request.method != "POST":
        _shown(request, case, "break glass")
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass(
                request.user, case, reason=form.cleaned_data["reason"], request=request
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(
                request,
                f"Emergency access for {services.break_glass_hours():g} hours: the data "
                "protection officer has been told",
            )
            return redirect("casework:case", pk=case.pk)
    return render(
        request,
        "casework/break_glass.html",
        {
            "title": "Emergency access (break glass)",
            "case": case,
            "form": form,
            "hours": services.break_glass_hours(),
        },
    )


@gate.page("practitioner")
def access_requests(request):
    waiting = list(notices.pending_access_requests(request.user))
    mine = paged(
        request,
        AccessRequest.objects.filter(requester=request.user).select_related(
            "case__business_area", "case__lead_agency", "decided_by"
        ),
        PER_PAGE,
    )
    if waiting:
        record_listing(
            request.user, [a.case for a in waiting], what="access requests", request=request
        )
    return render(
        request,
        "casework/access_requests.html",
        {**mine, "waiting": waiting, "mine": list(mine["page"].object_list)},
    )


@gate.access_request
def decide(request, asked: AccessRequest):
    case = asked.case
    form = DecisionForm(
        posted(request),
        agreements=InformationSharingAgreement.objects.filter(parties=case.lead_agency)
        .filter(parties=asked.requester.agency)
        .order_by("title"),
        subjects=grant_subjects(case),
        initial={
            "scope": "named_subjects" if asked.subject_id else "whole",
            "subjects": [asked.subject_id] if asked.subject_id else [],
        },
    )
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        grant = grant_values(form, case) if approve else None
        if approve and grant["agreement"] is None:
            form.add_error("agreement", "Choose the agreement the grant rests on")
        else:
            try:
                services.decide_access_request(
                    request.user,
                    asked,
                    approve=approve,
                    reason=form.cleaned_data["decision_reason"],
                    grant=grant,
                    request=request,
                )
            except REFUSALS as exc:
                onto(form, exc, aliases=GRANT_ALIASES | {"status": None})
            else:
                messages.success(
                    request,
                    f"Request {'approved' if approve else 'refused'}: "
                    f"{asked.requester.full_name} is told",
                )
                return redirect("casework:access-requests")
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            obj=asked,
            changes={"page": "decide", "case": case.reference},
        )
    return form_page(
        request,
        "casework/decide.html",
        {"title": "Decide an access request", "asked": asked, "case": case, "form": form},
    )


@gate.page("dpo")
def reviews(request):
    waiting = list(notices.break_glass_to_review(request.user))
    done = paged(
        request,
        BreakGlass.objects.filter(reviewed_at__isnull=False)
        .exclude(user=request.user)
        .select_related("user__agency", "case", "reviewed_by")
        .order_by("-reviewed_at"),
        PER_PAGE,
    )
    shown = list(done["page"].object_list)
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            object_type="sharing.BreakGlass",
            changes={
                "listed": "break glass reviews",
                "waiting": [g.pk for g in waiting],
                "reviewed": [g.pk for g in shown],
            },
        )
    return render(request, "casework/reviews.html", {**done, "waiting": waiting, "reviewed": shown})


@gate.break_glass_review
def review(request, glass: BreakGlass):
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_break_glass(
                request.user,
                glass,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data.get("notes") or "",
                request=request,
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Review recorded")
            return redirect("casework:reviews")
    with transaction.atomic():
        record(action=Audit.VIEW, request=request, obj=glass, changes={"page": "review"})
    return form_page(
        request,
        "casework/review.html",
        {"title": "Review emergency access", "glass": glass, "form": form},
    )
