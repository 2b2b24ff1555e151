from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "saferhub.panels"
    label = "panels"
    verbose_name = "Panels"

    def ready(self) -> None:
        # A live listing at a panel opens the case to the panel's member agencies.
        from . import access

        access.register()
