"""Who may enter an indicator's values.

Analysts, coordinators and admins enter values for any manual indicator; a practitioner only
for the indicators their agency owns (the owner enters, as partnerships agree each
indicator's owner at the start of the year). Board members read and never enter.
"""

from __future__ import annotations

from ..accounts.models import Role
from ..accounts.permissions import MANAGE_INDICATORS, VIEW_INDICATORS, has
from .definitions import Source


def can_enter_values(user, indicator) -> bool:
    if indicator.source != Source.MANUAL or not indicator.active:
        return False
    if has(user, MANAGE_INDICATORS):
        return True
    return (
        has(user, VIEW_INDICATORS)
        and user.role == Role.PRACTITIONER
        and user.agency_id == indicator.owner_id
    )
