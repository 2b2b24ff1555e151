from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Agency, User


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


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "type"]


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label="Temporary password",
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 12 characters. Leave blank when editing to keep the password.",
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "agency", "role", "is_data_protection_officer", "is_active"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.instance.pk and len(password) < 12:
            raise forms.ValidationError("Set a temporary password of at least 12 characters")
        if password and len(password) < 12:
            raise forms.ValidationError("The password must be at least 12 characters")
        return password
