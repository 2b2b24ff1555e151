"""Benchmark: evidence indicators, 8 periods each, against computing every period with a
full assessment (`Evidence.assess()`), which is the reference the figures must equal.

Loads the MPS borough and ward historical data and the GLA population into a temporary store,
then for --boroughs boroughs and three period rules (rolling 12 months monthly, financial
year to date monthly, quarter on quarter) computes each indicator's 8 periods and their
comparisons with `evidence_series`, and again with one `assess()` per period and comparison.
Every value must agree (the script exits 1 on any difference, 2 without the data).

    .venv/bin/python bench/bench_indicators.py [--data ../shared/data] [--boroughs 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from saferhub.evidence import Evidence, Store, ingest_paths, load_taxonomy
from saferhub.evidence.periods import month_label
from saferhub.indicators.definitions import Frequency, PeriodRule, Unit
from saferhub.indicators.evidence_values import evidence_series
from saferhub.indicators.periods import current_and_comparison

RULES = [
    (PeriodRule.ROLLING_12, Frequency.MONTHLY),
    (PeriodRule.FYTD, Frequency.MONTHLY),
    (PeriodRule.QUARTER, Frequency.QUARTERLY),
]
CATEGORY = "residential_burglary"


def reference(evidence: Evidence, area: str, rule: PeriodRule, ends: list[int]) -> list:
    """Each period's and comparison's count read from a full assessment of that period."""

    def count(span) -> Decimal:
        result = evidence.assess(
            area=area, period=f"{month_label(span.start)}..{month_label(span.end)}"
        )
        return Decimal(next(c for c in result["categories"] if c["key"] == CATEGORY)["count"])

    out = []
    for end in ends:
        current, comparison = current_and_comparison(end, rule)
        out.append((count(current), count(comparison)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--boroughs", type=int, default=8)
    args = parser.parse_args()
    if not (args.data / "mps").is_dir():
        print(f"published data not found at {args.data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "b.duckdb") as store:
        started = time.perf_counter()
        paths = [
            args.data / "population" / "london-borough-population.csv",
            args.data / "mps" / "recorded-crime-borough-historical.parquet",
            args.data / "mps" / "recorded-crime-ward-historical.parquet",
        ]
        list(ingest_paths(store, paths, load_taxonomy()))
        evidence = Evidence(store)
        print(f"load and engine setup: {time.perf_counter() - started:.1f} s")
        boroughs = sorted(a.name for a in evidence.areas if a.type == "borough")[: args.boroughs]
        fast = slow = 0.0
        differences = 0
        for rule, frequency in RULES:
            for area in boroughs:
                started = time.perf_counter()
                series = evidence_series(
                    evidence,
                    category=CATEGORY,
                    area=area,
                    rule=rule,
                    frequency=frequency,
                    unit=Unit.COUNT,
                )
                fast += time.perf_counter() - started
                started = time.perf_counter()
                expected = reference(evidence, area, rule, [c.period.end for c in series])
                slow += time.perf_counter() - started
                got = [(c.value, c.comparison) for c in series]
                if got != expected:
                    differences += 1
                    print(f"DIFFERENCE {area} {rule}: {got} != {expected}")
        indicators = len(RULES) * len(boroughs)
        print(f"{indicators} indicators × 8 periods, each with its comparison period")
        print(f"  evidence_series: {fast:.2f} s ({fast / indicators * 1000:.0f} ms an indicator)")
        print(f"  assess() per period (reference): {slow:.2f} s")
        print(f"  reference / evidence_series: {slow / fast:.1f}×")
        print("all values equal" if not differences else f"{differences} indicators differ")
        return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
