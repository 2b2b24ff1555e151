# ruff: noqa: F811  (the fixtures imported below are test arguments)
"""The frame around every page (issue 13): service navigation by role, styled error pages,
and a home page per role built from the same objects the reports use."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from saferhub.accounts.models import Agency
from saferhub.audit.models import AuditEntry
from saferhub.evidence import Store
from saferhub.evidence.periods import month_index
from saferhub.indicators import services as indicator_services
from saferhub.indicators.periods import period_span
from saferhub.plans import board, convert
from saferhub.web import urls as site_urls
from tests.conftest import NOW
from tests.indicators.conftest import council, idva  # noqa: F401  (fixtures)
from tests.plans.conftest import other_lead, police, stored_plan  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

TODAY = NOW.date()


def _boom(request):
    raise RuntimeError("a failure quoting what somebody typed: secret-user-text")


def _forbidden(request):
    raise PermissionDenied


# This module is also a URLconf (see pytest.mark.urls below): the site's pages, a page that
# fails, and the site's 500 handler.
urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def nav(page) -> list[str]:
    return [item.label for item in page.context["navigation"]]


def current(page) -> list[str]:
    return [item.label for item in page.context["navigation"] if item.current]


EVERYONE = ["Home", "Delivery plan", "Indicators"]
READERS = ["Home", "Evidence", "Delivery plan", "Indicators"]


@pytest.mark.parametrize(
    ("role", "extra", "expected"),
    [
        (
            "admin",
            {},
            ["Home", "Casework", *READERS[1:], "Partnership", "Agencies", "Users", "Audit"],
        ),
        ("analyst", {}, READERS),
        ("coordinator", {}, READERS),
        ("board", {}, READERS),
        ("practitioner", {}, ["Home", "Casework", *EVERYONE[1:]]),
        (
            "practitioner",
            {"is_data_protection_officer": True},
            ["Home", "Casework", *EVERYONE[1:], "Audit"],
        ),
    ],
)
def test_navigation_shows_only_what_the_role_may_open(signed_in, role, extra, expected):
    client, _ = signed_in(role, **extra)
    page = client.get(reverse("home"))
    assert nav(page) == expected
    html = page.content.decode()
    assert html.count('class="govuk-service-navigation__link"') == len(expected)
    for label, name in [("Agencies", "accounts:agencies"), ("Audit", "audit:list")]:
        assert (f'href="{reverse(name)}"' in html.split("</header>")[1].split("</section>")[0]) == (
            label in expected
        )


def test_the_current_section_is_marked(signed_in):
    client, _ = signed_in("admin")
    assert current(client.get(reverse("home"))) == ["Home"]
    page = client.get(reverse("accounts:users"))
    assert current(page) == ["Users"]
    assert 'aria-current="page"' in page.content.decode()
    assert current(client.get(reverse("accounts:user-add"))) == ["Users"]
    assert current(client.get(reverse("plans:list"))) == ["Delivery plan"]


def test_signed_in_user_and_sign_out_are_in_the_header(signed_in):
    client, user = signed_in("analyst")
    header = client.get(reverse("home")).content.decode().split("</header>")[0]
    assert user.full_name in header and "Sign out" in header


def test_no_navigation_before_sign_in_and_no_inline_script(client):
    page = client.get(reverse("accounts:sign-in"))
    html = page.content.decode()
    assert "govuk-service-navigation" not in html
    assert "<script" not in html and "style=" not in html
    assert 'rel="icon"' in html and "saferhub/saferhub.css" in html


def test_404_is_styled_with_a_way_home(signed_in):
    client, _ = signed_in("analyst")
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Page not found" in html and f'href="{reverse("home")}"' in html
    assert nav(page) == ["Home", "Evidence", "Delivery plan", "Indicators"]


def test_403_is_styled_with_a_way_home(signed_in):
    client, _ = signed_in("practitioner")
    page = client.get(reverse("evidence"))
    assert page.status_code == 403
    html = page.content.decode()
    assert "You cannot open this page" in html and 'id="back-home"' in html
    assert nav(page) == ["Home", "Casework", *EVERYONE[1:]]


@pytest.mark.urls("tests.web.test_frame")
def test_500_has_a_reference_that_is_also_logged(signed_in, caplog):
    client, _ = signed_in("analyst")
    client.raise_request_exception = False
    logger = logging.getLogger("saferhub")
    logger.addHandler(caplog.handler)
    try:
        page = client.get("/boom/")
    finally:
        logger.removeHandler(caplog.handler)
    assert page.status_code == 500
    html = page.content.decode()
    assert "Sorry, there is a problem with the service" in html and 'id="back-home"' in html
    reference = html.split('id="error-reference">')[1].split("<")[0]
    assert len(reference) == 8
    ours = [r for r in caplog.records if r.name.startswith("saferhub")]
    assert len(ours) == 1 and reference in ours[0].getMessage()
    assert "secret-user-text" not in ours[0].getMessage()
    assert "secret-user-text" not in html


def test_500_renders_without_the_database_or_a_request():
    from django.db import connection

    from saferhub.web.views import server_error

    with connection.execute_wrapper(lambda *args: pytest.fail("the 500 page read the database")):
        response = server_error(None)
    assert response.status_code == 500 and b"error-reference" in response.content


def test_a_form_without_its_csrf_token_gets_the_site_page(make_user):
    client = Client(enforce_csrf_checks=True)
    page = client.post(reverse("accounts:sign-in"), {"username": "x", "password": "y"})
    assert page.status_code == 403
    html = page.content.decode()
    assert "The form could not be sent" in html and f'href="{reverse("home")}"' in html


# Home pages per role -------------------------------------------------------------------


@pytest.fixture
def evidence_store(tmp_path, monkeypatch):
    """Offences to June 2026 (five months before TODAY: stale) and incidents to September
    2026 (two months: not stale)."""
    path = tmp_path / "evidence.duckdb"
    with Store(path) as store:
        store.con.execute(
            "insert into offences values (1, 'mps', 'borough', 'E09000001', 'Alderby', null, "
            "null, date '2026-05-01', 'Burglary', 'Residential', 4), (1, 'mps', 'borough', "
            "'E09000001', 'Alderby', null, null, date '2026-06-01', 'Burglary', 'Residential', 3)"
        )
        store.con.execute(
            "insert into incidents (ingest_id, source, month, crime_type) values "
            "(2, 'police.uk', date '2026-09-01', 'Burglary')"
        )
    monkeypatch.setenv("SAFERHUB_STORE", str(path))
    return path


def test_analyst_home_shows_the_latest_month_per_source_and_warns_when_stale(
    signed_in, evidence_store
):
    client, _ = signed_in("analyst")
    page = client.get(reverse("home"))
    months = {(m.table, m.source): (m.latest, m.stale) for m in page.context["evidence"]["months"]}
    assert months == {
        ("offences", "mps"): (date(2026, 6, 1), True),
        ("incidents", "police.uk"): (date(2026, 9, 1), False),
    }
    html = page.content.decode()
    assert "stale-evidence" in html and "mps offences (to June 2026)" in html
    assert "police.uk incidents (to" not in html and "September 2026" in html
    assert f'href="{reverse("evidence")}"' in html
    assert reverse("evidence-download", args=["html"]) in html
    assert "home-plan" not in html and "home-admin" not in html


def test_analyst_home_without_evidence(signed_in, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "none.duckdb"))
    client, _ = signed_in("analyst")
    assert "No evidence is loaded yet" in client.get(reverse("home")).content.decode()


def test_coordinator_home_shows_the_plan_rag_red_overdue_and_findings(
    signed_in,
    stored_plan,
):
    client, _ = signed_in("coordinator", email="coordinator@northbrook.example")
    page = client.get(reverse("home"))
    summary = page.context["plan"]
    expected = board.build(convert.to_draft(stored_plan), as_at=TODAY)
    assert summary.report.totals == expected.totals
    assert [line.action.text for line in summary.red] == [
        "Train housing officers in the ASB case review"
    ]
    assert [line.action.key for line in summary.report.overdue] == [
        line.action.key for line in expected.overdue
    ]
    html = page.content.decode()
    for label in expected.totals:
        assert f">{label}</th>" in html
    assert "Train housing officers in the ASB case review" in html.split('id="red-actions"')[1]
    assert reverse("plans:health", args=[stored_plan.pk]) in html
    assert f"Plan health check: {summary.findings} finding" in html
    assert summary.findings > 0
    assert "home-mine" not in html and "home-admin" not in html


def test_practitioner_home_lists_only_their_own_actions(
    client,
    stored_plan,
    other_lead,
):
    from saferhub.plans.models import Action
    from saferhub.plans.permissions import led_by
    from tests.web.conftest import sign_in

    lead = stored_plan.objectives.first().actions.first().leads.first().user
    mine = set(Action.objects.filter(led_by(lead)).values_list("pk", flat=True))
    assert mine
    sign_in(client, lead)
    page = client.get(reverse("home"))
    assert {row.action.pk for row in page.context["mine"]} == mine
    html = page.content.decode()
    for pk in mine:
        assert f'href="{reverse("plans:action", args=[pk])}#update-form"' in html
    others = Action.objects.exclude(pk__in=mine)
    assert others.exists()
    for action in others:
        assert reverse("plans:action", args=[action.pk]) not in html
    assert "home-plan" not in html and "home-admin" not in html and "recent-audit" not in html

    client.post(reverse("accounts:sign-out"))
    sign_in(client, other_lead)
    page = client.get(reverse("home"))
    assert page.context["mine"] == []
    assert "You lead no action in the open plan" in page.content.decode()


def test_board_home_shows_rag_indicators_and_the_board_report(
    signed_in,
    stored_plan,
    idva,
):
    client, user = signed_in("board", email="board@northbrook.example")
    q2 = period_span(month_index(2026, 7), month_index(2026, 9))
    indicator_services.enter_value(
        idva, period=q2, value=Decimal(62), note="", user=user, today=date(2026, 10, 1)
    )
    page = client.get(reverse("home"))
    html = page.content.decode()
    assert (
        page.context["plan"].report.totals
        == board.build(convert.to_draft(stored_plan), as_at=TODAY).totals
    )
    [status] = page.context["indicators"]
    assert status.indicator == idva and status.latest.value == Decimal(62)
    row = html.split('id="indicator-status"')[1].split("</table>")[0]
    assert "New IDVA cases" in row and "62" in row and "60" in row and "Green" in row
    assert reverse("plans:board-report", args=[stored_plan.pk, "html"]) in html
    assert "red-actions" not in html and "home-admin" not in html


def test_admin_home_counts_users_and_agencies_and_shows_recent_audit(signed_in):
    client, _ = signed_in("admin")
    Agency.objects.create(name="Eastmere Council", type="council")
    page = client.get(reverse("home"))
    admin = page.context["admin"]
    assert admin["agencies"] == 2 and admin["users"] == 1
    # The ten newest entries before this page, whose reading of them is then on the record.
    read, *before = AuditEntry.objects.values_list("pk", flat=True)[:11]
    assert [e.pk for e in admin["audit"]] == before[:10]
    newest = AuditEntry.objects.get(pk=read)
    assert (newest.action, newest.object_type) == ("view", "audit.AuditEntry")
    assert newest.changes == {"page": "home", "entries": len(admin["audit"])}
    html = page.content.decode()
    assert 'id="count-agencies">2<' in html and 'id="recent-audit"' in html
    assert "Sign-in" in html.split('id="recent-audit"')[1]


def test_the_data_protection_officer_sees_recent_audit(signed_in):
    client, _ = signed_in("practitioner", is_data_protection_officer=True)
    assert "recent-audit" in client.get(reverse("home")).content.decode()
