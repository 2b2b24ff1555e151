"""Subject search that respects sharing: a hit is shown in full, or as its locked view.

Candidates come from the subjects app's search helpers (`subjects/search.py`: names and
aliases by sound and spelling, date of birth, address, postcode, VRM, identifier), which know
nothing of sharing; this module shows each hit in full or locked and writes the audit entry.
Every search is recorded with its terms (DPA 2018 s62 asks what was consulted; the audit log
is protected, unlike the server log, which never sees them), the number of hits and how many
were full or locked. A term the helpers cannot read (a postcode that is not one) raises their
`ValidationError`, keyed by the field, and nothing is recorded: nothing was consulted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action as Audit
from ..cases import permissions as verbs
from ..subjects import search as find
from ..subjects.models import Subject
from . import policy
from .policy import LockedView

LIMIT = 50


@dataclass(frozen=True)
class Terms:
    name: str = ""
    date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""
    vrm: str = ""
    identifier: str = ""

    def given(self) -> dict:
        """The terms used, as the audit entry keeps them."""
        out = {}
        for name, value in asdict(self).items():
            value = value.strip() if isinstance(value, str) else value
            if value:
                out[name] = value.isoformat() if isinstance(value, date) else value
        return out


@dataclass(frozen=True)
class Hit:
    subject: Subject
    full: bool  # the user may open it
    locked: LockedView | None  # what the user is told of the cases they cannot see


@dataclass(frozen=True)
class Results:
    hits: tuple[Hit, ...]
    more: bool  # more than the limit matched: narrow the search
    read_as: str = ""  # for a one-box search: what the query was taken to be


def candidates(terms: Terms) -> QuerySet[Subject]:
    """Live subjects matching every term given."""
    found = find.live()
    lookups = {
        "name": find.by_name,
        "date_of_birth": find.by_date_of_birth,
        "address": find.by_address,
        "postcode": find.by_postcode,
        "vrm": find.by_vrm,
        "identifier": find.by_identifier,
    }
    for name, lookup in lookups.items():
        value = getattr(terms, name)
        value = value.strip() if isinstance(value, str) else value
        if value:
            found = found.filter(pk__in=lookup(value).values("pk"))
    return found


def _check(user, request, at: datetime) -> None:
    if not policy.can(user, verbs.SEARCH, None, at=at):
        raise verbs.refused(
            user, verbs.SEARCH, None, request=request, object_type="subjects.search"
        )


def _results(user, found: QuerySet[Subject], terms: dict, *, request, at, limit, read_as=""):
    subjects = list(found.order_by("display_name", "id")[: limit + 1])
    more = len(subjects) > limit
    subjects = subjects[:limit]
    ids = [s.pk for s in subjects]
    visible, locked = policy.subject_views(user, subjects, at=at)
    hits = tuple(Hit(s, s.pk in visible, locked[s.pk]) for s in subjects)
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            actor=user,
            object_type="subjects.search",
            changes={
                "terms": terms,
                "results": len(hits),
                "full": sum(h.full for h in hits),
                "locked": sum(not h.full for h in hits),
                "subjects": ids,
            },
        )
    return Results(hits=hits, more=more, read_as=read_as)


def search_subjects(
    user, terms: Terms, *, request=None, at: datetime | None = None, limit: int = LIMIT
) -> Results:
    """Subjects matching all of `terms`, each in full or locked, audited. Practitioners and
    data protection officers may search (the DPO sees locked views: who holds what, for a
    subject access request); anyone else gets PermissionDenied, audited. No terms, no hits."""
    at = at or timezone.now()
    _check(user, request, at)
    given = terms.given()
    found = candidates(terms) if given else Subject.objects.none()
    return _results(user, found, given, request=request, at=at, limit=limit)


def search_box(
    user, query: str, *, request=None, at: datetime | None = None, limit: int = LIMIT
) -> Results:
    """One search box: the subjects app reads the query as a date of birth, postcode,
    identifier, VRM, address or name (`subjects.search.guess`); `Results.read_as` says which."""
    at = at or timezone.now()
    _check(user, request, at)
    read_as, found = find.guess(query)
    terms = {"query": query.strip(), "read_as": read_as}
    return _results(user, found, terms, request=request, at=at, limit=limit, read_as=read_as)
