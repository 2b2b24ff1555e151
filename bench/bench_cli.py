"""Benchmark: `saferhub assess` as a whole process against a plain polars script.

Builds a temporary evidence store from the published data (MPS borough and ward parquet files
and the GLA population CSV, loaded with `saferhub ingest`), then runs, each in its own process:

- `saferhub --store STORE assess --area Harrow --period 2018 --compare Barnet,Brent --format json`
- `python bench/cli_polars.py DATA Harrow 2018 Barnet,Brent`: reads the parquet files with
  polars (only the 24 month columns the question needs) and computes the same headline figures
- the same with `--long`: the tidy way (whole files, months unpivoted to rows, then filtered)

First it checks that both give the same figures (per category: count, previous count, rate,
London ranks by count and by rate; the same counts for each comparator and London; every
ward's counts) and exits 1 on any difference. Then it times both, interleaved so that load on
the machine falls on both alike, and prints the medians and the ratio. Times are wall clock
for the whole process: interpreter start, imports, reading, computing, printing.

    .venv/bin/python bench/bench_cli.py [--data ../shared/data] [--runs 11]

Needs polars (the `bench` extra: pip install -e ".[bench]").
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    "mps/recorded-crime-borough-historical.parquet",
    "mps/recorded-crime-ward-historical.parquet",
    "population/london-borough-population.csv",
)
TARGET_S = 0.3


def saferhub_command() -> list[str]:
    script = Path(sys.executable).with_name("saferhub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "saferhub.cli"]


def headline(a: dict) -> dict:
    """saferhub's JSON reduced to the figures the polars script computes, in its shape."""
    keep = ("count", "previous", "rate")
    return {
        "area": {"name": a["area"]["name"], "code": a["area"]["code"]},
        "categories": {
            c["key"]: {
                **{f: c[f] for f in keep},
                "london_rank_by_count": c["london_rank_by_count"],
                "london_rank_by_rate": c["london_rank_by_rate"],
            }
            for c in a["categories"]
        },
        "comparators": {
            c["name"]: {k: {f: v[f] for f in keep} for k, v in c["categories"].items()}
            for c in a["comparators"]
        },
        "wards": {
            w["code"]: {
                k: {"count": v["count"], "previous": v["previous"]}
                for k, v in w["categories"].items()
            }
            for w in a["wards"]
        },
    }


def differences(a: object, b: object, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(set(a) | set(b)):
            if key not in b or key not in a:
                found.append(f"{path}.{key}: only in {'saferhub' if key in a else 'polars'}")
            else:
                found += differences(a[key], b[key], f"{path}.{key}")
        return found
    return [] if a == b else [f"{path}: saferhub {a!r}, polars {b!r}"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=11, help="runs of each (at least 7)")
    parser.add_argument("--area", default="Harrow")
    parser.add_argument("--year", default="2018", help="a calendar year")
    parser.add_argument("--compare", default="Barnet,Brent")
    args = parser.parse_args()
    if args.runs < 7:
        parser.error("--runs must be at least 7")
    missing = [f for f in FILES if not (args.data / f).is_file()]
    if missing:
        print(f"data not found under {args.data}: {', '.join(missing)}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        subprocess.run(
            [
                *saferhub_command(),
                "--store",
                str(store),
                "ingest",
                *(str(args.data / f) for f in FILES),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        ingest_s = time.perf_counter() - start
        ours = [
            *saferhub_command(),
            "--store",
            str(store),
            "assess",
            "--area",
            args.area,
            "--period",
            args.year,
            "--compare",
            args.compare,
            "--format",
            "json",
        ]
        script = [sys.executable, str(ROOT / "bench" / "cli_polars.py")]
        question = [str(args.data), args.area, args.year, args.compare]
        others = {"polars": [*script, *question], "polars-long": [*script, "--long", *question]}

        a = json.loads(subprocess.run(ours, check=True, capture_output=True, text=True).stdout)
        for name, command in others.items():
            b = json.loads(
                subprocess.run(command, check=True, capture_output=True, text=True).stdout
            )
            problems = differences(headline(a), b)
            if problems:
                print(f"{len(problems)} figures differ between saferhub and {name}:")
                print("\n".join(f"  {p}" for p in problems[:40]))
                return 1
        total = a["categories"][0]
        print(
            f"{args.area} {args.year} against {int(args.year) - 1}, compared with {args.compare}"
            f" and London: figures agree ({len(a['categories'])} categories, "
            f"{len(a['comparators'])} comparator rows, {len(a['wards'])} wards)"
        )
        print(
            f"  {total['label']}: {total['count']:,} (previous {total['previous']:,}), "
            f"rate {total['rate']} per 1,000, London rank {total['london_rank_by_count']} by "
            f"count, {total['london_rank_by_rate']} by rate"
        )
        print(f"  store built by `saferhub ingest` in {ingest_s:.1f} s (not timed below)")

        commands = {"saferhub": ours, **others}
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            timed(command)  # warm the page cache for each
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))

    median = {k: statistics.median(v) for k, v in times.items()}
    print()
    print(f"whole process, median of {args.runs} runs (min–max):")
    labels = {
        "saferhub": "saferhub assess",
        "polars": "polars, 24 month columns",
        "polars-long": "polars --long (tidy)",
    }
    for name, label in labels.items():
        print(
            f"  {label:<26} {median[name]:.3f} s  "
            f"({min(times[name]):.3f}–{max(times[name]):.3f})"
            + (f"  {median[name] / median['saferhub']:.1f}x saferhub" if name != "saferhub" else "")
        )
    verdict = "under" if median["saferhub"] < TARGET_S else "over"
    print(f"  saferhub is {verdict} the {TARGET_S} s aim; the aim for the ratio is 2x or more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
