import logging
import secrets

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from ..accounts.permissions import (
    MANAGE_ACCOUNTS,
    VIEW_AUDIT,
    VIEW_EVIDENCE,
    VIEW_INDICATORS,
    VIEW_PLANS,
    has,
)
from . import home as sections

logger = logging.getLogger("saferhub.web.errors")


@login_required
def home(request):
    """What this user's role needs first, and what they may open."""
    return render(
        request,
        "home.html",
        {
            **sections.sections(request.user, timezone.localdate()),
            "can": {
                "accounts": has(request.user, MANAGE_ACCOUNTS),
                "audit": has(request.user, VIEW_AUDIT),
                "evidence": has(request.user, VIEW_EVIDENCE),
                "plans": has(request.user, VIEW_PLANS),
                "indicators": has(request.user, VIEW_INDICATORS),
            },
        },
    )


def server_error(request=None):
    """500: the site's layout from a plain render (no database, no request context), with a
    reference the user can quote; the same reference goes to the log, and nothing else."""
    reference = secrets.token_hex(4).upper()
    logger.error("Server error shown to the user with reference %s", reference)
    return HttpResponseServerError(loader.get_template("500.html").render({"reference": reference}))


def csrf_failure(request, reason=""):
    """A form sent without a valid security token (often an old page or a cookie blocked)."""
    return render(request, "csrf.html", status=403)
