"""The append-only, hash-chained audit log.

Each entry stores an HMAC-SHA-256 of its own content and the hash of the entry before it, keyed
with `settings.AUDIT_KEY` (never in the database): editing or deleting any entry breaks the
chain, and without the key a rewritten chain cannot be re-hashed. Signed checkpoints written
outside the database (`checkpoints.py`) catch the removal of the newest entries. The database
also refuses UPDATE and DELETE on the table (triggers in migration 0002). Entries written
before the chain was keyed carry a plain SHA-256 (`legacy_hash`).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models

GENESIS = "0" * 64


class Action(models.TextChoices):
    PASSWORD_ACCEPTED = "password_accepted", "Password accepted"
    SIGN_IN = "sign_in", "Sign-in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Sign-out"
    VIEW = "view", "View"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    PASSWORD_RESET = "password_reset", "Password reset"


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    address = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"

    def content(self) -> str:
        """The canonical text the hash covers."""
        return json.dumps(
            {
                "id": self.id,
                "at": self.at.isoformat(),
                "actor": self.actor_id,
                "actor_label": self.actor_label,
                "address": self.address,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "changes": self.changes,
                "previous_hash": self.previous_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        return hmac.new(settings.AUDIT_KEY, self.content().encode(), hashlib.sha256).hexdigest()

    def legacy_hash(self) -> str:
        """The unkeyed hash of entries written before the chain was keyed."""
        return hashlib.sha256(self.content().encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")
