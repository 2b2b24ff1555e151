"""The partnership taxonomy: which source categories make up each partnership category.

Kept in a user-editable TOML file so that a partnership can change what "burglary" means to
it without touching code; the shipped file is `data/taxonomy.toml`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EvidenceError

ALLOWED_KEYS = {"label", "all", "mps_major", "mps_minor", "policeuk"}


def _norm(text: str) -> str:
    return " ".join(text.split()).upper()


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    all: bool = False
    mps_major: frozenset[str] = field(default_factory=frozenset)
    mps_minor: frozenset[str] = field(default_factory=frozenset)
    policeuk: frozenset[str] = field(default_factory=frozenset)

    @property
    def from_mps(self) -> bool:
        """True when the figures come from MPS aggregated counts rather than police.uk records."""
        return self.all or bool(self.mps_major or self.mps_minor)

    def matches_mps(self, major: str, minor: str) -> bool:
        return self.all or _norm(major) in self.mps_major or _norm(minor) in self.mps_minor

    def matches_policeuk(self, crime_type: str) -> bool:
        return self.all or _norm(crime_type) in self.policeuk


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    source: str

    def keys(self) -> list[str]:
        return [c.key for c in self.categories]

    def get(self, key: str) -> Category:
        for category in self.categories:
            if category.key == key:
                return category
        raise EvidenceError(
            f"unknown category {key!r} (taxonomy {self.source} has: {', '.join(self.keys())})"
        )

    def mps_pairs(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
        """Expand MPS (major, minor) pairs into (major, minor, key) rows, one per matching key."""
        return [
            (major, minor, c.key)
            for major, minor in pairs
            for c in self.categories
            if c.from_mps and c.matches_mps(major, minor)
        ]

    def policeuk_types(self, types: list[str]) -> list[tuple[str, str]]:
        """Expand police.uk crime types into (crime_type, key) rows for police.uk-sourced keys."""
        return [
            (t, c.key)
            for t in types
            for c in self.categories
            if not c.from_mps and c.matches_policeuk(t)
        ]

    def unmapped_mps(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """MPS categories that only `total` would count: the ingest reports them."""
        return [
            (major, minor)
            for major, minor in pairs
            if not any(not c.all and c.matches_mps(major, minor) for c in self.categories)
        ]

    def unmapped_policeuk(self, types: list[str]) -> list[str]:
        return [
            t
            for t in types
            if not any(not c.all and c.matches_policeuk(t) for c in self.categories)
        ]


def _strings(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EvidenceError(f"{where}: expected a list of strings, found {value!r}")
    return frozenset(_norm(v) for v in value)


def parse_taxonomy(data: dict, source: str) -> Taxonomy:
    tables = data.get("categories")
    if not isinstance(tables, dict) or not tables:
        raise EvidenceError(f"{source}: no [categories.KEY] tables found")
    categories = []
    for key, table in tables.items():
        where = f"{source}: [categories.{key}]"
        if not isinstance(table, dict):
            raise EvidenceError(f"{where}: expected a table")
        unknown = set(table) - ALLOWED_KEYS
        if unknown:
            raise EvidenceError(
                f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
                f"allowed: {', '.join(sorted(ALLOWED_KEYS))}"
            )
        label = table.get("label")
        if not isinstance(label, str) or not label.strip():
            raise EvidenceError(f"{where}: missing 'label'")
        category = Category(
            key=key,
            label=label,
            all=bool(table.get("all", False)),
            mps_major=_strings(table.get("mps_major", []), f"{where} mps_major"),
            mps_minor=_strings(table.get("mps_minor", []), f"{where} mps_minor"),
            policeuk=_strings(table.get("policeuk", []), f"{where} policeuk"),
        )
        if not (category.all or category.mps_major or category.mps_minor or category.policeuk):
            raise EvidenceError(f"{where}: maps no source category")
        categories.append(category)
    if "total" not in tables:
        raise EvidenceError(f"{source}: the taxonomy must define a 'total' category")
    return Taxonomy(categories=tuple(categories), source=source)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load the taxonomy from `path`, or the shipped default when `path` is None."""
    if path is None:
        text = (Path(__file__).parent / "data" / "taxonomy.toml").read_text(encoding="utf-8")
        source = "shipped taxonomy.toml"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise EvidenceError(f"cannot read taxonomy {path}: {exc.strerror}") from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EvidenceError(f"{source}: not valid TOML: {exc}") from exc
    return parse_taxonomy(data, source)
