"""Who may do what: the one place the accounts app decides access.

Each permission names the roles that hold it; views ask `has(user, PERMISSION)` (or use the
`requires` decorator) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role

MANAGE_ACCOUNTS = "manage_accounts"
VIEW_EVIDENCE = "view_evidence"
VIEW_AUDIT = "view_audit"
# Delivery plans: every role opens them (a practitioner sees only the actions they lead,
# see plans/permissions.py); coordinators and admins import, edit and roll them over.
VIEW_PLANS = "view_plans"
MANAGE_PLANS = "manage_plans"
# Indicators: every role reads them; analysts, coordinators and admins define them, refresh
# them and import youth justice extracts; a practitioner enters values only for indicators
# their agency owns (see indicators/permissions.py).
VIEW_INDICATORS = "view_indicators"
MANAGE_INDICATORS = "manage_indicators"

GRANTS: dict[str, set[str]] = {
    MANAGE_ACCOUNTS: {Role.ADMIN},
    VIEW_EVIDENCE: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.BOARD},
    VIEW_AUDIT: {Role.ADMIN},
    VIEW_PLANS: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.PRACTITIONER, Role.BOARD},
    MANAGE_PLANS: {Role.ADMIN, Role.COORDINATOR},
    VIEW_INDICATORS: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.PRACTITIONER, Role.BOARD},
    MANAGE_INDICATORS: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR},
}


def has(user, permission: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if permission == VIEW_AUDIT and user.is_data_protection_officer:
        return True
    return user.role in GRANTS[permission]


def requires(permission: str) -> Callable:
    """View decorator: sign-in first, then 403 unless the user holds `permission`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator
