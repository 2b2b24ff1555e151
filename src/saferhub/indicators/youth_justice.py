"""Youth justice measures from a case-level extract: first-time entrants, proven reoffending,
custodial sentences and triage to first-time entry, each with a disproportionality view.

Pure functions on `extract.Outcome`s (no database): the same figures on screen, in exports
and in tests. Every measure takes either the outcomes or an `Extract`, which groups them by
person once; pass an `Extract` when computing many periods (the web app computes 8+ quarters
of every measure on extracts of up to ~100,000 rows).

Common rules, and why:

- Each measure takes age where the national definitions (YJB / MoJ Youth Justice Statistics
  and proven reoffending statistics) take it:
  - first-time entrants, triage and the reoffending cohort: age at the offence, 10 to 17.
    That is what makes an offence a youth offence: a 17-year-old's offence sentenced after
    the 18th birthday counts, and someone whose first offence is at 18 is in no cohort;
  - reoffences: any age. The cohort is children; what they go on to do is followed whatever
    their age by then, so a reoffence committed after the 18th birthday counts;
  - custody: age on the date of the sentence, 10 to 17, as the YJB's use of custody counts
    custodial sentences given to children; a sentence given at 18 is an adult's, even for
    an offence at 17. Its comparison cohort (court outcomes) is taken the same way.
- Substantive outcomes (proven offences) are cautions, court orders and custody. Triage is
  informal and not a proven offence; a DTO licence is the second half of a DTO already
  counted; remand and bail come before an outcome.
- Periods are inclusive (`start` to `end`). Figures with a follow-up are `provisional` until
  the follow-up of the last child in the period is over, and outcomes dated after `as_at`
  are ignored, so a figure can be recomputed as it stood on that date.
- Breakdowns set each group's share of the cohort beside its share of the outcome; the ratio
  of the two is above 1 where a group is over-represented in the outcome.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from operator import attrgetter

from ..evidence.measures import round_half_up
from .extract import Outcome

SUBSTANTIVE = frozenset({"caution", "court", "custody"})
COURT = frozenset({"court", "custody"})
FTE_COHORT = frozenset({"triage", "caution", "court", "custody"})
MIN_AGE, MAX_AGE = 10, 17  # children: for cohorts by age at the offence, custody by age on the day
AGE_BANDS = ((10, 14, "10–14"), (15, 17, "15–17"))
BREAKDOWNS = ("ethnicity", "sex", "age_band")
FOLLOW_UP_MONTHS = 12  # offences committed within 12 months of the index date...
PROVING_MONTHS = 18  # ...and proven within 18 (12 months + 6 to be proven)
TRIAGE_MONTHS = 12

DEFINITIONS: dict[str, str] = {
    "fte": (
        "First-time entrants: children whose first substantive outcome — a youth caution, "
        "youth conditional caution, court order or custodial sentence, never a triage, "
        "remand, bail or DTO licence — for an offence committed at 10 to 17 falls in the "
        "period. Age is taken at the offence: an offence at 17 sentenced after the 18th "
        "birthday is a first-time entry, and someone whose first offence is at 18 or over "
        "never is. A later outcome for the same child is never a first-time entry. The rate "
        "is per 100,000 children aged 10 to 17."
    ),
    "reoffending": (
        "Proven reoffending: the cohort is every child with a substantive outcome in the "
        "period for an offence committed at 10 to 17 (age at the index offence); each child's "
        "index date is their first such outcome in the period. A reoffence is an offence "
        "committed after the index date and within 12 months of it that leads to a "
        "substantive outcome within 18 months of the index date (12 months to commit, 6 more "
        "to be proven), at any age: a reoffence committed after the 18th birthday counts, "
        "as in the Ministry of Justice proven reoffending statistics. The rate is the % of "
        "the cohort who reoffend. Provisional until 18 months after the period ends."
    ),
    "reoffences_per_reoffender": (
        "Reoffences per reoffender: the reoffences counted in the proven reoffending measure "
        "(a cohort of children aged 10 to 17 at the index offence, reoffences at any age) "
        "divided by the number of children who reoffended."
    ),
    "reoffences_per_member": (
        "Reoffences per cohort member: the reoffences counted in the proven reoffending "
        "measure (a cohort of children aged 10 to 17 at the index offence, reoffences at any "
        "age) divided by the number of children in the cohort."
    ),
    "custody": (
        "Custodial sentences: DTOs (the custody part, not the licence) and sentences under "
        "sections 90/91 (now 250/259) given to children aged 10 to 17 on the date of the "
        "sentence, dated in the period; one child sentenced on one day counts once. Age is "
        "taken at the sentence, not the offence, because the YJB's use of custody indicator "
        "counts custodial sentences given to children: a sentence given on or after the 18th "
        "birthday is an adult's, even for an offence at 17. The rate is per 1,000 children "
        "aged 10 to 17. The breakdown compares the children sentenced to custody with all "
        "children (aged 10 to 17 on the day) given a court outcome in the period."
    ),
    "triage_to_fte": (
        "Triage to first-time entry: of the children whose first triage (an informal, "
        "out-of-court diversion) for an offence at 10 to 17 falls in the period, the % who "
        "became first-time entrants on or within 12 months after that triage. Provisional "
        "until 12 months after the period ends."
    ),
    "ages": (
        "Ages follow the national definitions. First-time entrants, triage and the "
        "reoffending cohort: age at the offence, 10 to 17 (an offence at 17 sentenced after "
        "the 18th birthday counts; someone whose first offence is at 18 or over is in no "
        "cohort). Reoffences: any age, so a child who reoffends after turning 18 is a "
        "reoffender. Custody: age on the date of the sentence, 10 to 17. Age bands (10–14, "
        "15–17) use the age at the offence of the outcome that put the child in the cohort."
    ),
    "breakdowns": (
        "Each group's share of the cohort beside its share of the outcome; the ratio is the "
        "outcome share divided by the cohort share, above 1 where the group is "
        "over-represented. Small numbers: read with care."
    ),
}


def months_after(d: date, months: int) -> date:
    """The same day `months` later (or earlier when negative), clamped to the month's end:
    31 Aug + 6 months = 28 or 29 Feb. Follow-up windows are counted in calendar months."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def rate(count: int, population: int | None, per: int) -> float | None:
    """`count` per `per` of the population, 1 dp; None without a population (never a 0 that
    would look like a real rate)."""
    if not population:
        return None
    return round_half_up(count * per / population, 1)


