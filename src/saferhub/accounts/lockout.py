"""The name django-axes counts failed sign-ins under.

Email addresses are stored in lower case, so "Analyst@…" and "analyst@…" are one account:
they must share one lockout count, or changing the case of a letter would buy five more
guesses."""

from __future__ import annotations


def username(request, credentials: dict | None) -> str:
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return str(value or "").strip().lower()
