"""Cases: business areas (data), cases, subjects in roles, chronology, tasks, documents.

Cases are changed only through `services.py`, which checks the visibility policy (through
`permissions.require`), the version the editor saw, and writes the audit entry in the same
transaction. Who may see a case is never decided here: `saferhub.sharing.policy` does.
`__str__` never holds personal data or free text (kind and id only).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from .schema import FieldSpec, parse_reasons, parse_schema


class BusinessArea(models.Model):
    """A kind of casework (ASB, MARAC, Channel...) with its own fields and closure reasons.
    `code` prefixes case references; `fields` and `closure_reasons` follow `schema.py`."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    fields = models.JSONField(default=list, blank=True)
    closure_reasons = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def schema(self) -> tuple[FieldSpec, ...]:
        return parse_schema(self.fields)

    @property
    def reasons(self) -> tuple[str, ...]:
        return parse_reasons(self.closure_reasons)


class ReferenceCounter(models.Model):
    """The last case number given per reference prefix and year (ASB-2026-000123): one row
    locked while a case is created, so two cases never get one reference."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="cases_counter_prefix_year")
        ]


class Status(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    business_area = models.ForeignKey(BusinessArea, on_delete=models.PROTECT, related_name="cases")
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="led_cases"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closure_reason = models.CharField(max_length=200, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    opened_on = models.DateField()
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
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["lead_agency", "status"]),
            models.Index(fields=["lead_officer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(closure_reason="") & Q(closed_on__isnull=False))
                | (~Q(status="closed") & Q(closure_reason="") & Q(closed_on__isnull=True)),
                name="cases_case_closed_has_reason_and_date",
            )
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class Role(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"
    COMPLAINANT = "complainant", "Complainant"
    WITNESS = "witness", "Witness"
    ASSOCIATE = "associate", "Associate"
    LOCATION = "location", "Location"
    VEHICLE = "vehicle", "Vehicle"


class CaseSubject(models.Model):
    """A subject on a case in one role. `merged_from` is the subject this row pointed at
    before that subject was merged into `subject` (so an unmerge can put it back)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_subjects")
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="case_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    merged_from = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            # Once per role; a row moved by a merge (merging.py) may repeat one.
            models.UniqueConstraint(
                fields=["case", "subject", "role"],
                condition=Q(merged_from__isnull=True),
                name="cases_casesubject_once_per_role",
            )
        ]
        indexes = [models.Index(fields=["subject", "case"])]

    def __str__(self) -> str:
        return f"Case subject {self.pk}"


class EntryType(models.TextChoices):
    INCIDENT = "incident", "Incident"
    CONTACT = "contact", "Contact"
    NOTE = "note", "Note"
    DECISION = "decision", "Decision"
    REFERRAL = "referral", "Referral"
    OUTCOME = "outcome", "Outcome"


class ImmutableError(Exception):
    """A chronology entry or document was about to be changed or deleted."""


class ChronologyEntry(models.Model):
    """One dated entry on a case, never edited: a correction is a new entry whose `corrects`
    points at the entry it replaces (which then shows as corrected). `sensitive` entries
    (a victim's address, health) are shown only to whole-case access."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    type = models.CharField(max_length=20, choices=EntryType.choices)
    text = models.TextField()
    sensitive = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField()
    recorded_at = models.DateTimeField()
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )

    class Meta:
        ordering = ["-event_date", "-recorded_at", "-id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["case", "event_date"])]

    def __str__(self) -> str:
        return f"Chronology entry {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableError("a chronology entry is never edited: add a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a chronology entry is never deleted: add a correction")

    @property
    def is_corrected(self) -> bool:
        """Whether a later entry corrects this one (one query unless prefetched)."""
        try:
            return self.correction is not None
        except ChronologyEntry.DoesNotExist:
            return False


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class TaskQuerySet(models.QuerySet):
    def overdue(self, on: date) -> TaskQuerySet:
        """Open tasks due before `on`."""
        return self.filter(status=TaskStatus.OPEN, due_on__lt=on)

    def owned_by(self, user) -> TaskQuerySet:
        """Tasks owned by `user` or by their agency."""
        return self.filter(Q(owner_user=user) | Q(owner_agency_id=user.agency_id))


class Task(models.Model):
    """Something to do on a case, owned by one person or by an agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    description = models.TextField()
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["owner_user", "status"]),
            models.Index(fields=["owner_agency", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_user__isnull=False) & Q(owner_agency__isnull=True))
                | (Q(owner_user__isnull=True) & Q(owner_agency__isnull=False)),
                name="cases_task_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"Task {self.pk}"

    def overdue(self, on: date) -> bool:
        """Open and due before `on` (the date is always given: no hidden "today")."""
        return self.status == TaskStatus.OPEN and self.due_on < on


class TaskReminder(models.Model):
    """A reminder sent for one task's due date: at most one per task and due date, so
    `send_due_reminders` can run as often as it likes; a new due date gets a new reminder."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "due_on"], name="cases_reminder_once_per_due")
        ]

    def __str__(self) -> str:
        return f"Task reminder {self.pk}"


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    PNG = "png", "PNG image"
    JPEG = "jpeg", "JPEG image"
    DOCX = "docx", "Word document"
    XLSX = "xlsx", "Excel workbook"
    TEXT = "text", "Plain text or CSV"


class Document(models.Model):
    """An uploaded file on a case, checked by content (`files.py`) and stored through the
    documents storage (`storage.py`) under a generated name; never changed once stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    filename = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10, choices=FileType.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    storage_name = models.CharField(max_length=300, unique=True)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Document {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableError("a stored document is never changed: upload a new one")
        super().save(*args, **kwargs)
