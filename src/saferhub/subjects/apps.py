from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "saferhub.subjects"
    label = "subjects"
    verbose_name = "Subjects"
