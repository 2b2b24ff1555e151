"""Benchmark: time to produce the Strategic Assessment report for one borough.

Loads the published London data into a temporary store (or uses --store), then times the
HTML, PDF and Word renderings of one borough's assessment, cold (first in the process: fonts
and matplotlib warm up) and warm (median of --repeat further runs). Prints seconds per format.

    .venv/bin/python bench/bench_report.py [--data ../shared/data] [--area Harrow]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from saferhub.evidence import Evidence, Store, load_taxonomy
from saferhub.evidence.ingest import ingest_paths
from saferhub.reports.config import default_config
from saferhub.reports.docx_report import render_docx
from saferhub.reports.html import build_charts, render_html
from saferhub.reports.model import build_report
from saferhub.reports.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]


def load(store: Store, data: Path) -> None:
    files = [
        data / "population" / "london-borough-population.csv",
        data / "boundaries" / "london-wards-2022-bgc.geojson",
        data / "mps" / "recorded-crime-borough-historical.parquet",
        data / "mps" / "recorded-crime-ward-historical.parquet",
    ]
    for _ in ingest_paths(store, files, load_taxonomy()):
        pass


def produce(evidence: Evidence, area: str, period: str, compare: list[str], fmt: str) -> float:
    """Seconds for one complete document, from the store to bytes (charts drawn afresh)."""
    start = time.perf_counter()
    config = default_config(area, evidence.taxonomy)
    report = build_report(evidence, area=area, period=period, compare=compare, config=config)
    charts = build_charts(report)
    {"html": render_html, "pdf": render_pdf, "docx": render_docx}[fmt](report, charts)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--area", default="Harrow")
    parser.add_argument("--period", default="2018")
    parser.add_argument("--compare", default="Barnet,Brent,Ealing,Hillingdon")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (args.data / "mps").is_dir():
        print(f"no published data at {args.data}; pass --data", file=sys.stderr)
        return 2
    compare = args.compare.split(",")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        started = time.perf_counter()
        load(store, args.data)
        print(
            f"load (population, ward boundaries, MPS borough+ward): "
            f"{time.perf_counter() - started:.2f} s"
        )
        evidence = Evidence(store)
        print(f"{'format':<6} {'cold s':>8} {'warm s (median)':>16}  target")
        for fmt, target in (("html", 2.0), ("pdf", 10.0), ("docx", None)):
            cold = produce(evidence, args.area, args.period, compare, fmt)
            warm = statistics.median(
                produce(evidence, args.area, args.period, compare, fmt) for _ in range(args.repeat)
            )
            goal = (
                f"< {target:.0f} s: {'met' if max(cold, warm) < target else 'MISSED'}"
                if target
                else ""
            )
            print(f"{fmt:<6} {cold:>8.2f} {warm:>16.2f}  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
