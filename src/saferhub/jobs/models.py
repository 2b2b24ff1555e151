"""A background job as the site reads it: who asked for what, how far it has got, and what
it produced.

The queue (django-tasks: the database backend embedded, RQ on Redis in production) only
carries the job's id; everything a page shows is here, so the pages read one row whatever
backend runs the work.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Deleted"


ACTIVE = (Status.QUEUED, Status.RUNNING)


class Job(models.Model):
    # A random id in every URL: one user's job addresses say nothing about anyone else's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200, help_text="What was asked for, in words.")
    params = models.JSONField(default=dict, help_text="The question the job answers.")
    # The same question over the same data gives the same job (a second click, a reload).
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # What the file is about, for the EXPORT entry each download writes.
    audit = models.JSONField(default=dict)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, default="Waiting for a worker")
    error = models.TextField(blank=True, help_text="In plain words; never a traceback.")
    # An uploaded file the job reads (files.py), deleted as soon as the job has run.
    input = models.CharField(max_length=255, blank=True)
    # The result: a file kept under the jobs folder (files.py), or a page to go to.
    file = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.TextField(blank=True, help_text="What the job did, for the done page.")
    next_url = models.CharField(max_length=255, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
