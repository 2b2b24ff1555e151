"""Running queued jobs: the worker process `saferhub serve` starts beside the web server,
and the same worker run here and now (tests, `jobs_worker --batch`).

Both backends' own workers do the running: django-tasks-db's `Worker` for the queue in the
site database, RQ's for the queue on Redis."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

try:  # as in tasks.py: Django 6's own, else the django-tasks backport
    from django.tasks.signals import task_finished
except ImportError:
    from django_tasks.signals import task_finished

QUEUE = "default"


def backend_kind() -> str:
    """ "database" or "rq": which queue the site is set up with (settings.TASKS)."""
    from django.conf import settings

    path = settings.TASKS["default"]["BACKEND"]
    if path.startswith("django_tasks_db."):
        return "database"
    if path.startswith("django_tasks_rq."):
        return "rq"
    raise ImproperlyConfigured(f"no Safer Hub worker for the task backend {path}")


def run(*, batch: bool, interval: float = 1.0) -> int:
    """Run jobs until stopped (SIGTERM / SIGINT: the job in hand is finished first), or with
    `batch` until none is waiting. Returns how many ran."""
    from .services import expire

    expire()
    finished: list[object] = []

    def count(sender, task_result, **kwargs) -> None:
        finished.append(task_result.id)

    task_finished.connect(count, weak=False)
    try:
        _work(batch=batch, interval=interval)
    finally:
        task_finished.disconnect(count)
    return len(finished)


def _work(*, batch: bool, interval: float) -> None:
    if backend_kind() == "database":
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=[QUEUE],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"saferhub-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run()
        return
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    # SimpleWorker runs each job in this process (no fork per job): the same process
    # model as the database worker, and a job sees this process's database connection.
    worker = django_rq.get_worker(QUEUE, job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=batch, with_scheduler=False, logging_level="WARNING")
