"""Finding rules on assessments written by hand."""

import re

from saferhub.reports.findings import SMALL, key_findings, ordinal


def category(key, label, count, previous, rank=None):
    change = count - previous
    return {
        "key": key,
        "label": label,
        "count": count,
        "previous": previous,
        "change": change,
        "change_pct": round(change * 100 / previous, 1) if previous else None,
        "rate": count / 10,
        "london_rank_by_rate": rank,
    }


def assessment(categories, wards=(), comparators=()):
    return {
        "area": {"name": "Alderby", "code": "E09900001", "type": "borough"},
        "period": {"label": "2018", "title": "2018"},
        "previous_period": {"start": "2017-01", "end": "2017-12", "title": "Jan 2017 to Dec 2017"},
        "ranked_boroughs": 32,
        "categories": categories,
        "wards": list(wards),
        "comparators": list(comparators),
    }


def test_total_sentence_and_direction():
    a = assessment([category("total", "Total recorded crime", 1100, 1000)])
    (first, *_) = key_findings(a, [])
    assert first.text == (
        "Total recorded crime rose by 10.0%, from 1,000 offences in "
        "Jan 2017 to Dec 2017 to 1,100 in 2018."
    )


def test_small_numbers_never_make_a_percentage_headline():
    a = assessment(
        [
            category("total", "Total", 1000, 1000),
            category("robbery", "Robbery", 8, 2),  # +300% on tiny numbers
            category("theft", "Theft", 150, 120),
            category("burglary", "Burglary", 60, 40),
        ]
    )
    texts = [f.text for f in key_findings(a, [])]
    assert not any("robbery" in t.lower() and "%" in t for t in texts)
    assert "The largest percentage rise was in burglary: +50.0% (40 to 60)." in texts
    assert "The largest rise in volume was in theft: +30 offences (120 to 150)." in texts


def test_every_number_in_a_finding_is_in_its_refs():
    a = assessment(
        [
            category("total", "Total", 1300, 1200, rank=2),
            category("burglary", "Burglary", 200, 150, rank=31),
            category("theft", "Theft", 400, 500, rank=16),
        ]
    )
    for finding in key_findings(a, ["burglary"]):
        values = {abs(float(r["value"])) for r in finding.refs if r["value"] is not None}
        values |= {
            float(r["value"]) / 10 for r in finding.refs if r["field"] == "london_rank_by_rate"
        }  # rate of the fixture is count/10
        numbers = {float(n.replace(",", "")) for n in re.findall(r"[\d,]*\d\.?\d*", finding.text)}
        numbers -= {32.0, 2017.0, 2018.0, 1.0, 12.0}  # the period and the 32 boroughs
        stated = {n for n in numbers if n not in values}
        assert not stated or finding.rule.startswith("london_rank"), (finding.text, stated)


def test_rank_sentences_name_best_and_worst():
    a = assessment(
        [
            category("total", "Total", 1300, 1200, rank=1),
            category("burglary", "Burglary", 200, 150, rank=32),
            category("theft", "Theft", 400, 500, rank=16),
        ]
    )
    texts = {f.rule: f.text for f in key_findings(a, [])}
    assert "total (lowest, 130.00 per 1,000)" in texts["london_rank_lowest"]
    assert "burglary (highest, 20.00 per 1,000)" in texts["london_rank_highest"]
    assert "theft" not in texts["london_rank_lowest"] + texts["london_rank_highest"]


def test_ward_concentration_needs_a_real_concentration():
    wards = [
        {"name": f"W{i}", "code": f"E0{i}", "categories": {"total": {"count": c}}}
        for i, c in enumerate([300, 250, 200, 20, 20, 20, 20, 20])
    ]
    a = assessment([category("total", "Total", 850, 800)], wards=wards)
    (finding,) = [f for f in key_findings(a, []) if f.rule == "ward_concentration"]
    assert finding.text.startswith("3 of the 8 wards (W0, W1 and W2) account for 88%")
    even = [{**w, "categories": {"total": {"count": 100}}} for w in wards]
    a = assessment([category("total", "Total", 800, 800)], wards=even)
    assert not [f for f in key_findings(a, []) if f.rule == "ward_concentration"]


def test_unchanged_and_small_constants():
    assert SMALL == 10
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
