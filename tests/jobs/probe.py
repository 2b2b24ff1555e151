"""A job kind for the tests: it reports its progress in steps and records what the job's row
said at each, then succeeds or fails as its parameters say."""

from __future__ import annotations

from saferhub.jobs.kinds import Outcome, Refused
from saferhub.jobs.models import Job

SEEN: list[tuple[str, int, str]] = []


def run(job, progress) -> Outcome:
    SEEN.append(_row(job))
    for percent, step in ((30, "Counting"), (60, "Drawing"), (90, "Writing")):
        progress(percent, step)
        SEEN.append(_row(job))
    if job.params.get("refuse"):
        raise Refused(f"{job.params['refuse']} (in /srv/private/folder/extract.csv)")
    if job.params.get("crash"):
        raise RuntimeError(job.params["crash"])
    return Outcome(content=b"probe result", file_name="probe.txt", content_type="text/plain")


def _row(job) -> tuple[str, int, str]:
    row = Job.objects.get(pk=job.pk)
    return (row.status, row.progress, row.step)
