"""Attacks on the site features of issue 13: background jobs, the partnership setting, the
evidence page, the home pages, the navigation, the error pages and the audit log.

Each confirmed weakness is a test marked xfail(strict=True) that passes once it is fixed;
every attack the site refuses today is an ordinary test, so a change that reopens it fails.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.audit.log import record
from saferhub.audit.models import Action, AuditEntry
from saferhub.jobs import imports, services, worker
from saferhub.jobs.models import Job, Status
from saferhub.jobs.reports import file_name
from saferhub.partnership.models import PartnershipSettings
from saferhub.plans import exporting
from saferhub.plans.demo import demo_plan
from saferhub.plans.models import Strategy
from saferhub.web.logs import SafeFormatter
from tests.reports.conftest import load
from tests.web.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

ASKED = {"area": "Alderby", "period": "2018Q1"}
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "saferhub"
PERSONAL = "Jane Citizen of 1 Acacia Avenue"  # fictional


# ------------------------------------------------------------------ fixtures (as tests/jobs)


@pytest.fixture(autouse=True)
def _on_a_fixed_day(frozen_clock):
    """Sessions, jobs and their 24 hours run on tests.conftest.NOW."""


@pytest.fixture
def agency(db):
    from saferhub.accounts.models import Agency, AgencyType

    return Agency.objects.create(name="Northbrook Police", type=AgencyType.POLICE)


@pytest.fixture
def make_user(agency):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from saferhub.accounts.models import User

    def make(role: str, *, email: str | None = None, **extra) -> User:
        user = User.objects.create_user(
            email or f"{role}@northbrook.example",
            PASSWORD,
            full_name=f"A {role}",
            agency=agency,
            role=role,
            **extra,
        )
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        return user

    return make


@pytest.fixture
def signed_in(client, make_user):
    def as_role(role: str, **extra):
        user = make_user(role, **extra)
        sign_in(client, user)
        return client, user

    return as_role


@pytest.fixture
def store(tmp_path, monkeypatch):
    load(tmp_path).close()
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "store.duckdb"))
    return tmp_path / "store.duckdb"


def run_worker() -> int:
    return worker.run(batch=True, interval=0)


def ask(client, fmt="html", **query):
    return client.get(reverse("evidence-download", args=[fmt]), query or ASKED)


def job_pages(job) -> list[str]:
    return [reverse(n, args=[job.pk]) for n in ("jobs:detail", "jobs:progress", "jobs:download")]


@pytest.fixture
def log_lines():
    """What the site's configured formatter writes for the saferhub and django.request
    loggers (both propagate=False, so pytest's caplog never sees them)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s %(message)s"))
    loggers = [logging.getLogger(n) for n in ("saferhub", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield out
    for logger in loggers:
        logger.removeHandler(handler)


# ====================================================== CONFIRMED, NOW FIXED (were xfail)


def test_a_queued_import_does_not_run_for_an_owner_who_lost_the_role(signed_in, monkeypatch):
    monkeypatch.setattr(imports, "LARGE_PLAN", 5)
    client, user = signed_in("coordinator")
    plan = demo_plan(date(2026, 11, 24))
    upload = io.BytesIO(exporting.plan_to_csv(plan))
    upload.name = "plan.csv"
    page = client.post(
        reverse("plans:import"),
        {"file": upload, "title": plan.title, "starts": "2026-04-01", "ends": "2027-03-31"},
    )
    client.post(reverse("plans:import"), {"confirm": "1", "digest": page.context["digest"]})
    job = Job.objects.get(kind="plan_import")
    # An admin demotes the coordinator (or deactivates the account) before a worker runs it.
    user.role = Role.BOARD
    user.save(update_fields=["role"])
    run_worker()
    assert not Strategy.objects.exists()  # today: the plan is stored, as the board member
    job.refresh_from_db()
    assert job.status == Status.FAILED


def test_the_audit_entries_on_the_home_page_are_a_recorded_read(signed_in):
    client, _ = signed_in("admin")
    record(action=Action.UPDATE, object_type="plans.Action", object_id="12")
    views = AuditEntry.objects.filter(action="view", object_type="audit.AuditEntry")
    before = views.count()
    page = client.get(reverse("home")).content.decode()
    assert 'id="recent-audit"' in page and "plans.Action 12" in page
    assert views.count() == before + 1


def test_a_cross_site_get_does_not_queue_a_report(signed_in, store):
    client, _ = signed_in("analyst")
    client.get(
        reverse("evidence-download", args=["pdf"]),
        ASKED,
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_REFERER="https://attacker.example/",
    )
    assert not Job.objects.exists()


# ======================================================================= REFUSED (pass)

# ---------------------------------------------------------------------------- jobs: access


def test_another_users_job_is_404_for_everyone_else_even_an_admin(client, make_user, store):
    owner = make_user("analyst")
    sign_in(client, owner)
    ask(client)
    run_worker()
    job = Job.objects.get()
    for other in (
        make_user("analyst", email="other@northbrook.example"),
        make_user("admin"),
        make_user("coordinator", is_data_protection_officer=True),
    ):
        theirs = Client()
        sign_in(theirs, other)
        assert [theirs.get(p).status_code for p in job_pages(job)] == [404, 404, 404]
        assert str(job.pk) not in theirs.get(reverse("jobs:mine")).content.decode()


def test_a_job_is_closed_to_its_owner_once_the_role_is_lost(signed_in, store):
    client, user = signed_in("analyst")
    ask(client)
    run_worker()
    job = Job.objects.get()
    assert [client.get(p).status_code for p in job_pages(job)] == [200, 200, 200]
    user.role = Role.PRACTITIONER  # no VIEW_EVIDENCE
    user.save(update_fields=["role"])
    before = AuditEntry.objects.filter(action="export").count()
    assert [client.get(p).status_code for p in job_pages(job)] == [403, 403, 403]
    assert str(job.pk) not in client.get(reverse("jobs:mine")).content.decode()
    assert AuditEntry.objects.filter(action="export").count() == before


def test_a_half_signed_in_session_reaches_no_job(client, make_user, store):
    user = make_user("analyst")
    job = services.submit(
        owner=user,
        kind="assessment_report",
        title="t",
        params={**ASKED, "compare": [], "format": "html"},
    )
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    for page in job_pages(job):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse(
            "accounts:two-factor"
        )


def test_job_urls_take_only_a_uuid(signed_in, store):
    client, _ = signed_in("analyst")
    for bad in (
        "/jobs/..%2F..%2Fetc%2Fpasswd/file",
        "/jobs/../../etc/passwd/file",
        "/jobs/1/file",
        "/jobs/00000000-0000-0000-0000-000000000000%00/file",
    ):
        assert client.get(bad).status_code == 404, bad


def test_a_tampered_file_name_never_leaves_the_jobs_folder(signed_in, store, tmp_path):
    """Defence in depth: even a job row edited to point outside the jobs folder (the site
    never writes one) is not served."""
    client, _ = signed_in("analyst")
    ask(client)
    run_worker()
    job = Job.objects.get()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for download")
    for name in ("../secret.txt", str(secret), "../../../../etc/passwd"):
        Job.objects.filter(pk=job.pk).update(file=name)
        quiet = Client(raise_request_exception=False)
        quiet.cookies = client.cookies
        got = quiet.get(reverse("jobs:download", args=[job.pk]))
        assert got.status_code in (400, 404), (name, got.status_code)


def test_a_file_past_its_time_is_not_served_even_before_the_worker_deletes_it(signed_in, store):
    client, _ = signed_in("analyst")
    ask(client)
    run_worker()
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-expired"' in page and reverse("jobs:download", args=[job.pk]) not in page
    assert services.expire() == 1
    job.refresh_from_db()
    assert job.status == Status.EXPIRED and job.file == ""


def test_a_download_is_not_cached_names_a_safe_file_and_is_audited(signed_in, store):
    client, user = signed_in("analyst")
    ask(client)
    run_worker()
    job = Job.objects.get()
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment; ")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.changes["job"]) == ("export", user, str(job.pk))
    for page in (reverse("jobs:detail", args=[job.pk]), reverse("jobs:progress", args=[job.pk])):
        assert client.get(page)["Cache-Control"] == "no-store"


def test_report_file_names_cannot_carry_header_text():
    name = file_name('Alder"by\r\nSet-Cookie: a=b; x=', '2018/19";\n../..', "pdf")
    assert re.fullmatch(r"strategic-assessment-[a-z0-9-]+-[a-z0-9-]+\.pdf", name), name


def test_the_progress_json_says_nothing_of_what_was_asked(signed_in, store):
    client, _ = signed_in("analyst")
    ask(client, compare="Brookfield", **ASKED)
    job = Job.objects.get()
    data = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert set(data) == {"status", "progress", "step", "active"}


def test_a_tampered_next_url_is_not_offered(signed_in, store):
    client, user = signed_in("coordinator")
    job = Job.objects.create(
        owner=user, kind="plan_import", title="t", status=Status.DONE, progress=100
    )
    for target in ("https://attacker.example/", "//attacker.example/", "javascript:alert(1)"):
        Job.objects.filter(pk=job.pk).update(next_url=target)
        page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert target not in page and 'id="job-next"' not in page


# ------------------------------------------------------------------------ jobs: flooding


def test_one_person_cannot_flood_the_queue(signed_in, store):
    client, _ = signed_in("analyst")
    asked = [(fmt, compare) for fmt in ("html", "pdf", "docx") for compare in ("", "Brookfield")]
    for fmt, compare in asked[:5]:
        assert ask(client, fmt, compare=compare, **ASKED).status_code == 302
    # The same question again is the same job, not a new one.
    again = ask(client, "html", compare="", **ASKED)
    assert again.status_code == 302 and Job.objects.count() == 5
    refused = ask(client, *asked[5][:1], compare=asked[5][1], **ASKED)
    assert refused.status_code == 429 and Job.objects.count() == 5
    assert 'http-equiv="refresh"' not in refused.content.decode()


def test_a_job_no_worker_takes_fails_after_24_hours(signed_in, store):
    """Jobs no worker takes within 24 hours fail: a person's five places cannot stay full."""
    client, _ = signed_in("analyst")
    ask(client)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=25))
    services.expire()
    job.refresh_from_db()
    assert job.status == Status.FAILED


# ------------------------------------------------------------------- the evidence page: XSS

XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _no_markup_from(html: str) -> None:
    """None of XSS's markup is live in the page (escaped text is fine)."""
    assert "<script>alert" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "<img src=x" not in html


def test_typed_names_in_suggestion_links_and_titles_are_escaped(signed_in, store):
    client, _ = signed_in("analyst")
    for query in (
        {"area": "Alderbyy" + XSS, "period": "2018Q1"},
        {"area": "Alderbyy", "period": "2018Q1", "compare": "Brookfeld" + XSS},
        {"area": "Alderby", "period": "2018Q1", "compare": "Brookfeld, Carow" + XSS},
        {"area": "Alderby", "period": XSS},
    ):
        response = client.get(reverse("evidence"), query)
        html = response.content.decode()
        _no_markup_from(html)
        for href in re.findall(r'<a [^>]*href="([^"]*)"', html):
            assert unescape(href).startswith(("/", "#")), href
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title


def test_the_did_you_mean_links_open_the_evidence_page_only(signed_in, store):
    client, _ = signed_in("analyst")
    html = client.get(reverse("evidence"), {"area": "Alderbyy", "period": "2018Q1"}).content
    links = re.findall(r'id="did-you-mean".*?</ul>', html.decode(), re.S)
    assert links, "the page offers the closest names"
    for href in re.findall(r'href="([^"]*)"', links[0]):
        assert unescape(href).startswith(reverse("evidence") + "?"), href


def test_the_refused_report_page_escapes_the_query(signed_in, store):
    client, _ = signed_in("analyst")
    response = ask(client, "pdf", area="Nowhere" + XSS, period="2018Q1", extra=XSS)
    assert response.status_code == 400
    html = response.content.decode()
    _no_markup_from(html)
    back = re.search(r'id="report-back" href="([^"]*)"', html).group(1)
    assert unescape(back).startswith(reverse("evidence") + "?")
    assert not Job.objects.exists()


def test_user_text_never_reaches_inside_the_drawings(signed_in, store):
    """The SVGs are drawn from the store's own names: an area typed in another case or as a
    code is drawn under the name the store gives it, never as typed."""
    client, _ = signed_in("analyst")
    html = client.get(
        reverse("evidence"), {"area": "aLdErBy", "period": "2018Q1", "compare": "bROOKFIELD"}
    ).content.decode()
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert images
    for data in images:
        svg = base64.b64decode(data).decode()
        assert "aLdErBy" not in svg and "bROOKFIELD" not in svg
        assert "<script" not in svg.lower() and not re.search(r"\son[a-z]+\s*=", svg)
        assert "<foreignObject" not in svg and "javascript:" not in svg
        assert not re.search(r'(?:href|src)="(?!#|data:image/png)', svg)


# -------------------------------------------------------------------- open redirects


def test_sign_in_never_sends_anyone_to_another_site(client, make_user):
    user = make_user("analyst")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.web.conftest import code_for

    for target in (
        "https://attacker.example/",
        "//attacker.example/",
        "/\\attacker.example/",
        "javascript:alert(1)",
    ):
        fresh = Client()
        first = fresh.post(
            f"{reverse('accounts:sign-in')}?next={target}",
            {"username": user.email, "password": PASSWORD, "next": target},
        )
        assert first.status_code == 302 and "attacker" not in first["Location"]
        device = TOTPDevice.objects.get(user=user)
        device.refresh_from_db()
        # The two-factor step with the hostile next on its own address, as a crafted link.
        second = fresh.post(
            f"{reverse('accounts:two-factor')}?next={target}", {"token": code_for(device)}
        )
        assert second.status_code == 302, second.status_code
        assert second["Location"] == reverse("home"), second["Location"]
        device.refresh_from_db()
        # The same TOTP step may not be used twice: move on a step for the next round.
        device.last_t = -1
        device.save(update_fields=["last_t"])


def test_sign_in_refuses_a_form_without_its_token(make_user):
    user = make_user("analyst")
    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 403 and "The form could not be sent" in response.content.decode()
    assert "_auth_user_id" not in guarded.session


# --------------------------------------------------------------------- the partnership


@pytest.mark.parametrize(
    "role, extra",
    [
        ("analyst", {}),
        ("coordinator", {}),
        ("board", {}),
        ("practitioner", {}),
        ("coordinator", {"is_data_protection_officer": True}),
    ],
)
def test_only_an_admin_sets_the_partnership_area(signed_in, store, role, extra):
    client, _ = signed_in(role, **extra)
    url = reverse("partnership:settings")
    assert client.get(url).status_code == 403
    assert client.post(url, {"area": "Alderby", "compare": "Brookfield"}).status_code == 403
    assert not PartnershipSettings.objects.exists()


def test_the_partnership_form_needs_its_csrf_token(make_user, store):
    admin = make_user("admin")
    guarded = Client(enforce_csrf_checks=True)
    sign_in_with_token(guarded, admin)
    response = guarded.post(reverse("partnership:settings"), {"area": "Alderby"})
    assert response.status_code == 403
    assert not PartnershipSettings.objects.exists()


def sign_in_with_token(client, user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.web.conftest import code_for

    page = client.get(reverse("accounts:sign-in"))
    token = page.cookies["csrftoken"].value
    client.post(
        reverse("accounts:sign-in"),
        {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    device = TOTPDevice.objects.get(user=user)
    client.post(
        reverse("accounts:two-factor"),
        {"token": code_for(device), "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )


def test_the_partnership_page_escapes_what_a_link_fills_in(signed_in, store):
    client, _ = signed_in("admin")
    html = client.get(
        reverse("partnership:settings"), {"area": XSS, "compare": XSS}
    ).content.decode()
    _no_markup_from(html)
    html = client.post(
        reverse("partnership:settings"), {"area": "Alderbyy" + XSS, "compare": ""}
    ).content.decode()
    _no_markup_from(html)
    assert not PartnershipSettings.objects.exists()


# ---------------------------------------------------------------------- the audit log

HOSTILE_FILTERS = [
    {"object_type": "x' OR '1'='1"},
    {"object_type": "a" * 500},
    {"since": "2026-13-45"},
    {"since": "2026-11-30", "until": "2026-11-01"},
    {"agency": "1 OR 1=1"},
    {"agency": "99999999999999999999999"},
    {"action": "<script>"},
    {"actor": "\x00"},
    {"actor": "a" * 300},
]


@pytest.mark.parametrize("query", HOSTILE_FILTERS)
def test_hostile_audit_filters_are_refused_without_any_entry(signed_in, query):
    client, _ = signed_in("admin")
    for name in ("audit:list", "audit:export"):
        response = client.get(reverse(name), query)
        assert response.status_code == 400, (name, query, response.status_code)
        body = response.content.decode()
        assert (
            "<script>" not in body
            and 'class="govuk-table__row"' not in body.split("</thead>")[-1].split("</table>")[0]
        )


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999999", "1e9", "<b>"])
def test_any_page_number_gives_a_page(signed_in, page):
    client, _ = signed_in("admin")
    response = client.get(reverse("audit:list"), {"page": page})
    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("<main")[1]


def test_no_export_cell_starts_a_formula(signed_in, make_user):
    client, _ = signed_in("admin")
    formula = '=HYPERLINK("https://attacker.example","x")'
    for start in ("=", "+", "-", "@", "\t", "\r"):
        record(
            action=Action.UPDATE,
            object_type=f"{start}cmd|' /C calc'!A0",
            object_id=f"{start}1+1",
            changes={"note": formula},
        )
    # An address may start with "=" (RFC 5322 allows it): the actor column is text too.
    record(action=Action.VIEW, actor=make_user("analyst", email="=1+1@northbrook.example"))
    response = client.get(reverse("audit:export"))
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    text = b"".join(response.streaming_content).decode()
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (row, cell)


def test_reading_and_exporting_the_log_are_recorded(signed_in):
    client, user = signed_in("admin")
    client.get(reverse("audit:list"), {"object_type": "plans.Action"})
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.actor) == ("view", "audit.AuditEntry", user)
    b"".join(client.get(reverse("audit:export")).streaming_content)
    assert AuditEntry.objects.filter(action="export", object_type="audit.AuditEntry").exists()


@pytest.mark.parametrize("role", ["analyst", "coordinator", "board", "practitioner"])
def test_the_audit_log_is_closed_to_other_roles(signed_in, role):
    client, _ = signed_in(role)
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    html = client.get(reverse("home")).content.decode()
    assert reverse("audit:list") not in html and 'id="recent-audit"' not in html
    assert reverse("partnership:settings") not in html


# --------------------------------------------------------------- error pages and the log


def _boom(request):
    raise ValueError(f"cannot read {PERSONAL}")


def _ok(request):
    return HttpResponse("ok")


handler500 = "saferhub.web.views.server_error"
urlpatterns = [path("boom/", _boom), path("ok/", _ok), path("", include("saferhub.web.urls"))]


def test_the_500_page_and_log_leak_nothing(settings, log_lines):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(f"/boom/?name={PERSONAL}")
    assert response.status_code == 500
    html = response.content.decode()
    reference = re.search(r'id="error-reference">([0-9A-F]{8})<', html).group(1)
    assert PERSONAL not in html and "Traceback" not in html and "ValueError" not in html
    assert "Content-Security-Policy" in response.headers
    logged = log_lines.getvalue()
    assert reference in logged and "ValueError" in logged
    assert "Jane" not in logged and "Acacia" not in logged


def test_a_job_that_breaks_logs_no_user_text(signed_in, store, log_lines):
    _, user = signed_in("analyst")
    # A fault in the code (an unknown format reaches the runner): the job fails unexpectedly.
    job = services.submit(
        owner=user,
        kind="assessment_report",
        title=PERSONAL,
        params={**ASKED, "compare": [], "format": PERSONAL},
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == Status.FAILED and PERSONAL not in job.error
    logged = log_lines.getvalue()
    assert "KeyError" in logged and "Jane" not in logged and "Acacia" not in logged


def test_a_job_error_shown_to_the_user_is_escaped(signed_in, store):
    client, user = signed_in("analyst")
    job = Job.objects.create(
        owner=user,
        kind="assessment_report",
        title=XSS,
        params={"area": XSS, "period": XSS, "compare": [XSS], "format": "pdf"},
        status=Status.FAILED,
        error=XSS,
    )
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    _no_markup_from(html)
    html = client.get(reverse("jobs:mine")).content.decode()
    _no_markup_from(html)


@pytest.mark.parametrize("status_path", ["/jobs/00000000-0000-0000-0000-000000000000/"])
def test_404_and_403_pages_have_a_way_home_and_no_detail(signed_in, status_path):
    client, _ = signed_in("practitioner")
    missing = client.get(status_path)
    assert missing.status_code == 404 and 'id="back-home"' in missing.content.decode()
    assert "No such job" not in missing.content.decode()
    denied = client.get(reverse("audit:list"))
    assert denied.status_code == 403 and 'id="back-home"' in denied.content.decode()


# ----------------------------------------------------------------------------- the CSP


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style\b",
            r"\sstyle\s*=",
            r"\son[a-z]+\s*=",
            r"javascript:",
        ):
            for match in re.finditer(pattern, text, re.I):
                found.append(f"{template.relative_to(TEMPLATES)}: {match.group()}")
    assert not found, found


def test_every_new_page_carries_the_csp(signed_in, store):
    client, _ = signed_in("admin")
    ask(client)
    job = Job.objects.get()
    for url in (
        reverse("home"),
        reverse("evidence"),
        reverse("partnership:settings"),
        reverse("audit:list"),
        reverse("jobs:mine"),
        reverse("jobs:detail", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp
        assert response["Cache-Control"] == "no-store", url
