from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferhub.accounts"
    label = "accounts"
    verbose_name = "Agencies and users"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from ..audit import signals as audit_signals
        from . import signals

        # Failed sign-ins are written by accounts.signals (bounded and aggregated), not once
        # per attempt by the audit app's receiver.
        user_login_failed.disconnect(audit_signals.sign_in_failed)
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="accounts-sign-in-failed")
