"""Benchmark: ingest and assessments for all 32 London boroughs, against a pandas reference.

Each side runs in its own subprocess so peak memory is its own. The script checks that both
give identical figures (categories, comparator tables, ward tables) and prints times, peak
memory and ratios.

    .venv/bin/python bench/bench_evidence.py [--data ../shared/data] [--period 2018]

Needs the `bench` extra (pandas): pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MPS_FIGURES = ("count", "previous", "change", "change_pct", "rate", "previous_rate", "rate_change")


def comparators_for(boroughs: list[str], name: str) -> list[str]:
    """Four neighbours in alphabetical order: deterministic, and every borough gets four."""
    i = boroughs.index(name)
    ring = boroughs[i + 1 :] + boroughs[:i]
    return ring[:4]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_saferhub(data: Path, period: str) -> dict:
    from saferhub.evidence import Evidence, Store, load_taxonomy
    from saferhub.evidence.ingest import ingest_paths

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.duckdb") as store:
        start = time.perf_counter()
        for _ in ingest_paths(
            store,
            [
                data / "population" / "london-borough-population.csv",
                data / "mps" / "recorded-crime-borough-historical.csv",
                data / "mps" / "recorded-crime-ward-historical.csv",
            ],
            load_taxonomy(),
        ):
            pass
        ingest = time.perf_counter() - start
        evidence = Evidence(store)
        boroughs = sorted(a.name for a in evidence.areas if a.type == "borough")
        results, times = {}, []
        for name in boroughs:
            start = time.perf_counter()
            a = evidence.assess(area=name, period=period, compare=comparators_for(boroughs, name))
            times.append(time.perf_counter() - start)
            results[name] = normalise(a)
    return {"ingest_s": ingest, "times": times, "peak_mb": peak_mb(), "results": results}


def normalise(a: dict) -> dict:
    """The figures both implementations produce, in one comparable shape."""
    mps = [c for c in a["categories"] if c["key"] != "asb"]
    keys = [c["key"] for c in mps]
    return {
        "categories": [
            {k: c[k] for k in ("key", *MPS_FIGURES, "london_rank_by_count", "london_rank_by_rate")}
            for c in mps
        ],
        "comparators": [
            {
                "code": c["code"],
                "categories": {k: {f: c["categories"][k][f] for f in MPS_FIGURES} for k in keys},
            }
            for c in a["comparators"]
        ],
        "wards": {
            w["code"]: {
                k: {f: w["categories"][k][f] for f in ("count", "previous", "change")} for k in keys
            }
            for w in a["wards"]
        },
    }


def run_pandas(data: Path, period: str) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from pandas_reference import PandasReference
    from saferhub.evidence import load_taxonomy

    start = time.perf_counter()
    ref = PandasReference(data, load_taxonomy())
    ingest = time.perf_counter() - start
    names = {code: name for name, code in ref.codes.items()}
    boroughs = sorted(names[c] for c in ref.boroughs)
    results, times = {}, []
    for name in boroughs:
        start = time.perf_counter()
        r = ref.assess(area=name, period=period, compare=comparators_for(boroughs, name))
        times.append(time.perf_counter() - start)
        results[name] = {
            "categories": [
                {
                    k: c[k]
                    for k in ("key", *MPS_FIGURES, "london_rank_by_count", "london_rank_by_rate")
                }
                for c in r["categories"]
            ],
            "comparators": [
                {"code": c["code"], "categories": c["categories"]} for c in r["comparators"]
            ],
            "wards": r["wards"],
        }
    return {"ingest_s": ingest, "times": times, "peak_mb": peak_mb(), "results": results}


def child(args: argparse.Namespace) -> None:
    run = run_saferhub if args.only == "saferhub" else run_pandas
    json.dump(run(args.data, args.period), sys.stdout)


def compare_results(ours: dict, theirs: dict) -> list[str]:
    problems = []
    for name, figures in ours.items():
        if figures != theirs.get(name):
            for part in ("categories", "comparators", "wards"):
                if figures[part] != theirs[name][part]:
                    problems.append(f"{name}: {part} differ")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--period", default="2018")
    parser.add_argument("--only", choices=["saferhub", "pandas"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not (args.data / "mps").is_dir():
        print(f"no published data at {args.data}; pass --data", file=sys.stderr)
        return 2
    if args.only:
        child(args)
        return 0
    runs = {}
    for side in ("saferhub", "pandas"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--data",
                str(args.data),
                "--period",
                args.period,
                "--only",
                side,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        runs[side] = json.loads(out.stdout)
    ours, theirs = runs["saferhub"], runs["pandas"]
    problems = compare_results(ours["results"], theirs["results"])
    n = len(ours["times"])
    print(f"{n} borough assessments for {args.period}, four comparators each, with ward tables")
    print(f"{'':<28}{'saferhub':>12}{'pandas':>12}{'ratio':>10}")

    def line(label: str, a: float, b: float, unit: str) -> None:
        print(f"{label:<28}{a:>10.3f}{unit:>2}{b:>10.3f}{unit:>2}{b / a:>9.1f}x")

    line("ingest / load", ours["ingest_s"], theirs["ingest_s"], "s")
    line("first assessment (cold)", ours["times"][0], theirs["times"][0], "s")
    warm_ours = statistics.mean(ours["times"][1:])
    warm_theirs = statistics.mean(theirs["times"][1:])
    line("per assessment, warm mean", warm_ours * 1000, warm_theirs * 1000, "ms")
    line(f"all {n} assessments", sum(ours["times"]), sum(theirs["times"]), "s")
    print(f"{'peak memory':<28}{ours['peak_mb']:>10.0f}MB{theirs['peak_mb']:>10.0f}MB")
    if problems:
        print("MISMATCH between saferhub and the pandas reference:")
        for problem in problems[:20]:
            print(f"  {problem}")
        return 1
    print(f"identical figures for all {n} assessments (categories, comparators, wards)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
