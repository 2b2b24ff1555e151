"""The assessment report as a file (HTML, PDF or Word) for the area and period asked: the
question is checked here, at once (an unknown area or period is answered on the spot), and
the file is made by a background job whose page shows its progress and then offers it."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

from ..accounts.permissions import VIEW_EVIDENCE, requires
from ..evidence import EvidenceError, default_store_path
from ..jobs import services
from ..jobs.kinds import REPORT
from ..jobs.reports import FORMAT_NAMES
from .evidence_views import FORMATS, AssessmentForm, _assess, public_message


def _refused(request, message: str, status: int):
    """The evidence page, with the same question, offers the closest names to a wrong one."""
    return render(
        request,
        "jobs/refused.html",
        {"message": message, "query": request.GET.urlencode()},
        status=status,
    )


def _store_version() -> str:
    """The evidence store as it is now: a report asked for again after an ingest is a new one."""
    path = default_store_path()
    stat = path.stat()
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


@requires(VIEW_EVIDENCE)
def download(request, fmt: str):
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        # A link on another site must not spend the worker's time in the user's name: it
        # opens the assessment itself (a read), where the user can ask for the report.
        return redirect(f"{reverse('evidence')}?{request.GET.urlencode()}")
    form = AssessmentForm(request.GET or None)
    if fmt not in FORMATS or not form.is_valid():
        return _refused(request, "Choose an area, a period and a format.", 400)
    compare = form.comparators()
    try:
        # The same cached assessment the evidence page shows: tens of milliseconds.
        a = _assess(form.cleaned_data["area"], form.cleaned_data["period"], tuple(compare))
        version = _store_version()
    except (EvidenceError, OSError) as exc:
        return _refused(request, public_message(exc), 400)
    asked = {
        "area": form.cleaned_data["area"].strip(),
        "period": form.cleaned_data["period"].strip(),
        "compare": compare,
        "format": fmt,
    }
    try:
        job = services.submit(
            owner=request.user,
            kind=REPORT,
            title=f"Strategic assessment: {a['area']['name']}, {a['period']['title']} "
            f"({FORMAT_NAMES[fmt]})",
            params=asked,
            audit={
                "object_type": "evidence.Assessment",
                "object_id": a["area"]["code"] or "",
                "changes": {"format": fmt, "period": asked["period"]},
            },
            same=services.fingerprint(REPORT, asked, data=version),
            reuse_done=True,
        )
    except services.Busy as exc:
        return _refused(request, str(exc), 429)
    except services.QueueDown as exc:
        return _refused(request, str(exc), 503)
    return redirect("jobs:detail", job.pk)
