"""The base of every form on the site: GOV.UK Frontend's classes, hints tied to their fields,
error styles, and typed text cleaned of control characters before any service sees it."""

from __future__ import annotations

from django import forms

from .cells import without_controls

MAX_UPLOAD = 5 * 1024 * 1024
TEXT = {"class": "govuk-input"}
AREA = {"class": "govuk-textarea", "rows": 4}
DATE = {"type": "date", "class": "govuk-input govuk-input--width-10"}


ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukForm(forms.Form):
    """Hints tied to their fields for screen readers, and GOV.UK's error styles on fields
    that have errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            # Control characters are never typed on purpose, break the Office exports and
            # PostgreSQL (NUL): they are dropped from every text field at input.
            for name, value in self.cleaned_data.items():
                if isinstance(value, str):
                    self.cleaned_data[name] = without_controls(value)
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            classes = attrs.get("class", "").split()
            attrs["class"] = " ".join(
                classes + [ERROR_CLASSES[c] for c in classes if c in ERROR_CLASSES]
            )