def age_band(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "Other"


def _pct(part: int, whole: int) -> float | None:
    return None if not whole else round_half_up(part * 100 / whole, 1)


def _ratio(part: int, whole: int) -> float | None:
    return None if not whole else round_half_up(part / whole, 2)


@dataclass(frozen=True)
class GroupShare:
    """One group's share of a cohort beside its share of the outcome (disproportionality)."""

    group: str
    cohort_count: int
    cohort_pct: float
    outcome_count: int
    outcome_pct: float
    ratio: float | None  # outcome share / cohort share, 2 dp; None when no one is in the outcome

    def as_dict(self) -> dict:
        return {
            "group": self.group,
            "cohort_count": self.cohort_count,
            "cohort_pct": self.cohort_pct,
            "outcome_count": self.outcome_count,
            "outcome_pct": self.outcome_pct,
            "ratio": self.ratio,
        }


Breakdowns = dict[str, list[GroupShare]]


def _group(outcome: Outcome, breakdown: str) -> str:
    """The outcome's group in a breakdown: ethnicity, sex or the age band at the offence."""
    if breakdown == "age_band":
        return age_band(outcome.age_at_offence)
    return outcome.sex if breakdown == "sex" else outcome.ethnicity


class _Sorted:
    """Rows in outcome-date order with the dates alongside, so a period is two bisections.
    `rows` must already be in (outcome date, file row) order."""

    def __init__(self, rows: Iterable[Outcome]):
        self.rows = list(rows)
        self.dates = [r.outcome_date for r in self.rows]

    def between(self, start: date, end: date) -> list[Outcome]:
        return self.rows[bisect_left(self.dates, start) : bisect_right(self.dates, end)]

    def first_per_person(self, start: date, end: date) -> dict[str, Outcome]:
        """Each person's earliest row in the period (ties: the earlier row of the file)."""
        first: dict[str, Outcome] = {}
        for r in self.between(start, end):
            first.setdefault(r.person_id, r)
        return first


def _child(born: date, day: date) -> bool:
    """Aged 10 to 17 on `day` (as `extract.age_on`, inlined: this runs once or twice a row)."""
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return MIN_AGE <= age <= MAX_AGE


class Extract:
    """The outcomes of one extract, grouped by person once and reused for every period.

    Cohorts are drawn from the youth rows (offences at 10–17); reoffences from every
    substantive row of a cohort member, at any age; custody and its court cohort from the
    rows dated while the person was 10–17. `outcomes` keeps every row."""

    def __init__(self, outcomes: Iterable[Outcome]):
        self.outcomes: tuple[Outcome, ...] = tuple(outcomes)
        rows = list(self.outcomes)
        if any(a.row > b.row for a, b in pairwise(rows)):
            rows.sort(key=attrgetter("row"))
        # Sorted once, stably, so (outcome date, file row) order: every list below keeps it.
        rows.sort(key=attrgetter("outcome_date"))
        # One pass: youth rows (offences at 10–17) make the cohorts; substantive rows at any
        # age are where reoffences are looked for; court and custody rows count when the
        # outcome was given at 10–17.
        counted = 0
        substantive: list[Outcome] = []
        fte_cohort: list[Outcome] = []
        proven_rows: list[Outcome] = []
        sentenced: list[Outcome] = []
        first_triage: dict[str, Outcome] = {}
        for r in rows:
            born, offence, kind = r.date_of_birth, r.offence_date, r.kind
            age = offence.year - born.year - ((offence.month, offence.day) < (born.month, born.day))
            youth = MIN_AGE <= age <= MAX_AGE
            counted += youth
            if kind in SUBSTANTIVE:
                proven_rows.append(r)
                if youth:
                    substantive.append(r)
                if kind in COURT and _child(born, r.outcome_date):
                    sentenced.append(r)
            if youth and kind in FTE_COHORT:
                fte_cohort.append(r)
                if kind == "triage":
                    first_triage.setdefault(r.person_id, r)
        self.counted_rows = counted  # outcomes for offences at 10–17: cohort rows
        self.substantive = _Sorted(substantive)
        self.fte_cohort = _Sorted(fte_cohort)
        self.court = _Sorted(sentenced)  # court outcomes given to children aged 10–17
        self.custody = _Sorted(r for r in sentenced if r.kind == "custody")
        # Every person's substantive outcomes for youth offences in date order; the first is
        # their entry.
        self.by_person: dict[str, list[Outcome]] = {}
        for r in substantive:
            self.by_person.setdefault(r.person_id, []).append(r)
        self.first_substantive = _Sorted(
            sorted((group[0] for group in self.by_person.values()), key=attrgetter("outcome_date"))
        )
        self.fte_date = {r.person_id: r.outcome_date for r in self.first_substantive.rows}
        # Every substantive outcome, at any age, of the people with a youth one: where
        # reoffences are looked for.
        by_person = self.by_person
        self.proven: dict[str, list[Outcome]] = {}
        for r in proven_rows:
            if r.person_id in by_person:
                self.proven.setdefault(r.person_id, []).append(r)
        self.first_triage = _Sorted(first_triage.values())  # dicts keep insertion order

    @property
    def people(self) -> int:
        return len({o.person_id for o in self.outcomes})


def _extract(outcomes: Extract | Iterable[Outcome]) -> Extract:
    return outcomes if isinstance(outcomes, Extract) else Extract(outcomes)


def breakdowns(cohort: dict[str, Outcome], outcome: Iterable[str]) -> Breakdowns:
    """Each group's share of the cohort and of the outcome group (a subset of the cohort).

    A person's group comes from the row that put them in the cohort, so everyone is in one
    group of each breakdown and the outcome shares add up like the cohort's."""
    members = set(outcome)
    out: Breakdowns = {}
    for name in BREAKDOWNS:
        in_cohort: dict[str, int] = {}
        in_outcome: dict[str, int] = {}
        for person, r in cohort.items():
            group = _group(r, name)
            in_cohort[group] = in_cohort.get(group, 0) + 1
            if person in members:
                in_outcome[group] = in_outcome.get(group, 0) + 1
        total, outcomes = len(cohort), len(members)
        shares = []
        for group, count in sorted(in_cohort.items(), key=lambda kv: (-kv[1], kv[0])):
            hits = in_outcome.get(group, 0)
            ratio = None
            if outcomes:
                ratio = round_half_up((hits / outcomes) / (count / total), 2)
            shares.append(
                GroupShare(
                    group=group,
                    cohort_count=count,
                    cohort_pct=_pct(count, total) or 0.0,
                    outcome_count=hits,
                    outcome_pct=_pct(hits, outcomes) or 0.0,
                    ratio=ratio,
                )
            )
        out[name] = shares
    return out


def _breakdowns_dict(b: Breakdowns) -> dict[str, list[dict]]:
    return {name: [g.as_dict() for g in groups] for name, groups in b.items()}


@dataclass(frozen=True)
class Measure:
    """A count-based measure for one period.

    count: the headline count (first-time entrants, custodial sentences, triaged children
    who became first-time entrants); value: the headline figure (the count, or for triage
    to FTE the % of the cohort); cohort: children in the breakdown cohort; outcome_people:
    children in the outcome group."""

    measure: str
    start: date
    end: date
    count: int
    value: float | int | None
    cohort: int
    outcome_people: int
    provisional: bool = False
    final_on: date | None = None
    as_at: date | None = None
    breakdowns: Breakdowns = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "measure": self.measure,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "count": self.count,
            "value": self.value,
            "cohort": self.cohort,
            "outcome_people": self.outcome_people,
            "provisional": self.provisional,
            "final_on": self.final_on.isoformat() if self.final_on else None,
            "as_at": self.as_at.isoformat() if self.as_at else None,
            "breakdowns": _breakdowns_dict(self.breakdowns),
        }


