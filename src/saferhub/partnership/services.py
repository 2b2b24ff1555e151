"""The only writer of the partnership setting: one transaction with its audit entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action as Audit
from .areas import Choice
from .models import SINGLE_ROW, PartnershipSettings


def current(user=None) -> PartnershipSettings | None:
    """The area `user` works in: their agency's own row when it has one, else the site's
    default (also with no user)."""
    rows = PartnershipSettings.objects.select_related("changed_by", "agency")
    agency_id = getattr(user, "agency_id", None)
    if agency_id is not None:
        own = rows.filter(agency_id=agency_id).first()
        if own is not None:
            return own
    return rows.filter(pk=SINGLE_ROW).first()


def agencies_with_their_own() -> list[PartnershipSettings]:
    """The agencies' own rows, by agency name (the default row excluded)."""
    rows = PartnershipSettings.objects.select_related("changed_by", "agency")
    return list(rows.exclude(pk=SINGLE_ROW).order_by("agency__name"))


def _label(choice: Choice) -> str:
    """The area as the row's str() and the audit entry write it."""
    area = choice.area
    return f"{area.name} ({area.code})" if area.code else area.name


def set_area(
    choice: Choice, *, user=None, request=None, via: str = "site", agency=None
) -> PartnershipSettings:
    """Store the checked area and comparators (`areas.check`) as the site's default, or as
    `agency`'s own; the audit entry holds the old and new values (area names and codes, not
    personal data). Setting what is already set changes nothing and writes nothing."""
    with transaction.atomic():
        rows = PartnershipSettings.objects.select_for_update()
        if agency is None:
            before = rows.filter(pk=SINGLE_ROW).first()
        else:
            before = rows.filter(agency=agency).first()
        old = (
            {"area": str(before), "comparators": before.comparators}
            if before
            else {"area": None, "comparators": []}
        )
        wanted = {"area": _label(choice), "comparators": list(choice.comparators)}
        if before is not None and old == wanted:
            return before  # nothing changes: who changed it last, and when, stay as they were
        row = before or PartnershipSettings(pk=_next_id(agency), agency=agency)
        row.area_name = choice.area.name
        row.area_code = choice.area.code or ""
        row.area_type = choice.area.type
        row.comparators = list(choice.comparators)
        row.changed_by = user if getattr(user, "is_authenticated", False) else None
        row.changed_via = via
        row.changed_at = timezone.now()
        row.save()
        record(
            action=Audit.UPDATE if before else Audit.CREATE,
            request=request,
            actor=row.changed_by,
            obj=row,
            changes={
                **{k: {"from": old[k], "to": v} for k, v in wanted.items() if old[k] != v},
                **({"by": via} if via != "site" else {}),
                **({"agency": agency.name} if agency is not None else {}),
            },
        )
    return row


def _next_id(agency) -> int:
    """The default row is 1; an agency's row the next free id (under the caller's lock)."""
    if agency is None:
        return SINGLE_ROW
    highest = PartnershipSettings.objects.order_by("-pk").values_list("pk", flat=True).first()
    return max(highest or SINGLE_ROW, SINGLE_ROW) + 1
