"""Plan pages: the plan, a lead's own actions, posting updates, import, export, health check,
board report and rollover. Each view checks permission and writes the audit log."""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..accounts.permissions import MANAGE_PLANS, VIEW_PLANS, has, requires
from ..audit.log import record
from ..audit.models import Action as Audit
from ..indicators.status import active_statuses
from ..jobs import services as jobs
from ..jobs.imports import queue_plan_import
from ..paging import paged
from ..reports.board_report import render_board_html, render_board_pdf
from . import board, convert, draft, exporting, health, importing, services
from .directory import Directory
from .forms import ActionForm, ImportForm, MeasureForm, NewActionForm, ObjectiveForm, UpdateForm
from .models import Action, Measure, Objective, Strategy
from .permissions import (
    can_update_action,
    can_view_action,
    led_by,
    sees_whole_plan,
    visible_actions,
)

IMPORT_SESSION_KEY = "plan_import"


def _strategy(pk: int) -> Strategy:
    return get_object_or_404(convert.strategy_queryset(), pk=pk)


def _whole_plan_only(request) -> None:
    if not sees_whole_plan(request.user):
        raise PermissionDenied


def _asked(request) -> tuple[date | None, str]:
    """The day asked for in ?as_at=YYYY-MM-DD, and, when one was asked for but cannot be
    used, why: the page says so rather than quietly checking another day."""
    raw = request.GET.get("as_at", "").strip()
    if not raw:
        return None, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, f"The date {raw!r} was not understood: expected a day as YYYY-MM-DD"
    years = importing.PERIOD_YEARS
    if day.year not in years:
        return None, f"The date {raw!r} is not within the years {years[0]} to {years[-1]}"
    return day, ""


@requires(VIEW_PLANS)
def strategy_list(request):
    return render(
        request,
        "plans/strategy_list.html",
        {
            "strategies": Strategy.objects.all(),
            "can_manage": has(request.user, MANAGE_PLANS),
            "whole": sees_whole_plan(request.user),
        },
    )


@requires(VIEW_PLANS)
def my_actions(request):
    actions = (
        Action.objects.filter(led_by(request.user), objective__strategy__status="open")
        .select_related("objective__strategy")
        .prefetch_related("updates", "leads")
        .distinct()
    )
    record(
        action=Audit.VIEW,
        request=request,
        object_type="plans.Action",
        changes={"listed": "own actions", "count": len(actions)},
    )
    rows = [(a, convert.action_to_draft(a, {}).rag) for a in actions]
    return render(request, "plans/my_actions.html", {"rows": rows})


# Long lists are paged: a plan page shows this many actions, an action page this many updates.
ACTIONS_PER_PAGE = 100
UPDATES_PER_PAGE = 50
# The plan page counts the health check's findings for plans up to this size; a larger plan's
# page links to the check without reading the whole plan at every view.
HEALTH_COUNT_UP_TO = 1_000


# A plan read whole (with its health findings) is kept this long at most; any write to it
# changes its key at once.
PLAN_CACHE_SECONDS = 60 * 60


def _whole_plan(strategy: Strategy, today: date) -> tuple[draft.Plan, int]:
    """The stored plan as a draft and its health check's finding count as at `today`
    (health.check_as_at), from Django's cache under the digest of the plan's rows and the
    day (web.home.plan_fingerprint: the rows are read at every view, as plain tuples, so a
    write by any route on any worker shows on the next view)."""
    from ..web.home import plan_fingerprint

    key = f"saferhub:plans:whole:{strategy.pk}:{plan_fingerprint(strategy, today)}"
    found = cache.get(key)
    if found is None:
        whole = convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk))
        found = (whole, len(health.check_as_at(whole, today=today)[1]))
        cache.set(key, found, PLAN_CACHE_SECONDS)
    return found


def _only_actions(plan: draft.Plan, shown: set[int]) -> draft.Plan:
    """The plan with only the `shown` actions (one page, or what a lead may see), every
    objective kept: as convert.to_draft of strategy_queryset(actions=shown) gives it."""
    return replace(
        plan,
        objectives=[
            replace(o, actions=[a for a in o.actions if a.key in shown]) for o in plan.objectives
        ],
    )


