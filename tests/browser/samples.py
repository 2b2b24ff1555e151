"""Run inside a demo site's environment (`python tests/browser/samples.py`): print, as JSON,
the ids the browser tests put into URLs with parameters: the demo's first plan, its first
objective and measure, an action the demo practitioner leads and one they do not, an indicator
of each source, an agency and a user. Read with the site's own models and permission rules, so
the tests open the same objects the site would list. Also the site's 500 page as its handler
renders it, since no request to the real site can fail on purpose without breaking it."""

from __future__ import annotations

import json
import os


def samples() -> dict[str, int]:
    from saferhub.accounts.models import Agency, User
    from saferhub.casework.demo import samples as casework_samples
    from saferhub.indicators.definitions import Source
    from saferhub.indicators.models import Indicator
    from saferhub.plans.models import Action, Measure, Objective, Strategy
    from saferhub.plans.permissions import led_by

    practitioner = User.objects.get(email="practitioner@demo.saferhub.invalid")
    strategy = Strategy.objects.order_by("pk").first()
    actions = Action.objects.filter(objective__strategy=strategy).order_by("pk")
    led = actions.filter(led_by(practitioner)).distinct()
    indicators = Indicator.objects.order_by("pk")
    return {
        "strategy": strategy.pk,
        "objective": Objective.objects.filter(strategy=strategy).order_by("pk").first().pk,
        "measure": Measure.objects.filter(objective__strategy=strategy).order_by("pk").first().pk,
        "action_led": led.first().pk,
        "action_not_led": actions.exclude(pk__in=led.values("pk")).first().pk,
        "indicator_evidence": indicators.filter(source=Source.EVIDENCE).first().pk,
        "indicator_manual": indicators.filter(source=Source.MANUAL).first().pk,
        "indicator_youth_justice": indicators.filter(source=Source.YOUTH_JUSTICE).first().pk,
        "agency": Agency.objects.order_by("pk").first().pk,
        "user": User.objects.get(email="board@demo.saferhub.invalid").pk,
        **casework_samples(),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
    import django

    django.setup()
    from saferhub.web.views import server_error

    print(json.dumps({"samples": samples(), "server_error": server_error().content.decode()}))
