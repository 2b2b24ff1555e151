"""Benchmark: a 10,000-row casework file previewed and imported; rows per second for each.

On a fresh SQLite site database (a temporary file, as the site runs) with `--existing` people
already recorded, writes a fictional ASB caseload CSV in an ASB unit's layout: one row per
person, two or three people a case, a tenth of the rows naming someone already in Safer Hub
and a tenth repeating a person from an earlier row (the similar-record check has real work).
Then times the preview (read, map, check every row, similar records in Safer Hub and in the
file, the audit entry) and the import (every record, case, role and note through the
services, each with its audit entry, in one transaction).

    .venv/bin/python bench/bench_casework_import.py [--rows 10000] [--existing 2000]
    BENCH_PROFILE=1 ... prints where the time goes.

Measured on the 2-core development machine while other work kept it busy (load average 14),
SQLite, 10,000 rows (4,313 cases, 8,012 new people, 1,096 existing records used, 892 rows the
same as an earlier row, 2,030 rows with similar records): preview 20.5 s (489 rows/s; the
row-by-row similar-record check it replaced ran at 53 rows/s); import 476 s (21 rows/s), of
which about 40% is the visibility policy's `access()`, computed twice by each `add_subject`
and `add_entry` (once to allow, once for the audit entry's purpose), and about 15% the audit
log. 1,000 rows: preview 1.0 s, import 22 s.

Since then each case service asks the policy once for both (`permissions.cleared`, with
`sharing.holding`'s `decide`), and `add_subject` also asks the attach rule itself (a record
the agency does not hold cannot go on its case, whoever calls). 2,000 rows, 500 existing
(860 cases), the two runs back to back on the same loaded machine (load average 7): import
71.8 s (28 rows/s) before, 53.7 s (37 rows/s) after, attach rule included; `access()` runs
1,994 times for 1,000 rows instead of about 3,550. Profiled, `access()` is still about 39% of
the import (now once a call), the attach rule about 11%, the audit log about 19%.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

GIVEN = [
    "Ada",
    "Bram",
    "Cleo",
    "Dev",
    "Esme",
    "Finn",
    "Gwen",
    "Hugo",
    "Ines",
    "Jago",
    "Kit",
    "Lori",
    "Milo",
    "Nell",
    "Otto",
    "Pia",
]
FAMILY_START = [
    "Test",
    "Exam",
    "Sam",
    "Fict",
    "Made",
    "Plac",
    "Dumm",
    "Mock",
    "Pseud",
    "Spec",
    "Trial",
    "Demo",
]
FAMILY_END = [
    "person",
    "name",
    "smith",
    "ional",
    "up",
    "holder",
    "son",
    "ery",
    "onym",
    "imen",
    "wood",
    "worth",
]


def person(rng: random.Random) -> tuple[str, str, date]:
    family = rng.choice(FAMILY_START) + rng.choice(FAMILY_END) + rng.choice(["", "e", "s", "ton"])
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
    return rng.choice(GIVEN), family, born


def caseload(rows: int, existing: list[tuple[str, str, date]], seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Case No",
            "Date Opened",
            "Case Type",
            "ASB Category",
            "Surname",
            "Forename(s)",
            "DOB",
            "Role",
            "Address",
            "Postcode",
            "Latest update",
        ]
    )
    seen: list[tuple[str, str, date]] = []
    written, case = 0, 0
    while written < rows:
        case += 1
        opened = date(2025, 1, 1) + timedelta(days=rng.randrange(600))
        for i in range(rng.choice((2, 2, 3))):
            if written >= rows:
                break
            pick = rng.random()
            if pick < 0.1 and existing:
                who = rng.choice(existing)
            elif pick < 0.2 and seen:
                who = rng.choice(seen)
            else:
                who = person(rng)
            seen.append(who)
            given, family, born = who
            writer.writerow(
                [
                    f"ASB/B/{case:05d}",
                    opened.strftime("%d/%m/%Y") if i == 0 else "",
                    "ASB" if i == 0 else "",
                    rng.choice(["Personal", "Nuisance", "Environmental"]) if i == 0 else "",
                    family,
                    given,
                    born.strftime("%d/%m/%Y"),
                    ("Victim", "Perpetrator", "Witness")[i],
                    f"{rng.randrange(1, 200)} {rng.choice(['Alder', 'Birch', 'Cedar'])} Road",
                    f"NB{rng.randrange(1, 9)} {rng.randrange(1, 9)}{rng.choice('ABDEFGH')}"
                    f"{rng.choice('LNPQRSTUWXYZ')}",
                    "Reported noise." if i == 0 and rng.random() < 0.3 else "",
                ]
            )
            written += 1
    return out.getvalue().encode()


def timed(label: str, fn, *args, rows: int = 0, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    rate = f"{rows / seconds:>10,.0f} rows/s" if rows else ""
    print(f"{label:<48}{seconds:>8.1f} s{rate}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=2_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-casework-import-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        SAFERHUB_SECRET_KEY="bench-only",
        SAFERHUB_STORE=str(folder / "evidence.duckdb"),
        DJANGO_SETTINGS_MODULE="saferhub.web.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from saferhub.accounts.models import Agency, AgencyType, Role, User
    from saferhub.cases.importing import apply, plan
    from saferhub.cases.importing.command import policy_sight
    from saferhub.cases.models import Case
    from saferhub.subjects import services
    from saferhub.subjects.entries import NameEntry, PersonDetails

    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(name="Eastmere Council (fictional)", type=AgencyType.COUNCIL)
    user = User.objects.create_user(
        "asb.officer@eastmere.example",
        None,
        full_name="An ASB officer",
        agency=agency,
        role=Role.PRACTITIONER,
    )
    rng = random.Random(1)
    people = [person(rng) for _ in range(args.existing)]

    def record_existing():
        for given, family, born in people:
            services.create_person(
                name=NameEntry(given, family), details=PersonDetails(date_of_birth=born), by=user
            )

    timed(f"record {args.existing:,} people first", record_existing)
    data = caseload(args.rows, people)
    print(f"file: {args.rows:,} rows, {len(data) / 1024 / 1024:.1f} MB")
    sight = policy_sight(user)

    def preview():
        return plan.preview(data, "caseload.csv", user=user, sight=sight)

    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("preview()", globals(), locals(), sort="cumtime")
    shown = timed("preview (read, check, similar records)", preview, rows=args.rows)
    assert shown.ok, [str(p) for p in shown.problems[:5]]
    counts = shown.counts()
    print(
        f"  {counts['cases']:,} cases, {counts['person']:,} new people, "
        f"{counts['existing']:,} existing records used, {counts['same']:,} rows the same as "
        f"an earlier row, {len(shown.with_matches):,} rows with similar records"
    )
    before = Case.objects.count()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("apply.apply(shown, user=user)", globals(), locals(), sort="tottime")
    else:
        timed(
            "import (one transaction, services, audit)",
            apply.apply,
            shown,
            user=user,
            rows=args.rows,
        )
    print(f"  cases stored: {Case.objects.count() - before:,}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
