"""The casework settings read from the environment: a bad value stops start-up with its name."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SHOW = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'saferhub.web.settings'; "
    "django.setup(); from django.conf import settings; "
    "print(settings.CASEWORK_BREAK_GLASS_HOURS, getattr(settings, 'CASEWORK_DOCUMENTS', '-'))"
)


def _settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", SHOW], env={**clean, **env}, capture_output=True, text=True
    )


def test_defaults_and_values_from_the_environment(tmp_path):
    assert _settings().stdout.split() == ["4.0", "-"]
    shown = _settings(
        SAFERHUB_BREAK_GLASS_HOURS="1.5", SAFERHUB_CASEWORK_DOCUMENTS=str(tmp_path)
    ).stdout.split()
    assert shown == ["1.5", str(tmp_path)]


@pytest.mark.parametrize("value", ["abc", "0", "-2", "100"])
def test_a_bad_break_glass_period_stops_start_up_naming_the_variable(value):
    run = _settings(SAFERHUB_BREAK_GLASS_HOURS=value)
    assert run.returncode != 0
    assert "SAFERHUB_BREAK_GLASS_HOURS must be a number of hours" in run.stderr
