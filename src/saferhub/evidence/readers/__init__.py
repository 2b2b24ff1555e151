"""Readers turn one input file into rows staged in a temp table, validated, ready to commit.

Each reader stages into `staged_<table>` with the target table's columns (without
`ingest_id`) and returns a `Staged` describing what it found; `ingest.py` does the replacing,
the provenance and the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Staged:
    kind: str
    table: str
    rows: int
    months: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Columns of the target table whose values identify what a newer file replaces.
    replace_on: tuple[str, ...] = ()
