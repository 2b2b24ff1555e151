"""Large imports as jobs. The file is read and checked in the request as before, so every
problem is listed on the import page as it always was; only the storing (and the
recomputing, for an extract) of a file that passed runs as a job, when the file is large.
Small files are stored in the request: the page goes straight to what they made."""

from __future__ import annotations

import hashlib
from datetime import date

from django.urls import reverse

from . import files, services
from .kinds import PLAN_IMPORT, YOUTH_JUSTICE_IMPORT, Outcome, Progress

# Above these the storing takes seconds (bench/README.md: 5,000 actions and 20,000 updates
# store in 2–3.5 s; 60,000 extract rows read and recompute in about 4 s): a job.
LARGE_PLAN = 2_000  # actions and updates
LARGE_EXTRACT = 20_000  # rows


def plan_size(plan) -> int:
    return sum(1 + len(action.updates) for _, action in plan.actions())


def queue_plan_import(token: str, *, digest: str, user):
    """The job storing the user's previewed plan when it is large; None when it is small or
    no longer waiting (the request then confirms it, and says so, as ever)."""
    from ..plans import convert
    from ..plans.models import PendingImport

    pending = PendingImport.objects.filter(
        token=token, user=user, digest=digest, imported_at=None
    ).first()
    if not token or pending is None:
        return None
    plan = convert.plan_from_data(pending.plan)
    if plan_size(plan) <= LARGE_PLAN:
        return None
    from ..plans import services as plans

    asked = {"token": token, "digest": digest}
    job = services.submit(
        owner=user,
        kind=PLAN_IMPORT,
        title=f"Plan import: {plan.title or pending.name}",
        params=asked,
        same=services.fingerprint(PLAN_IMPORT, asked),  # a second click: the same job
    )
    plans.hand_to_job(pending)  # a new preview or upload no longer drops it
    return job


def plan_import(job, progress: Progress) -> Outcome:
    from ..plans import services as plans
    from ..plans.models import Action

    progress(20, "Storing the objectives, actions and updates")
    strategy = plans.confirm_import(
        job.params["token"], digest=job.params["digest"], user=job.owner
    )
    actions = Action.objects.filter(objective__strategy=strategy).count()
    return Outcome(
        message=f"Imported {strategy.title}: {actions:,} actions.",
        next_url=reverse("plans:detail", args=[strategy.pk]),
    )


def plan_again_url(job) -> str:
    return reverse("plans:import")


def queue_youth_justice_import(
    data: bytes,
    *,
    rows: int,
    file_name: str,
    area: str,
    populations: dict[int, int],
    today: date,
    user,
):
    """The job recomputing the youth justice indicators from a large extract (`rows` read
    and checked in the request); None for a small one, which the request imports itself.
    The upload waits in the jobs folder (owner-only) until the job has run, then is
    deleted: the rows are never kept, as in the request."""
    if rows <= LARGE_EXTRACT:
        return None
    asked = {
        "file_name": file_name,
        "area": area,
        "populations": {str(k): v for k, v in sorted(populations.items())},
        "today": today.isoformat(),
    }
    stored = files.save(data, ".upload")
    try:
        job = services.submit(
            owner=user,
            kind=YOUTH_JUSTICE_IMPORT,
            title=f"Youth justice import: {file_name}",
            params=asked,
            same=services.fingerprint(
                YOUTH_JUSTICE_IMPORT, asked, data=hashlib.sha256(data).hexdigest()
            ),
            input=stored,
        )
    except Exception:
        files.delete(stored)
        raise
    if job.input != stored:  # the same upload is already waiting or done: this copy goes
        files.delete(stored)
    return job


def youth_justice_import(job, progress: Progress) -> Outcome:
    from ..indicators import services as indicators
    from ..indicators.extract import read_extract_bytes

    asked = job.params
    today = date.fromisoformat(asked["today"])
    progress(5, "Reading the extract")
    with files.storage().open(job.input, "rb") as handle:
        data = handle.read()
    outcomes = read_extract_bytes(data, asked["file_name"], today=today)
    progress(40, "Working out the youth justice indicators")
    extract = indicators.import_youth_justice(
        outcomes,
        data=data,
        file_name=asked["file_name"],
        area=asked["area"],
        populations={int(k): v for k, v in asked["populations"].items()},
        as_at=today,
        user=job.owner,
    )
    return Outcome(
        message=(
            f"Imported {extract.file_name}: {extract.rows:,} rows, {extract.people:,} children. "
            "Youth justice indicators recomputed; the rows themselves are not kept."
        ),
        next_url=reverse("indicators:dashboard"),
    )


def youth_justice_again_url(job) -> str:
    return reverse("indicators:youth-justice")
