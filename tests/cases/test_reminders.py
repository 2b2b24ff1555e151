"""Task reminders: once per task and due date, to owners who can still see the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from saferhub.cases import services
from saferhub.cases.models import TaskReminder
from saferhub.cases.reminders import send_due_reminders

from .conftest import AT, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def tasks(world):
    def add(days: int, **owner):
        return services.add_task(
            world.lead,
            world.case,
            description="Visit flat 3 with housing (fictional)",
            due_on=TODAY + timedelta(days=days),
            at=AT,
            **owner,
        )

    return {
        "late": add(-3, owner_user=world.colleague),
        "today": add(0, owner_agency=world.police),
        "later": add(5, owner_user=world.lead),
    }


def test_each_due_task_is_reminded_once_whatever_the_runs(world, tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = send_due_reminders(TODAY, at=AT)
    assert (first.tasks, first.emails) == (2, 3)  # the colleague; both police practitioners
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted([world.colleague.email, world.colleague.email, world.lead.email])
    again = send_due_reminders(TODAY, at=AT + timedelta(hours=1))
    assert (again.tasks, again.emails) == (0, 0) and len(mail.outbox) == 3
    assert TaskReminder.objects.count() == 2


def test_the_email_names_the_case_not_the_task(world, tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_due_reminders(TODAY, at=AT)
    late = next(m for m in mail.outbox if "overdue" in m.body)
    assert world.case.reference in late.subject and "21 November 2026" in late.body
    assert all("Visit flat 3" not in m.body for m in mail.outbox)


def test_a_re_dated_task_is_reminded_again_and_done_ones_never(world, tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_due_reminders(TODAY, at=AT)
    late = tasks["late"]
    late.refresh_from_db()
    services.update_task(world.lead, late, version=late.version, changes={"due_on": TODAY}, at=AT)
    today = tasks["today"]
    services.update_task(world.lead, today, version=1, changes={"status": "done"}, at=AT)
    mail.outbox.clear()
    rerun = send_due_reminders(TODAY + timedelta(days=1), at=AT + timedelta(days=1))
    assert (rerun.tasks, [m.to for m in mail.outbox]) == (1, [[world.colleague.email]])


def test_an_owner_who_can_no_longer_see_the_case_is_not_emailed(world, tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.colleague.is_active = False
    world.colleague.save()
    result = send_due_reminders(TODAY, at=AT)
    assert result.tasks == 2 and [m.to for m in mail.outbox] == [[world.lead.email]]


def test_a_failed_email_is_not_recorded_so_the_next_run_retries(world, tasks):
    class Broken:
        def send_messages(self, messages):
            raise ConnectionRefusedError("no mail server")

    result = send_due_reminders(TODAY, at=AT, connection=Broken())
    assert (result.tasks, result.failed) == (0, 2) and not TaskReminder.objects.exists()


def test_the_command_reminds_for_the_day_given(world, tasks, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("task_reminders", "--on", "2026-11-21", stdout=out)
    assert out.getvalue().strip() == "1 tasks reminded, 1 emails sent"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("task_reminders", "--on", "21/11/2026")
