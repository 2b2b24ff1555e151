#!/usr/bin/env bash
# The main job: set up, load the demo partnership (fictional agencies and users, and evidence
# from the published data in ../shared/data, or SAFERHUB_DATA, when present, otherwise a
# synthetic fictional area) and a fictional delivery plan; print an assessment, write the
# report, the plan's health check, board report and Word export, and serve the site.
#
#   bash scripts/run.sh [AREA] [PERIOD] [COMPARATORS]
#
# SAFERHUB_NO_SERVE=1 stops before serving; SAFERHUB_PORT chooses the port (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export SAFERHUB_DATA="${SAFERHUB_DATA:-$(cd .. && pwd)/shared/data}"
saferhub=.venv/bin/saferhub

$saferhub demo
if [[ -d "$SAFERHUB_DATA/mps" ]]; then  # the demo partnership's area (saferhub site)
    area="${1:-Croydon}"; compare="${3:-Bromley,Lambeth,Merton,Sutton}"
else
    area="${1:-Northbrook}"; compare="${3:-Eastmere,Southvale,Westford}"
fi
period="${2:-latest}"

echo
$saferhub assess --area "$area" --period "$period" --compare "$compare"
mkdir -p var/report
$saferhub report assessment --area "$area" --period "$period" --compare "$compare" \
    --output var/report/assessment.html --output var/report/assessment.pdf \
    --output var/report/assessment.docx

# The demo delivery plan: its health check, the quarterly board report and the plan in Word.
plan_id=$($saferhub plan list | awk -F'\t' 'NR == 1 {print $1}')
echo
$saferhub plan health "$plan_id" || true
$saferhub plan report "$plan_id" --output var/report/board-report.html --output var/report/board-report.pdf
$saferhub plan export "$plan_id" --output var/report/delivery-plan.docx

# The demo indicators: latest value against target (evidence, entered and youth justice).
echo
$saferhub indicators list
$saferhub indicators export --output var/report/indicators.xlsx

if [[ "${SAFERHUB_NO_SERVE:-}" != "1" ]]; then
    echo
    echo "Open http://127.0.0.1:${SAFERHUB_PORT:-8000}/ and sign in with a demo user above."
    exec $saferhub serve --port "${SAFERHUB_PORT:-8000}"
fi
