"""Creating a person, place, vehicle or group: the similar-subject check comes first.

The form's entries are cleaned by the subjects app (every bad field named), then
`subjects.duplicates.similar_subjects` finds records that may be the same one. Those the user
may see are offered ("Use this record"); those on cases they cannot see are shown locked (the
name, business areas and agencies, and a way to ask for access). A new record is created only
when nothing similar exists, or when the user, having seen the matches, says none of them is
it: that answer carries a signed fingerprint of exactly what was checked, so changing the
entries checks again. Opened from a case (`?case=&role=`), the record chosen or created is
put on the case in that role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from ...cases import permissions as verbs
from ...cases import services as cases
from ...cases.models import Role as CaseRole
from ...sharing import policy
from ...subjects import duplicates, matching, services
from ...subjects import normalise as n
from ...subjects.vocabulary import Kind
from .. import access as gate
from ..forms import fields as f
from ..forms.subjects import GroupForm, PersonForm, PlaceForm, VehicleForm
from ..problems import REFUSALS, onto
from ..similar import similar
from .common import form_page, posted, today
from .summaries import lines

SALT = "casework.similar-subjects"
CHECK_FOR = 3600  # seconds a check stands before it is run again


@dataclass(frozen=True)
class KindSpec:
    kind: str
    form: type
    title: str


KINDS = {
    Kind.PERSON: KindSpec(Kind.PERSON, PersonForm, "Add a person"),
    Kind.PLACE: KindSpec(Kind.PLACE, PlaceForm, "Add a place"),
    Kind.VEHICLE: KindSpec(Kind.VEHICLE, VehicleForm, "Add a vehicle"),
    Kind.GROUP: KindSpec(Kind.GROUP, GroupForm, "Add a group"),
}


def _cleaned(kind: str, form, on) -> dict:
    """The form's entries cleaned by the subjects app; one ValidationError for all."""
    problems = n.Problems()
    if kind == Kind.PERSON:
        raw = form.entries(on)
        out = {
            "name": problems.check(raw["name"].cleaned, on),
            "details": problems.check(raw["details"].cleaned, on),
        }
        for label in ("other_names", "addresses", "identifiers"):
            out[label] = [
                problems.check(e.cleaned, on, f"{label}-{i}-") for i, e in enumerate(raw[label])
            ]
    else:
        out = {"details": problems.check(form.entry(on).cleaned, on)}
    problems.done()
    return out


def _profile(kind: str, cleaned: dict):
    if kind == Kind.PERSON:
        return duplicates.person_candidate(
            cleaned["name"],
            cleaned["details"],
            other_names=cleaned["other_names"],
            addresses=cleaned["addresses"],
            identifiers=cleaned["identifiers"],
        )
    builder = {
        Kind.PLACE: matching.place_profile,
        Kind.VEHICLE: matching.vehicle_profile,
        Kind.GROUP: matching.group_profile,
    }[kind]
    return builder(cleaned["details"])


def _create(kind: str, cleaned: dict, form, request):
    user = request.user
    if kind == Kind.PERSON:
        return services.create_person(
            name=cleaned["name"],
            details=cleaned["details"],
            other_names=cleaned["other_names"],
            addresses=cleaned["addresses"],
            identifiers=cleaned["identifiers"],
            by=user,
            request=request,
        )
    if kind == Kind.PLACE:
        return services.create_place(cleaned["details"], by=user, request=request)
    if kind == Kind.VEHICLE:
        return services.create_vehicle(
            cleaned["details"], by=user, entered_vrm=form.cleaned_data["vrm"], request=request
        )
    return services.create_group(cleaned["details"], by=user, request=request)


def fingerprint(kind: str, form, user) -> str:
    """A signed note of exactly what was checked, by whom."""
    data = {k: str(v) for k, v in sorted(form.cleaned_data.items())}
    return signing.dumps({"kind": kind, "user": user.pk, "data": data}, salt=SALT)


def _was_checked(token: str, kind: str, form, user) -> bool:
    try:
        seen = signing.loads(token, salt=SALT, max_age=CHECK_FOR)
    except signing.BadSignature:
        return False
    data = {k: str(v) for k, v in sorted(form.cleaned_data.items())}
    return seen == {"kind": kind, "user": user.pk, "data": data}


def _case_context(request):
    """The case a new record is for (`case` in the query or the form), checked."""
    raw = request.POST.get("case") or request.GET.get("case")
    if not raw:
        return None
    try:
        on = gate.OnCase(found := gate.load_case(int(raw)), policy.access(request.user, found))
    except ValueError:
        raise Http404 from None
    if not on.allows(request.user, verbs.ADD_SUBJECT):
        raise gate.refuse(request, verbs.ADD_SUBJECT, on.case)
    return on


@gate.page("practitioner")
def create(request, kind: str):
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    on = _case_context(request)
    form = spec.form(posted(request), initial={"role": request.GET.get("role", "")})
    if on is not None:
        form.fields["role"] = f.choice("Role on the case", CaseRole.choices, blank="Choose a role")
    found = None
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            cleaned = _cleaned(kind, form, today())
        except ValidationError as exc:
            onto(form, exc, aliases=getattr(form, "ALIASES", {}))
            cleaned = None
        role = form.cleaned_data.get("role", "")
        if cleaned is not None:
            confirmed = request.POST.get("action") == "create" and _was_checked(
                request.POST.get("checked", ""), kind, form, request.user
            )
            found = [] if confirmed else similar(request, kind, _profile(kind, cleaned))
            if confirmed or not found:
                try:
                    with transaction.atomic():
                        subject = _create(kind, cleaned, form, request)
                        if on is not None:
                            cases.add_subject(request.user, on.case, subject, role, request=request)
                except REFUSALS as exc:
                    onto(form, exc, aliases=getattr(form, "ALIASES", {}))
                else:
                    messages.success(
                        request,
                        f"{Kind(kind).label} record {subject.pk} created"
                        + ("" if confirmed else ": no similar record was found")
                        + (f" and added to case {on.case.reference}" if on else ""),
                    )
                    if on is not None:
                        return redirect("casework:case", pk=on.case.pk)
                    return redirect("casework:subject", pk=subject.pk)
            token = fingerprint(kind, form, request.user)
    summaries = lines([s.match.subject for s in found or [] if s.visible], today())
    return form_page(
        request,
        "casework/subject_create.html",
        {
            "title": spec.title,
            "kind": kind,
            "form": form,
            "similar": [(s, summaries.get(s.match.subject.pk, "")) for s in found or []],
            "checked_once": found is not None,
            "can_request": True,
            "checked": token,
            "action": reverse("casework:subject-new", kwargs={"kind": kind}),
        },
        on=on,
        page="add subject",
    )
