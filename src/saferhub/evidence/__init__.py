"""The evidence engine: police and population data in, Strategic Assessment figures out.

Pure Python and DuckDB, no Django: usable as a library, from the CLI and from the web app.
"""

from .assessment import Evidence
from .errors import EvidenceError
from .ingest import IngestResult, ingest_paths, provenance
from .periods import Period, parse_period
from .store import Store, default_store_path
from .taxonomy import Taxonomy, load_taxonomy

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
