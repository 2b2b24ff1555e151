"""`python -m django jobs_worker`: the background-job worker (`saferhub serve` starts one)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Safer Hub's background jobs (reports, imports) from the configured queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then exit."
        )
        parser.add_argument(
            "--limit-memory",
            action="store_true",
            help="Cap this process's memory as a web worker's is (SAFERHUB_WORKER_MEMORY_MB).",
        )

    def handle(self, *, batch: bool, limit_memory: bool, **options):
        from ...worker import run

        if limit_memory:  # one job must never take the machine, as one request must not
            from ....web.gunicorn_conf import limit_memory as cap

            cap()

        ran = run(batch=batch)
        if batch:
            self.stdout.write(f"ran {ran} jobs")
