"""Which area an assessment is about: a borough, a ward, or the whole force area.

Areas are found in the loaded data, never in code, so any partnership's names work; a name
that matches nothing gets the closest names as suggestions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .db import duckdb
from .errors import EvidenceError
from .names import name_key

# The MPS publishes London-wide data; "every row of the force area" is London.
FORCE_AREA = ("London", "E12000007")


@dataclass(frozen=True)
class Area:
    name: str
    code: str | None
    type: str  # "borough", "ward" or "force"
    borough_code: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "code": self.code, "type": self.type}


def known_areas(con: duckdb.DuckDBPyConnection) -> list[Area]:
    """Boroughs (from rows of any level), wards (from ward rows, or for a borough loaded only
    at LSOA level, the wards its LSOAs lie in) and the force area, from `agg_areas`."""
    rows = con.execute(
        """select distinct case when area_type = 'lsoa-ward' then 'ward' else area_type end,
                  area_code, area_name, borough_code
           from agg_areas a
           where area_type in ('borough', 'ward')
              or (area_type = 'lsoa-ward' and borough_code not in
                  (select borough_code from agg_areas where area_type = 'ward'))
           order by 1, 3"""
    ).fetchall()
    areas = [Area(name, code, kind, borough) for kind, code, name, borough in rows]
    if rows:
        areas.append(Area(FORCE_AREA[0], FORCE_AREA[1], "force"))
    return areas


def resolve_area(areas: list[Area], text: str) -> Area:
    """Find the area a user means by a name or GSS code; boroughs win over same-named wards."""
    if not areas:
        raise EvidenceError("no crime data loaded: run `saferhub ingest` first")
    wanted = text.strip()
    for kind in ("force", "borough", "ward"):
        matches = {
            a
            for a in areas
            if a.type == kind
            and ((a.code or "").upper() == wanted.upper() or name_key(a.name) == name_key(wanted))
        }
        # A ward split between two boroughs' rows (e.g. an airport) is still one ward.
        codes = {a.code for a in matches}
        if len(codes) == 1:
            match = sorted(matches, key=lambda a: a.borough_code or "~")[0]
            return Area(match.name, match.code, match.type) if kind == "ward" else match
        if len(codes) > 1:
            listing = ", ".join(f"{a.name} ({a.code})" for a in sorted(matches, key=str))
            raise EvidenceError(f"area {wanted!r} is ambiguous: {listing}; give the code")
    names = sorted({a.name for a in areas})
    close = difflib.get_close_matches(wanted, names, n=5, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise EvidenceError(f"unknown area {wanted!r}{hint}")
