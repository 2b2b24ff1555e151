#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then pytest on SQLite and, when PostgreSQL
# answers at 127.0.0.1:5432 (user postgres, database test), again on PostgreSQL.
# Every stage runs whatever an earlier one found, so one failure never hides another's
# result; the script exits non-zero when any stage failed, and says which.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit $?

failed=()
stage() {
    local name=$1
    shift
    echo "== $name"
    "$@"
    local rc=$?
    # pytest's 5 is "no tests collected": a stage with nothing to run has not failed.
    if [[ $rc -ne 0 && ! ($rc -eq 5 && $name == pytest*) ]]; then
        echo "== $name: FAILED (exit $rc)"
        failed+=("$name")
    fi
}

stage "pip-audit" .venv/bin/python scripts/audit_dependencies.py
stage "ruff check" .venv/bin/ruff check src tests bench scripts
stage "ruff format" .venv/bin/ruff format --check src tests bench scripts
stage "pytest (SQLite)" .venv/bin/python -m pytest "$@"

if .venv/bin/python - <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
except OSError:
    sys.exit(1)
PY
then
    echo "PostgreSQL answers at 127.0.0.1:5432: running the relational-database tests on it"
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/test" \
        stage "pytest (PostgreSQL)" .venv/bin/python -m pytest -m relational_db "$@"
else
    echo "PostgreSQL does not answer at 127.0.0.1:5432: SQLite run only"
fi

if (( ${#failed[@]} )); then
    printf 'Failed: %s\n' "$(IFS=,; echo "${failed[*]}")"
    exit 1
fi
echo "All stages passed"
