"""A straightforward pandas implementation of the same assessment figures, for comparison.

Written the way an analyst would in a notebook: read the wide CSVs, melt to long, map
categories, filter and group per question. It reuses saferhub's period parsing, taxonomy and
rounding helpers so that the comparison is about computing the figures, not about parsing.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pandas as pd

from saferhub.evidence import measures
from saferhub.evidence.periods import month_label, parse_period
from saferhub.evidence.taxonomy import Taxonomy

FORCE = ("London", "E12000007")


class PandasReference:
    def __init__(self, data: Path, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        text = resources.files("saferhub.evidence").joinpath("data/areas.csv").read_text()
        names = {r["name"]: r["code"] for r in csv.DictReader(text.splitlines())}
        pop = pd.read_csv(data / "population" / "london-borough-population.csv")
        self.population = {(r.Code, r.Year): r.Population for r in pop.itertuples()}
        borough = pd.read_csv(data / "mps" / "recorded-crime-borough-historical.csv")
        ward = pd.read_csv(data / "mps" / "recorded-crime-ward-historical.csv")
        self.borough = self._long(borough, ["majortext", "minortext", "boroughname"])
        self.borough["code"] = self.borough["boroughname"].map(names)
        self.ward = self._long(
            ward, ["wardname", "wardcode", "majortext", "minortext", "lookup_boroughname"]
        )
        self.ward["code"] = self.ward["lookup_boroughname"].map(names)
        self.codes = {name: code for name, code in names.items()}
        self.boroughs = sorted(
            c for c in self.borough["code"].dropna().unique() if c.startswith("E09")
        )

    def _long(self, wide: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
        long = wide.melt(id_vars=ids, var_name="month", value_name="count")
        long["month"] = long["month"].str[:4] + "-" + long["month"].str[4:]
        rows = []
        for major, minor in (
            long[["majortext", "minortext"]].drop_duplicates().itertuples(index=False)
        ):
            for c in self.taxonomy.categories:
                if c.from_mps and c.matches_mps(major, minor):
                    rows.append((major, minor, c.key))
        catmap = pd.DataFrame(rows, columns=["majortext", "minortext", "key"])
        return long.merge(catmap, on=["majortext", "minortext"])

    def assess(self, *, area: str, period: str, compare: list[str]) -> dict:
        p = parse_period(period)
        prev = p.previous()
        cur_months = [month_label(m) for m in p.months()]
        prev_months = [month_label(m) for m in prev.months()]
        year = p.population_year
        keys = [c.key for c in self.taxonomy.categories if c.from_mps]
        labels = {c.key: c.label for c in self.taxonomy.categories}

        b = self.borough[self.borough["month"].isin(cur_months + prev_months)].copy()
        b["period"] = b["month"].isin(cur_months).map({True: "cur", False: "prev"})
        by_borough = b.groupby(["code", "key", "period"])["count"].sum().unstack(fill_value=0)
        london = b.groupby(["key", "period"])["count"].sum().unstack(fill_value=0)

        def fig(cur: int, prv: int, pop: int | None) -> dict:
            rate = measures.rate_per_1000(count=cur, population=pop)
            prate = measures.rate_per_1000(count=prv, population=pop)
            return {
                "count": cur,
                "previous": prv,
                "change": cur - prv,
                "change_pct": measures.change_pct(current=cur, previous=prv),
                "rate": rate,
                "previous_rate": prate,
                "rate_change": measures.rate_change(rate=rate, previous_rate=prate),
            }

        def borough_fig(code: str, key: str) -> dict:
            if (code, key) in by_borough.index:
                row = by_borough.loc[(code, key)]
                cur, prv = int(row.get("cur", 0)), int(row.get("prev", 0))
            else:
                cur, prv = 0, 0
            return fig(cur, prv, self.population.get((code, year)))

        subject = self.codes[area]
        categories = []
        for key in keys:
            row = {"key": key, "label": labels[key], **borough_fig(subject, key)}
            counts = pd.Series({b_: borough_fig(b_, key)["count"] for b_ in self.boroughs})
            rates = pd.Series(
                {b_: counts[b_] / self.population[(b_, year)] for b_ in self.boroughs}
            )
            row["london_rank_by_count"] = int(counts.rank(method="min")[subject])
            row["london_rank_by_rate"] = int(rates.rank(method="min")[subject])
            categories.append(row)

        comparators = []
        for name in [area, *compare]:
            code = self.codes[name]
            comparators.append(
                {"name": name, "code": code, "categories": {k: borough_fig(code, k) for k in keys}}
            )
        comparators.append(
            {
                "name": FORCE[0],
                "code": FORCE[1],
                "categories": {
                    k: fig(
                        int(london.loc[k].get("cur", 0)),
                        int(london.loc[k].get("prev", 0)),
                        self.population.get((FORCE[1], year)),
                    )
                    for k in keys
                },
            }
        )

        w = self.ward[
            (self.ward["code"] == subject) & self.ward["month"].isin(cur_months + prev_months)
        ].copy()
        w["period"] = w["month"].isin(cur_months).map({True: "cur", False: "prev"})
        by_ward = w.groupby(["wardcode", "key", "period"])["count"].sum().unstack(fill_value=0)
        wards = {}
        for code in sorted(w["wardcode"].unique()):
            wards[code] = {}
            for key in keys:
                if (code, key) in by_ward.index:
                    r = by_ward.loc[(code, key)]
                    cur, prv = int(r.get("cur", 0)), int(r.get("prev", 0))
                else:
                    cur, prv = 0, 0
                wards[code][key] = {"count": cur, "previous": prv, "change": cur - prv}
        return {"categories": categories, "comparators": comparators, "wards": wards}
