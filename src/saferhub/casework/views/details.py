"""Ending a subject's detail, removing one entered in error, correcting a name, and working a
place's ward and LSOA out again.

Each page sits beside the detail on the subject's page and is gated like the other edits of a
subject (`gate.subject("edit")`: the lead agency of an open case it is on, or the agency that
recorded it). Every write is a `subjects.services` call with the version the editor saw (its
audit entry in the same transaction); showing the detail on the form is a read of the subject,
audited as the subject page is. After a save the browser is sent to the subject's own page
(a URL built here, never one taken from the request)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from ...sharing.reading import open_subject
from ...subjects import services
from ...subjects.errors import StaleEdit
from ...subjects.models import (
    ContactDetail,
    Flag,
    Identifier,
    PersonAddress,
    PersonName,
    Place,
    Subject,
)
from ...subjects.vocabulary import AreaStatus, Kind, NameType
from .. import access as gate
from ..forms.subjects import ConfirmForm, EndDetailForm, NameForm, RemoveDetailForm
from ..problems import REFUSALS, moved_on, onto
from .common import form_page, posted, today


@dataclass(frozen=True)
class Part:
    """One kind of detail: its rows, where it is on the subject's page, and (for the dated
    ones) its end-date field and the question that asks for it."""

    model: type
    noun: str
    anchor: str
    end_field: str = ""
    end_label: str = ""


PARTS: dict[str, Part] = {
    "name": Part(PersonName, "name", "names", "used_to", "Date they stopped using this name"),
    "address": Part(
        PersonAddress, "address", "addresses", "lived_to", "Date they stopped living there"
    ),
    "contact": Part(ContactDetail, "contact detail", "identifiers"),
    "identifier": Part(Identifier, "identifier", "identifiers"),
    "flag": Part(Flag, "flag", "flag-list", "valid_to", "Date the flag stopped applying"),
}


@dataclass
class Written:
    """What a detail page's write came to: done, or the form holds why not (and, for a stale
    edit, the other person's change in `others`)."""

    done: bool
    others: list[str]
    value: object = None


def _write(request, form, call, **onto_options) -> Written:
    """Run a subject service for a detail page: a stale edit puts the other person's change on
    the form (moved to the stored version), a refusal its message beside the field."""
    try:
        value = call()
    except StaleEdit as exc:
        return Written(False, moved_on(form, exc))
    except REFUSALS as exc:
        onto(form, exc, **onto_options)
        return Written(False, [])
    return Written(True, [], value)


def _row(subject: Subject, part: str, row: int):
    """The detail the URL names, which must be this subject's (404 otherwise)."""
    if part not in PARTS:
        raise Http404
    found = PARTS[part].model.objects.filter(pk=row, subject=subject).first()
    if found is None:
        raise Http404
    return found


def describe(part: str, row) -> str:
    """The detail in words, as the subject's page shows it."""
    if part == "name":
        full = " ".join(p for p in (row.given_names, row.family_name) if p)
        return f"{full} ({row.get_type_display().lower()})"
    if part == "address":
        if row.place_id:
            return row.place.display_name
        return ", ".join(p for p in (row.line_1, row.line_2, row.town, row.postcode) if p)
    if part == "contact":
        return f"{row.get_type_display()}: {row.value}"
    if part == "identifier":
        return f"{row.label or row.get_type_display()}: {row.value}"
    return f"{row.get_type_display()}{f' ({row.description})' if row.description else ''}"


def _back(subject: Subject, part: str = "") -> str:
    anchor = f"#{PARTS[part].anchor}" if part else ""
    return reverse("casework:subject", kwargs={"pk": subject.pk}) + anchor


def _page(request, subject: Subject, context: dict):
    open_subject(request.user, subject, request=request)  # the form shows it: a read
    return form_page(
        request,
        context.pop("template", "casework/form.html"),
        {
            "caption": subject.display_name,
            "back_href": _back(subject, context.pop("part", "")),
            "back_label": "Back to the record",
            **context,
        },
    )


@gate.subject("edit")
def end_detail(request, subject: Subject, part: str, row: int):
    if part not in PARTS or not PARTS[part].end_field:
        raise Http404
    detail, kind = _row(subject, part, row), PARTS[part]
    form = EndDetailForm(
        posted(request),
        label=kind.end_label,
        initial={"ended_on": getattr(detail, kind.end_field), "version": subject.version},
    )
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        written = _write(
            request,
            form,
            lambda: services.end_detail(
                detail,
                form.cleaned_data["ended_on"],
                by=request.user,
                version=form.cleaned_data["version"],
                request=request,
            ),
            aliases={kind.end_field: "ended_on"},
        )
        if written.done:
            messages.success(request, f"{kind.noun.capitalize()} ended")
            return redirect(_back(subject, part))
        others = written.others
    return _page(
        request,
        subject,
        {
            "title": f"End this {kind.noun}",
            "intro": f"{describe(part, detail)}. It stays on the record as history, with the "
            "date it ended.",
            "form": form,
            "others": others,
            "submit": f"End the {kind.noun}",
            "part": part,
        },
    )


