"""The web server's logs and limits (issue 12): access-log lines cannot be forged, reset links
are never logged, and one request cannot take the machine."""

import logging
import subprocess
import sys
import textwrap
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from saferhub.web import gunicorn_conf
from saferhub.web.logs import AccessLogger, SafeFormatter, safe

RESET = "/accounts/password-reset/MTI/cz5xyz-0123456789abcdef0123456789abcdef/"


def access_line(path: str, raw: str | None = None, **headers) -> str:
    """The line gunicorn's access log would write for one request, with the site's config."""
    cfg = Config()
    cfg.set("accesslog", None)
    cfg.set("access_log_format", gunicorn_conf.access_log_format)
    logger = AccessLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw or path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": headers.get("referer", "-"),
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = logger.atoms_wrapper_class(
        logger.atoms(response, request, environ, timedelta(milliseconds=12))
    )
    return cfg.access_log_format % atoms


def test_a_crlf_in_the_path_cannot_forge_an_access_log_line():
    line = access_line("/x\r\nGET /admin 200 1ms\x1b[2J\u2028")
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert line == "GET /x\\r\\nGET /admin 200 1ms\\x1b[2J\\u2028 200 12ms"


def test_reset_links_are_redacted_in_the_access_log():
    line = access_line(RESET)
    assert "cz5xyz" not in line and "MTI" not in line
    assert line == "GET /accounts/password-reset/[redacted] 200 12ms"
    assert "set-password" not in access_line("/accounts/password-reset/MTI/set-password/")
    # The pages around it are named as they are.
    assert "/accounts/password-reset/sent/ " in access_line("/accounts/password-reset/sent/")
    assert "/accounts/password-reset/ " in access_line("/accounts/password-reset/")


def test_the_request_line_and_referrer_are_made_safe_too():
    assert (
        safe(f"GET {RESET}?a=b HTTP/1.1") == "GET /accounts/password-reset/[redacted]?a=b HTTP/1.1"
    )
    assert safe("a\\b\x00") == "a\\\\b\\x00"


def test_the_site_uses_the_safe_logger_and_limits():
    assert gunicorn_conf.logger_class == "saferhub.web.logs.AccessLogger"
    assert gunicorn_conf.timeout == 60 and gunicorn_conf.graceful_timeout > 0
    assert gunicorn_conf.max_requests > 0 and gunicorn_conf.max_requests_jitter > 0
    assert gunicorn_conf.MEMORY_MB == 1536


def test_serve_runs_gunicorn_with_the_config(monkeypatch):
    from click.testing import CliRunner

    from saferhub import cli

    seen = {}
    import os

    monkeypatch.setattr(os, "execv", lambda exe, args: seen.update(args=args))
    result = CliRunner().invoke(cli.main, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    args = seen["args"]
    assert args[args.index("--config") + 1] == "python:saferhub.web.gunicorn_conf"
    assert "127.0.0.1:8123" in args and "--access-logformat" not in args


def test_django_log_lines_are_escaped_and_redacted():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (), None
    )
    record.args = (RESET + "\r\nforged line",)
    line = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert (
        line == "ERROR Internal Server Error: /accounts/password-reset/[redacted]\\r\\nforged line"
    )


def test_a_logged_error_keeps_its_frames_but_never_its_message():
    """An exception's message can quote a user's text or a person's name: only its type and
    where it happened reach the log."""
    name = "Jo " + "Bloggs"  # a fictional person, not written out in the failing line
    try:
        {}[name]
    except KeyError:
        info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x/", (), info
    )
    text = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert "Bloggs" not in text
    assert text.splitlines()[-1] == "KeyError" and "test_server.py" in text


def test_the_site_logging_uses_the_safe_formatter(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "safe"
    assert settings.LOGGING["formatters"]["safe"]["()"] == "saferhub.web.logs.SafeFormatter"


def test_a_worker_past_its_memory_limit_gets_memory_error():
    """The post_fork hook's limit, in a child process (never the test's own)."""
    child = textwrap.dedent(
        """
        from types import SimpleNamespace
        from saferhub.web import gunicorn_conf
        worker = SimpleNamespace(log=None, alive=True, pid=0)
        gunicorn_conf.limit_memory(gunicorn_conf.MEMORY_MB)
        try:
            block = bytearray(3 * 1024 * 1024 * 1024)
        except MemoryError:
            print("MemoryError")
        else:
            print("allocated", len(block))
        small = bytearray(64 * 1024 * 1024)  # below the limit, work goes on
        print("small ok", len(small))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child],
        capture_output=True,
        text=True,
        env={"SAFERHUB_WORKER_MEMORY_MB": "512", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.stdout.split("\n")[:2] == ["MemoryError", f"small ok {64 * 1024 * 1024}"], (
        result.stderr
    )


def test_post_fork_sets_the_limit_and_starts_the_watchdog():
    child = textwrap.dedent(
        """
        import resource
        from types import SimpleNamespace
        from saferhub.web import gunicorn_conf
        worker = SimpleNamespace(log=None, alive=True, pid=0)
        gunicorn_conf.post_fork(None, worker)
        print(resource.getrlimit(resource.RLIMIT_AS)[0] // (1024 * 1024))
        gunicorn_conf.pre_request(worker, None)
        print(len(worker.saferhub_started))
        gunicorn_conf.post_request(worker, None, {}, None)
        print(len(worker.saferhub_started))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child],
        capture_output=True,
        text=True,
        env={"SAFERHUB_WORKER_MEMORY_MB": "700", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.stdout.split() == ["700", "1", "0"], result.stderr


def test_a_request_past_the_timeout_is_overdue():
    assert not gunicorn_conf.overdue({1: 100.0}, 159.0, 60)
    assert gunicorn_conf.overdue({1: 100.0, 2: 150.0}, 161.0, 60)
    assert not gunicorn_conf.overdue({}, 1e9, 60)


@pytest.mark.django_db
def test_a_request_body_over_the_limit_is_refused_unread(client, settings):
    settings.MAX_REQUEST_BODY = 1024
    response = client.post(
        "/accounts/sign-in/", data=b"x" * 2048, content_type="application/octet-stream"
    )
    assert response.status_code == 413 and b"too large" in response.content
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