@dataclass(frozen=True)
class Reoffending:
    """Proven reoffending of one period's cohort (see DEFINITIONS["reoffending"])."""

    start: date
    end: date
    as_at: date
    cohort: int
    reoffenders: int
    reoffences: int
    binary_rate: float | None  # % of the cohort who reoffended, 1 dp
    per_reoffender: float | None  # 2 dp
    per_member: float | None  # 2 dp
    provisional: bool
    final_on: date
    breakdowns: Breakdowns = field(default_factory=dict)

    measure = "reoffending"

    @property
    def value(self) -> float | None:
        return self.binary_rate

    def as_dict(self) -> dict:
        return {
            "measure": self.measure,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_at": self.as_at.isoformat(),
            "cohort": self.cohort,
            "reoffenders": self.reoffenders,
            "reoffences": self.reoffences,
            "binary_rate": self.binary_rate,
            "per_reoffender": self.per_reoffender,
            "per_member": self.per_member,
            "provisional": self.provisional,
            "final_on": self.final_on.isoformat(),
            "breakdowns": _breakdowns_dict(self.breakdowns),
        }


def first_time_entrants(outcomes: Extract | Iterable[Outcome], start: date, end: date) -> Measure:
    """Children whose first substantive outcome in the whole extract falls in the period.

    The whole extract, not the period, decides "first": a child cautioned last year and
    sentenced this period is not a first-time entrant again. The breakdown cohort is every
    child with a triage, caution, court or custody outcome in the period, so the view shows
    who enters the system among the children the service dealt with."""
    ex = _extract(outcomes)
    entrants = ex.first_substantive.first_per_person(start, end)
    cohort = ex.fte_cohort.first_per_person(start, end)
    return Measure(
        measure="fte",
        start=start,
        end=end,
        count=len(entrants),
        value=len(entrants),
        cohort=len(cohort),
        outcome_people=len(entrants),
        breakdowns=breakdowns(cohort, entrants),
    )


