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


def _label(choice: Choice) -> str:
    """The area as the row's str() and the audit entry write it."""
    area = choice.area
    return f"{area.name} ({area.code})" if area.code else area.name


def set_area(choice: Choice, *, user=None, request=None, via: str = "site") -> PartnershipSettings:
    """Store the checked area and comparators (`areas.check`); the audit entry holds the old
    and new values (area names and codes, not personal data). Setting what is already set
    changes nothing and writes nothing."""
    with transaction.atomic():
        before = PartnershipSettings.objects.select_for_update().filter(pk=SINGLE_ROW).first()
        old = (
            {"area": str(before), "comparators": before.comparators}
            if before
            else {"area": None, "comparators": []}
        )
        wanted = {"area": _label(choice), "comparators": list(choice.comparators)}
        if before is not None and old == wanted:
            return before  # nothing changes: who changed it last, and when, stay as they were
        row = before or PartnershipSettings(pk=SINGLE_ROW)
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
            },
        )
    return row
