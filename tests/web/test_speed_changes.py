"""Behaviour kept by the speed work of issue 13 (bench/bench_web.py measures the speed itself;
no test here is timed): the benchmark's Server-Timing header, sessions, the audit write path."""

from __future__ import annotations

import pytest
from django.test import Client

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
