"""How alike two subjects are, with the reasons in words: pure functions, no database.

A `Profile` is what the check knows of a subject (stored, or about to be created); `compare`
scores one profile against another out of 100 and says why ("same date of birth", "surname
sounds alike", "first names differ"). Names are compared by their phonetic codes (metaphone
and NYSIIS, from jellyfish) and edit distance (rapidfuzz), token by token so first names in
another order still agree. `duplicates.similar_subjects` fetches the few stored profiles that
share an indexed key with the candidate and ranks them here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from . import normalise as n
from .entries import (
    AddressEntry,
    GroupDetails,
    IdentifierEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    VehicleDetails,
)
from .vocabulary import IdentifierType, Kind, NameType

# Shown at or above this score; "strong" and "likely" bands above it.
THRESHOLD = 40
STRONG = 80
LIKELY = 60

# Identifiers one person has only one of: two different values argue against a match.
SINGULAR_IDENTIFIERS = frozenset(
    {IdentifierType.NHS, IdentifierType.PNC, IdentifierType.CRO, IdentifierType.NINO}
)


@dataclass(frozen=True)
class Name:
    given_names: str
    family_name: str
    type: str = NameType.MAIN


@dataclass(frozen=True)
class Profile:
    """What the similar-subject check compares. Values are in their normalised forms."""

    kind: str
    subject_id: int | None = None
    names: tuple[Name, ...] = ()
    date_of_birth: date | None = None
    birth_years: tuple[int, int] | None = None
    postcodes: frozenset[str] = frozenset()
    uprns: frozenset[str] = frozenset()
    place_ids: frozenset[int] = frozenset()
    address_keys: frozenset[str] = frozenset()
    identifiers: frozenset[tuple[str, str]] = frozenset()
    vrm: str = ""
    vrm_lookalike: str = ""
    make: str = ""
    group_type: str = ""
    group_name: str = ""


@dataclass(frozen=True)
class Reason:
    """One reason in words, with the points it added (or took away)."""

    code: str
    text: str
    points: int


@dataclass
class Match:
    subject_id: int
    kind: str
    score: int
    reasons: tuple[Reason, ...]
    subject: object | None = field(default=None, compare=False)  # set by similar_subjects

    @property
    def strength(self) -> str:
        """ "strong", "likely" or "possible": strong needs a high score and no reason against."""
        against = any(r.points < 0 or r.code == "given_differ" for r in self.reasons)
        if self.score >= STRONG and not against:
            return "strong"
        return "likely" if self.score >= LIKELY else "possible"

    @property
    def reason_texts(self) -> list[str]:
        return [r.text for r in self.reasons]


# ---------------------------------------------------------------------------------------------
# Building profiles from entries (a subject about to be created)


def person_profile(
    name: NameEntry,
    details: PersonDetails | None = None,
    *,
    other_names: Iterable[NameEntry] = (),
    addresses: Iterable[AddressEntry] = (),
    identifiers: Iterable[IdentifierEntry] = (),
    place_uprns: Iterable[str] = (),
) -> Profile:
    """The profile of a person being entered (cleaned entries). `place_uprns` are the UPRNs of
    the Place subjects among `addresses`, which the caller looks up."""
    details = details or PersonDetails()
    addresses = list(addresses)
    years = (
        n.birth_years(details.estimated_age, details.age_estimated_on)
        if details.estimated_age is not None and details.age_estimated_on is not None
        else None
    )
    return Profile(
        kind=Kind.PERSON,
        names=tuple(Name(e.given_names, e.family_name, e.type) for e in (name, *list(other_names))),
        date_of_birth=details.date_of_birth,
        birth_years=years,
        postcodes=frozenset(a.postcode for a in addresses if a.postcode),
        uprns=frozenset(u for u in place_uprns if u),
        place_ids=frozenset(a.place_id for a in addresses if a.place_id),
        address_keys=frozenset(
            key
            for a in addresses
            if a.place_id is None and (key := n.address_key(a.line_1, a.line_2, a.postcode))
        ),
        identifiers=frozenset((i.type, i.value) for i in identifiers),
    )


def place_profile(details: PlaceDetails) -> Profile:
    key = n.address_key(details.name, details.line_1, details.line_2, details.postcode)
    return Profile(
        kind=Kind.PLACE,
        postcodes=frozenset({details.postcode} - {""}),
        uprns=frozenset({details.uprn} - {""}),
        address_keys=frozenset({key} - {""}),
    )


def vehicle_profile(details: VehicleDetails) -> Profile:
    return Profile(
        kind=Kind.VEHICLE,
        vrm=details.vrm,
        vrm_lookalike=n.vrm_lookalike(details.vrm),
        make=n.fold(details.make),
    )


def group_profile(details: GroupDetails) -> Profile:
    return Profile(kind=Kind.GROUP, group_type=details.group_type, group_name=details.name)


# ---------------------------------------------------------------------------------------------
# Names

# Token agreement, best first, with the points a full agreement of that kind earns.
_TOKEN_KINDS = ("exact", "nickname", "sounds", "similar", "initial")
_GIVEN_POINTS = {"exact": 25, "nickname": 21, "sounds": 19, "similar": 15, "initial": 10}
_GIVEN_TEXT = {
    "exact": "same first names",
    "nickname": "first names are short forms of each other",
    "sounds": "first names sound alike",
    "similar": "first names spelt similarly",
    "initial": "first names agree by initial",
}


def _sounds_alike(a: str, b: str) -> bool:
    return n.metaphone(a) == n.metaphone(b) or n.nysiis(a) == n.nysiis(b)


def _spelt_alike(a: str, b: str) -> bool:
    return fuzz.ratio(a, b) >= 80 or (
        min(len(a), len(b)) >= 4 and JaroWinkler.similarity(a, b) >= 0.9
    )


def token_agreement(a: str, b: str) -> str | None:
    """How two name words agree: exact, nickname, sounds, similar, initial, or None."""
    if a == b:
        return "exact"
    if len(a) == 1 or len(b) == 1:
        return "initial" if a[0] == b[0] else None
    if n.given_form(a) == n.given_form(b):
        return "nickname"
    if _sounds_alike(a, b):
        return "sounds"
    if _spelt_alike(a, b):
        return "similar"
    return None


@dataclass(frozen=True)
class GivenVerdict:
    kind: str | None  # the weakest agreement among matched words; None: they differ
    reordered: bool = False
    extra: bool = False  # one side has more first names than the other
    partial: bool = False  # only some of the fewer names agree

    def points(self) -> int:
        if self.kind is None:
            return 0
        if self.partial:
            return 8
        return _GIVEN_POINTS[self.kind] - (2 if self.reordered else 0) - (3 if self.extra else 0)

    def reason(self) -> Reason:
        if self.kind is None:
            return Reason("given_differ", "first names differ", 0)
        if self.partial:
            return Reason("given_partial", "some first names agree", self.points())
        text = _GIVEN_TEXT[self.kind]
        if self.reordered:
            text += ", in a different order"
        if self.extra:
            text += " (one has more first names)"
        return Reason(f"given_{self.kind}", text, self.points())


def compare_given(a: str, b: str) -> GivenVerdict | None:
    """First names compared word by word in any order. None when either side has none."""
    left, right = n.name_tokens(a), n.name_tokens(b)
    if not left or not right:
        return None
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    used: set[int] = set()
    matched: list[tuple[int, int, str]] = []
    for i, token in enumerate(shorter):
        best: tuple[int, int] | None = None  # (rank of the kind, position in longer)
        for j, other in enumerate(longer):
            if j in used:
                continue
            kind = token_agreement(token, other)
            if kind is not None:
                rank = _TOKEN_KINDS.index(kind)
                # Prefer the better agreement, then the same position.
                if best is None or (rank, j != i) < (best[0], best[1] != i):
                    best = (rank, j)
        if best is not None:
            used.add(best[1])
            matched.append((i, best[1], _TOKEN_KINDS[best[0]]))
    if not matched:
        return GivenVerdict(None)
    weakest = max((_TOKEN_KINDS.index(k) for *_, k in matched))
    positions = [j for _, j, _ in matched]
    reordered = positions != sorted(positions)
    return GivenVerdict(
        _TOKEN_KINDS[weakest],
        reordered=reordered,
        extra=len(shorter) != len(longer),
        partial=len(matched) < len(shorter),
    )


def compare_family(a: str, b: str) -> Reason | None:
    """Family names compared whole and by their parts ("Smith-Jones" and "Smith")."""
    left, right = n.name_tokens(a), n.name_tokens(b)
    if not left or not right:
        return None
    whole_a, whole_b = "".join(left), "".join(right)
    if whole_a == whole_b:
        return Reason("family_same", "same surname", 30)
    if _sounds_alike(whole_a, whole_b):
        return Reason("family_sounds", "surname sounds alike", 24)
    if _spelt_alike(whole_a, whole_b):
        return Reason("family_similar", "surname spelt similarly", 18)
    if (len(left) > 1 or len(right) > 1) and set(left) & set(right):
        return Reason("family_part", "surnames share a part", 16)
    return None


def compare_names(a: Name, b: Name) -> list[Reason]:
    """Why two names agree (or do not), each reason with its points; [] when unalike."""
    family = compare_family(a.family_name, b.family_name)
    given = compare_given(a.given_names, b.given_names)
    if family is not None:
        if given is None:
            return [family, Reason("given_unknown", "first names not known for one of them", 4)]
        return [family, given.reason()]
    # Given and family names entered the wrong way round?
    crossed_family = compare_family(a.given_names, b.family_name)
    crossed_given = compare_given(a.family_name, b.given_names)
    if crossed_family and crossed_given and crossed_given.kind:
        points = crossed_family.points + crossed_given.points() - 5
        return [Reason("names_crossed", "first and family names swapped", points)]
    return []


def _best_names(a: Profile, b: Profile) -> list[Reason]:
    best: tuple[int, list[Reason]] = (0, [])
    for x in a.names:
        for y in b.names:
            reasons = compare_names(x, y)
            points = sum(r.points for r in reasons)
            if points > best[0]:
                if x.type != NameType.MAIN or y.type != NameType.MAIN:
                    other = NameType(y.type if y.type != NameType.MAIN else x.type)
                    label = other.label.lower()
                    article = "an" if label[0] in "aeiou" else "a"
                    reasons.append(Reason("other_name", f"matches {article} {label}", 0))
                best = (points, reasons)
    return best[1]


# ---------------------------------------------------------------------------------------------
# Scores by kind


def _dates(a: Profile, b: Profile) -> list[Reason]:
    if a.date_of_birth and b.date_of_birth:
        if a.date_of_birth == b.date_of_birth:
            return [Reason("dob_same", "same date of birth", 30)]
        if n.transposed(a.date_of_birth) == b.date_of_birth:
            return [Reason("dob_transposed", "date of birth with day and month swapped", 20)]
        return [Reason("dob_differ", "dates of birth differ", -25)]
    dated, estimated = (a, b) if a.date_of_birth else (b, a)
    if dated.date_of_birth and estimated.birth_years:
        low, high = estimated.birth_years
        if low <= dated.date_of_birth.year <= high:
            return [Reason("age_fits", "estimated age fits the date of birth", 8)]
        return [Reason("age_differs", "estimated age does not fit the date of birth", -10)]
    if (
        a.birth_years
        and b.birth_years
        and a.birth_years[0] <= b.birth_years[1]
        and b.birth_years[0] <= a.birth_years[1]
    ):
        return [Reason("ages_close", "estimated ages are close", 4)]
    return []


def _addresses(a: Profile, b: Profile) -> list[Reason]:
    if a.uprns & b.uprns:
        return [Reason("uprn_same", "same UPRN", 20)]
    if a.place_ids & b.place_ids:
        return [Reason("place_same", "same address", 20)]
    if a.address_keys & b.address_keys:
        return [Reason("address_same", "same address", 15)]
    if a.postcodes & b.postcodes:
        return [Reason("postcode_same", "same postcode", 10)]
    return []


def _identifiers(a: Profile, b: Profile) -> list[Reason]:
    reasons = []
    shared = a.identifiers & b.identifiers
    for kind, _ in sorted(shared):
        reasons.append(Reason(f"id_same_{kind}", f"same {IdentifierType(kind).label}", 60))
    shared_kinds = {k for k, _ in shared}
    kinds_a = {k for k, _ in a.identifiers} & SINGULAR_IDENTIFIERS
    kinds_b = {k for k, _ in b.identifiers} & SINGULAR_IDENTIFIERS
    for kind in sorted((kinds_a & kinds_b) - shared_kinds):
        label = IdentifierType(kind).label
        reasons.append(Reason(f"id_differ_{kind}", f"different {label}s", -40))
    return reasons


def _person(a: Profile, b: Profile) -> list[Reason]:
    return _best_names(a, b) + _dates(a, b) + _addresses(a, b) + _identifiers(a, b)


def _place(a: Profile, b: Profile) -> list[Reason]:
    if a.uprns and b.uprns:
        if a.uprns & b.uprns:
            return [Reason("uprn_same", "same UPRN", 90)]
        return [Reason("uprn_differ", "different UPRNs", -50)]
    same_postcode = bool(a.postcodes & b.postcodes)
    if a.address_keys & b.address_keys:
        return [Reason("address_same", "same address", 70 + (10 if same_postcode else 0))]
    # Spelt alike only with the same house and flat numbers: 10 and 12 High Street differ.
    best = max(
        (
            fuzz.token_set_ratio(x, y)
            for x in a.address_keys
            for y in b.address_keys
            if _numbers(x) == _numbers(y)
        ),
        default=0,
    )
    reasons = []
    if same_postcode:
        reasons.append(Reason("postcode_same", "same postcode", 30))
    if best >= 85:
        reasons.append(Reason("address_similar", "address spelt similarly", 30))
    return reasons


def _numbers(address: str) -> list[str]:
    """The numbers in an address, leaving out the postcode's (its last two words)."""
    words = address.split()
    if len(words) >= 2 and n.postcode_or_blank(" ".join(words[-2:])):
        words = words[:-2]
    return [w for w in words if any(c.isdigit() for c in w)]


