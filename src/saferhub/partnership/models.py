"""The partnership's own setting: the area it covers and the boroughs it compares with.

The evidence page opens on this area's latest assessment and the analyst's home page
summarises it. The row with no agency (id 1) is the site's default; a deployment that serves
several partnerships (a region, a shared service) gives an agency its own row, so its people
open on their partnership's area: nothing assumes one partnership per deployment. Only
`services.set_area` writes them (with its audit entry).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

SINGLE_ROW = 1


class PartnershipSettings(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, editable=False)
    agency = models.OneToOneField(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnership_setting",
        help_text="Empty for the site's default; an agency for its own partnership's area.",
    )
    area_name = models.CharField(max_length=120, help_text="As the evidence store names it.")
    area_code = models.CharField(max_length=12, blank=True)
    area_type = models.CharField(max_length=10, help_text="borough, ward or force")
    comparators = models.JSONField(
        default=list, blank=True, help_text="Borough names, in the order given."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_via = models.CharField(max_length=20, help_text="the site or the command line")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "partnership settings"
        verbose_name_plural = "partnership settings"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(id=SINGLE_ROW) & models.Q(agency__isnull=True))
                | (~models.Q(id=SINGLE_ROW) & models.Q(agency__isnull=False)),
                name="partnership_default_row_has_no_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_name} ({self.area_code})" if self.area_code else self.area_name

    @property
    def changed_by_label(self) -> str:
        """Who made the change, in words: the person, or the command that did it."""
        if self.changed_by is not None:
            return self.changed_by.full_name or self.changed_by.email
        return "The command line (saferhub site)" if self.changed_via == "cli" else "Unknown"
