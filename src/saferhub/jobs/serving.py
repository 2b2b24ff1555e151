"""`saferhub serve` for the embedded setup: the web server and a job worker, run together.
`serve` execs `python -m saferhub.jobs.serving ARGS…`, ARGS being gunicorn's command line
after the interpreter (`-m gunicorn --config …`).

Both are children of this process, each in its own session, so a signal to this process
(Ctrl-C in the terminal, SIGTERM from a service manager) reaches each of them once, from
here. When the web server stops, the worker is stopped too, after the job in hand (up to
STOP_WAIT seconds); a worker that dies is started again; and on Linux each child is told to
stop if this process dies without a word (killed)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

STOP_WAIT = 30  # seconds: gunicorn's graceful_timeout, and the worker's to finish a job
RESTART_AFTER = 5  # seconds between starts of a worker that keeps dying


def _stop_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, start_new_session=True, preexec_fn=_stop_with_parent)


def _stop(process: subprocess.Popen | None, wait: float = STOP_WAIT) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_command() -> list[str]:
    return [sys.executable, "-m", "django", "jobs_worker", "--limit-memory"]


def supervise(web: list[str], worker: list[str]) -> int:
    """Run `web` and `worker` until the web server stops; returns its exit status."""
    stopping: list[int] = []
    web_process = _start(web)
    worker_process = _start(worker)
    worker_started = time.monotonic()

    def forward(signum, _frame) -> None:
        if signum == signal.SIGHUP:  # gunicorn reloads; the worker restarts on new code
            web_process.send_signal(signum)
            worker_process.terminate()
            return
        stopping.append(signum)
        if web_process.poll() is None:
            web_process.send_signal(signum)

    previous = {
        s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    }
    try:
        while web_process.poll() is None:
            if (
                not stopping
                and worker_process.poll() is not None
                and time.monotonic() - worker_started >= RESTART_AFTER
            ):
                worker_process = _start(worker)
                worker_started = time.monotonic()
            time.sleep(0.2)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _stop(web_process)
        _stop(worker_process)
    return web_process.returncode


if __name__ == "__main__":
    sys.exit(supervise([sys.executable, *sys.argv[1:]], worker_command()))
