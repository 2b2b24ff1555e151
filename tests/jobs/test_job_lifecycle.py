"""A job's life through the real worker: queued → running (with its steps) → done or failed,
the words a failure shows, the worker command, and expiry of what the worker left."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferhub.accounts.permissions import VIEW_EVIDENCE
from saferhub.jobs import services
from saferhub.jobs.kinds import KINDS, Kind
from saferhub.jobs.models import Job, Status
from tests.jobs import probe

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def probe_kind(monkeypatch, store):
    monkeypatch.setitem(KINDS, "probe", Kind("probe", VIEW_EVIDENCE, "tests.jobs.probe:run"))
    probe.SEEN.clear()
    return "probe"


def submit(user, **params) -> Job:
    return services.submit(owner=user, kind="probe", title="A probe", params=params)


def test_status_moves_queued_running_done_with_each_step(signed_in, probe_kind, run_worker):
    client, user = signed_in("analyst")
    job = submit(user)
    assert (job.status, job.progress, job.step, job.task_id != "") == (
        "queued",
        0,
        "Waiting for a worker",
        True,
    )
    assert run_worker() == 1
    assert probe.SEEN == [
        ("running", 0, "Starting"),
        ("running", 30, "Counting"),
        ("running", 60, "Drawing"),
        ("running", 90, "Writing"),
    ]
    job.refresh_from_db()
    assert (job.status, job.progress, job.file_name, job.size) == ("done", 100, "probe.txt", 12)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(response.streaming_content) == b"probe result"
    assert run_worker() == 0  # nothing left, and a job runs once


def test_a_refusal_is_shown_in_its_own_words_without_folders(signed_in, probe_kind, run_worker):
    client, user = signed_in("analyst")
    job = submit(user, refuse="row 12: the date 31/02/2026 is not a date")
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and job.file == ""
    assert job.error == "row 12: the date 31/02/2026 is not a date (in extract.csv)"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "row 12: the date 31/02/2026 is not a date (in extract.csv)" in page
    assert "/srv/private" not in page


def test_a_fault_says_plain_words_and_logs_no_text(signed_in, probe_kind, run_worker, caplog):
    client, user = signed_in("analyst")
    job = submit(user, crash="Jane Example, 12 Fictional Road")
    with caplog.at_level(logging.ERROR, logger="saferhub.jobs"):
        run_worker()
    job.refresh_from_db()
    reference = str(job.pk)[:8]
    assert job.status == "failed"
    assert job.error == services.FAILED_UNEXPECTEDLY.format(reference=reference)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reference in page and "Traceback" not in page and "Jane Example" not in page
    assert "RuntimeError" in caplog.text and "probe.py" in caplog.text
    assert "Jane Example" not in caplog.text
    assert client.get(reverse("jobs:progress", args=[job.pk])).json()["active"] is False


def test_the_worker_command_runs_the_waiting_jobs(signed_in, probe_kind, capsys):
    _, user = signed_in("analyst")
    first, second = submit(user), submit(user, n=2)
    call_command("jobs_worker", "--batch")
    assert capsys.readouterr().out.strip() == "ran 2 jobs"
    assert {j.status for j in Job.objects.filter(pk__in=[first.pk, second.pk])} == {"done"}


def test_a_job_whose_worker_stopped_fails_after_an_hour(signed_in, probe_kind, frozen_clock):
    _, user = signed_in("analyst")
    job = submit(user)
    services.start(str(job.pk))  # claimed by a worker that then died
    frozen_clock.shift(timedelta(minutes=59))
    services.expire()
    assert Job.objects.get(pk=job.pk).status == "running"
    frozen_clock.shift(timedelta(minutes=2))
    services.expire()
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", services.LOST_WORKER)


def test_the_expiry_command_deletes_old_files_and_rows(
    signed_in, probe_kind, run_worker, store, frozen_clock, capsys
):
    _, user = signed_in("analyst")
    job = submit(user)
    run_worker()
    job.refresh_from_db()
    kept = store.parent / "jobs" / job.file
    assert kept.read_bytes() == b"probe result"
    call_command("jobs_expire")
    assert capsys.readouterr().out.strip() == "deleted 0 job files" and kept.exists()
    frozen_clock.shift(timedelta(hours=24, seconds=1))
    call_command("jobs_expire")
    assert capsys.readouterr().out.strip() == "deleted 1 job files" and not kept.exists()
    assert Job.objects.get(pk=job.pk).status == Status.EXPIRED
    frozen_clock.shift(timedelta(days=30))
    services.expire()
    assert not Job.objects.filter(pk=job.pk).exists()


def test_an_unknown_kind_is_refused(signed_in):
    _, user = signed_in("analyst")
    with pytest.raises(ValueError, match="no job kind"):
        services.submit(owner=user, kind="nothing", title="x", params={})


def test_a_queue_that_does_not_answer_fails_the_job_in_words(signed_in, probe_kind, settings):
    _, user = signed_in("analyst")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens
    with pytest.raises(services.QueueDown):
        submit(user)
    job = Job.objects.get()
    assert (job.status, job.error) == (
        "failed",
        "The job queue is not answering. Try again in a few minutes.",
    )
