"""The stored delivery plan: strategy → objectives → measures and actions → leads, updates.

The same plan as plain data lives in `draft.py`; `convert.py` maps one to the other. Plans are
changed only through `services.py`, which writes every change and its audit entry in one
transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .draft import Disposition, Rag, ReviewKind, plan_year


class Strategy(models.Model):
    """One plan year of a partnership's strategy and its delivery plan."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed (rolled over)"

    title = models.CharField(max_length=300)
    starts = models.DateField()
    ends = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    rag_definitions = models.JSONField(default=dict)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts", "title"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title

    @property
    def plan_year(self) -> str:
        return plan_year(self.starts, self.ends)


class Objective(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    group = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    aim = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class Measure(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField()
    indicator = models.CharField(
        max_length=200, blank=True, help_text="The linked indicator's name or code, if any."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField()
    partners = models.TextField(blank=True)
    review_text = models.CharField("review point as entered", max_length=300, blank=True)
    review_kind = models.CharField(
        max_length=10, choices=[(k.value, k.value) for k in ReviewKind], default=ReviewKind.NONE
    )
    review_due = models.DateField(null=True, blank=True)
    carried_to = models.CharField(max_length=20, blank=True)
    tags = models.JSONField(default=list, blank=True)
    plan_year = models.CharField(max_length=20, blank=True)
    disposition = models.CharField(
        max_length=10, blank=True, choices=[(d.value, d.value) for d in Disposition]
    )
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where it was imported from.")
    extra = models.JSONField(
        default=dict,
        blank=True,
        help_text="Columns of the imported file the plan has no place for, by header.",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["objective__order", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def history(self) -> list[Action]:
        """This action in earlier plan years, newest first."""
        chain, seen = [], self.carried_from
        while seen is not None:
            chain.append(seen)
            seen = seen.carried_from
        return chain


class Lead(models.Model):
    """A named person and/or an agency leading an action. `user` links the person to their
    account, so that they can see and update the action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="leads")
    person = models.CharField(max_length=200, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_leads",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        if self.person and self.agency_name:
            return f"{self.person} ({self.agency_name})"
        return self.person or self.agency_name


class Update(models.Model):
    """A progress update with its RAG. Updates are never edited: a correction is a new one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(null=True, blank=True, help_text="Empty for undated imported text.")
    text = models.TextField(blank=True)
    rag = models.CharField(max_length=5, blank=True, choices=[(r.value, r.value) for r in Rag])
    author_name = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Undated imported text first on every database (PostgreSQL sorts NULL last).
        ordering = [models.F("on").asc(nulls_first=True), "id"]


class PendingImport(models.Model):
    """A previewed plan file waiting for its confirmation: the plan as the preview read it
    (plain data, `convert.plan_to_data`), so confirming stores exactly that, without reading
    the file again. Confirming consumes it once: the row is claimed (`strategy` set) in the
    transaction that creates the plan, so a second or parallel confirm finds it taken."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    digest = models.CharField(max_length=64)
    plan = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    # Set when a background job will store it (a large plan): from then on the user's next
    # preview or visit to the import page leaves it alone, so the queued job still finds it.
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
