"""Which areas exist: GSS codes and names, from the shipped list and from loaded data.

Police files name boroughs inconsistently (a name in one file, a GSS code in another); every
reader resolves them through this one lookup so a borough has one code and one name everywhere.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .db import duckdb
from .names import name_key

DISTRICT_PREFIXES = ("E06", "E07", "E08", "E09", "W06")


def is_district_code(code: str | None) -> bool:
    """Local authority districts (the areas a CSP covers) are the only areas ranked."""
    return bool(code) and code.startswith(DISTRICT_PREFIXES)


def shipped_areas() -> list[tuple[str, str]]:
    # A plain path, not importlib.resources (~10 ms to import): the package is never zipped.
    return [(r["code"], r["name"]) for r in _shipped_rows()]


def _shipped_rows() -> list[dict[str, str]]:
    text = (Path(__file__).parent / "data" / "areas.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def shipped_force_boroughs() -> dict[str, str]:
    """code -> name of the shipped boroughs the force area's data covers (the MPS polices
    32 of London's 33 boroughs; the `force` column of data/areas.csv says which)."""
    return {
        r["code"]: r["name"]
        for r in _shipped_rows()
        if r["type"] == "borough" and r.get("force") == "Metropolitan Police"
    }


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, str]  # code -> the name we print
    codes: dict[str, str]  # name_key of every known spelling -> code

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Gazetteer:
        names: dict[str, str] = {}
        codes: dict[str, str] = {}
        loaded = con.execute(
            """select distinct area_code, area_name from population where area_name is not null
               union
               select distinct area_code, area_name from boundaries where area_type = 'borough'
               order by 1, 2"""
        ).fetchall()
        for code, name in [*shipped_areas(), *loaded]:
            names.setdefault(code, name)
            codes.setdefault(name_key(name), code)
        return cls(names=names, codes=codes)

    def resolve(self, value: str) -> tuple[str | None, str]:
        """(code, name) for a borough written as a GSS code or a name; code None if unknown."""
        text = value.strip()
        if text.upper() in self.names:
            return text.upper(), self.names[text.upper()]
        code = self.codes.get(name_key(text))
        return (code, self.names[code]) if code else (None, text)

    def register_lookup(self, con: duckdb.DuckDBPyConnection, values: list[str]) -> None:
        """Temp table `borough_lookup(value, code, name)` for joining inside the store."""
        con.execute(
            "create or replace temp table borough_lookup (value varchar, code varchar, "
            "name varchar)"
        )
        con.executemany(
            "insert into borough_lookup values (?, ?, ?)",
            [(v, *self.resolve(v)) for v in values],
        )

    def register_pairs(self, con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]]) -> None:
        """As `register_lookup`, for files that give each borough's GSS code and its name:
        keyed by the code; an unknown code is resolved by its name, else kept as written."""
        rows = []
        for code, name in pairs:
            found, shown = self.resolve(code)
            if found is None and name:
                found, shown = self.resolve(name)
                if found is None and is_gss_code(code):
                    found, shown = code.strip().upper(), name.strip()
            rows.append((code, found, shown))
        con.execute(
            "create or replace temp table borough_lookup (value varchar, code varchar, "
            "name varchar)"
        )
        con.executemany("insert into borough_lookup values (?, ?, ?)", rows)


def is_gss_code(text: str | None) -> bool:
    """A GSS code: a letter, then eight digits (E09000015)."""
    return bool(text) and re.fullmatch(r"[A-Z]\d{8}", text.strip().upper()) is not None
