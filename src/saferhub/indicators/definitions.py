"""The vocabulary of an indicator, as plain enums shared by the models, forms and pure code.

Kept free of Django so that target, RAG and period arithmetic can be tested on their own.
"""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    PER_1000 = "per_1000"
    PER_100000 = "per_100000"
    PERCENTAGE = "percentage"

    @property
    def label(self) -> str:
        return UNIT_LABELS[self]

    @property
    def per(self) -> int | None:
        """The population multiplier of a rate; None for counts and percentages."""
        return {Unit.PER_1000: 1000, Unit.PER_100000: 100_000}.get(self)


UNIT_LABELS = {
    Unit.COUNT: "Count",
    Unit.PER_1000: "Rate per 1,000",
    Unit.PER_100000: "Rate per 100,000",
    Unit.PERCENTAGE: "Percentage",
}


class Polarity(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"

    @property
    def label(self) -> str:
        return "Lower is better" if self is Polarity.LOWER else "Higher is better"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Source(StrEnum):
    EVIDENCE = "evidence"
    MANUAL = "manual"
    YOUTH_JUSTICE = "youth_justice"

    @property
    def label(self) -> str:
        return {
            Source.EVIDENCE: "Evidence store",
            Source.MANUAL: "Entered by the owner",
            Source.YOUTH_JUSTICE: "Youth justice extract",
        }[self]


class TargetKind(StrEnum):
    NONE = "none"
    ABSOLUTE = "absolute"  # e.g. 240 new IDVA cases a year
    CHANGE = "change"  # e.g. −10% on the comparison period; 0% = no worse than it

    @property
    def label(self) -> str:
        return {
            TargetKind.NONE: "No target",
            TargetKind.ABSOLUTE: "A value",
            TargetKind.CHANGE: "A change on the comparison period",
        }[self]


class PeriodRule(StrEnum):
    """How an evidence indicator chooses its period and what it compares it with."""

    ROLLING_12 = "rolling_12"
    FYTD = "fytd"
    QUARTER = "quarter"

    @property
    def label(self) -> str:
        return {
            PeriodRule.ROLLING_12: "Rolling 12 months against the previous 12",
            PeriodRule.FYTD: "Financial year to date against the same months last year",
            PeriodRule.QUARTER: "Quarter against the previous quarter",
        }[self]


class Rag(StrEnum):
    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    SAME = "no change"


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]
