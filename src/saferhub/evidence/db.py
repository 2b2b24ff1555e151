"""DuckDB for the store's reads, loaded as fast as it can be.

The `duckdb` package is the `_duckdb` extension (connections, SQL, the exception classes) plus
a relational API in pure Python that takes about as long again to import (~0.1 s: longer than
a whole `saferhub assess` spends on its queries). Reading the store needs only the extension,
so modules on the assessment path import DuckDB from here; the readers, which use the
relational API, import `duckdb` itself. The classes are the same objects either way.
"""

from __future__ import annotations

try:  # duckdb >= 1.4 ships the extension as a top-level module
    import _duckdb as duckdb
except ImportError:  # pragma: no cover - older duckdb
    import duckdb

__all__ = ["duckdb"]