def reoffending(
    outcomes: Extract | Iterable[Outcome], start: date, end: date, as_at: date
) -> Reoffending:
    """Proven reoffending of the children with a substantive outcome in the period for an
    offence committed at 10 to 17.

    A reoffence must be committed after the index date (an offence dealt with alongside the
    index one is not a reoffence) and within 12 months of it, and be proven within 18
    months: later proofs would make older cohorts look worse only because they have had
    longer. It counts at any age: the cohort is children, and a child who reoffends after
    turning 18 has reoffended (the MoJ proven reoffending definition). Until 18 months
    after the period ends the figure is provisional."""
    ex = _extract(outcomes)
    cohort = ex.substantive.first_per_person(start, min(end, as_at))
    reoffenders: set[str] = set()
    reoffences = 0
    for person, index in cohort.items():
        committed_by = months_after(index.outcome_date, FOLLOW_UP_MONTHS)
        proven_by = min(months_after(index.outcome_date, PROVING_MONTHS), as_at)
        found = 0
        for r in ex.proven[person]:
            if r.outcome_date > proven_by:
                break
            if index.outcome_date < r.offence_date <= committed_by:
                found += 1
        if found:
            reoffenders.add(person)
            reoffences += found
    size = len(cohort)
    final_on = months_after(end, PROVING_MONTHS)
    return Reoffending(
        start=start,
        end=end,
        as_at=as_at,
        cohort=size,
        reoffenders=len(reoffenders),
        reoffences=reoffences,
        binary_rate=_pct(len(reoffenders), size),
        per_reoffender=_ratio(reoffences, len(reoffenders)),
        per_member=_ratio(reoffences, size),
        provisional=as_at < final_on,
        final_on=final_on,
        breakdowns=breakdowns(cohort, reoffenders),
    )


