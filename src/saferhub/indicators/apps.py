from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "saferhub.indicators"
    label = "indicators"
    verbose_name = "Indicators and targets"
