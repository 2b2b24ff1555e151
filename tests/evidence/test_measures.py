from saferhub.evidence import measures


def test_round_half_up_not_bankers():
    assert measures.round_half_up(2.345, 2) == 2.35
    assert measures.round_half_up(0.125, 2) == 0.13
    assert measures.round_half_up(-1.25, 1) == -1.3


def test_change_pct_one_decimal_and_none_without_base():
    assert measures.change_pct(current=110, previous=100) == 10.0
    assert measures.change_pct(current=2, previous=3) == -33.3
    assert measures.change_pct(current=5, previous=0) is None
    assert measures.change_pct(current=5, previous=None) is None


def test_rate_per_1000_two_decimals():
    assert measures.rate_per_1000(count=1234, population=250_000) == 4.94
    assert measures.rate_per_1000(count=10, population=None) is None


def test_rate_change_uses_rounded_rates():
    assert measures.rate_change(rate=4.94, previous_rate=5.01) == -0.07


def test_rank_ascending_lowest_first_ties_share():
    ranks = measures.rank_ascending({"a": 5, "b": 1, "c": 5, "d": 9, "e": None})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_months_above_average_strictly_above():
    series = {"2018-01": 10, "2018-02": 20, "2018-03": 30}
    assert measures.monthly_average(series.values()) == 20
    assert measures.months_above_average(series) == ["2018-03"]


def test_rolling_mean_needs_a_full_window():
    assert measures.rolling_mean([1, 2, 3, 4], 3) == [None, None, 2.0, 3.0]
