"""Tests for the pure panel rules. No database: every figure below is worked by hand.

All people and agencies here are fictional; candidates are known only by made-up keys.
"""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.panels.rules import (
    AGE_BANDS,
    EXPECTED_PER_10K_WOMEN_A_YEAR,
    REPEAT_RATE_RANGE,
    Candidate,
    Complaint,
    ReferralRecord,
    ReviewRecord,
    RuleError,
    Timescales,
    annual_figures,
    expected_referrals,
    months_before,
    overdue,
    quarter_bounds,
    quarter_of,
    repeat_of,
    review_timescales,
    safelives_return,
    select_cohort,
    threshold_test,
    volume_per_10k,
)

# ------------------------------------------------------------------ helpers


def test_rule_error_is_a_value_error_naming_the_field():
    err = RuleError("bad", "months")
    assert isinstance(err, ValueError)
    assert err.field == "months"
    assert str(err) == "bad"


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        (date(2026, 5, 1), 6, date(2025, 11, 1)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2028, 5, 31), 3, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 3, 10), 24, date(2024, 3, 10)),
    ],
)
def test_months_before_is_calendar_based_and_clamps_short_months(d, months, expected):
    assert months_before(d, months) == expected


# ------------------------------------------------------------------ 1. MARAC repeat


def test_364_days_is_a_repeat():
    referred = date(2026, 5, 1)
    previous = date(2025, 5, 2)
    assert (referred - previous).days == 364
    assert repeat_of(referred, [previous]) == previous


def test_366_days_is_not_a_repeat():
    referred = date(2026, 5, 1)
    previous = date(2025, 4, 30)
    assert (referred - previous).days == 366
    assert repeat_of(referred, [previous]) is None


def test_same_day_last_year_is_a_repeat():
    assert repeat_of(date(2026, 5, 1), [date(2025, 5, 1)]) == date(2025, 5, 1)


def test_leap_day_referral_looks_back_to_28_february():
    referred = date(2028, 2, 29)
    assert repeat_of(referred, [date(2027, 2, 28)]) == date(2027, 2, 28)
    assert repeat_of(referred, [date(2027, 2, 27)]) is None


def test_calendar_year_across_a_leap_day_allows_366_days():
    referred = date(2028, 3, 1)
    previous = date(2027, 3, 1)
    assert (referred - previous).days == 366
    assert repeat_of(referred, [previous]) == previous


def test_only_the_last_previous_referral_counts():
    # Several earlier referrals: the most recent one is returned.
    previous = [date(2024, 1, 10), date(2026, 1, 3), date(2025, 8, 1)]
    assert repeat_of(date(2026, 5, 1), previous) == date(2026, 1, 3)


def test_last_previous_outside_window_means_not_a_repeat_even_with_older_ones():
    assert repeat_of(date(2026, 5, 1), [date(2024, 6, 1), date(2025, 3, 1)]) is None


def test_later_and_same_day_referrals_are_ignored():
    referred = date(2026, 5, 1)
    assert repeat_of(referred, [date(2026, 6, 1), date(2026, 5, 1)]) is None
    assert repeat_of(referred, [date(2026, 6, 1), date(2026, 2, 1)]) == date(2026, 2, 1)


def test_no_previous_referrals_is_not_a_repeat():
    assert repeat_of(date(2026, 5, 1), []) is None


def test_repeat_of_rejects_non_dates():
    with pytest.raises(RuleError) as e:
        repeat_of(date(2026, 5, 1), [date(2026, 1, 1), "2026-02-01"])  # type: ignore[list-item]
    assert e.value.field == "previous 2"
    with pytest.raises(RuleError) as e:
        repeat_of("2026-05-01", [])  # type: ignore[arg-type]
    assert e.value.field == "referred_on"


# ------------------------------------------------------------------ 2. Community trigger

RECEIVED = date(2026, 5, 1)  # six-month window starts 2025-11-01


def _c(d: date, agency: str = "Council") -> Complaint:
    return Complaint(made_on=d, agency=agency)


