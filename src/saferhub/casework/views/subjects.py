"""A subject's page, and changing its details.

The page reads the subject through `sharing.reading.open_subject` (audited with its purpose):
in full, with its special category data only when the policy allows, its names, addresses,
identifiers, flags, links (a list and a drawing of the same data) and the cases it is on that
the user may see; or, for a subject on cases the user cannot see, the locked view. Every
change goes through `subjects.services` with the version the editor saw."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from ...cases import permissions as verbs
from ...sharing import policy
from ...sharing.reading import open_subject
from ...subjects import services
from ...subjects.errors import StaleEdit
from ...subjects.models import (
    ContactDetail,
    Flag,
    Group,
    Identifier,
    MergeRecord,
    Person,
    PersonAddress,
    PersonName,
    Place,
    SpecialCategory,
    Subject,
    Vehicle,
)
from ...subjects.network import network
from ...subjects.vocabulary import (
    Disability,
    Ethnicity,
    Kind,
    NameType,
    Religion,
    SexualOrientation,
)
from .. import access as gate
from ..drawing import legend, links_around
from ..forms.subjects import (
    DETAIL_FORMS,
    GroupEditForm,
    PersonDetailsForm,
    PlaceEditForm,
    SpecialCategoryForm,
    VehicleEditForm,
)
from ..problems import REFUSALS, moved_on, onto
from .common import form_page, posted, today
from .summaries import born


def _current(rows, start: str, end: str, on):
    """(current, ended) rows of a dated detail."""
    now, before = [], []
    for row in rows:
        ended = getattr(row, end)
        (before if ended is not None and ended < on else now).append(row)
    return now, before


def _special(subject: Subject) -> list[tuple[str, str]]:
    row = SpecialCategory.objects.filter(subject=subject).first()
    if row is None:
        return []
    pairs = [
        ("Ethnicity", Ethnicity, row.ethnicity),
        ("Disability", Disability, row.disability),
        ("Religion", Religion, row.religion),
        ("Sexual orientation", SexualOrientation, row.sexual_orientation),
    ]
    return [(label, choices(value).label) for label, choices, value in pairs if value]


def _details(subject: Subject, on) -> dict:
    out: dict = {}
    if subject.kind == Kind.PERSON:
        person = Person.objects.filter(subject=subject).first()
        out["person"] = person
        out["born"] = born(person, on) if person else ""
        names = PersonName.objects.filter(subject=subject)
        out["names"] = sorted(names, key=lambda n: (n.type != NameType.MAIN, n.pk))
        out["addresses"] = _current(
            PersonAddress.objects.filter(subject=subject).select_related("place"),
            "lived_from",
            "lived_to",
            on,
        )
    elif subject.kind == Kind.PLACE:
        out["place"] = Place.objects.filter(subject=subject).first()
        out["residents_count"] = PersonAddress.objects.filter(place=subject).count()
    elif subject.kind == Kind.VEHICLE:
        out["vehicle"] = Vehicle.objects.filter(subject=subject).first()
    else:
        out["group"] = Group.objects.filter(subject=subject).first()
        out["addresses"] = _current(
            PersonAddress.objects.filter(subject=subject).select_related("place"),
            "lived_from",
            "lived_to",
            on,
        )
    out["contacts"] = list(ContactDetail.objects.filter(subject=subject))
    out["identifiers"] = list(Identifier.objects.filter(subject=subject))
    out["flags"] = _current(Flag.objects.filter(subject=subject), "valid_from", "valid_to", on)
    return out


@gate.subject("open")
def subject_page(request, subject: Subject):
    view = open_subject(request.user, subject, request=request)
    on = today()
    if not view.full:
        return render(
            request,
            "casework/subject_locked.html",
            {
                "subject": subject,
                "locked": view.locked,
                "can_request": policy.is_practitioner(request.user),
            },
        )
    if subject.merged_into_id is not None:
        messages.info(request, f"This record was merged into record {subject.merged_into_id}")
    net = network(subject, depth=1)
    ids = [n.subject_id for n in net.nodes]
    visible = set(
        policy.visible_subjects(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    links = links_around(net, visible, on)
    editable = gate.editable_subject(request.user, subject)
    return render(
        request,
        "casework/subject.html",
        {
            "subject": subject,
            "view": view,
            **_details(subject, on),
            "special": _special(subject) if view.special_category else None,
            "links": links,
            "legend": legend(),
            "locked": view.locked,
            "can_request": policy.is_practitioner(request.user),
            "editable": editable,
            "merged_from": list(
                MergeRecord.objects.filter(kept=subject, undone_at__isnull=True).select_related(
                    "absorbed"
                )
            ),
            "parts": [(k, title) for k, (_, title) in DETAIL_FORMS.items() if _fits(k, subject)],
        },
    )


def _fits(part: str, subject: Subject) -> bool:
    if part == "name":
        return subject.kind == Kind.PERSON
    if part == "address":
        return subject.kind in (Kind.PERSON, Kind.GROUP)
    return part in ("contact", "identifier", "flag", "link")


EDIT_FORMS = {
    Kind.PERSON: PersonDetailsForm,
    Kind.PLACE: PlaceEditForm,
    Kind.VEHICLE: VehicleEditForm,
    Kind.GROUP: GroupEditForm,
}


def _initial(subject: Subject) -> dict:
    if subject.kind == Kind.PERSON:
        row = Person.objects.get(subject=subject)
        keys = ("date_of_birth", "estimated_age", "gender", "gender_description")
    elif subject.kind == Kind.PLACE:
        row = Place.objects.get(subject=subject)
        keys = (
            "place_type",
            "name",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "uprn",
            "latitude",
            "longitude",
        )
    elif subject.kind == Kind.VEHICLE:
        row = Vehicle.objects.get(subject=subject)
        keys = ("make", "model", "colour")
        return {
            "vrm": row.vrm_entered,
            **{k: getattr(row, k) for k in keys},
            "version": subject.version,
        }
    else:
        row = Group.objects.get(subject=subject)
        keys = ("group_type", "name", "description")
    return {**{k: getattr(row, k) for k in keys}, "version": subject.version}


def _save_details(subject: Subject, form, request):
    day, version, user = today(), form.cleaned_data["version"], request.user
    if subject.kind == Kind.PERSON:
        return services.update_person(
            subject, details=form.entry(day), version=version, by=user, request=request
        )
    if subject.kind == Kind.PLACE:
        return services.update_place(
            subject, form.entry(day), version=version, by=user, request=request
        )
    if subject.kind == Kind.VEHICLE:
        return services.update_vehicle(
            subject,
            form.entry(day),
            version=version,
            by=user,
            entered_vrm=form.cleaned_data["vrm"],
            request=request,
        )
    return services.update_group(
        subject, form.entry(day), version=version, by=user, request=request
    )


@gate.subject("edit")
def edit_subject(request, subject: Subject):
    form_class = EDIT_FORMS[subject.kind]
    form = form_class(posted(request), initial=_initial(subject))
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            _save_details(subject, form, request)
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Details saved")
            return redirect("casework:subject", pk=subject.pk)
    open_subject(request.user, subject, request=request)  # the form shows it: a read
    return form_page(
        request,
        "casework/form.html",
        {
            "title": f"Change the {subject.get_kind_display().lower()}'s details",
            "caption": subject.display_name,
            "form": form,
            "others": others,
            "back": ("casework:subject", subject.pk, "Back to the record"),
        },
    )


def _linked(request, other_pk: int, form) -> Subject | None:
    other = Subject.objects.filter(pk=other_pk).first()
    if other is None or not policy.can(request.user, verbs.VIEW, other):
        form.add_error("other", "There is no record with that number that you can see")
        return None
    return other


def _add(part: str, subject: Subject, form, request):
    entry = form.entry(today())
    version, user = form.cleaned_data["version"], request.user
    if part == "link":
        other = _linked(request, form.cleaned_data["other"], form)
        if other is None:
            return None
        ends = (other, subject) if form.cleaned_data.get("reverse") else (subject, other)
        return services.add_link(
            *ends,
            entry,
            by=user,
            version=version if ends[0] == subject else None,
            request=request,
        )
    add = {
        "name": services.add_name,
        "address": services.add_address,
        "contact": services.add_contact,
        "identifier": services.add_identifier,
        "flag": services.add_flag,
    }[part]
    return add(subject, entry, by=user, version=version, request=request)


@gate.subject("edit")
def add_detail(request, subject: Subject, part: str):
    if part not in DETAIL_FORMS or not _fits(part, subject):
        raise Http404
    form_class, title = DETAIL_FORMS[part]
    form = form_class(posted(request), initial={"version": subject.version})
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            added = _add(part, subject, form, request)
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            if added is not None:
                messages.success(request, f"{title[4:].capitalize()} added")
                return redirect("casework:subject", pk=subject.pk)
    open_subject(request.user, subject, request=request)  # the form shows it: a read
    return form_page(
        request,
        "casework/form.html",
        {
            "title": title,
            "caption": subject.display_name,
            "form": form,
            "others": others,
            "back": ("casework:subject", subject.pk, "Back to the record"),
        },
    )


@gate.subject("special_category")
def special_category(request, subject: Subject):
    if subject.kind != Kind.PERSON:
        raise Http404
    row = SpecialCategory.objects.filter(subject=subject).first()
    initial = {"version": subject.version}
    if row is not None:
        initial |= {
            k: getattr(row, k)
            for k in ("ethnicity", "disability", "religion", "sexual_orientation")
        }
    form = SpecialCategoryForm(posted(request), initial=initial)
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.set_special_category(
                subject,
                form.entry(today()),
                by=request.user,
                version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Special category data saved")
            return redirect("casework:subject", pk=subject.pk)
    open_subject(request.user, subject, request=request)  # the form shows it: a read
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Special category data",
            "caption": subject.display_name,
            "intro": "UK GDPR Article 9 data, kept apart and shown only to those whose access "
            "covers it. Record only what the person has told you or what is on record.",
            "form": form,
            "others": others,
            "back": ("casework:subject", subject.pk, "Back to the record"),
        },
    )
