"""A line about each subject a user may see, for search results and lists (a few queries for
any number of subjects): a person's date of birth or age, a place's type and postcode, a
vehicle's make and colour, a group's type. Only for subjects the policy let through."""

from __future__ import annotations

from datetime import date

from ...subjects.models import Group, Person, Place, Vehicle
from ...subjects.vocabulary import GroupType, Kind, PlaceType


def born(person: Person, today: date) -> str:
    if person.date_of_birth:
        d = person.date_of_birth
        years = today.year - d.year - ((today.month, today.day) < (d.month, d.day))
        return f"Born {d.day} {d:%B %Y} (age {years})"
    if person.estimated_age is not None:
        return f"Age about {person.estimated_age} (estimated {person.age_estimated_on:%B %Y})"
    return "Date of birth not known"


def lines(subjects, today: date) -> dict[int, str]:
    by_kind: dict[str, list[int]] = {}
    for s in subjects:
        by_kind.setdefault(s.kind, []).append(s.pk)
    out: dict[int, str] = {}
    for p in Person.objects.filter(subject_id__in=by_kind.get(Kind.PERSON, [])):
        out[p.subject_id] = born(p, today)
    for p in Place.objects.filter(subject_id__in=by_kind.get(Kind.PLACE, [])):
        out[p.subject_id] = ", ".join(
            x for x in (PlaceType(p.place_type).label, p.postcode, p.ward_name) if x
        )
    for v in Vehicle.objects.filter(subject_id__in=by_kind.get(Kind.VEHICLE, [])):
        out[v.subject_id] = " ".join(x for x in (v.colour, v.make, v.model) if x) or "Vehicle"
    for g in Group.objects.filter(subject_id__in=by_kind.get(Kind.GROUP, [])):
        out[g.subject_id] = GroupType(g.group_type).label
    return out