def custody(outcomes: Extract | Iterable[Outcome], start: date, end: date) -> Measure:
    """Custodial sentences given to children aged 10 to 17 on the day, dated in the period,
    one per child per sentencing day.

    Age is taken at the sentence, as the YJB's use of custody counts sentences given to
    children: a sentence on or after the 18th birthday is an adult's. Counting (child, day)
    occasions stops a sentence recorded once per offence from counting several times; DTO
    licences are not custody (the DTO was counted when given). The breakdown compares the
    children sentenced to custody with every child given a court outcome in the period
    while aged 10 to 17: the population that could have been."""
    ex = _extract(outcomes)
    sentences = ex.custody.between(start, end)
    occasions = {(r.person_id, r.outcome_date) for r in sentences}
    people = {r.person_id for r in sentences}
    cohort = ex.court.first_per_person(start, end)
    return Measure(
        measure="custody",
        start=start,
        end=end,
        count=len(occasions),
        value=len(occasions),
        cohort=len(cohort),
        outcome_people=len(people),
        breakdowns=breakdowns(cohort, people),
    )


def triage_to_fte(
    outcomes: Extract | Iterable[Outcome], start: date, end: date, as_at: date
) -> Measure:
    """The % of children first triaged in the period who became first-time entrants on or
    within 12 months after that triage: how often diversion is followed by formal entry.
    Provisional until 12 months after the period ends."""
    ex = _extract(outcomes)
    cohort = ex.first_triage.first_per_person(start, min(end, as_at))
    entered = set()
    for person, triage in cohort.items():
        fte = ex.fte_date.get(person)
        if fte is None:
            continue
        limit = min(months_after(triage.outcome_date, TRIAGE_MONTHS), as_at)
        if triage.outcome_date <= fte <= limit:
            entered.add(person)
    final_on = months_after(end, TRIAGE_MONTHS)
    return Measure(
        measure="triage_to_fte",
        start=start,
        end=end,
        count=len(entered),
        value=_pct(len(entered), len(cohort)),
        cohort=len(cohort),
        outcome_people=len(entered),
        provisional=as_at < final_on,
        final_on=final_on,
        as_at=as_at,
        breakdowns=breakdowns(cohort, entered),
    )


def all_measures(
    outcomes: Extract | Sequence[Outcome], start: date, end: date, as_at: date
) -> dict[str, Measure | Reoffending]:
    """The four measures of one period, sharing one `Extract`."""
    ex = _extract(outcomes)
    return {
        "fte": first_time_entrants(ex, start, end),
        "reoffending": reoffending(ex, start, end, as_at),
        "custody": custody(ex, start, end),
        "triage_to_fte": triage_to_fte(ex, start, end, as_at),
    }
