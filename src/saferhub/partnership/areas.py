"""Names a person types for an area, checked against the areas loaded in the evidence store.

The evidence engine resolves names (`evidence.areas.resolve_area`); this module adds what a
page needs around it: which of the typed names failed, and the areas the person may have
meant, each with the text that opens it (its name, or its code when the name is shared).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from ..evidence.areas import Area, resolve_area
from ..evidence.errors import EvidenceError
from ..evidence.names import name_key

CLOSEST = 5  # names offered for one unknown name
MAX_COMPARATORS = 10


@dataclass(frozen=True)
class Candidate:
    label: str  # what the link says
    query: str  # what the link puts in the form (the name, or the code when names clash)


@dataclass(frozen=True)
class UnknownName:
    """A typed name that opens no single area, and the areas the person may have meant."""

    field: str  # "area" or "compare"
    typed: str
    ambiguous: bool  # the name is several areas' (two wards of one name)
    candidates: tuple[Candidate, ...]

    @property
    def message(self) -> str:
        if self.ambiguous:
            return f"More than one area is called “{self.typed}”: choose one."
        return f"No area called “{self.typed}” is in the loaded data."


@dataclass(frozen=True)
class Choice:
    """A checked area and its comparators, as the evidence store names them."""

    area: Area
    comparators: tuple[str, ...]


def _unique(areas: list[Area]) -> list[Area]:
    """One area per code (a ward split between two boroughs' rows is listed twice)."""
    seen: dict[str | None, Area] = {}
    for area in areas:
        seen.setdefault(area.code, area)
    return list(seen.values())


def _candidates(areas: list[Area], shown: list[Area]) -> tuple[Candidate, ...]:
    """Links' words: a ward says it is one; a name several areas share adds the code, and the
    link opens that code."""
    names = Counter(name_key(a.name) for a in _unique(areas))
    out = []
    for a in shown:
        kind = " (ward)" if a.type == "ward" else ""
        if names[name_key(a.name)] > 1 and a.code:
            out.append(Candidate(f"{a.name} ({a.type} {a.code})", a.code))
        else:
            out.append(Candidate(a.name + kind, a.name))
    return tuple(out)


def closest(
    areas: list[Area], typed: str, kinds: frozenset[str] | None = None
) -> tuple[bool, tuple[Candidate, ...]]:
    """(ambiguous, candidates): every area of the typed name when several share it, else the
    closest names, ignoring case (as `resolve_area` suggests them); only areas of `kinds`
    when given (a comparator is a borough)."""
    exact = _unique([a for a in areas if name_key(a.name) == name_key(typed)])
    if len(exact) > 1:
        return True, _candidates(areas, exact)
    by_lower: dict[str, list[Area]] = {}
    for area in _unique([a for a in areas if kinds is None or a.type in kinds]):
        by_lower.setdefault(area.name.lower(), []).append(area)
    names = difflib.get_close_matches(typed.strip().lower(), list(by_lower), n=CLOSEST, cutoff=0.6)
    return False, _candidates(areas, [a for name in names for a in by_lower[name]][:CLOSEST])


def first_unknown(areas: list[Area], area: str, compare: list[str]) -> UnknownName | None:
    """The first typed name (the area, then each comparator) that opens no single area."""
    for field, typed in [("area", area), *(("compare", c) for c in compare)]:
        try:
            resolve_area(areas, typed)
        except EvidenceError:
            if not areas:
                return None  # nothing is loaded: the engine's own message says so
            kinds = frozenset({"borough"}) if field == "compare" else None
            ambiguous, candidates = closest(areas, typed, kinds)
            return UnknownName(field, typed.strip(), ambiguous, candidates)
    return None


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def check(areas: list[Area], area: str, compare: list[str]) -> Choice:
    """The area and comparators as stored: each resolved to the loaded area's own name;
    comparators must be boroughs, listed once, not the area itself. Raises EvidenceError
    (worded for the person) otherwise."""
    unknown = first_unknown(areas, area, compare)
    if unknown is not None:
        raise EvidenceError(unknown.message)
    subject = resolve_area(areas, area)
    names: list[str] = []
    for typed in compare:
        comparator = resolve_area(areas, typed)
        if comparator.type != "borough":
            what = "a ward" if comparator.type == "ward" else "the whole force area"
            raise EvidenceError(
                f"{comparator.name} is {what}: comparators are boroughs (London is always "
                "shown as well)"
            )
        if comparator.code != subject.code and comparator.name not in names:
            names.append(comparator.name)
    if len(names) > MAX_COMPARATORS:
        raise EvidenceError(f"at most {MAX_COMPARATORS} comparator boroughs; {len(names)} given")
    return Choice(subject, tuple(names))


def corrections(unknown: UnknownName, area: str, compare: str) -> list[tuple[str, dict]]:
    """(label, the form's values with the unknown name replaced by that candidate's) for
    each candidate: what a "did you mean" link fills the form with."""
    out = []
    for candidate in unknown.candidates:
        values = {"area": area, "compare": compare}
        if unknown.field == "area":
            values["area"] = candidate.query
        else:
            values["compare"] = ", ".join(
                candidate.query if name == unknown.typed else name for name in split_names(compare)
            )
        out.append((candidate.label, values))
    return out