def test_two_complaints_inside_six_months_do_not_meet_the_threshold():
    result = threshold_test(RECEIVED, [_c(date(2026, 1, 5)), _c(date(2026, 3, 9), "Police")])
    assert not result.met
    assert len(result.qualifying) == 2
    assert result.window_start == date(2025, 11, 1)
    assert result.reason == (
        "2 complaints in the 6 months before 2026-05-01 (threshold 3): threshold not met"
    )


def test_three_complaints_inside_six_months_meet_it_and_are_listed_in_date_order():
    complaints = [_c(date(2026, 3, 9)), _c(date(2025, 12, 1), "Police"), _c(date(2026, 5, 1))]
    result = threshold_test(RECEIVED, complaints)
    assert result.met
    assert [c.made_on for c in result.qualifying] == [
        date(2025, 12, 1),
        date(2026, 3, 9),
        date(2026, 5, 1),
    ]
    assert result.reason == (
        "3 complaints in the 6 months before 2026-05-01 (threshold 3): threshold met"
    )


def test_three_with_one_just_outside_the_window_do_not_meet_it():
    complaints = [_c(date(2025, 10, 31)), _c(date(2026, 1, 5)), _c(date(2026, 3, 9))]
    result = threshold_test(RECEIVED, complaints)
    assert not result.met
    assert date(2025, 10, 31) not in [c.made_on for c in result.qualifying]
    assert len(result.qualifying) == 2


def test_a_complaint_on_the_window_boundary_counts():
    complaints = [_c(date(2025, 11, 1)), _c(date(2026, 1, 5)), _c(date(2026, 3, 9))]
    result = threshold_test(RECEIVED, complaints)
    assert result.met
    assert result.qualifying[0].made_on == date(2025, 11, 1)


def test_configurable_threshold_two_in_three_months():
    complaints = [_c(date(2026, 2, 1)), _c(date(2026, 4, 20)), _c(date(2026, 1, 31))]
    result = threshold_test(RECEIVED, complaints, complaints_needed=2, months=3)
    assert result.window_start == date(2026, 2, 1)
    assert result.met
    assert [c.made_on for c in result.qualifying] == [date(2026, 2, 1), date(2026, 4, 20)]
    assert result.reason == (
        "2 complaints in the 3 months before 2026-05-01 (threshold 2): threshold met"
    )


def test_reason_uses_singular_words():
    result = threshold_test(RECEIVED, [_c(date(2026, 4, 10))], complaints_needed=2, months=1)
    assert result.reason == (
        "1 complaint in the 1 month before 2026-05-01 (threshold 2): threshold not met"
    )


def test_no_complaints_do_not_meet_it():
    result = threshold_test(RECEIVED, [])
    assert not result.met
    assert result.qualifying == ()


def test_complaint_after_the_application_is_an_error_naming_the_row():
    complaints = [_c(date(2026, 1, 5)), _c(date(2026, 5, 2))]
    with pytest.raises(RuleError, match=r"complaint 2: made_on 2026-05-02 is after") as e:
        threshold_test(RECEIVED, complaints)
    assert e.value.field == "complaints"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"complaints_needed": 0}, "complaints_needed"),
        ({"complaints_needed": -1}, "complaints_needed"),
        ({"complaints_needed": 2.5}, "complaints_needed"),
        ({"months": 0}, "months"),
        ({"months": 25}, "months"),
        ({"months": True}, "months"),
    ],
)
def test_threshold_settings_are_validated(kwargs, field):
    with pytest.raises(RuleError) as e:
        threshold_test(RECEIVED, [], **kwargs)
    assert e.value.field == field


def test_threshold_settings_at_their_limits_are_accepted():
    assert threshold_test(RECEIVED, [], complaints_needed=1, months=24).window_start == date(
        2024, 5, 1
    )


def test_review_timescales_defaults_and_settings():
    assert review_timescales(RECEIVED) == Timescales(
        decision_due=date(2026, 5, 11), review_due=date(2026, 5, 31)
    )
    assert review_timescales(RECEIVED, decision_days=5, review_days=60) == Timescales(
        decision_due=date(2026, 5, 6), review_due=date(2026, 6, 30)
    )


