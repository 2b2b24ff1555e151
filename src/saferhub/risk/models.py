"""Questionnaire editions a partnership has loaded, and assessments completed on cases.

An edition keeps its file's text, so an assessment is always read against the questions it
was answered on, whatever edition is current now. Assessments are written only by
`services.py`, with their audit entries; an assessment's content is case content and is seen
only where the visibility policy shows the case's sensitive parts. `__str__` holds kind and
id only (no answers, no names).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Edition(models.Model):
    """One version of one questionnaire (`code` is the file's `id`, e.g. "dash")."""

    code = models.CharField(max_length=60)
    version = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    text = models.TextField()  # the TOML as loaded
    sha256 = models.CharField(max_length=64)
    current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="risk_edition_code_version")
        ]

    def __str__(self) -> str:
        return f"Questionnaire {self.code} {self.version}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class Assessment(models.Model):
    """A questionnaire answered for one subject on one case. A draft keeps partial answers
    and is never scored; completing it scores it and fixes it (a reassessment is a new
    assessment pointing at the one before, so history is kept)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="assessments"
    )
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="assessments")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next"
    )
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    score = models.IntegerField(null=True, blank=True)
    level = models.CharField(max_length=40, blank=True)
    level_label = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    met = models.JSONField(default=list, blank=True)  # criteria met: threshold, judgements
    assessed_on = models.DateField(null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["case", "subject", "edition"])]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"

    @property
    def complete(self) -> bool:
        return self.status == AssessmentStatus.COMPLETE
