#!/usr/bin/env bash
# Set up Safer Hub on a fresh Debian machine: the system libraries WeasyPrint needs (Pango,
# fonts), then a virtualenv in .venv with the package and, with --test, the test tools.
# Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[[ "${1:-}" == "--test" ]] && extras="test"

apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core)
[[ -n "$extras" ]] && apt_packages+=(poppler-utils chromium)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
        || missing+=("$package")
done
if (( ${#missing[@]} )); then
    echo "Installing system packages: ${missing[*]}"
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# GOV.UK Frontend from npm (pinned in package.json and package-lock.json), copied into the
# site's static files; served by whitenoise, no CDN.
if command -v npm >/dev/null; then
    npm ci --no-audit --no-fund --silent
    static=src/saferhub/web/static/govuk
    rm -rf "$static" && mkdir -p "$static"
    cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css "$static/"
    cp -r node_modules/govuk-frontend/dist/govuk/assets "$static/assets"
    sed -i 's#url(/assets/#url(/static/govuk/assets/#g' "$static/govuk-frontend.min.css"
else
    echo "npm not found: the site will run without GOV.UK Frontend styles" >&2
fi

if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
# Only the locked versions, each checked against its sha256 (scripts/lock.sh writes the
# locks from pyproject.toml); then Safer Hub itself, with nothing more resolved.
lock=requirements/main.txt
[[ -n "$extras" ]] && lock=requirements/test.txt
.venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
