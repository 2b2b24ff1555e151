"""The audit log's filters, checked like any other form so a mistyped date is shown back
with a message instead of reaching the database."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from ..accounts.models import Agency
from ..govuk_forms import GovukForm
from .models import Action

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]
DATE = {"class": "govuk-input govuk-input--width-10", "inputmode": "numeric"}
DATE_HINT = "For example 2026-11-30 or 30/11/2026."
DATE_ERRORS = {"invalid": "Enter a real date, for example 2026-11-30 or 30/11/2026."}


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages=DATE_ERRORS,
        widget=forms.TextInput(attrs=DATE),
    )


class AuditFilterForm(GovukForm):
    actor = forms.CharField(
        label="Who (email contains)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any"), *Action.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    agency = forms.ChoiceField(
        label="Agency (of the person)",
        required=False,
        choices=[("", "Any")],
        error_messages={"invalid_choice": "Choose an agency from the list."},
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    object_type = forms.CharField(
        label="Object type",
        required=False,
        max_length=100,
        help_text="For example plans.Action or accounts.User.",
        validators=[
            RegexValidator(
                r"^[a-zA-Z_.]+$",
                "Enter an object type in letters, dots and underscores, for example plans.Action.",
            )
        ],
        error_messages={"max_length": "Enter an object type of 100 characters or fewer."},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    since = _date("From")
    until = _date("To")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [
            ("", "Any"),
            *((str(pk), name) for pk, name in Agency.objects.values_list("pk", "name")),
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date must be on or after the start date.")
        return data

    def filter(self, entries):
        """The entries that match the (valid) filters."""
        data = self.cleaned_data
        if data.get("actor"):
            entries = entries.filter(actor_label__icontains=data["actor"].strip())
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("agency"):
            entries = entries.filter(actor__agency_id=int(data["agency"]))
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"])
        if data.get("since"):
            entries = entries.filter(at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(at__date__lte=data["until"])
        return entries
