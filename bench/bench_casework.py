"""Benchmark: casework at scale (issue 14), on PostgreSQL and on SQLite.

Generates a fictional partnership straight into a fresh database with bulk inserts (COPY on
PostgreSQL, executemany on SQLite) that respect the models: 40 agencies, practitioners spread
across them, people with names, aliases, addresses and NHS numbers, places, vehicles, groups,
cases in every business area with subjects in roles, chronology entries (some corrected),
tasks, documents, consent, grants (live and expired), access requests and break glass. The
derived keys the search and the similar-subject check rely on (phonetic `NameKey` rows, folded
search names, address keys, look-alike VRMs) come from the pure functions in
`subjects/normalise.py`, exactly as the services write them, without the services' per-row
audit entries. On PostgreSQL the loaded tables' secondary indexes and foreign keys are dropped
for the load and made again after it (which checks every foreign key), then VACUUM ANALYZE.

Then, as practitioners of one agency (the largest), it times each operation through the
functions the pages call, audited as they are on the site:

- name search through `sharing.search.search_box` (a full name, a misspelt surname, a
  surname alone);
- the similar-subject check for a new person (`duplicates.person_candidate` then
  `similar_subjects`): name, date of birth and, for half, a postcode;
- "my cases", the first page (`sharing.notices.my_cases`);
- a case page: `sharing.reading.open_case` and everything the page shows of it (subjects,
  chronology with authors and corrections, tasks with owners, documents, consent, grants).

and prints p50/p95/p99 per operation against the issue's aims (p95), pass or fail.

    .venv/bin/python bench/bench_casework.py --database postgresql [--scale 1]
    .venv/bin/python bench/bench_casework.py --database sqlite [--scale 1]
    .venv/bin/python bench/bench_casework.py --database sqlite --scale 0.01   # a quick run

Full size (`--scale 1`) is 1,000,000 people, 300,000 places and 500,000 cases on PostgreSQL
and a tenth of that on SQLite. PostgreSQL needs an empty database of its own whose name starts
with "bench" (`createdb -h 127.0.0.1 -U postgres bench_casework`; `--url` to name another);
its schema is dropped and made again unless `--reuse` keeps the data of an earlier run (new
migrations are applied first, so an index added since is timed too). `--explain` prints the
plans (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite) of each operation's
slowest queries.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

AIMS_MS = {
    "name search": 100.0,
    "similar-subject check": 100.0,
    "my cases": 150.0,
    "case page": 150.0,
}
FULL = {
    "postgresql": {"people": 1_000_000, "places": 300_000, "cases": 500_000},
    "sqlite": {"people": 100_000, "places": 30_000, "cases": 50_000},
}
AGENCIES = 40
PRACTITIONERS = 1000  # spread over the agencies by their size (at least 3 each)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_casework"
SEED = 14

# --- fictional vocabulary: small lists, combined ------------------------------------------------

GIVEN_START = [
    "Al",
    "Bel",
    "Cor",
    "Dar",
    "El",
    "Fen",
    "Gil",
    "Hal",
    "Is",
    "Jor",
    "Kel",
    "Lor",
    "Mar",
    "Nel",
    "Or",
    "Per",
    "Ros",
    "Sel",
    "Tam",
    "Ul",
    "Val",
    "Wen",
    "Yor",
    "Zel",
    "Bri",
]
GIVEN_END = ["a", "an", "ella", "ric", "ie", "o", "en", "yn", "is", "ia", "wen", "ard"]
FAMILY_START = [
    "Ash",
    "Birch",
    "Brack",
    "Carr",
    "Dun",
    "Elder",
    "Fen",
    "Gorse",
    "Hazel",
    "Holm",
    "Ivy",
    "Kirk",
    "Lark",
    "Marsh",
    "Moss",
    "Nettle",
    "Oak",
    "Pike",
    "Quarry",
    "Reed",
    "Rook",
    "Sedge",
    "Thorn",
    "Tarn",
    "Under",
    "Vale",
    "Wold",
    "Yew",
    "Alder",
    "Bram",
    "Cress",
    "Dale",
    "Fern",
    "Heath",
    "Lin",
    "Mere",
]
FAMILY_END = [
    "by",
    "croft",
    "dale",
    "field",
    "ford",
    "gate",
    "ham",
    "hurst",
    "ley",
    "low",
    "mere",
    "ridge",
    "stead",
    "ton",
    "well",
    "wick",
    "worth",
    "wood",
    "brook",
    "cott",
    "shaw",
    "thwaite",
    "side",
    "more",
]
STREET_TYPES = [
    "Road",
    "Street",
    "Lane",
    "Close",
    "Avenue",
    "Court",
    "Gardens",
    "Way",
    "Drive",
    "Terrace",
]
TOWNS = [
    "Eastmere",
    "Northbrook",
    "Westholm",
    "Southcroft",
    "Fenby",
    "Oakridge",
    "Marshton",
    "Kirkdale",
]
POSTCODE_AREAS = ("NB", "EM", "WH", "SX")  # no such postcode areas: fictional
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
ISSUES = (
    "Noise nuisance",
    "Harassment of neighbours",
    "Criminal damage",
    "Drug dealing concerns",
    "Youth disorder",
    "Threats to a resident",
    "Fly-tipping",
    "Hate incident",
    "Exploitation concerns",
    "Repeat domestic abuse",
    "Rough sleeping",
    "Begging and street drinking",
)
ENTRY_TEXTS = (
    "Visited the address; no answer, card left.",
    "Spoke to the resident by phone about the latest incident.",
    "Warning letter sent.",
    "Referred to the partnership problem-solving meeting.",
    "Decision: continue to monitor for four weeks.",
    "Neighbour reported further noise late at night.",
    "Joint visit with housing; the tenancy terms were explained.",
    "Outcome: acceptable behaviour contract signed.",
    "Police attended; no offences disclosed.",
    "Safety plan reviewed with the victim.",
)
TASK_TEXTS = (
    "Send the warning letter",
    "Arrange a joint visit",
    "Review the diary sheets",
    "Call the complainant back",
    "Check the CCTV request",
    "Prepare the case for the panel",
)
AGENCY_TYPES = [
    "police",
    "council",
    "housing",
    "probation",
    "health",
    "youth_offending",
    "fire",
    "education",
    "voluntary",
    "other",
]


@cache
def given_names() -> tuple[str, ...]:
    return tuple(a + b for a in GIVEN_START for b in GIVEN_END)


@cache
def family_names() -> tuple[str, ...]:
    return tuple(a + b for a in FAMILY_START for b in FAMILY_END)


def zipf_weights(count: int, s: float) -> list[float]:
    """Cumulative weights: a few common, a long tail, as names and agency sizes are."""
    total, out = 0.0, []
    for rank in range(1, count + 1):
        total += rank**-s
        out.append(total)
    return out


# --- the database -------------------------------------------------------------------------------


def setup_django(database: str, url: str, sqlite_path: Path, folder: Path) -> None:
    if database == "postgresql":
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    os.environ.setdefault("SAFERHUB_SECRET_KEY", "bench-only")
    os.environ["SAFERHUB_AUDIT_CHECKPOINTS"] = str(folder / "audit-checkpoints")
    os.environ["SAFERHUB_STORE"] = str(folder / "evidence.duckdb")
    os.environ["SAFERHUB_DOCUMENTS"] = str(folder / "documents")
    os.environ["DJANGO_SETTINGS_MODULE"] = "saferhub.web.settings"
    import django

    django.setup()


def reset_database(database: str, sqlite_path: Path) -> None:
    from django.db import connection

    if database == "sqlite":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    name = connection.settings_dict["NAME"]
    if not name.startswith("bench"):
        sys.exit(f"refusing to drop the schema of {name!r}: use a database named bench...")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


class Loader:
    """Bulk rows into one table: COPY on PostgreSQL, executemany on SQLite, in batches. The
    columns are checked against the model, so a model that gains a required column fails
    here, loudly, rather than loading rows the site could not have written."""

    BATCH = 100_000

    def __init__(self, model, columns: Iterable[str]) -> None:
        from django.db import connection

        self.model = model
        self.table = model._meta.db_table
        self.columns = tuple(columns)
        known = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in self.columns if c not in known]
        if unknown:
            raise SystemExit(f"{self.table}: no column {', '.join(unknown)}")
        missing = [
            c
            for c, f in known.items()
            if c not in self.columns and not f.null and f.db_default is f.NOT_PROVIDED
        ]
        if missing:
            raise SystemExit(f"{self.table}: the bench gives no value for {', '.join(missing)}")
        self.rows: list[tuple] = []
        self.count = 0
        self.postgresql = connection.vendor == "postgresql"

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if not self.rows:
            return
        cols = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if self.postgresql:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(self.columns))
                cursor.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", self.rows)
        self.count += len(self.rows)
        self.rows = []


class Stamp:
    """Dates and instants as the text each database stores (Django's own formats)."""

    def __init__(self, postgresql: bool) -> None:
        self.suffix = "+00:00" if postgresql else ""

    def at(self, moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S") + self.suffix


def loaded_tables() -> list[str]:
    from django.apps import apps

    labels = [
        "accounts.Agency",
        "accounts.User",
        "subjects.Subject",
        "subjects.Person",
        "subjects.PersonName",
        "subjects.NameKey",
        "subjects.PersonAddress",
        "subjects.Identifier",
        "subjects.Place",
        "subjects.Vehicle",
        "subjects.Group",
        "cases.ReferenceCounter",
        "cases.Case",
        "cases.CaseSubject",
        "cases.ChronologyEntry",
        "cases.Task",
        "cases.Document",
        "sharing.InformationSharingAgreement",
        "sharing.Grant",
        "sharing.GrantSubject",
        "sharing.AccessRequest",
        "sharing.BreakGlass",
        "sharing.Consent",
    ]
    tables = [apps.get_model(label)._meta.db_table for label in labels]
    agreement = apps.get_model("sharing.InformationSharingAgreement")
    tables.append(agreement.parties.through._meta.db_table)
    return tables


def drop_for_load(tables: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """PostgreSQL: drop the secondary indexes and foreign keys of `tables`; return how to
    make them again (indexes first, then the keys, which are checked as they are added)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [d for _, d in indexes], [
        (table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table, name, definition in keys
    ]


def restore_after_load(indexes: list[str], keys: list[tuple[str, str]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for definition in indexes:
            cursor.execute(definition)
        for _table, statement in keys:
            cursor.execute(statement)


# --- generation ---------------------------------------------------------------------------------


@dataclass
class World:
    """What the timing needs to know of the generated data (ids and ranges)."""

    agencies: list[int] = field(default_factory=list)
    practitioners: dict[int, list[int]] = field(default_factory=dict)  # agency -> users
    people: range = range(0)
    places: range = range(0)
    postcodes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def generate(sizes: dict[str, int], *, now: datetime, rng: random.Random) -> World:
    from django.apps import apps
    from django.db import connection, transaction

    from saferhub.subjects import normalise as n
    from saferhub.subjects.entries import PlaceDetails

    M = apps.get_model
    postgresql = connection.vendor == "postgresql"
    stamp = Stamp(postgresql).at
    today = now.date()
    world = World()
    people, places, cases = sizes["people"], sizes["places"], sizes["cases"]
    vehicles, groups = max(10, people // 50), max(5, people // 300)

    @cache
    def person_keys(given: str, family: str) -> tuple[str, ...]:
        return tuple(sorted(n.name_keys(given, family)))

    @cache
    def folded(given: str, family: str) -> str:
        return n.search_name(given, family)[:210]

    def pick(cumulative: list[float], items):
        return items[_bisect(cumulative, rng.random() * cumulative[-1])]

    # Agencies and practitioners -----------------------------------------------------------
    agency_weights = zipf_weights(AGENCIES, 0.8)
    shares = [
        (agency_weights[i] - (agency_weights[i - 1] if i else 0)) / agency_weights[-1]
        for i in range(AGENCIES)
    ]
    agency_rows = Loader(M("accounts.Agency"), ("id", "name", "type"))
    user_rows = Loader(
        M("accounts.User"),
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "email",
            "full_name",
            "agency_id",
            "role",
            "is_data_protection_officer",
            "is_active",
            "is_staff",
            "date_joined",
            "must_change_password",
        ],
    )
    joined = stamp(now - timedelta(days=3000))
    user_id = 0
    givens, families = given_names(), family_names()
    for index in range(AGENCIES):
        agency_id = index + 1
        kind = AGENCY_TYPES[index % len(AGENCY_TYPES)]
        agency_rows.add((agency_id, f"Fictional {kind.replace('_', ' ')} agency {agency_id}", kind))
        world.agencies.append(agency_id)
        staff = max(3, round(PRACTITIONERS * shares[index]))
        world.practitioners[agency_id] = []
        for _ in range(staff):
            user_id += 1
            name = f"{givens[user_id % len(givens)]} {families[(user_id * 7) % len(families)]}"
            user_rows.add(
                (
                    user_id,
                    "!bench",  # unusable: nobody signs in as these
                    None,
                    False,
                    f"practitioner{user_id}@agency{agency_id}.example",
                    name,
                    agency_id,
                    "practitioner",
                    False,
                    True,
                    False,
                    joined,
                    False,
                )
            )
            world.practitioners[agency_id].append(user_id)
    user_id += 1
    dpo = user_id
    user_rows.add(
        (dpo, "!bench", None, False, "dpo@agency1.example", "Data Protection Officer", 1)
        + ("admin", True, True, False, joined, False)
    )
    all_practitioners = [u for users in world.practitioners.values() for u in users]
    agency_of = {u: a for a, users in world.practitioners.items() for u in users}

    # Subjects --------------------------------------------------------------------------------
    subject_rows = Loader(
        M("subjects.Subject"),
        ("id", "kind", "display_name", "created_by_id", "created_at", "merged_into_id", "version"),
    )
    person_rows = Loader(
        M("subjects.Person"),
        (
            "subject_id",
            "date_of_birth",
            "estimated_age",
            "age_estimated_on",
            "gender",
            "gender_description",
        ),
    )
    name_rows = Loader(
        M("subjects.PersonName"),
        [
            "id",
            "subject_id",
            "created_by_id",
            "created_at",
            "given_names",
            "family_name",
            "type",
            "used_from",
            "used_to",
            "search_name",
        ],
    )
    key_rows = Loader(M("subjects.NameKey"), ("id", "subject_id", "name_id", "key"))
    address_rows = Loader(
        M("subjects.PersonAddress"),
        [
            "id",
            "subject_id",
            "created_by_id",
            "created_at",
            "place_id",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "uprn",
            "address_key",
            "lived_from",
            "lived_to",
        ],
    )
    identifier_rows = Loader(
        M("subjects.Identifier"),
        ["id", "subject_id", "created_by_id", "created_at", "type", "value", "issued_by", "label"],
    )
    place_rows = Loader(
        M("subjects.Place"),
        [
            "subject_id",
            "place_type",
            "name",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "uprn",
            "address_key",
            "easting",
            "northing",
            "latitude",
            "longitude",
            "ward_code",
            "ward_name",
            "lsoa_code",
            "lsoa_name",
            "area_status",
        ],
    )
    vehicle_rows = Loader(
        M("subjects.Vehicle"),
        ("subject_id", "vrm", "vrm_entered", "vrm_lookalike", "make", "model", "colour"),
    )
    group_rows = Loader(M("subjects.Group"), ("subject_id", "group_type", "name", "description"))

    # Postcodes: about 15 addresses each, as in the UK.
    codes = set()
    while len(codes) < max(50, places // 15):
        area = POSTCODE_AREAS[rng.randrange(len(POSTCODE_AREAS))]
        inward = rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
        codes.add(f"{area}{rng.randint(1, 29)} {rng.randint(0, 9)}{inward}")
    world.postcodes = sorted(codes)
    streets = [f"{a} {t}" for a in FAMILY_START for t in STREET_TYPES]

    subject_id = 0
    # Places first: people's addresses point at them.
    first_place = 1
    place_info: list[tuple[int, str, str, str]] = []  # (id, postcode, uprn, address key)
    place_types = ["dwelling"] * 17 + ["shop", "licensed_premises", "park", "street"]
    for i in range(places):
        subject_id += 1
        kind = place_types[rng.randrange(len(place_types))]
        name = (
            ""
            if kind == "dwelling"
            else f"The {rng.choice(FAMILY_START)} {kind.split('_')[0].title()}"
        )
        line_1 = f"{rng.randint(1, 240)} {streets[rng.randrange(len(streets))]}"
        town = TOWNS[rng.randrange(len(TOWNS))]
        code = world.postcodes[rng.randrange(len(world.postcodes))]
        uprn = str(100_000_000_000 + i) if rng.random() < 0.8 else ""
        details = PlaceDetails(
            place_type=kind, name=name, line_1=line_1, town=town, postcode=code, uprn=uprn
        )
        key = n.address_key(name, line_1, "", code)[:400]
        creator = all_practitioners[rng.randrange(len(all_practitioners))]
        created = now - timedelta(days=rng.randint(0, 3000), seconds=rng.randint(0, 86399))
        subject_rows.add(
            (subject_id, "place", details.label[:300], creator, stamp(created), None, 1)
        )
        place_rows.add(
            (subject_id, kind, name, line_1, "", town, code, uprn, key, None, None, None, None)
            + ("", "", "", "", "no_point")
        )
        place_info.append((subject_id, code, uprn, key))
    world.places = range(first_place, subject_id + 1)

    first_person = subject_id + 1
    given_cum, family_cum = zipf_weights(len(givens), 0.7), zipf_weights(len(families), 0.5)
    shuffled_given = list(givens)
    shuffled_family = list(families)
    rng.shuffle(shuffled_given)
    rng.shuffle(shuffled_family)
    genders = ["female", "male", "female", "male", "not_known", "non_binary"]
    name_id = key_id = address_id = identifier_id = 0
    for _ in range(people):
        subject_id += 1
        given = pick(given_cum, shuffled_given)
        if rng.random() < 0.35:
            given += " " + pick(given_cum, shuffled_given)
        family = pick(family_cum, shuffled_family)
        creator = all_practitioners[rng.randrange(len(all_practitioners))]
        created = stamp(now - timedelta(days=rng.randint(0, 3000), seconds=rng.randint(0, 86399)))
        subject_rows.add(
            (subject_id, "person", f"{given} {family}"[:300], creator, created, None, 1)
        )
        roll = rng.random()
        if roll < 0.8:
            born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 27000))
            person_rows.add(
                (subject_id, born.isoformat(), None, None, genders[rng.randrange(6)], "")
            )
        elif roll < 0.9:
            on = today - timedelta(days=rng.randint(0, 2000))
            person_rows.add(
                (
                    subject_id,
                    None,
                    rng.randint(14, 70),
                    on.isoformat(),
                    genders[rng.randrange(6)],
                    "",
                )
            )
        else:
            person_rows.add((subject_id, None, None, None, "", ""))
        names = [(given, family, "main")]
        if rng.random() < 0.08:
            names.append(
                (
                    given.split()[0],
                    pick(family_cum, shuffled_family),
                    rng.choice(["alias", "previous", "maiden"]),
                )
            )
        for g, f, kind in names:
            name_id += 1
            name_rows.add(
                (name_id, subject_id, creator, created, g, f, kind, None, None, folded(g, f))
            )
            for key in person_keys(g, f):
                key_id += 1
                key_rows.add((key_id, subject_id, name_id, key))
        if rng.random() < 0.7:
            for moved in range(2 if rng.random() < 0.15 else 1):
                address_id += 1
                since = (today - timedelta(days=rng.randint(0, 4000))).isoformat()
                if rng.random() < 0.6:
                    pid, code, uprn, key = place_info[rng.randrange(len(place_info))]
                    address_rows.add(
                        (
                            address_id,
                            subject_id,
                            creator,
                            created,
                            pid,
                            "",
                            "",
                            "",
                            code,
                            uprn,
                            key,
                            since,
                            None,
                        )
                    )
                else:
                    line_1 = f"{rng.randint(1, 240)} {streets[rng.randrange(len(streets))]}"
                    code = world.postcodes[rng.randrange(len(world.postcodes))]
                    key = n.address_key(line_1, "", code)[:400]
                    address_rows.add(
                        (
                            address_id,
                            subject_id,
                            creator,
                            created,
                            None,
                            line_1,
                            "",
                            TOWNS[rng.randrange(len(TOWNS))],
                            code,
                            "",
                            key,
                            since,
                            None,
                        )
                    )
        if rng.random() < 0.1:
            identifier_id += 1
            identifier_rows.add(
                (identifier_id, subject_id, creator, created, "nhs", nhs_number(rng), "", "")
            )
    world.people = range(first_person, subject_id + 1)

    first_vehicle = subject_id + 1
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    for _ in range(vehicles):
        subject_id += 1
        mark = (
            rng.choice(letters)
            + rng.choice(letters)
            + f"{rng.randint(0, 99):02d}"
            + "".join(rng.choice(letters) for _ in range(3))
        )
        creator = all_practitioners[rng.randrange(len(all_practitioners))]
        subject_rows.add(
            (
                subject_id,
                "vehicle",
                n.vrm_display(mark),
                creator,
                stamp(now - timedelta(days=rng.randint(0, 3000))),
                None,
                1,
            )
        )
        vehicle_rows.add(
            (
                subject_id,
                mark,
                n.vrm_display(mark),
                n.vrm_lookalike(mark),
                "Fictional",
                "Model",
                "Blue",
            )
        )
    vehicles_range = range(first_vehicle, subject_id + 1)
    first_group = subject_id + 1
    for _ in range(groups):
        subject_id += 1
        name = f"{rng.choice(FAMILY_START)} {rng.choice(STREET_TYPES)} {rng.choice(['Crew', 'Boys', 'Family', 'Lot'])}"
        creator = all_practitioners[rng.randrange(len(all_practitioners))]
        subject_rows.add(
            (
                subject_id,
                "group",
                name,
                creator,
                stamp(now - timedelta(days=rng.randint(0, 3000))),
                None,
                1,
            )
        )
        group_rows.add(
            (subject_id, rng.choice(["gang", "family", "street_group", "other"]), name, "")
        )
        for key in sorted(n.group_name_keys(name)):
            key_id += 1
            key_rows.add((key_id, subject_id, None, key))
    groups_range = range(first_group, subject_id + 1)

    # Cases -----------------------------------------------------------------------------------
    from saferhub.cases.schema import FieldType, clean_values

    areas = []
    for area in M("cases.BusinessArea").objects.order_by("id"):
        choices = [
            (s.name, s.choices, s.required) for s in area.schema if s.type is FieldType.CHOICE
        ]
        required = [s for s in area.schema if s.required and s.type is not FieldType.CHOICE]
        if required:
            raise SystemExit(f"business area {area.code}: a required {required[0].type} field")
        areas.append((area.pk, area.code, list(area.reasons), choices, area.schema))

    def extra_fields(choices) -> str:
        values = {
            name: options[rng.randrange(len(options))]
            for name, options, required in choices
            if required or rng.random() < 0.6
        }
        return json.dumps(values)

    for _, code, _, choices, schema in areas:  # the fields as the case services check them
        values = json.loads(extra_fields(choices))
        if clean_values(schema, values) != values:
            raise SystemExit(f"business area {code}: the bench's fields do not pass its schema")
    agreement_rows = Loader(
        M("sharing.InformationSharingAgreement"),
        [
            "id",
            "lawful_basis",
            "special_category_condition",
            "criminal_offence_data",
            "dpa_condition",
            "title",
            "purpose",
            "data_items",
            "legal_gateway",
            "retention",
            "review_on",
            "signed_on",
            "document_name",
            "document_storage_name",
            "document_sha256",
            "document_size",
            "document_content_type",
            "created_by_id",
            "created_at",
            "updated_by_id",
            "updated_at",
            "version",
        ],
    )
    Agreement = M("sharing.InformationSharingAgreement")
    party_rows = Loader(
        Agreement.parties.through, ("id", "informationsharingagreement_id", "agency_id")
    )
    agreement_rows.add(
        (1, "public_task", "g", True, "s1_18", "Fictional partnership sharing agreement")
        + ("Reducing crime and disorder and protecting victims", "Names, addresses, incidents")
        + ("Crime and Disorder Act 1998 s115", "Six years after the case closes")
        + ((today + timedelta(days=200)).isoformat(), (today - timedelta(days=900)).isoformat())
        + ("", "", "", None, "", dpo, stamp(now - timedelta(days=900)), None, None, 1)
    )
    for i, agency_id in enumerate(world.agencies, 1):
        party_rows.add((i, 1, agency_id))

    case_rows = Loader(
        M("cases.Case"),
        [
            "id",
            "reference",
            "title",
            "business_area_id",
            "lead_agency_id",
            "lead_officer_id",
            "status",
            "closure_reason",
            "closed_on",
            "extra",
            "opened_on",
            "created_by_id",
            "created_at",
            "updated_by_id",
            "updated_at",
            "version",
        ],
    )
    role_rows = Loader(
        M("cases.CaseSubject"),
        ("id", "case_id", "subject_id", "role", "added_by_id", "added_at", "merged_from_id"),
    )
    entry_rows = Loader(
        M("cases.ChronologyEntry"),
        [
            "id",
            "case_id",
            "type",
            "text",
            "sensitive",
            "author_id",
            "agency_id",
            "event_date",
            "recorded_at",
            "corrects_id",
        ],
    )
    task_rows = Loader(
        M("cases.Task"),
        [
            "id",
            "case_id",
            "description",
            "owner_user_id",
            "owner_agency_id",
            "due_on",
            "status",
            "created_by_id",
            "created_at",
            "finished_at",
            "updated_by_id",
            "updated_at",
            "version",
        ],
    )
    document_rows = Loader(
        M("cases.Document"),
        [
            "id",
            "case_id",
            "filename",
            "file_type",
            "content_type",
            "size",
            "sha256",
            "storage_name",
            "description",
            "uploaded_by_id",
            "agency_id",
            "uploaded_at",
        ],
    )
    grant_rows = Loader(
        M("sharing.Grant"),
        [
            "id",
            "lawful_basis",
            "special_category_condition",
            "criminal_offence_data",
            "dpa_condition",
            "case_id",
            "agency_id",
            "scope",
            "include_special_category",
            "agreement_id",
            "purpose",
            "starts_at",
            "expires_at",
            "granted_by_id",
            "granted_at",
            "revoked_at",
            "revoked_by_id",
            "revoke_reason",
            "access_request_id",
        ],
    )
    named_rows = Loader(
        M("sharing.GrantSubject"), ("id", "grant_id", "subject_id", "merged_from_id")
    )
    request_rows = Loader(
        M("sharing.AccessRequest"),
        [
            "id",
            "requester_id",
            "case_id",
            "subject_id",
            "reason",
            "status",
            "requested_at",
            "decided_by_id",
            "decided_at",
            "decision_reason",
        ],
    )
    glass_rows = Loader(
        M("sharing.BreakGlass"),
        [
            "id",
            "user_id",
            "case_id",
            "reason",
            "starts_at",
            "ends_at",
            "reviewed_by_id",
            "reviewed_at",
            "outcome",
            "review_notes",
        ],
    )
    consent_rows = Loader(
        M("sharing.Consent"),
        [
            "id",
            "case_id",
            "subject_id",
            "status",
            "lawful_basis",
            "recorded_on",
            "recorded_by_id",
            "recorded_at",
            "notes",
            "version",
            "merged_from_id",
        ],
    )
    counter_rows = Loader(M("cases.ReferenceCounter"), ("id", "prefix", "year", "last"))

    counters: dict[tuple[str, int], int] = {}
    role_id = entry_id = task_id = document_id = grant_id = named_id = 0
    request_id = glass_id = consent_id = 0
    entry_types = ["incident", "contact", "note", "decision", "referral", "outcome"]
    span = 8 * 365
    person_count = len(world.people)
    for case_id in range(1, cases + 1):
        agency_id = world.agencies[_bisect(agency_weights, rng.random() * agency_weights[-1])]
        staff = world.practitioners[agency_id]
        officer = staff[rng.randrange(len(staff))]
        age = int(span * rng.random() ** 1.3)  # more recent cases than old ones
        opened = today - timedelta(days=age)
        area_id, code, reasons, choices, _ = areas[rng.randrange(len(areas))]
        counters[(code, opened.year)] = number = counters.get((code, opened.year), 0) + 1
        roll = rng.random()
        if age < 365:
            status = "open" if roll < 0.55 else "under_review" if roll < 0.65 else "closed"
        else:
            status = "open" if roll < 0.04 else "under_review" if roll < 0.05 else "closed"
        closed = None
        if status == "closed":
            closed = opened + timedelta(days=rng.randint(0, max(0, min(age, 400))))
        created_at = datetime(opened.year, opened.month, opened.day, 9, tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 480)
        )
        case_rows.add(
            (
                case_id,
                f"{code}-{opened.year}-{number:06d}",
                f"{ISSUES[rng.randrange(len(ISSUES))]} at {streets[rng.randrange(len(streets))]}",
                area_id,
                agency_id,
                officer,
                status,
                reasons[rng.randrange(len(reasons))] if closed else "",
                closed.isoformat() if closed else None,
                extra_fields(choices),
                opened.isoformat(),
                officer,
                stamp(created_at),
                None,
                None,
                1,
            )
        )
        added = stamp(created_at)
        # Subjects in roles: people (some on many cases), a place, now and then a vehicle.
        on_case: list[tuple[int, str]] = []
        count = 1 + (rng.random() < 0.6) + (rng.random() < 0.35) + (rng.random() < 0.15)
        roles = [
            "victim" if rng.random() < 0.7 else "complainant",
            "perpetrator",
            "witness",
            "associate",
        ]
        for k in range(count):
            skew = rng.random() ** 3 if rng.random() < 0.4 else rng.random()
            person = world.people[int(skew * person_count)]
            if any(s == person for s, _ in on_case):
                continue
            on_case.append((person, roles[k]))
        if rng.random() < 0.4:
            on_case.append((world.places[rng.randrange(len(world.places))], "location"))
        if rng.random() < 0.03:
            on_case.append((vehicles_range[rng.randrange(len(vehicles_range))], "vehicle"))
        if rng.random() < 0.02:
            on_case.append((groups_range[rng.randrange(len(groups_range))], "associate"))
        for subject, role in on_case:
            role_id += 1
            role_rows.add((role_id, case_id, subject, role, officer, added, None))
        # Chronology: a few dated entries; now and then one corrects an earlier one.
        last_day = closed or today
        days = max(0, (last_day - opened).days)
        ids_here: list[int] = []
        corrected_here: set[int] = set()
        for _ in range(rng.randint(1, 7)):
            entry_id += 1
            author = officer if rng.random() < 0.8 else staff[rng.randrange(len(staff))]
            event = opened + timedelta(days=rng.randint(0, days))
            recorded = datetime(event.year, event.month, event.day, 10, tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, 600)
            )
            corrects = None
            if ids_here and rng.random() < 0.03:
                target = ids_here[rng.randrange(len(ids_here))]
                if target not in corrected_here:
                    corrects = target
                    corrected_here.add(target)
            entry_rows.add(
                (
                    entry_id,
                    case_id,
                    entry_types[rng.randrange(6)],
                    ENTRY_TEXTS[rng.randrange(len(ENTRY_TEXTS))],
                    rng.random() < 0.1,
                    author,
                    agency_of[author],
                    event.isoformat(),
                    stamp(recorded),
                    corrects,
                )
            )
            ids_here.append(entry_id)
        # Tasks: open on open cases (some overdue), done or cancelled on closed ones.
        for _ in range((rng.random() < 0.7) + (rng.random() < 0.3)):
            task_id += 1
            if rng.random() < 0.75:
                owner_user = officer if rng.random() < 0.6 else staff[rng.randrange(len(staff))]
                owner_agency = None
            else:
                owner_user, owner_agency = None, agency_id
            if status == "closed":
                task_status = "done" if rng.random() < 0.9 else "cancelled"
                due = opened + timedelta(days=rng.randint(0, days))
                finished = stamp(created_at + timedelta(days=rng.randint(0, days)))
            else:
                task_status = "open" if rng.random() < 0.7 else "done"
                due = today + timedelta(days=rng.randint(-30, 60))
                finished = None if task_status == "open" else stamp(now - timedelta(days=1))
            task_rows.add(
                (
                    task_id,
                    case_id,
                    TASK_TEXTS[rng.randrange(len(TASK_TEXTS))],
                    owner_user,
                    owner_agency,
                    due.isoformat(),
                    task_status,
                    officer,
                    added,
                    finished,
                    None,
                    None,
                    1,
                )
            )
        if rng.random() < 0.15:
            document_id += 1
            document_rows.add(
                (document_id, case_id, f"letter-{document_id}.pdf", "pdf", "application/pdf")
                + (20_000 + document_id % 5000, f"{document_id:064x}", f"bench/{document_id}")
                + ("Letter", officer, agency_id, added)
            )
        people_here = [s for s, r in on_case if r in ("victim", "complainant")]
        if people_here and rng.random() < 0.2:
            consent_id += 1
            consent_rows.add(
                (
                    consent_id,
                    case_id,
                    people_here[0],
                    rng.choice(["given", "refused", "not_sought"]),
                )
                + ("public_task", opened.isoformat(), officer, added, "", 1, None)
            )
        # Sharing: some cases shared with another agency, most grants live, some expired.
        if rng.random() < 0.08:
            grant_id += 1
            other = world.agencies[_bisect(agency_weights, rng.random() * agency_weights[-1])]
            if other == agency_id:
                other = world.agencies[(world.agencies.index(agency_id) + 1) % AGENCIES]
            scope = rng.choices(["whole", "chronology_tasks", "named_subjects"], [50, 35, 15])[0]
            live = rng.random() < 0.7 and status != "closed"
            starts = now - timedelta(days=rng.randint(1, 200))
            expires = (
                now + timedelta(days=rng.randint(1, 150)) if live else starts + timedelta(days=30)
            )
            if expires <= starts:
                expires = starts + timedelta(days=1)
            grant_rows.add(
                (grant_id, "public_task", "", False, "", case_id, other, scope, False, 1)
                + ("Joint problem-solving", stamp(starts), stamp(expires), officer, stamp(starts))
                + (None, None, "", None)
            )
            if scope == "named_subjects" and on_case:
                named_id += 1
                named_rows.add((named_id, grant_id, on_case[0][0], None))
        if rng.random() < 0.002 and status != "closed" and on_case:
            request_id += 1
            other = world.agencies[(world.agencies.index(agency_id) + 3) % AGENCIES]
            requester = world.practitioners[other][0]
            request_rows.add(
                (request_id, requester, case_id, on_case[0][0], "Working with the family")
                + ("pending", stamp(now - timedelta(days=2)), None, None, "")
            )
        if rng.random() < 0.0005:
            glass_id += 1
            other = world.agencies[(world.agencies.index(agency_id) + 5) % AGENCIES]
            user = world.practitioners[other][-1]
            starts = now - timedelta(hours=rng.randint(1, 5000))
            glass_rows.add(
                (glass_id, user, case_id, "Immediate risk to a child", stamp(starts))
                + (stamp(starts + timedelta(hours=4)), None, None, "", "")
            )
    for i, ((prefix, year), last) in enumerate(sorted(counters.items()), 1):
        counter_rows.add((i, prefix, year, last))

    loaders = [
        agency_rows, user_rows, subject_rows, person_rows, name_rows, key_rows, place_rows,
        address_rows, identifier_rows, vehicle_rows, group_rows, agreement_rows, party_rows,
        case_rows, role_rows, entry_rows, task_rows, document_rows, grant_rows, named_rows,
        request_rows, glass_rows, consent_rows, counter_rows,
    ]  # fmt: skip
    with transaction.atomic():
        for loader in loaders:
            loader.flush()
    world.counts = {loader.table: loader.count for loader in loaders}
    return world


def _bisect(cumulative: list[float], value: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def load(sizes: dict[str, int], *, now: datetime, rng: random.Random) -> World:
    """Generate into the empty migrated database, PostgreSQL with its indexes and keys off."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    restore = drop_for_load(loaded_tables()) if postgresql else None
    if not postgresql:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    world = _with_buffered_flush(sizes, now=now, rng=rng)
    print(f"  rows generated and loaded in {time.perf_counter() - started:.0f} s")
    if restore is not None:
        started = time.perf_counter()
        restore_after_load(*restore)
        print(f"  indexes made and foreign keys checked in {time.perf_counter() - started:.0f} s")
    models = [m for m in apps.get_models() if m._meta.db_table in set(loaded_tables())]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")
    print(
        f"  {'VACUUM ANALYZE' if postgresql else 'ANALYZE'} in {time.perf_counter() - started:.0f} s"
    )
    return world


def _with_buffered_flush(sizes, *, now, rng) -> World:
    """`generate`, flushing each table's rows as its buffer fills. On SQLite the whole load
    is one transaction (its flushes inside it); PostgreSQL commits each COPY batch."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        return generate(sizes, now=now, rng=rng)
    with transaction.atomic():
        return generate(sizes, now=now, rng=rng)


def world_of_database() -> World:
    """The same facts as `generate` returns, read back from a database loaded before."""
    from django.apps import apps
    from django.db.models import Max, Min

    User = apps.get_model("accounts.User")
    Subject = apps.get_model("subjects.Subject")
    Place = apps.get_model("subjects.Place")
    world = World()
    for user_id, agency_id in (
        User.objects.filter(role="practitioner").order_by("id").values_list("id", "agency_id")
    ):
        world.practitioners.setdefault(agency_id, []).append(user_id)
    world.agencies = sorted(world.practitioners)
    bounds = Subject.objects.filter(kind="person").aggregate(lo=Min("id"), hi=Max("id"))
    world.people = range(bounds["lo"], bounds["hi"] + 1)
    bounds = Subject.objects.filter(kind="place").aggregate(lo=Min("id"), hi=Max("id"))
    world.places = range(bounds["lo"], bounds["hi"] + 1)
    world.postcodes = sorted(set(Place.objects.values_list("postcode", flat=True)[:20000]))
    return world


# --- timing -------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[rank]


@dataclass
class Result:
    name: str
    aim: str
    times: list[float]  # wall-clock ms
    python: list[float]  # CPU ms of this process (Django, the policy, scoring; SQLite too)
    database: list[float]  # CPU ms of its PostgreSQL backend
    queries: float = 0.0

    @property
    def cpu(self) -> list[float]:
        return [a + b for a, b in zip(self.python, self.database, strict=True)]

    def row(self) -> str:
        aim = AIMS_MS[self.aim]
        wall = [percentile(self.times, p) for p in (50, 95, 99)]
        cpu = [percentile(self.cpu, p) for p in (50, 95)]
        split = f"{statistics.median(self.python):.0f}+{statistics.median(self.database):.0f}"
        return (
            f"{self.name:<36}{len(self.times):>5}"
            + "".join(f"{v:>8.1f}" for v in wall)
            + "".join(f"{v:>8.1f}" for v in cpu)
            + f"{split:>9}{self.queries:>5.0f}   < {aim:.0f} ms  {_verdict(wall[1], aim)} / "
            + _verdict(cpu[1], aim)
        )


HEADER = (
    f"{'operation':<36}{'calls':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'cpu p50':>8}{'cpu p95':>8}"
    f"{'py+db':>9}{'sql':>5}   aim (p95)  wall / cpu"
)


def _verdict(value: float, aim: float) -> str:
    return "pass" if value < aim else "FAIL"


def cpu_ms() -> tuple[float, float]:
    """CPU used so far by this process, and by the PostgreSQL backend serving it (from
    /proc/PID/schedstat, in nanoseconds): what a call costs whatever else the machine runs.
    The backend's parallel workers, if a plan starts any, are not counted."""
    from django.db import connection

    backend = 0.0
    if connection.vendor == "postgresql" and connection.connection is not None:
        try:
            with open(f"/proc/{connection.connection.info.backend_pid}/schedstat") as stat:
                backend = int(stat.read().split()[0]) / 1e6
        except OSError:  # a database on another machine: this process's CPU only
            pass
    return time.process_time() * 1000, backend


def run(name: str, aim: str, inputs: list, fn: Callable, *, warmup: int) -> Result:
    """`warmup` calls (their queries counted), then one timed call per input."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for arg in inputs[:warmup]:
            fn(arg)
    times, python, database = [], [], []
    for arg in inputs:
        started, (own, backend) = time.perf_counter(), cpu_ms()
        fn(arg)
        times.append((time.perf_counter() - started) * 1000)
        own_after, backend_after = cpu_ms()
        python.append(own_after - own)
        database.append(backend_after - backend)
    return Result(name, aim, times, python, database, len(captured) / max(1, warmup))


def explain(name: str, arg, fn: Callable, *, top: int = 3) -> None:
    """Print the plans of the slowest SELECTs one call makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn(arg)
    selects = [
        q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]
    selects.sort(key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    print(f"\n=== {name}: {len(captured)} queries, {total:.1f} ms in the database")
    for q in selects[:top]:
        print(f"\n--- {float(q['time']) * 1000:.1f} ms: {q['sql'][:1500]}")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + q["sql"])
            for row in cursor.fetchall():
                print("   ", " | ".join(str(c) for c in row))


def misspelt(word: str, rng: random.Random) -> str:
    """One adjacent pair of letters swapped (not the first letter): "Ashby" → "Asbhy"."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def workload(world: World, rng: random.Random, iterations: int, agency_id: int) -> dict:
    """The inputs each timed operation cycles through, drawn from the generated data."""
    from django.apps import apps

    PersonName = apps.get_model("subjects.PersonName")
    Case = apps.get_model("cases.Case")
    Grant = apps.get_model("sharing.Grant")
    ids = [world.people[rng.randrange(len(world.people))] for _ in range(iterations * 3)]
    names = list(
        PersonName.objects.filter(subject_id__in=ids, type="main").values_list(
            "given_names", "family_name"
        )
    )
    rng.shuffle(names)
    users = world.practitioners[agency_id]
    now = datetime.now(UTC)
    lead = _sample_cases(Case, agency_id, iterations, rng)
    granted = list(
        Grant.objects.filter(
            agency_id=agency_id, revoked_at__isnull=True, expires_at__gt=now
        ).values_list("case_id", flat=True)[:iterations]
    )
    cases = []
    for i in range(iterations):
        user = users[rng.randrange(len(users))]
        if granted and rng.random() < 0.3:
            cases.append((user, granted[rng.randrange(len(granted))]))
        else:
            cases.append((user, lead[i % len(lead)]))
    pick = lambda: users[rng.randrange(len(users))]  # noqa: E731
    return {
        "full": [(pick(), f"{g} {f}") for g, f in names[:iterations]],
        "misspelt": [(pick(), f"{g.split()[0]} {misspelt(f, rng)}") for g, f in names[:iterations]],
        "surname": [(pick(), f) for _, f in names[:iterations]],
        "similar": [
            (
                g.split()[0],
                f,
                date(1940, 1, 1) + timedelta(days=rng.randint(0, 27000)),
                world.postcodes[rng.randrange(len(world.postcodes))] if rng.random() < 0.5 else "",
            )
            for g, f in names[iterations : 2 * iterations]
        ],
        "users": [pick() for _ in range(iterations)],
        "cases": cases,
    }


def _sample_cases(Case, agency_id: int, count: int, rng: random.Random) -> list[int]:
    """Random cases the agency leads, found by id range (ORDER BY random() would scan)."""
    bounds = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    found: list[int] = []
    while len(found) < count:
        ids = [rng.randint(1, bounds) for _ in range(count * 20)]
        found += list(
            Case.objects.filter(pk__in=ids, lead_agency_id=agency_id).values_list("id", flat=True)
        )
    rng.shuffle(found)
    return found[:count]


def time_operations(
    world: World,
    iterations: int,
    *,
    show_plans: bool,
    only: tuple[str, ...] = (),
    warmup: int | None = None,
) -> list[Result]:
    from django.apps import apps

    from saferhub.sharing import notices, reading
    from saferhub.sharing import search as sharing_search
    from saferhub.subjects import duplicates
    from saferhub.subjects.entries import AddressEntry, NameEntry, PersonDetails

    User = apps.get_model("accounts.User")
    rng = random.Random(SEED + 1)
    agency_id = max(world.practitioners, key=lambda a: len(world.practitioners[a]))
    work = workload(world, rng, iterations, agency_id)
    users = User.objects.select_related("agency").in_bulk(world.practitioners[agency_id])
    today = datetime.now(UTC).date()
    warmup = max(1, min(5, iterations // 10)) if warmup is None else warmup

    def search(arg):
        user, query = arg
        return sharing_search.search_box(users[user], query)

    def similar(arg):
        given, family, born, postcode = arg
        addresses = [AddressEntry(postcode=postcode)] if postcode else []
        candidate = duplicates.person_candidate(
            NameEntry(given_names=given, family_name=family),
            PersonDetails(date_of_birth=born),
            addresses=addresses,
        )
        return duplicates.similar_subjects(candidate)

    def my_cases(user):
        return notices.my_cases(users[user])

    def case_page(arg):
        user, case_id = arg
        view = reading.open_case(users[user], case_id)
        shown = [view.case.reference, view.case.title, view.case.business_area.name]
        shown += [view.case.lead_agency.name, view.case.lead_officer.full_name]
        for row in view.subjects:
            shown += [row.subject.display_name, row.subject.kind, row.get_role_display()]
        for entry in view.entries:
            shown += [entry.get_type_display(), entry.text, entry.author.full_name]
            shown += [entry.agency.name, entry.pk in view.corrected]
        for task in view.tasks:
            owner = task.owner_user.full_name if task.owner_user else task.owner_agency.name
            shown += [task.description, owner, task.overdue(today)]
        for document in view.documents:
            shown += [document.filename, document.uploaded_by.full_name, document.agency.name]
        for value in view.fields:
            shown.append(reading.field_text(value))
        for consent in view.consents:
            shown += [consent.subject.display_name, consent.recorded_by.full_name]
        for grant in view.grants:
            shown += [grant.agency.name, grant.granted_by.full_name, grant.agreement.title]
        return shown

    agency_name = users[work["users"][0]].agency.name
    print(
        f"\nTiming as {len(users)} practitioners of {agency_name} (the largest agency), "
        f"{iterations} calls each after {warmup} warm-up calls:"
    )
    plan = [
        ("name search: full name", "name search", work["full"], search),
        ("name search: misspelt surname", "name search", work["misspelt"], search),
        ("name search: surname alone", "name search", work["surname"], search),
        ("similar-subject check (new person)", "similar-subject check", work["similar"], similar),
        ('"my cases", first page', "my cases", work["users"], my_cases),
        ("case page", "case page", work["cases"], case_page),
    ]
    if only:
        plan = [step for step in plan if any(word in step[0] for word in only)]
    results = []
    print(f"\nload average {_load()}\n\n{HEADER}")
    for name, aim, inputs, fn in plan:
        result = run(name, aim, inputs, fn, warmup=warmup)
        print(result.row(), flush=True)
        results.append(result)
    print(f"load average {_load()}")
    if show_plans:
        for name, _aim, inputs, fn in plan:
            slowest = max(range(min(20, len(inputs))), key=lambda i: _once(fn, inputs[i]))
            explain(name, inputs[slowest], fn)
    return results


def _load() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _once(fn, arg) -> float:
    started = time.perf_counter()
    fn(arg)
    return time.perf_counter() - started


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]
    return f"{Path(connection.settings_dict['NAME']).stat().st_size / 2**20:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--scale", type=float, default=1.0, help="of the full size (default 1)")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--url", default=DEFAULT_URL, help="the PostgreSQL database to fill")
    parser.add_argument(
        "--sqlite", type=Path, default=Path(tempfile.gettempdir()) / "bench-casework.sqlite3"
    )
    parser.add_argument("--reuse", action="store_true", help="time the data of an earlier run")
    parser.add_argument("--explain", action="store_true", help="print the slowest queries' plans")
    parser.add_argument("--warmup", type=int, help="untimed calls first (default: 1 to 5)")
    parser.add_argument(
        "--only", default="", help="time only the operations whose names hold these words (a,b)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-casework-"))
    setup_django(args.database, args.url, args.sqlite, folder)
    from django.core.management import call_command
    from django.db import connection

    sizes = {k: max(10, round(v * args.scale)) for k, v in FULL[args.database].items()}
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: "
        f"{sizes['people']:,} people, {sizes['places']:,} places, {sizes['cases']:,} cases "
        f"(scale {args.scale:g} of the full size)"
    )
    started = time.perf_counter()
    if args.reuse:
        call_command("migrate", verbosity=0)
        world = world_of_database()
        print(
            f"  reusing the loaded data; migrations applied in {time.perf_counter() - started:.0f} s"
        )
    else:
        reset_database(args.database, args.sqlite)
        call_command("migrate", verbosity=0)
        world = load(sizes, now=datetime.now(UTC), rng=random.Random(SEED))
        total = sum(world.counts.values())
        print(f"  {total:,} rows in {time.perf_counter() - started:.0f} s (with migrations):")
        print("  " + json.dumps(world.counts))
    print(f"  database size {database_size()}")
    only = tuple(w.strip() for w in args.only.split(",") if w.strip())
    results = time_operations(
        world, args.iterations, show_plans=args.explain, only=only, warmup=args.warmup
    )
    failed = [r.name for r in results if percentile(r.times, 95) >= AIMS_MS[r.aim]]
    print(
        "wall: as measured; cpu: this process's and its database backend's CPU per call, "
        "what a call costs on a machine doing nothing else"
    )
    print(
        f"\n{len(results) - len(failed)} of {len(results)} within their aims"
        + (f"; over: {', '.join(failed)}" if failed else "")
    )


if __name__ == "__main__":
    main()
