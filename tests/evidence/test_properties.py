"""Properties that must hold for any data: sums add up, order does not matter."""

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhub.evidence import Evidence, Store
from saferhub.evidence.periods import month_label, parse_month
from tests.conftest import ingest, write_csv
from tests.evidence.fixtures import population_csv

CATS = [
    ("BURGLARY", "RES BURGLARY OF A HOME"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("THEFT", "SHOPLIFTING"),
]
BOROUGHS = [
    ("Alderby", ["E05900011", "E05900012"]),
    ("Brookfield", ["E05900021"]),
    ("Carrow", ["E05900031", "E05900032", "E05900033"]),
]
MONTHS = [f"{2017 + i // 12}{i % 12 + 1:02d}" for i in range(24)]
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

counts = st.lists(st.integers(min_value=0, max_value=60), min_size=24, max_size=24)
ward_data = st.fixed_dictionaries(
    {
        (code, major, minor): counts
        for _, codes in BOROUGHS
        for code in codes
        for major, minor in CATS
    }
)


def write_files(folder: Path, data: dict) -> tuple[Path, Path]:
    ward_rows, borough = [], {}
    for name, codes in BOROUGHS:
        for code in codes:
            for major, minor in CATS:
                series = data[(code, major, minor)]
                ward_rows.append([f"Ward {code}", code, major, minor, name, *series])
                previous = borough.get((major, minor, name), [0] * 24)
                borough[(major, minor, name)] = [
                    a + b for a, b in zip(previous, series, strict=True)
                ]
    wards = write_csv(
        folder / "wards.csv",
        ["WardName", "WardCode", "MajorText", "MinorText", "LookUp_BoroughName", *MONTHS],
        ward_rows,
    )
    boroughs = write_csv(
        folder / "boroughs.csv",
        ["MajorText", "MinorText", "BoroughName", *MONTHS],
        [[*key, *series] for key, series in borough.items()],
    )
    return wards, boroughs


@SETTINGS
@given(data=ward_data, start=st.integers(0, 11), length=st.integers(1, 12))
def test_ward_totals_sum_to_borough_totals_and_months_to_period(data, start, length):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wards, boroughs = write_files(folder, data)
        with Store(folder / "s.duckdb") as store:
            ingest(store, population_csv(folder), wards, boroughs)
            evidence = Evidence(store)
            # A period somewhere in the second year, so its previous period is loaded too.
            first = parse_month("2018-01") + start
            last = min(first + length - 1, parse_month("2018-12"))
            period = f"{month_label(first)}..{month_label(last)}"
            for name, _ in BOROUGHS:
                a = evidence.assess(area=name, period=period)
                for cat in a["categories"]:
                    ward_sum = sum(w["categories"][cat["key"]]["count"] for w in a["wards"])
                    assert ward_sum == cat["count"], (name, cat["key"])
                    assert sum(m["count"] for m in cat["monthly"]) == cat["count"]
                    ward_prev = sum(w["categories"][cat["key"]]["previous"] for w in a["wards"])
                    assert ward_prev == cat["previous"]


def offences_content(store):
    return store.con.execute(
        "select area_type, area_code, area_name, borough_code, month, major, minor, count "
        "from offences order by all"
    ).fetchall()


@SETTINGS
@given(data=ward_data, seed=st.integers(0, 10_000))
def test_shuffling_columns_and_rows_changes_nothing(data, seed):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wards, _ = write_files(folder, data)
        lines = wards.read_text().splitlines()
        header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
        rng = random.Random(seed)
        order = list(range(len(header)))
        rng.shuffle(order)
        rng.shuffle(rows)
        shuffled = write_csv(
            folder / "shuffled.csv",
            [header[i] for i in order],
            [[row[i] for i in order] for row in rows],
        )
        with Store(folder / "a.duckdb") as a, Store(folder / "b.duckdb") as b:
            ingest(a, population_csv(folder), wards)
            ingest(b, population_csv(folder), shuffled)
            assert offences_content(a) == offences_content(b)
