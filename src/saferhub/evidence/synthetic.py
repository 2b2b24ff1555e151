"""A synthetic, fictional partnership area for demos and tests when real data is absent.

Every name and code here is invented (codes in the unused E09900xxx/E05900xxx ranges) and the
counts are random; the files use the real publishers' layouts so they exercise the readers.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from .formats import POLICEUK_HEADER

BOROUGHS = ("Northbrook", "Eastmere", "Southvale", "Westford")
WARD_SUFFIXES = ("Central", "Park", "Hill", "Green")
CATEGORIES = (
    ("BURGLARY", "RES BURGLARY OF A HOME", 9),
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", 3),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY", 4),
    ("THEFT", "SHOPLIFTING", 8),
    ("THEFT", "OTHER THEFT", 12),
    ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE", 7),
    ("VEHICLE OFFENCES", "THEFT OR UNAUTH TAKING OF A MOTOR VEH", 3),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", 10),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITHOUT INJURY", 14),
    ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES", 2),
    ("ARSON AND CRIMINAL DAMAGE", "CRIMINAL DAMAGE", 6),
    ("DRUG OFFENCES", "POSSESSION OF DRUGS", 3),
    ("POSSESSION OF WEAPONS", "POSSESSION OF WEAPONS", 1),
    ("PUBLIC ORDER OFFENCES", "PUBLIC FEAR ALARM OR DISTRESS", 5),
)
FIRST_YEAR, YEARS = 2021, 3
FORCE = "Demo Constabulary (fictional)"


def months() -> list[str]:
    return [f"{FIRST_YEAR + i // 12}{i % 12 + 1:02d}" for i in range(YEARS * 12)]


def areas() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(borough code, name, [(ward code, ward name)]) for the fictional area."""
    return [
        (
            f"E0990000{b + 1}",
            borough,
            [
                (f"E05900{b + 1}{w + 1:02d}", f"{borough} {suffix}")
                for w, suffix in enumerate(WARD_SUFFIXES)
            ],
        )
        for b, borough in enumerate(BOROUGHS)
    ]


def _square(b: int, w: int) -> list[list[list[float]]]:
    """A fictional ward: a 0.02-degree square on a grid, boroughs side by side."""
    x0, y0 = -3.0 + 0.05 * b + 0.02 * (w % 2), 53.0 + 0.02 * (w // 2)
    return [[[x0, y0], [x0 + 0.02, y0], [x0 + 0.02, y0 + 0.02], [x0, y0 + 0.02], [x0, y0]]]


def write_demo(folder: Path, *, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cols = months()
    ward_rows, borough_totals = [], {}
    for b, (_code, borough, wards) in enumerate(areas()):
        for w, (ward_code, ward_name) in enumerate(wards):
            weight = 0.6 + 0.3 * w + 0.2 * b
            for major, minor, base in CATEGORIES:
                counts = [
                    max(0, round(rng.gauss(base * weight, (base * weight) ** 0.5))) for _ in cols
                ]
                ward_rows.append([ward_name, ward_code, major, minor, borough, *counts])
                key = (major, minor, borough)
                borough_totals[key] = [
                    a + c
                    for a, c in zip(borough_totals.get(key, [0] * len(cols)), counts, strict=True)
                ]
    unknown = [
        [major, minor, "Unknown", *[rng.randint(0, 2) for _ in cols]]
        for major, minor, _ in CATEGORIES
    ]
    files = {
        "demo-borough-crime.csv": (
            ["MajorText", "MinorText", "BoroughName", *cols],
            [[*k, *v] for k, v in borough_totals.items()] + unknown,
        ),
        "demo-ward-crime.csv": (
            ["WardName", "WardCode", "MajorText", "MinorText", "LookUp_BoroughName", *cols],
            ward_rows,
        ),
    }
    population = []
    for year in range(FIRST_YEAR - 1, FIRST_YEAR + YEARS + 1):
        total = 0
        for b, (code, borough, wards) in enumerate(areas()):
            ward_pops = [
                9000 + 1500 * w + 800 * b + 150 * (year - FIRST_YEAR) for w in range(len(wards))
            ]
            population += [
                [ward_code, ward_name, year, pop]
                for (ward_code, ward_name), pop in zip(wards, ward_pops, strict=True)
            ]
            population.append([code, borough, year, sum(ward_pops)])
            total += sum(ward_pops)
        population.append(["E12000007", "London", year, total])
    files["demo-population.csv"] = (["area_code", "area_name", "year", "population"], population)
    written = []
    for name, (header, rows) in files.items():
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    features = [
        {
            "type": "Feature",
            "properties": {
                "WD22CD": ward_code,
                "WD22NM": ward_name,
                "LAD22CD": code,
                "LAD22NM": borough,
            },
            "geometry": {"type": "Polygon", "coordinates": _square(b, w)},
        }
        for b, (code, borough, wards) in enumerate(areas())
        for w, (ward_code, ward_name) in enumerate(wards)
    ]
    boundaries = folder / "demo-wards.geojson"
    boundaries.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    written.append(boundaries)
    written += _write_policeuk(folder / "policeuk", rng, cols)
    return written


def _write_policeuk(folder: Path, rng: random.Random, cols: list[str]) -> list[Path]:
    """Anti-social behaviour records in the police.uk archive layout, some without a point."""
    paths = []
    for month in cols:
        label = f"{month[:4]}-{month[4:]}"
        path = folder / label / f"{label}-demo-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = []
        for b, (_, _, wards) in enumerate(areas()):
            for w, _ward in enumerate(wards):
                (x0, y0), _, (x1, y1), *_ = _square(b, w)[0]
                for n in range(rng.randint(4, 14)):
                    located = n % 9 != 8
                    lon = f"{rng.uniform(x0, x1):.6f}" if located else ""
                    lat = f"{rng.uniform(y0, y1):.6f}" if located else ""
                    rows.append(
                        [
                            "",
                            label,
                            FORCE,
                            FORCE,
                            lon,
                            lat,
                            "On or near Demo Street",
                            "",
                            "",
                            "Anti-social behaviour",
                            "",
                            "",
                        ]
                    )
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(POLICEUK_HEADER)
            writer.writerows(rows)
        paths.append(path)
    return paths
