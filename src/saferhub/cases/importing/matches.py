"""The similar-record check for a whole file at once: `subjects.duplicates.similar_subjects`
for every row, in a few queries per lookup rather than a dozen per row.

The same lookups as the subjects app's check (phonetic name keys, the date of birth and its
day/month transposition, identifiers, addresses by UPRN, place and postcode, VRMs and their
look-alikes, group name keys, and pg_trgm on PostgreSQL), each made once for the values of
every row, then the same scoring (`matching.rank`) of the same stored profiles
(`duplicates.profiles`). tests/cases/test_import_matches.py checks that the answers are the
ones `similar_subjects` gives row by row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q

from ...subjects import duplicates, trigram
from ...subjects import normalise as n
from ...subjects.matching import Match, Profile, rank
from ...subjects.models import Identifier, NameKey, Person, PersonAddress, Place, Subject, Vehicle
from ...subjects.vocabulary import Kind

CHUNK = 500
PER_LOOKUP = duplicates.PER_LOOKUP


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Lookup:
    """Subject ids by value for one indexed column, each value's ids looked up once."""

    def __init__(self, queryset, column: str):
        self.queryset = queryset
        self.column = column
        self.wanted: set = set()
        self.found: dict[object, set[int]] = defaultdict(set)

    def want(self, values: Iterable) -> None:
        self.wanted.update(x for x in values if x not in ("", None))

    def run(self) -> None:
        for part in _chunks(sorted(self.wanted, key=str)):
            rows = (
                self.queryset.filter(**{f"{self.column}__in": part})
                .order_by()
                .values_list(self.column, "subject_id")
                .distinct()
            )
            for value, pk in rows.iterator():
                ids = self.found[value]
                if len(ids) < PER_LOOKUP:
                    ids.add(pk)

    def ids(self, values: Iterable) -> set[int]:
        out: set[int] = set()
        for value in values:
            out |= self.found.get(value, set())
        return out


def _identifier_ids(profiles: Sequence[Profile]) -> dict[tuple[str, str], set[int]]:
    wanted = sorted({pair for p in profiles for pair in p.identifiers})
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for part in _chunks(wanted, 200):
        q = Q()
        for kind, value in part:
            q |= Q(type=kind, value=value)
        for kind, value, pk in Identifier.objects.filter(q).values_list(
            "type", "value", "subject_id"
        ):
            found[(kind, value)].add(pk)
    return found


def similar_many(candidates: Sequence[Profile], *, limit: int = 10) -> list[list[Match]]:
    """For each profile (of a subject about to be created), the stored subjects that may be
    it, best first, each Match with `subject` set: what `similar_subjects` returns for it."""
    names = _Lookup(NameKey.objects.all(), "key")
    births = _Lookup(Person.objects.all(), "date_of_birth")
    by_uprn = _Lookup(PersonAddress.objects.all(), "uprn")
    by_place = _Lookup(PersonAddress.objects.all(), "place_id")
    by_postcode = _Lookup(PersonAddress.objects.all(), "postcode")
    place_uprn = _Lookup(Place.objects.all(), "uprn")
    place_postcode = _Lookup(Place.objects.all(), "postcode")
    place_key = _Lookup(Place.objects.all(), "address_key")
    vrm = _Lookup(Vehicle.objects.all(), "vrm")
    lookalike = _Lookup(Vehicle.objects.all(), "vrm_lookalike")
    keys: list[set[str]] = []
    for p in candidates:
        if p.kind == Kind.PERSON:
            found = set().union(*(n.query_name_keys(x.given_names, x.family_name) for x in p.names))
            names.want(found)
            births.want([p.date_of_birth, n.transposed(p.date_of_birth)])
            by_uprn.want(p.uprns)
            by_place.want(p.place_ids)
            by_postcode.want(p.postcodes)
        elif p.kind == Kind.PLACE:
            found = set()
            place_uprn.want(p.uprns)
            place_postcode.want(p.postcodes)
            place_key.want(p.address_keys)
        elif p.kind == Kind.VEHICLE:
            found = set()
            if p.vrm:
                vrm.want([p.vrm])
                lookalike.want([p.vrm_lookalike])
        else:
            found = n.group_name_keys(p.group_name)
            names.want(found)
        keys.append(found)
    for lookup in (
        names,
        births,
        by_uprn,
        by_place,
        by_postcode,
        place_uprn,
        place_postcode,
        place_key,
        vrm,
        lookalike,
    ):
        lookup.run()
    identifiers = _identifier_ids([p for p in candidates if p.kind == Kind.PERSON])
    wanted: list[set[int]] = []
    for p, found in zip(candidates, keys, strict=True):
        if p.kind == Kind.PERSON:
            ids = names.ids(found) | births.ids([p.date_of_birth, n.transposed(p.date_of_birth)])
            for pair in p.identifiers:
                ids |= identifiers.get(pair, set())
            ids |= by_uprn.ids(p.uprns) | by_place.ids(p.place_ids) | by_postcode.ids(p.postcodes)
            for name in p.names:
                value = n.search_name(name.given_names, name.family_name)
                ids |= {i for i, _ in trigram.similar(trigram.NAME, value)}
        elif p.kind == Kind.PLACE:
            ids = place_uprn.ids(p.uprns) | place_postcode.ids(p.postcodes)
            ids |= place_key.ids(p.address_keys)
            for key in p.address_keys:
                ids |= {i for i, _ in trigram.similar(trigram.PLACE_ADDRESS, key)}
        elif p.kind == Kind.VEHICLE:
            ids = vrm.ids([p.vrm]) | lookalike.ids([p.vrm_lookalike]) if p.vrm else set()
        else:
            ids = names.ids(found)
            ids |= {i for i, _ in trigram.similar(trigram.GROUP_NAME, n.fold(p.group_name))}
        wanted.append(ids)
    stored: dict[int, Profile] = {}
    for part in _chunks(sorted(set().union(*wanted)) if wanted else []):
        stored |= {x.subject_id: x for x in duplicates.profiles(part)}
    results = [
        rank(p, [stored[i] for i in ids if i in stored], limit=limit)
        for p, ids in zip(candidates, wanted, strict=True)
    ]
    subjects = {}
    for part in _chunks(sorted({m.subject_id for ms in results for m in ms})):
        subjects |= Subject.objects.in_bulk(part)
    for matches in results:
        for match in matches:
            match.subject = subjects[match.subject_id]
    return results
