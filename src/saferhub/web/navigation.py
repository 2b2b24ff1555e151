"""The service navigation on every signed-in page: only the sections the user may open."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import reverse

from ..accounts.permissions import (
    MANAGE_ACCOUNTS,
    VIEW_AUDIT,
    VIEW_EVIDENCE,
    VIEW_INDICATORS,
    VIEW_PLANS,
    has,
)
from ..partnership.permissions import MANAGE_PARTNERSHIP


def _casework(user) -> bool:
    """Casework: practitioners (whom the sharing policy lets work cases), and the data
    protection officer and agreement keepers, who have casework pages of their own."""
    from ..casework.access import opens_casework

    return opens_casework(user)


# (label, url name, permission, or a predicate on the user, or None for every signed-in user)
SECTIONS = [
    ("Home", "home", None),
    ("Casework", "casework:index", _casework),
    ("Evidence", "evidence", VIEW_EVIDENCE),
    ("Delivery plan", "plans:list", VIEW_PLANS),
    ("Indicators", "indicators:dashboard", VIEW_INDICATORS),
    ("Partnership", "partnership:settings", MANAGE_PARTNERSHIP),
    ("Agencies", "accounts:agencies", MANAGE_ACCOUNTS),
    ("Users", "accounts:users", MANAGE_ACCOUNTS),
    ("Audit", "audit:list", VIEW_AUDIT),
]


@dataclass(frozen=True)
class Item:
    label: str
    href: str
    current: bool


@cache
def _hrefs() -> tuple[str, ...]:
    """Each section's address, reversed once per process: the URLconf does not change while
    the site runs, and reversing nine names on every page was a measurable part of it."""
    return tuple(reverse(name) for _, name, _ in SECTIONS)


def items_for(user, path: str) -> list[Item]:
    """The sections `user` may open; the one `path` is in is current (Home only on "/")."""
    items = []
    for (label, _, permission), href in zip(SECTIONS, _hrefs(), strict=True):
        if callable(permission):
            if not permission(user):
                continue
        elif permission is not None and not has(user, permission):
            continue
        current = path == href if href == "/" else path.startswith(href)
        items.append(Item(label, href, current))
    return items


def navigation(request) -> dict:
    """Context processor: `navigation`, empty until the user has passed both sign-in steps."""
    user = getattr(request, "user", None)
    verified = getattr(user, "is_verified", None)
    if not (user and user.is_authenticated and verified and verified()):
        return {"navigation": []}
    return {"navigation": items_for(user, request.path)}