def test_review_timescales_validation():
    with pytest.raises(RuleError) as e:
        review_timescales(RECEIVED, decision_days=-1)
    assert e.value.field == "decision_days"
    with pytest.raises(RuleError) as e:
        review_timescales(RECEIVED, decision_days=20, review_days=10)
    assert e.value.field == "review_days"


@pytest.mark.parametrize(
    ("done", "on", "expected"),
    [
        (None, date(2026, 5, 11), False),  # due day itself is in time
        (None, date(2026, 5, 12), True),
        (None, date(2026, 5, 1), False),
        (date(2026, 5, 11), date(2026, 6, 1), False),  # done on the due day
        (date(2026, 5, 12), date(2026, 6, 1), True),  # done late stays overdue
        (date(2026, 5, 9), date(2026, 6, 1), False),
        (date(2026, 5, 20), date(2026, 5, 10), False),  # done later than `on`: not yet known
        (date(2026, 5, 20), date(2026, 5, 15), True),
    ],
)
def test_overdue(done, on, expected):
    assert overdue(date(2026, 5, 11), done, on) is expected


def test_annual_figures_hand_worked():
    records = [
        ReviewRecord(date(2025, 3, 31), False, None, False),  # before the period
        ReviewRecord(date(2025, 4, 1), True, date(2025, 5, 1), True),
        ReviewRecord(date(2025, 6, 10), False, None, False),
        ReviewRecord(date(2025, 9, 1), True, date(2025, 10, 1), False),
        ReviewRecord(date(2025, 12, 1), None, None, False),  # decision pending
        ReviewRecord(date(2026, 3, 31), True, date(2026, 4, 20), True),  # held after period end
        ReviewRecord(date(2026, 4, 1), False, None, False),  # after the period
    ]
    assert annual_figures(records, date(2025, 4, 1), date(2026, 3, 31)) == {
        "applications": 5,
        "threshold_not_met": 1,
        "reviews_held": 3,
        "reviews_with_recommendations": 2,
    }


def test_annual_figures_empty_and_bad_inputs():
    assert annual_figures([], date(2025, 4, 1), date(2026, 3, 31))["applications"] == 0
    with pytest.raises(RuleError) as e:
        annual_figures([], date(2026, 4, 1), date(2025, 3, 31))
    assert e.value.field == "end"
    bad = [ReviewRecord(date(2025, 6, 1), True, date(2025, 5, 1), False)]
    with pytest.raises(RuleError, match="record 1") as e:
        annual_figures(bad, date(2025, 4, 1), date(2026, 3, 31))
    assert e.value.field == "review_held_on"


# ------------------------------------------------------------------ 3. SafeLives return


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 1, 1), (2026, 1)),
        (date(2026, 3, 31), (2026, 1)),
        (date(2026, 4, 1), (2026, 2)),
        (date(2026, 9, 30), (2026, 3)),
        (date(2026, 12, 31), (2026, 4)),
    ],
)
def test_quarter_of(d, expected):
    assert quarter_of(d) == expected


def test_quarter_bounds():
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 2) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_bounds(2026, 3) == (date(2026, 7, 1), date(2026, 9, 30))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    for q in range(1, 5):
        start, end = quarter_bounds(2028, q)
        assert quarter_of(start) == quarter_of(end) == (2028, q)


@pytest.mark.parametrize("q", [0, 5])
def test_quarter_bounds_rejects_bad_quarter(q):
    with pytest.raises(RuleError) as e:
        quarter_bounds(2026, q)
    assert e.value.field == "q"


def _r(d, repeat, agency, gender, age, ethnicity, disability, lgbt, children) -> ReferralRecord:
    return ReferralRecord(
        referred_on=d,
        repeat=repeat,
        referring_agency=agency,
        victim_gender=gender,
        victim_age=age,
        victim_ethnicity=ethnicity,
        victim_disability=disability,
        victim_lgbt=lgbt,
        children_in_household=children,
    )


