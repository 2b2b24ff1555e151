"""What the home page tells each person about casework: their cases and tasks, decisions on
their access requests, requests waiting for their agency, break glass to review.

`my_cases` and `my_tasks` return case content (titles, task descriptions), so they write the
audit entry of what they list (`reading.record_listing`); the `*_queryset` forms, for counts
and paging, do not, and a page that shows rows from them records the listing itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..cases import permissions as verbs
from ..cases.models import Case, Task, TaskStatus
from . import policy
from .models import AccessRequest, BreakGlass, RequestStatus
from .reading import record_listing

NOTICE_DAYS = 14  # a decision on a request stays on the requester's home page this long


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def my_cases_queryset(user, *, at: datetime | None = None) -> QuerySet[Case]:
    """Open cases the user leads or holds an open task on (theirs or their agency's)."""
    # The cases they lead and those with such a task, as one set from the indexes on the
    # lead officer and the task owners: the policy's filter then runs on those few rows,
    # not on every case (an OR of the two would scan the whole table).
    led = Case.objects.filter(lead_officer_id=user.pk).order_by().values("pk")
    tasked = (
        Task.objects.filter(status=TaskStatus.OPEN)
        .filter(Q(owner_user_id=user.pk) | Q(owner_agency_id=user.agency_id))
        .order_by()
        .values("case_id")
    )
    return (
        policy.visible_cases(user, at=at)
        .exclude(status="closed")
        .filter(pk__in=led.union(tasked))
        .select_related("business_area", "lead_agency")
        .order_by("-opened_on", "-id")
    )


def my_cases(user, *, at: datetime | None = None, request=None, limit: int = 50) -> list[Case]:
    """The first `limit` of `my_cases_queryset`, with the audit entry of the listing."""
    cases = list(my_cases_queryset(user, at=at)[:limit])
    record_listing(user, cases, what="my cases", request=request)
    return cases


def my_tasks_queryset(user, *, at: datetime | None = None) -> QuerySet[Task]:
    """Open tasks owned by the user or their agency on cases whose tasks they see, the
    earliest due first (`task.overdue(on)` marks the late ones)."""
    cases = policy.visible_cases(user, at=at, showing=verbs.VIEW_TASKS)
    if connection.vendor == "sqlite":
        # SQLite answers `case IN (every case whose tasks they see)` by listing all of them
        # first (every case of the partnership, with its grant subqueries: 0.1 s of CPU at
        # 50,000 cases), so there the policy's filter runs on the cases of the user's (and
        # their agency's) open tasks only. PostgreSQL plans the plain form well (a hashed
        # semi-join) and the narrowed one badly; the rows are the same either way.
        owned = Task.objects.filter(status=TaskStatus.OPEN).owned_by(user).order_by()
        cases = cases.filter(pk__in=owned.values("case_id"))
    return (
        Task.objects.filter(status=TaskStatus.OPEN, case__in=cases)
        .owned_by(user)
        .select_related("case", "owner_user", "owner_agency")
        .order_by("due_on", "id")
    )


def my_tasks(user, *, at: datetime | None = None, request=None, limit: int = 100) -> list[Task]:
    """The first `limit` of `my_tasks_queryset`, with the audit entry of the listing."""
    tasks = list(my_tasks_queryset(user, at=at)[:limit])
    record_listing(user, tasks, what="my tasks", request=request, object_type="cases.Task")
    return tasks


def overdue_count(user, on: date, *, at: datetime | None = None) -> int:
    return my_tasks_queryset(user, at=at).overdue(on).count()


def access_request_notices(
    user, *, at: datetime | None = None, days: int = NOTICE_DAYS
) -> QuerySet[AccessRequest]:
    """The user's requests decided in the last `days` days: what the home page tells them."""
    at = _now(at)
    return (
        AccessRequest.objects.filter(
            requester_id=user.pk,
            status__in=[RequestStatus.APPROVED, RequestStatus.REFUSED],
            decided_at__gt=at - timedelta(days=days),
            decided_at__lte=at,
        )
        .select_related("case", "decided_by")
        .order_by("-decided_at")
    )


def pending_access_requests(user, *, at: datetime | None = None) -> QuerySet[AccessRequest]:
    """Requests waiting for a decision on cases the user's agency leads (not their own)."""
    if not policy.is_practitioner(user):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.filter(
            status=RequestStatus.PENDING, case__lead_agency_id=user.agency_id
        )
        .exclude(requester_id=user.pk)
        .select_related("case", "requester__agency")
        .order_by("requested_at")
    )


def break_glass_to_review(user) -> QuerySet[BreakGlass]:
    """For a data protection officer: break glass not yet reviewed, the oldest first."""
    if not policy.is_dpo(user):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(reviewed_at__isnull=True)
        .exclude(user_id=user.pk)
        .select_related("user__agency", "case")
        .order_by("starts_at")
    )


def my_break_glass(user, *, at: datetime | None = None) -> QuerySet[BreakGlass]:
    """The user's own live break glass (the page says until when)."""
    return (
        policy.live_break_glass(_now(at))
        .filter(user_id=user.pk)
        .select_related("case")
        .order_by("ends_at")
    )
