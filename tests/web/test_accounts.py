from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.models import Agency
from saferhub.audit.models import AuditEntry
from tests.web.conftest import PASSWORD, code_for, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_password_alone_does_not_open_the_site(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two-factor")


def test_wrong_code_is_refused(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    response = client.post(reverse("accounts:two-factor"), {"token": "000000"})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get(reverse("home")).status_code == 302


def test_first_sign_in_enrols_an_authenticator(client, make_user):
    user = make_user("board", enrolled=False)
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    page = client.get(reverse("accounts:two-factor"))
    assert b"Set up your authenticator app" in page.content and b"totp-secret" in page.content
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    client.post(reverse("accounts:two-factor"), {"token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_and_failures_are_audited(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": "wrong"})
    sign_in(client, user)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    # The password step and the second factor are separate events: "signed in" means both.
    assert actions == ["sign_in_failed", "password_accepted", "sign_in"]


def test_lockout_after_five_failures(client, make_user):
    user = make_user("analyst")
    for _ in range(5):
        client.post(reverse("accounts:sign-in"), {"username": user.email, "password": "nope"})
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_admin_adds_an_agency_and_the_change_is_audited(signed_in):
    client, admin = signed_in("admin")
    response = client.post(
        reverse("accounts:agency-add"), {"name": "Northbrook Council", "type": "council"}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northbrook Council")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "accounts.Agency",
        str(agency.pk),
    )
    assert entry.changes == {"name": "Northbrook Council", "type": "council"}
    assert entry.actor == admin


def test_admin_creates_a_user_with_a_hashed_password(signed_in, agency):
    client, _ = signed_in("admin")
    response = client.post(
        reverse("accounts:user-add"),
        {
            "full_name": "New Person",
            "email": "new@northbrook.example",
            "agency": agency.pk,
            "role": "practitioner",
            "is_active": "on",
            "password": "a long temporary pass",
        },
    )
    assert response.status_code == 302
    from saferhub.accounts.models import User

    user = User.objects.get(email="new@northbrook.example")
    assert user.password.startswith("argon2")
    assert AuditEntry.objects.order_by("-id").first().changes["password"] == "changed"


def test_security_headers_and_session_settings(client, settings):
    response = client.get(reverse("accounts:sign-in"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY


def test_password_reset_sends_a_working_link(client, make_user, mailoutbox):
    import re

    user = make_user("analyst")
    response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 302
    (mail,) = mailoutbox
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    new = "a brand new long password"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new, "new_password2": new},
    )
    user.refresh_from_db()
    assert user.check_password(new)
    requested, reset = AuditEntry.objects.filter(action__startswith="password_reset").order_by("id")
    assert (requested.action, requested.changes) == (
        "password_reset_requested",
        {"email": user.email},
    )
    assert (reset.action, reset.actor) == ("password_reset", user)
    assert new not in str(reset.changes)


def test_a_reset_request_for_an_unknown_address_is_recorded_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.invalid"})
    assert response.status_code == 302 and mailoutbox == []
    entry = AuditEntry.objects.get(action="password_reset_requested")
    assert entry.changes == {"email": "nobody@example.invalid"} and entry.actor is None


def test_the_session_key_changes_when_the_second_factor_is_accepted(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    half = client.session.session_key
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two-factor"), {"token": code_for(device)})
    assert client.session.session_key != half
    assert client.get(reverse("home")).status_code == 200


def test_opening_a_users_details_is_audited(signed_in, make_user):
    client, _ = signed_in("admin")
    other = make_user("board")
    assert client.get(reverse("accounts:user-edit", args=[other.pk])).status_code == 200
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "view",
        "accounts.User",
        str(other.pk),
    )


def test_signed_in_pages_are_never_cached_but_static_files_may_be(signed_in):
    client, _ = signed_in("analyst")
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"
    assert client.get(reverse("indicators:dashboard"))["Cache-Control"] == "no-store"


def test_django_admin_is_not_part_of_the_site(signed_in):
    client, admin = signed_in("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/otp_totp/totpdevice/").status_code == 404


def test_reading_the_user_list_is_audited(signed_in):
    client, admin = signed_in("admin")
    client.get(reverse("accounts:users"))
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.actor) == ("view", "accounts.User", admin)


def test_a_wrong_code_is_an_audited_failed_sign_in(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:two-factor"), {"token": "000000"})
    failed = AuditEntry.objects.get(action="sign_in_failed")
    assert failed.actor == user
    assert failed.changes == {"email": user.email, "step": "two-factor"}
    assert "000000" not in str(failed.changes)  # the code tried is never kept


def test_repeated_wrong_codes_lock_the_account_like_wrong_passwords(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    for _ in range(4):
        assert client.post(reverse("accounts:two-factor"), {"token": "000000"}).status_code == 200
    fifth = client.post(reverse("accounts:two-factor"), {"token": "000000"})
    assert fifth.status_code == 429 and b"Too many attempts" in fifth.content
    # The half-signed-in session has ended, and the right password no longer opens it.
    assert client.get(reverse("accounts:two-factor")).status_code == 302
    again = client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    assert again.status_code == 429
    steps = AuditEntry.objects.filter(action="sign_in_failed").values_list("changes", flat=True)
    # Five wrong codes, then the refused password attempt while locked.
    assert [c["step"] for c in steps.order_by("id")] == ["two-factor"] * 5 + ["password"]


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", "/\\evil"]
)
def test_after_two_factor_only_local_paths_are_followed(client, make_user, target):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=user)
    url = reverse("accounts:two-factor") + "?" + urlencode({"next": target})
    response = client.post(url, {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_after_two_factor_a_local_path_is_followed(client, make_user):
    user = make_user("analyst")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=user)
    url = reverse("accounts:two-factor") + "?" + urlencode({"next": "/indicators/"})
    response = client.post(url, {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/indicators/"


def test_the_case_of_the_email_neither_blocks_sign_in_nor_resets_the_lockout(client, make_user):
    user = make_user("analyst")  # analyst@northbrook.example
    shouted = user.email.upper()
    response = client.post(reverse("accounts:sign-in"), {"username": shouted, "password": PASSWORD})
    assert response.status_code == 302  # the same account
    client.logout()
    for attempt in range(5):
        email = shouted if attempt % 2 else user.email.capitalize()
        client.post(reverse("accounts:sign-in"), {"username": email, "password": "nope"})
    locked = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert locked.status_code == 429  # five failures under three spellings count as one
