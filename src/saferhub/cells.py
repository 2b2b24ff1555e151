"""Text that people typed, made safe for the places it goes: spreadsheets and the database.

Shared by every app that exports or stores free text, so the rules are the same everywhere.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# C0 control characters other than tab, newline and carriage return: never typed on purpose,
# refused by PostgreSQL (NUL) and by the Office formats (the rest).
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading "'" before =, +, -, @ (the
    plan importer takes it off again)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def without_controls(text: str) -> str:
    """`text` without C0 control characters (tab and line breaks are kept)."""
    return CONTROLS.sub("", text)
