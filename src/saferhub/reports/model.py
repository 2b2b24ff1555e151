"""The report object: one assessment plus what a document around it needs.

Built once per report; HTML, PDF and Word render this same object, so they show the same
numbers. Figures come from the evidence engine only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..evidence import Evidence
from ..evidence.ingest import provenance
from .config import PartnershipConfig
from .findings import key_findings

CAVEATS = (
    "Recorded crime is not all crime: it counts offences reported to and recorded by the "
    "police, and changes in reporting or recording practice move the figures as well as "
    "changes in crime.",
    "Police categories change between data vintages (the MPS changed its scheme in 2019); "
    "the taxonomy maps each vintage's categories to the partnership's, and categories that "
    "map to nothing are listed at load time.",
    "Rates are offences per 1,000 residents and use the population of one year for both "
    "periods, so a change in rate reflects a change in offences.",
    "Small numbers vary a lot by chance: percentage changes on fewer than 10 offences are not "
    "used as headlines.",
    "Anti-social behaviour figures come from police.uk records, which are placed in wards by "
    "their published (approximate) location; records without a location are counted in no "
    "ward.",
)


def _category(a: dict, key: str) -> dict | None:
    return next((c for c in a["categories"] if c["key"] == key), None)


def _neighbourhoods(a: dict) -> dict | None:
    """The LSOAs with the most offences and the biggest rises in total crime, as the
    assessment lists them (`lsoa_highlights`); None when no LSOA data is loaded. The rows
    are the assessment's own LSOA rows, so every document shows its figures."""
    if not a.get("lsoas"):
        return None
    by_code = {row["code"]: row for row in a["lsoas"]}
    marks = a["lsoa_highlights"]["total"]
    return {
        "key": "total",
        "count": len(a["lsoas"]),
        "highest": [by_code[code] for code in marks["highest"]],
        "rises": [by_code[code] for code in marks["rises"]],
    }


def build_report(
    evidence: Evidence,
    *,
    area: str,
    period: str,
    compare: list[str],
    config: PartnershipConfig,
) -> dict:
    a = evidence.assess(area=area, period=period, compare=compare)
    trend = evidence.trend(area=area, end=a["period"]["end"], months=36)
    notes = list(a["notes"])
    priorities = []
    for priority in config.priorities:
        row = _category(a, priority.category)
        if row is None:
            notes.append(f"Priority '{priority.heading}' has no figures for this period.")
            continue
        priorities.append({"key": priority.category, "heading": priority.heading})

    ward_codes = [w["code"] for w in a["wards"]]
    geometries = evidence.boundaries("ward", ward_codes) if ward_codes else {}
    if a["area"]["type"] != "borough":
        map_missing = "Ward maps are drawn for boroughs."
    elif not ward_codes:
        map_missing = f"No ward-level crime data is loaded for {a['area']['name']}."
    elif not geometries:
        map_missing = (
            f"No ward boundaries are loaded for {a['area']['name']}'s wards, so the map "
            "cannot be drawn; load a ward GeoJSON with `saferhub ingest`."
        )
    else:
        map_missing = None
        unmapped = sorted(set(ward_codes) - set(geometries))
        if unmapped:
            notes.append(
                f"{len(unmapped)} wards have no boundary and are not on the maps: "
                + ", ".join(unmapped)
            )
    rates = bool(a["wards"]) and all(w["population"] for w in a["wards"])

    return {
        "title": f"Strategic Assessment {a['period']['title']}",
        "partnership": {
            "name": config.name,
            "colour": config.colour,
            "logo": str(config.logo) if config.logo else None,
            "config": config.source,
        },
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "assessment": a,
        "trend": trend,
        "findings": [f.as_dict() for f in key_findings(a, [p["key"] for p in priorities])],
        "priorities": priorities,
        "map": {
            "missing": map_missing,
            "geometries": geometries,
            "measure": "rate" if rates else "count",
        },
        "asb": _category(a, "asb"),
        "neighbourhoods": _neighbourhoods(a),
        "sources": provenance(evidence.store),
        "taxonomy": [
            {
                "key": c.key,
                "label": c.label,
                "mps": sorted(c.mps_major | c.mps_minor) if not c.all else ["every category"],
                "policeuk": sorted(c.policeuk),
            }
            for c in evidence.taxonomy.categories
        ],
        "caveats": list(CAVEATS),
        "notes": notes,
    }
