"""The similar-subject check: which stored subjects may be the one being entered.

Fast on large tables because nothing is scored that does not share an indexed key with the
candidate: phonetic name keys (`NameKey`), the date of birth and its day/month transposition,
identifiers, UPRNs, places and postcodes, the normalised and look-alike VRM, and on PostgreSQL
trigram similarity of the folded name. Each lookup is capped, the few hundred subjects found
are loaded in a handful of queries, and `matching.rank` scores them in Python.

Not filtered by sharing: the casework pages pass the matches through the sharing policy,
which shows a locked subject's name only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from django.db.models import Q

from . import normalise as n
from . import trigram
from .entries import AddressEntry, IdentifierEntry, NameEntry, PersonDetails
from .matching import Match, Name, Profile, person_profile, rank
from .models import (
    Group,
    Identifier,
    NameKey,
    Person,
    PersonAddress,
    PersonName,
    Place,
    Subject,
    Vehicle,
)
from .vocabulary import Kind

# Most subject ids one lookup contributes; the union is scored.
PER_LOOKUP = 200


def _ids(queryset, column: str = "subject_id") -> set[int]:
    return set(queryset.order_by().values_list(column, flat=True).distinct()[:PER_LOOKUP])


def _person_candidates(p: Profile) -> set[int]:
    ids: set[int] = set()
    keys = set().union(*(n.query_name_keys(x.given_names, x.family_name) for x in p.names))
    if keys:
        ids |= _ids(NameKey.objects.filter(key__in=sorted(keys)))
    dates = [d for d in (p.date_of_birth, n.transposed(p.date_of_birth)) if d]
    if dates:
        ids |= _ids(Person.objects.filter(date_of_birth__in=dates))
    if p.identifiers:
        q = Q()
        for kind, value in p.identifiers:
            q |= Q(type=kind, value=value)
        ids |= _ids(Identifier.objects.filter(q))
    where = Q()
    if p.uprns:
        where |= Q(uprn__in=sorted(p.uprns))
    if p.place_ids:
        where |= Q(place_id__in=sorted(p.place_ids))
    if p.postcodes:
        where |= Q(postcode__in=sorted(p.postcodes))
    if where:
        ids |= _ids(PersonAddress.objects.filter(where))
    for name in p.names:
        ids |= {i for i, _ in trigram.similar(trigram.NAME, n.search_name(*_parts(name)))}
    return ids


def _parts(name: Name) -> tuple[str, str]:
    return name.given_names, name.family_name


def _place_candidates(p: Profile) -> set[int]:
    where = Q()
    if p.uprns:
        where |= Q(uprn__in=sorted(p.uprns))
    if p.postcodes:
        where |= Q(postcode__in=sorted(p.postcodes))
    if p.address_keys:
        where |= Q(address_key__in=sorted(p.address_keys))
    ids = _ids(Place.objects.filter(where)) if where else set()
    for key in p.address_keys:
        ids |= {i for i, _ in trigram.similar(trigram.PLACE_ADDRESS, key)}
    return ids


def _vehicle_candidates(p: Profile) -> set[int]:
    if not p.vrm:
        return set()
    return _ids(Vehicle.objects.filter(Q(vrm=p.vrm) | Q(vrm_lookalike=p.vrm_lookalike)))


def _group_candidates(p: Profile) -> set[int]:
    keys = n.group_name_keys(p.group_name)
    ids = _ids(NameKey.objects.filter(key__in=sorted(keys))) if keys else set()
    ids |= {i for i, _ in trigram.similar(trigram.GROUP_NAME, n.fold(p.group_name))}
    return ids


_CANDIDATES = {
    Kind.PERSON: _person_candidates,
    Kind.PLACE: _place_candidates,
    Kind.VEHICLE: _vehicle_candidates,
    Kind.GROUP: _group_candidates,
}


def profiles(ids: Iterable[int]) -> list[Profile]:
    """Stored subjects as matching profiles, in a few queries whatever their number. Merged
    subjects are left out: their details now belong to the subject they were merged into."""
    ids = sorted(set(ids))
    # Unordered (`order_by()`) here and below: the models' default orders sort by the
    # subject's display name, a join to subjects that scoring never needs.
    subjects = list(
        Subject.objects.filter(pk__in=ids, merged_into__isnull=True)
        .order_by()
        .values_list("pk", "kind")
    )
    by_kind: dict[str, list[int]] = defaultdict(list)
    for pk, kind in subjects:
        by_kind[kind].append(pk)
    out: list[Profile] = []
    if people := by_kind.get(Kind.PERSON):
        out += _person_profiles(people)
    if places := by_kind.get(Kind.PLACE):
        out += [
            Profile(
                kind=Kind.PLACE,
                subject_id=pk,
                postcodes=frozenset({code} - {""}),
                uprns=frozenset({number} - {""}),
                address_keys=frozenset({key} - {""}),
            )
            for pk, code, number, key in Place.objects.filter(subject_id__in=places).values_list(
                "subject_id", "postcode", "uprn", "address_key"
            )
        ]
    if vehicles := by_kind.get(Kind.VEHICLE):
        out += [
            Profile(
                kind=Kind.VEHICLE,
                subject_id=pk,
                vrm=mark,
                vrm_lookalike=lookalike,
                make=n.fold(make),
            )
            for pk, mark, lookalike, make in Vehicle.objects.filter(
                subject_id__in=vehicles
            ).values_list("subject_id", "vrm", "vrm_lookalike", "make")
        ]
    if groups := by_kind.get(Kind.GROUP):
        out += [
            Profile(kind=Kind.GROUP, subject_id=pk, group_type=kind, group_name=name)
            for pk, kind, name in Group.objects.filter(subject_id__in=groups).values_list(
                "subject_id", "group_type", "name"
            )
        ]
    return out


def _person_profiles(ids: list[int]) -> list[Profile]:
    names: dict[int, list[Name]] = defaultdict(list)
    for pk, given, family, kind in (
        PersonName.objects.filter(subject_id__in=ids)
        .order_by("subject_id", "id")  # each person's names in the order they were added
        .values_list("subject_id", "given_names", "family_name", "type")
    ):
        names[pk].append(Name(given, family, kind))
    addresses: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        PersonAddress.objects.filter(subject_id__in=ids)
        .order_by()
        .values_list("subject_id", "postcode", "uprn", "place_id", "address_key")
    ):
        addresses[row[0]].append(row[1:])
    identifiers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for pk, kind, value in (
        Identifier.objects.filter(subject_id__in=ids)
        .order_by()
        .values_list("subject_id", "type", "value")
    ):
        identifiers[pk].add((kind, value))
    out = []
    for pk, born, age, on in Person.objects.filter(subject_id__in=ids).values_list(
        "subject_id", "date_of_birth", "estimated_age", "age_estimated_on"
    ):
        rows = addresses[pk]
        out.append(
            Profile(
                kind=Kind.PERSON,
                subject_id=pk,
                names=tuple(names[pk]),
                date_of_birth=born,
                birth_years=n.birth_years(age, on) if age is not None and on else None,
                postcodes=frozenset(r[0] for r in rows if r[0]),
                uprns=frozenset(r[1] for r in rows if r[1]),
                place_ids=frozenset(r[2] for r in rows if r[2]),
                address_keys=frozenset(r[3] for r in rows if r[3] and not r[2]),
                identifiers=frozenset(identifiers[pk]),
            )
        )
    return out


def profile_of(subject: Subject) -> Profile:
    """A stored subject's profile (empty names etc. when it has no details yet)."""
    found = profiles([subject.pk])
    return found[0] if found else Profile(kind=subject.kind, subject_id=subject.pk)


