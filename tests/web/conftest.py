"""Users of every role with a confirmed authenticator, and a real two-step sign-in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.models import Agency, AgencyType, Role, User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Site tests run on tests.conftest.NOW, whatever the machine's date: sessions, lockouts,
    the audit log's dates and the demo plan's quarter are then the same on any day."""


@pytest.fixture(autouse=True)
def _email_is_set_up(settings):
    """The tests' mail goes to pytest-django's outbox, as a configured email backend's would:
    password resets are on (tests of a site without email turn them off)."""
    settings.PASSWORD_RESET_BY_EMAIL = True


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="Northbrook Police", type=AgencyType.POLICE)


@pytest.fixture
def make_user(agency):
    def make(role: str, *, enrolled: bool = True, email: str | None = None, **extra) -> User:
        user = User.objects.create_user(
            email or f"{role}@northbrook.example",
            PASSWORD,
            full_name=f"A {role}",
            agency=agency,
            role=role,
            **extra,
        )
        if enrolled:
            TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        return user

    return make


def sign_in(client, user: User) -> None:
    """Sign in the way a person does: password, then the authenticator's code."""
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two-factor"), {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.fixture
def signed_in(client, make_user):
    def as_role(role: str, **extra):
        user = make_user(role, **extra)
        sign_in(client, user)
        return client, user

    return as_role


ROLES = [r.value for r in Role]
