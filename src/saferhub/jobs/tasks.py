"""The one queued task: run a job by its id. Whatever happens, the job's row ends done or
failed with words a person can read; the queue sees a task that returned."""

from __future__ import annotations

import logging
import traceback

try:  # Django 6 has the tasks framework built in; django-tasks is its backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from ..accounts.permissions import has
from . import services
from .kinds import KINDS, Refused

logger = logging.getLogger("saferhub.jobs")


@task()
def run_job(job_id: str) -> None:
    job = services.start(job_id)
    if job is None:  # run already, expired, or gone
        return
    kind = KINDS[job.kind]
    if not has(job.owner, kind.permission):
        # The owner may have lost the role (or the account) while the job waited: the work
        # is done with their authority, so it is refused as their pages would be.
        services.fail(job, Refused("You no longer have access to do this."))
        services.drop_input(job)
        return
    try:
        outcome = kind.run(job, lambda percent, step: services.progress(job, percent, step))
    except Exception as exc:
        if kind.shown(exc):
            services.fail(job, exc)
        else:
            # A fault in the code, not in what was asked: where it happened goes to the log
            # (file, line and function only: an exception's text may hold what was asked).
            frames = traceback.extract_tb(exc.__traceback__)
            where = "; ".join(f"{f.filename}:{f.lineno} {f.name}" for f in frames[-5:])
            logger.error(
                "job %s (%s) failed: %s at %s", job.pk, job.kind, type(exc).__name__, where
            )
            services.fail(job, None)
        return
    finally:
        services.drop_input(job)  # an upload the job read is kept no longer than that
    services.finish(job, outcome)
