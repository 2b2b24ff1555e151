"""The one search box."""

from __future__ import annotations

from ...govuk_forms import GovukForm
from . import fields as f


class SearchForm(GovukForm):
    q = f.text(
        "Name, date of birth, postcode, VRM or identifier",
        required=True,
        max_length=200,
        help_text="A name, date of birth (4/3/1990), postcode, address, vehicle registration "
        "or identifier (NHS number, PNC ID)",
    )
