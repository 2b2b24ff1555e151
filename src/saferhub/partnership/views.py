"""The admin's page for the partnership's area: what is set, who set it, and the form."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..accounts.permissions import requires
from ..evidence import EvidenceError
from . import services
from .areas import corrections
from .forms import PartnershipForm
from .permissions import MANAGE_PARTNERSHIP


def loaded_areas() -> list:
    """The areas in the evidence store, or none when nothing is loaded."""
    from ..web.evidence_views import _evidence

    try:
        with _evidence() as evidence:
            return list(evidence.areas)
    except EvidenceError:
        return []


@requires(MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def edit(request):
    setting = services.current()
    initial = (
        {"area": setting.area_name, "compare": ", ".join(setting.comparators)} if setting else {}
    )
    # A suggestion link fills the form with the name offered (GET), for the admin to save.
    initial |= {k: request.GET[k][:500] for k in ("area", "compare") if k in request.GET}
    form = PartnershipForm(request.POST or None, initial=initial, areas=loaded_areas())
    if request.method == "POST" and form.is_valid():
        services.set_area(form.choice, user=request.user, request=request)
        messages.success(request, f"The partnership's area is now {form.choice.area.name}.")
        return redirect("partnership:settings")
    fix = []
    if form.unknown is not None:
        here = reverse("partnership:settings")
        fix = [
            (label, f"{here}?{urlencode(values)}")
            for label, values in corrections(form.unknown, **form.typed)
        ]
    return render(
        request,
        "partnership/settings.html",
        {
            "setting": setting,
            "form": form,
            "fix": fix,
            "has_evidence": bool(form.areas),
            "agencies_own": services.agencies_with_their_own(),
        },
    )
