from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # A subject merge re-points the merged subject's case roles (merging.py).
        from . import merging

        merging.register()