@gate.subject("edit")
def remove_detail(request, subject: Subject, part: str, row: int):
    detail, kind = _row(subject, part, row), PARTS.get(part)
    form = RemoveDetailForm(posted(request), initial={"version": subject.version})
    others: list[str] = []
    main = part == "name" and detail.type == NameType.MAIN
    if request.method == "POST" and form.is_valid():
        written = _write(
            request,
            form,
            lambda: services.remove_detail(
                detail,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if written.done:
            messages.success(request, f"{kind.noun.capitalize()} removed")
            return redirect(_back(subject, part))
        others = written.others
    intro = f"{describe(part, detail)}. Remove it only when it was entered in error: it is "
    intro += "deleted from the record, and who removed it, when and why stay in the audit log."
    if main:
        intro += " This is the main name: correct it instead, or add the right main name first."
    return _page(
        request,
        subject,
        {
            "title": f"Remove this {kind.noun}",
            "intro": intro,
            "form": form,
            "others": others,
            "submit": f"Remove the {kind.noun}",
            "warning": True,
            "part": part,
        },
    )


@gate.subject("edit")
def correct_name(request, subject: Subject, row: int):
    name = _row(subject, "name", row)
    initial = {
        k: getattr(name, k) for k in ("given_names", "family_name", "type", "used_from", "used_to")
    }
    form = NameForm(posted(request), initial={**initial, "version": subject.version})
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        written = _write(
            request,
            form,
            lambda: services.update_name(
                name,
                form.entry(today()),
                by=request.user,
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if written.done:
            messages.success(request, "Name corrected")
            return redirect(_back(subject, "name"))
        others = written.others
    return _page(
        request,
        subject,
        {
            "title": "Correct this name",
            "intro": "For a name recorded wrongly. A new name they use is added as a name of "
            "its own, so the old one stays as history.",
            "form": form,
            "others": others,
            "part": "name",
        },
    )


def area_words(values) -> str:
    """A place's ward and LSOA as its page says them (or why there are none)."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    if get("ward_name") or get("lsoa_name"):
        return f"{get('ward_name') or 'No ward'}; {get('lsoa_name') or 'no LSOA'}"
    return AreaStatus(get("area_status")).label


def _area_rows(before: Place, after: dict) -> list[tuple[str, str, str]]:
    """Ward, LSOA and how they were found: as recorded, and as the boundaries give them now."""

    def named(name: str, code: str) -> str:
        return f"{name} ({code})" if code else "None"

    return [
        (
            "Ward",
            named(before.ward_name, before.ward_code),
            named(after["ward_name"], after["ward_code"]),
        ),
        (
            "LSOA",
            named(before.lsoa_name, before.lsoa_code),
            named(after["lsoa_name"], after["lsoa_code"]),
        ),
        (
            "How they were found",
            AreaStatus(before.area_status).label,
            AreaStatus(after["area_status"]).label,
        ),
    ]


def _still_at(subject: Subject, seen: int) -> None:
    """Refuse a re-location confirmed on an older version of the place, as the services
    refuse an edit (`relocate_place` takes no version: see the view)."""
    current = Subject.objects.values_list("version", flat=True).get(pk=subject.pk)
    if current != seen:
        raise StaleEdit(subject.pk, seen, current, services.changes_since(subject.pk, seen))


@gate.subject("edit")
def relocate(request, subject: Subject):
    if subject.kind != Kind.PLACE:
        raise Http404
    place = Place.objects.get(subject=subject)
    before = area_words(place)
    form = ConfirmForm(posted(request), initial={"version": subject.version})
    others: list[str] = []
    if request.method == "POST" and form.is_valid():

        def relocate() -> Place:
            _still_at(subject, form.cleaned_data["version"])
            return services.relocate_place(subject, by=request.user, request=request)

        written = _write(request, form, relocate)
        if written.done:
            place = written.value
            messages.success(
                request,
                f"Ward and LSOA worked out again. Before: {before}. Now: {area_words(place)}.",
            )
            return redirect(_back(subject) + "#details")
        others = written.others
        place.refresh_from_db()
    after = services.area_fields(place.latitude, place.longitude)
    return _page(
        request,
        subject,
        {
            "template": "casework/relocate.html",
            "title": "Work out the ward and LSOA again",
            "form": form,
            "others": others,
            "rows": _area_rows(place, after),
            "same": area_words(place) == area_words(after)
            and place.area_status == after["area_status"],
            "point": place.latitude is not None,
        },
    )
