"""Subject search that respects sharing: a hit is shown in full, or as its locked view.

Every search is written to the audit log with its terms (DPA 2018 s62 asks what was
consulted; the audit log is protected, unlike the server log, which never sees them), the
number of hits and how many were full or locked.

Finding candidates: until the subjects app publishes its own search over names, aliases,
dates of birth, addresses and identifiers, `candidates` matches the display name (a person's
main name, a place's address, a VRM, a group's name) by kind. Searching by date of birth or
identifier alone then finds nothing: `Results.unsupported` says so, and a page says it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action as Audit
from ..cases import permissions as verbs
from ..subjects.models import Kind, Subject
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
        return {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v
        }


@dataclass(frozen=True)
class Hit:
    subject: Subject
    full: bool  # the user may open it
    locked: LockedView | None  # what the user is told of the cases they cannot see


@dataclass(frozen=True)
class Results:
    hits: tuple[Hit, ...]
    more: bool  # more than the limit matched: narrow the search
    unsupported: tuple[str, ...]  # terms the search cannot use yet


UNSUPPORTED = ("date_of_birth", "identifier")
SPACES = re.compile(r"\s+")


def candidates(terms: Terms) -> QuerySet[Subject]:
    """Subjects matching every term given (display names only: see the module docstring)."""
    q = Q(merged_into__isnull=True)
    if terms.name:
        q &= Q(kind__in=[Kind.PERSON, Kind.GROUP], display_name__icontains=terms.name.strip())
    for part in (terms.address.strip(), SPACES.sub(" ", terms.postcode.strip())):
        if part:
            q &= Q(kind=Kind.PLACE, display_name__icontains=part)
    if terms.vrm:
        vrm = SPACES.sub("", terms.vrm).upper()
        return (
            Subject.objects.filter(q, kind=Kind.VEHICLE)
            .annotate(_vrm=Replace(Upper("display_name"), Value(" "), Value("")))
            .filter(_vrm=vrm)
        )
    return Subject.objects.filter(q)


def search_subjects(
    user, terms: Terms, *, request=None, at: datetime | None = None, limit: int = LIMIT
) -> Results:
    """Subjects matching `terms`, each in full or locked, audited. Practitioners and data
    protection officers may search (the DPO sees locked views: who holds what, for a subject
    access request); anyone else gets PermissionDenied, audited."""
    at = at or timezone.now()
    if not policy.can(user, verbs.SEARCH, None, at=at):
        raise verbs.refused(
            user, verbs.SEARCH, None, request=request, object_type="subjects.search"
        )
    given = terms.given()
    unsupported = tuple(k for k in UNSUPPORTED if k in given)
    usable = {k for k in given if k not in UNSUPPORTED}
    found: list[Subject] = []
    if usable:
        found = list(candidates(terms).order_by("display_name", "id")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    ids = [s.pk for s in found]
    visible = set(
        policy.visible_subjects(user, at=at).filter(pk__in=ids).values_list("pk", flat=True)
    )
    locked = policy.locked_views(user, found, at=at)
    hits = tuple(Hit(s, s.pk in visible, locked[s.pk]) for s in found)
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            actor=user,
            object_type="subjects.search",
            changes={
                "terms": given,
                "results": len(hits),
                "full": sum(h.full for h in hits),
                "locked": sum(not h.full for h in hits),
                "subjects": ids,
            },
        )
    return Results(hits=hits, more=more, unsupported=unsupported)
