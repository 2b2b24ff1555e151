"""Importing people, places, vehicles, groups and cases from a partner's file: upload →
preview (the column map, every problem, the similar records and a choice for each) →
confirm.

The upload is read and checked at once (bounded: `cases.importing.files`), then held on the
server (`cases.importing.pending`: a one-time token in the session, the file outside the web
root, expiring); the preview reads it again with the map the page shows, so changing the map
is a form on the preview, not a second upload. Confirming checks the file again against Safer
Hub as it is then: if a fresh preview would show something else (a new similar record, a
reference used since), nothing is imported and the new preview is shown. The import itself is
`cases.importing.apply`: one transaction, or nothing. Only a practitioner of an agency may
import (the policy's CREATE_CASE on their agency), and only their own held file.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ..cases.importing import apply, columns, files, pending, plan
from ..cases.importing.command import policy_sight
from ..cases.models import BusinessArea, Role
from ..cases.services import read_bounded
from ..govuk_forms import GovukForm
from ..uploads import UploadRefused
from . import access as gate

SESSION_KEY = "casework-import"
SITE_ROWS = 1_000  # larger files: the command line (a page has a minute)
SHOWN_CHOICES = 900  # rows whose choice the page offers (a form holds at most 1,000 fields)
SELECT = {"class": "govuk-select"}


def _area_choices() -> list[tuple[str, str]]:
    return [
        (a.code, f"{a.name} ({a.code})")
        for a in BusinessArea.objects.filter(active=True).order_by("name")
    ]


class DefaultsForm(GovukForm):
    """What applies to rows that give none (an ASB unit's sheet is all ASB; an IOM list
    names no role)."""

    business_area = forms.ChoiceField(
        label="Business area of rows that give none",
        required=False,
        help_text="Leave as it is when the file has a column for it",
        widget=forms.Select(attrs=SELECT),
    )
    role = forms.ChoiceField(
        label="Role of people whose row gives none",
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_area"].choices = [("", "None: each row gives it"), *_area_choices()]
        self.fields["role"].choices = [("", "None: each row gives it"), *Role.choices]


class UploadForm(DefaultsForm):
    file = forms.FileField(
        label="The file",
        error_messages={
            "required": "Choose the CSV or Excel file to import",
            "empty": "The file you chose is empty",
        },
        help_text="A CSV file (.csv) or an Excel workbook (.xlsx), up to 20 MB",
        widget=forms.ClearableFileInput(
            attrs={"class": "govuk-file-upload", "accept": ".csv,.xlsx"}
        ),
    )
    field_order = ["file", "business_area", "role"]


def field_choices(extras: dict[str, str]) -> list:
    """Every field a column can hold, grouped as the preview's selects show them."""
    groups = {
        "subject": "Any record",
        "person": "A person",
        "address": "An address",
        "place": "A place",
        "vehicle": "A vehicle",
        "group": "A group",
        "case": "The case",
    }
    out: list = [("", "Not imported")]
    for group, label in groups.items():
        out.append((label, [(f.name, f.label) for f in columns.FIELDS if f.group == group]))
    out.append(("A business area's own fields", sorted(extras.items(), key=lambda x: x[1])))
    return out


class MapForm(DefaultsForm):
    """The column map as the preview shows it: one select a heading."""

    def __init__(self, *args, preview: plan.Preview, **kwargs):
        super().__init__(*args, **kwargs)
        self.headings: list[tuple[str, columns.Column]] = []
        if preview.columns is None:
            return
        choices = field_choices(dict(preview.columns.extras))
        for column in preview.columns.columns:
            if not column.heading:
                continue
            name = f"col-{column.index}"
            self.fields[name] = forms.ChoiceField(
                label=column.heading,
                required=False,
                choices=choices,
                initial=column.field,
                widget=forms.Select(attrs={"class": "govuk-select govuk-!-width-two-thirds"}),
            )
            self.headings.append((name, column))

    def mapping(self) -> dict[str, str]:
        return {column.heading: self.cleaned_data[name] for name, column in self.headings}

    def rows(self):
        """(bound field, column) for the template's table."""
        return [(self[name], column) for name, column in self.headings]

    def default_fields(self):
        return [self["business_area"], self["role"]]


# --- the held file -----------------------------------------------------------------------------


def _held(request) -> pending.Pending | None:
    return pending.load(request.session.get(SESSION_KEY, ""), request.user)


