"""Indicator pages: the dashboard, an indicator's history, definitions, manual values,
youth justice extract import, evidence refresh and exports. Each view checks permission and
writes the audit log for what it reads or changes."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..accounts.permissions import MANAGE_INDICATORS, VIEW_INDICATORS, has, requires
from ..audit.log import record
from ..audit.models import Action as Audit
from ..evidence import EvidenceError
from ..jobs import services as jobs
from ..jobs.imports import queue_youth_justice_import
from ..paging import paged
from . import charts, exporting, services
from .definitions import Frequency, PeriodRule, Polarity, Source, TargetKind, Unit
from .extract import ExtractError, read_extract_bytes
from .forms import ExtractForm, IndicatorForm, ValueForm
from .models import Indicator, YouthJusticeExtract
from .periods import entry_periods
from .permissions import can_enter_values
from .status import status_of, statuses
from .targets import describe, format_number
from .youth_justice import DEFINITIONS
from .youth_justice_values import populations_10_17

ENTRY_PERIODS = 12  # periods offered on the value entry form
VALUES_PER_PAGE = 40  # an indicator's history, latest first
BREAKDOWN_TITLES = {"ethnicity": "Ethnicity", "sex": "Sex", "age_band": "Age band at offence"}
DEFINITION_TITLES = {
    "fte": "First-time entrants",
    "reoffending": "Proven reoffending",
    "reoffences_per_reoffender": "Reoffences per reoffender",
    "reoffences_per_member": "Reoffences per cohort member",
    "custody": "Use of custody",
    "triage_to_fte": "Triage to first-time entry",
    "ages": "Ages",
    "breakdowns": "Breakdowns",
}


def _evidence():
    from ..web.evidence_views import _evidence as warm

    return warm()


def _stale() -> bool:
    try:
        with _evidence() as evidence:
            return services.stale_evidence(evidence)
    except EvidenceError:
        return False


@requires(VIEW_INDICATORS)
def dashboard(request):
    indicators = list(Indicator.objects.filter(active=True).select_related("owner"))
    rows = statuses(indicators)
    record(action=Audit.VIEW, request=request, object_type="indicators.dashboard")
    return render(
        request,
        "indicators/dashboard.html",
        {
            "rows": [
                {
                    "status": s,
                    "target": describe(s.indicator.target_spec),
                    "spark": charts.sparkline(
                        s.sparkline(),
                        label=f"{s.indicator.name}: last {len(s.sparkline())} periods",
                    ),
                }
                for s in rows
            ],
            "can_manage": has(request.user, MANAGE_INDICATORS),
            "stale": _stale() if has(request.user, MANAGE_INDICATORS) else False,
            "extract": YouthJusticeExtract.objects.first(),
        },
    )


@requires(VIEW_INDICATORS)
def detail(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("owner"), pk=pk)
    status = status_of(indicator, indicator.values.select_related("entered_by"))
    record(action=Audit.VIEW, request=request, obj=indicator)
    latest = status.latest
    return render(
        request,
        "indicators/detail.html",
        {
            "i": indicator,
            "status": status,
            **paged(request, list(reversed(status.points)), VALUES_PER_PAGE),
            "target": describe(indicator.target_spec),
            "labels": {
                "unit": Unit(indicator.unit).label,
                "polarity": Polarity(indicator.polarity).label,
                "frequency": Frequency(indicator.frequency).label,
                "source": Source(indicator.source).label,
                "rule": PeriodRule(indicator.period_rule).label if indicator.period_rule else "",
                "target_kind": TargetKind(indicator.target_kind).label,
            },
            "yj_definition": DEFINITIONS.get(_yj_key(indicator)),
            "breakdowns": [
                (BREAKDOWN_TITLES.get(name, name), groups)
                for name, groups in (
                    (latest.detail.get("breakdowns") if latest else None) or {}
                ).items()
            ],
            "can_enter": can_enter_values(request.user, indicator),
            "can_manage": has(request.user, MANAGE_INDICATORS),
        },
    )


def _yj_key(indicator: Indicator) -> str:
    """The DEFINITIONS key of a youth justice indicator's measure."""
    measure = indicator.youth_justice_measure
    return next((k for k in DEFINITIONS if measure.startswith(k)), measure)


