"""A job's progress page, its progress as JSON for the page's script, and its file."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from ..accounts.permissions import has
from ..audit.log import record
from ..audit.models import Action
from . import files, services
from .kinds import KINDS
from .models import Job, Status
from .permissions import job_for

# While a job runs the page polls: its script (static, so the CSP allows it) every
# POLL_SECONDS; without script, a <noscript> meta refresh.
POLL_SECONDS = 2


def _signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _shown(job: Job) -> Job:
    """A finished job's file past its time is expired, whether or not the worker has
    deleted it yet."""
    if job.status == Status.DONE and services.expired(job):
        job.status = Status.EXPIRED
    return job


def _next_url(request, job: Job) -> str:
    if job.next_url and url_has_allowed_host_and_scheme(
        job.next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return job.next_url
    return ""


@_signed_in
@require_GET
def detail(request, pk):
    job = _shown(job_for(request.user, pk))
    kind = KINDS[job.kind]
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "kind": kind,
            "noun": kind.noun,
            "again_url": kind.again_url(job),
            "again_label": kind.again_label,
            "poll": POLL_SECONDS if job.active else None,
            "next_url": _next_url(request, job),
            "kept_hours": int(services.KEEP_FILES_FOR.total_seconds() // 3600),
        },
    )


@_signed_in
@require_GET
def progress(request, pk):
    job = _shown(job_for(request.user, pk))
    return JsonResponse(
        {"status": job.status, "progress": job.progress, "step": job.step, "active": job.active}
    )


@_signed_in
@require_GET
def download(request, pk):
    job = _shown(job_for(request.user, pk))
    if job.status != Status.DONE or not job.file:
        raise Http404("No file for this job")
    try:
        handle = files.storage().open(job.file, "rb")
    except FileNotFoundError:
        raise Http404("No file for this job") from None
    audit = job.audit or {}
    record(
        action=Action.EXPORT,
        request=request,
        object_type=audit.get("object_type", f"jobs.{job.kind}"),
        object_id=audit.get("object_id", str(job.pk)),
        changes={**audit.get("changes", {}), "job": str(job.pk)},
    )
    return FileResponse(
        handle, as_attachment=True, filename=job.file_name, content_type=job.content_type
    )


@_signed_in
@require_GET
def mine(request):
    """The user's jobs of the last 30 days, newest first: a report asked for and left."""
    jobs = [
        _shown(job)
        for job in Job.objects.filter(owner=request.user)[:50]
        if job.kind in KINDS and has(request.user, KINDS[job.kind].permission)
    ]
    return render(request, "jobs/list.html", {"jobs": jobs})
