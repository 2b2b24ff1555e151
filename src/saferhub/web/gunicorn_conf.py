"""gunicorn's settings for `saferhub serve`: one request must never take the machine.

- Each worker process may use at most SAFERHUB_WORKER_MEMORY_MB of address space (default
  1536; RLIMIT_AS, set in `post_fork`): a request that tries to use more gets MemoryError (a
  500 page), not the machine's memory.
- A request that runs longer than SAFERHUB_WORKER_TIMEOUT seconds (default 60) ends its
  worker: the worker takes no new requests, finishes its others within `graceful_timeout`,
  then exits, and gunicorn starts a fresh one. (gunicorn's own `timeout` only sees a worker
  whose main loop stops; with threads a stuck request thread does not stop it, so a watchdog
  thread in each worker checks the requests in flight.)
- Workers are replaced after `max_requests` (with jitter, so not all at once): a slow leak
  never grows without end. A fresh worker costs about 1.5 s of CPU (0.5 s to start Django,
  1 s more on its first views: the evidence store opened, its page built again), so not too
  often: every 1,000 requests, as before, was 1.5 ms of CPU a view and a replacement every
  few seconds under load (bench/bench_web.py).
- Request bodies are limited in the Django settings (DATA_UPLOAD_MAX_MEMORY_SIZE, and
  SAFERHUB_MAX_REQUEST_MB for a whole request: saferhub.web.middleware.limit_request_body).
- The access log escapes control characters and redacts password-reset links
  (saferhub.web.logs.AccessLogger).

Used as `gunicorn -c python:saferhub.web.gunicorn_conf`; `saferhub serve` does that.
"""

from __future__ import annotations

import os
import resource
import threading
import time

MEGABYTE = 1024 * 1024


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else default


MEMORY_MB = _number("SAFERHUB_WORKER_MEMORY_MB", 1536)
REQUEST_TIMEOUT = _number("SAFERHUB_WORKER_TIMEOUT", 60)

worker_class = "gthread"
threads = 4
timeout = REQUEST_TIMEOUT
graceful_timeout = 30
max_requests = 20_000
max_requests_jitter = 2_000
limit_request_line = 4094
limit_request_fields = 100
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"
logger_class = "saferhub.web.logs.AccessLogger"


def limit_memory(megabytes: int = MEMORY_MB) -> None:
    """Cap this process's address space (a worker's, once forked)."""
    limit = megabytes * MEGABYTE
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def overdue(started: dict, now: float, seconds: float) -> bool:
    """Whether any request in flight (thread → start time) has run longer than `seconds`."""
    return any(now - at > seconds for at in list(started.values()))


def _watch(worker, started: dict) -> None:
    while True:
        time.sleep(1)
        if overdue(started, time.monotonic(), REQUEST_TIMEOUT):
            worker.log.warning(
                "a request ran longer than %s s: worker %s stops", REQUEST_TIMEOUT, worker.pid
            )
            worker.alive = False  # no new requests; the others may finish
            time.sleep(graceful_timeout)
            os._exit(1)


def post_fork(server, worker) -> None:
    limit_memory()
    worker.saferhub_started = {}
    threading.Thread(target=_watch, args=(worker, worker.saferhub_started), daemon=True).start()


def pre_request(worker, req) -> None:
    getattr(worker, "saferhub_started", {})[threading.get_ident()] = time.monotonic()


def post_request(worker, req, environ, resp) -> None:
    getattr(worker, "saferhub_started", {}).pop(threading.get_ident(), None)