@requires(VIEW_PLANS)
def strategy_detail(request, pk: int):
    # The plans it was rolled over from and to, which the page names, in the same query.
    strategy = get_object_or_404(Strategy.objects.select_related("previous", "next"), pk=pk)
    visible = visible_actions(request.user, strategy)
    every = list(
        Action.objects.filter(objective__strategy=strategy)
        .order_by("objective__order", "objective_id", "order", "id")
        .values_list("id", "objective_id")
    )
    rows = every if visible is None else [row for row in every if row[0] in visible]
    paging = paged(request, rows, ACTIONS_PER_PAGE)
    page = paging["page"]
    shown = [action_id for action_id, _ in page.object_list]
    findings = None
    if len(every) <= HEALTH_COUNT_UP_TO:
        # The whole plan, and its health check, as at today: built once per plan version
        # and day, then this page's actions taken from it.
        whole, count = _whole_plan(strategy, timezone.localdate())
        plan = _only_actions(whole, set(shown))
        findings = count if visible is None else None
    else:
        # Only this page's actions, with their leads and updates, are read.
        plan = convert.to_draft(get_object_or_404(convert.strategy_queryset(actions=shown), pk=pk))
    # An objective is shown on the pages of its actions; one with none (to the whole-plan
    # reader), on the page of the action before it.
    counts = Counter(objective for _, objective in rows)
    pages_of, seen = {}, 0
    for key in Objective.objects.filter(strategy=strategy).values_list("id", flat=True):
        first = (
            seen // ACTIONS_PER_PAGE + 1
            if counts[key]
            else max(seen - 1, 0) // ACTIONS_PER_PAGE + 1
        )
        last = (seen + counts[key] - 1) // ACTIONS_PER_PAGE + 1 if counts[key] else first
        pages_of[key] = (first, last)
        seen += counts[key]
    number = page.number
    keep = {
        key
        for key, (first, last) in pages_of.items()
        if first <= number <= last and (counts[key] or visible is None)
    }
    continued = {
        key for key, (first, last) in pages_of.items() if counts[key] and first < number <= last
    }
    plan.objectives = [o for o in plan.objectives if o.key in keep]
    record(
        action=Audit.VIEW,
        request=request,
        obj=strategy,
        changes={"actions_shown": len(plan.actions()), "page": page.number},
    )
    return render(
        request,
        "plans/strategy_detail.html",
        {
            "strategy": strategy,
            "plan": plan,
            "whole": visible is None,
            "findings": findings,
            "continued": continued,
            "actions_total": len(rows),
            "can_manage": has(request.user, MANAGE_PLANS) and strategy.status == "open",
            "exports": list(exporting.FORMATS),
            **paging,
        },
    )


@requires(VIEW_PLANS)
def strategy_health(request, pk: int):
    _whole_plan_only(request)
    strategy = _strategy(pk)
    plan = convert.to_draft(strategy)
    asked, unread = _asked(request)
    when, findings = health.check_as_at(plan, today=timezone.localdate(), asked=asked)
    record(
        action=Audit.VIEW, request=request, obj=strategy, changes={"health_check": len(findings)}
    )
    checks = [
        (rule, title, [f for f in findings if f.rule == rule])
        for rule, title in health.RULES.items()
    ]
    return render(
        request,
        "plans/health.html",
        {
            "strategy": strategy,
            "checks": checks,
            "today": when.day,
            "as_at": when,
            "as_at_unread": unread and f"{unread}, so the plan was {when.sentence}",
            "total": len(findings),
        },
    )


@requires(VIEW_PLANS)
def strategy_export(request, pk: int, fmt: str):
    _whole_plan_only(request)
    if fmt not in exporting.FORMATS:
        return HttpResponse(
            "No such export: choose docx, xlsx or csv", status=400, content_type="text/plain"
        )
    strategy = _strategy(pk)
    write, mime = exporting.FORMATS[fmt]
    content = write(convert.to_draft(strategy))
    record(action=Audit.EXPORT, request=request, obj=strategy, changes={"format": fmt})
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="delivery-plan-{strategy.pk}.{fmt}"'
    return response


@requires(VIEW_PLANS)
def board_report(request, pk: int, fmt: str):
    _whole_plan_only(request)
    if fmt not in ("html", "pdf"):
        return HttpResponse(
            "No such board report: choose html or pdf", status=400, content_type="text/plain"
        )
    strategy = _strategy(pk)
    day, unread = _asked(request)
    if unread:  # the report is one self-contained file: the message is a page of the site's
        return render(
            request,
            "plans/message.html",
            {
                "strategy": strategy,
                "title": "The board report was not made",
                "message": f"{unread}: no report was made.",
                "retry": reverse("plans:board-report", args=[strategy.pk, fmt]),
            },
            status=400,
        )
    day = day or timezone.localdate()
    report = board.build(
        convert.to_draft(strategy), as_at=day, indicators=active_statuses(as_at=day)
    )
    record(
        action=Audit.EXPORT,
        request=request,
        obj=strategy,
        changes={"board_report": fmt, "as_at": report.as_at.isoformat()},
    )
    if fmt == "pdf":
        response = HttpResponse(render_board_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="board-report-{strategy.pk}.pdf"'
        return response
    response = HttpResponse(render_board_html(report))
    # The report is one self-contained file with its own styles and no script.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'none'"
    )
    return response


