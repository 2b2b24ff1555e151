"""Reading the casework pages as a person does: the error summary's links, the text."""

from __future__ import annotations

import re
from html import unescape


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def summary(response) -> str:
    """The error summary's HTML ("" when the page has none)."""
    html = response.content.decode()
    found = re.search(r'<div class="govuk-error-summary".*?</div></div>', html, re.S)
    return unescape(found.group(0)) if found else ""


def named(response, *fields: str) -> bool:
    """Whether the error summary links to each field (by its id, as GOV.UK's summary does)."""
    found = summary(response)
    return bool(found) and all(
        f'href="#id_{f}"' in found or f'href="#id_{f}_0"' in found for f in fields
    )
