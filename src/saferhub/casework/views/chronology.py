"""Adding to a case's chronology, and correcting an entry by a new one (the original stays,
marked as corrected: `cases.services.correct_entry`)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from ...cases import permissions as verbs
from ...cases import services
from ...cases.models import ChronologyEntry
from .. import access as gate
from ..forms.cases import CorrectionForm, EntryForm
from ..problems import REFUSALS, onto
from .common import form_page, posted, today


@gate.case(verbs.ADD_ENTRY)
def add_entry(request, on: gate.OnCase):
    sensitive = on.allows(request.user, verbs.VIEW_SENSITIVE)
    form = EntryForm(posted(request), sensitive_allowed=sensitive, initial={"event_date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entry(
                request.user,
                on.case,
                type=form.cleaned_data["type"],
                text=form.cleaned_data["text"],
                event_date=form.cleaned_data["event_date"],
                sensitive=bool(form.cleaned_data.get("sensitive")),
                request=request,
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Entry added to the chronology")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/form.html",
        {"title": "Add to the chronology", "form": form, "submit": "Add the entry"},
        on=on,
        page="add entry",
    )


@gate.case_part("entry", verbs.CORRECT)
def correct_entry(request, on: gate.OnCase, entry: ChronologyEntry, allowed):
    form = CorrectionForm(
        posted(request),
        initial={"type": entry.type, "event_date": entry.event_date, "text": entry.text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_entry(
                request.user,
                entry,
                text=form.cleaned_data["text"],
                type=form.cleaned_data["type"],
                event_date=form.cleaned_data["event_date"],
                request=request,
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(
                request, "Correction added: the original entry is kept, marked as corrected"
            )
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/entry_correct.html",
        {"title": "Correct this entry", "form": form, "entry": entry},
        on=on,
        page="correct entry",
    )
