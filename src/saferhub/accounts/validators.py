"""A password rule Django's validators leave out: a password must not be one character, or
one short run of characters, over and over ("aaaaaaaaaaaa", "abcabcabcabc")."""

from __future__ import annotations

from django.core.exceptions import ValidationError

MIN_DISTINCT = 5


class VariedPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        if len(set(password)) < MIN_DISTINCT or _repeats(password):
            raise ValidationError(
                "This password repeats the same few characters: choose one that does not",
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return f"Your password must use at least {MIN_DISTINCT} different characters."


def _repeats(password: str) -> bool:
    """Whether `password` is a shorter string written out two or more times."""
    size = len(password)
    return any(
        size % unit == 0 and password[:unit] * (size // unit) == password
        for unit in range(1, size // 2 + 1)
    )
