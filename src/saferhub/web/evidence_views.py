"""Evidence pages: the partnership's area's latest assessment without typing, or any area and
period asked for, drawn from the same report object the documents are made from."""

from __future__ import annotations

import re
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst

from ..accounts.permissions import VIEW_EVIDENCE, has, requires
from ..audit.log import record
from ..audit.models import Action
from ..evidence import Evidence, EvidenceError, Store, default_store_path
from ..govuk_forms import TEXT, GovukForm

FORMATS = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
PAGES_KEPT = 16  # built pages (figures and drawn charts) kept per store file


class AssessmentForm(GovukForm):
    area = forms.CharField(
        label="Area",
        max_length=120,
        help_text="A borough or ward name or code, or London",
        widget=forms.TextInput(attrs=TEXT),
    )
    period = forms.CharField(
        label="Period",
        max_length=40,
        initial="latest",
        help_text="For example 2018, 2018/19, 12m:2019-03 or latest",
        widget=forms.TextInput(attrs=TEXT),
    )
    compare = forms.CharField(
        label="Comparator boroughs",
        required=False,
        max_length=500,
        help_text="Names separated by commas",
        widget=forms.TextInput(attrs=TEXT),
    )

    def comparators(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["compare"].split(",") if c.strip()]


_cache: dict[tuple[str, float], Evidence] = {}
_results: dict[tuple, dict] = {}  # assessments of the cached store, by question
_pages: dict[tuple, EvidencePage] = {}  # pages of the cached store, by question
_lock = threading.Lock()


@contextmanager
def _evidence():
    """One warm Evidence per process and store file (rebuilt when the file changes); DuckDB
    connections are not shared between threads, so requests take turns (an assessment is
    tens of milliseconds)."""
    path = default_store_path()
    if not path.exists():
        raise EvidenceError("no evidence is loaded yet: an analyst loads it with saferhub ingest")
    key = (str(path), path.stat().st_mtime)
    with _lock:
        if key not in _cache:
            for old in _cache.values():
                old.store.close()
            _cache.clear()
            _results.clear()
            _pages.clear()
            _cache[key] = Evidence(Store(path, read_only=True))
        yield _cache[key]


def public_message(exc: Exception) -> str:
    """An error's text as a page may show it: the server's folders (the evidence store's,
    the temporary folder, the project's) never appear, only file names."""
    text = str(exc)
    store = default_store_path()
    folders = {
        str(store.resolve().parent),
        str(store.parent),
        tempfile.gettempdir(),
        str(Path(tempfile.gettempdir()).resolve()),
        str(Path.cwd()),
    }
    for folder in sorted((f for f in folders if f not in ("", ".", "/")), key=len, reverse=True):
        # The folder and any folders below it in that path (a temporary folder's own).
        text = re.sub(re.escape(folder.rstrip("/")) + r"/(?:[^/\s:'\"]+/)*", "", text)
    # Anything else that looks like an absolute path to a file: its name alone.
    return re.sub(r"(?<![\w.:/])/(?:[\w.+-]+/)+([\w.+-]+)", r"\1", text)


def _assess(area: str, period: str, compare: tuple[str, ...]) -> dict:
    """Assessments are pure functions of the store's contents: keep recent ones until the
    store file changes."""
    with _evidence() as evidence:
        key = (area.strip().lower(), period.strip().lower(), compare)
        if key not in _results:
            if len(_results) > 256:
                _results.clear()
            _results[key] = evidence.assess(area=area, period=period, compare=list(compare))
        return _results[key]


# ----------------------------------------------------------------------- the page object


@dataclass(frozen=True)
class Drawing:
    """A chart or map as the page shows it: the picture (an SVG data URI, which the CSP's
    img-src allows), its text alternative and the table of what it draws."""

    id: str
    title: str
    alt: str
    src: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class EvidencePage:
    """Everything the evidence page and the home summary print, built once per question from
    reports.model.build_report (the documents' object): nothing is recomputed in a template."""

    report: dict
    a: dict  # report["assessment"]
    total: dict  # the total crime category row
    findings: list[dict]
    trend: Drawing | None
    monthly: Drawing | None
    comparators: Drawing | None
    map: Drawing | None
    map_missing: str | None
    wards: list[dict]  # by total offences, most first
    wards_without_population: list[str]
    others: str  # the other areas compared, in words: "Eastmere, Westford and London"
    query: str  # area, period and comparators, for the report download links

    @property
    def no_ward_population(self) -> bool:
        """True when there are wards and none has a population: the page then says so once
        instead of naming every ward and writing "No population loaded" on each row."""
        return bool(self.wards) and len(self.wards_without_population) == len(self.wards)


