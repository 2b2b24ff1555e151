"""The audit log for admins and the data protection officer: filter and export."""

from __future__ import annotations

import csv
import json

from django.http import HttpResponse
from django.shortcuts import render

from ..cells import csv_safe
from ..paging import paged
from .forms import AuditFilterForm
from .log import record
from .models import Action, AuditEntry
from .permissions import VIEW_AUDIT, requires


def _filters(form: AuditFilterForm) -> dict:
    """The checked filters only: never whatever else the query string carried."""
    if not form.is_valid():
        return {"invalid": sorted(form.errors)}
    return {k: str(v) for k, v in form.cleaned_data.items() if v}


def _list(request, form: AuditFilterForm, status: int = 200):
    entries = (
        form.filter(AuditEntry.objects.all()) if form.is_valid() else AuditEntry.objects.none()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {**paged(request, entries, 50), "form": form, "query": query.urlencode()},
        status=status,
    )


@requires(VIEW_AUDIT)
def entry_list(request):
    form = AuditFilterForm(request.GET)
    # Reading the log is itself recorded: who looked at whose activity is for the DPO to see.
    record(
        action=Action.VIEW,
        request=request,
        object_type="audit.AuditEntry",
        changes={"filters": _filters(form), "page": str(request.GET.get("page", "1"))[:12]},
    )
    return _list(request, form, status=200 if form.is_valid() else 400)


@requires(VIEW_AUDIT)
def export(request):
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _list(request, form, status=400)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["id", "at", "actor", "address", "action", "object_type", "object_id", "changes", "hash"]
    )
    entries = list(form.filter(AuditEntry.objects.all()))
    for e in entries:
        # Emails, object ids and changes hold text people typed: never a formula.
        writer.writerow(
            [
                e.id,
                e.at.isoformat(),
                csv_safe(e.actor_label),
                e.address,
                e.action,
                e.object_type,
                csv_safe(e.object_id),
                csv_safe(json.dumps(e.changes, ensure_ascii=False)),
                e.hash,
            ]
        )
    record(
        action=Action.EXPORT,
        request=request,
        object_type="audit.AuditEntry",
        changes={
            "filters": _filters(form),
            "rows": len(entries),
        },
    )
    return response
