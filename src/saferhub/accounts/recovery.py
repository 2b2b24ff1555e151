"""Recovery codes: ten one-use codes that stand in for the authenticator app.

The database keeps only a keyed digest of each code (HMAC-SHA-256 with the site's secret key,
and the user's id, so one code's digest says nothing about another user's), never the code: a
copy of the database alone cannot be used to sign in as anyone. The codes are shown once, at
enrolment. Changing `SAFERHUB_SECRET_KEY` makes the stored codes useless, as it ends every
session: a user then signs in with the app, or an admin resets their two-factor sign-in.
"""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

COUNT = 10
DEVICE_NAME = "Recovery codes"
DIGEST_LENGTH = 16  # the token column's width; a code as django-otp makes it has 8 characters
_SALT = "saferhub.accounts.recovery-code"


def digest(user_id: int, code: str) -> str:
    """What is stored for `code` (as typed: spaces, dashes and capitals removed first): 16
    characters, the token column's width: 80 bits of the HMAC in base32."""
    mac = salted_hmac(_SALT, f"{user_id}:{normalise(code)}", algorithm="sha256").digest()
    return base64.b32encode(mac).decode()[:DIGEST_LENGTH].lower()


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def new_codes(user) -> list[str]:
    """Replace the user's recovery codes with 10 new ones; the plain codes are returned to be
    shown once, and never again."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=digest(user.pk, c)) for c in codes
    )
    return codes


def use_code(user, code: str) -> StaticDevice | None:
    """The user's recovery device when `code` is one of their unused codes, which is then used
    up: one DELETE, so two requests with the same code cannot both succeed."""
    if not normalise(code):
        return None
    tokens = StaticToken.objects.filter(
        device__user=user, device__confirmed=True, token=digest(user.pk, code)
    )
    token = tokens.select_related("device").first()
    if token is None:
        return None
    deleted, _ = StaticToken.objects.filter(pk=token.pk).delete()
    return token.device if deleted else None
