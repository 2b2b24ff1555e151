"""Large imports as jobs: the file is read and checked in the request as before (problems on
the import page), then a large plan is stored, or a large youth justice extract recomputed,
by the worker; small files are imported in the request as they always were."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from saferhub.accounts.models import Agency, AgencyType
from saferhub.audit.models import AuditEntry
from saferhub.indicators.definitions import Source
from saferhub.indicators.models import Indicator, Value, YouthJusticeExtract
from saferhub.indicators.models import YouthJusticeMeasure as M
from saferhub.jobs import imports
from saferhub.jobs.models import Job
from saferhub.plans import exporting
from saferhub.plans.demo import demo_plan
from saferhub.plans.models import PendingImport, Strategy

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

EXTRACT_HEADER = "Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date\n"
GOOD = (
    EXTRACT_HEADER
    + "A1,2010-01-01,M,White,Youth Caution,2025-05-01,2025-04-01\n"
    + "A2,2011-01-01,F,Asian,Triage,2025-06-01,2025-04-01\n"
    + "A1,2010-01-01,M,White,Referral Order,2025-09-01,2025-08-01\n"
).encode()


@pytest.fixture
def small_limits(monkeypatch):
    """Large here means more than 5 actions and updates, or more than 2 extract rows."""
    monkeypatch.setattr(imports, "LARGE_PLAN", 5)
    monkeypatch.setattr(imports, "LARGE_EXTRACT", 2)


def preview(client, plan):
    upload = io.BytesIO(exporting.plan_to_csv(plan))
    upload.name = "eastmere-plan.csv"
    return client.post(
        reverse("plans:import"),
        {"file": upload, "title": plan.title, "starts": "2026-04-01", "ends": "2027-03-31"},
    )


def test_a_large_plan_is_stored_by_the_worker_once(signed_in, small_limits, store, run_worker):
    client, user = signed_in("coordinator")
    plan = demo_plan(date(2026, 11, 24))
    page = preview(client, plan)
    assert "Import 7 actions" in page.content.decode()  # the preview, as ever
    digest = page.context["digest"]
    confirm = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    job = Job.objects.get()
    assert confirm["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.owner, job.status) == ("plan_import", user, "queued")
    assert not Strategy.objects.exists()  # stored by the worker, not the request
    again = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    assert again["Location"] == confirm["Location"]  # a second click: the same job

    page = client.get(confirm["Location"]).content.decode()
    assert "Importing the plan" in page and 'id="job-progress"' in page
    assert run_worker() == 1
    strategy = Strategy.objects.get()
    job.refresh_from_db()
    assert job.status == "done" and job.message == f"Imported {strategy.title}: 7 actions."
    assert job.next_url == reverse("plans:detail", args=[strategy.pk]) and job.file == ""
    page = client.get(confirm["Location"]).content.decode()
    assert "The plan is imported" in page and f'href="{job.next_url}"' in page
    assert "Download" not in page
    assert PendingImport.objects.get().imported_at is not None  # the preview is consumed
    entry = AuditEntry.objects.get(action="create", object_type="plans.Strategy")
    assert entry.actor == user and entry.changes["actions"] == 7
    # Once it has run, a late click is told the plan is in, as before.
    late = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    assert late["Location"] == reverse("plans:detail", args=[strategy.pk])
    assert Strategy.objects.count() == 1 and Job.objects.count() == 1


def test_a_queued_plan_survives_the_users_next_visit_and_preview(
    signed_in, small_limits, store, run_worker
):
    """Opening the import page or previewing another file drops the user's unconfirmed
    previews, but never the one a queued job is waiting to store."""
    client, _ = signed_in("coordinator")
    plan = demo_plan(date(2026, 11, 24))
    digest = preview(client, plan).context["digest"]
    client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    assert client.get(reverse("plans:import")).status_code == 200
    other = demo_plan(date(2026, 11, 24))
    other.title = "A second plan"
    preview(client, other)
    assert PendingImport.objects.count() == 2
    client.get(reverse("plans:import"))  # the second, never confirmed, goes
    assert PendingImport.objects.get().queued_at is not None
    assert run_worker() == 1
    assert Job.objects.get().status == "done"
    assert Strategy.objects.get().title == plan.title


def test_a_small_plan_is_still_stored_in_the_request(signed_in, store):
    client, _ = signed_in("coordinator")
    page = preview(client, demo_plan(date(2026, 11, 24)))
    confirm = client.post(
        reverse("plans:import"), {"confirm": "1", "digest": page.context["digest"]}
    )
    assert confirm["Location"] == reverse("plans:detail", args=[Strategy.objects.get().pk])
    assert not Job.objects.exists()


def test_a_plan_with_problems_is_refused_on_its_page(signed_in, small_limits, store):
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(
        b"Objective,Objective title,Action,Lead,RAG\n"
        b"SO1,Burglary,Patrol hotspots,Eastmere Police,Green\n"
        b"SO1,Burglary,Visit victims,Eastmere Police,Purple\n"
    )
    upload.name = "bad-plan.csv"
    page = client.post(
        reverse("plans:import"), {"file": upload, "starts": "2026-04-01", "ends": "2027-03-31"}
    ).content.decode()
    assert "could not be read" in page and "Purple" in page
    assert client.post(reverse("plans:import"), {"confirm": "1"}).status_code == 302
    assert not Job.objects.exists() and not Strategy.objects.exists()


@pytest.fixture
def fte(db):
    council = Agency.objects.create(name="Eastmere Council (fictional)", type=AgencyType.COUNCIL)
    return Indicator.objects.create(
        code="YJ-FTE",
        name="FTE",
        definition="d",
        owner=council,
        source=Source.YOUTH_JUSTICE,
        youth_justice_measure=M.FTE_COUNT,
        frequency="annual",
    )


def post_extract(client, content: bytes, name: str = "extract.csv"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse("indicators:youth-justice"), {"extract": upload, "populations": "2025=20000"}
    )


def test_a_large_extract_is_recomputed_by_the_worker(
    signed_in, small_limits, store, fte, run_worker
):
    client, user = signed_in("analyst")
    response = post_extract(client, GOOD)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert not YouthJusticeExtract.objects.exists()
    waiting = store.parent / "jobs" / job.input
    assert waiting.read_bytes() == GOOD and oct(waiting.stat().st_mode & 0o777) == "0o600"
    assert job.params["populations"] == {"2025": 20000}

    assert run_worker() == 1
    job.refresh_from_db()
    extract = YouthJusticeExtract.objects.get()
    assert (extract.rows, extract.people, extract.imported_by) == (3, 2, user)
    assert Value.objects.get(indicator=fte, period="2025/26").value == Decimal(1)
    assert job.status == "done" and job.message.startswith("Imported extract.csv: 3 rows, 2")
    assert job.input == "" and not waiting.exists()  # the rows are not kept
    assert job.next_url == reverse("indicators:dashboard")


def test_a_bad_extract_is_refused_on_its_page_as_before(signed_in, small_limits, store, fte):
    client, _ = signed_in("analyst")
    bad = GOOD + b"A3,2010-01-01,F,Asian,Community Hug,2025-05-01,2025-04-01\n"
    page = post_extract(client, bad).content.decode()
    assert "The extract was not imported" in page and "Community Hug" in page
    assert not Job.objects.exists() and not list((store.parent / "jobs").glob("*"))


def test_an_extract_that_fails_in_the_worker_is_not_kept(
    signed_in, small_limits, store, fte, run_worker
):
    client, _ = signed_in("analyst")
    post_extract(client, GOOD)
    job = Job.objects.get()
    waiting = store.parent / "jobs" / job.input
    waiting.write_bytes(GOOD.replace(b"Youth Caution", b"Community Hug"))  # changed meanwhile
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and "Community Hug" in job.error
    assert str(store.parent) not in job.error
    assert job.input == "" and not waiting.exists()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The extract could not be imported" in page
    assert f'href="{reverse("indicators:youth-justice")}"' in page
    assert not YouthJusticeExtract.objects.exists()


def test_an_import_job_is_closed_to_those_who_may_not_import(
    signed_in, small_limits, store, fte, make_user
):
    from django.test import Client

    from tests.web.conftest import sign_in

    client, _ = signed_in("analyst")
    post_extract(client, GOOD)
    job = Job.objects.get()
    board = Client()
    sign_in(board, make_user("board", email="board@northbrook.example"))
    assert board.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_the_same_extract_again_after_its_job_is_imported_again(
    signed_in, small_limits, store, fte, run_worker
):
    """A second click while the job waits is the same job; once it has run, sending the file
    again imports it again (a new vintage), as in the request."""
    client, _ = signed_in("analyst")
    first = post_extract(client, GOOD)["Location"]
    assert post_extract(client, GOOD)["Location"] == first
    assert len(list((store.parent / "jobs").glob("*.upload"))) == 1  # the copy is not kept
    run_worker()
    assert post_extract(client, GOOD)["Location"] != first
    run_worker()
    assert YouthJusticeExtract.objects.count() == 2
