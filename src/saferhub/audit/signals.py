"""Sign-in events go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .log import record
from .models import Action


@receiver(user_logged_in)
def password_accepted(sender, request, user, **kwargs):
    # The first factor only: "signed in" is written when the second factor is accepted
    # (accounts.views.two_factor).
    record(action=Action.PASSWORD_ACCEPTED, request=request, actor=user)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=Action.SIGN_OUT, request=request, actor=user)


# Failed sign-ins are written by saferhub.accounts.signals: bounded and aggregated there.
