from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "saferhub.sharing"
    label = "sharing"
    verbose_name = "Sharing and access"

    def ready(self) -> None:
        # The cases app sits below sharing and asks its services' questions of whatever
        # policy is installed (none: everything refused). This is the one.
        from . import merging, policy

        policy.install()
        # A subject merge re-points grants' named subjects, consents and requests.
        merging.register()
