"""The two-factor state of each request, checked against the database every time."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django_otp import middleware
from django_otp.models import Device


def device_from_persistent_id(persistent_id: str) -> Device | None:
    """The device a session names ("otp_totp.totpdevice/12"), or None if it is gone (an
    admin's two-factor reset deletes it) or the name is not a device's. One query by primary
    key: django_otp's own `.first()` adds an ORDER BY that costs more to build than the
    query takes to run."""
    try:
        label, pk = persistent_id.rsplit("/", 1)
        model = apps.get_model(*label.split("."))
        if not issubclass(model, Device):
            return None
        return model.objects.get(pk=int(pk))
    except (ValueError, TypeError, LookupError, ObjectDoesNotExist):
        return None


class OTPMiddleware(middleware.OTPMiddleware):
    """django_otp's middleware (`request.user.is_verified()`), with the cheaper lookup: the
    device is still read on every request, so a reset takes effect at once on every worker."""

    def _device_from_persistent_id(self, persistent_id: str):
        return device_from_persistent_id(self._normalize_persistent_id(persistent_id))
