"""Forms for sharing: grants, access requests and their decisions, break glass and its
review, information-sharing agreements."""

from __future__ import annotations

from django import forms

from ...govuk_forms import GovukForm
from ...sharing.lawful import Art6, Art9, DpaCondition
from ...sharing.models import ReviewOutcome, Scope
from ...sharing.services import MIN_REASON
from . import fields as f


def at_least(n: int):
    """A reason, not a word: the services refuse shorter ones; the form says so with the
    rest of its errors."""

    def check(value: str) -> None:
        if len((value or "").strip()) < n:
            raise forms.ValidationError(
                f"Give the reason in at least {n} characters: what it is for and why now"
            )

    return check


class GrantFields(GovukForm):
    """What a grant covers, on the agreement it rests on, until when."""

    scope = f.choice("What the agency may see", Scope.choices, radios=True)
    subjects = forms.TypedMultipleChoiceField(
        label="Subjects shared",
        coerce=int,
        required=False,
        help_text="Only for “named subjects only”",
        widget=forms.CheckboxSelectMultiple(attrs=f.CHECK),
    )
    include_special_category = f.yes(
        "Include special category data",
        help_text="Ethnicity, disability, religion, sexual orientation: needs an Article 9 "
        "condition",
    )
    agreement = forms.TypedChoiceField(
        label="Information-sharing agreement", coerce=int, widget=forms.Select(attrs=f.SELECT)
    )
    purpose = f.area(
        "Purpose",
        max_length=4000,
        rows=3,
        help_text="What the agency needs it for: it is recorded with every read",
    )
    expires_on = f.day("Expires on", required=True, help_text="At most a year from today")
    lawful_basis = f.choice(
        "Lawful basis",
        Art6.choices,
        required=False,
        blank="The agreement's lawful basis",
        help_text="Only when this grant rests on another basis",
    )
    special_category_condition = f.choice(
        "Article 9 condition",
        Art9.choices,
        required=False,
        blank="Not needed: no special category data",
    )
    criminal_offence_data = f.yes("Includes criminal offence data (Article 10)")
    dpa_condition = f.choice(
        "DPA 2018 condition",
        DpaCondition.choices,
        required=False,
        blank="Not needed: no criminal offence data, and the Article 9 condition needs none",
    )

    def __init__(self, *args, agreements=(), subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [("", "Choose an agreement")] + [
            (a.pk, a.title) for a in agreements
        ]
        self.fields["subjects"].choices = list(subjects)
        if not subjects:
            del self.fields["subjects"]

    def basis(self) -> dict | None:
        """The grant's own lawful basis, or None for the agreement's."""
        if not self.cleaned_data.get("lawful_basis"):
            return None
        return {
            "lawful_basis": self.cleaned_data["lawful_basis"],
            "special_category_condition": self.cleaned_data.get("special_category_condition") or "",
            "criminal_offence_data": bool(self.cleaned_data.get("criminal_offence_data")),
            "dpa_condition": self.cleaned_data.get("dpa_condition") or "",
        }


class GrantForm(GrantFields):
    agency = forms.TypedChoiceField(label="Agency", coerce=int, widget=forms.Select(attrs=f.SELECT))
    field_order = ["agency"]

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (a.pk, a.name) for a in agencies
        ]


class DecisionForm(GrantFields):
    decision = f.choice(
        "Decision",
        [("approve", "Approve: share the case with their agency"), ("refuse", "Refuse")],
        radios=True,
    )
    decision_reason = f.area(
        "Reason for the decision", max_length=4000, rows=3, help_text="The requester sees it"
    )
    field_order = ["decision", "decision_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get(self.add_prefix("decision")) == "refuse":
            # Refusing needs only the reason: the grant's fields are not asked for.
            for name in ("scope", "agreement", "purpose", "expires_on"):
                self.fields[name].required = False


class RevokeForm(GovukForm):
    reason = f.area("Why the grant ends now", max_length=4000, rows=3)


class AccessRequestForm(GovukForm):
    reason = f.area(
        "Why you need access",
        max_length=4000,
        rows=4,
        help_text="At least 20 characters: what it is for and why now. The lead agency sees "
        "it, and it is recorded",
    )
    reason.validators.append(at_least(MIN_REASON))
    subject = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class BreakGlassForm(GovukForm):
    reason = f.area(
        "Why you need emergency access now",
        max_length=4000,
        rows=4,
        help_text="At least 20 characters. The data protection officer is told at once and "
        "reviews it",
    )
    reason.validators.append(at_least(MIN_REASON))
    confirm = f.yes("I understand this access is recorded and reviewed")

    def clean_confirm(self):
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError("Tick the box to say you understand")
        return True


class ReviewForm(GovukForm):
    outcome = f.choice("Was it justified?", ReviewOutcome.choices, radios=True)
    notes = f.area(
        "Notes",
        required=False,
        max_length=4000,
        rows=3,
        help_text="Needed when it was not justified",
    )


class AgreementForm(GovukForm):
    title = f.text("Title", required=True)
    parties = forms.TypedMultipleChoiceField(
        label="Parties",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs=f.CHECK),
        help_text="At least two agencies",
    )
    purpose = f.area("Purpose", max_length=4000, rows=3)
    data_items = f.area("Data items shared", max_length=4000, rows=3)
    legal_gateway = f.text(
        "Legal gateway", max_length=300, help_text="For example: Crime and Disorder Act 1998 s115"
    )
    retention = f.text("Retention", required=True, max_length=300)
    review_on = f.day("Review date", required=True)
    signed_on = f.day("Date signed")
    lawful_basis = f.choice("Lawful basis", Art6.choices, blank="Choose the lawful basis")
    special_category_condition = GrantFields.base_fields["special_category_condition"]
    criminal_offence_data = GrantFields.base_fields["criminal_offence_data"]
    dpa_condition = GrantFields.base_fields["dpa_condition"]
    document = forms.FileField(
        label="Signed copy",
        required=False,
        help_text="PDF or Word, up to 20 MB",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = [(a.pk, a.name) for a in agencies]


class AgreementEditForm(AgreementForm):
    """An agreement changed: the same fields, with the version the editor opened (a save
    over someone else's change is refused and shows theirs)."""

    document = forms.FileField(
        label="New signed copy",
        required=False,
        help_text="Only when it was signed again: PDF or Word, up to 20 MB. The earlier copy "
        "is kept",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
