"""A plain polars script computing one borough's headline assessment figures from the MPS
parquet files: what `bench_cli.py` times `saferhub assess` against, as a whole process.

Written as an analyst would for one question: read the needed columns of the borough and ward
parquet files and the population CSV, sum the months of the calendar year and of the year
before, map MPS categories to partnership categories from the shipped taxonomy TOML (parsed
here, not through saferhub, so that the script imports polars and the standard library only),
and print JSON: per category the borough's count, previous count, rate per 1,000 and London
ranks (1 = lowest; ties share), the same for each comparator and London, and the ward counts.

    python bench/cli_polars.py [--long] DATA_DIR AREA YEAR [COMPARATOR,...]

By default only the 24 month columns needed are read (what polars makes easy). `--long` is
the tidy way, the shape saferhub's store keeps: read the whole files, unpivot the month
columns to long rows, then filter the two years; same figures, more work.
"""

from __future__ import annotations

import csv
import json
import sys
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "saferhub" / "evidence" / "data"
LONDON = ("London", "E12000007")


def half_up(value: float, places: int) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def norm(text: str) -> str:
    return " ".join(text.split()).upper()


def category_map(pairs: list[tuple[str, str]]) -> pl.DataFrame:
    """(majortext, minortext, key) for every MPS-sourced key a pair belongs to."""
    tables = tomllib.loads((PACKAGE / "taxonomy.toml").read_text())["categories"]
    rows = []
    for key, t in tables.items():
        majors = {norm(v) for v in t.get("mps_major", [])}
        minors = {norm(v) for v in t.get("mps_minor", [])}
        if not (t.get("all") or majors or minors):
            continue  # a police.uk-only key
        for major, minor in pairs:
            if t.get("all") or norm(major) in majors or norm(minor) in minors:
                rows.append((major, minor, key))
    return pl.DataFrame(rows, schema=["majortext", "minortext", "key"], orient="row")


def main() -> None:
    args = sys.argv[1:]
    long = args[0] == "--long"
    args = args[1:] if long else args
    data, area, year = Path(args[0]), args[1], int(args[2])
    compare = [c for c in (args[3] if len(args) > 3 else "").split(",") if c]
    current = [f"{year}{m:02d}" for m in range(1, 13)]
    previous = [f"{year - 1}{m:02d}" for m in range(1, 13)]
    with (PACKAGE / "areas.csv").open() as handle:
        code_of = {r["name"]: r["code"] for r in csv.DictReader(handle)}

    def read(path: Path, ids: list[str]) -> pl.DataFrame:
        if not long:
            return pl.read_parquet(path, columns=[*ids, *current, *previous])
        frame = pl.read_parquet(path)
        months = [c for c in frame.columns if c.isdigit()]
        tidy = frame.select(*ids, *months).unpivot(
            index=ids, on=months, variable_name="month", value_name="count"
        )
        tidy = tidy.filter(pl.col("month").is_in(current + previous))
        return tidy.pivot(on="month", index=ids, values="count")

    def sums(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            cur=pl.sum_horizontal(current), prev=pl.sum_horizontal(previous)
        ).drop(current + previous)

    borough = sums(
        read(
            data / "mps" / "recorded-crime-borough-historical.parquet",
            ["majortext", "minortext", "boroughname"],
        )
    )
    ward = sums(
        read(
            data / "mps" / "recorded-crime-ward-historical.parquet",
            ["wardcode", "majortext", "minortext", "lookup_boroughname"],
        ).filter(pl.col("lookup_boroughname") == area)
    )
    pairs = pl.concat(
        [borough.select("majortext", "minortext"), ward.select("majortext", "minortext")]
    )
    catmap = category_map(pairs.unique().rows())
    borough = borough.join(catmap, on=["majortext", "minortext"])
    ward = ward.join(catmap, on=["majortext", "minortext"])

    population = (
        pl.read_csv(data / "population" / "london-borough-population.csv")
        .filter(pl.col("Year") == year)
        .select("Code", "Population")
    )
    pop = dict(population.iter_rows())

    per_borough = (
        borough.with_columns(code=pl.col("boroughname").replace_strict(code_of, default=None))
        .group_by("code", "key")
        .agg(pl.col("cur").sum(), pl.col("prev").sum())
    )
    london = borough.group_by("key").agg(pl.col("cur").sum(), pl.col("prev").sum())
    ranked = (
        per_borough.filter(pl.col("code").str.starts_with("E09"))
        .join(population, left_on="code", right_on="Code", how="left")
        .with_columns(
            rank_count=pl.col("cur").rank("min").over("key"),
            rank_rate=(pl.col("cur") / pl.col("Population")).rank("min").over("key"),
        )
    )

    def figures(code: str, table: pl.DataFrame, ranks: bool = False) -> dict:
        rows = table.filter(pl.col("code") == code) if "code" in table.columns else table
        out = {}
        for r in rows.iter_rows(named=True):
            entry = {
                "count": r["cur"],
                "previous": r["prev"],
                "rate": half_up(r["cur"] * 1000 / pop[code], 2) if pop.get(code) else None,
            }
            if ranks:
                entry["london_rank_by_count"] = r["rank_count"]
                entry["london_rank_by_rate"] = r["rank_rate"]
            out[r["key"]] = entry
        return out

    code = code_of[area]
    result = {
        "area": {"name": area, "code": code},
        "categories": figures(code, ranked, ranks=True),
        "comparators": {name: figures(code_of[name], per_borough) for name in [area, *compare]},
        "wards": {
            w: {
                r["key"]: {"count": r["cur"], "previous": r["prev"]}
                for r in rows.iter_rows(named=True)
            }
            for (w,), rows in ward.group_by("wardcode", "key")
            .agg(pl.col("cur").sum(), pl.col("prev").sum())
            .group_by("wardcode")
        },
    }
    result["comparators"][LONDON[0]] = figures(
        LONDON[1], london.with_columns(code=pl.lit(LONDON[1]))
    )
    json.dump(result, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
