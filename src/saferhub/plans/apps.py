from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "saferhub.plans"
    label = "plans"
    verbose_name = "Strategies and delivery plans"
