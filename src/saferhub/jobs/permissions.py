"""Who sees a job: only the person who asked, while they still hold the permission the
work needs (a role changed since, and the job is closed to them too).

Not admins: a job's file is one person's export, reproducible by anyone entitled to it by
asking again, so no task needs another's; and each download's EXPORT entry then always
names the person the file was made for (ADR 9)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..accounts.permissions import has
from .kinds import KINDS
from .models import Job


def job_for(user, pk) -> Job:
    """The user's own job `pk`: 404 for anyone else's (its existence is not told), 403 when
    the user no longer holds the permission its kind needs."""
    job = Job.objects.filter(pk=pk, owner=user).first() if user.is_authenticated else None
    if job is None or job.kind not in KINDS:
        raise Http404("No such job")
    if not has(user, KINDS[job.kind].permission):
        raise PermissionDenied
    return job
