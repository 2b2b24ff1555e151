"""Sign-in with two factors, and the admin pages for agencies and users."""

from __future__ import annotations

import base64
import io

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit.log import record
from ..audit.models import Action
from . import recovery
from .forms import (
    AgencyForm,
    NewPasswordForm,
    RecoveryCodeForm,
    ResetPasswordForm,
    SignInForm,
    TokenForm,
    UserForm,
)
from .models import Agency, User
from .permissions import MANAGE_ACCOUNTS, requires


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Every request is recorded, whether or not the address has an account (the page says
    the same either way, so the audit log is the only place that knows). A site without an
    email backend (settings.PASSWORD_RESET_BY_EMAIL) makes no link at all: the page says so."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            return render(
                request,
                "accounts/message.html",
                {
                    "title": "Password resets are not set up here",
                    "text": "This site does not send email, so it cannot send a reset link. "
                    "Ask your partnership admin to set a temporary password for you.",
                },
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        record(
            action=Action.PASSWORD_RESET_REQUESTED,
            request=self.request,
            changes={"email": form.cleaned_data["email"].strip().lower()[:254]},
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            if form.user.must_change_password:  # they have chosen their own
                form.user.must_change_password = False
                form.user.save(update_fields=["must_change_password"])
            record(action=Action.PASSWORD_RESET, request=self.request, actor=form.user)
        return response


def qr_svg(text: str) -> str:
    """`text` as a QR code in inline SVG markup: no script and no style attribute, so the
    site's Content-Security-Policy allows it."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        scale=5,
        title=None,
        svgclass=None,
        lineclass=None,
        dark="#0b0c0c",
        light="#ffffff",
    )
    return out.getvalue().decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enrol a TOTP device on first sign-in, then ask for a code (or a recovery code) on every
    sign-in. The recovery codes are made, and shown, once the first code is accepted."""
    device = TOTPDevice.objects.filter(user=request.user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    credentials = {"username": request.user.email, "step": "two-factor"}
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request)
    using_recovery = device.confirmed and "recovery_code" in request.POST
    form = TokenForm(request.POST if request.method == "POST" and not using_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    if using_recovery and recovery_form.is_valid():
        used = recovery.use_code(request.user, recovery_form.cleaned_data["recovery_code"])
        if used is not None:
            left = StaticToken.objects.filter(device=used).count()
            messages.warning(
                request,
                f"You signed in with a recovery code. You have {left} left: ask your "
                "partnership admin to reset your two-factor sign-in if you have lost your app.",
            )
            return _signed_in(request, used, changes={"step": "recovery code"})
        _failed_code(request, credentials)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        recovery_form.add_error("recovery_code", "That recovery code is not right or was used")
    elif request.method == "POST" and not using_recovery and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = None
            if not device.confirmed:
                with transaction.atomic():
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    codes = recovery.new_codes(request.user)
            response = _signed_in(request, device)
            if codes is None:
                return response
            # Shown in this response only: the page cannot be opened again.
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": response["Location"]},
            )
        _failed_code(request, credentials)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form.add_error("token", "That code is not right or has expired: try the newest one")
    enrolling = not device.confirmed
    uri = device.config_url if enrolling else None
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "recovery_form": recovery_form,
            "using_recovery": using_recovery,
            "enrolling": enrolling,
            "secret": base64.b32encode(device.bin_key).decode() if enrolling else None,
            "uri": uri,
            "qr": qr_svg(uri) if enrolling else None,
        },
    )


def _failed_code(request, credentials) -> None:
    """A wrong code is a failed sign-in like a wrong password: the same signal writes the
    audit entry and counts towards the same lockout (django-axes)."""
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


def _signed_in(request, device, changes: dict | None = None):
    """Both factors are in: the session is verified and the user goes on."""
    otp_login(request, device)
    # A new session key once both factors are in: a key seen before sign-in (a fixated or
    # sniffed one) never becomes a signed-in session.
    request.session.cycle_key()
    record(action=Action.SIGN_IN, request=request, changes=changes)
    target = _local(request, request.GET.get("next"))
    if request.user.must_change_password:
        query = f"?{urlencode({'next': target})}" if target else ""
        return redirect(reverse("accounts:new-password") + query)
    return redirect(target or "home")


