"""The Strategic Assessment figures for one area and period, computed in one call.

`Evidence.assess()` returns one plain, JSON-ready dictionary: the single source of truth that
the CLI table, the CSV, the JSON and every report read. Nothing downstream recomputes a figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import measures
from .areas import FORCE_AREA, Area, known_areas, resolve_area
from .errors import EvidenceError
from .gazetteer import is_district_code, shipped_force_boroughs
from .periods import Period, month_label, parse_month, parse_period
from .store import Store
from .taxonomy import Taxonomy, load_taxonomy

HIGHLIGHTS = 5  # wards (and LSOAs) listed in each of highest, lowest, rises, falls
LEVELS = ("borough", "ward", "lsoa")  # MPS file levels, in the order borough figures prefer
LEVEL_LABELS = {"borough": "borough", "ward": "ward", "lsoa": "LSOA"}


def _date(index: int) -> str:
    return f"{month_label(index)}-01"


@dataclass(frozen=True)
class Window:
    """The current and previous periods as SQL date bounds."""

    current: Period
    previous: Period | None

    @property
    def params(self) -> list[str]:
        previous = self.previous or self.current
        return [
            _date(self.current.start),
            _date(self.current.end),
            _date(previous.start),
            _date(previous.end),
            _date(previous.start),
            _date(self.current.end),
        ]


Counts = dict[tuple[str | None, str], tuple[int, int | None]]


class Evidence:
    """Assessments over an open store. Create once, call `assess()` many times (warm)."""

    def __init__(self, store: Store, taxonomy: Taxonomy | None = None) -> None:
        # Everything read here comes from the small aggregates stored at ingest
        # (`aggregates.py`), so opening is a handful of tiny queries, not scans of the rows.
        self.store = store
        self.con = store.con
        self.taxonomy = taxonomy or load_taxonomy()
        pairs = self.con.execute("select major, minor from agg_categories").fetchall()
        types = [
            r[0]
            for r in self.con.execute("select distinct crime_type from agg_incidents").fetchall()
        ]
        self._temp_table("catmap", ("major", "minor", "key"), self.taxonomy.mps_pairs(pairs))
        self._temp_table("typemap", ("crime_type", "key"), self.taxonomy.policeuk_types(types))
        self.areas = known_areas(self.con)
        self.has_incidents = bool(types)
        self.level_months: dict[str, set[int]] = defaultdict(set)
        for level, index in self.con.execute(
            "select level, cast(year(month) * 12 + month(month) - 1 as integer) from agg_months"
        ).fetchall():
            self.level_months[level].add(index)
        self.offence_months = set().union(*(self.level_months[lv] for lv in LEVELS))
        self.populations = {
            (code, year): population
            for code, year, population in self.con.execute(
                "select area_code, year, population from population where age_band = 'all'"
            ).fetchall()
        }
        # Per borough: its wards (from ward-level rows, else from LSOA rows placed in wards)
        # and its LSOAs, code -> name.
        self.ward_names: dict[str, dict[str, str]] = defaultdict(dict)
        self.ward_source: dict[str, str] = {}
        lsoa_wards: dict[str, dict[str, str]] = defaultdict(dict)
        self.lsoa_names: dict[str, dict[str, str]] = defaultdict(dict)
        for kind, code, name, borough in self.con.execute(
            "select area_type, area_code, area_name, borough_code from agg_areas "
            "where area_type in ('ward', 'lsoa-ward', 'lsoa')"
        ).fetchall():
            target = {"ward": self.ward_names, "lsoa-ward": lsoa_wards, "lsoa": self.lsoa_names}
            target[kind][borough].setdefault(code, name)
        for borough in self.ward_names:
            self.ward_source[borough] = "ward"
        for borough, names in lsoa_wards.items():
            if borough not in self.ward_names:
                self.ward_names[borough] = names
                self.ward_source[borough] = "lsoa-ward"
        self.ward_borough = {
            code: borough for borough, names in self.ward_names.items() for code in names
        }

    def _temp_table(self, name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """A small temp table from Python rows in one statement (no per-row inserts)."""
        values = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in columns]
        select = ", ".join(f"unnest(?::varchar[]) as {c}" for c in columns)
        self.con.execute(f"create or replace temp table {name} as select {select}", values)

    def latest_period(self) -> Period:
        """The twelve months ending with the latest month loaded."""
        if not self.offence_months:
            raise EvidenceError("no crime data loaded: run `saferhub ingest` first")
        return parse_period(f"12m:{month_label(max(self.offence_months))}")

    def trend(self, *, area: str, end: str, months: int = 36) -> dict:
        """Monthly counts per category for the `months` months to `end` (clipped to the loaded
        months), with the 12-month rolling mean: the long view behind a trend chart."""
        subject = resolve_area(self.areas, area)
        last = parse_month(end)
        if not self.offence_months or last not in self.offence_months:
            raise EvidenceError(f"month {end} is not loaded")
        first = max(last - months + 1, min(self.offence_months))
        window = Window(Period(f"{month_label(first)}..{end}", first, last), None)
        coverage = self._incident_coverage(window)
        usable = [c for c in self.taxonomy.categories if c.from_mps or coverage[c.key] is None]
        level = self._borough_level(window)
        force = self._force_coverage(window, level, window.current.population_year)
        series = self._monthly(
            subject, window, level, usable, None if force["complete"] else force["codes"]
        )
        labels = [month_label(m) for m in window.current.months()]
        return {
            "area": subject.as_dict(),
            "months": labels,
            "series": {key: [by_month[m] for m in labels] for key, by_month in series.items()},
            "rolling_12": {
                key: measures.rolling_mean([by_month[m] for m in labels], 12)
                for key, by_month in series.items()
            },
        }

    def boundaries(self, area_type: str, codes: list[str]) -> dict[str, tuple[str, str]]:
        """code -> (name, GeoJSON geometry text) for the loaded boundaries of these areas."""
        rows = self.con.execute(
            "select area_code, area_name, geometry from boundaries "
            "where area_type = ? and list_contains(?, area_code)",
            [area_type, codes],
        ).fetchall()
        return {code: (name, geometry) for code, name, geometry in rows}

    # ----------------------------------------------------------------- loading figures

    def _window(self, period: Period) -> Window:
        missing = [m for m in period.months() if m not in self.offence_months]
        if missing:
            loaded = sorted(self.offence_months)
            span = f"{month_label(loaded[0])}..{month_label(loaded[-1])}" if loaded else "none"
            raise EvidenceError(
                f"period {period.label} ({period.start_label}..{period.end_label}) is outside "
                f"the loaded months: {month_label(missing[0])} is missing; loaded months are "
                f"{span}"
            )
        previous = period.previous()
        covered = all(m in self.offence_months for m in previous.months())
        return Window(period, previous if covered else None)

    def _borough_level(self, window: Window) -> str:
        """The coarsest level loaded for every month of the period (and of the previous one
        when it is compared): borough rows, else ward rows, else LSOA rows summed by borough.
        One level for all boroughs, so a borough loaded at two levels is never counted twice."""
        needed = set(window.current.months())
        if window.previous:
            needed |= set(window.previous.months())
        for wanted in (needed, set(window.current.months()), {window.current.start}):
            for level in LEVELS:
                if wanted <= self.level_months.get(level, set()):
                    return level
        return "borough"

    def _small_counts(
        self, window: Window, area_type: str, *, borough: str | None = None, area: str | None = None
    ) -> Counts:
        """Counts of wards or LSOAs (`area_type` as in `agg_small`) of one borough or one area."""
        if borough is not None:
            where, args = "o.borough_code = ?", [borough]
        else:
            where, args = "o.area_code = ?", [area]
        rows = self.con.execute(
            f"""select o.area_code, m.key,
                       sum(o.count) filter (where o.month between ? and ?),
                       sum(o.count) filter (where o.month between ? and ?)
                from agg_small o join catmap m on m.major = o.major and m.minor = o.minor
                where o.month between ? and ? and o.area_type = ? and {where}
                group by all""",
            [*window.params, area_type, *args],
        ).fetchall()
        return self._counts(rows, window)

    def _ward_type(self, ward_code: str) -> str:
        """Where a ward's figures come from: ward-level rows, or LSOA rows placed in wards."""
        return self.ward_source.get(self.ward_borough.get(ward_code, ""), "ward")

    def _borough_counts(self, window: Window, level: str) -> tuple[Counts, Counts]:
        """Every borough's counts and the force total in one pass over `agg_boroughs`."""
        p = window.params
        rows = self.con.execute(
            """select grouping(borough_code), borough_code, key,
                      sum(count) filter (where month between ? and ?),
                      sum(count) filter (where month between ? and ?)
               from agg_boroughs b join catmap m on m.major = b.major and m.minor = b.minor
               where level = ? and month between ? and ?
               group by grouping sets ((borough_code, key), (key))""",
            [*p[:4], level, *p[4:]],
        ).fetchall()
        boroughs = self._counts([r[1:] for r in rows if not r[0]], window)
        force = self._counts([(FORCE_AREA[1], *r[2:]) for r in rows if r[0]], window)
        return boroughs, force

    def _incident_counts(self, window: Window, group: str, where: str, args: list) -> Counts:
        if not self.has_incidents:
            return {}
        rows = self.con.execute(
            f"""select {group}, m.key,
                       sum(i.count) filter (where i.month between ? and ?),
                       sum(i.count) filter (where i.month between ? and ?)
                from agg_incidents i join typemap m on m.crime_type = i.crime_type
                where i.month between ? and ? and {where}
                group by all""",
            window.params + args,
        ).fetchall()
        return self._counts(rows, window)

    @staticmethod
    def _counts(rows: list[tuple], window: Window) -> Counts:
        return {
            (area, key): (int(cur or 0), int(prev or 0) if window.previous else None)
            for area, key, cur, prev in rows
        }

    def _incident_coverage(self, window: Window) -> dict[str, str | None]:
        """For each police.uk-sourced key: None when usable, else why it is not."""
        if not self.has_incidents:
            return {
                c.key: f"{c.label}: no police.uk records are loaded; not shown"
                for c in self.taxonomy.categories
                if not c.from_mps
            }
        types = {
            r[0]
            for r in self.con.execute(
                "select distinct crime_type from agg_incidents where month between ? and ?",
                [_date(window.current.start), _date(window.current.end)],
            ).fetchall()
        }
        months = self.con.execute(
            "select count(distinct month) from agg_incidents where month between ? and ?",
            [_date(window.current.start), _date(window.current.end)],
        ).fetchone()[0]
        reasons: dict[str, str | None] = {}
        for category in self.taxonomy.categories:
            if category.from_mps:
                continue
            if months < window.current.length:
                reasons[category.key] = (
                    f"{category.label}: police.uk records cover {months} of the "
                    f"{window.current.length} months of {window.current.label}; not shown"
                )
            elif not any(category.matches_policeuk(t) for t in types):
                reasons[category.key] = (
                    f"{category.label}: the police.uk files loaded for {window.current.label} "
                    f"hold no such records (they hold: {', '.join(sorted(types))}); not shown"
                )
            else:
                reasons[category.key] = None
        return reasons

    def _force_coverage(self, window: Window, level: str, year: int) -> dict:
        """Which of the force area's boroughs have rows at `level` in the period.

        The force's boroughs are the shipped list's (data/areas.csv, the 32 the MPS polices)
        when any loaded borough is on it; a store of fictional boroughs (none on it) takes
        them from the population loaded for `year`. Loaded boroughs always count as members."""
        covered = {
            code
            for (code,) in self.con.execute(
                "select distinct borough_code from agg_boroughs where level = ? "
                "and month between ? and ? and borough_code is not null",
                [level, _date(window.current.start), _date(window.current.end)],
            ).fetchall()
            if is_district_code(code)
        }
        shipped = shipped_force_boroughs()
        if covered & shipped.keys():
            members = set(shipped)
        else:
            members = {c for c, y in self.populations if y == year and is_district_code(c)}
        members |= covered
        names = {a.code: a.name for a in self.areas if a.type == "borough"}
        if members - covered - names.keys():
            names.update(shipped)
            names.update(
                self.con.execute(
                    "select area_code, any_value(area_name) from population "
                    "where area_name is not null group by 1"
                ).fetchall()
            )
        complete = not (members - covered)
        label = f"{FORCE_AREA[0]}: {len(covered)} of {len(members)} boroughs loaded"
        return {
            "area": FORCE_AREA[0],
            "complete": complete,
            "boroughs": len(members),
            "loaded": len(covered),
            "label": label,
            "loaded_boroughs": sorted(names.get(c, c) for c in covered),
            "missing_boroughs": sorted(names.get(c, c) for c in members - covered),
            "codes": sorted(covered),
        }

    @staticmethod
    def _sum_counts(counts: Counts, codes: list[str], total: str, window: Window) -> Counts:
        """The counts of these areas added together, as area `total`."""
        wanted = set(codes)
        sums: Counts = {}
        for (code, key), (cur, prev) in counts.items():
            if code not in wanted:
                continue
            c, p = sums.get((total, key), (0, 0 if window.previous else None))
            sums[(total, key)] = (c + cur, None if p is None or prev is None else p + prev)
        return sums

    def _population(self, codes: list[str], year: int) -> dict[str, int]:
        return {c: self.populations[(c, year)] for c in codes if (c, year) in self.populations}

    def _require_population(self, areas: list[Area], year: int) -> dict[str, int]:
        found = self._population([a.code for a in areas if a.code], year)
        for area in areas:
            if area.code not in found:
                years = [
                    r[0]
                    for r in self.con.execute(
                        "select distinct year from population where area_code = ? order by 1",
                        [area.code],
                    ).fetchall()
                ]
                have = (
                    f"loaded years for it: {years[0]}–{years[-1]}"
                    if years
                    else "no population loaded for it"
                )
                raise EvidenceError(
                    f"no population for {area.name} ({area.code}) in {year}, the year rates "
                    f"for this period use; {have}. Load a population file with "
                    "`saferhub ingest`"
                )
        return found

    # ----------------------------------------------------------------- the assessment

    def assess(self, *, area: str, period: str, compare: list[str] | None = None) -> dict:
        subject = resolve_area(self.areas, area)
        current = (
            self.latest_period() if period.strip().lower() == "latest" else parse_period(period)
        )
        window = self._window(current)
        year = current.population_year
        force = Area(*FORCE_AREA, type="force")
        comparators = [resolve_area(self.areas, c) for c in compare or []]
        for comparator in comparators:
            if comparator.type == "ward":
                raise EvidenceError(f"comparator {comparator.name!r} is a ward; compare boroughs")
        coverage = self._incident_coverage(window)
        usable = [c for c in self.taxonomy.categories if c.from_mps or coverage[c.key] is None]
        notes = [reason for reason in coverage.values() if reason]
        if window.previous is None:
            notes.append(
                f"the previous period ({current.previous().start_label}.."
                f"{current.previous().end_label}) is not fully loaded: no change figures"
            )

        level = self._borough_level(window)
        borough_counts, force_counts = self._borough_counts(window, level)
        borough_counts.update(self._incident_counts(window, "i.borough_code", "true", []))
        force_counts.update(
            {
                (FORCE_AREA[1], key): value
                for (_, key), value in self._incident_counts(window, "null", "true", []).items()
            }
        )
        boroughs = sorted({code for code, _ in borough_counts if is_district_code(code)})
        population = self._population(boroughs, year)
        table_areas = [subject, *[c for c in comparators if c not in (subject, force)]]
        if subject != force:
            table_areas.append(force)
        # A force total and rate add up only over the boroughs loaded: with part of the force
        # loaded, "London" is those boroughs' offences over those boroughs' residents, named
        # so, and no borough gets a London rank.
        force_coverage = self._force_coverage(window, level, year)
        partial = not force_coverage["complete"]
        population.update(
            self._require_population(
                [a for a in table_areas if a.type != "ward" and not (partial and a == force)],
                year,
            )
        )
        if partial:
            covered = force_coverage["codes"]
            force_counts = self._sum_counts(borough_counts, covered, force.code, window)
            population.pop(force.code, None)
            if all(code in population for code in covered):
                population[force.code] = sum(population[code] for code in covered)
            shown = force_coverage["missing_boroughs"]
            missing = ", ".join(shown[:5]) + (", …" if len(shown) > 5 else "")
            notes.append(
                f"{force_coverage['label']} (not loaded: {missing}): the {force.name} figures "
                f"are the offences and residents of the {len(covered)} loaded boroughs only, "
                f"not all of {force.name}, and no {force.name} ranks are given"
                + (
                    ""
                    if force.code in population
                    else "; not every loaded borough has a "
                    f"{year} population, so no {force.name} rate"
                )
            )

        if subject.type == "ward":
            subject_counts = {
                (subject.code, key): value
                for (_, key), value in {
                    **self._small_counts(window, self._ward_type(subject.code), area=subject.code),
                    **self._incident_counts(
                        window, "i.ward_code", "i.ward_code = ?", [subject.code]
                    ),
                }.items()
            }
            population.update(self._population([subject.code], year))
            if subject.code not in population:
                notes.append(f"no {year} population loaded for ward {subject.name}: no rates")
        else:
            subject_counts = force_counts if subject.type == "force" else borough_counts

        ranks = {} if partial else self._ranks(borough_counts, population, boroughs, usable)
        if not partial and len(boroughs) != len([b for b in boroughs if b in population]):
            notes.append("not every borough has a population: ranks by rate not given")

        def figures(code: str | None, counts: Counts, key: str) -> dict:
            cur, prev = counts.get((code, key), (0, 0 if window.previous else None))
            return measures.figures(
                count=cur, previous=prev, population=population.get(code) if code else None
            )

        monthly = self._monthly(
            subject, window, level, usable, force_coverage["codes"] if partial else None
        )
        categories = []
        for category in usable:
            row = {
                "key": category.key,
                "label": category.label,
                **figures(subject.code, subject_counts, category.key),
            }
            rank = ranks.get((subject.code, category.key), {}) if subject.type == "borough" else {}
            row["london_rank_by_count"] = rank.get("count")
            row["london_rank_by_rate"] = rank.get("rate")
            series = monthly.get(category.key, {})
            row["monthly"] = [{"month": m, "count": c} for m, c in series.items()]
            row["monthly_average"] = measures.round_half_up(
                measures.monthly_average(series.values()), 1
            )
            row["months_above_average"] = measures.months_above_average(series)
            categories.append(row)

        comparator_rows = []
        for table_area in table_areas:
            counts = (
                force_counts
                if table_area.type == "force"
                else (subject_counts if table_area == subject else borough_counts)
            )
            comparator_rows.append(
                {
                    "name": (
                        f"{table_area.name} ({force_coverage['loaded']} of "
                        f"{force_coverage['boroughs']} boroughs loaded)"
                        if partial and table_area.type == "force"
                        else table_area.name
                    ),
                    "code": table_area.code,
                    "type": table_area.type,
                    "is_subject": table_area == subject,
                    "categories": {c.key: figures(table_area.code, counts, c.key) for c in usable},
                }
            )

        wards = self._wards(subject, window, usable, year) if subject.type == "borough" else []
        lsoas = self._lsoas(subject, window, usable, year) if subject.type == "borough" else []
        if wards and self.ward_source.get(subject.code) == "lsoa-ward":
            notes.append(self._lsoa_ward_note(subject))
        return {
            "area": subject.as_dict(),
            "period": {
                "label": current.label,
                "title": current.title,
                "start": current.start_label,
                "end": current.end_label,
                "months": current.length,
            },
            "previous_period": (
                {
                    "start": window.previous.start_label,
                    "end": window.previous.end_label,
                    "title": window.previous.title,
                }
                if window.previous
                else None
            ),
            "population": {"value": population.get(subject.code), "year": year},
            "rate_basis": f"per 1,000 residents, {year} population (both periods)",
            "borough_level_source": f"MPS {LEVEL_LABELS[level]}-level data",
            "ranked_boroughs": 0 if partial else len(boroughs),
            "force_coverage": {k: v for k, v in force_coverage.items() if k != "codes"},
            "categories": categories,
            "comparators": comparator_rows,
            "wards": wards,
            "ward_highlights": self._highlights(wards, usable),
            "lsoas": lsoas,
            "lsoa_highlights": self._highlights(lsoas, usable),
            "notes": notes,
            "taxonomy": self.taxonomy.source,
        }

    def counts(self, *, area: str, period: Period) -> tuple[dict[str, int], list[str]]:
        """Counts per category for one area and period by exactly the rules of `assess()`
        (borough or ward level, police.uk coverage), without the rest of an assessment: what
        an indicator reads for each of its periods. Returns the counts and, for categories
        that cannot be counted in this period, why not."""
        subject = resolve_area(self.areas, area)
        window = Window(self._window(period).current, None)
        coverage = self._incident_coverage(window)
        usable = {c.key for c in self.taxonomy.categories if c.from_mps or not coverage[c.key]}
        if subject.type == "ward":
            counts = self._small_counts(window, self._ward_type(subject.code), area=subject.code)
            counts.update(
                self._incident_counts(window, "i.ward_code", "i.ward_code = ?", [subject.code])
            )
        elif subject.type == "borough":
            counts, _ = self._borough_counts(window, self._borough_level(window))
            counts.update(
                self._incident_counts(
                    window, "i.borough_code", "i.borough_code = ?", [subject.code]
                )
            )
        else:
            _, counts = self._borough_counts(window, self._borough_level(window))
            counts.update(
                {
                    (subject.code, key): value
                    for (_, key), value in self._incident_counts(window, "null", "true", []).items()
                }
            )
        found = {key: cur for (code, key), (cur, _) in counts.items() if code == subject.code}
        return (
            {key: found.get(key, 0) for key in sorted(usable)},
            [reason for reason in coverage.values() if reason],
        )

    def population_of(self, area: str, year: int) -> int | None:
        """The all-ages population of an area in a year, as rates in `assess()` use it."""
        return self.populations.get((resolve_area(self.areas, area).code, year))

    def _ranks(
        self, counts: Counts, population: dict[str, int], boroughs: list[str], usable: list
    ) -> dict[tuple[str, str], dict[str, int]]:
        ranks: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        all_have_population = all(b in population for b in boroughs)
        for category in usable:
            by_count = {b: counts.get((b, category.key), (0, None))[0] for b in boroughs}
            for code, rank in measures.rank_ascending(by_count).items():
                ranks[(code, category.key)]["count"] = rank
            if all_have_population:
                by_rate = {b: by_count[b] / population[b] for b in boroughs}
                for code, rank in measures.rank_ascending(by_rate).items():
                    ranks[(code, category.key)]["rate"] = rank
        return ranks

    def _monthly(
        self,
        subject: Area,
        window: Window,
        level: str,
        usable: list,
        force_boroughs: list[str] | None = None,
    ) -> dict[str, dict[str, int]]:
        """Monthly counts of the subject; for the force area with only some boroughs loaded
        (`force_boroughs`), of those boroughs only, as its total is."""
        bounds = [_date(window.current.start), _date(window.current.end)]
        if subject.type == "ward":
            o_sql = """select m.key, strftime(o.month, '%Y-%m'), sum(o.count)
                       from agg_small o join catmap m on m.major = o.major and m.minor = o.minor
                       where o.month between ? and ? and o.area_type = ?
                         and o.area_code = ? group by all"""
            o_args = [*bounds, self._ward_type(subject.code), subject.code]
            i_where, i_args = "i.ward_code = ?", [subject.code]
        else:
            if subject.type == "borough":
                borough, b_args = "and borough_code = ?", [subject.code]
                i_where, i_args = "i.borough_code = ?", [subject.code]
            elif force_boroughs is not None:
                borough, b_args = "and list_contains(?, borough_code)", [force_boroughs]
                i_where, i_args = "list_contains(?, i.borough_code)", [force_boroughs]
            else:
                borough, b_args, i_where, i_args = "", [], "true", []
            o_sql = f"""select key, strftime(month, '%Y-%m'), sum(count)
                        from agg_boroughs b join catmap m on m.major = b.major and m.minor = b.minor
                        where month between ? and ? and level = ? {borough} group by all"""
            o_args = [*bounds, level, *b_args]
        rows = self.con.execute(o_sql, o_args).fetchall()
        if self.has_incidents:
            rows += self.con.execute(
                f"""select m.key, strftime(i.month, '%Y-%m'), sum(i.count)
                from agg_incidents i join typemap m on m.crime_type = i.crime_type
                where i.month between ? and ? and {i_where} group by all""",
                bounds + i_args,
            ).fetchall()
        found = {(k, m): int(c) for k, m, c in rows}
        months = [month_label(m) for m in window.current.months()]
        return {c.key: {m: found.get((c.key, m), 0) for m in months} for c in usable}

    def _wards(self, subject: Area, window: Window, usable: list, year: int) -> list[dict]:
        names = self.ward_names.get(subject.code, {})
        if not names:
            return []
        counts = self._small_counts(window, self.ward_source[subject.code], borough=subject.code)
        counts.update(
            self._incident_counts(window, "i.ward_code", "i.borough_code = ?", [subject.code])
        )
        return self._area_table(names, counts, window, usable, year)

    def _lsoa_ward_note(self, subject: Area) -> str:
        lsoas = self.lsoa_names.get(subject.code, {})
        placed = {
            r[0]
            for r in self.con.execute(
                "select lsoa_code from lsoa_wards where list_contains(?, lsoa_code)",
                [sorted(lsoas)],
            ).fetchall()
        }
        note = (
            f"{subject.name}'s ward figures are its LSOA-level counts, each LSOA counted in "
            "the ward that holds a point inside its boundary (LSOAs do not always nest in wards)"
        )
        missing = sorted(set(lsoas) - placed)
        if missing:
            shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
            note += (
                f"; {len(missing)} of its {len(lsoas)} LSOAs have no boundary in a loaded ward "
                f"and are in no ward's figures ({shown})"
            )
        return note

    def _lsoas(self, subject: Area, window: Window, usable: list, year: int) -> list[dict]:
        """The borough's LSOAs, when LSOA-level rows are loaded for it (police.uk records
        count in the LSOA they give)."""
        names = self.lsoa_names.get(subject.code, {})
        if not names:
            return []
        counts = self._small_counts(window, "lsoa", borough=subject.code)
        counts.update(
            self._incident_counts(window, "i.lsoa_code", "i.borough_code = ?", [subject.code])
        )
        return self._area_table(names, counts, window, usable, year)

    def _area_table(
        self, names: dict[str, str], counts: Counts, window: Window, usable: list, year: int
    ) -> list[dict]:
        """Rows of a ward or LSOA table, in name order, ranked within the borough by count."""
        population = self._population(sorted(names), year)
        wards = []
        for code in sorted(names, key=lambda c: names[c]):
            categories = {}
            for category in usable:
                cur, prev = counts.get((code, category.key), (0, 0 if window.previous else None))
                categories[category.key] = measures.figures(
                    count=cur, previous=prev, population=population.get(code)
                )
            wards.append(
                {
                    "name": names[code],
                    "code": code,
                    "population": population.get(code),
                    "categories": categories,
                }
            )
        for category in usable:
            by_count = {w["code"]: w["categories"][category.key]["count"] for w in wards}
            ranked = measures.rank_ascending(by_count)
            for ward in wards:
                ward["categories"][category.key]["rank_by_count"] = ranked[ward["code"]]
        return wards

    @staticmethod
    def _highlights(wards: list[dict], usable: list) -> dict[str, dict[str, list[str]]]:
        """Per category, the ward codes with the highest and lowest counts, biggest rises/falls."""
        result = {}
        for category in usable:
            key = category.key

            def fig(ward: dict, field: str, key: str = key):
                return ward["categories"][key][field]

            by_count = sorted(wards, key=lambda w: (-fig(w, "count"), w["name"]))
            with_change = [w for w in wards if fig(w, "change") is not None]
            result[key] = {
                "highest": [w["code"] for w in by_count[:HIGHLIGHTS]],
                "lowest": [w["code"] for w in reversed(by_count[-HIGHLIGHTS:])],
                "rises": [
                    w["code"]
                    for w in sorted(with_change, key=lambda w: (-fig(w, "change"), w["name"]))
                    if fig(w, "change") > 0
                ][:HIGHLIGHTS],
                "falls": [
                    w["code"]
                    for w in sorted(with_change, key=lambda w: (fig(w, "change"), w["name"]))
                    if fig(w, "change") < 0
                ][:HIGHLIGHTS],
            }
        return result
