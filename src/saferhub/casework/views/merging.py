"""Merging two records of one subject (choose the one kept, give the reason), and an admin
undoing a merge. Both records must be ones the user may change; `subjects.merging` keeps
both histories and re-points every case, grant, consent and link."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from ...audit.log import record
from ...audit.models import Action as Audit
from ...paging import paged
from ...sharing.reading import open_subject
from ...subjects import services
from ...subjects.errors import StaleEdit
from ...subjects.models import MergeRecord, Subject
from .. import access as gate
from ..forms.subjects import MergeChoiceForm, MergeForm, UnmergeForm
from ..problems import REFUSALS, onto, stale_lines
from ..similar import similar
from .common import form_page, posted, today
from .summaries import lines

MERGES_PER_PAGE = 25


def _other(request, subject: Subject, form) -> Subject | None:
    pk = form.cleaned_data["other"]
    other = Subject.objects.filter(pk=pk).first()
    if other is None or not gate.editable_subject(request.user, other):
        form.add_error("other", "There is no record with that number that you may change")
        return None
    if other.pk == subject.pk:
        form.add_error("other", "Choose another record: this is the one you are on")
        return None
    if other.kind != subject.kind:
        form.add_error(
            "other",
            f"Record {other.pk} is a {other.get_kind_display().lower()}: only records of one "
            "kind can be merged",
        )
        return None
    if other.merged_into_id is not None:
        form.add_error("other", f"Record {other.pk} was merged already")
        return None
    return other


@gate.subject("edit")
def merge(request, subject: Subject):
    choose = MergeChoiceForm(request.GET if "other" in request.GET else None)
    other = _other(request, subject, choose) if choose.is_bound and choose.is_valid() else None
    if other is None:
        matches = [
            s.match
            for s in similar(request, subject.kind, subject)
            if s.visible and s.match.subject.merged_into_id is None
        ]
        open_subject(request.user, subject, request=request)
        return form_page(
            request,
            "casework/merge_choose.html",
            {
                "title": "Merge with another record",
                "subject": subject,
                "form": choose,
                "matches": matches,
            },
        )
    form = MergeForm(
        posted(request),
        initial={"version": subject.version, "other_version": other.version, "keep": "this"},
    )
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        keep, absorb = (subject, other) if form.cleaned_data["keep"] == "this" else (other, subject)
        versions = {
            subject.pk: form.cleaned_data["version"],
            other.pk: form.cleaned_data["other_version"],
        }
        try:
            services.merge(
                keep,
                absorb,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
                keep_version=versions[keep.pk],
                absorb_version=versions[absorb.pk],
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            others = stale_lines(exc)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, f"Record {absorb.pk} merged into record {keep.pk}")
            return redirect("casework:subject", pk=keep.pk)
    for shown in (subject, other):  # both records are on the page: two reads
        open_subject(request.user, shown, request=request)
    return form_page(
        request,
        "casework/merge.html",
        {
            "title": "Merge two records",
            "subject": subject,
            "other": other,
            "form": form,
            "others": others,
            **dict(zip(("this_line", "other_line"), _lines(subject, other), strict=True)),
        },
    )


def _lines(*subjects) -> list[str]:
    found = lines(subjects, today())
    return [found.get(s.pk, "") for s in subjects]


@gate.page("unmerge")
def merges(request):
    paging = paged(
        request, MergeRecord.objects.select_related("by__agency", "undone_by"), MERGES_PER_PAGE
    )
    shown = list(paging["page"].object_list)
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            object_type="subjects.MergeRecord",
            changes={"listed": "merges", "count": len(shown), "merges": [m.pk for m in shown]},
        )
    return render(request, "casework/merges.html", {**paging, "merges": shown})


@gate.page("unmerge")
def unmerge(request, pk: int):
    found = MergeRecord.objects.select_related("kept", "absorbed", "by__agency").filter(pk=pk)
    merge_record = found.first()
    if merge_record is None:
        raise Http404
    form = UnmergeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.unmerge(
                merge_record, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, f"Merge {merge_record.pk} undone")
            return redirect("casework:merges")
    with transaction.atomic():
        record(action=Audit.VIEW, request=request, obj=merge_record, changes={"page": "undo"})
    return form_page(
        request,
        "casework/unmerge.html",
        {"title": f"Undo merge {merge_record.pk}", "merge": merge_record, "form": form},
    )