@requires(VIEW_PLANS)
@require_http_methods(["GET", "POST"])
def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.select_related("objective__strategy", "measure", "carried_from"), pk=pk
    )
    if not can_view_action(request.user, action):
        raise PermissionDenied
    may_update = can_update_action(request.user, action)
    form = UpdateForm(request.POST or None)
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.post_update(
                    action, user=request.user, request=request, **form.cleaned_data
                )
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Update posted")
                return redirect("plans:action", pk=action.pk)
    record(action=Audit.VIEW, request=request, obj=action)
    updates = action.updates.select_related("author").order_by("-on", "-id")
    paging = paged(request, updates, UPDATES_PER_PAGE)
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "strategy": action.objective.strategy,
            **paging,
            "updates": list(paging["page"].object_list),
            "history": action.history(),
            "form": form if may_update else None,
            "can_manage": has(request.user, MANAGE_PLANS)
            and action.objective.strategy.status == "open",
            "whole": sees_whole_plan(request.user),
        },
    )


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = get_object_or_404(Action.objects.select_related("objective__strategy"), pk=pk)
    initial = {
        "text": action.text,
        "leads": "\n".join(
            exporting.format_leads(
                [draft.Lead(lead.person, lead.agency_name) for lead in action.leads.all()]
            )
        ),
        "partners": action.partners,
        "review_text": action.review_text,
        "disposition": action.disposition,
        "tags": ", ".join(action.tags),
    }
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "GET":
        record(action=Audit.VIEW, request=request, obj=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = convert.review_of(data["review_text"], action.objective.strategy)
        directory = Directory.load()
        try:
            services.save_action_fields(
                action,
                fields={
                    "text": data["text"].strip(),
                    "partners": data["partners"].strip(),
                    "disposition": data["disposition"],
                    "tags": form.tag_list(),
                    **convert.review_fields(review),
                },
                leads=directory.read_leads(
                    importing.parse_leads(data["leads"], directory.agency_names())
                ),
                user=request.user,
                request=request,
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action saved")
            return redirect("plans:action", pk=action.pk)
    return render(
        request, "plans/form.html", {"form": form, "title": "Edit the action", "back": action}
    )


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def action_add(request, objective_pk: int):
    objective = get_object_or_404(Objective.objects.select_related("strategy"), pk=objective_pk)
    form = NewActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.add_action(
                objective, text=form.cleaned_data["text"], user=request.user, request=request
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action added: now name its lead and review point")
            return redirect("plans:action-edit", pk=action.pk)
    return render(
        request, "plans/form.html", {"form": form, "title": f"Add an action to {objective}"}
    )


def _edit_part(request, obj, form_class, *, names: list[str], title: str):
    """Create (obj unsaved) or edit an objective or a measure through the audited service."""
    objective = obj if isinstance(obj, Objective) else obj.objective
    initial = {name: getattr(obj, name) for name in names}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "GET" and obj.pk:
        record(action=Audit.VIEW, request=request, obj=obj)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name].strip() for name in names}
        try:
            services.save_fields(obj, fields=fields, user=request.user, request=request)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved")
            return redirect(
                f"{reverse('plans:detail', args=[objective.strategy_id])}#objective-{objective.pk}"
            )
    return render(request, "plans/form.html", {"form": form, "title": title})


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def objective_edit(request, pk: int):
    objective = get_object_or_404(Objective.objects.select_related("strategy"), pk=pk)
    return _edit_part(
        request,
        objective,
        ObjectiveForm,
        names=["group", "code", "title", "aim"],
        title=f"Edit {objective}",
    )


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk: int):
    measure = get_object_or_404(Measure.objects.select_related("objective__strategy"), pk=pk)
    return _edit_part(
        request,
        measure,
        MeasureForm,
        names=["text", "indicator"],
        title="Edit the measure",
    )


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def measure_add(request, objective_pk: int):
    objective = get_object_or_404(Objective.objects.select_related("strategy"), pk=objective_pk)
    measure = Measure(objective=objective, order=objective.measures.count())
    return _edit_part(
        request,
        measure,
        MeasureForm,
        names=["text", "indicator"],
        title=f"Add a measure to {objective.code}",
    )


