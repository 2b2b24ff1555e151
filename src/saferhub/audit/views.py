"""The audit log for admins and the data protection officer: filter and export."""

from __future__ import annotations

import csv
import json

from django.http import StreamingHttpResponse
from django.shortcuts import render

from ..cells import csv_safe
from ..paging import paged
from .describe import describe_entry, one_line
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
    paging = paged(request, entries, 50)
    rows = [(e, describe_entry(e).splitlines()) for e in paging["page"].object_list]
    return render(
        request,
        "audit/list.html",
        {**paging, "rows": rows, "form": form, "query": query.urlencode()},
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


class _Echo:
    """A file-like object whose write returns the line: csv.writer makes one row at a time."""

    def write(self, value: str) -> str:
        return value


HEADER = [
    "id",
    "at",
    "actor",
    "address",
    "action",
    "object_type",
    "object_id",
    "changes",
    "description",
    "hash",
]


def _rows(entries):
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for e in entries.iterator(chunk_size=2000):
        # Emails, object ids and changes hold text people typed: never a formula.
        yield writer.writerow(
            [
                e.id,
                e.at.isoformat(),
                csv_safe(e.actor_label),
                e.address,
                e.action,
                csv_safe(e.object_type),
                csv_safe(e.object_id),
                csv_safe(json.dumps(e.changes, ensure_ascii=False)),
                csv_safe(one_line(describe_entry(e))),
                e.hash,
            ]
        )


@requires(VIEW_AUDIT)
def export(request):
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _list(request, form, status=400)
    # The log only grows: the export is the entries up to the newest one now, so its own
    # entry (written before the first row goes out) is not in it and the count is exact.
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entries = form.filter(AuditEntry.objects.filter(id__lte=newest)).order_by("-id")
    record(
        action=Action.EXPORT,
        request=request,
        object_type="audit.AuditEntry",
        changes={"filters": _filters(form), "rows": entries.count()},
    )
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
