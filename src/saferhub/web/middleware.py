"""Site-wide protections: security headers, and two factors before any page."""

from __future__ import annotations

from django.conf import settings
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
