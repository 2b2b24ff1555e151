from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from .models import Agency, AgencyType, Role, User


class GovukForm:
    """GOV.UK Frontend classes on every widget, a hint tied to its field, and the error
    styles on a field with an error (the template is accounts/form.html)."""

    CLASSES = {
        forms.Select: "govuk-select",
        forms.CheckboxInput: "govuk-checkboxes__input",
        forms.Textarea: "govuk-textarea",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for t, c in self.CLASSES.items() if isinstance(widget, t)), None)
            widget.attrs.setdefault("class", css or "govuk-input")
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if css in ("govuk-input", "govuk-select", "govuk-textarea"):
                    widget.attrs["class"] = f"{css} {css}--error"


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "govuk-input"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "govuk-input"}
        ),
    )

    def clean_username(self) -> str:
        # Addresses are stored in lower case; "Analyst@…" is the same person.
        return self.cleaned_data["username"].strip().lower()


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\d{6}$",
        error_messages={"invalid": "Enter the 6-digit code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input govuk-input--width-5",
            }
        ),
    )


class RecoveryCodeForm(forms.Form):
    """One of the 10 recovery codes shown at enrolment, instead of the app's code."""

    recovery_code = forms.CharField(
        label="Recovery code",
        max_length=40,
        error_messages={"required": "Enter a recovery code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )

    def clean_recovery_code(self) -> str:
        # As shown ("abcd efgh") or as typed: spaces, hyphens and capitals do not matter.
        return "".join(self.cleaned_data["recovery_code"].split()).replace("-", "").lower()


class AgencyForm(GovukForm, forms.ModelForm):
    type = forms.ChoiceField(
        label="Type of agency",
        choices=[("", "Choose a type"), *AgencyType.choices],
        error_messages={"required": "Choose the type of agency"},
    )

    class Meta:
        model = Agency
        fields = ["name", "type"]
        labels = {"name": "Name"}
        error_messages = {"name": {"required": "Enter the agency's name"}}


class UserForm(GovukForm, forms.ModelForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency the person works for"},
    )
    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *Role.choices],
        help_text="What they may see and change on the site.",
        error_messages={"required": "Choose a role"},
    )
    password = forms.CharField(
        label="Temporary password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "At least 12 characters, not a common password and not like the person's name or "
            "email. They choose their own at first sign-in. Leave blank when editing to keep "
            "the password."
        ),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "agency", "role", "is_data_protection_officer", "is_active"]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            "is_data_protection_officer": "Data protection officer",
            "is_active": "Active",
        }
        help_texts = {
            "is_data_protection_officer": "Can read the audit log.",
            "is_active": "An account that is not active cannot sign in.",
        }
        error_messages = {
            "full_name": {"required": "Enter the person's full name"},
            "email": {
                "required": "Enter an email address",
                "invalid": "Enter an email address like name@example.org",
            },
        }

    def clean_email(self) -> str:
        # Stored in lower case, as sign-in looks it up; one address is one account.
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                "Another user already has this email address (addresses are the same "
                "whatever their capitals)"
            )
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.instance.pk and not password:
            raise forms.ValidationError("Set a temporary password of at least 12 characters")
        return password

    def _post_clean(self):
        super()._post_clean()  # self.instance now holds the name and email typed
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password", error)


class NewPasswordForm(GovukForm, SetPasswordForm):
    """The password a user chooses at first sign-in: Django's validators, and not the
    temporary one an admin set."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2", "Choose a password that is not the temporary one you were given"
            )
        return cleaned


class ResetPasswordForm(GovukForm, SetPasswordForm):
    """The new password chosen through an emailed reset link."""