@requires(MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def edit(request, pk: int | None = None):
    indicator = get_object_or_404(Indicator, pk=pk) if pk else Indicator()
    initial = (
        {name: getattr(indicator, name) for name in IndicatorForm.base_fields if name != "owner"}
        | {"owner": indicator.owner_id}
        if pk
        else {"owner": request.user.agency_id}
    )
    form = IndicatorForm(request.POST or None, initial=initial, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.save_indicator(
            indicator, fields=form.cleaned_data, user=request.user, request=request
        )
        messages.success(request, f"Saved {indicator.code}.")
        if indicator.source == Source.EVIDENCE:
            _refresh(request)
        return redirect("indicators:detail", indicator.pk)
    return render(
        request,
        "indicators/form.html",
        {
            "form": form,
            "title": f"Edit {indicator.code}" if pk else "New indicator",
            "i": indicator,
        },
    )


@requires(VIEW_INDICATORS)
@require_http_methods(["GET", "POST"])
def enter_value(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("owner"), pk=pk)
    if not can_enter_values(request.user, indicator):
        raise PermissionDenied
    today = timezone.localdate()
    spans = entry_periods(Frequency(indicator.frequency), today=today, count=ENTRY_PERIODS)
    by_end = {s.end_date.isoformat(): s for s in spans}
    entered = {v.period_end.isoformat(): v for v in indicator.values.all()}
    choices = [
        (
            key,
            span.label
            + (" (in progress: provisional)" if span.end_date >= today else "")
            + (f" (now {format_number(entered[key].value)})" if key in entered else ""),
        )
        for key, span in by_end.items()
    ]
    form = ValueForm(request.POST or None, periods=choices, unit=indicator.unit)
    if request.method == "POST" and form.is_valid():
        span = by_end[form.cleaned_data["period"]]
        try:
            services.enter_value(
                indicator,
                period=span,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                user=request.user,
                request=request,
                today=today,
            )
        except services.IndicatorError as exc:
            form.add_error("period", str(exc))
        else:
            messages.success(request, f"Recorded {indicator.code} for {span.label}.")
            return redirect("indicators:detail", indicator.pk)
    return render(
        request,
        "indicators/form.html",
        {"form": form, "title": f"Enter a value: {indicator.name}", "i": indicator},
    )


def _store_populations(area: str) -> dict[int, int]:
    """The area's 10–17 populations from the site's evidence store, if it holds any."""
    try:
        with _evidence() as evidence:
            return populations_10_17(evidence.con, area)
    except EvidenceError:
        return {}


def _refresh(request) -> None:
    try:
        with _evidence() as evidence:
            result = services.refresh_evidence(evidence, request=request)
    except EvidenceError as exc:
        messages.error(request, f"Evidence indicators not refreshed: {exc}")
        return
    messages.success(
        request,
        f"Refreshed {result.indicators} evidence indicators ({result.values_changed} values "
        "changed).",
    )
    for problem in result.problems:
        messages.error(request, problem)


@requires(MANAGE_INDICATORS)
@require_POST
def refresh(request):
    _refresh(request)
    return redirect("indicators:dashboard")


@requires(MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def youth_justice_import(request):
    form = ExtractForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["extract"]
        data = upload.read()
        try:
            outcomes = read_extract_bytes(data, upload.name, today=timezone.localdate())
            populations = {
                **_store_populations(form.cleaned_data["area"]),
                **form.cleaned_data["populations"],
            }
            # Checked above; a large extract is recomputed by a background job.
            job = queue_youth_justice_import(
                data,
                rows=len(outcomes),
                file_name=upload.name,
                area=form.cleaned_data["area"],
                populations=populations,
                today=timezone.localdate(),
                user=request.user,
            )
            if job is not None:
                return redirect("jobs:detail", job.pk)
            extract = services.import_youth_justice(
                outcomes,
                data=data,
                file_name=upload.name,
                area=form.cleaned_data["area"],
                populations=populations,
                as_at=timezone.localdate(),
                user=request.user,
                request=request,
            )
        except ExtractError as exc:
            problems = exc.listed + exc.summary()
        except services.IndicatorError as exc:
            problems = [str(exc)]
        except (jobs.Busy, jobs.QueueDown) as exc:
            problems = [str(exc)]
        else:
            messages.success(
                request,
                f"Imported {extract.file_name}: {extract.rows} rows, {extract.people} children. "
                "Youth justice indicators recomputed; the rows themselves are not kept.",
            )
            return redirect("indicators:dashboard")
    return render(
        request,
        "indicators/youth_justice_import.html",
        {
            "form": form,
            "problems": problems,
            "definitions": [(DEFINITION_TITLES.get(k, k), text) for k, text in DEFINITIONS.items()],
        },
    )


def _download(request, fmt: str, title: str, header, rows, name: str, obj=None):
    if fmt not in exporting.CONTENT_TYPES:
        return HttpResponse(
            "No such export: choose csv or xlsx", status=400, content_type="text/plain"
        )
    record(
        action=Audit.EXPORT,
        request=request,
        obj=obj,
        object_type="" if obj else "indicators.dashboard",
        changes={"format": fmt},
    )
    response = HttpResponse(
        exporting.render(fmt, title, header, rows), content_type=exporting.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@requires(VIEW_INDICATORS)
def export_all(request, fmt: str):
    indicators = list(Indicator.objects.filter(active=True).select_related("owner"))
    rows = exporting.dashboard_rows(statuses(indicators))
    stamp = date.today().isoformat()
    return _download(
        request, fmt, "Indicators", exporting.DASHBOARD_COLUMNS, rows, f"indicators-{stamp}"
    )


@requires(VIEW_INDICATORS)
def export_one(request, pk: int, fmt: str):
    indicator = get_object_or_404(Indicator, pk=pk)
    status = status_of(indicator, indicator.values.select_related("entered_by"))
    rows = exporting.history_rows(status.points, indicator.unit)
    return _download(
        request,
        fmt,
        indicator.code,
        exporting.HISTORY_COLUMNS,
        rows,
        f"indicator-{indicator.code}",
        obj=indicator,
    )
