"""The London (force area) figures when only some of its boroughs are loaded.

The population file names three fictional boroughs (Alderby 10,000, Brookfield 20,000,
Carrow 5,000) and London (100,000). The crime file below holds Alderby, Brookfield and an
"Unknown" row, not Carrow. Worked by hand from tests/evidence/fixtures.py, 2018Q1 against
2017Q4, total recorded crime:

    Alderby     49 (prev 44)     Brookfield  93 (prev 63)     Unknown  27 (prev 27)

London, loaded boroughs only: 49 + 93 = 142 (prev 44 + 63 = 107), change +35, +32.7 %;
residents 10,000 + 20,000 = 30,000: rate 142 / 30 = 4.73, previous 107 / 30 = 3.57,
rate change +1.16. Monthly: Jan 15 + 31 = 46, Feb 17 + 31 = 48, Mar 17 + 31 = 48.
(Before: 169 offences, Unknown included, over all of London's 100,000 residents: 1.69.)
"""

import json

import pytest

from saferhub.evidence import Evidence, parse_period
from saferhub.evidence.output import render_csv, render_table
from tests.conftest import ingest, run_cli
from tests.evidence.fixtures import BOROUGH_ROWS, borough_csv, population_csv

TWO_BOROUGHS = {k: v for k, v in BOROUGH_ROWS.items() if k[2] != "Carrow"}
PARTIAL_NAME = "London (2 of 3 boroughs loaded)"


@pytest.fixture
def partial(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path, rows=TWO_BOROUGHS))
    return Evidence(store)


def category(result, key):
    return next(c for c in result["categories"] if c["key"] == key)


def london(result):
    return next(c for c in result["comparators"] if c["type"] == "force")


def test_london_with_two_of_three_boroughs_adds_up_over_those_boroughs(partial):
    a = partial.assess(area="Alderby", period="2018Q1", compare=["Brookfield"])
    row = london(a)
    assert row["name"] == PARTIAL_NAME
    total = row["categories"]["total"]
    assert {k: total[k] for k in ("count", "previous", "change", "change_pct")} == {
        "count": 142,
        "previous": 107,
        "change": 35,
        "change_pct": 32.7,
    }
    assert (total["rate"], total["previous_rate"], total["rate_change"]) == (4.73, 3.57, 1.16)
    assert a["force_coverage"] == {
        "area": "London",
        "complete": False,
        "boroughs": 3,
        "loaded": 2,
        "label": "London: 2 of 3 boroughs loaded",
        "loaded_boroughs": ["Alderby", "Brookfield"],
        "missing_boroughs": ["Carrow"],
    }
    assert any(
        n.startswith("London: 2 of 3 boroughs loaded (not loaded: Carrow)") for n in a["notes"]
    )
    # No rank "among London's boroughs" from two of them.
    assert a["ranked_boroughs"] == 0
    assert all(
        c["london_rank_by_count"] is None and c["london_rank_by_rate"] is None
        for c in a["categories"]
    )
    # The borough rows are untouched.
    rows = {c["name"]: c["categories"]["total"] for c in a["comparators"]}
    assert (rows["Alderby"]["count"], rows["Brookfield"]["count"]) == (49, 93)


def test_london_as_the_subject_with_part_loaded(partial):
    a = partial.assess(area="London", period="2018Q1")
    total = category(a, "total")
    assert (total["count"], total["previous"], total["rate"]) == (142, 107, 4.73)
    assert a["population"] == {"value": 30_000, "year": 2018}
    assert [m["count"] for m in total["monthly"]] == [46, 48, 48]
    assert a["comparators"][0]["name"] == PARTIAL_NAME
    trend = partial.trend(area="London", end="2018-03", months=3)
    assert trend["series"]["total"] == [46, 48, 48]


def test_outputs_show_the_same_partial_london_figures(partial, tmp_path):
    a = partial.assess(area="Alderby", period="2018Q1")
    table = render_table(a)
    assert f"{PARTIAL_NAME}    142       107    +32.7%  4.73       3.57        +1.16" in table
    assert "Note: London: 2 of 3 boroughs loaded (not loaded: Carrow)" in table
    csv_rows = render_csv(a).splitlines()
    assert f"comparator,E12000007,{PARTIAL_NAME},total,142,107,35,32.7,4.73,3.57,1.16,,," in (
        csv_rows
    )


def test_cli_json_carries_the_coverage(tmp_path):
    store = tmp_path / "cli.duckdb"
    loaded = run_cli(
        store,
        "ingest",
        str(population_csv(tmp_path)),
        str(borough_csv(tmp_path, rows=TWO_BOROUGHS)),
    )
    assert loaded.returncode == 0, loaded.stderr
    out = run_cli(store, "assess", "--area", "Alderby", "--period", "2018Q1", "--format", "json")
    assert out.returncode == 0, out.stderr
    a = json.loads(out.stdout)
    assert london(a)["categories"]["total"]["rate"] == 4.73
    assert a["force_coverage"]["label"] == "London: 2 of 3 boroughs loaded"


def test_every_borough_loaded_keeps_the_whole_london_figure(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path))
    a = Evidence(store).assess(area="Alderby", period="2018Q1")
    row = london(a)
    assert row["name"] == "London"
    # Every row of the file (Unknown included) over London's 100,000 residents.
    assert (row["categories"]["total"]["count"], row["categories"]["total"]["rate"]) == (
        184,
        1.84,
    )
    assert a["force_coverage"]["complete"] is True
    assert a["force_coverage"]["label"] == "London: 3 of 3 boroughs loaded"
    assert a["ranked_boroughs"] == 3
    assert not any("boroughs loaded" in n for n in a["notes"])


def test_shipped_boroughs_define_london_when_real_boroughs_are_loaded(store, tmp_path):
    """A file naming boroughs on the shipped list is measured against the 32 the MPS polices."""
    rows = {
        (major, minor, {"Alderby": "Harrow", "Brookfield": "Barnet"}[b]): counts
        for (major, minor, b), counts in TWO_BOROUGHS.items()
        if b != "Unknown"
    }
    ingest(store, borough_csv(tmp_path, rows=rows))
    evidence = Evidence(store)
    window = evidence._window(parse_period("2018Q1"))
    coverage = evidence._force_coverage(window, "borough", 2018)
    assert coverage["label"] == "London: 2 of 32 boroughs loaded"
    assert "City of London" not in coverage["missing_boroughs"]
    assert len(coverage["missing_boroughs"]) == 30
