"""Failed sign-ins in the audit log, bounded: an anonymous caller chooses the email typed,
and can send thousands a minute.

The email kept is at most 254 characters with control characters removed. At most one
"sign_in_failed" entry a minute is written for one (address, email) pair at the password
step; failures in between are counted, and the next entry written for that pair carries the
count as `"repeats": N` (N failures not written since the entry before it). django-axes
still counts every attempt for the lockout: it has its own receiver of the same signal.

A wrong authenticator code (the "two-factor" step) comes from someone who knew the password,
and each is written.

This is the only receiver that writes failed sign-ins (AccountsConfig.ready connects it).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..audit.log import client_address, record
from ..audit.models import Action
from .models import FailedSignIn

WINDOW = timedelta(minutes=1)
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def bounded_email(value) -> str:
    """The email typed, as it may be kept: no control characters, at most 254 characters."""
    return CONTROLS.sub("", str(value or "")).strip()[:254]


def sign_in_failed(sender, credentials, request=None, **kwargs):
    credentials = credentials or {}
    email = bounded_email(credentials.get("username", ""))
    if credentials.get("step") == "two-factor":
        record(
            action=Action.SIGN_IN_FAILED,
            request=request,
            changes={"email": email, "step": "two-factor"},
        )
        return
    repeats = _repeats_to_record(client_address(request), email.lower())
    if repeats is None:
        return
    changes = {"email": email, "step": "password"}
    if repeats:
        changes["repeats"] = repeats
    record(action=Action.SIGN_IN_FAILED, request=request, changes=changes)


def _repeats_to_record(address: str, email: str) -> int | None:
    """None when this failure is only counted; else the count the entry written now carries
    (0: none since the last one)."""
    now = timezone.now()
    for _ in range(2):  # a second try when another request created the row meanwhile
        try:
            with transaction.atomic():
                row = (
                    FailedSignIn.objects.select_for_update()
                    .filter(address=address, email=email)
                    .first()
                )
                if row is None:
                    FailedSignIn.objects.create(address=address, email=email, recorded_at=now)
                    return 0
                if now - row.recorded_at < WINDOW:
                    row.repeats += 1
                    row.save(update_fields=["repeats"])
                    return None
                repeats = row.repeats
                row.recorded_at, row.repeats = now, 0
                row.save(update_fields=["recorded_at", "repeats"])
                return repeats
        except IntegrityError:
            continue
    return 0
