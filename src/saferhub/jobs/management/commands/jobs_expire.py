"""`python -m django jobs_expire`: delete job files past their 24 hours (for cron; the worker
also does this at its start and after every job)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Delete background-job files older than 24 hours."

    def handle(self, **options):
        from ...services import expire

        self.stdout.write(f"deleted {expire()} job files")
