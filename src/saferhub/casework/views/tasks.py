"""Tasks on a case (owned by a person or an agency, with a due date), changing one, and the
user's own open tasks across cases (overdue ones first and marked)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from ...accounts.models import Agency, Role, User
from ...cases import permissions as verbs
from ...cases import services
from ...cases.errors import StaleEdit
from ...cases.models import Task, TaskStatus
from ...paging import paged
from ...sharing import notices, policy
from ...sharing.reading import record_listing
from .. import access as gate
from ..forms.cases import TaskDoneForm, TaskEditForm, TaskForm, owner_choices
from ..problems import REFUSALS, moved_on, onto
from .common import form_page, posted, today

TASKS_PER_PAGE = 50


def owners(case) -> list[tuple[str, str]]:
    """Who may own a task on the case: the lead agency's practitioners, the lead agency, and
    the agencies it is shared with now (the service checks each can see the tasks)."""
    people = (
        User.objects.filter(agency_id=case.lead_agency_id, role=Role.PRACTITIONER, is_active=True)
        .select_related("agency")
        .order_by("full_name")
    )
    shared = policy.live_grants(timezone.now())
    agencies = Agency.objects.filter(
        Q(pk=case.lead_agency_id) | Q(pk__in=shared.filter(case=case).values("agency_id"))
    ).order_by("name")
    return owner_choices(people, agencies)


def _owner(value: str) -> dict:
    kind, _, pk = value.partition(":")
    if kind == "user":
        return {"owner_user": User.objects.filter(pk=int(pk)).first(), "owner_agency": None}
    return {"owner_user": None, "owner_agency": Agency.objects.filter(pk=int(pk)).first()}


@gate.case(verbs.MANAGE_TASKS)
def add_task(request, on: gate.OnCase):
    form = TaskForm(
        posted(request), owners=owners(on.case), initial={"owner": f"user:{request.user.pk}"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_task(
                request.user,
                on.case,
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
                **_owner(form.cleaned_data["owner"]),
                request=request,
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Task added")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/form.html",
        {"title": "Add a task", "form": form, "submit": "Add the task"},
        on=on,
        page="add task",
    )


@gate.case_part("task", verbs.MANAGE_TASKS, verbs.COMPLETE)
def edit_task(request, on: gate.OnCase, task: Task, allowed):
    manage = verbs.MANAGE_TASKS in allowed
    others: list[str] = []
    if manage:
        owner = (
            f"user:{task.owner_user_id}" if task.owner_user_id else f"agency:{task.owner_agency_id}"
        )
        form = TaskEditForm(
            posted(request),
            owners=owners(on.case),
            initial={
                "description": task.description,
                "due_on": task.due_on,
                "owner": owner,
                "status": task.status,
                "version": task.version,
            },
        )
    else:
        form = TaskDoneForm(posted(request), initial={"version": task.version})
    if request.method == "POST" and form.is_valid():
        if manage:
            changes = {
                "description": form.cleaned_data["description"],
                "due_on": form.cleaned_data["due_on"],
                "status": form.cleaned_data["status"],
                **_owner(form.cleaned_data["owner"]),
            }
        else:
            changes = {"status": TaskStatus.DONE}
        try:
            services.update_task(
                request.user,
                task,
                version=form.cleaned_data["version"],
                changes=changes,
                request=request,
            )
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc, aliases={"owner_user": "owner", "owner_agency": "owner"})
        else:
            messages.success(request, "Task saved" if manage else "Task marked as done")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/task_edit.html",
        {
            "title": "Change the task" if manage else "Mark the task as done",
            "form": form,
            "task": task,
            "overdue": task.overdue(today()),
            "others": others,
            "submit": "Save" if manage else "Mark as done",
        },
        on=on,
        page="task",
    )


@gate.page("practitioner")
def my_tasks(request):
    tasks = notices.my_tasks(request.user)
    paging = paged(request, tasks, TASKS_PER_PAGE)
    shown = list(paging["page"].object_list)
    day = today()
    record_listing(
        request.user,
        list({t.case_id: t.case for t in shown}.values()),
        what="my tasks",
        request=request,
    )
    return render(
        request,
        "casework/my_tasks.html",
        {
            **paging,
            "rows": [(t, t.overdue(day)) for t in shown],
            "overdue": notices.overdue_count(request.user, day),
        },
    )
