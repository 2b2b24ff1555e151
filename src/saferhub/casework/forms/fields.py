"""The few field shapes every casework form uses, with GOV.UK Frontend's classes set here so
templates stay plain (`casework/_fields.html` draws each by its widget type)."""

from __future__ import annotations

from django import forms

from ...govuk_forms import AREA, DATE, TEXT

SELECT = {"class": "govuk-select"}
RADIO = {"class": "govuk-radios__input"}
CHECK = {"class": "govuk-checkboxes__input"}
WIDE = {**TEXT, "class": "govuk-input"}
SHORT = {"class": "govuk-input govuk-input--width-10"}
NUMBER = {"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}


def enter(label: str) -> dict:
    """GOV.UK's words for a field left empty: "Enter the title", "Choose the role"."""
    return {"required": f"Enter the {label[:1].lower()}{label[1:]}"}


def pick(label: str) -> dict:
    return {"required": f"Choose the {label[:1].lower()}{label[1:]}"}


def text(
    label: str,
    *,
    required: bool = False,
    max_length: int = 200,
    help_text: str = "",
    short: bool = False,
    **attrs,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages=enter(label),
        widget=forms.TextInput(attrs={**(SHORT if short else WIDE), **attrs}),
    )


def area(
    label: str, *, required: bool = True, max_length: int = 4000, help_text: str = "", rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages=enter(label),
        widget=forms.Textarea(attrs={**AREA, "rows": rows}),
    )


def day(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**enter(label), "invalid": "Enter a real date"},
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )


def choice(
    label: str,
    choices,
    *,
    required: bool = True,
    radios: bool = False,
    help_text: str = "",
    blank: str = "",
) -> forms.ChoiceField:
    choices = list(choices)
    if blank and not radios:
        choices = [("", blank), *choices]
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices,
        help_text=help_text,
        error_messages={**pick(label), "invalid_choice": "Choose one of the options"},
        widget=forms.RadioSelect(attrs=RADIO) if radios else forms.Select(attrs=SELECT),
    )


def yes(label: str, *, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=False, help_text=help_text, widget=forms.CheckboxInput(attrs=CHECK)
    )


def version() -> forms.IntegerField:
    """The version of the record the editor saw: the service refuses a stale save."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class Grouped:
    """A long form shown in parts, each under its heading (`GROUPS`: heading and field
    names); fields in no part (added by the page, such as a case role) come first."""

    GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def grouped(self) -> list[tuple[str, list]]:
        named = {n for _, names in self.GROUPS for n in names}
        first = [self[n] for n in self.fields if n not in named]
        parts = [("", first)] if first else []
        for heading, names in self.GROUPS:
            parts.append((heading, [self[n] for n in names if n in self.fields]))
        return parts
