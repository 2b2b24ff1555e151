"""Case pages: the lists of cases, opening a case, the case page, editing it, its status,
and its subjects in roles.

The case page is `sharing.reading.open_case`'s object (only the parts the user's access
covers, the read audited with its purpose); lists come from `sharing.policy.visible_cases`
and are recorded with `reading.record_listing`. Every write is a `cases.services` call that
asks the policy again and checks the version the editor saw."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ...accounts.models import User
from ...cases import permissions as verbs
from ...cases import services
from ...cases.errors import StaleEdit
from ...cases.models import BusinessArea, CaseSubject, ChronologyEntry, Status, Task
from ...paging import paged
from ...sharing import policy
from ...sharing.models import AccessRequest, Grant, RequestStatus
from ...sharing.reading import field_text, open_case, record_listing
from ...sharing.search import search_box
from ...subjects.models import Subject
from ...subjects.vocabulary import Kind
from .. import access as gate
from ..forms.cases import (
    BusinessAreaForm,
    CaseEditForm,
    CaseForm,
    CaseSubjectForm,
    RemoveSubjectForm,
    StatusForm,
    initial_extra,
)
from ..forms.search import SearchForm
from ..problems import REFUSALS, moved_on, onto
from .common import form_page, posted, today

CASES_PER_PAGE = 25
ENTRIES_PER_PAGE = 50

LISTS = {
    "mine": "Cases I lead",
    "agency": "My agency's cases",
    "shared": "Cases shared with my agency",
}
STATUSES = {"open": "Open and under review", "closed": "Closed", "all": "All"}


def _listed(user, show: str, status: str):
    cases = policy.visible_cases(user).select_related(
        "business_area", "lead_agency", "lead_officer"
    )
    if show == "mine":
        cases = cases.filter(lead_officer=user)
    elif show == "agency":
        cases = cases.filter(lead_agency_id=user.agency_id)
    else:
        cases = cases.exclude(lead_agency_id=user.agency_id)
    if status == "open":
        cases = cases.exclude(status=Status.CLOSED)
    elif status == "closed":
        cases = cases.filter(status=Status.CLOSED)
    return cases.order_by("-opened_on", "-id")


@gate.page("practitioner")
def case_list(request):
    show = request.GET.get("show") if request.GET.get("show") in LISTS else "mine"
    status = request.GET.get("status") if request.GET.get("status") in STATUSES else "open"
    paging = paged(request, _listed(request.user, show, status), CASES_PER_PAGE)
    shown = list(paging["page"].object_list)
    record_listing(request.user, shown, what=f"{LISTS[show]} ({status})", request=request)
    return render(
        request,
        "casework/case_list.html",
        {
            **paging,
            "cases": shown,
            "show": show,
            "status": status,
            "lists": [(k, v, f"?show={k}&status={status}") for k, v in LISTS.items()],
            "statuses": [(k, v, f"?show={show}&status={k}") for k, v in STATUSES.items()],
            "title": LISTS[show],
        },
    )


# --- opening a case ----------------------------------------------------------------------------


@gate.page("create_case")
def create_case(request):
    areas = BusinessArea.objects.filter(active=True).order_by("name")
    code = request.GET.get("area", "")
    area = areas.filter(code=code).first() if code else None
    if area is None:
        choose = BusinessAreaForm(request.GET if code else None, areas=areas)
        if choose.is_bound:
            choose.is_valid()
        return form_page(
            request,
            "casework/form.html",
            {
                "title": "Open a case",
                "intro": "First choose the business area: each has its own fields.",
                "form": choose,
                "method": "get",
                "submit": "Continue",
            },
        )
    form = CaseForm(
        posted(request),
        area=area,
        agency=request.user.agency,
        initial={"opened_on": today(), "lead_officer": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        extra = form.extra
        if extra is not None:
            try:
                case = services.create_case(
                    request.user,
                    business_area=area,
                    title=form.cleaned_data["title"],
                    opened_on=form.cleaned_data["opened_on"],
                    lead_officer=User.objects.get(pk=form.cleaned_data["lead_officer"]),
                    extra=extra,
                    request=request,
                )
            except REFUSALS as exc:
                onto(form, exc, aliases={s.name: f"extra_{s.name}" for s in area.schema})
            else:
                messages.success(request, f"Case {case.reference} opened")
                return redirect("casework:case", pk=case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": f"Open a case: {area.name}",
            "form": form,
            "submit": "Open the case",
            "back_href": reverse("casework:case-new"),
            "back_label": "Choose another business area",
        },
    )


# --- the case page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    entry: ChronologyEntry
    corrected: bool
    correctable: bool


@dataclass(frozen=True)
class TaskRow:
    task: Task
    overdue: bool
    changeable: bool


def _grant_state(grant: Grant, at) -> str:
    if grant.revoked_at is not None:
        return "Revoked"
    if grant.expires_at <= at:
        return "Expired"
    if grant.starts_at > at:
        return "Not started"
    return "Live"


@gate.case(verbs.VIEW)
def case_page(request, on: gate.OnCase):
    view = open_case(request.user, on.case, request=request)
    case, user = view.case, request.user
    now, day = timezone.now(), today()
    paging = paged(request, list(view.entries), ENTRIES_PER_PAGE)
    entries = []
    for entry in paging["page"].object_list:
        entry.case = case  # the policy reads the case it already has
        entries.append(
            EntryRow(entry, entry.pk in view.corrected, policy.can(user, verbs.CORRECT, entry))
        )
    tasks = []
    for task in view.tasks:
        task.case = case
        tasks.append(
            TaskRow(
                task,
                task.overdue(day),
                policy.can(user, verbs.MANAGE_TASKS, task)
                or policy.can(user, verbs.COMPLETE, task),
            )
        )
    consents = {c.subject_id: c for c in view.consents}
    requests = (
        AccessRequest.objects.filter(case=case, status=RequestStatus.PENDING)
        .select_related("requester__agency")
        .order_by("requested_at")
        if verbs.GRANT in view.allowed
        else []
    )
    return render(
        request,
        "casework/case.html",
        {
            "view": view,
            "case": case,
            "allowed": view.allowed,
            "shows": view.shows,
            "fields": [(f.label, field_text(f)) for f in view.fields],
            "subjects": [(row, consents.get(row.subject_id)) for row in view.subjects],
            "entries": entries,
            **paging,
            "tasks": tasks,
            "overdue": sum(t.overdue for t in tasks),
            "documents": view.documents,
            "grants": [(g, _grant_state(g, now)) for g in view.grants],
            "requests": requests,
            "glass": view.access.break_glass,
            "kinds": [(k.value, k.label) for k in Kind],
        },
    )


# --- changing a case ---------------------------------------------------------------------------


@gate.case(verbs.EDIT)
def edit_case(request, on: gate.OnCase):
    case = on.case
    form = CaseEditForm(
        posted(request),
        area=case.business_area,
        agency=case.lead_agency,
        initial={
            "title": case.title,
            "lead_officer": case.lead_officer_id,
            "version": case.version,
            **initial_extra(case.business_area.schema, case.extra),
        },
    )
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        extra = form.extra
        if extra is not None:
            try:
                services.update_case(
                    request.user,
                    case,
                    version=form.cleaned_data["version"],
                    changes={
                        "title": form.cleaned_data["title"],
                        "lead_officer": User.objects.get(pk=form.cleaned_data["lead_officer"]),
                        "extra": extra,
                    },
                    request=request,
                )
            except StaleEdit as exc:
                others = moved_on(form, exc)
            except REFUSALS as exc:
                onto(
                    form,
                    exc,
                    aliases={s.name: f"extra_{s.name}" for s in case.business_area.schema},
                )
            else:
                messages.success(request, "Case saved")
                return redirect("casework:case", pk=case.pk)
    return form_page(
        request,
        "casework/form.html",
        {"title": "Change the case", "form": form, "others": others},
        on=on,
        page="edit case",
    )


@gate.case(verbs.VIEW)
def case_status(request, on: gate.OnCase):
    case, user = on.case, request.user
    if not (on.allows(user, verbs.EDIT) or on.allows(user, verbs.CLOSE)):
        raise gate.refuse(request, verbs.CLOSE, case)
    form = StatusForm(
        posted(request),
        reasons=case.business_area.reasons,
        initial={"status": case.status, "on": today(), "version": case.version},
    )
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.set_status(
                user,
                case,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason") or "",
                on=form.cleaned_data.get("on"),
                request=request,
            )
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Status saved")
            return redirect("casework:case", pk=case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Change the status",
            "intro": f"The case is {case.get_status_display().lower()}. Closing it needs a "
            "closure reason and the date it closed; reopening clears them.",
            "form": form,
            "others": others,
        },
        on=on,
        page="status",
    )


# --- subjects on a case ------------------------------------------------------------------------


@gate.case(verbs.ADD_SUBJECT)
def add_subject(request, on: gate.OnCase):
    case, user = on.case, request.user
    form = CaseSubjectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        subject = Subject.objects.filter(pk=form.cleaned_data["subject"]).first()
        if subject is None or not policy.can(user, verbs.VIEW, subject):
            form.add_error(None, "There is no record with that number that you can see")
        elif not gate.attachable(user, subject):
            form.add_error(
                None,
                "That record is shared with your agency, not held by it: ask the agency "
                "that leads its case before you add it to one of yours",
            )
        else:
            try:
                services.add_subject(
                    user, case, subject, form.cleaned_data["role"], request=request
                )
            except REFUSALS as exc:
                onto(form, exc)
            else:
                messages.success(request, f"{subject.display_name} added to the case")
                return redirect("casework:case", pk=case.pk)
    search = SearchForm(request.GET or None)
    hits = None
    if search.is_bound and search.is_valid():
        try:
            results = search_box(user, search.cleaned_data["q"], request=request)
        except ValidationError as exc:
            onto(search, exc, aliases={k: "q" for k in ("postcode", "address", "value", "vrm")})
        else:
            hits = [h for h in results.hits if h.full]
    return form_page(
        request,
        "casework/case_subject_add.html",
        {
            "title": "Add a subject to the case",
            "form": form,
            "search": search,
            "hits": hits,
            "roles": form.fields["role"].choices,
            "kinds": [(k.value, k.label) for k in Kind],
        },
        on=on,
        page="add subject",
    )


@gate.case_part("row", verbs.EDIT)
def remove_subject(request, on: gate.OnCase, row: CaseSubject, allowed):
    form = RemoveSubjectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_subject(request.user, row, request=request)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Subject taken off the case")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Take a subject off the case",
            "intro": f"{row.subject.display_name}, {row.get_role_display().lower()}. The audit "
            "log keeps who took it off and when.",
            "form": form,
            "submit": "Take it off",
            "warning": True,
        },
        on=on,
        page="remove subject",
    )
