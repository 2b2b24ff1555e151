"""Assessment figures against values worked out by hand from tests/evidence/fixtures.py."""

import pytest

from saferhub.evidence import Evidence, EvidenceError
from tests.conftest import ingest
from tests.evidence.fixtures import borough_csv, population_csv, ward_csv


@pytest.fixture
def evidence(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path), ward_csv(tmp_path))
    return Evidence(store)


def category(result, key):
    return next(c for c in result["categories"] if c["key"] == key)


def test_subject_figures(evidence):
    a = evidence.assess(area="Alderby", period="2018Q1")
    assert a["area"] == {"name": "Alderby", "code": "E09900001", "type": "borough"}
    assert a["period"]["start"] == "2018-01" and a["period"]["end"] == "2018-03"
    assert a["previous_period"] == {
        "start": "2017-10",
        "end": "2017-12",
        "title": "Oct 2017 to Dec 2017",
    }
    assert a["population"] == {"value": 10_000, "year": 2018}
    residential = category(a, "residential_burglary")
    assert {
        k: residential[k]
        for k in (
            "count",
            "previous",
            "change",
            "change_pct",
            "rate",
            "previous_rate",
            "rate_change",
        )
    } == {
        "count": 21,
        "previous": 12,
        "change": 9,
        "change_pct": 75.0,
        "rate": 2.1,
        "previous_rate": 1.2,
        "rate_change": 0.9,
    }
    assert category(a, "burglary")["change_pct"] == 57.1
    assert category(a, "business_burglary")["count"] == 1
    total = category(a, "total")
    assert (total["count"], total["previous"], total["change_pct"], total["rate"]) == (
        49,
        44,
        11.4,
        4.9,
    )


def test_ranks_among_boroughs_lowest_first(evidence):
    a = evidence.assess(area="Alderby", period="2018Q1")
    total = category(a, "total")
    # Counts: Carrow 15, Alderby 49, Brookfield 93. Rates: Carrow 3.0, Brookfield 4.65,
    # Alderby 4.9. "Unknown" is never ranked.
    assert (total["london_rank_by_count"], total["london_rank_by_rate"]) == (2, 3)
    assert a["ranked_boroughs"] == 3


def test_comparator_table_ends_with_the_force_area(evidence):
    a = evidence.assess(area="Alderby", period="2018Q1", compare=["Brookfield"])
    names = [c["name"] for c in a["comparators"]]
    assert names == ["Alderby", "Brookfield", "London"]
    london = a["comparators"][-1]["categories"]["total"]
    # Every row, Unknown included: 49 + 93 + 15 + 27 now; 44 + 63 + 24 + 27 before.
    assert (london["count"], london["previous"], london["rate"]) == (184, 158, 1.84)
    assert a["comparators"][0]["categories"]["total"]["count"] == category(a, "total")["count"]


def test_monthly_series_and_months_above_average(evidence):
    total = category(evidence.assess(area="Alderby", period="2018Q1"), "total")
    assert total["monthly"] == [
        {"month": "2018-01", "count": 15},
        {"month": "2018-02", "count": 17},
        {"month": "2018-03", "count": 17},
    ]
    assert total["monthly_average"] == 16.3
    assert total["months_above_average"] == ["2018-02", "2018-03"]
    assert sum(m["count"] for m in total["monthly"]) == total["count"]


def test_ward_table(evidence):
    a = evidence.assess(area="Alderby", period="2018Q1")
    wards = {w["name"]: w["categories"]["total"] for w in a["wards"]}
    assert wards["Alderby North"]["count"] == 33 and wards["Alderby North"]["previous"] == 20
    assert wards["Alderby South"]["count"] == 16 and wards["Alderby South"]["previous"] == 24
    assert wards["Alderby North"]["rate"] == 8.25 and wards["Alderby South"]["rate"] == 2.67
    assert sum(w["count"] for w in wards.values()) == category(a, "total")["count"]
    assert (wards["Alderby North"]["rank_by_count"], wards["Alderby South"]["rank_by_count"]) == (
        2,
        1,
    )
    marks = a["ward_highlights"]["total"]
    assert marks["highest"] == ["E05900011", "E05900012"]
    assert marks["rises"] == ["E05900011"] and marks["falls"] == ["E05900012"]


def test_ward_and_force_as_subject(evidence):
    ward = evidence.assess(area="E05900011", period="2018Q1")
    assert ward["area"]["type"] == "ward"
    assert category(ward, "total")["count"] == 33
    assert category(ward, "total")["london_rank_by_count"] is None
    london = evidence.assess(area="london", period="2018Q1", compare=["Carrow"])
    assert category(london, "total")["count"] == 184
    assert [c["name"] for c in london["comparators"]] == ["London", "Carrow"]


def test_latest_means_twelve_months_to_the_last_loaded_month(evidence):
    assert evidence.latest_period().label == "12m:2018-03"
    # Only six months are loaded here, so the latest twelve are not all there.
    with pytest.raises(EvidenceError, match="12m:2018-03"):
        evidence.assess(area="Alderby", period="latest")


def test_unknown_area_suggests_names(evidence):
    with pytest.raises(EvidenceError) as error:
        evidence.assess(area="Aldrby", period="2018Q1")
    assert "unknown area 'Aldrby'" in str(error.value) and "Alderby" in str(error.value)


def test_period_outside_loaded_months_says_which_exist(evidence):
    with pytest.raises(EvidenceError) as error:
        evidence.assess(area="Alderby", period="2019")
    assert "loaded months are 2017-10..2018-03" in str(error.value)


def test_previous_period_not_loaded_gives_no_change(evidence):
    a = evidence.assess(area="Alderby", period="2017Q4")
    total = category(a, "total")
    assert total["previous"] is None and total["change"] is None
    assert any("previous period" in note for note in a["notes"])


def test_missing_population_year_is_an_error(store, tmp_path):
    ingest(store, population_csv(tmp_path, years=(2016,)), borough_csv(tmp_path))
    with pytest.raises(EvidenceError) as error:
        Evidence(store).assess(area="Alderby", period="2018Q1")
    message = str(error.value)
    assert "no population for Alderby (E09900001) in 2018" in message
    assert "2016" in message


def test_comparator_must_be_a_borough(evidence):
    with pytest.raises(EvidenceError, match="is a ward"):
        evidence.assess(area="Alderby", period="2018Q1", compare=["Alderby North"])


def test_trend_is_clipped_to_loaded_months_with_rolling_mean(evidence):
    trend = evidence.trend(area="Alderby", end="2018-03", months=36)
    assert trend["months"][0] == "2017-10" and trend["months"][-1] == "2018-03"
    assert trend["series"]["total"] == [14, 14, 16, 15, 17, 17]
    assert trend["rolling_12"]["total"] == [None] * 6
