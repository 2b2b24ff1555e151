"""Finding subjects by name, date of birth, address, postcode, VRM or identifier.

Each helper returns a lazy queryset of live (not merged-away) subjects, answered from the
indexed keys written with every row: phonetic name keys, the date of birth, the normalised
postcode, UPRN, VRM and identifier value (and on PostgreSQL trigram indexes on folded names
and addresses). None of them knows about sharing: `sharing.search` narrows these to what a
user may see and shows the rest locked, and the view audits the search.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Lookup, Q, QuerySet

from . import normalise as n
from . import trigram
from .matching import Match, Name, Profile, rank
from .models import Identifier, NameKey, Person, PersonAddress, Place, Subject, Vehicle
from .vocabulary import IdentifierType, Kind

# How many trigram matches a name or address search adds (PostgreSQL).
TRIGRAM_LIMIT = 200


def live() -> QuerySet[Subject]:
    return Subject.objects.filter(merged_into__isnull=True)


class _AmongIds(Lookup):
    """`pk IN (subquery)` that PostgreSQL answers by primary-key lookups, for a set of ids
    of unknown size (the subjects a name's keys find). Written as `= ANY(ARRAY(subquery))`:
    the set is made once and each id looked up, where a plain `IN` is planned from the
    estimated row count and, past a few thousand, hashes every subject in a sequential scan
    (1.3 million rows: 0.3 s for a surname alone, against 0.05 s by lookups). Elsewhere a
    plain `IN`, which SQLite already answers by lookups. Same rows either way."""

    lookup_name = "among_ids"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


def _split_name(query: str) -> tuple[str, str]:
    """ "Jonathan Paul Whitaker" → ("Jonathan Paul", "Whitaker"); "Whitaker, Jonathan" →
    ("Jonathan", "Whitaker"); one word is a family name."""
    if "," in query:
        family, _, given = query.partition(",")
        return given.strip(), family.strip()
    words = query.split()
    return " ".join(words[:-1]), (words[-1] if words else "")


def by_name(query: str) -> QuerySet[Subject]:
    """People whose names (any of them: aliases and previous names too) sound like or are
    spelt like `query`, and groups whose name does. One word searches family names."""
    given, family = _split_name(query)
    keys = n.query_name_keys(given, family) | n.group_name_keys(query)
    ids = NameKey.objects.filter(key__in=sorted(keys)).order_by().values("subject_id")
    folded = n.search_name(given, family)
    extra = [pk for pk, _ in trigram.similar(trigram.NAME, folded, limit=TRIGRAM_LIMIT)]
    extra += [pk for pk, _ in trigram.similar(trigram.GROUP_NAME, n.fold(query), limit=50)]
    if extra:
        # One set (a UNION), so the database joins it to subjects by primary key; an OR of
        # two `IN`s would be checked against every subject in turn.
        ids = ids.union(Subject.objects.filter(pk__in=extra).order_by().values("pk"))
    return live().filter(_AmongIds(F("pk"), ids))


def ranked_by_name(query: str, *, limit: int = 50) -> list[Match]:
    """`by_name`'s people, scored against the name typed (best first, with reasons)."""
    from .duplicates import profiles

    given, family = _split_name(query)
    candidate = Profile(kind=Kind.PERSON, names=(Name(given, family),))
    ids = list(by_name(query).filter(kind=Kind.PERSON).values_list("pk", flat=True)[:1000])
    matches = rank(candidate, profiles(ids), limit=limit)
    subjects = Subject.objects.in_bulk([m.subject_id for m in matches])
    for match in matches:
        match.subject = subjects[match.subject_id]
    return matches


def by_date_of_birth(born: date, *, transposed: bool = False) -> QuerySet[Subject]:
    """People born on `born` (and, with `transposed`, on its day/month swap)."""
    dates = [born] + ([swap] if transposed and (swap := n.transposed(born)) else [])
    people = Person.objects.filter(date_of_birth__in=dates).values("subject_id")
    return live().filter(pk__in=people)


def by_postcode(query: str) -> QuerySet[Subject]:
    """Places at the postcode and people with an address there (now or before). An outward
    code alone ("NB1") searches the whole district."""
    outward = n.outward_code(query)
    if outward:
        prefix = f"{outward} "
        places = Place.objects.filter(postcode__startswith=prefix).values("subject_id")
        people = PersonAddress.objects.filter(postcode__startswith=prefix).values("subject_id")
    else:
        code = n.postcode(query, "postcode")
        if not code:
            raise n.invalid("postcode", "Enter a postcode")
        places = Place.objects.filter(postcode=code).values("subject_id")
        people = PersonAddress.objects.filter(postcode=code).values("subject_id")
    return live().filter(Q(pk__in=places) | Q(pk__in=people))


def by_address(query: str) -> QuerySet[Subject]:
    """Places and people whose address contains the words typed ("12 high st" finds
    "12 High Street"), and a UPRN typed as digits. Contains-matching: a trigram index
    answers it on PostgreSQL."""
    key = n.address_key(query)
    if not key:
        raise n.invalid("address", "Enter part of an address")
    where_place = Q(address_key__contains=key)
    where_person = Q(address_key__contains=key)
    if key.isdigit():
        where_place |= Q(uprn=key.lstrip("0"))
        where_person |= Q(uprn=key.lstrip("0"))
    places = Place.objects.filter(where_place).values("subject_id")
    people = PersonAddress.objects.filter(where_person).values("subject_id")
    return live().filter(Q(pk__in=places) | Q(pk__in=people))


def by_vrm(query: str, *, lookalike: bool = False) -> QuerySet[Subject]:
    """Vehicles with the registration mark (any spacing or case); with `lookalike`, also
    marks that differ only in look-alike characters (O/0, I/1, S/5, B/8, Z/2)."""
    mark = n.vrm(query)
    where = Q(vrm=mark) | (Q(vrm_lookalike=n.vrm_lookalike(mark)) if lookalike else Q(pk=None))
    return live().filter(pk__in=Vehicle.objects.filter(where).values("subject_id"))


def by_identifier(value: str, kind: str | None = None) -> QuerySet[Subject]:
    """Subjects holding the identifier: of `kind` when given, else of whichever kinds
    `value` is valid as (an NHS number, a PNC ID, ...)."""
    kinds = [kind] if kind else list(IdentifierType.values)
    where = Q()
    for each in kinds:
        try:
            where |= Q(type=each, value=n.identifier(each, value))
        except ValidationError:
            if kind:
                raise
    if not where:
        raise n.invalid("value", "That is not an identifier of any kind recorded here")
    return live().filter(pk__in=Identifier.objects.filter(where).values("subject_id"))


_DATE = re.compile(r"^\s*(\d{1,2})[/\-. ](\d{1,2})[/\-. ](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(query: str) -> date | None:
    """A date typed as 4/3/1990, 04-03-1990 or 1990-03-04 (day first, as in the UK)."""
    if match := _ISO.match(query):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DATE.match(query):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


STRICT_IDENTIFIERS = (
    IdentifierType.NHS,
    IdentifierType.PNC,
    IdentifierType.CRO,
    IdentifierType.NINO,
)


def _valid_as(kind: str, value: str) -> bool:
    try:
        n.identifier(kind, value)
    except ValidationError:
        return False
    return True


def guess(query: str) -> tuple[str, QuerySet[Subject]]:
    """One search box: what the query looks like and the matching subjects, as (what,
    queryset). A date is a date of birth; a postcode or outward code a postcode; an NHS
    number, PNC ID, CRO number or NI number an identifier; a short run of letters and
    digits a VRM or any identifier; other text with digits an address; the rest a name."""
    text = (query or "").strip()
    if not text:
        raise n.invalid("q", "Enter a name, date of birth, postcode, VRM or identifier")
    if (born := parse_date(text)) is not None:
        return "date_of_birth", by_date_of_birth(born, transposed=True)
    if n.outward_code(text) or _valid_as_postcode(text):
        return "postcode", by_postcode(text)
    if any(c.isdigit() for c in text):
        if any(_valid_as(kind, text) for kind in STRICT_IDENTIFIERS):
            return "identifier", by_identifier(text)
        compact = re.sub(r"[\s\-]+", "", text)
        if compact.isalnum() and len(compact) <= 10:
            return "vrm_or_identifier", by_vrm(text, lookalike=True) | by_identifier(text)
        return "address", by_address(text)
    return "name", by_name(text)


def _valid_as_postcode(text: str) -> bool:
    try:
        return bool(n.postcode(text))
    except ValidationError:
        return False
