"""Passwords an admin sets, email addresses that differ only in case, resets without email,
and failed sign-ins an anonymous caller can repeat (issue 12)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEntry
from tests.web.conftest import code_for

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

NEW_USER = {
    "full_name": "New Person",
    "email": "new@northbrook.example",
    "role": "practitioner",
    "is_active": "on",
}


def add_user(client, agency, **fields):
    return client.post(reverse("accounts:user-add"), {**NEW_USER, "agency": agency.pk, **fields})


@pytest.mark.parametrize(
    "password", ["password1234", "aaaaaaaaaaaa", "abcabcabcabc", "short", "new@northbrook.example"]
)
def test_the_user_form_refuses_weak_passwords(signed_in, agency, password):
    client, _ = signed_in("admin")
    response = add_user(client, agency, password=password)
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="new@northbrook.example").exists()


def test_the_user_form_refuses_a_password_like_the_persons_name(signed_in, agency):
    client, _ = signed_in("admin")
    response = add_user(client, agency, full_name="Margaret Thistlewood", password="thistlewood1")
    assert "password" in response.context["form"].errors


def test_an_email_in_other_capitals_is_refused_with_a_message(signed_in, agency, make_user):
    client, _ = signed_in("admin")
    make_user("analyst", email="analyst@x.example")
    response = add_user(client, agency, email="Analyst@X.example", password="a long temporary pass")
    assert response.status_code == 200
    (message,) = response.context["form"].errors["email"]
    assert "already has this email address" in message
    assert User.objects.filter(email__iexact="analyst@x.example").count() == 1


def test_the_form_stores_the_email_in_lower_case(signed_in, agency):
    client, _ = signed_in("admin")
    add_user(client, agency, email="New@Northbrook.example", password="a long temporary pass")
    assert User.objects.filter(email="new@northbrook.example").exists()


def test_the_database_refuses_two_addresses_differing_only_in_case(make_user, agency):
    make_user("analyst", email="analyst@x.example")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create(
            [User(email="ANALYST@x.example", full_name="B", agency=agency, role="board")]
        )


def first_sign_in(client, email, password):
    response = client.post(reverse("accounts:sign-in"), {"username": email, "password": password})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user__email=email)
    device.confirmed = True  # enrolled: the code is all this test needs
    device.save()
    return client.post(reverse("accounts:two-factor"), {"token": code_for(device)})


def test_an_account_an_admin_created_chooses_its_own_password_at_first_sign_in(signed_in, agency):
    admin_client, _ = signed_in("admin")
    add_user(admin_client, agency, password="a long temporary pass")
    user = User.objects.get(email="new@northbrook.example")
    assert user.must_change_password
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    client = Client()
    response = first_sign_in(client, user.email, "a long temporary pass")
    assert response["Location"] == reverse("accounts:new-password")
    # Every other page sends them back until they have chosen.
    assert client.get(reverse("plans:mine"))["Location"] == reverse("accounts:new-password")
    page = client.get(reverse("accounts:new-password"))
    assert b"Choose a new password" in page.content

    same = "a long temporary pass"
    refused = client.post(
        reverse("accounts:new-password"), {"new_password1": same, "new_password2": same}
    )
    assert refused.status_code == 200 and b"not the temporary one" in refused.content
    weak = client.post(
        reverse("accounts:new-password"),
        {"new_password1": "password1234", "new_password2": "password1234"},
    )
    assert weak.status_code == 200

    chosen = "my own much better phrase"
    done = client.post(
        reverse("accounts:new-password"), {"new_password1": chosen, "new_password2": chosen}
    )
    assert done.status_code == 302 and done["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password(chosen) and not user.must_change_password
    assert client.get(reverse("home")).status_code == 200  # still signed in
    entry = AuditEntry.objects.filter(action="update", object_type="accounts.User").latest("id")
    assert (entry.action, entry.actor, entry.object_id) == ("update", user, str(user.pk))
    assert entry.changes["password"] == "changed" and chosen not in str(entry.changes)


def test_an_admin_setting_a_new_password_requires_a_change_again(signed_in, make_user):
    client, _ = signed_in("admin")
    other = make_user("board")
    assert not other.must_change_password
    response = client.post(
        reverse("accounts:user-edit", args=[other.pk]),
        {
            "full_name": other.full_name,
            "email": other.email,
            "agency": other.agency_id,
            "role": "board",
            "is_active": "on",
            "password": "another temporary pass",
        },
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.must_change_password


def test_without_an_email_backend_no_reset_link_is_made(client, make_user, settings, mailoutbox):
    settings.PASSWORD_RESET_BY_EMAIL = False
    user = make_user("analyst")
    page = client.get(reverse("accounts:password-reset"))
    assert b"Password resets are not set up here" in page.content
    response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 200 and b"not set up here" in response.content
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(action="password_reset_requested").exists()


def test_the_settings_need_a_real_backend_outside_the_demo():
    """A fresh process: no SAFERHUB_EMAIL_BACKEND, not DEBUG, not a demo site."""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")},
            "SAFERHUB_STORE": f"{folder}/evidence.duckdb",
            "DJANGO_SETTINGS_MODULE": "saferhub.web.settings",
        }
        code = (
            "from django.conf import settings as s; "
            "print(s.PASSWORD_RESET_BY_EMAIL, s.EMAIL_BACKEND.rsplit('.', 2)[-2])"
        )

        def run(**extra):
            result = subprocess.run(
                [sys.executable, "-c", code],
                env={**env, **extra},
                capture_output=True,
                text=True,
                check=True,
            )
            return result.stdout.split()

        assert run() == ["False", "dummy"]
        assert run(SAFERHUB_DEBUG="1") == ["True", "filebased"]
        assert run(SAFERHUB_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend") == [
            "True",
            "smtp",
        ]
        open(f"{folder}/demo-site", "w").close()
        assert run() == ["True", "filebased"]


def fail(client, email, address="203.0.113.9"):
    client.post(
        reverse("accounts:sign-in"),
        {"username": email, "password": "wrong"},
        REMOTE_ADDR=address,
    )


def failures():
    return list(
        AuditEntry.objects.filter(action="sign_in_failed")
        .order_by("id")
        .values_list("changes", flat=True)
    )


def test_a_failed_sign_in_keeps_a_bounded_email_without_controls(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.signals import user_login_failed

    request = rf.post("/accounts/sign-in/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    typed = "x\r\n" + "a" * 400 + "\x00\x1b[31m@example.com"
    user_login_failed.send(sender=__name__, credentials={"username": typed}, request=request)
    (changes,) = failures()
    assert len(changes["email"]) == 254 and changes["email"].startswith("xaaa")
    assert not any(ord(c) < 32 or ord(c) == 127 for c in changes["email"])


def test_repeated_failures_are_one_entry_a_minute_with_the_count(client, frozen_clock):
    for _ in range(30):
        fail(client, "someone@example.com")
    assert failures() == [{"email": "someone@example.com", "step": "password"}]
    fail(client, "other@example.com")  # another email is another pair
    fail(client, "someone@example.com", address="198.51.100.7")  # and another address
    assert len(failures()) == 3
    frozen_clock.shift(timedelta(seconds=61))
    fail(client, "someone@example.com")
    assert failures()[-1] == {"email": "someone@example.com", "step": "password", "repeats": 29}
    frozen_clock.shift(timedelta(seconds=61))
    fail(client, "someone@example.com")
    assert failures()[-1] == {"email": "someone@example.com", "step": "password"}


def test_the_lockout_still_counts_every_attempt(client, make_user):
    user = make_user("analyst")
    for _ in range(5):
        fail(client, user.email, address="127.0.0.1")
    assert len(failures()) == 1
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 5
    from tests.web.conftest import PASSWORD

    locked = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert locked.status_code == 429