WB, AB = "White British", "Asian British"
FIXTURE = [
    _r(date(2026, 3, 31), True, "Police", "Female", 30, WB, "No", "No", 5),  # outside: Q1
    _r(date(2026, 4, 1), False, "Police", "Female", 17, WB, "No", "No", 2),
    _r(date(2026, 4, 15), True, "Police", "Female", 22, WB, "Yes", "No", 0),
    _r(date(2026, 5, 2), False, "IDVA", "Female", 34, AB, "No", "Yes", None),
    _r(date(2026, 5, 10), True, "Health", "Male", 25, "", "", "", 1),
    _r(date(2026, 5, 20), False, "Police", "Female", 45, WB, "No", "No", 3),
    _r(date(2026, 6, 1), False, "Children's Social Care", "Female", 64, "Black British", "No",
       "No", 0),
    _r(date(2026, 6, 5), True, "IDVA", "Female", 65, WB, "Yes", "No", None),
    _r(date(2026, 6, 10), False, "Police", " ", None, "Mixed", "No", "", 4),
    _r(date(2026, 6, 20), False, "Health", "Female", 15, WB, "No", "No", 1),
    _r(date(2026, 6, 30), False, "", "Female", 40, AB, "No", "No", 2),
    _r(date(2026, 7, 1), True, "Police", "Male", 50, WB, "No", "No", 3),  # outside: Q3
]  # fmt: skip


def test_safelives_return_from_ten_hand_counted_referrals():
    start, end = quarter_bounds(2026, 2)
    ret = safelives_return(FIXTURE, start, end)
    assert (ret.start, ret.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert ret.referrals == 10
    assert ret.repeats == 3
    assert ret.repeat_rate == pytest.approx(0.3)
    assert REPEAT_RATE_RANGE[0] <= ret.repeat_rate <= REPEAT_RATE_RANGE[1]
    assert ret.by_agency == {
        "Children's Social Care": 1,
        "Health": 2,
        "IDVA": 2,
        "Police": 4,
        "not known": 1,
    }
    assert ret.gender == {"Female": 8, "Male": 1, "not known": 1}
    assert ret.age_band == {
        "under 16": 1,
        "16-17": 1,
        "18-24": 1,
        "25-34": 2,
        "35-44": 1,
        "45-54": 1,
        "55-64": 1,
        "65+": 1,
        "not known": 1,
    }
    assert list(ret.age_band) == list(AGE_BANDS)
    assert ret.ethnicity == {
        "Asian British": 2,
        "Black British": 1,
        "Mixed": 1,
        "White British": 5,
        "not known": 1,
    }
    assert ret.disability == {"No": 7, "Yes": 2, "not known": 1}
    assert ret.lgbt == {"No": 7, "Yes": 1, "not known": 2}
    assert ret.children == 13


def test_safelives_return_with_no_referrals_has_no_repeat_rate():
    ret = safelives_return(FIXTURE, date(2025, 1, 1), date(2025, 3, 31))
    assert ret.referrals == 0
    assert ret.repeat_rate is None
    assert ret.children == 0
    assert set(ret.age_band.values()) == {0}
    assert ret.by_agency == {}


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "under 16"), (16, "16-17"), (18, "18-24"), (24, "18-24"), (35, "35-44"),
     (54, "45-54"), (55, "55-64"), (99, "65+")],
)  # fmt: skip
def test_age_band_edges(age, band):
    rec = _r(date(2026, 4, 1), False, "Police", "Female", age, WB, "No", "No", 0)
    ret = safelives_return([rec], date(2026, 4, 1), date(2026, 4, 1))
    assert ret.age_band[band] == 1


def test_safelives_return_bad_rows_name_the_row_and_field():
    ok = FIXTURE[1]
    bad_age = _r(date(2026, 4, 2), False, "Police", "Female", -3, WB, "No", "No", 0)
    with pytest.raises(RuleError, match="referral 2") as e:
        safelives_return([ok, bad_age], date(2026, 4, 1), date(2026, 6, 30))
    assert e.value.field == "victim_age"
    bad_children = _r(date(2026, 4, 2), False, "Police", "Female", 30, WB, "No", "No", -1)
    with pytest.raises(RuleError, match="referral 1") as e:
        safelives_return([bad_children], date(2026, 4, 1), date(2026, 6, 30))
    assert e.value.field == "children_in_household"
    with pytest.raises(RuleError) as e:
        safelives_return(FIXTURE, date(2026, 6, 30), date(2026, 4, 1))
    assert e.value.field == "end"


