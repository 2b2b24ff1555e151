"""Benchmark: youth justice measures on a large fictional extract, against a pandas reference.

Writes a demo extract of --people children (about 100,000 rows at the default) to a temporary
directory, then times reading it (`read_extract`, all checks) and grouping it once
(`youth_justice.Extract`), and all four measures for the last 8 quarters, against the same
figures computed the way an analyst would in pandas (read_csv, to_datetime, boolean masks
and groupby per quarter; see `pandas_measures`), with the same age rules: cohorts by age at
the offence, reoffences at any age, custody by age on the day of the sentence. Every
headline figure must agree exactly, or the script prints the differences and exits 1.

    .venv/bin/python bench/bench_youth_justice.py [--people 33000] [--quarters 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from saferhub.evidence.measures import round_half_up
from saferhub.indicators import youth_justice as yj
from saferhub.indicators.demo_extract import write_demo_extract
from saferhub.indicators.extract import OUTCOME_KINDS, OUTCOME_TYPES, read_extract

TODAY = date(2026, 11, 24)


def quarters(today: date, count: int) -> list[tuple[date, date]]:
    """The last `count` whole calendar quarters before `today`, oldest first."""
    start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    out = []
    for _ in range(count):
        start = yj.months_after(start, -3)
        out.append((start, yj.months_after(start, 3) - timedelta(days=1)))
    return out[::-1]


def saferhub_measures(ex: yj.Extract, spans, as_at: date) -> list[dict]:
    out = []
    for start, end in spans:
        fte = yj.first_time_entrants(ex, start, end)
        reo = yj.reoffending(ex, start, end, as_at)
        cus = yj.custody(ex, start, end)
        tri = yj.triage_to_fte(ex, start, end, as_at)
        out.append(
            {
                "fte": fte.count,
                "reoffending": (
                    reo.cohort,
                    reo.reoffenders,
                    reo.reoffences,
                    reo.binary_rate,
                    reo.per_reoffender,
                    reo.per_member,
                ),
                "custody": cus.count,
                "triage_to_fte": (tri.cohort, tri.count, tri.value),
            }
        )
    return out


def _pct(part: int, whole: int) -> float | None:
    return None if not whole else round_half_up(part * 100 / whole, 1)


def _ratio(part: int, whole: int) -> float | None:
    return None if not whole else round_half_up(part / whole, 2)


def _age(born: pd.Series, day: pd.Series) -> pd.Series:
    before_birthday = (day.dt.month * 100 + day.dt.day) < (born.dt.month * 100 + born.dt.day)
    return day.dt.year - born.dt.year - before_birthday.astype(int)


def pandas_load(path: Path) -> pd.DataFrame:
    """Read the demo extract's columns, map outcome types to kinds, and work out whether each
    row is a youth offence (10-17 at the offence) and a child's outcome (10-17 on the day):
    every row is kept, because reoffences count at any age."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    kinds = {name: OUTCOME_KINDS[canonical] for name, canonical in OUTCOME_TYPES.items()}
    frame = pd.DataFrame(
        {
            "pid": df["Person ID"],
            "dob": pd.to_datetime(df["Date of birth"], format="%d/%m/%Y"),
            "out": pd.to_datetime(df["Outcome date"], format="%Y-%m-%d"),
            "off": pd.to_datetime(df["Offence date"], format="%Y-%m-%d"),
            "kind": df["Outcome type"].str.lower().str.strip().map(kinds),
        }
    )
    frame["youth"] = _age(frame.dob, frame.off).between(10, 17)
    frame["child_on_day"] = _age(frame.dob, frame.out).between(10, 17)
    return frame