def _preview(request, held: pending.Pending) -> plan.Preview | None:
    data = pending.data(held)
    if data is None:
        return None
    return plan.preview(
        data,
        held.filename,
        user=request.user,
        sight=policy_sight(request.user),
        mapping=held.mapping,
        defaults=held.defaults,
        request=request,
    )


def _link(pk: int) -> str:
    try:
        return reverse("casework:case", kwargs={"pk": pk})
    except NoReverseMatch:  # the case pages are another part of casework
        return ""


# --- pages -------------------------------------------------------------------------------------


@gate.page("create_case")
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_ = form.cleaned_data["file"]
        name = Path(upload_.name).name
        try:
            data = read_bounded(upload_, name, files.IMPORT)
            files.read_table(data, name)
        except UploadRefused as exc:
            form.add_error("file", f"{exc.filename}: {exc.reason}")
        except files.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            defaults = {
                k: form.cleaned_data[k] for k in ("business_area", "role") if form.cleaned_data[k]
            }
            held = pending.hold(data, filename=name, user=request.user, defaults=defaults)
            request.session[SESSION_KEY] = held.token
            return redirect("casework:import-preview")
    return render(
        request,
        "casework/import_upload.html",
        {"form": form, "fields": columns.FIELDS, "limit": files.IMPORT, "site_rows": SITE_ROWS},
    )


def _choices(request, shown: plan.Preview) -> dict[int, str]:
    out = {}
    for row in shown.with_matches[:SHOWN_CHOICES]:
        value = request.POST.get(f"row-{row.row}", "")
        if value:
            out[row.row] = value
    return out


@gate.page("create_case")
def preview(request):
    held = _held(request)
    if held is None:
        messages.error(request, "The file you previewed is no longer waiting: choose it again")
        return redirect("casework:import")
    if held.imported:
        return redirect("casework:import-done")
    shown = _preview(request, held)
    if shown is None:
        pending.drop(held)
        messages.error(request, "The file you previewed is no longer waiting: choose it again")
        return redirect("casework:import")
    error = ""
    form = MapForm(
        request.POST if request.POST.get("action") == "map" else None,
        preview=shown,
        initial=held.defaults,
    )
    if request.method == "POST" and request.POST.get("action") == "map":
        if form.is_valid():
            held.mapping = form.mapping()
            held.defaults = {
                k: form.cleaned_data[k] for k in ("business_area", "role") if form.cleaned_data[k]
            }
            pending.save(held)
            return redirect("casework:import-preview")
    elif request.method == "POST" and request.POST.get("action") == "confirm":
        if request.POST.get("fingerprint") != shown.fingerprint:
            error = (
                "Something in Safer Hub or in the map changed since that preview (a similar "
                "record was added, or a case reference used): nothing has been imported. Check "
                "this preview and confirm again."
            )
        elif shown.data_rows > SITE_ROWS:
            error = f"The site imports at most {SITE_ROWS:,} rows at once."
        else:
            try:
                result = apply.apply(
                    shown,
                    _choices(request, shown),
                    user=request.user,
                    request=request,
                    claim=held.claim,
                )
            except apply.AlreadyImported:
                return redirect("casework:import-done")
            except (apply.ImportFailed, plan.ChoiceError) as exc:
                error = f"Nothing has been imported: {exc}"
            else:
                pending.done(held, result.as_json())
                return redirect("casework:import-done")
    return render(
        request,
        "casework/import_preview.html",
        {
            "held": held,
            "preview": shown,
            "form": form,
            "error": error,
            "counts": shown.counts() if shown.ok else {},
            "listed": shown.problems[:200],
            "choice_rows": shown.with_matches[:SHOWN_CHOICES],
            "more_choices": max(0, len(shown.with_matches) - SHOWN_CHOICES),
            "too_many": shown.data_rows > SITE_ROWS,
            "site_rows": SITE_ROWS,
            "expires": timezone.localtime(held.created_at + pending.HOLD_FOR),
        },
        status=200,
    )


@gate.page("create_case")
def done(request):
    held = _held(request)
    if held is None or not held.imported:
        return redirect("casework:import")
    result = apply.Result.from_json(held.result)
    cases = [(pk, ref, theirs, _link(pk)) for pk, ref, theirs in result.cases]
    return render(
        request,
        "casework/import_done.html",
        {"held": held, "result": result, "cases": cases, "made": sum(result.created.values())},
    )
