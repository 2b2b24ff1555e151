from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "saferhub.casework"
    label = "casework"
    verbose_name = "Casework"