def person_candidate(
    name: NameEntry,
    details: PersonDetails | None = None,
    *,
    other_names: Iterable[NameEntry] = (),
    addresses: Iterable[AddressEntry] = (),
    identifiers: Iterable[IdentifierEntry] = (),
) -> Profile:
    """The profile of a person about to be created (cleaned entries), with the UPRN and
    postcode of each Place chosen as an address looked up, for `similar_subjects`."""
    addresses = list(addresses)
    places = {
        pk: (code, number)
        for pk, code, number in Place.objects.filter(
            subject_id__in=[a.place_id for a in addresses if a.place_id]
        ).values_list("subject_id", "postcode", "uprn")
    }
    return person_profile(
        name,
        details,
        other_names=other_names,
        addresses=[
            replace(a, postcode=places[a.place_id][0]) if a.place_id in places else a
            for a in addresses
        ],
        identifiers=identifiers,
        place_uprns=[number for _, number in places.values()],
    )


def candidate_ids(candidate: Profile) -> set[int]:
    """The subjects sharing at least one indexed key with `candidate`."""
    ids = _CANDIDATES[candidate.kind](candidate)
    ids.discard(candidate.subject_id)  # type: ignore[arg-type]
    return ids


def similar_subjects(candidate: Profile | Subject, *, limit: int = 10) -> list[Match]:
    """Stored subjects that may be `candidate` (a profile from `matching.person_profile` and
    the like, for a subject about to be created; or a stored subject), best first, each with
    its score, strength and reasons, and `subject` set to the Subject row."""
    if isinstance(candidate, Subject):
        profile = profile_of(candidate)
        excluded = {candidate.pk, *candidate.merged_from.values_list("pk", flat=True)}
    else:
        profile, excluded = candidate, set()
    ids = candidate_ids(profile) - excluded
    matches = rank(profile, profiles(ids), limit=limit)
    subjects = Subject.objects.in_bulk([m.subject_id for m in matches])
    for match in matches:
        match.subject = subjects[match.subject_id]
    return matches