def listing(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def _drawing(id_: str, chart) -> Drawing:
    return Drawing(id_, chart.title, chart.alt, chart.data_uri(), chart.headers, chart.rows)


def _build_page(evidence: Evidence, area: str, period: str, compare: list[str]) -> EvidencePage:
    from ..evidence.areas import resolve_area
    from ..reports.charts import profile_chart
    from ..reports.config import default_config
    from ..reports.html import build_charts
    from ..reports.model import build_report

    name = resolve_area(evidence.areas, area).name
    report = build_report(
        evidence,
        area=area,
        period=period,
        compare=compare,
        config=default_config(name, evidence.taxonomy),
    )
    charts = build_charts(report)
    a = report["assessment"]
    total = a["categories"][0]
    # With comparators the report shows the rate chart in place of the total's monthly
    # profile; the page shows both, drawn by the same function.
    monthly = charts.get("profile:total") or profile_chart(
        total["label"], total["monthly"], total["monthly_average"], total["months_above_average"]
    )
    trend, rates = charts.get("trend:total"), charts.get("comparators:total")
    ward_map = charts.get("map:total")
    return EvidencePage(
        report=report,
        a=a,
        total=total,
        findings=report["findings"],
        trend=_drawing("trend-total", trend) if trend else None,
        monthly=_drawing("monthly-total", monthly) if total["monthly"] else None,
        comparators=_drawing("comparators-chart", rates) if rates else None,
        map=_drawing("map-total", ward_map) if ward_map else None,
        map_missing=None if ward_map else (report["map"]["missing"] or "no ward data."),
        wards=sorted(a["wards"], key=lambda w: (-w["categories"]["total"]["count"], w["name"])),
        wards_without_population=sorted(w["name"] for w in a["wards"] if not w["population"]),
        others=listing([c["name"] for c in a["comparators"] if not c["is_subject"]]),
        query=urlencode({"area": area, "period": period, "compare": ", ".join(compare)}),
    )


def evidence_page(area: str, period: str, compare: list[str]) -> EvidencePage:
    """The page for this question, kept until the store file changes."""
    with _evidence() as evidence:
        key = (area.strip().lower(), period.strip().lower(), tuple(compare))
        if key not in _pages:
            if len(_pages) >= PAGES_KEPT:
                _pages.clear()
            _pages[key] = _build_page(evidence, area, period, compare)
        return _pages[key]


def partnership_page(setting) -> EvidencePage:
    """The partnership's area's latest assessment, with its comparators."""
    return evidence_page(setting.area_code or setting.area_name, "latest", setting.comparators)


def _link(area: str, period: str, compare: str) -> str:
    return (
        f"{reverse('evidence')}?{urlencode({'area': area, 'period': period, 'compare': compare})}"
    )


def explain(exc: EvidenceError, area: str, period: str, compare: str):
    """The error in plain words, with (label, evidence page link) for what the person may have
    meant: the closest areas to a name that opens none, or the latest 12 months for a period
    that is not loaded. Other errors are the engine's words, which say what to do."""
    from ..partnership.areas import corrections, first_unknown, split_names

    try:
        with _evidence() as evidence:
            unknown = first_unknown(evidence.areas, area, split_names(compare))
    except EvidenceError:
        unknown = None
    if unknown is not None:
        return unknown.message, [
            (label, _link(values["area"], period, values["compare"]))
            for label, values in corrections(unknown, area, compare)
        ]
    message = capfirst(public_message(exc))
    if message.startswith("Period") and period.strip().lower() != "latest":
        return message, [("The latest 12 months loaded", _link(area, "latest", compare))]
    return message, []


def _record_view(request, page: EvidencePage) -> None:
    record(
        action=Action.VIEW,
        request=request,
        object_type="evidence.Assessment",
        object_id=page.a["area"]["code"] or "",
        changes={"period": page.a["period"]["label"]},
    )


@requires(VIEW_EVIDENCE)
def assessment(request):
    from ..partnership.permissions import MANAGE_PARTNERSHIP
    from ..partnership.services import current

    setting = current(request.user)
    asked = bool(request.GET)
    if asked:
        form = AssessmentForm(request.GET)
    else:
        initial = (
            {"area": setting.area_name, "compare": ", ".join(setting.comparators)}
            if setting
            else {}
        )
        form = AssessmentForm(initial={"period": "latest", **initial})
    page, error, fix = None, None, []
    if asked and form.is_valid():
        area, period = form.cleaned_data["area"], form.cleaned_data["period"]
        try:
            page = evidence_page(area, period, form.comparators())
        except EvidenceError as exc:
            error, fix = explain(exc, area, period, form.cleaned_data["compare"])
    elif not asked and setting is not None:
        try:
            page = partnership_page(setting)
        except EvidenceError as exc:
            error, fix = explain(exc, setting.area_name, "latest", ", ".join(setting.comparators))
    if page is not None:
        _record_view(request, page)
    return render(
        request,
        "web/assessment.html",
        {
            "form": form,
            "page": page,
            "a": page.a if page else None,
            "error": error,
            "fix": fix,
            "formats": FORMATS,
            "setting": setting,
            "is_default": page is not None and not asked,
            "can_set": has(request.user, MANAGE_PARTNERSHIP),
        },
    )
