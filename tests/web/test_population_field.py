"""The youth justice import's 10–17 populations field (indicators.forms.parse_populations)."""

import pytest
from django import forms

from saferhub.indicators.forms import parse_populations


def test_populations_are_read():
    assert parse_populations("2025=21,400\n\n2026 = 21500") == {2025: 21400, 2026: 21500}


@pytest.mark.parametrize("text", ["2025=-27000", "2025=0", "2024=100\n2025=-1"])
def test_a_negative_or_zero_population_is_refused_with_its_line(text):
    with pytest.raises(forms.ValidationError) as error:
        parse_populations(text)
    (message,) = error.value.messages
    assert "must be a whole number above 0" in message
    assert f"Line {len(text.splitlines())}" in message


def test_a_fraction_is_not_a_population():
    with pytest.raises(forms.ValidationError, match="is not YEAR=POPULATION"):
        parse_populations("2025=21400.5")