def test_expected_referrals_pro_rata():
    assert EXPECTED_PER_10K_WOMEN_A_YEAR == 40
    assert expected_referrals(50_000, 365) == pytest.approx(200.0)
    # Q2 2026 is 91 days: 200 * 91 / 365
    assert expected_referrals(50_000, 91) == pytest.approx(18_200 / 365)


def test_volume_per_10k_is_annualised():
    assert volume_per_10k(200, 50_000, 365) == pytest.approx(40.0)
    # 10 referrals in 91 days among 50,000 women: 2 per 10k in the quarter, 2 * 365 / 91 a year
    assert volume_per_10k(10, 50_000, 91) == pytest.approx(730 / 91)
    assert volume_per_10k(0, 50_000, 91) == 0.0


@pytest.mark.parametrize("women", [0, -5])
def test_volume_needs_a_positive_population(women):
    with pytest.raises(RuleError) as e:
        expected_referrals(women, 365)
    assert e.value.field == "adult_women"
    with pytest.raises(RuleError) as e:
        volume_per_10k(10, women, 365)
    assert e.value.field == "adult_women"


def test_volume_other_bad_inputs():
    with pytest.raises(RuleError) as e:
        expected_referrals(50_000, 0)
    assert e.value.field == "days"
    with pytest.raises(RuleError) as e:
        volume_per_10k(-1, 50_000, 91)
    assert e.value.field == "referrals"


# ------------------------------------------------------------------ 4. IOM cohort


def test_select_cohort_pinned_first_then_score_then_key():
    candidates = [
        Candidate("K-B", 50),
        Candidate("K-A", 10, pinned=True),
        Candidate("K-E", 20),
        Candidate("K-D", 50),
        Candidate("K-C", 70),
        Candidate("K-F", 30),  # exactly the minimum: eligible
    ]
    sel = select_cohort(candidates, capacity=3, min_score=30)
    assert sel.selected == ("K-A", "K-C", "K-B")
    assert sel.waiting == ("K-D", "K-F")
    assert sel.below == ("K-E",)
    assert sel.over_capacity == 0


def test_pinned_beyond_capacity_are_all_selected_and_reported():
    candidates = [
        Candidate("P-1", 5, pinned=True),
        Candidate("P-2", 9, pinned=True),
        Candidate("N-1", 80),
    ]
    sel = select_cohort(candidates, capacity=1, min_score=10)
    assert sel.selected == ("P-2", "P-1")
    assert sel.over_capacity == 1
    assert sel.waiting == ("N-1",)
    assert sel.below == ()


def test_zero_capacity_puts_everyone_eligible_on_the_waiting_list():
    sel = select_cohort([Candidate("X", 40), Candidate("Y", 45)], capacity=0, min_score=0)
    assert sel.selected == ()
    assert sel.waiting == ("Y", "X")
    assert sel.over_capacity == 0


def test_spare_capacity_selects_all_eligible():
    sel = select_cohort([Candidate("X", 40), Candidate("Y", 5)], capacity=10, min_score=10)
    assert sel.selected == ("X",)
    assert sel.waiting == ()
    assert sel.below == ("Y",)


def test_select_cohort_validation():
    with pytest.raises(RuleError) as e:
        select_cohort([], capacity=-1, min_score=0)
    assert e.value.field == "capacity"
    with pytest.raises(RuleError, match="'K-1'") as e:
        select_cohort(
            [Candidate("K-1", 10), Candidate("K-2", 20), Candidate("K-1", 30)],
            capacity=2,
            min_score=0,
        )
    assert e.value.field == "key"
    with pytest.raises(RuleError) as e:
        select_cohort([Candidate(" ", 10)], capacity=2, min_score=0)
    assert e.value.field == "key"
