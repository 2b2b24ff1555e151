from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "saferhub.sharing"
    label = "sharing"
    verbose_name = "Sharing and access"

    def ready(self) -> None:
        # The cases and subjects apps sit below sharing and ask their services' questions
        # (may this be done, may this subject go on a case, may these be merged) of whatever
        # is installed (none: everything refused). These are the ones.
        from . import holding, merging

        holding.register()
        # A subject merge re-points grants' named subjects, consents and requests.
        merging.register()
