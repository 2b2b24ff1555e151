"""Site-wide protections: security headers, and two factors before any page; and, for the
web benchmark only, what each response cost the server."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
OPEN_PATHS = (
    "/accounts/sign-in/",
    "/accounts/two-factor/",
    "/accounts/password-reset/",
    "/static/",
)


def security_headers(get_response):
    """Content-Security-Policy without inline script, on every response; and no copy of any
    page or export kept by the browser or a proxy (a shared council PC's back button must not
    show the last user's cases), except the static files."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response

    return middleware


def require_two_factor(get_response):
    """Every signed-in user must have verified a TOTP code in this session; users without a
    device are sent to enrol. Pages that sign people in stay open."""

    def middleware(request):
        path = request.path
        if path.startswith(OPEN_PATHS) or path == settings.STATIC_URL:
            return get_response(request)
        user = request.user
        if user.is_authenticated and not user.is_verified():
            return redirect("accounts:two-factor")
        return get_response(request)

    return middleware


def limit_request_body(get_response):
    """A request whose declared body is larger than settings.MAX_REQUEST_BODY is refused
    before any of it is read (413). A body without a length (chunked) reads as empty in
    Django, so the declared length is the whole of it."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY:
            limit = settings.MAX_REQUEST_BODY // (1024 * 1024)
            return HttpResponse(
                f"The request is too large: the site takes up to {limit} MB at a time.",
                status=413,
                content_type="text/plain",
            )
        return get_response(request)

    return middleware


# Where a user who must choose a new password may still go.
NEW_PASSWORD_PATHS = ("/accounts/new-password/", "/accounts/sign-out/", "/static/")


def require_new_password(get_response):
    """An account whose password an admin set (`must_change_password`) sees only the "choose
    a new password" page, once both factors are in, until it has chosen one."""

    def middleware(request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and user.is_verified()
            and not request.path.startswith(NEW_PASSWORD_PATHS)
        ):
            return redirect("accounts:new-password")
        return get_response(request)

    return middleware


class _Queries:
    """Counts and times the database queries of one request (an execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


def server_timing(get_response):
    """With settings.SERVER_TIMING (SAFERHUB_SERVER_TIMING=1, which bench/bench_web.py sets),
    each response carries a Server-Timing header: the time Django spent on it (`app`), the
    CPU time of its thread (`cpu`), and its database queries (`db`, their count in `desc`).
    Off by default: timings tell an outsider how the server works."""
    if not getattr(settings, "SERVER_TIMING", False):
        raise MiddlewareNotUsed

    def middleware(request):
        queries = _Queries()
        start, cpu = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(queries):
            response = get_response(request)
        app = (time.perf_counter() - start) * 1000
        cpu = (time.thread_time() - cpu) * 1000
        response["Server-Timing"] = (
            f"app;dur={app:.1f}, cpu;dur={cpu:.1f}, "
            f'db;dur={queries.seconds * 1000:.1f};desc="{queries.count}"'
        )
        return response

    return middleware
