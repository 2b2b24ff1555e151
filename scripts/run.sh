#!/usr/bin/env bash
# The main job: set up, load the evidence and print a Strategic Assessment.
#
#   bash scripts/run.sh [AREA] [PERIOD] [COMPARATORS]
#
# Loads the real published data from ../shared/data when it is there (or from
# SAFERHUB_DATA), otherwise a synthetic, fictional area generated on the spot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export SAFERHUB_STORE="${SAFERHUB_STORE:-var/evidence.duckdb}"
data="${SAFERHUB_DATA:-../shared/data}"
saferhub=.venv/bin/saferhub

if [[ -d "$data/mps" ]]; then
    echo "Loading published data from $data"
    $saferhub ingest \
        "$data/population/london-borough-population.csv" \
        "$data/boundaries/london-boroughs.geojson" \
        "$data/boundaries/london-wards-2022-bgc.geojson" \
        "$data/mps/recorded-crime-borough-historical.csv" \
        "$data/mps/recorded-crime-ward-historical.csv" \
        "$data"/policeuk/*.zip
    area="${1:-London}"
    period="${2:-latest}"
    compare="${3:-}"
else
    echo "No published data at $data: using a synthetic, fictional area (var/demo)"
    $saferhub demo-data var/demo >/dev/null
    $saferhub ingest var/demo/demo-population.csv var/demo/demo-wards.geojson \
        var/demo/demo-borough-crime.csv var/demo/demo-ward-crime.csv var/demo/policeuk \
        | grep -v '^  ' || true
    area="${1:-Northbrook}"
    period="${2:-latest}"
    compare="${3:-Eastmere,Southvale,Westford}"
fi
echo
$saferhub assess --area "$area" --period "$period" --compare "$compare"
mkdir -p var/report
$saferhub report assessment --area "$area" --period "$period" --compare "$compare" \
    --output var/report/assessment.html --output var/report/assessment.pdf \
    --output var/report/assessment.docx