@login_required
@require_http_methods(["GET", "POST"])
def new_password(request):
    """First sign-in of an account whose password an admin set: the user chooses their own
    before any other page (web.middleware.require_new_password sends them here)."""
    user = request.user
    if not user.must_change_password:
        return redirect("home")
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(commit=False)
            user.must_change_password = False
            user.save(update_fields=["password", "must_change_password"])
            record(
                action=Action.UPDATE,
                request=request,
                obj=user,
                changes={"password": "changed", "by": "the user, at first sign-in"},
            )
        update_session_auth_hash(request, user)  # this session stays signed in
        messages.success(request, "Password changed")
        return redirect(_local(request, request.GET.get("next")) or "home")
    return render(
        request,
        "accounts/form.html",
        {
            "form": form,
            "title": "Choose a new password",
            "intro": "Your password was set by an admin. Choose your own to continue.",
        },
    )


def _local(request, target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: a link that signs someone in must
    never send them on to another site (or run a javascript: URL)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _locked_out(request):
    """Too many failed attempts: the half-signed-in session ends and the lockout page shows."""
    logout(request)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


def _save_with_audit(request, form, action):
    changed = {f: str(form.cleaned_data.get(f)) for f in form.changed_data if f != "password"}
    with transaction.atomic():
        obj = form.save(commit=False)
        if isinstance(obj, User) and form.cleaned_data.get("password"):
            # A password an admin set is known to two people: its owner replaces it at the
            # next sign-in.
            obj.set_password(form.cleaned_data["password"])
            obj.must_change_password = True
            changed["password"] = "changed"
        obj.save()
        record(action=action, request=request, obj=obj, changes=changed)
    return obj


@requires(MANAGE_ACCOUNTS)
def agency_list(request):
    return render(request, "accounts/agency_list.html", {"agencies": Agency.objects.all()})


def _edit(request, model, form_class, pk, *, noun: str, title: str, list_url: str, extra=None):
    """Add or edit one object; the change and its audit entry commit together."""
    obj = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        _save_with_audit(request, form, Action.UPDATE if obj else Action.CREATE)
        messages.success(request, f"{noun.capitalize()} saved")
        return redirect(list_url)
    context = {"form": form, "title": f"Edit {noun}" if obj else title, **(extra or {})}
    return render(request, "accounts/form.html", context)


@requires(MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk=None):
    return _edit(
        request,
        Agency,
        AgencyForm,
        pk,
        noun="agency",
        title="Add an agency",
        list_url="accounts:agencies",
    )


@requires(MANAGE_ACCOUNTS)
def user_list(request):
    users = list(User.objects.select_related("agency"))
    # A list of people is personal data: reading it is recorded like any other view.
    record(
        action=Action.VIEW,
        request=request,
        object_type="accounts.User",
        changes={"listed": len(users)},
    )
    return render(request, "accounts/user_list.html", {"users": users})


@requires(MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk=None):
    if pk and request.method == "POST" and request.POST.get("two_factor") == "reset":
        return _two_factor_reset(request, pk)
    if pk and request.method == "GET":
        # A person's account details are personal data: opening them is recorded.
        record(action=Action.VIEW, request=request, object_type="accounts.User", object_id=str(pk))
    two_factor = None
    if pk:
        user = get_object_or_404(User, pk=pk)
        two_factor = {
            "user": user,
            "enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "recovery_codes": StaticToken.objects.filter(device__user=user).count(),
        }
    return _edit(
        request,
        User,
        UserForm,
        pk,
        noun="user",
        title="Add a user",
        list_url="accounts:users",
        extra={"two_factor": two_factor},
    )


def _two_factor_reset(request, pk):
    """An admin (through user_edit, so MANAGE_ACCOUNTS) removes a user's authenticator and
    recovery codes, say after a lost phone: the user sets up an app again at their next
    sign-in, and any session they have open asks for a code again. The edit page's button
    asks first; it is done only on the POST that confirms."""
    user = get_object_or_404(User, pk=pk)
    if request.POST.get("confirm") == "yes":
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            record(action=Action.UPDATE, request=request, obj=user, changes={"two_factor": "reset"})
        messages.success(request, f"Two-factor sign-in reset for {user}")
        return redirect("accounts:user-edit", pk=user.pk)
    return render(request, "accounts/two_factor_reset.html", {"person": user})
