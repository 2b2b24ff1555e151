"""`python -m django jobs_worker`: the background-job worker (`saferhub serve` starts one)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Safer Hub's background jobs (reports, imports) from the configured queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then exit."
        )

    def handle(self, *, batch: bool, **options):
        from ...worker import run

        ran = run(batch=batch)
        if batch:
            self.stdout.write(f"ran {ran} jobs")
