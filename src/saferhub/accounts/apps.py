from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferhub.accounts"
    label = "accounts"
    verbose_name = "Agencies and users"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import signals

        # Failed sign-ins go to the audit log bounded and aggregated (accounts.signals).
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="accounts-sign-in-failed")
