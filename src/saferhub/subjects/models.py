"""Subjects: the people, places, vehicles and groups that casework is about.

One `Subject` row per subject whatever its kind, so cases, links, merges and the sharing policy
point at one table; each kind's own details live in their own tables beside it. Subjects are
changed only through `services.py`, which writes each change and its audit entry together.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    PERSON = "person", "Person"
    PLACE = "place", "Place"
    VEHICLE = "vehicle", "Vehicle"
    GROUP = "group", "Group"


class Subject(models.Model):
    """A person, place, vehicle or group. `display_name` is the name shown in lists and in the
    locked view (a person's main name, a place's address, a VRM, a group's name); a merged
    subject keeps its row and points at the subject it was merged into."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    display_name = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [models.Index(fields=["kind", "display_name"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
