"""The admin's form for the partnership's area and comparators."""

from __future__ import annotations

from django import forms

from ..evidence.areas import Area
from ..evidence.errors import EvidenceError
from ..govuk_forms import TEXT, GovukForm
from .areas import Choice, UnknownName, check, first_unknown, split_names


class PartnershipForm(GovukForm):
    area = forms.CharField(
        label="The partnership's area",
        max_length=120,
        help_text="A borough or ward name or code as the loaded data names it, or London.",
        widget=forms.TextInput(attrs={**TEXT, "class": "govuk-input govuk-!-width-one-half"}),
    )
    compare = forms.CharField(
        label="Comparator boroughs",
        required=False,
        max_length=500,
        help_text="Borough names separated by commas, for example Eastmere, Westford.",
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args, areas: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.unknown: UnknownName | None = None
        self.choice: Choice | None = None
        self.typed: dict[str, str] = {}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not self.areas:
            raise forms.ValidationError(
                "No evidence is loaded yet: the area is checked against the loaded data, so "
                "an analyst loads it first (saferhub ingest)."
            )
        # As typed, for "did you mean" links (add_error drops a field from cleaned_data).
        self.typed = {"area": data["area"], "compare": data.get("compare", "")}
        compare = split_names(self.typed["compare"])
        self.unknown = first_unknown(self.areas, data["area"], compare)
        if self.unknown is not None:
            self.add_error(self.unknown.field, self.unknown.message)
            return data
        try:
            self.choice = check(self.areas, data["area"], compare)
        except EvidenceError as exc:
            self.add_error("compare", str(exc)[:1].upper() + str(exc)[1:] + ".")
        return data
