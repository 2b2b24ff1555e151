#!/usr/bin/env bash
# Regenerate the locked requirements (exact versions and sha256 hashes) from pyproject.toml:
# requirements/main.txt for the site, requirements/test.txt for the test tools as well.
# Run after changing a dependency; scripts/setup.sh installs only from these files.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install --quiet "uv>=0.5"
for lock in main test; do
    extra=()
    [[ $lock == test ]] && extra=(--extra test)
    "$tools/bin/uv" pip compile pyproject.toml requirements/build.in "${extra[@]}" \
        --universal --python-version 3.11 --generate-hashes --no-header \
        --annotation-style line --quiet -o "requirements/$lock.txt"
done
echo "requirements/main.txt and requirements/test.txt regenerated"
