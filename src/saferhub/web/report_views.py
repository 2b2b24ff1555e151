"""The assessment report as a file (HTML, PDF or Word) for the area and period asked."""

from __future__ import annotations

from django.http import HttpResponse

from ..accounts.permissions import VIEW_EVIDENCE, requires
from ..audit.log import record
from ..audit.models import Action
from ..evidence import EvidenceError
from .evidence_views import FORMATS, AssessmentForm, _evidence, public_message


@requires(VIEW_EVIDENCE)
def download(request, fmt: str):
    from ..reports.config import default_config
    from ..reports.render import render_all

    form = AssessmentForm(request.GET or None)
    if fmt not in FORMATS or not form.is_valid():
        return HttpResponse(
            "Choose an area, a period and a format.", status=400, content_type="text/plain"
        )
    try:
        with _evidence() as evidence:
            area = evidence.assess(
                area=form.cleaned_data["area"], period=form.cleaned_data["period"]
            )["area"]
            document = render_all(
                evidence,
                area=area["name"],
                period=form.cleaned_data["period"],
                compare=form.comparators(),
                config=default_config(area["name"], evidence.taxonomy),
                formats=[fmt],
            )[fmt]
    except EvidenceError as exc:
        return HttpResponse(public_message(exc), status=400, content_type="text/plain")
    record(
        action=Action.EXPORT,
        request=request,
        object_type="evidence.Assessment",
        object_id=area["code"] or "",
        changes={"format": fmt, "period": form.cleaned_data["period"]},
    )
    response = HttpResponse(document, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="assessment.{fmt}"'
    return response
