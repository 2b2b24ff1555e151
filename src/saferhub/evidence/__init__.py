"""The evidence engine: police and population data in, Strategic Assessment figures out.

Pure Python and DuckDB, no Django: usable as a library, from the CLI and from the web app.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import EvidenceError

if TYPE_CHECKING:
    from .assessment import Evidence
    from .ingest import IngestResult, ingest_paths, provenance
    from .location import default_store_path
    from .periods import Period, parse_period
    from .store import Store
    from .taxonomy import Taxonomy, load_taxonomy

# Imported on first use, so `from saferhub.evidence import EvidenceError` (every Django app
# does it) loads neither DuckDB nor the readers.
_LAZY = {
    "Evidence": "assessment",
    "IngestResult": "ingest",
    "ingest_paths": "ingest",
    "provenance": "ingest",
    "Period": "periods",
    "parse_period": "periods",
    "Store": "store",
    "default_store_path": "location",
    "Taxonomy": "taxonomy",
    "load_taxonomy": "taxonomy",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Evidence",
    "EvidenceError",
    "IngestResult",
    "Period",
    "Store",
    "Taxonomy",
    "default_store_path",
    "ingest_paths",
    "load_taxonomy",
    "parse_period",
    "provenance",
]
