"""A live listing at a panel is a source of access to the case (ADR 11's extension point).

The practitioners of an agency that is a member of the panel see a listed case as the
panel's terms say (the whole case, or chronology and tasks), from the listing until it ends,
never special category data, and never upload, edit or share: `sharing.policy` applies those
limits to every extra source. Each access is recorded under the panel listing's purpose.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from ..sharing.models import Scope
from .models import Listing, Member, Terms

PURPOSE = "listed at a panel"


def live_listings(at: datetime):
    return Listing.objects.filter(listed_at__lte=at, panel__active=True).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=at)
    )


def live_members(at: datetime):
    return Member.objects.filter(joined_at__lte=at).filter(
        Q(left_at__isnull=True) | Q(left_at__gt=at)
    )


def listed_for(user, at: datetime, terms: str) -> Q:
    """A filter on Case: listed now at a panel of `terms` that the user's agency sits on."""
    members = live_members(at).filter(panel=OuterRef("panel"), agency_id=user.agency_id)
    listings = live_listings(at).filter(case=OuterRef("pk"), panel__terms=terms)
    return Q(Exists(listings.filter(Exists(members))))


def register() -> None:
    from ..sharing import policy

    policy.register_source(
        policy.ExtraSource(
            name="panel listing",
            cases=lambda user, at: listed_for(user, at, Terms.WHOLE),
            scope=Scope.WHOLE,
            purpose=PURPOSE,
        )
    )
    policy.register_source(
        policy.ExtraSource(
            name="panel listing (chronology and tasks)",
            cases=lambda user, at: listed_for(user, at, Terms.CHRONOLOGY_AND_TASKS),
            scope=Scope.CHRONOLOGY_AND_TASKS,
            purpose=PURPOSE,
        )
    )
