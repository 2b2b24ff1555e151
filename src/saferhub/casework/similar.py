"""The similar records of one being entered (or of a stored one, for a merge), each shown in
full or locked as the sharing policy says; the check consults the subjects table as a search
does, so it is on the record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..audit.log import record
from ..audit.models import Action as Audit
from ..sharing import holding, policy
from ..subjects import duplicates


@dataclass(frozen=True)
class Similar:
    match: object  # subjects.matching.Match
    visible: bool
    locked: object  # sharing.policy.LockedView or None
    usable: bool = False  # the user may put it on a case (`sharing.holding.attachable`)


def similar(request, kind: str, profile) -> list[Similar]:
    """The similar records, each in full or locked; the check is on the record (it consults
    the subjects table, as a search does)."""
    matches = duplicates.similar_subjects(profile)
    subjects = [m.subject for m in matches]
    ids = [s.pk for s in subjects]
    visible = set(
        policy.visible_subjects(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    locked = policy.locked_views(request.user, subjects)
    found = [
        Similar(
            m,
            m.subject.pk in visible,
            locked.get(m.subject.pk),
            m.subject.pk in visible and holding.attachable(request.user, m.subject),
        )
        for m in matches
    ]
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            object_type="subjects.search",
            changes={
                "duplicate_check": kind,
                "results": len(found),
                "full": sum(s.visible for s in found),
                "locked": sum(not s.visible for s in found),
                "subjects": ids,
            },
        )
    return found
