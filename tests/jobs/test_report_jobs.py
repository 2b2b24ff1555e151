"""The report download as a job: asked for on the evidence page, made by the worker, offered
on its page to the person who asked only, audited when downloaded, deleted after 24 hours."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from saferhub.audit.models import AuditEntry
from saferhub.jobs import services
from saferhub.jobs.models import Job, Status
from tests.web.conftest import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

ASKED = {"area": "Alderby", "period": "2018Q1"}


def ask(client, fmt="pdf", **query):
    return client.get(reverse("evidence-download", args=[fmt]), query or ASKED)


def file_of(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_a_pdf_is_queued_made_by_the_worker_and_offered(signed_in, store, run_worker):
    client, user = signed_in("analyst")
    response = ask(client)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.owner, job.status, job.progress, job.kind) == (
        user,
        "queued",
        0,
        "assessment_report",
    )
    assert job.title == "Strategic assessment: Alderby, 2018Q1 (PDF)"

    waiting = client.get(response["Location"]).content.decode()
    assert '<progress class="app-progress" id="job-progress" max="100" value="0"' in waiting
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting
    assert "/static/jobs/progress.js" in waiting and "style=" not in waiting
    assert "jobs:download" not in waiting and "Download" not in waiting

    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.step) == ("done", 100, "Done")
    assert job.started_at <= job.finished_at and job.expires_at == job.finished_at + timedelta(
        hours=24
    )
    done = client.get(response["Location"]).content.decode()
    assert "Your report is ready" in done and "http-equiv" not in done
    assert reverse("jobs:download", args=[job.pk]) in done

    pdf = file_of(client, job)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Alderby" in text
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        "export",
        user,
        "evidence.Assessment",
        "E09900001",
    )
    assert entry.changes == {"format": "pdf", "period": "2018Q1", "job": str(job.pk)}


def test_every_download_is_audited(signed_in, store, run_worker):
    client, _ = signed_in("board")
    ask(client, "html")
    run_worker()
    job = Job.objects.get()
    before = AuditEntry.objects.filter(action="export").count()
    html = file_of(client, job).decode()
    file_of(client, job)
    assert AuditEntry.objects.filter(action="export").count() == before + 2
    assert "<html" in html and "Alderby" in html
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="strategic-assessment-alderby-2018q1.html"'
    )


def test_a_word_report_has_the_area_in_it(signed_in, store, run_worker):
    client, _ = signed_in("coordinator")
    ask(client, "docx", compare="Brookfield", **ASKED)
    run_worker()
    job = Job.objects.get()
    assert job.params == {
        "area": "Alderby",
        "period": "2018Q1",
        "compare": ["Brookfield"],
        "format": "docx",
    }
    document = Document(io.BytesIO(file_of(client, job)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "Alderby" in text
        and "Brookfield"
        in "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        + text
    )


def test_the_same_question_twice_is_one_job_until_the_data_changes(signed_in, store, run_worker):
    client, _ = signed_in("analyst")
    first = ask(client, "html")["Location"]
    assert ask(client, "html")["Location"] == first  # waiting: the same job
    run_worker()
    assert ask(client, "html")["Location"] == first  # done and kept: the same file
    assert ask(client, "docx")["Location"] != first  # another format is another job
    stat = store.stat()  # the store is written again (an ingest): a new report
    os.utime(store, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert ask(client, "html")["Location"] != first


def test_questions_the_engine_refuses_are_answered_at_once(signed_in, store):
    client, _ = signed_in("analyst")
    for response, words in (
        (ask(client, area="Nowhere", period="2018Q1"), "Unknown area"),
        (ask(client, "xlsx"), "Choose an area, a period and a format."),
        (client.get(reverse("evidence-download", args=["pdf"])), "Choose an area"),
        (ask(client, area="Alderby", period="not a period"), "period"),
    ):
        assert response.status_code == 400
        assert words in response.content.decode()
    back = ask(client, area="Nowhere", period="2018Q1").content.decode()
    assert f'href="{reverse("evidence")}?area=Nowhere&amp;period=2018Q1"' in back
    assert not Job.objects.exists()


def test_one_person_has_at_most_five_jobs_waiting(signed_in, store):
    client, _ = signed_in("analyst")
    for period in ("2018Q1", "2018-01", "2018-02", "2018-03", "2018-01..2018-02"):
        assert ask(client, area="Alderby", period=period).status_code == 302
    response = ask(client, area="Alderby", period="2018-02..2018-03")
    assert response.status_code == 429
    assert "You have 5 jobs waiting or running" in response.content.decode()
    assert Job.objects.count() == 5


def test_the_progress_json_while_waiting(signed_in, store):
    client, _ = signed_in("analyst")
    ask(client)
    job = Job.objects.get()
    data = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert data == {
        "status": "queued",
        "progress": 0,
        "step": "Waiting for a worker",
        "active": True,
    }


def test_a_failed_report_says_why_in_plain_words(signed_in, store, run_worker):
    """The question was checked when asked; the store changed before the worker got to it
    (here: the area is no longer in it)."""
    client, user = signed_in("analyst")
    asked = {"area": "Nowhere", "period": "2018Q1", "compare": [], "format": "pdf"}
    job = services.submit(owner=user, kind="assessment_report", title="A report", params=asked)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None and job.file == ""
    assert job.error.startswith("unknown area 'Nowhere'")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Your report could not be prepared" in page and "unknown area" in page
    assert "Traceback" not in page and str(store.parent) not in page
    assert f'href="{reverse("evidence")}?area=Nowhere&amp;period=2018Q1"' in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_only_the_person_who_asked_sees_the_job(client, make_user, store, run_worker):
    owner = make_user("analyst")
    sign_in(client, owner)
    ask(client, "html")
    run_worker()
    job = Job.objects.get()
    pages = [reverse(n, args=[job.pk]) for n in ("jobs:detail", "jobs:progress", "jobs:download")]
    assert [client.get(p).status_code for p in pages] == [200, 200, 200]
    assert all(Client().get(p).status_code == 302 for p in pages)  # anonymous: sign in first
    for other in (make_user("analyst", email="other@northbrook.example"), make_user("admin")):
        theirs = Client()
        sign_in(theirs, other)
        assert [theirs.get(p).status_code for p in pages] == [404, 404, 404]
        assert job.title not in theirs.get(reverse("jobs:mine")).content.decode()
    owner.role = "practitioner"  # no longer reads evidence: no longer opens its report
    owner.save()
    assert [client.get(p).status_code for p in pages] == [403, 403, 403]
    assert job.title not in client.get(reverse("jobs:mine")).content.decode()


def later(frozen_clock, user, **by) -> Client:
    """Move the clock on, and sign in again (sessions end after 30 idle minutes)."""
    frozen_clock.shift(timedelta(**by))
    client = Client()
    sign_in(client, user)
    return client


def test_files_are_deleted_after_24_hours(signed_in, store, run_worker, frozen_clock):
    client, user = signed_in("analyst")
    ask(client, "html")
    run_worker()
    job = Job.objects.get()
    kept = store.parent / "jobs" / job.file
    assert kept.is_file() and oct(kept.stat().st_mode & 0o777) == "0o600"
    client = later(frozen_clock, user, hours=23, minutes=59)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    client = later(frozen_clock, user, minutes=1)
    # Past its time the file is not offered, even before the worker has deleted it.
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "was deleted 24 hours after it was prepared" in page
    assert services.expire() == 1
    job.refresh_from_db()
    assert job.status == Status.EXPIRED and job.file == "" and not kept.exists()
    assert ask(client, "html")["Location"] != reverse("jobs:detail", args=[job.pk])  # anew


def test_the_list_of_my_jobs(signed_in, store, run_worker):
    client, _ = signed_in("analyst")
    assert "You have not asked" in client.get(reverse("jobs:mine")).content.decode()
    ask(client)
    page = client.get(reverse("jobs:mine")).content.decode()
    job = Job.objects.get()
    assert reverse("jobs:detail", args=[job.pk]) in page and "Waiting to start" in page
