"""Matching of area names and column headers as publishers actually write them."""

from __future__ import annotations

import re


def name_key(name: str) -> str:
    """Compare area names ignoring case, punctuation and '&' vs 'and'."""
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))


def header_key(name: str) -> str:
    """Compare column headers ignoring case, spaces and underscores."""
    return re.sub(r"[\s_]", "", name.lower())
