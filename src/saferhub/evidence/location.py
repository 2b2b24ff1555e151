"""Where the evidence store lives (no DuckDB import: every command asks this first)."""

from __future__ import annotations

import os
from pathlib import Path


def default_store_path() -> Path:
    """`SAFERHUB_STORE`, else `var/evidence.duckdb` in the project checkout Safer Hub runs
    from (found by its pyproject.toml), else under the current directory (an installed
    package has no project folder)."""
    env = os.environ.get("SAFERHUB_STORE")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[3]
    base = root if (root / "pyproject.toml").is_file() else Path.cwd()
    return base / "var" / "evidence.duckdb"
