"""Stored indicators, their values per period, and the youth justice extracts imported.

A value is stored as computed or entered, with the data vintage it came from; its RAG and
direction are not stored but worked out from the indicator's target each time (see
`targets.py`), so a changed target re-rates the whole history at once.

Youth justice extracts hold personal data about children. Safer Hub keeps only the
aggregates computed from an extract and the extract's fingerprint (file name, SHA-256, row
count); the case-level rows are read, counted and discarded.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from .definitions import Frequency, PeriodRule, Polarity, Source, TargetKind, Unit, choices
from .targets import TargetSpec


class YouthJusticeMeasure(models.TextChoices):
    FTE_COUNT = "fte_count", "First-time entrants (count)"
    FTE_RATE = "fte_rate", "First-time entrants per 100,000 aged 10–17"
    REOFFENDING_RATE = "reoffending_rate", "Proven reoffending: % of the cohort who reoffend"
    REOFFENCES_PER_REOFFENDER = "reoffences_per_reoffender", "Reoffences per reoffender"
    REOFFENCES_PER_MEMBER = "reoffences_per_member", "Reoffences per cohort member"
    CUSTODY_COUNT = "custody_count", "Custodial sentences (count)"
    CUSTODY_RATE = "custody_rate", "Custodial sentences per 1,000 aged 10–17"
    TRIAGE_TO_FTE = "triage_to_fte", "Triaged children who become first-time entrants (%)"


class Indicator(models.Model):
    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", "Letters, digits, - _ .")],
        help_text="A short reference that plan measures link to, e.g. BURG-12M.",
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, from where, and how.")
    unit = models.CharField(max_length=12, choices=choices(Unit), default=Unit.COUNT)
    polarity = models.CharField(max_length=6, choices=choices(Polarity), default=Polarity.LOWER)
    frequency = models.CharField(
        max_length=10, choices=choices(Frequency), default=Frequency.QUARTERLY
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_period = models.CharField(max_length=40, blank=True)
    target_kind = models.CharField(
        max_length=10, choices=choices(TargetKind), default=TargetKind.NONE
    )
    target_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target_change_pct = models.DecimalField(
        "target change (%)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    tolerance_pct = models.DecimalField(
        "Amber tolerance (% of the target)", max_digits=6, decimal_places=2, default=Decimal(5)
    )
    owner = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="indicators"
    )
    source = models.CharField(max_length=15, choices=choices(Source), default=Source.MANUAL)
    category = models.CharField(max_length=60, blank=True)
    area = models.CharField(max_length=120, blank=True)
    period_rule = models.CharField(max_length=12, choices=choices(PeriodRule), blank=True)
    youth_justice_measure = models.CharField(
        max_length=30, choices=YouthJusticeMeasure.choices, blank=True
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def target_spec(self) -> TargetSpec:
        return TargetSpec(
            kind=TargetKind(self.target_kind),
            value=self.target_value,
            change_pct=self.target_change_pct,
            tolerance_pct=self.tolerance_pct,
            polarity=Polarity(self.polarity),
        )


class Value(models.Model):
    """One period's value of an indicator, with where it came from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=60)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comparison = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comparison_period = models.CharField(max_length=60, blank=True)
    provisional = models.BooleanField(default=False)
    detail = models.JSONField(default=dict, blank=True)
    vintage = models.CharField(max_length=300, help_text="The data this value came from.")
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="one_value_a_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class YouthJusticeExtract(models.Model):
    """The fingerprint of an imported extract; its rows are never stored."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    first_outcome = models.DateField()
    last_outcome = models.DateField()
    area = models.CharField(max_length=120, blank=True)
    population_10_17 = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%d %b %Y})"

    @property
    def vintage(self) -> str:
        return (
            f"Youth justice extract {self.file_name} (outcomes {self.first_outcome:%d %b %Y} "
            f"to {self.last_outcome:%d %b %Y}; sha256 {self.sha256[:12]}), imported "
            f"{self.imported_at:%d %b %Y}"
        )
