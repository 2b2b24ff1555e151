from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

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
        help_text=(
            "At least 12 characters, not a common password and not like the person's name or "
            "email. They choose their own at first sign-in. Leave blank when editing to keep "
            "the password."
        ),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "agency", "role", "is_data_protection_officer", "is_active"]

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


class NewPasswordForm(SetPasswordForm):
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