def pandas_measures(df: pd.DataFrame, spans, as_at: date) -> list[dict]:
    at = pd.Timestamp(as_at)
    proven = df[df.kind.isin(["caution", "court", "custody"])]  # reoffences: any age
    sub = proven[proven.youth]  # cohorts: offences at 10-17
    first_sub = sub.groupby("pid").out.min()
    first_triage = df[df.youth & (df.kind == "triage")].groupby("pid").out.min()
    custodial = df[df.child_on_day & (df.kind == "custody")]  # sentenced at 10-17
    out = []
    for start, end in spans:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        fte = int(((first_sub >= s) & (first_sub <= e)).sum())

        in_period = sub[(sub.out >= s) & (sub.out <= min(e, at))]
        index = in_period.groupby("pid").out.min().rename("index").reset_index()
        joined = proven.merge(index, on="pid")
        committed_by = joined["index"] + pd.DateOffset(months=12)
        proven_by = (joined["index"] + pd.DateOffset(months=18)).clip(upper=at)
        hits = joined[
            (joined.off > joined["index"])
            & (joined.off <= committed_by)
            & (joined.out <= proven_by)
        ]
        cohort, reoffenders, reoffences = len(index), hits.pid.nunique(), len(hits)

        q = custodial[(custodial.out >= s) & (custodial.out <= e)]
        custody = len(q.drop_duplicates(["pid", "out"]))

        triaged = first_triage[(first_triage >= s) & (first_triage <= min(e, at))]
        entry = first_sub.reindex(triaged.index)
        limit = (triaged + pd.DateOffset(months=12)).clip(upper=at)
        became = int(((entry >= triaged) & (entry <= limit)).sum())
        out.append(
            {
                "fte": fte,
                "reoffending": (
                    cohort,
                    reoffenders,
                    reoffences,
                    _pct(reoffenders, cohort),
                    _ratio(reoffences, reoffenders),
                    _ratio(reoffences, cohort),
                ),
                "custody": custody,
                "triage_to_fte": (len(triaged), became, _pct(became, len(triaged))),
            }
        )
    return out


def timed(fn, *args):
    began = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=33_000)
    parser.add_argument("--quarters", type=int, default=8)
    args = parser.parse_args()
    spans = quarters(TODAY, args.quarters)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "extract.csv"
        _, t_write = timed(lambda: write_demo_extract(path, today=TODAY, people=args.people))
        outcomes, t_read = timed(lambda: read_extract(path, today=TODAY))
        ex, t_group = timed(yj.Extract, outcomes)
        ours, t_ours = timed(saferhub_measures, ex, spans, TODAY)
        # Without the Extract: each measure groups the outcomes itself (what it would cost).
        _, t_regroup = timed(saferhub_measures, outcomes, spans[:1], TODAY)
        frame, t_pd_read = timed(pandas_load, path)
        theirs, t_pd = timed(pandas_measures, frame, spans, TODAY)

    print(f"{len(outcomes):,} rows, {args.people:,} children, {len(spans)} quarters "
          f"({spans[0][0]} to {spans[-1][1]}), as at {TODAY}")  # fmt: skip
    print(f"demo extract written in {t_write * 1000:,.0f} ms")
    rows = [
        ("read (saferhub: read_extract, all checks / pandas: read_csv + dates + kinds)",
         t_read, t_pd_read),
        ("group once (yj.Extract)", t_group, None),
        (f"4 measures x {len(spans)} quarters", t_ours, t_pd),
        ("end to end", t_read + t_group + t_ours, t_pd_read + t_pd),
    ]  # fmt: skip
    print(f"{'stage':<78} {'saferhub':>10} {'pandas':>10} {'pandas/saferhub':>16}")
    for label, mine, other in rows:
        ratio = f"{other / mine:.1f}×" if other else ""
        other_text = f"{other * 1000:,.0f} ms" if other is not None else "–"
        print(f"{label:<78} {mine * 1000:>7,.0f} ms {other_text:>10} {ratio:>16}")
    print(f"per period, all 4 measures: {t_ours / len(spans) * 1000:.1f} ms with the Extract; "
          f"{t_regroup * 1000:,.0f} ms when each measure regroups the outcomes")  # fmt: skip

    differences = [
        (span, key, mine[key], other[key])
        for span, mine, other in zip(spans, ours, theirs, strict=True)
        for key in mine
        if mine[key] != other[key]
    ]
    for span, key, mine, other in differences:
        print(f"DIFFERENT {span[0]}–{span[1]} {key}: saferhub {mine} pandas {other}")
    if differences:
        return 1
    print(f"identical headline figures for all {len(spans)} quarters × 4 measures")
    for span, figures in zip(spans, ours, strict=True):
        print(f"  {span[0]}: {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
