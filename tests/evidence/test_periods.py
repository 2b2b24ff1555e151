import pytest

from saferhub.evidence import EvidenceError, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "population_year"),
    [
        ("2018", "2018-01", "2018-12", 2018),
        ("2018/19", "2018-04", "2019-03", 2018),
        ("2018/2019", "2018-04", "2019-03", 2018),
        ("12m:2019-03", "2018-04", "2019-03", 2018),
        ("12m:2019-09", "2018-10", "2019-09", 2019),
        ("2018Q3", "2018-07", "2018-09", 2018),
        ("2018-01..2018-06", "2018-01", "2018-06", 2018),
        ("2018-07", "2018-07", "2018-07", 2018),
        ("2018-11..2019-02", "2018-11", "2019-02", 2018),
    ],
)
def test_period_forms(text, start, end, population_year):
    period = parse_period(text)
    assert (period.start_label, period.end_label) == (start, end)
    assert period.population_year == population_year


def test_previous_period_has_same_length_and_ends_before():
    assert parse_period("2018Q1").previous().start_label == "2017-10"
    assert parse_period("2018Q1").previous().end_label == "2017-12"
    fy = parse_period("2018/19").previous()
    assert (fy.start_label, fy.end_label, fy.length) == ("2017-04", "2018-03", 12)


@pytest.mark.parametrize(
    "text", ["2018/20", "2018Q5", "18", "2018-13..2018-14", "2018-06..2018-01", "last year"]
)
def test_bad_periods_are_explained(text):
    with pytest.raises(EvidenceError) as error:
        parse_period(text)
    # The message quotes what was wrong (the whole period, or the bad month in a range).
    assert text.split("..")[0] in str(error.value)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("2018", "2018"),
        ("2018/19", "2018/19"),
        ("2018Q3", "2018Q3"),
        ("12m:2019-03", "12 months to Mar 2019"),
        ("2018-07", "Jul 2018"),
        ("2018-01..2018-06", "Jan 2018 to Jun 2018"),
    ],
)
def test_period_titles_read_as_words(text, title):
    assert parse_period(text).title == title
    assert parse_period("2018").previous().title == "Jan 2017 to Dec 2017"
