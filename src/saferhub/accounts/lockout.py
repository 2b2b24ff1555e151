"""The name django-axes counts failed sign-ins under.

Email addresses are stored in lower case, so "Analyst@…" and "analyst@…" are one account:
they must share one lockout count, or changing the case of a letter would buy five more
guesses. What an anonymous caller typed is stored by django-axes, so it is bounded first."""

from __future__ import annotations

from .signals import bounded_email


def username(request, credentials: dict | None) -> str:
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    # As the audit log keeps it: no control characters (PostgreSQL refuses NUL), 254 at most.
    return bounded_email(value).lower()
