from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "saferhub.partnership"
    label = "partnership"
    verbose_name = "The partnership"
