"""Benchmark: saferhub's evidence engine against a straightforward pandas reference.

Ingests the MPS borough and ward historical CSVs and the GLA population file into a fresh
temporary DuckDB store, then assesses every London borough for one period, each with four
comparators (the two boroughs before and the two after it in alphabetical order, wrapping
round). `pandas_reference.py` computes the same figures from the same CSVs.

Each side runs in its own subprocess (this script re-invoked with `--only saferhub` or
`--only pandas`, JSON on stdout) so that each peak memory is its own. The parent checks that
both give identical figures for every assessment (categories with ranks and monthly series,
comparator tables, ward tables), prints the figures and exits 1 on any mismatch, 2 when the
data is missing.

    .venv/bin/python bench/bench_evidence.py [--data ../shared/data] [--period 2018]

Needs the `bench` extra (pandas, pyarrow): pip install -e ".[bench]".
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
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    "mps/recorded-crime-borough-historical.csv",
    "mps/recorded-crime-ward-historical.csv",
    "population/london-borough-population.csv",
)
FIGURES = ("count", "previous", "change", "change_pct", "rate", "previous_rate", "rate_change")
CATEGORY_FIELDS = (
    "key",
    *FIGURES,
    "london_rank_by_count",
    "london_rank_by_rate",
    "monthly",
    "monthly_average",
    "months_above_average",
)
WARD_FIGURES = ("count", "previous", "change")


def comparators_for(boroughs: list[str], name: str) -> list[str]:
    """The two boroughs before and the two after `name` alphabetically, wrapping round."""
    i, n = boroughs.index(name), len(boroughs)
    return [boroughs[(i + step) % n] for step in (-2, -1, 1, 2)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------------- the two sides


def normalise(a: dict) -> dict:
    """saferhub's assessment reduced to the figures the reference computes, same shape."""
    return {
        "area": {"name": a["area"]["name"], "code": a["area"]["code"]},
        "population": a["population"]["value"],
        "ranked_boroughs": a["ranked_boroughs"],
        "categories": [{f: c[f] for f in CATEGORY_FIELDS} for c in a["categories"]],
        "comparators": [
            {
                "name": c["name"],
                "code": c["code"],
                "categories": {k: {f: v[f] for f in FIGURES} for k, v in c["categories"].items()},
            }
            for c in a["comparators"]
        ],
        "wards": {
            w["code"]: {
                "name": w["name"],
                "categories": {
                    k: {f: v[f] for f in WARD_FIGURES} for k, v in w["categories"].items()
                },
            }
            for w in a["wards"]
        },
    }


def run_saferhub(data: Path, period: str) -> dict:
    from saferhub.evidence import Evidence, Store, ingest_paths, load_taxonomy

    taxonomy = load_taxonomy()
    out: dict = {"rss_before_mb": peak_rss_mb()}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        start = time.perf_counter()
        loaded = list(ingest_paths(store, [data / f for f in FILES], taxonomy))
        out["ingest_s"] = time.perf_counter() - start
        out["rows"] = {Path(r.file).name: r.rows for r in loaded}

        start = time.perf_counter()
        evidence = Evidence(store, taxonomy)
        out["setup_s"] = time.perf_counter() - start

        boroughs = sorted(a.name for a in evidence.areas if a.type == "borough")
        out["times"], out["results"] = [], {}
        for name in boroughs:
            compare = comparators_for(boroughs, name)
            start = time.perf_counter()
            assessment = evidence.assess(area=name, period=period, compare=compare)
            out["times"].append(time.perf_counter() - start)
            out["results"][name] = normalise(assessment)
    return out


def run_pandas(data: Path, period: str) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from pandas_reference import PandasReference
    from saferhub.evidence import load_taxonomy

    taxonomy = load_taxonomy()
    out: dict = {"rss_before_mb": peak_rss_mb()}
    start = time.perf_counter()
    reference = PandasReference(data, taxonomy)
    out["ingest_s"] = time.perf_counter() - start
    out["rows"] = {"borough (long)": len(reference.borough), "ward (long)": len(reference.ward)}
    out["setup_s"] = 0.0

    boroughs = sorted(reference.name_of[code] for code in reference.boroughs)
    out["times"], out["results"] = [], {}
    for name in boroughs:
        compare = comparators_for(boroughs, name)
        start = time.perf_counter()
        out["results"][name] = reference.assess(area=name, period=period, compare=compare)
        out["times"].append(time.perf_counter() - start)
    return out


def child(args: argparse.Namespace) -> None:
    run = run_saferhub if args.only == "saferhub" else run_pandas
    if args.tracemalloc:
        tracemalloc.start()
    out = run(args.data, args.period)
    out["peak_rss_mb"] = peak_rss_mb()
    if args.tracemalloc:
        out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    json.dump(out, sys.stdout)


# ---------------------------------------------------------------------- checking


