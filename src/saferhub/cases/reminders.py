"""Task reminders by email: once per task and due date, whenever the job runs.

`send_due_reminders(today)` is run daily (by a scheduled job or `saferhub` command); running it
twice on one day, or every hour, sends nothing twice: each reminder is recorded
(`TaskReminder`, unique per task and due date) in the transaction that sends it, and a task
re-dated later is reminded again for its new date. The email names only the case reference
and the date: what the task says stays behind the sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..accounts.models import Role
from . import permissions as perms
from .models import Task, TaskReminder, TaskStatus


@dataclass(frozen=True)
class Reminded:
    tasks: int
    emails: int
    failed: int = 0  # tasks whose email could not be sent: tried again next run


def due_for_reminder(today: date):
    """Open tasks due on or before `today` not yet reminded for their due date."""
    reminded = TaskReminder.objects.filter(task=OuterRef("pk"), due_on=OuterRef("due_on"))
    return (
        Task.objects.filter(status=TaskStatus.OPEN, due_on__lte=today)
        .exclude(Exists(reminded))
        .select_related("case", "owner_user", "owner_agency")
        .order_by("due_on", "id")
    )


def recipients(task: Task, *, at: datetime) -> list:
    """The task's owner, or its owning agency's active practitioners, who can still see the
    case's tasks (someone whose access ended is not told about the case)."""
    if task.owner_user_id is not None:
        people = [task.owner_user] if task.owner_user.is_active else []
    else:
        people = list(
            task.owner_agency.users.filter(is_active=True, role=Role.PRACTITIONER).order_by("id")
        )
    return [p for p in people if p.email and perms.allowed(p, perms.VIEW_TASKS, task.case, at=at)]


def message(task: Task, today: date) -> tuple[str, str]:
    when = f"{task.due_on:%d %B %Y}".lstrip("0")
    late = " and is overdue" if task.due_on < today else ""
    subject = f"Task due on case {task.case.reference}"
    body = (
        f"A task on case {task.case.reference} is due on {when}{late}.\n\n"
        "Sign in to Safer Hub and open the case's tasks to see it.\n"
    )
    return subject, body


def send_due_reminders(today: date, *, at: datetime | None = None, connection=None) -> Reminded:
    """Email the owners of every task due by `today` that has not been reminded for its due
    date, and record each reminder. A task whose email fails is not recorded (and the others
    still go), so the next run tries it again."""
    at = at or timezone.now()
    connection = connection or get_connection()
    tasks = emails = failed = 0
    for task in due_for_reminder(today):
        people = recipients(task, at=at)
        subject, body = message(task, today)
        try:
            with transaction.atomic():
                TaskReminder.objects.create(
                    task=task, due_on=task.due_on, sent_at=at, recipients=len(people)
                )
                connection.send_messages(
                    [
                        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [p.email])
                        for p in people
                    ]
                )
        except IntegrityError:
            continue  # another run reminded it a moment ago
        except OSError:  # smtplib's errors, a refused connection: not recorded, so retried
            failed += 1
            continue
        tasks += 1
        emails += len(people)
    return Reminded(tasks=tasks, emails=emails, failed=failed)
