from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"
    verbose_name = "Cases"
