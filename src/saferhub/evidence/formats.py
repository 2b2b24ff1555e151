"""Detect what an input file is from its content, not only its name."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

from .errors import EvidenceError
from .names import header_key

POLICEUK_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
STREET_CSV = re.compile(r"(^|/)\d{4}-\d{2}-[a-z0-9-]+-street\.csv$", re.IGNORECASE)
MONTH_COLUMN = re.compile(r"^\d{6}$")

KNOWN = (
    "MPS recorded crime (wide CSV or Parquet with YYYYMM columns), data.police.uk street-level "
    "CSV (folder, zip or file), population CSV (Code,Name,Year,...,Population or "
    "area_code,year,population[,age_band]) or GeoJSON boundaries"
)


def read_csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def classify_header(header: list[str]) -> str | None:
    keys = [header_key(h) for h in header]
    if keys[:2] == ["crimeid", "month"]:
        return "policeuk"
    if {"code", "name", "year", "population"} <= set(keys):
        return "population-gla"
    if {"areacode", "year", "population"} <= set(keys):
        return "population-simple"
    if any(MONTH_COLUMN.match(h.strip()) for h in header):
        return "mps"
    return None


def detect(path: Path) -> str:
    """Return one of: mps, policeuk, policeuk-folder, policeuk-zip, population-gla,
    population-simple, geojson. Raise EvidenceError naming the file otherwise."""
    if path.is_dir():
        if any(STREET_CSV.search(p.as_posix()) for p in path.rglob("*.csv")):
            return "policeuk-folder"
        raise EvidenceError(f"{path}: folder holds no police.uk YYYY-MM-<force>-street.csv files")
    if not path.exists():
        raise EvidenceError(f"{path}: no such file or folder")
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PAR1"):
        return "mps"
    if head.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as archive:
            if any(STREET_CSV.search(n) for n in archive.namelist()):
                return "policeuk-zip"
        raise EvidenceError(f"{path}: zip archive holds no police.uk YYYY-MM-<force>-street.csv")
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("{"):
        return "geojson"
    first_line = read_csv_header(path)
    kind = classify_header(first_line)
    if kind is None:
        raise EvidenceError(
            f"{path}: unknown format; header starts {', '.join(first_line[:5])!r}. Expected {KNOWN}"
        )
    return kind
