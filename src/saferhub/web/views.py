from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..accounts.models import Agency, User
from ..accounts.permissions import (
    MANAGE_ACCOUNTS,
    VIEW_AUDIT,
    VIEW_EVIDENCE,
    VIEW_INDICATORS,
    VIEW_PLANS,
    has,
)


@login_required
def home(request):
    """What the partnership has, and what this user may open."""
    return render(
        request,
        "home.html",
        {
            "agencies": Agency.objects.count(),
            "users": User.objects.filter(is_active=True).count(),
            "can": {
                "accounts": has(request.user, MANAGE_ACCOUNTS),
                "audit": has(request.user, VIEW_AUDIT),
                "evidence": has(request.user, VIEW_EVIDENCE),
                "plans": has(request.user, VIEW_PLANS),
                "indicators": has(request.user, VIEW_INDICATORS),
            },
        },
    )
