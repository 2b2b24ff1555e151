"""Issue 13: the QR code at enrolment, recovery codes, an admin's reset of a user's two-factor
sign-in, and the GOV.UK-styled account forms."""

from __future__ import annotations

import re
from html import unescape

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts import recovery
from saferhub.accounts.views import qr_svg
from saferhub.audit.models import AuditEntry
from tests.web.conftest import PASSWORD, code_for, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

CODES = re.compile(r'<code class="recovery-code">(\w{4}) (\w{4})</code>')


def password_step(client, user) -> None:
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def enrol(client, user) -> tuple[list[str], object]:
    """First sign-in: password, the enrolment page, the first code. Returns the recovery
    codes shown and the response that showed them."""
    password_step(client, user)
    client.get(reverse("accounts:two-factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two-factor"), {"token": code_for(device)})
    assert response.status_code == 200
    return ["".join(pair) for pair in CODES.findall(response.content.decode())], response


def test_enrolment_page_shows_the_key_as_an_inline_svg_qr_code(client, make_user):
    user = make_user("analyst", enrolled=False)
    password_step(client, user)
    page = client.get(reverse("accounts:two-factor")).content.decode()
    device = TOTPDevice.objects.get(user=user)
    svg = re.search(r'<div class="govuk-!-margin-bottom-4" id="totp-qr">(.*?)</div>', page).group(1)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    # The QR code is segno's encoding of the set-up link the app reads, and the link is the one
    # the page shows.
    assert svg == qr_svg(device.config_url)
    assert unescape(re.search(r'<code id="totp-uri">(.*?)</code>', page).group(1)) == (
        device.config_url
    )
    assert segno.make(device.config_url, error="m").designator  # a QR code, not a micro one
    # Nothing the Content-Security-Policy would refuse: no script, no style attribute.
    assert "<script" not in svg and "style=" not in svg


