"""Who may see and update which actions of a delivery plan.

Coordinators and admins see and edit everything; analysts and board members read everything;
a practitioner sees and updates only the actions they lead: a lead naming them (linked to
their account), or a lead naming only their agency, with no person.
"""

from __future__ import annotations

from django.db.models import Q

from ..accounts.models import Role
from ..accounts.permissions import MANAGE_PLANS, VIEW_PLANS, has
from .models import Action

READ_ALL = {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.BOARD}


def led_by(user) -> Q:
    """Actions this user leads, as a filter on Action."""
    return Q(leads__user=user) | Q(leads__person="", leads__agency=user.agency_id)


def sees_whole_plan(user) -> bool:
    return has(user, VIEW_PLANS) and user.role in READ_ALL


def visible_actions(user, strategy) -> set[int] | None:
    """The ids of the strategy's actions the user may read; None means all of them."""
    if sees_whole_plan(user):
        return None
    if not has(user, VIEW_PLANS):
        return set()
    return set(
        Action.objects.filter(led_by(user), objective__strategy=strategy).values_list(
            "id", flat=True
        )
    )


def leads(user, action: Action) -> bool:
    return has(user, VIEW_PLANS) and Action.objects.filter(led_by(user), pk=action.pk).exists()


def can_view_action(user, action: Action) -> bool:
    return sees_whole_plan(user) or leads(user, action)


def can_update_action(user, action: Action) -> bool:
    """Post an update: coordinators and admins on any action, a lead on their own, and only
    while the plan is open."""
    if action.objective.strategy.status != "open":
        return False
    if has(user, MANAGE_PLANS):
        return True
    return user.role != Role.BOARD and leads(user, action)
