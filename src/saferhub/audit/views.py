"""The audit log for admins and the data protection officer: filter and export."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from .log import record
from .models import Action, AuditEntry
from .permissions import VIEW_AUDIT, requires


def _filtered(request):
    entries = AuditEntry.objects.all()
    if actor := request.GET.get("actor", "").strip():
        entries = entries.filter(actor_label__icontains=actor)
    if action := request.GET.get("action"):
        entries = entries.filter(action=action)
    if since := request.GET.get("since"):
        entries = entries.filter(at__date__gte=since)
    if until := request.GET.get("until"):
        entries = entries.filter(at__date__lte=until)
    return entries


@requires(VIEW_AUDIT)
def entry_list(request):
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("page"))
    return render(
        request, "audit/list.html", {"page": page, "actions": Action.choices, "query": request.GET}
    )


@requires(VIEW_AUDIT)
def export(request):
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["id", "at", "actor", "address", "action", "object_type", "object_id", "changes", "hash"]
    )
    entries = list(_filtered(request))
    for e in entries:
        writer.writerow(
            [
                e.id,
                e.at.isoformat(),
                e.actor_label,
                e.address,
                e.action,
                e.object_type,
                e.object_id,
                e.changes,
                e.hash,
            ]
        )
    record(
        action=Action.EXPORT,
        request=request,
        object_type="audit.AuditEntry",
        changes={"filters": dict(request.GET.items()), "rows": len(entries)},
    )
    return response
