"""Evidence pages: pick an area and period, read the assessment, download the report."""

from __future__ import annotations

import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.shortcuts import render

from ..accounts.permissions import VIEW_EVIDENCE, requires
from ..audit.log import record
from ..audit.models import Action
from ..evidence import Evidence, EvidenceError, Store, default_store_path

FORMATS = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class AssessmentForm(forms.Form):
    area = forms.CharField(label="Area", help_text="A borough or ward name or code, or London")
    period = forms.CharField(
        label="Period",
        initial="latest",
        help_text="For example 2018, 2018/19, 12m:2019-03 or latest",
    )
    compare = forms.CharField(
        label="Comparator boroughs", required=False, help_text="Names separated by commas"
    )

    def comparators(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["compare"].split(",") if c.strip()]


_cache: dict[tuple[str, float], Evidence] = {}
_results: dict[tuple, dict] = {}  # assessments of the cached store, by question
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


@requires(VIEW_EVIDENCE)
def assessment(request):
    form = AssessmentForm(request.GET or None)
    result, error = None, None
    if form.is_valid():
        try:
            result = _assess(
                form.cleaned_data["area"], form.cleaned_data["period"], tuple(form.comparators())
            )
            record(
                action=Action.VIEW,
                request=request,
                object_type="evidence.Assessment",
                object_id=result["area"]["code"] or "",
                changes={"period": result["period"]["label"]},
            )
        except EvidenceError as exc:
            error = public_message(exc)
    return render(
        request,
        "web/assessment.html",
        {
            "form": form,
            "a": result,
            "error": error,
            "formats": FORMATS,
            "query": request.GET.urlencode(),
        },
    )
