#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then pytest on SQLite and, when PostgreSQL
# answers at 127.0.0.1:5432 (user postgres, database test), again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench

.venv/bin/python -m pytest "$@"

if .venv/bin/python - <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
except OSError:
    sys.exit(1)
PY
then
    echo "PostgreSQL answers at 127.0.0.1:5432: running the relational-database tests on it"
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/test" .venv/bin/python -m pytest -m relational_db "$@" \
        || { rc=$?; [[ $rc -eq 5 ]] && echo "no relational-database tests yet" || exit $rc; }
else
    echo "PostgreSQL does not answer at 127.0.0.1:5432: SQLite run only"
fi
