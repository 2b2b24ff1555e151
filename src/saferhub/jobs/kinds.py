"""The kinds of long work the site runs as jobs: for each, the permission its owner must
still hold to see it, and the function that does it.

A runner takes the job and a `progress(percent, step)` callback and returns an `Outcome`;
it raises an error a person can act on (`Refused`, or the app's own) when the work cannot
be done, and the job fails with that error's words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from ..accounts.permissions import MANAGE_INDICATORS, MANAGE_PLANS, VIEW_EVIDENCE

Progress = Callable[[int, str], None]


class Refused(Exception):
    """The work cannot be done, for a reason the person who asked can read."""


@dataclass(frozen=True)
class Outcome:
    content: bytes | None = None  # a file to offer, or None
    file_name: str = ""
    content_type: str = ""
    message: str = ""  # what was done, in words
    next_url: str = ""  # a page of this site to go on to


@dataclass(frozen=True)
class Kind:
    name: str
    permission: str
    runner: str  # "module:function", imported only in the worker
    # Errors whose words are safe to show, beyond Refused: each app's own error class.
    errors: tuple[str, ...] = ()
    noun: str = "file"  # what the job makes, in words: "report"
    doing: str = "Preparing your file"  # the progress page's caption
    done: str = "Your file is ready"  # the done page's heading
    failed: str = "Your file could not be prepared"  # the failed page's
    again: str = ""  # "module:function" giving the page to ask again from, for a job
    again_label: str = ""  # that page, in words: "strategic assessment"

    def again_url(self, job) -> str:
        if not self.again:
            return ""
        module, function = self.again.split(":")
        return getattr(import_module(module, __package__), function)(job)

    def run(self, job, progress: Progress) -> Outcome:
        module, function = self.runner.split(":")
        return getattr(import_module(module, __package__), function)(job, progress)

    def shown(self, exc: Exception) -> bool:
        """Whether `exc`'s words may be shown to the person who asked."""
        classes = {f"{c.__module__}.{c.__qualname__}" for c in type(exc).__mro__}
        return isinstance(exc, Refused) or bool(classes & set(self.errors))


REPORT = "assessment_report"
PLAN_IMPORT = "plan_import"
YOUTH_JUSTICE_IMPORT = "youth_justice_import"

KINDS: dict[str, Kind] = {
    REPORT: Kind(
        REPORT,
        VIEW_EVIDENCE,
        ".reports:assessment_report",
        errors=("saferhub.evidence.errors.EvidenceError",),
        noun="report",
        doing="Preparing your report",
        done="Your report is ready",
        failed="Your report could not be prepared",
        again=".reports:again_url",
        again_label="strategic assessment",
    ),
    PLAN_IMPORT: Kind(
        PLAN_IMPORT,
        MANAGE_PLANS,
        ".imports:plan_import",
        errors=("saferhub.plans.services.PlanError",),
        noun="import",
        doing="Importing the plan",
        done="The plan is imported",
        failed="The plan could not be imported",
        again=".imports:plan_again_url",
        again_label="plan import",
    ),
    YOUTH_JUSTICE_IMPORT: Kind(
        YOUTH_JUSTICE_IMPORT,
        MANAGE_INDICATORS,
        ".imports:youth_justice_import",
        errors=(
            "saferhub.indicators.extract.ExtractError",
            "saferhub.indicators.services.IndicatorError",
        ),
        noun="import",
        doing="Importing the youth justice extract",
        done="The extract is imported",
        failed="The extract could not be imported",
        again=".imports:youth_justice_again_url",
        again_label="youth justice import",
    ),
}
