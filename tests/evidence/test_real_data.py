"""Integration on the real published files in ../shared/data (skipped when absent)."""

import duckdb
import pytest

pytestmark = pytest.mark.shared_data


def independent_total(csv_path, borough, months):
    """Sum straight from the publisher's file with DuckDB, bypassing saferhub entirely."""
    cols = " + ".join(f'sum("{m}")' for m in months)
    where = f"where boroughname = '{borough}'" if borough else ""
    return duckdb.sql(
        f"select {cols} from read_csv('{csv_path}', header = true) {where}"
    ).fetchall()[0][0]


def test_borough_figures_match_the_publishers_file(real):
    data, _, evidence, _ = real
    a = evidence.assess(
        area="Harrow", period="2018", compare=["Barnet", "Brent", "Ealing", "Hillingdon"]
    )
    csv_path = data / "mps" / "recorded-crime-borough-historical.csv"
    total = a["categories"][0]
    assert total["count"] == independent_total(
        csv_path, "Harrow", [f"2018{m:02d}" for m in range(1, 13)]
    )
    assert total["previous"] == independent_total(
        csv_path, "Harrow", [f"2017{m:02d}" for m in range(1, 13)]
    )
    london = a["comparators"][-1]
    assert london["name"] == "London"
    assert london["categories"]["total"]["count"] == independent_total(
        csv_path, None, [f"2018{m:02d}" for m in range(1, 13)]
    )
    assert [c["name"] for c in a["comparators"]] == [
        "Harrow",
        "Barnet",
        "Brent",
        "Ealing",
        "Hillingdon",
        "London",
    ]
    assert a["population"]["year"] == 2018 and a["population"]["value"] > 200_000
    assert a["ranked_boroughs"] == 32


def test_ward_totals_equal_borough_totals_for_every_borough(real):
    _, _, evidence, _ = real
    boroughs = [a.name for a in evidence.areas if a.type == "borough"]
    assert len(boroughs) == 32
    for borough in boroughs:
        a = evidence.assess(area=borough, period="2018/19")
        for category in a["categories"]:
            if category["key"] == "asb":
                continue
            ward_sum = sum(w["categories"][category["key"]]["count"] for w in a["wards"])
            assert ward_sum == category["count"], (borough, category["key"])


def test_ranks_cover_every_borough_once(real):
    _, _, evidence, _ = real
    ranks = sorted(
        evidence.assess(area=b.name, period="12m:2019-03")["categories"][0]["london_rank_by_rate"]
        for b in evidence.areas
        if b.type == "borough"
    )
    assert ranks == list(range(1, 33))


def test_police_uk_burglary_placed_in_the_right_borough(real):
    _, store, _, results = real
    placed, total = store.con.execute(
        """select count(*) filter (where borough_code = 'E09000015'), count(*) from incidents
           where lsoa_name like 'Harrow 0%' and longitude is not null"""
    ).fetchone()
    assert (
        total
        == 1933
        - store.con.execute(
            "select count(*) from incidents where lsoa_name like 'Harrow 0%' and longitude is null"
        ).fetchone()[0]
    )
    assert placed / total > 0.99
    notes = results[-1].notes
    assert any("without coordinates" in n for n in notes)


def test_airport_and_unknown_rows_count_in_london_but_are_never_ranked(real):
    _, _, evidence, results = real
    unranked = [n for r in results for n in r.notes if "never ranked" in n]
    assert any("Unknown" in n for n in unranked)
    assert all(a.code and a.code.startswith("E09") for a in evidence.areas if a.type == "borough")
