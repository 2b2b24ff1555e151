"""Behaviour kept by the speed work of issue 13 (bench/bench_web.py measures the speed itself;
no test here is timed): the benchmark's Server-Timing header, sessions, the audit write path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.middleware import device_from_persistent_id
from saferhub.accounts.models import User
from saferhub.accounts.sessions import SessionStore

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_no_server_timing_header_unless_turned_on(signed_in):
    client, _ = signed_in("analyst")
    response = client.get("/")
    assert response.status_code == 200
    assert "Server-Timing" not in response


def test_server_timing_reports_time_cpu_and_the_queries_of_the_view(settings, make_user):
    settings.SERVER_TIMING = True
    client = Client()  # a fresh handler: middleware is loaded with the setting on
    sign_in(client, make_user("analyst"))
    response = client.get("/")
    assert response.status_code == 200
    metrics = dict(
        (part.split(";")[0].strip(), part) for part in response["Server-Timing"].split(",")
    )
    assert set(metrics) == {"app", "cpu", "db"}
    queries = int(metrics["db"].split('desc="')[1].rstrip('"'))
    assert queries >= 1  # the home page reads at least the session and the user
    assert float(metrics["app"].split("dur=")[1]) > 0


# Sessions: renewed in the database at most once a minute (accounts.sessions).


def _row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_views_within_a_minute_of_the_last_renewal_write_no_session_row(signed_in, frozen_clock):
    client, _ = signed_in("analyst")
    renewed = _row(client).expire_date
    frozen_clock.shift(timedelta(seconds=20))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert _row(client).expire_date == renewed
    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]


def test_a_view_more_than_a_minute_after_the_last_renewal_renews_the_session(
    signed_in, frozen_clock
):
    client, _ = signed_in("analyst")
    renewed = _row(client).expire_date
    frozen_clock.shift(timedelta(seconds=90))
    assert client.get("/").status_code == 200
    assert _row(client).expire_date - renewed >= timedelta(seconds=90)
    assert _row(client).expire_date > timezone.now() + timedelta(minutes=29)


def test_a_session_used_now_and_then_lasts_and_an_idle_one_ends(signed_in, frozen_clock):
    client, _ = signed_in("analyst")
    for _ in range(3):  # a view every 20 minutes keeps it: each one renews the row
        frozen_clock.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 200
    frozen_clock.shift(timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )


def test_a_deleted_session_ends_at_once_even_just_after_a_view(signed_in):
    client, _ = signed_in("analyst")
    assert client.get("/").status_code == 200
    Session.objects.all().delete()  # revoked: signed out elsewhere, or by the site
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )


def test_a_change_to_the_session_is_written_within_the_minute(signed_in):
    client, _ = signed_in("analyst")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(session_key=key)
    session["seen"] = "yes"
    session.save()
    assert SessionStore(session_key=key)["seen"] == "yes"
    assert session.renewed_recently()


def test_an_unknown_or_forged_session_key_is_signed_out_and_stored_nowhere(client, db):
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session-key-of-this-site"
    response = client.get("/")
    assert response.status_code == 302
    assert not Session.objects.exists()
    assert SessionStore(session_key="no-such-key").renewed_recently() is False


# The signed-in user comes with their agency (accounts.backends).


def test_the_headers_agency_name_needs_no_query_of_its_own(signed_in):
    client, user = signed_in("analyst")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert f"({user.agency.name})" in response.content.decode()
    assert not [q for q in queries if q["sql"].startswith('SELECT "accounts_agency"')]


def test_a_deactivated_users_open_session_ends(signed_in):
    client, user = signed_in("analyst")
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )


# The session's authenticator, read by primary key on every request (accounts.middleware).


def test_the_sessions_device_is_found_by_its_persistent_id(make_user):
    user = make_user("analyst")
    device = TOTPDevice.objects.get(user=user)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    assert device_from_persistent_id(device.persistent_id) == device
    assert device_from_persistent_id(recovery.persistent_id) == recovery


@pytest.mark.parametrize(
    "persistent_id",
    [
        "",
        "nonsense",
        "otp_totp.totpdevice/",
        "otp_totp.totpdevice/abc",
        "otp_totp.totpdevice/999999",  # deleted, e.g. by an admin's two-factor reset
        "no_such_app.device/1",
        "accounts.user/1",  # a model, but not a device
        "otp_totp/1",
    ],
)
def test_anything_else_names_no_device(persistent_id, make_user):
    make_user("analyst")
    assert device_from_persistent_id(persistent_id) is None