def test_recovery_codes_are_shown_once_after_the_first_code(client, make_user, frozen_clock):
    user = make_user("analyst", enrolled=False)
    codes, response = enrol(client, user)
    assert b"Your recovery codes" in response.content
    assert len(codes) == 10 and len(set(codes)) == 10
    # Only keyed digests are kept: no code is in the database as it was shown.
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == {recovery.digest(user.pk, code) for code in codes}
    assert not stored & set(codes)
    assert f'href="{reverse("home")}"'.encode() in response.content
    # Signed in; no page shows the codes or the key again.
    for url in (reverse("home"), reverse("accounts:two-factor")):
        page = client.get(url, follow=True).content.decode()
        assert not any(code[:4] in page and code[4:] in page for code in codes)
        assert 'id="totp-secret"' not in page and "Your recovery codes" not in page
    # Nor the next sign-in.
    client.post(reverse("accounts:sign-out"))
    password_step(client, user)
    page = client.get(reverse("accounts:two-factor")).content.decode()
    assert "Enter your code" in page and 'id="totp-secret"' not in page
    assert 'id="totp-qr"' not in page
    frozen_clock.shift(60)  # the app's next code: a code is accepted once
    response = client.post(
        reverse("accounts:two-factor"), {"token": code_for(TOTPDevice.objects.get(user=user))}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_an_account_with_an_admin_set_password_goes_on_to_choose_one(client, make_user):
    user = make_user("analyst", enrolled=False, must_change_password=True)
    _, response = enrol(client, user)
    assert f'href="{reverse("accounts:new-password")}"'.encode() in response.content


def test_a_recovery_code_signs_in_once_and_never_again(client, make_user):
    user = make_user("analyst", enrolled=False)
    codes, _ = enrol(client, user)
    client.post(reverse("accounts:sign-out"))
    password_step(client, user)
    # As shown, with its space and in capitals.
    typed = f"{codes[3][:4].upper()} {codes[3][4:]}"
    response = client.post(reverse("accounts:two-factor"), {"recovery_code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    entry = AuditEntry.objects.filter(action="sign_in").order_by("-id").first()
    assert entry.changes == {"step": "recovery code"} and entry.actor == user
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert not StaticToken.objects.filter(token=recovery.digest(user.pk, codes[3])).exists()

    client.post(reverse("accounts:sign-out"))
    password_step(client, user)
    response = client.post(reverse("accounts:two-factor"), {"recovery_code": codes[3]})
    assert response.status_code == 200
    assert b"That recovery code is not right or was used" in response.content
    assert b"There is a problem" in response.content
    assert client.get(reverse("home")).status_code == 302
    failed = AuditEntry.objects.filter(action="sign_in_failed").order_by("-id").first()
    assert failed.changes == {"email": user.email, "step": "two-factor"}
    assert codes[3] not in str(failed.changes)


def test_wrong_recovery_codes_count_towards_the_lockout(client, make_user):
    user = make_user("analyst")
    password_step(client, user)
    for _ in range(4):
        response = client.post(reverse("accounts:two-factor"), {"recovery_code": "aaaabbbb"})
        assert response.status_code == 200
    response = client.post(reverse("accounts:two-factor"), {"token": "000000"})
    assert response.status_code == 429 and b"Too many attempts" in response.content
    assert AuditEntry.objects.filter(action="sign_in_failed").count() == 5
    # The half-signed-in session ended.
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_of_another_user_does_not_work(client, make_user):
    other = make_user("board", enrolled=False)
    codes, _ = enrol(client, other)
    client.post(reverse("accounts:sign-out"))
    user = make_user("analyst")
    StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    password_step(client, user)
    response = client.post(reverse("accounts:two-factor"), {"recovery_code": codes[0]})
    assert response.status_code == 200 and b"not right" in response.content
    assert StaticToken.objects.filter(token=recovery.digest(other.pk, codes[0])).exists()


def test_admin_resets_a_users_two_factor_sign_in(client, make_user):
    person = make_user("analyst", enrolled=False)
    codes, _ = enrol(client, person)
    client.post(reverse("accounts:sign-out"))
    admin = make_user("admin")
    sign_in(client, admin)
    edit = client.get(reverse("accounts:user-edit", args=[person.pk])).content.decode()
    url = reverse("accounts:user-edit", args=[person.pk])
    assert f'action="{url}"' in edit and "10 recovery codes left" in edit
    assert 'name="two_factor" value="reset"' in edit
    # The button asks first: nothing changes until the confirmation.
    confirm = client.post(url, {"two_factor": "reset"})
    assert confirm.status_code == 200 and b'name="confirm" value="yes"' in confirm.content
    assert TOTPDevice.objects.filter(user=person).exists()
    response = client.post(url, {"two_factor": "reset", "confirm": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.object_id, entry.actor) == (
        "update",
        "accounts.User",
        str(person.pk),
        admin,
    )
    assert entry.changes == {"two_factor": "reset"}
    edit = client.get(reverse("accounts:user-edit", args=[person.pk])).content.decode()
    assert "has not set up an authenticator app yet" in edit
    assert 'name="two_factor"' not in edit

    # The user enrols again at the next sign-in; an old recovery code no longer works.
    client.post(reverse("accounts:sign-out"))
    password_step(client, person)
    page = client.get(reverse("accounts:two-factor")).content
    assert b"Set up your authenticator app" in page and b'id="totp-qr"' in page
    response = client.post(reverse("accounts:two-factor"), {"recovery_code": codes[1]})
    assert b"Set up your authenticator app" in response.content
    assert client.get(reverse("home")).status_code == 302
    new_codes, _ = enrol(client, person)
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)


def test_a_signed_in_users_session_asks_for_a_code_again_after_a_reset(
    client, make_user, signed_in
):
    client, _ = signed_in("admin")
    person = make_user("analyst")

    theirs = Client()
    sign_in(theirs, person)
    assert theirs.get(reverse("home")).status_code == 200
    client.post(
        reverse("accounts:user-edit", args=[person.pk]), {"two_factor": "reset", "confirm": "yes"}
    )
    response = theirs.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two-factor")


@pytest.mark.parametrize("role", ["analyst", "coordinator", "practitioner", "board"])
def test_only_admins_reset_two_factor_sign_in(signed_in, make_user, role):
    client, _ = signed_in(role)
    person = make_user("admin", email="victim@northbrook.example")
    url = reverse("accounts:user-edit", args=[person.pk])
    assert client.post(url, {"two_factor": "reset"}).status_code == 403
    assert client.post(url, {"two_factor": "reset", "confirm": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not AuditEntry.objects.filter(changes__two_factor="reset").exists()


def test_reset_needs_a_signed_in_admin(client, make_user):
    person = make_user("analyst")
    response = client.post(
        reverse("accounts:user-edit", args=[person.pk]), {"two_factor": "reset", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=person).exists()


def test_user_and_agency_forms_have_plain_labels_and_no_dashes(signed_in):
    client, _ = signed_in("admin")
    user_form = client.get(reverse("accounts:user-add")).content.decode()
    agency_form = client.get(reverse("accounts:agency-add")).content.decode()
    for page in (user_form, agency_form):
        assert "---------" not in page
        assert "There is a problem" not in page
    for text in (
        ">Full name<",
        ">Email address<",
        ">Data protection officer<",
        ">Active<",
        "Choose an agency",
        "Choose a role",
        'class="govuk-select"',
        "govuk-checkboxes__input",
        'aria-describedby="id_password-hint"',
    ):
        assert text in user_form, text
    assert "Is data protection officer" not in user_form
    assert "Choose a type" in agency_form and 'class="govuk-input"' in agency_form


def test_bad_input_shows_the_error_summary(signed_in):
    client, _ = signed_in("admin")
    response = client.post(
        reverse("accounts:user-add"),
        {"full_name": "", "email": "not an email", "password": "short"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert '<a href="#id_full_name">' in page and '<a href="#id_agency">' in page
    assert "Choose the agency the person works for" in page
    assert "govuk-input--error" in page and "govuk-form-group--error" in page
    assert "<title>Error:" in page
    response = client.post(reverse("accounts:agency-add"), {"name": "", "type": ""})
    page = response.content.decode()
    assert "There is a problem" in page and "Choose the type of agency" in page
    assert "Enter the agency&#x27;s name" in page


def test_a_recovery_digest_is_the_users_own_and_ignores_spaces_and_capitals(make_user):
    first, second = make_user("analyst"), make_user("board")
    assert recovery.digest(first.pk, "abcd efgh") == recovery.digest(first.pk, "ABCD-EFGH")
    assert recovery.digest(first.pk, "abcdefgh") != recovery.digest(second.pk, "abcdefgh")
    assert len(recovery.digest(first.pk, "abcdefgh")) == recovery.DIGEST_LENGTH


def test_codes_kept_in_plain_before_are_turned_into_digests_and_still_work(make_user):
    from importlib import import_module

    from django.apps import apps

    user = make_user("analyst")
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=device, token="hhhh2345")
    migration = import_module("saferhub.accounts.migrations.0003_recovery_codes_as_digests")
    migration.to_digests(apps, None)
    migration.to_digests(apps, None)  # a second run leaves digests as they are
    assert list(StaticToken.objects.values_list("token", flat=True)) == [
        recovery.digest(user.pk, "hhhh2345")
    ]
    assert recovery.use_code(user, "HHHH 2345") == device
    assert recovery.use_code(user, "hhhh2345") is None
