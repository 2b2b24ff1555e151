from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Risk assessments on cases. `questionnaire.py` and `scoring.py` stay pure (no Django);
    `models.py` and `services.py` keep the editions a partnership loads and the assessments
    completed on cases."""

    name = "saferhub.risk"
    label = "risk"
    verbose_name = "Risk assessments"
