from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "saferhub.sharing"
    label = "sharing"
    verbose_name = "Sharing and access"
