"""A straightforward pandas implementation of the assessment figures, to check and time against.

Written the way an analyst would in a notebook: read the wide CSVs, melt the month columns to
long rows, merge a category map, then filter, group and pivot per question. It shares with
saferhub only the period parsing, the taxonomy (which MPS category belongs to which key) and
the half-up rounding helper; every count, rate, change, rank and table is computed here.

Semantics copied from saferhub (src/saferhub/evidence/assessment.py and measures.py):

- a borough's code comes from its name through the shipped `areas.csv`; rows whose borough
  is not in that list (Unknown, the airports) have no code, are never ranked, but count in
  London, which is every row of the borough file;
- rates are per 1,000 residents, 2 dp, both periods using the population (the GLA file's
  `Population`) of the year of the period's middle month;
- change_pct is 1 dp and empty when the previous count is 0; rate_change is the difference
  of the rounded rates, 2 dp; all rounding is half-up;
- London ranks: 1 = lowest, ties share the lowest position (competition ranking), among the
  boroughs with a district code (E09...); rank by rate uses the unrounded count / population;
- the ward table lists every ward the ward file gives for the borough (rows of other
  "boroughs", such as Aviation Security at Heathrow, stay out).
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import pandas as pd

from saferhub.evidence.measures import round_half_up
from saferhub.evidence.periods import Period, month_label, parse_period
from saferhub.evidence.taxonomy import Taxonomy

LONDON = ("London", "E12000007")
FIGURES = ("count", "previous", "change", "change_pct", "rate", "previous_rate", "rate_change")
WARD_FIGURES = ("count", "previous", "change")


def months_of(period: Period) -> list[str]:
    return [month_label(m) for m in period.months()]


def half_up(value: float, places: int) -> float | None:
    return None if pd.isna(value) else round_half_up(float(value), places)


def whole(value: float) -> int | None:
    return None if pd.isna(value) else int(value)


class PandasReference:
    def __init__(self, data: Path, taxonomy: Taxonomy) -> None:
        self.keys = [c.key for c in taxonomy.categories if c.from_mps]
        text = resources.files("saferhub.evidence").joinpath("data/areas.csv").read_text()
        areas = pd.read_csv(io.StringIO(text))
        self.code_of = dict(zip(areas["name"], areas["code"], strict=True))
        self.name_of = dict(zip(areas["code"], areas["name"], strict=True))

        population = pd.read_csv(data / "population" / "london-borough-population.csv")
        self.population = population.set_index(["Code", "Year"])["Population"]

        borough = pd.read_csv(data / "mps" / "recorded-crime-borough-historical.csv")
        ward = pd.read_csv(data / "mps" / "recorded-crime-ward-historical.csv")
        pairs = pd.concat(
            [borough[["majortext", "minortext"]], ward[["majortext", "minortext"]]]
        ).drop_duplicates()
        catmap = pd.DataFrame(
            [
                (major, minor, c.key)
                for major, minor in pairs.itertuples(index=False)
                for c in taxonomy.categories
                if c.from_mps and c.matches_mps(major, minor)
            ],
            columns=["majortext", "minortext", "key"],
        )
        self.borough = self._long(borough, catmap)
        self.borough["borough_code"] = self.borough["boroughname"].map(self.code_of)
        self.ward = self._long(ward, catmap)
        self.ward["borough_code"] = self.ward["lookup_boroughname"].map(self.code_of)
        self.months = set(self.borough["month"].unique())
        self.boroughs = sorted(
            code for code in self.borough["borough_code"].dropna().unique() if code[:3] == "E09"
        )

    @staticmethod
    def _long(wide: pd.DataFrame, catmap: pd.DataFrame) -> pd.DataFrame:
        """One row per area, MPS category, month and partnership key."""
        ids = [c for c in wide.columns if not c.isdigit()]
        wide = wide.rename(columns={m: f"{m[:4]}-{m[4:]}" for m in wide.columns if m.isdigit()})
        long = wide.melt(id_vars=ids, var_name="month", value_name="count")
        return long.merge(catmap, on=["majortext", "minortext"])

    # ------------------------------------------------------------------ figures

    def _population(self, code: str, year: int) -> int | None:
        return whole(self.population.get((code, year)))

    def _figures(self, table: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
        """Add change, rates and their changes to a table of `count` and `previous`."""
        t = table.copy()
        t["change"] = t["count"] - t["previous"]
        t["change_pct"] = (t["change"] * 100 / t["previous"]).where(t["previous"] != 0)
        t["rate"] = t["count"] * 1000 / population
        t["previous_rate"] = t["previous"] * 1000 / population
        t["change_pct"] = t["change_pct"].map(lambda v: half_up(v, 1))
        t["rate"] = t["rate"].map(lambda v: half_up(v, 2))
        t["previous_rate"] = t["previous_rate"].map(lambda v: half_up(v, 2))
        t["rate_change"] = (t["rate"].astype(float) - t["previous_rate"].astype(float)).map(
            lambda v: half_up(v, 2)
        )
        return t

    @staticmethod
    def _as_dict(row: pd.Series, fields: tuple[str, ...]) -> dict:
        out = {}
        for field in fields:
            value = row[field]
            if field in ("count", "previous", "change"):
                out[field] = whole(value)
            else:
                out[field] = None if pd.isna(value) else float(value)
        return out

    @staticmethod
    def _two_periods(rows: pd.DataFrame, current: list[str], index: list[str]) -> pd.DataFrame:
        """Sum `count` into columns `count` (current period) and `previous`."""
        rows = rows.assign(
            period=rows["month"].isin(current).map({True: "count", False: "previous"})
        )
        table = rows.pivot_table(
            index=index, columns="period", values="count", aggfunc="sum", fill_value=0
        )
        return table.reindex(columns=["count", "previous"], fill_value=0)

    # ------------------------------------------------------------------ the assessment

    def assess(self, *, area: str, period: str, compare: list[str]) -> dict:
        current = parse_period(period)
        previous = current.previous()
        cur, prev = months_of(current), months_of(previous)
        missing = [m for m in cur + prev if m not in self.months]
        if missing:
            raise ValueError(f"the reference needs both periods loaded; {missing[0]} is not")
        year = current.population_year
        subject = self.code_of[area]

        # Every borough (and London) by category, both periods.
        b = self.borough[self.borough["month"].isin(cur + prev)]
        per_borough = self._two_periods(b, cur, ["borough_code", "key"])
        per_borough = per_borough.reindex(
            pd.MultiIndex.from_product([self.boroughs, self.keys], names=["borough_code", "key"]),
            fill_value=0,
        )
        pop = pd.Series(
            {code: self._population(code, year) for code in self.boroughs}, dtype="Float64"
        )
        borough_pop = pd.Series(
            per_borough.index.get_level_values("borough_code").map(pop), index=per_borough.index
        )
        per_borough = self._figures(per_borough, borough_pop.astype(float))

        london = self._two_periods(b, cur, ["key"]).reindex(self.keys, fill_value=0)
        london_pop = self._population(LONDON[1], year)
        london = self._figures(london, london_pop if london_pop else float("nan"))

        # Ranks among the boroughs: 1 = lowest, ties share the first position.
        ranks = per_borough[["count"]].copy()
        ranks["by_rate"] = ranks["count"] / borough_pop
        ranks["rank_count"] = ranks.groupby(level="key")["count"].rank(method="min")
        ranks["rank_rate"] = ranks.groupby(level="key")["by_rate"].rank(method="min")
        rate_ranked = bool(pop.notna().all())

        # Monthly series of the subject, current period.
        m = b[(b["borough_code"] == subject) & b["month"].isin(cur)]
        monthly = m.pivot_table(
            index="key", columns="month", values="count", aggfunc="sum", fill_value=0
        ).reindex(index=self.keys, columns=cur, fill_value=0)

        categories = []
        for key in self.keys:
            row = per_borough.loc[(subject, key)]
            series = monthly.loc[key]
            average = int(series.sum()) / len(series)
            categories.append(
                {
                    "key": key,
                    **self._as_dict(row, FIGURES),
                    "london_rank_by_count": int(ranks.loc[(subject, key), "rank_count"]),
                    "london_rank_by_rate": (
                        int(ranks.loc[(subject, key), "rank_rate"]) if rate_ranked else None
                    ),
                    "monthly": [{"month": mo, "count": int(c)} for mo, c in series.items()],
                    "monthly_average": round_half_up(average, 1),
                    "months_above_average": [mo for mo, c in series.items() if c > average],
                }
            )

        comparators = []
        names = [area, *[c for c in compare if c != area]]
        for name in names:
            code = self.code_of[name]
            comparators.append(
                {
                    "name": name,
                    "code": code,
                    "categories": {
                        k: self._as_dict(per_borough.loc[(code, k)], FIGURES) for k in self.keys
                    },
                }
            )
        comparators.append(
            {
                "name": LONDON[0],
                "code": LONDON[1],
                "categories": {k: self._as_dict(london.loc[k], FIGURES) for k in self.keys},
            }
        )

        # The ward table: every ward the ward file lists for the borough.
        w = self.ward[self.ward["borough_code"] == subject]
        ward_names = w.groupby("wardcode")["wardname"].first()
        per_ward = self._two_periods(
            w[w["month"].isin(cur + prev)], cur, ["wardcode", "key"]
        ).reindex(
            pd.MultiIndex.from_product([ward_names.index, self.keys], names=["wardcode", "key"]),
            fill_value=0,
        )
        per_ward["change"] = per_ward["count"] - per_ward["previous"]
        wards = {
            code: {
                "name": name,
                "categories": {
                    k: self._as_dict(per_ward.loc[(code, k)], WARD_FIGURES) for k in self.keys
                },
            }
            for code, name in ward_names.items()
        }

        return {
            "area": {"name": area, "code": subject},
            "population": self._population(subject, year),
            "ranked_boroughs": len(self.boroughs),
            "categories": categories,
            "comparators": comparators,
            "wards": wards,
        }