def differences(a: object, b: object, path: str = "") -> list[str]:
    """Every place where two JSON values differ, as `path: saferhub X, pandas Y`."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(set(a) | set(b), key=str):
            if key not in b:
                found.append(f"{path}.{key}: only in saferhub")
            elif key not in a:
                found.append(f"{path}.{key}: only in pandas")
            else:
                found += differences(a[key], b[key], f"{path}.{key}")
        return found
    if isinstance(a, list) and isinstance(b, list):
        found = []
        if len(a) != len(b):
            found.append(f"{path}: {len(a)} items in saferhub, {len(b)} in pandas")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            label = x.get("key", i) if isinstance(x, dict) else i
            found += differences(x, y, f"{path}[{label}]")
        return found
    if a != b or (type(a) is not type(b) and not {type(a), type(b)} <= {int, float}):
        return [f"{path}: saferhub {a!r}, pandas {b!r}"]
    return []


def compare_results(ours: dict, theirs: dict) -> list[str]:
    problems = []
    if set(ours) != set(theirs):
        problems.append(
            f"boroughs differ: only saferhub {sorted(set(ours) - set(theirs))}, "
            f"only pandas {sorted(set(theirs) - set(ours))}"
        )
    for name in sorted(set(ours) & set(theirs)):
        problems += [f"{name}{d}" for d in differences(ours[name], theirs[name])]
    return problems


# ---------------------------------------------------------------------- reporting


def print_table(args: argparse.Namespace, ours: dict, theirs: dict) -> None:
    n = len(ours["times"])
    wards = sum(len(r["wards"]) for r in ours["results"].values())
    print(
        f"{n} borough assessments for {args.period}, four comparators each, "
        f"{wards} ward rows in all; data {args.data}"
    )
    print(f"saferhub rows loaded: {ours['rows']}")
    print(f"pandas rows after melt and category merge: {theirs['rows']}")
    if args.tracemalloc:
        print("(tracemalloc was on in both runs: times are slower than normal)")
    print()
    print(f"{'':<36}{'saferhub':>12}{'pandas':>12}{'pandas/saferhub':>17}")

    def line(label: str, a: float | None, b: float | None, unit: str, fmt: str = ".2f") -> None:
        left = f"{a:{fmt}} {unit}" if a is not None else "-"
        right = f"{b:{fmt}} {unit}" if b is not None else "-"
        ratio = f"{b / a:.1f}x" if a and b else ""
        print(f"{label:<36}{left:>12}{right:>12}{ratio:>17}")

    warm_ours = statistics.mean(ours["times"][1:]) * 1000
    warm_theirs = statistics.mean(theirs["times"][1:]) * 1000
    line("ingest (saferhub) / read+melt (pandas)", ours["ingest_s"], theirs["ingest_s"], "s")
    line("engine setup, Evidence(store)", ours["setup_s"], None, "s")
    line("first assessment (cold)", ours["times"][0] * 1000, theirs["times"][0] * 1000, "ms", ".0f")
    line("per assessment, warm mean", warm_ours, warm_theirs, "ms", ".1f")
    line(
        "per assessment, warm median",
        statistics.median(ours["times"][1:]) * 1000,
        statistics.median(theirs["times"][1:]) * 1000,
        "ms",
        ".1f",
    )
    line(f"all {n} assessments", sum(ours["times"]), sum(theirs["times"]), "s")
    line(
        "end to end (load + setup + all)",
        ours["ingest_s"] + ours["setup_s"] + sum(ours["times"]),
        theirs["ingest_s"] + sum(theirs["times"]),
        "s",
    )
    line("peak memory, RSS (ru_maxrss)", ours["peak_rss_mb"], theirs["peak_rss_mb"], "MB", ".0f")
    before = ours["rss_before_mb"], theirs["rss_before_mb"]
    line("  of which before work (imports)", *before, "MB", ".0f")
    if args.tracemalloc:
        line(
            "peak Python heap (tracemalloc)",
            ours["traced_peak_mb"],
            theirs["traced_peak_mb"],
            "MB",
            ".0f",
        )
        print("  (tracemalloc does not see DuckDB's own memory; RSS is the fair comparison)")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="folder with mps/ and population/ (default: ../shared/data from the repo root)",
    )
    parser.add_argument("--period", default="2018", help="assessment period (default 2018)")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also report the peak Python heap (slows both sides)",
    )
    parser.add_argument("--only", choices=["saferhub", "pandas"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    missing = [f for f in FILES if not (args.data / f).is_file()]
    if missing:
        print(
            f"bench_evidence: the published data is not at {args.data} "
            f"(missing {', '.join(missing)}); pass --data FOLDER",
            file=sys.stderr,
        )
        return 2
    if args.only:
        child(args)
        return 0

    runs = {}
    for side in ("saferhub", "pandas"):
        command = [sys.executable, __file__, "--data", str(args.data), "--period", args.period]
        command += ["--only", side] + (["--tracemalloc"] if args.tracemalloc else [])
        print(f"running {side} ...", file=sys.stderr, flush=True)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"the {side} run failed (exit {done.returncode}):\n{done.stderr}")
            return 1
        runs[side] = json.loads(done.stdout)
    ours, theirs = runs["saferhub"], runs["pandas"]

    print_table(args, ours, theirs)
    problems = compare_results(ours["results"], theirs["results"])
    n = len(ours["results"])
    print()
    if problems:
        print(f"MISMATCH: {len(problems)} differences between saferhub and the pandas reference")
        for problem in problems[:50]:
            print(f"  {problem}")
        if len(problems) > 50:
            print(f"  ... and {len(problems) - 50} more")
        return 1
    print(
        f"identical figures for all {n} assessments: categories (figures, London ranks, "
        "monthly series), comparator tables, ward tables"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