def _read_upload(name: str, content: bytes, title: str | None, pending: dict | None = None):
    """Parse an uploaded plan from a private temporary file (removed straight after), in the
    period the form gave, if it gave one (it dates the "Q3" updates). Leads are re-read
    against the site's agencies, and those that link to no one are noted."""
    directory = Directory.load()
    pending = pending or {}
    starts, ends = (
        date.fromisoformat(pending[key]) if pending.get(key) else None for key in ("starts", "ends")
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        plan, problems = importing.read_plan(
            path, agencies=directory.agency_names(), title=title, starts=starts, ends=ends
        )
    plan.warnings += directory.relink(plan, Path(name).name)
    return plan, problems


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def plan_import(request):
    """Upload → preview (with every problem) → confirm. Nothing is stored until confirmed,
    and nothing at all while the file has problems. The preview keeps the plan it read
    (`PendingImport`); confirming stores exactly that, once, without reading the file again."""
    if request.method == "GET":
        request.session.pop(IMPORT_SESSION_KEY, None)  # a preview left behind is dropped
        services.drop_previews(request.user)
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.get(IMPORT_SESSION_KEY, {}).get("token", "")
        try:  # a large plan is stored by a background job, whose page shows its progress
            job = queue_plan_import(token, digest=request.POST.get("digest", ""), user=request.user)
        except (jobs.Busy, jobs.QueueDown) as exc:
            messages.error(request, str(exc))
            return redirect("plans:import")
        if job is not None:  # a second click finds the same job, until it has run
            return redirect("jobs:detail", job.pk)
        try:
            strategy = services.confirm_import(
                token, digest=request.POST.get("digest", ""), user=request.user, request=request
            )
        except services.AlreadyImported as exc:
            messages.error(request, str(exc))
            if exc.strategy_id:
                return redirect("plans:detail", pk=exc.strategy_id)
            return redirect("plans:import")
        except services.PlanError as exc:
            messages.error(request, str(exc))
            return redirect("plans:import")
        messages.success(request, f"Imported {strategy.title}")
        return redirect("plans:detail", pk=strategy.pk)

    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        title = form.cleaned_data["title"] or None
        name = Path(upload.name).name
        pending = {
            "starts": form.cleaned_data["starts"] and form.cleaned_data["starts"].isoformat(),
            "ends": form.cleaned_data["ends"] and form.cleaned_data["ends"].isoformat(),
        }
        digest = hashlib.sha256(content).hexdigest()
        try:
            plan, problems = _read_upload(upload.name, content, title, pending)
        except importing.PlanFileError as exc:
            form.add_error("file", str(exc))
        else:
            _apply_period(plan, pending)
            problems += convert.size_problems(plan, name)
            problems += convert.length_problems(plan, name)
            problems += importing.missing_period(plan, name, "enter when the plan starts and ends")
            request.session.pop(IMPORT_SESSION_KEY, None)
            if problems:
                services.drop_previews(request.user)
            else:
                held = services.hold_preview(plan, name=name, digest=digest, user=request.user)
                request.session[IMPORT_SESSION_KEY] = {"token": held.token}
            context.update(
                plan=plan,
                problems=problems,
                warnings=plan.warnings,
                name=name,
                digest=digest,
                measures=sum(len(o.measures) for o in plan.objectives),
                rows=[(o, sum(len(a.updates) for a in o.actions)) for o in plan.objectives],
            )
    return render(request, "plans/import.html", context)


def _apply_period(plan, pending: dict) -> None:
    if pending.get("starts"):
        plan.starts = date.fromisoformat(pending["starts"])
    if pending.get("ends"):
        plan.ends = date.fromisoformat(pending["ends"])


@requires(MANAGE_PLANS)
@require_http_methods(["GET", "POST"])
def strategy_rollover(request, pk: int):
    strategy = _strategy(pk)
    counts = services.disposition_counts(convert.to_draft(strategy))
    error = None
    if request.method == "POST":
        try:
            new = services.rollover(strategy, request=request)
        except services.PlanError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Rolled over to {new.title}")
            return redirect("plans:detail", pk=new.pk)
    return render(
        request,
        "plans/rollover.html",
        {
            "strategy": strategy,
            "counts": counts,
            "undecided": counts[""],
            "error": error,
            "next_title": services.next_title(strategy.title, strategy.starts, strategy.ends),
        },
    )
