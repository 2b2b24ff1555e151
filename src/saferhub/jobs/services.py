"""The only writer of jobs: submit, start, progress, finish or fail, expire."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from . import files
from .kinds import KINDS, Outcome
from .models import ACTIVE, Job, Status

KEEP_FILES_FOR = timedelta(hours=24)  # then the file is deleted; the row says so
KEEP_ROWS_FOR = timedelta(days=30)
# A job running longer than this has lost its worker (stopped mid-job): it fails.
RUNNING_AT_MOST = timedelta(hours=1)
ACTIVE_PER_USER = 5

FAILED_UNEXPECTEDLY = (
    "Something went wrong while preparing this. Ask for it again; if it fails again, tell "
    "your partnership admin the reference {reference}."
)
LOST_WORKER = "The job stopped before it finished (the site was restarted). Ask for it again."
NO_WORKER = (
    "No worker took this job within 24 hours. Ask for it again, or tell your partnership admin."
)


class Busy(Exception):
    """The user has as many jobs waiting or running as one person may."""


class QueueDown(Exception):
    """The queue did not take the job (Redis not answering)."""


def fingerprint(kind: str, params: dict, *, data: str = "") -> str:
    """The same question (`params`) of the same data (`data`: e.g. the store file's size and
    time) is the same job."""
    text = json.dumps([kind, params, data], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def submit(
    *,
    owner,
    kind: str,
    title: str,
    params: dict,
    audit: dict | None = None,
    same: str = "",
    reuse_done: bool = False,
    input: str = "",
) -> Job:
    """Queue a job, or return the owner's job for the same fingerprint `same` while it is
    waiting or running (a second click), and with `reuse_done` (a file the same question
    makes again) while its file is still kept. `input`: a file saved by files.save for the
    job to read, deleted once it has run. Call outside a transaction: with a queue outside
    the database (RQ), the worker must find the job's row committed."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r}")
    if same:
        kept = Q(status__in=ACTIVE)
        if reuse_done:
            kept |= Q(status=Status.DONE, expires_at__gt=timezone.now())
        earlier = Job.objects.filter(kept, owner=owner, kind=kind, fingerprint=same).first()
        if earlier is not None:
            return earlier
    if Job.objects.filter(owner=owner, status__in=ACTIVE).count() >= ACTIVE_PER_USER:
        raise Busy(
            f"You have {ACTIVE_PER_USER} jobs waiting or running. Wait for one to finish, "
            "then ask again."
        )
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title[:200],
        params=params,
        audit=audit or {},
        fingerprint=same,
        input=input,
    )
    from .tasks import run_job

    try:
        result = run_job.enqueue(str(job.pk))
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Status.FAILED,
            error="The job queue is not answering. Try again in a few minutes.",
            finished_at=timezone.now(),
            input="",
        )
        files.delete(input)
        raise QueueDown("The job queue is not answering. Try again in a few minutes.") from exc
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


def start(job_id: str) -> Job | None:
    """Claim a waiting job for this worker; None if it is not waiting (run already, or
    expired before a worker reached it)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, progress=0, step="Starting"
    )
    return Job.objects.get(pk=job_id) if claimed else None


def progress(job: Job, percent: int, step: str) -> None:
    percent = max(0, min(100, int(percent)))
    Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(progress=percent, step=step[:120])


def finish(job: Job, outcome: Outcome) -> None:
    now = timezone.now()
    stored = ""
    if outcome.content is not None:
        stored = files.save(outcome.content, "." + outcome.file_name.rsplit(".", 1)[-1])
    updated = Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.DONE,
        progress=100,
        step="Done",
        file=stored,
        file_name=outcome.file_name[:255],
        content_type=outcome.content_type[:120],
        size=len(outcome.content) if outcome.content is not None else None,
        message=outcome.message,
        next_url=outcome.next_url[:255],
        finished_at=now,
        expires_at=now + KEEP_FILES_FOR,
    )
    if not updated:  # failed meanwhile (took longer than RUNNING_AT_MOST)
        files.delete(stored)
    expire()


def fail(job: Job, exc: Exception | None) -> None:
    from ..web.evidence_views import public_message

    if exc is None:
        error = FAILED_UNEXPECTEDLY.format(reference=str(job.pk)[:8])
    else:
        error = public_message(exc)
    Job.objects.filter(pk=job.pk).update(
        status=Status.FAILED,
        error=error,
        finished_at=timezone.now(),
    )
    expire()


def drop_input(job: Job) -> None:
    """The job has run: the upload it read is deleted (rows of an extract are never kept)."""
    if job.input:
        files.delete(job.input)
        Job.objects.filter(pk=job.pk).update(input="")


def expired(job: Job, now=None) -> bool:
    return job.expires_at is not None and job.expires_at <= (now or timezone.now())


def expire(now=None) -> int:
    """Delete the files kept longer than KEEP_FILES_FOR (their rows say so), rows older than
    KEEP_ROWS_FOR, and fail the jobs whose worker stopped. Returns the files deleted. Run by
    the worker at its start and after every job, and by `jobs_expire`."""
    now = now or timezone.now()
    Job.objects.filter(status=Status.RUNNING, started_at__lt=now - RUNNING_AT_MOST).update(
        status=Status.FAILED, error=LOST_WORKER, finished_at=now
    )
    Job.objects.filter(status=Status.QUEUED, created_at__lt=now - KEEP_FILES_FOR).update(
        status=Status.FAILED, error=NO_WORKER, finished_at=now
    )
    for job in Job.objects.exclude(status__in=ACTIVE).exclude(input=""):
        drop_input(job)
    deleted = 0
    for job in Job.objects.filter(status=Status.DONE, expires_at__lte=now).exclude(file=""):
        files.delete(job.file)
        deleted += 1
    Job.objects.filter(status=Status.DONE, expires_at__lte=now).update(
        status=Status.EXPIRED, file="", step="Deleted"
    )
    Job.objects.filter(created_at__lt=now - KEEP_ROWS_FOR).delete()
    return deleted
