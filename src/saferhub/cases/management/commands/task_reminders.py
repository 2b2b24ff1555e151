"""`python -m django task_reminders [--on YYYY-MM-DD]`: email the owners of tasks due by that
day (default: today), once per task and due date (for cron, daily; running it again sends
nothing twice)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Email task owners about tasks due by a day, once per task and due date."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to remind for (YYYY-MM-DD); default today")

    def handle(self, **options):
        from ...reminders import send_due_reminders

        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError:
            raise CommandError("--on must be a date written YYYY-MM-DD") from None
        result = send_due_reminders(on)
        self.stdout.write(
            f"{result.tasks} tasks reminded, {result.emails} emails sent"
            + (f", {result.failed} tasks not sent (tried again next run)" if result.failed else "")
        )
