"""The same report job on Redis through RQ (SAFERHUB_REDIS_URL in production), against the
Redis at 127.0.0.1:6379; skipped, saying so, where none answers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from saferhub.jobs.models import Job

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the test


@pytest.fixture
def redis_queue(settings):
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answering at {REDIS_URL}: the RQ backend is not tested here")
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    yield connection
    connection.flushdb()


def test_a_pdf_made_by_an_rq_worker(signed_in, store, redis_queue, run_worker):
    from saferhub.jobs.worker import backend_kind

    assert backend_kind() == "rq"
    client, _ = signed_in("analyst")
    response = client.get(
        reverse("evidence-download", args=["pdf"]), {"area": "Alderby", "period": "2018Q1"}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert redis_queue.llen("rq:queue:default") == 1  # on Redis, not in the database
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    pdf = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert "Alderby" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
