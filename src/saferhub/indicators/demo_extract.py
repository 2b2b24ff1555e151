"""A fictional youth justice case-level extract for demos, tests and benchmarks.

Every child is invented (ids "YJ-00001", ...). The extract covers about the last four
financial years before `today`: triage, cautions, court orders, some custody with its DTO
licence, remands, bail, some reoffending, and a few children who turn 18 during their
follow-up: some rows are for offences at 18, which put no one in a cohort but count as
reoffences, and some sentences come after the 18th birthday, which are not a child's custody
(see `youth_justice`). Every row is valid for `extract.read_extract`, and the file is the same
for the same arguments.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from .extract import age_on
from .youth_justice import months_after

HEADER = (
    "Person ID",
    "Date of birth",
    "Sex",
    "Ethnicity",
    "Outcome type",
    "Outcome date",
    "Offence date",
    "Team",  # an extra column: ignored by the reader
)
ETHNICITIES = (
    ("White", 60),
    ("Black", 15),
    ("Asian", 8),
    ("Mixed", 9),
    ("Other", 3),
    ("Not known", 3),
    ("", 2),
)
SEXES = (("Male", 70), ("M", 8), ("Female", 17), ("F", 3), ("", 2))
# The escalation ladder of substantive outcomes, by step.
LADDER = (
    ("Youth Caution", "YC"),
    ("Youth Conditional Caution", "YCC"),
    ("Referral Order", "RO"),
    ("Youth Rehabilitation Order", "YRO"),
    ("Youth Rehabilitation Order",),
    ("DTO custody", "DTO"),
)
TEAMS = ("North", "South", "Central")


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _financial_year_start(today: date) -> date:
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def _tenth_birthday(dob: date) -> date:
    """The day `extract.age_on` first says 10: for 29 February, 1 March of a common year."""
    try:
        return dob.replace(year=dob.year + 10)
    except ValueError:
        return date(dob.year + 10, 3, 1)


def _person_rows(rng: random.Random, number: int, today: date, window: date) -> list[tuple]:
    person = f"YJ-{number:05d}"
    span = (today - window).days - 30
    entry = window + timedelta(days=rng.randrange(span))
    if rng.random() < 0.04:
        age_days = 17 * 365 + rng.randrange(150, 360)  # turns 18 during the follow-up:
        # later offences are adult reoffences, later sentences adult sentences
    else:
        age_days = rng.choice((10, 11, 12, 13, 13, 14, 14, 14, 15, 15, 15, 16, 16, 16, 17)) * 365
        age_days += rng.randrange(0, 360)
    dob = entry - timedelta(days=age_days)
    while age_on(dob, entry) < 10:  # 365-day years drift: keep everyone 10+ at entry
        dob -= timedelta(days=30)
    sex = _pick(rng, SEXES)
    ethnicity = _pick(rng, ETHNICITIES)
    team = rng.choice(TEAMS)
    tenth = _tenth_birthday(dob)
    rows: list[tuple] = []

    def add(outcome_type: str, outcome: date, offence: date) -> None:
        offence = min(max(offence, tenth), outcome)  # 10+ at the offence, never after it
        rows.append(
            (
                person,
                f"{dob:%d/%m/%Y}",
                sex,
                ethnicity,
                outcome_type,
                outcome.isoformat(),
                offence.isoformat(),
                team,
            )
        )

    day = entry
    if rng.random() < 0.4:
        add(rng.choice(("Triage", "Triage", "Youth triage", "Diversion")), day, day)
        if rng.random() < 0.55:
            return rows  # diverted: never seen again
        day += timedelta(days=rng.randrange(30, 420))
    # Persistent children get more outcomes; each tends to climb the ladder.
    outcomes = 1
    while outcomes < 9 and rng.random() < 0.68:
        outcomes += 1
    step = 0 if rng.random() < 0.7 else 2
    for _ in range(outcomes):
        if day > today:
            break
        offence = max(day - timedelta(days=rng.randrange(0, 120)), tenth)
        names = LADDER[min(step, len(LADDER) - 1)]
        name = rng.choice(names)
        if step >= 2 and rng.random() < 0.35:
            remand_day = min(offence + timedelta(days=rng.randrange(1, 10)), day)
            kind = "Remand" if step >= 4 and rng.random() < 0.5 else "Bail supervision"
            add(kind, remand_day, offence)
        if step >= 5 and rng.random() < 0.15:
            name = rng.choice(("Section 91", "Section 250"))
        add(name, day, offence)
        if name in ("DTO custody", "DTO"):
            licence = months_after(day, rng.choice((2, 3, 6, 9, 12)))
            if licence <= today:
                add("DTO licence", licence, offence)
        if rng.random() < 0.15:  # a second offence dealt with on the same day
            add(rng.choice(names), day, day - timedelta(days=rng.randrange(0, 200)))
        step += rng.choice((0, 1, 1, 1, 2))
        day += timedelta(days=rng.randrange(20, 330))
    return rows


def write_demo_extract(path: Path, *, today: date, seed: int = 7, people: int = 600) -> Path:
    """Write a CSV extract of `people` fictional children to `path`; deterministic for a
    seed. Returns the path."""
    rng = random.Random(seed)
    window = date(_financial_year_start(today).year - 4, 4, 1)
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(1, people + 1):
            writer.writerows(_person_rows(rng, number, today, window))
    return path
