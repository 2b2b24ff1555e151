"""Forms of the plan pages; the GOV.UK classes are set here so templates stay plain."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from ..govuk_forms import AREA, DATE, MAX_UPLOAD, TEXT, GovukForm
from .draft import Disposition, Rag
from .importing import PERIOD_YEARS


class UpdateForm(GovukForm):
    on = forms.DateField(
        label="Date of the update",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[(r.value, r.value) for r in Rag],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
    )
    text = forms.CharField(
        label="Progress since the last update", widget=forms.Textarea(attrs=AREA)
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError("The date of the update cannot be in the future")
        return on


class ActionForm(GovukForm):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs=AREA))
    leads = forms.CharField(
        label="Leads",
        required=False,
        help_text="One per line: a person, an agency, or “Person (Agency)”",
        widget=forms.Textarea(attrs={**AREA, "rows": 3}),
    )
    partners = forms.CharField(label="Partners", required=False, widget=forms.TextInput(attrs=TEXT))
    review_text = forms.CharField(
        label="Review point or deadline",
        required=False,
        max_length=300,
        help_text="For example 31/03/2026, March 2026, Q3 2025/26, Ongoing, Quarterly",
        widget=forms.TextInput(attrs=TEXT),
    )
    disposition = forms.ChoiceField(
        label="Year-end disposition",
        required=False,
        choices=[("", "Not decided")] + [(d.value, d.value) for d in Disposition],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Separated by commas, e.g. NEW ACTION",
        widget=forms.TextInput(attrs=TEXT),
    )

    def clean_leads(self):
        leads = self.cleaned_data["leads"]
        if any(len(line) > 200 for line in leads.splitlines()):
            raise forms.ValidationError("Each lead must be at most 200 characters")
        return leads

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class NewActionForm(GovukForm):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs=AREA))


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Delivery plan file",
        help_text="Word (.docx), Excel (.xlsx) or CSV, up to 5 MB",
        widget=forms.ClearableFileInput(
            attrs={"class": "govuk-file-upload", "accept": ".docx,.xlsx,.csv"}
        ),
    )
    title = forms.CharField(
        label="Plan title",
        required=False,
        max_length=300,
        help_text="Leave blank to use the file's title",
        widget=forms.TextInput(attrs=TEXT),
    )
    starts = forms.DateField(
        label="Plan starts",
        required=False,
        help_text="Leave blank to read it from a year in the title (2025/26 starts 1 April 2025)",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    ends = forms.DateField(
        label="Plan ends",
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(f"{upload.name} is over 5 MB")
        if not upload.name.lower().endswith((".docx", ".xlsx", ".csv")):
            raise forms.ValidationError(f"{upload.name} is not a .docx, .xlsx or .csv file")
        return upload

    def _in_years(self, name: str):
        """A period day within the years a plan may run (importing.PERIOD_YEARS)."""
        day, years = self.cleaned_data.get(name), PERIOD_YEARS
        if day and day.year not in years:
            raise forms.ValidationError(f"Enter a day in the years {years[0]} to {years[-1]}")
        return day

    def clean_starts(self):
        return self._in_years("starts")

    def clean_ends(self):
        return self._in_years("ends")

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", "The plan must end after it starts")
        return data


class ObjectiveForm(GovukForm):
    group = forms.CharField(
        label="Group",
        required=False,
        max_length=200,
        help_text="For example High volume crime",
        widget=forms.TextInput(attrs=TEXT),
    )
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="For example SO1 or SO4a",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    title = forms.CharField(label="Title", max_length=300, widget=forms.TextInput(attrs=TEXT))
    aim = forms.CharField(label="Aim", required=False, widget=forms.Textarea(attrs=AREA))


class MeasureForm(GovukForm):
    text = forms.CharField(label="Measure or target", widget=forms.Textarea(attrs=AREA))
    indicator = forms.CharField(
        label="Linked indicator",
        required=False,
        max_length=200,
        help_text="The name or code of the indicator that tracks it, if any",
        widget=forms.TextInput(attrs=TEXT),
    )
