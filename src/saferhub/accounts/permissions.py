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
# Casework: which case a person sees is decided by sharing/policy.py, never by role alone.
# These say only who opens the casework pages at all (practitioners: the people who work
# cases), who edits the business areas (admins: data, not case content), who keeps the
# information-sharing agreements and who reviews break-glass access (the data protection
# officer, a flag on any role; admins keep agreements too). ADR 11 says why admins and the
# DPO do not read case content by role.
CASEWORK = "casework"
MANAGE_BUSINESS_AREAS = "manage_business_areas"
MANAGE_AGREEMENTS = "manage_agreements"
REVIEW_BREAK_GLASS = "review_break_glass"

GRANTS: dict[str, set[str]] = {
    MANAGE_ACCOUNTS: {Role.ADMIN},
    VIEW_EVIDENCE: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.BOARD},
    VIEW_AUDIT: {Role.ADMIN},
    VIEW_PLANS: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.PRACTITIONER, Role.BOARD},
    MANAGE_PLANS: {Role.ADMIN, Role.COORDINATOR},
    VIEW_INDICATORS: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.PRACTITIONER, Role.BOARD},
    MANAGE_INDICATORS: {Role.ADMIN, Role.ANALYST, Role.COORDINATOR},
    CASEWORK: {Role.PRACTITIONER},
    MANAGE_BUSINESS_AREAS: {Role.ADMIN},
    MANAGE_AGREEMENTS: {Role.ADMIN},
    REVIEW_BREAK_GLASS: set(),
}

# What the data protection officer holds whatever their role.
DATA_PROTECTION_OFFICER = {VIEW_AUDIT, MANAGE_AGREEMENTS, REVIEW_BREAK_GLASS}


def has(user, permission: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if permission in DATA_PROTECTION_OFFICER and user.is_data_protection_officer:
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