def _vehicle(a: Profile, b: Profile) -> list[Reason]:
    reasons = []
    if a.vrm and a.vrm == b.vrm:
        reasons.append(Reason("vrm_same", "same VRM", 100))
    elif a.vrm_lookalike and a.vrm_lookalike == b.vrm_lookalike:
        reasons.append(
            Reason("vrm_lookalike", "VRM differs only in look-alike characters (O/0, I/1)", 60)
        )
    if reasons and a.make and a.make == b.make:
        reasons.append(Reason("make_same", "same make", 5))
    return reasons


def _group(a: Profile, b: Profile) -> list[Reason]:
    left, right = n.name_tokens(a.group_name), n.name_tokens(b.group_name)
    reasons = []
    if left and left == right:
        reasons.append(Reason("name_same", "same name", 70))
    elif left and right and n.metaphone("".join(left)) == n.metaphone("".join(right)):
        reasons.append(Reason("name_sounds", "name sounds alike", 55))
    elif fuzz.token_set_ratio(" ".join(left), " ".join(right)) >= 85:
        reasons.append(Reason("name_similar", "name spelt similarly", 50))
    if reasons and a.group_type and a.group_type == b.group_type:
        reasons.append(Reason("type_same", "same type of group", 15))
    return reasons


_SCORERS = {Kind.PERSON: _person, Kind.PLACE: _place, Kind.VEHICLE: _vehicle, Kind.GROUP: _group}


def compare(candidate: Profile, other: Profile) -> Match | None:
    """`other` as a possible duplicate of `candidate`: a Match out of 100 with its reasons,
    or None below THRESHOLD or when the kinds differ."""
    if candidate.kind != other.kind or other.subject_id is None:
        return None
    reasons = _SCORERS[candidate.kind](candidate, other)
    score = max(0, min(100, sum(r.points for r in reasons)))
    if score < THRESHOLD:
        return None
    return Match(other.subject_id, other.kind, score, tuple(reasons))


def rank(candidate: Profile, others: Iterable[Profile], *, limit: int = 10) -> list[Match]:
    """The others that may be the candidate, best first (ties by subject id)."""
    matches = [m for other in others if (m := compare(candidate, other)) is not None]
    matches.sort(key=lambda m: (-m.score, m.subject_id))
    return matches[:limit]
