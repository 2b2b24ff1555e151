"""The only writer of the partnership setting: one transaction with its audit entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action as Audit
from .areas import Choice
from .models import SINGLE_ROW, PartnershipSettings


def current() -> PartnershipSettings | None:
    return PartnershipSettings.objects.select_related("changed_by").filter(pk=SINGLE_ROW).first()


def set_area(choice: Choice, *, user=None, request=None, via: str = "site") -> PartnershipSettings:
    """Store the checked area and comparators (`areas.check`); the audit entry holds the old
    and new values (area names and codes, not personal data)."""
    with transaction.atomic():
        before = PartnershipSettings.objects.select_for_update().filter(pk=SINGLE_ROW).first()
        old = (
            {"area": str(before), "comparators": before.comparators}
            if before
            else {"area": None, "comparators": []}
        )
        row = before or PartnershipSettings(pk=SINGLE_ROW)
        row.area_name = choice.area.name
        row.area_code = choice.area.code or ""
        row.area_type = choice.area.type
        row.comparators = list(choice.comparators)
        row.changed_by = user if getattr(user, "is_authenticated", False) else None
        row.changed_via = via
        row.changed_at = timezone.now()
        row.save()
        new = {"area": str(row), "comparators": row.comparators}
        record(
            action=Audit.UPDATE if before else Audit.CREATE,
            request=request,
            actor=row.changed_by,
            obj=row,
            changes={
                **{k: {"from": old[k], "to": new[k]} for k in new if old[k] != new[k]},
                **({"by": via} if via != "site" else {}),
            },
        )
    return row
