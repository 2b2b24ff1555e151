"""Forms of the indicator pages; GOV.UK classes come from the plans app's base form."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from ..accounts.models import Agency
from ..govuk_forms import AREA, MAX_UPLOAD, TEXT, GovukForm
from .definitions import Frequency, PeriodRule, Polarity, Source, TargetKind, Unit, choices
from .models import Indicator, YouthJusticeMeasure
from .targets import value_problem

SELECT = {"class": "govuk-select"}
NUMBER = {"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}


def _decimal(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs=NUMBER),
        **kwargs,
    )


class IndicatorForm(GovukForm):
    code = forms.RegexField(
        label="Code",
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=40,
        help_text="A short reference plan measures link to, e.g. BURG-12M.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    name = forms.CharField(label="Name", max_length=200, widget=forms.TextInput(attrs=TEXT))
    definition = forms.CharField(
        label="Definition",
        help_text="What is counted, from which data, and how.",
        widget=forms.Textarea(attrs=AREA),
    )
    owner = forms.ModelChoiceField(
        label="Owner agency", queryset=Agency.objects.all(), widget=forms.Select(attrs=SELECT)
    )
    source = forms.ChoiceField(
        label="Source", choices=choices(Source), widget=forms.Select(attrs=SELECT)
    )
    unit = forms.ChoiceField(label="Unit", choices=choices(Unit), widget=forms.Select(attrs=SELECT))
    polarity = forms.ChoiceField(
        label="Polarity", choices=choices(Polarity), widget=forms.Select(attrs=SELECT)
    )
    frequency = forms.ChoiceField(
        label="Frequency", choices=choices(Frequency), widget=forms.Select(attrs=SELECT)
    )
    category = forms.CharField(
        label="Evidence category",
        required=False,
        max_length=60,
        help_text="Evidence indicators: the category key, e.g. burglary (see the taxonomy).",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    area = forms.CharField(
        label="Evidence area",
        required=False,
        max_length=120,
        help_text="Evidence indicators: a borough, ward or force name or GSS code.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    period_rule = forms.ChoiceField(
        label="Period rule",
        required=False,
        choices=[("", "—"), *choices(PeriodRule)],
        widget=forms.Select(attrs=SELECT),
    )
    youth_justice_measure = forms.ChoiceField(
        label="Youth justice measure",
        required=False,
        choices=[("", "—"), *YouthJusticeMeasure.choices],
        widget=forms.Select(attrs=SELECT),
    )
    baseline = _decimal("Baseline", required=False)
    baseline_period = forms.CharField(
        label="Baseline period",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    target_kind = forms.ChoiceField(
        label="Target", choices=choices(TargetKind), widget=forms.Select(attrs=SELECT)
    )
    target_value = _decimal(
        "Target value", required=False, help_text="For a target that is a value, e.g. 240."
    )
    target_change_pct = _decimal(
        "Target change (%)",
        required=False,
        help_text="For a change on the comparison period: −10 for 10% lower, 0 for no worse.",
    )
    tolerance_pct = _decimal(
        "Amber tolerance (% of the target)",
        min_value=Decimal(0),
        initial=Decimal(5),
        help_text="How far short of the target is Amber rather than Red.",
    )
    active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args, instance: Indicator | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = Indicator.objects.filter(code__iexact=code)
        if self.instance and self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another indicator already has the code {code}.")
        return code

    def clean(self):
        data = super().clean()
        source = data.get("source")
        need = {
            Source.EVIDENCE: ("category", "area", "period_rule"),
            Source.YOUTH_JUSTICE: ("youth_justice_measure",),
        }.get(source, ())
        for name in need:
            if not data.get(name):
                self.add_error(name, f"Enter the {self.fields[name].label.lower()}.")
        if source == Source.EVIDENCE and data.get("unit") == Unit.PERCENTAGE:
            self.add_error("unit", "Evidence indicators are counts or rates, not percentages.")
        if source == Source.EVIDENCE and data.get("category"):
            from ..evidence import load_taxonomy

            keys = {c.key for c in load_taxonomy().categories}
            if data["category"] not in keys:
                self.add_error(
                    "category",
                    f"Unknown category {data['category']!r}; use one of {', '.join(sorted(keys))}.",
                )
        kind = data.get("target_kind")
        if kind == TargetKind.ABSOLUTE and data.get("target_value") is None:
            self.add_error("target_value", "Enter the target value.")
        if kind == TargetKind.CHANGE and data.get("target_change_pct") is None:
            self.add_error("target_change_pct", "Enter the target change as a percentage.")
        return data


class ValueForm(GovukForm):
    period = forms.ChoiceField(label="Period", widget=forms.Select(attrs=SELECT))
    value = _decimal("Value")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        help_text="Where the figure came from, or why it changed. Do not name people.",
        widget=forms.Textarea(attrs={**AREA, "rows": 3}),
    )

    def __init__(self, *args, periods: list[tuple[str, str]], unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.unit = unit

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if problem := value_problem(value, self.unit):
            raise forms.ValidationError(problem)
        return value


class ExtractForm(GovukForm):
    extract = forms.FileField(
        label="Case-level extract (.csv or .xlsx)",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    area = forms.CharField(
        label="Youth justice service area",
        required=False,
        max_length=120,
        help_text="The area name or GSS code; 10–17 populations for rates are read for it "
        "from the evidence store (age band 10-17).",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    populations = forms.CharField(
        label="10–17 populations (optional)",
        required=False,
        help_text="One a line as YEAR=POPULATION, e.g. 2025=21400; these win over the store.",
        widget=forms.Textarea(attrs={**AREA, "rows": 3}),
    )

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        if upload.size > MAX_UPLOAD * 4:
            raise forms.ValidationError("The extract is larger than 20 MB.")
        return upload

    def clean_populations(self) -> dict[int, int]:
        return parse_populations(self.cleaned_data["populations"])


def parse_populations(text: str) -> dict[int, int]:
    """ "2025=21400" lines into {2025: 21400}, naming the line that cannot be read."""
    found: dict[int, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        year, _, population = line.partition("=")
        try:
            year_number, people = int(year.strip()), int(population.strip().replace(",", ""))
        except ValueError:
            raise forms.ValidationError(
                f"Line {number} ({line.strip()!r}) is not YEAR=POPULATION."
            ) from None
        if people <= 0:
            # Rates per 100,000 divide by it: a negative or zero population is a typing slip.
            raise forms.ValidationError(
                f"Line {number} ({line.strip()!r}): the population must be a whole number above 0."
            )
        found[year_number] = people
    return found
