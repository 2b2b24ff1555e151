"""The partnership config: what a partnership sets once for its reports.

A TOML file (see docs/user/report-config.md and examples/partnership.toml):

    name = "Northbrook Community Safety Partnership"   # required
    area = "Northbrook"                                # default for --area
    comparators = ["Eastmere", "Westford"]             # default for --compare
    colour = "#1d70b8"                                  # accent colour (hex)
    logo = "logo.png"                                   # optional, relative to the file

    [[priorities]]                                      # required, in report order
    category = "residential_burglary"                   # a taxonomy key
    heading = "Burglary from homes"                     # optional; the taxonomy label if absent
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..evidence import EvidenceError, Taxonomy

ALLOWED = {"name", "area", "comparators", "colour", "logo", "priorities"}
DEFAULT_PRIORITIES = (
    "residential_burglary",
    "violence_with_injury",
    "personal_robbery",
    "vehicle_offences",
    "asb",
)


@dataclass(frozen=True)
class Priority:
    category: str
    heading: str


@dataclass(frozen=True)
class PartnershipConfig:
    name: str
    priorities: tuple[Priority, ...]
    area: str | None = None
    comparators: tuple[str, ...] = ()
    colour: str = "#1d70b8"
    logo: Path | None = None
    source: str = "defaults"
    notes: tuple[str, ...] = field(default_factory=tuple)


def default_config(area_name: str, taxonomy: Taxonomy) -> PartnershipConfig:
    return PartnershipConfig(
        name=f"{area_name} Community Safety Partnership",
        priorities=tuple(
            Priority(key, taxonomy.get(key).label)
            for key in DEFAULT_PRIORITIES
            if key in set(taxonomy.keys())
        ),
    )


def load_config(path: Path, taxonomy: Taxonomy) -> PartnershipConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvidenceError(f"cannot read config {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise EvidenceError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - ALLOWED)
    if unknown:
        raise EvidenceError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(ALLOWED))}"
        )
    missing = [k for k in ("name", "priorities") if k not in data]
    if missing:
        raise EvidenceError(f"{path}: missing required key(s): {', '.join(missing)}")
    if not isinstance(data["name"], str) or not data["name"].strip():
        raise EvidenceError(f"{path}: 'name' must be the partnership's name")
    priorities = data["priorities"]
    if not isinstance(priorities, list) or not priorities:
        raise EvidenceError(f"{path}: 'priorities' must be a list of [[priorities]] tables")
    parsed = []
    for number, item in enumerate(priorities, start=1):
        if not isinstance(item, dict) or "category" not in item:
            raise EvidenceError(f"{path}: priority {number} has no 'category'")
        extra = sorted(set(item) - {"category", "heading"})
        if extra:
            # A top-level key written after [[priorities]] lands here in TOML.
            raise EvidenceError(
                f"{path}: priority {number}: unknown key(s) {', '.join(extra)} (only category "
                "and heading; put partnership-wide keys above the first [[priorities]])"
            )
        key = item["category"]
        if key not in set(taxonomy.keys()):
            raise EvidenceError(
                f"{path}: priority {number}: unknown category {key!r}; "
                f"the taxonomy has: {', '.join(taxonomy.keys())}"
            )
        parsed.append(Priority(key, str(item.get("heading") or taxonomy.get(key).label)))
    colour = data.get("colour", "#1d70b8")
    if not isinstance(colour, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise EvidenceError(f"{path}: 'colour' must be a hex colour such as #1d70b8")
    comparators = data.get("comparators", [])
    if not isinstance(comparators, list) or not all(isinstance(c, str) for c in comparators):
        raise EvidenceError(f"{path}: 'comparators' must be a list of borough names or codes")
    logo = None
    if data.get("logo"):
        logo = (path.parent / data["logo"]).resolve()
        if not logo.is_file():
            raise EvidenceError(f"{path}: logo file {logo} not found")
    return PartnershipConfig(
        name=data["name"].strip(),
        priorities=tuple(parsed),
        area=data.get("area"),
        comparators=tuple(comparators),
        colour=colour,
        logo=logo,
        source=str(path),
    )
