"""Forms for cases: opening one (with its business area's own fields), editing, status,
subjects in roles, chronology entries and corrections, tasks, documents and consent.

A business area's fields are built from its schema (`cases.schema.FieldSpec`) as
`extra_<name>` fields; the schema's own `clean_values` checks them, so the form and an import
refuse the same values with the same words."""

from __future__ import annotations

from django import forms

from ...accounts.models import Role
from ...cases.models import EntryType, Status, TaskStatus
from ...cases.models import Role as CaseRole
from ...cases.schema import FieldSpec, FieldType, SchemaError, clean_values
from ...govuk_forms import GovukForm
from ...sharing.lawful import Art6
from ...sharing.models import ConsentStatus
from . import fields as f

EXTRA = "extra_"


def extra_field(spec: FieldSpec) -> forms.Field:
    """One business-area field as a form field (values are checked by the schema)."""
    required = False  # the schema says "enter …" itself, in the business area's words
    match spec.type:
        case FieldType.DATE:
            return f.day(spec.label, required=required)
        case FieldType.CHOICE:
            return f.choice(
                spec.label, [(c, c) for c in spec.choices], required=required, blank="Not recorded"
            )
        case FieldType.BOOL:
            return f.choice(
                spec.label, [("yes", "Yes"), ("no", "No")], required=required, radios=True
            )
        case FieldType.NUMBER:
            return f.text(
                spec.label, required=required, max_length=30, short=True, inputmode="decimal"
            )
        case _:
            return f.area(spec.label, required=required, max_length=2000, rows=3)


def initial_extra(specs, values: dict) -> dict:
    """A case's stored field values as the form's initial data."""
    out = {}
    for spec in specs:
        value = values.get(spec.name)
        if value is None:
            continue
        if spec.type == FieldType.BOOL:
            value = "yes" if value else "no"
        out[EXTRA + spec.name] = value
    return out


class ExtraFieldsMixin:
    """Adds the business area's fields and checks them with its schema."""

    specs: tuple[FieldSpec, ...] = ()
    extra: dict | None = None  # the checked values, after is_valid

    def clean(self):
        data = super().clean()
        self.extra = self.clean_extra()
        return data

    def add_extra(self, specs) -> None:
        self.specs = tuple(specs)
        for spec in self.specs:
            self.fields[EXTRA + spec.name] = extra_field(spec)

    def extra_values(self) -> dict:
        raw = {}
        for spec in self.specs:
            value = self.cleaned_data.get(EXTRA + spec.name)
            if value in (None, ""):
                continue
            raw[spec.name] = value
        return raw

    def clean_extra(self) -> dict | None:
        """The values checked by the schema; each problem put on its field."""
        try:
            return clean_values(self.specs, self.extra_values())
        except SchemaError as exc:
            for name, message in exc.errors.items():
                field = EXTRA + name if EXTRA + name in self.fields else None
                self.add_error(field, message[:1].upper() + message[1:])
            return None


def officer_choices(agency) -> list[tuple[int, str]]:
    return [
        (u.pk, u.full_name)
        for u in agency.users.filter(role=Role.PRACTITIONER, is_active=True).order_by("full_name")
    ]


class BusinessAreaForm(GovukForm):
    business_area = forms.ChoiceField(
        label="Business area", widget=forms.RadioSelect(attrs=f.RADIO)
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_area"].choices = [(a.code, a.name) for a in areas]


class CaseForm(ExtraFieldsMixin, GovukForm):
    title = f.text(
        "Title",
        required=True,
        help_text="A few words that say what the case is "
        "about, for example “Noise and threats, Alder Court”",
    )
    opened_on = f.day("Date opened", required=True)
    lead_officer = forms.TypedChoiceField(
        label="Lead officer", coerce=int, widget=forms.Select(attrs=f.SELECT)
    )

    def __init__(self, *args, area, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].choices = officer_choices(agency)
        self.add_extra(area.schema)


class CaseEditForm(CaseForm):
    version = f.version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["opened_on"]


class StatusForm(GovukForm):
    status = f.choice("Status", Status.choices, radios=True)
    reason = f.choice(
        "Closure reason",
        [],
        required=False,
        blank="Choose a reason",
        help_text="Only when closing the case",
    )
    on = f.day("Date closed", help_text="Only when closing the case")
    version = f.version()

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Choose a reason"), *((r, r) for r in reasons)]


class CaseSubjectForm(GovukForm):
    subject = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    role = f.choice("Role on the case", CaseRole.choices)


class RemoveSubjectForm(GovukForm):
    confirm = f.yes("Yes, take this subject off the case (it was added in error)")

    def clean_confirm(self):
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError("Tick the box to confirm")
        return True


class EntryForm(GovukForm):
    type = f.choice("Type of entry", EntryType.choices, radios=True)
    event_date = f.day("Date of the event", required=True)
    text = f.area("What happened", max_length=20_000, rows=6)
    sensitive = f.yes(
        "Sensitive",
        help_text="A victim's address, health or similar: shown only to those who see the "
        "whole case",
    )

    def __init__(self, *args, sensitive_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive_allowed:
            del self.fields["sensitive"]


class CorrectionForm(GovukForm):
    type = f.choice("Type of entry", EntryType.choices, radios=True)
    event_date = f.day("Date of the event", required=True)
    text = f.area(
        "The entry as it should read",
        max_length=20_000,
        rows=6,
        help_text="The original stays on the record, marked as corrected",
    )


def owner_choices(people, agencies) -> list[tuple[str, str]]:
    return [
        *((f"user:{u.pk}", f"{u.full_name} ({u.agency.name})") for u in people),
        *((f"agency:{a.pk}", f"{a.name} (anyone there)") for a in agencies),
    ]


class TaskForm(GovukForm):
    description = f.area("The task", max_length=2_000, rows=3)
    due_on = f.day("Due on", required=True)
    owner = f.choice("Owner", [], blank="Choose a person or an agency")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose a person or an agency"), *owners]


class TaskEditForm(TaskForm):
    status = f.choice("Status", TaskStatus.choices, radios=True)
    version = f.version()


class TaskDoneForm(GovukForm):
    version = f.version()


class DocumentForm(GovukForm):
    file = forms.FileField(
        label="File",
        help_text="PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, text or CSV, up to 20 MB",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    description = f.text("Description", max_length=300)


class ConsentForm(GovukForm):
    status = f.choice("Consent", ConsentStatus.choices, radios=True)
    lawful_basis = f.choice(
        "Lawful basis used instead of consent",
        [c for c in Art6.choices if c[0] != Art6.CONSENT],
        required=False,
        blank="None",
        help_text="Needed when consent was not sought",
    )
    recorded_on = f.day("Date", required=True)
    notes = f.area("Notes", required=False, max_length=2000, rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
