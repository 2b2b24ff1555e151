"""Sharing as data: agreements, grants, access requests, break glass and consent.

Nothing here is implied: another agency sees a case only through a live `Grant` (or a live
`BreakGlass` for one person, or an extension point registered in `policy.py`), and
`policy.py` is the one module that reads these tables to decide. They are written only by
`services.py`, each change with its audit entry. `__str__` holds kind and id only.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from .lawful import Art6, Art9, DpaCondition


class LawfulBasis(models.Model):
    """The law a disclosure rests on (lawful.py checks that the parts fit)."""

    lawful_basis = models.CharField(max_length=30, choices=Art6.choices)
    special_category_condition = models.CharField(max_length=2, choices=Art9.choices, blank=True)
    criminal_offence_data = models.BooleanField(default=False)
    dpa_condition = models.CharField(max_length=10, choices=DpaCondition.choices, blank=True)

    class Meta:
        abstract = True

    def basis_fields(self) -> dict:
        return {
            "lawful_basis": self.lawful_basis,
            "special_category_condition": self.special_category_condition,
            "criminal_offence_data": self.criminal_offence_data,
            "dpa_condition": self.dpa_condition,
        }


class InformationSharingAgreement(LawfulBasis):
    """An information-sharing agreement as the ICO's data sharing code describes one: who,
    why, what, on what basis, for how long, when it is next reviewed; the signed copy is
    kept through the case documents' storage (its name and SHA-256 here)."""

    title = models.CharField(max_length=200)
    parties = models.ManyToManyField("accounts.Agency", related_name="sharing_agreements")
    purpose = models.TextField()
    data_items = models.TextField()
    legal_gateway = models.CharField(max_length=300, blank=True)  # e.g. CDA 1998 s115
    retention = models.CharField(max_length=300)
    review_on = models.DateField()
    signed_on = models.DateField(null=True, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_storage_name = models.CharField(max_length=300, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_size = models.PositiveBigIntegerField(null=True, blank=True)
    document_content_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return f"Information-sharing agreement {self.pk}"


class Scope(models.TextChoices):
    WHOLE = "whole", "The whole case"
    CHRONOLOGY_AND_TASKS = (
        "chronology_tasks",
        "Chronology and tasks only (no sensitive entries, fields, subjects or documents)",
    )
    NAMED_SUBJECTS = "named_subjects", "Named subjects only"


class Grant(LawfulBasis):
    """Another agency's access to one case, in one scope, for a purpose, until it expires
    (by itself: `expires_at` is always set) or is revoked."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="grants")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="grants")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    include_special_category = models.BooleanField(default=False)
    agreement = models.ForeignKey(
        InformationSharingAgreement, on_delete=models.PROTECT, related_name="grants"
    )
    purpose = models.TextField()
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    access_request = models.OneToOneField(
        "AccessRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="grant"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["agency", "case", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="sharing_grant_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Grant {self.pk}"

    def live(self, at: datetime) -> bool:
        return self.revoked_at is None and self.starts_at <= at < self.expires_at


class GrantSubject(models.Model):
    """A subject a "named subjects" grant covers. `merged_from` as in cases.CaseSubject."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="named")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    merged_from = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "subject"],
                condition=Q(merged_from__isnull=True),
                name="sharing_grantsubject_once",
            )
        ]
        indexes = [models.Index(fields=["subject", "grant"])]

    def __str__(self) -> str:
        return f"Granted subject {self.pk}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class AccessRequest(models.Model):
    """Someone who found a locked subject asks the case's lead agency for access."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="access_requests")
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"]),
            models.Index(fields=["requester", "decided_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "case"],
                condition=Q(status="pending"),
                name="sharing_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"Access request {self.pk}"


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlass(models.Model):
    """Emergency read access for one person to one case, for a few hours, with a written
    reason; the data protection officer is told at once and reviews it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glass")
    reason = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["user", "case", "ends_at"])]

    def __str__(self) -> str:
        return f"Break glass {self.pk}"

    def live(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    NOT_SOUGHT = "not_sought", "Consent not sought"


class Consent(models.Model):
    """A subject's consent to sharing on one case: given, refused, or not sought (with the
    lawful basis used instead). One row per subject per case; each change is audited with
    its old and new values, which is its history."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    lawful_basis = models.CharField(max_length=30, choices=Art6.choices, blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    merged_from = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "subject"],
                condition=Q(merged_from__isnull=True),
                name="sharing_consent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk}"
