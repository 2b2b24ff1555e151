"""The youth justice measures on a small extract whose every figure is worked out by hand.

The period under test is Q1 of 2024/25, P = 1 April to 30 June 2024.
  P + 12 months = 30 June 2025 (triage follow-up ends), P + 18 months = 30 Dec 2025.

The children (age = at the offence; "sub" = substantive outcome):
  A1  M White  born 2008-05-01  YC 2024-04-10 (age 15): first sub -> FTE in P, index 2024-04-10
                                RO 2024-09-15 for an offence on 2024-08-01: a reoffence
                                YRO 2025-11-01 for 2025-03-01: committed in time but proven
                                after index + 18 months (2025-10-10): not counted
  B2  F Black  born 2006-06-15  RO 2024-06-20 for 2024-06-01 (17, sentenced at 18): FTE in P,
                                index 2024-06-20; not custody's court cohort (18 on the day)
                                YRO 2024-12-01 for 2024-09-01 (18): no cohort, no entry, but
                                a reoffence (reoffences count at any age)
  C3  M Black  born 2009-01-10  YC 2023-11-01 (14): entered before P, so not an FTE in P
                                Remand 2024-04-05; DTO custody 2024-05-02 twice (two offences,
                                one sentencing day: one custodial sentence); DTO licence
                                2024-06-25 (not a second custody); index 2024-05-02
                                YRO 2025-06-01 for 2025-05-10: committed after index + 12
                                months (2025-05-02): not counted
  D4  F White  born 2010-03-03  Triage 2024-04-20 (14), YC 2024-08-01: triage is not an FTE;
                                FTE in Q2, within 12 months of the triage
  E5  M White  born 2011-02-01  Triage 2024-05-05 (13), nothing after
  F6  M Asian  born 2005-01-01  YC 2024-05-01 for an offence at 19: left out of everything
  G7  M White  born 2008-09-09  YCC 2024-06-01 (15): FTE in P, index 2024-06-01
                                RO 2025-01-10 twice (offences 2024-12-01, 2024-12-05): 2
                                YRO 2025-09-01 for 2025-05-01: proven by 2025-12-01: 1 more
  H8  M Mixed  born 2007-07-07  RO 2023-01-10 (15); S250 2024-06-10 (16): custody, index
  I9  F Asian  born 2011-01-01  Triage 2024-06-30 (13); YC 2025-07-15: 12+ months later
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from saferhub.indicators import youth_justice as yj
from saferhub.indicators.extract import Outcome, age_on, read_extract, read_extract_bytes

TODAY = date(2026, 6, 1)
START, END = date(2024, 4, 1), date(2024, 6, 30)

# Header variants, a column the reader ignores, and both date formats.
EXTRACT = """\
YJ ID,DOB,Gender,Ethnic group,Intervention type,Disposal date,Offence date,Notes
A1,2008-05-01,M,White,YC,2024-04-10,2024-03-20,
A1,2008-05-01,M,White,Referral Order,2024-09-15,2024-08-01,
A1,2008-05-01,M,White,YRO,2025-11-01,2025-03-01,proven too late
B2,15/06/2006,F,Black,RO,20/06/2024,01/06/2024,
B2,15/06/2006,F,Black,Youth Rehabilitation Order,01/12/2024,01/09/2024,offence at 18
C3,2009-01-10,Male,Black,Youth Caution,2023-11-01,2023-10-01,
C3,2009-01-10,Male,Black,Custodial remand,2024-04-05,2024-04-01,
C3,2009-01-10,Male,Black,DTO custody,2024-05-02,2024-04-01,
C3,2009-01-10,Male,Black,Detention and Training Order,2024-05-02,2024-03-15,
C3,2009-01-10,Male,Black,DTO license,2024-06-25,2024-04-01,
C3,2009-01-10,Male,Black,YRO,2025-06-01,2025-05-10,committed too late
D4,2010-03-03,Female,White,Youth triage,2024-04-20,2024-04-15,
D4,2010-03-03,Female,White,YC,2024-08-01,2024-07-20,
E5,2011-02-01,M,White,Triage,2024-05-05,2024-05-01,
F6,2005-01-01,M,Asian,YC,2024-05-01,2024-04-20,adult
G7,2008-09-09,M,White,YCC,2024-06-01,2024-05-20,
G7,2008-09-09,M,White,RO,2025-01-10,2024-12-01,
G7,2008-09-09,M,White,RO,2025-01-10,2024-12-05,
G7,2008-09-09,M,White,YRO,2025-09-01,2025-05-01,
H8,2007-07-07,M,Mixed,Referral Order,2023-01-10,2022-12-01,
H8,2007-07-07,M,Mixed,S250,2024-06-10,2024-02-01,
I9,2011-01-01,F,Asian,Diversion,2024-06-30,2024-06-20,
I9,2011-01-01,F,Asian,Youth Caution,2025-07-15,2025-07-01,
"""


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> yj.Extract:
    path = tmp_path_factory.mktemp("yj") / "extract.csv"
    path.write_text(EXTRACT, encoding="utf-8")
    outcomes = read_extract(path, today=TODAY)
    assert len(outcomes) == 23
    return yj.Extract(outcomes)


def shares(breakdown: list[yj.GroupShare]) -> list[tuple]:
    return [
        (g.group, g.cohort_count, g.cohort_pct, g.outcome_count, g.outcome_pct, g.ratio)
        for g in breakdown
    ]


def test_ages_are_taken_at_the_offence(extract):
    # B2: the RO's offence at 17 can put B2 in a cohort although sentenced at 18; the YRO's
    # offence at 18 cannot (it can only be a reoffence); F6 (19) is in no cohort. Cohort rows:
    # 23 - B2's YRO - F6's YC = 21.
    assert extract.counted_rows == 21
    b2 = [o for o in extract.outcomes if o.person_id == "B2"]
    assert [o.age_at_offence for o in b2] == [17, 18]
    assert age_on(b2[0].date_of_birth, b2[0].outcome_date) == 18


def test_29_february_birthdays():
    born = date(2008, 2, 29)
    assert age_on(born, date(2024, 2, 29)) == 16
    assert age_on(born, date(2026, 2, 28)) == 17  # no 29 Feb in 2026: 18 on 1 March
    assert age_on(born, date(2026, 3, 1)) == 18
    row = Outcome(2, "X", born, "Male", "White", "Triage", "triage", date(2026, 3, 1),
                  date(2026, 2, 28))  # fmt: skip
    assert row.age_at_offence == 17


def test_first_time_entrants(extract):
    fte = yj.first_time_entrants(extract, START, END)
    # A1 (YC 10 Apr), B2 (RO 20 Jun, offence at 17), G7 (YCC 1 Jun). Not C3 (entered 2023),
    # not D4/E5/I9 (triage only in P), not F6 (19 at the offence).
    assert fte.count == fte.value == fte.outcome_people == 3
    # Cohort: anyone with triage/caution/court/custody in P aged 10-17: A1 B2 C3 D4 E5 G7 H8
    # I9 = 8 (C3's remand and licence are not what puts C3 in: the DTO is).
    assert fte.cohort == 8
    # Sex: Male A1 C3 E5 G7 H8 = 5 (62.5%), FTEs A1 G7 = 2 of 3 (66.7%), ratio
    # (2/3)/(5/8) = 16/15 = 1.07; Female B2 D4 I9 = 3 (37.5%), FTE B2 = 1 (33.3%),
    # ratio (1/3)/(3/8) = 8/9 = 0.89.
    assert shares(fte.breakdowns["sex"]) == [
        ("Male", 5, 62.5, 2, 66.7, 1.07),
        ("Female", 3, 37.5, 1, 33.3, 0.89),
    ]
    # Age band of the index outcome: 15-17 A1(15) B2(17) C3(15) G7(15) H8(16) = 5 (62.5%)
    # with all 3 FTEs (100%): ratio 1/(5/8) = 1.6; 10-14 D4(14) E5(13) I9(13) = 3, none.
    assert shares(fte.breakdowns["age_band"]) == [
        ("15–17", 5, 62.5, 3, 100.0, 1.6),
        ("10–14", 3, 37.5, 0, 0.0, 0.0),
    ]
    # Ethnicity: White A1 D4 E5 G7 = 4 (50%), FTEs A1 G7 (66.7%): (2/3)/(1/2) = 1.33;
    # Black B2 C3 = 2 (25%), FTE B2 (33.3%): 1.33; Asian I9 and Mixed H8, 1 each (12.5%),
    # no FTE (F6 is Asian but 19). Ties sorted by name.
    assert shares(fte.breakdowns["ethnicity"]) == [
        ("White", 4, 50.0, 2, 66.7, 1.33),
        ("Black", 2, 25.0, 1, 33.3, 1.33),
        ("Asian", 1, 12.5, 0, 0.0, 0.0),
        ("Mixed", 1, 12.5, 0, 0.0, 0.0),
    ]


def test_a_second_outcome_is_not_a_first_time_entry(extract):
    # Q2 (Jul-Sep 2024): A1's RO (15 Sep) is A1's second outcome; D4's YC (1 Aug) after
    # triage is D4's first: 1 FTE. Q3: B2's YRO is for an offence at 18: none.
    assert yj.first_time_entrants(extract, date(2024, 7, 1), date(2024, 9, 30)).count == 1
    assert yj.first_time_entrants(extract, date(2024, 10, 1), date(2024, 12, 31)).count == 0
    # Over the whole extract each child enters once: A1 B2 C3 D4 G7 H8 I9 (not E5, F6).
    assert yj.first_time_entrants(extract, date(2020, 1, 1), TODAY).count == 7


def test_reoffending_final(extract):
    result = yj.reoffending(extract, START, END, as_at=TODAY)
    # Cohort A1 B2 C3 G7 H8 = 5 (F6 is 19). Reoffences: A1 1 (the RO; the YRO is proven
    # after 10 Oct 2025), G7 3 (two ROs and the YRO proven by 1 Dec 2025), B2 1 (the YRO:
    # offence on 1 Sep 2024 at 18, after the index of 20 Jun 2024 and by 20 Jun 2025, proven
    # 1 Dec 2024, by 20 Dec 2025: reoffences count at any age); C3's offence after 2 May
    # 2025 and C3's same-day DTO do not count. 3 reoffenders, 5 reoffences.
    assert (result.cohort, result.reoffenders, result.reoffences) == (5, 3, 5)
    assert result.binary_rate == 60.0  # 3 / 5
    assert result.per_reoffender == 1.67  # 5 / 3 = 1.666...
    assert result.per_member == 1.0  # 5 / 5
    assert result.value == 60.0
    assert result.final_on == date(2025, 12, 30)
    assert result.provisional is False
    # Ethnicity: Black B2 C3 = 2 (40%), B2 reoffends (1 of 3 reoffenders, 33.3%): (1/3)/0.4
    # = 0.83; White A1 G7 = 2 (40%), both reoffend (66.7%): (2/3)/0.4 = 1.67; Mixed H8 = 1
    # (20%), none. Black before White on the name.
    assert shares(result.breakdowns["ethnicity"]) == [
        ("Black", 2, 40.0, 1, 33.3, 0.83),
        ("White", 2, 40.0, 2, 66.7, 1.67),
        ("Mixed", 1, 20.0, 0, 0.0, 0.0),
    ]
    data = result.as_dict()
    assert data["final_on"] == "2025-12-30" and data["start"] == "2024-04-01"
    assert data["breakdowns"]["ethnicity"][1]["ratio"] == 1.67
    json.dumps(data)


def test_reoffending_provisional(extract):
    # As at 31 Mar 2025 G7's YRO (1 Sep 2025) is not yet known: A1 1, G7 2, B2 1 (given on
    # 1 Dec 2024) = 4 reoffences by 3 reoffenders: 60%, 4/3 = 1.33, 4/5 = 0.8.
    result = yj.reoffending(extract, START, END, as_at=date(2025, 3, 31))
    assert (result.cohort, result.reoffenders, result.reoffences) == (5, 3, 4)
    assert (result.binary_rate, result.per_reoffender, result.per_member) == (60.0, 1.33, 0.8)
    assert result.provisional is True
    # As at 31 Aug 2024 nobody's reoffence is proven yet: no ratio per reoffender.
    early = yj.reoffending(extract, START, END, as_at=date(2024, 8, 31))
    assert (early.reoffenders, early.binary_rate, early.per_reoffender) == (0, 0.0, None)
    assert all(g.ratio is None for g in early.breakdowns["sex"])
    # On the day the window closes the figure is final.
    assert not yj.reoffending(extract, START, END, as_at=date(2025, 12, 30)).provisional


def test_custody(extract):
    result = yj.custody(extract, START, END)
    # C3's two DTO rows on 2 May are one sentence, the licence (25 Jun) none; H8's S250: 2.
    assert (result.count, result.outcome_people) == (2, 2)
    # Cohort: court or custody outcomes in P to children aged 10-17 on the day: C3, H8 = 2
    # (A1, G7 were cautioned; B2's RO on 20 Jun 2024 was given at 18, five days after the
    # birthday: an adult's sentence, so B2 could not have been in the custody count).
    assert result.cohort == 2
    # Sex: Male C3 H8 2 (100%), both in custody (100%): 1.0.
    assert shares(result.breakdowns["sex"]) == [("Male", 2, 100.0, 2, 100.0, 1.0)]
    # A period with only the licence has no custody.
    assert yj.custody(extract, date(2024, 6, 11), date(2024, 6, 30)).count == 0
    assert yj.rate(result.count, 12_000, 1000) == 0.2  # 0.1667 per 1,000
    assert yj.rate(result.count, None, 1000) is None
    assert yj.rate(result.count, 0, 1000) is None


def test_fte_rate():
    assert yj.rate(3, 12_000, 100_000) == 25.0
    assert yj.rate(1, 8_000, 100_000) == 12.5
    assert yj.rate(1, 24_000, 100_000) == 4.2  # 4.1667
    assert yj.rate(3, None, 100_000) is None


def test_triage_to_fte(extract):
    result = yj.triage_to_fte(extract, START, END, as_at=TODAY)
    # First triage in P: D4 (20 Apr), E5 (5 May), I9 (30 Jun). D4 entered on 1 Aug 2024;
    # E5 never; I9 on 15 Jul 2025, after 30 Jun 2025: 1 of 3.
    assert (result.cohort, result.count, result.value) == (3, 1, 33.3)
    assert result.provisional is False and result.final_on == date(2025, 6, 30)
    # As at 15 Jul 2024 D4 had not yet entered: 0%, provisional.
    early = yj.triage_to_fte(extract, START, END, as_at=date(2024, 7, 15))
    assert (early.count, early.value, early.provisional) == (0, 0.0, True)
    # Sex: Female D4 I9 = 2 (66.7%), D4 entered (100%): 1.5; Male E5 (33.3%): 0.
    assert shares(result.breakdowns["sex"]) == [
        ("Female", 2, 66.7, 1, 100.0, 1.5),
        ("Male", 1, 33.3, 0, 0.0, 0.0),
    ]
    assert result.as_dict()["as_at"] == "2026-06-01"


def test_empty_period_and_plain_outcome_lists(extract):
    outcomes = list(extract.outcomes)  # the measures also take the outcomes themselves
    assert yj.first_time_entrants(outcomes, START, END).count == 3
    empty = yj.reoffending(outcomes, date(2019, 1, 1), date(2019, 3, 31), as_at=TODAY)
    assert (empty.cohort, empty.binary_rate, empty.per_member) == (0, None, None)
    assert empty.breakdowns == {"ethnicity": [], "sex": [], "age_band": []}
    assert yj.triage_to_fte(outcomes, date(2019, 1, 1), date(2019, 3, 31), TODAY).value is None
    every = yj.all_measures(extract, START, END, TODAY)
    assert {k: v.value for k, v in every.items()} == {
        "fte": 3,
        "reoffending": 60.0,
        "custody": 2,
        "triage_to_fte": 33.3,
    }


def test_months_after_clamps_to_the_month_end():
    assert yj.months_after(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert yj.months_after(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert yj.months_after(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert yj.months_after(date(2024, 1, 15), 18) == date(2025, 7, 15)
    assert yj.months_after(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert yj.months_after(date(2024, 12, 31), 1) == date(2025, 1, 31)


def test_definitions_cover_every_measure():
    for key in ("fte", "reoffending", "reoffences_per_reoffender", "custody", "triage_to_fte"):
        assert yj.DEFINITIONS[key].strip()


# Turning 18. The national definitions take age where each measure takes it: first-time
# entrants and the reoffending cohort by the age at the index offence (10 to 17),
# reoffences at any age, custody by the age on the date of the sentence.
#
# Same period P (1 Apr - 30 Jun 2024), as at TODAY. Index + 12 months / + 18 months:
#   J10  M White  born 2006-09-01  YC 2024-05-10 for 2024-05-01 (17): FTE, index 2024-05-10
#                                  (+12: 2025-05-10, +18: 2025-11-10)
#                                  RO 2025-01-15 for 2024-10-01, committed at 18 (birthday
#                                  1 Sep 2024), in time and proven in time: a reoffence
#   K11  F White  born 2006-08-01  YC 2024-06-05 for 2024-06-01 (17): FTE, index 2024-06-05
#                                  (+12: 2025-06-05, +18: 2025-12-05)
#                                  YRO 2025-12-06 for 2025-02-01 (18): proven a day late
#   L12  M Black  born 2006-04-15  RO 2024-04-12 for 2024-04-01 (17; 17 at the sentence
#                                  too): FTE, index 2024-04-12 (+12: 2025-04-12, +18:
#                                  2025-10-12)
#                                  YRO 2025-10-12 for 2025-04-12 (18): both on the last
#                                  day: a reoffence; YC 2025-06-01 for 2025-04-13: committed
#                                  a day late
#   M13  M White  born 2006-03-01  first offence at 18: triage 2024-04-20, YC 2024-05-01,
#                                  S250 2024-06-15, RO 2024-08-01, all for offences at 18:
#                                  in no cohort, never a first-time entrant
#   N14  F Asian  born 2006-06-10  DTO 2024-06-09 for 2024-03-01: sentenced at 17, the day
#                                  before the 18th birthday: custody. FTE, index 2024-06-09
#   P15  M Mixed  born 2006-05-20  DTO 2024-05-20 for 2024-02-01: sentenced on the 18th
#                                  birthday: not custody by the YJB's count (an adult's
#                                  sentence), but the offence was at 17: FTE, index 2024-05-20
EIGHTEEN = """\
Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date
J10,2006-09-01,M,White,YC,2024-05-10,2024-05-01
J10,2006-09-01,M,White,RO,2025-01-15,2024-10-01
K11,2006-08-01,F,White,YC,2024-06-05,2024-06-01
K11,2006-08-01,F,White,YRO,2025-12-06,2025-02-01
L12,2006-04-15,M,Black,RO,2024-04-12,2024-04-01
L12,2006-04-15,M,Black,YRO,2025-10-12,2025-04-12
L12,2006-04-15,M,Black,YC,2025-06-01,2025-04-13
M13,2006-03-01,M,White,Triage,2024-04-20,2024-04-15
M13,2006-03-01,M,White,YC,2024-05-01,2024-04-20
M13,2006-03-01,M,White,S250,2024-06-15,2024-05-01
M13,2006-03-01,M,White,RO,2024-08-01,2024-07-01
N14,2006-06-10,F,Asian,DTO,2024-06-09,2024-03-01
P15,2006-05-20,M,Mixed,DTO,2024-05-20,2024-02-01
"""


@pytest.fixture(scope="module")
def eighteen() -> list[Outcome]:
    outcomes = read_extract_bytes(EIGHTEEN.encode(), "eighteen.csv", today=TODAY)
    assert len(outcomes) == 13  # the reader keeps every row, whatever the age
    return outcomes


def person(outcomes: list[Outcome], person_id: str) -> list[Outcome]:
    return [o for o in outcomes if o.person_id == person_id]


def test_a_reoffence_committed_after_18_counts(eighteen):
    # (a) J10: index 10 May 2024 (offence at 17); the RO's offence on 1 Oct 2024 is after
    # the 18th birthday, within 12 months of the index, proven on 15 Jan 2025, within 18.
    # 1 of 1 reoffends, with 1 reoffence: 100%, 1.0 per reoffender, 1.0 per member.
    j10 = yj.reoffending(person(eighteen, "J10"), START, END, as_at=TODAY)
    assert (j10.cohort, j10.reoffenders, j10.reoffences) == (1, 1, 1)
    assert (j10.binary_rate, j10.per_reoffender, j10.per_member) == (100.0, 1.0, 1.0)
    # Provisional on 14 Jan 2025 (the RO not yet given), counted from 15 Jan.
    assert yj.reoffending(eighteen, START, END, as_at=date(2025, 1, 14)).reoffenders == 0
    assert yj.reoffending(eighteen, START, END, as_at=date(2025, 1, 15)).reoffenders == 1


def test_a_reoffence_after_18_proven_too_late_does_not_count(eighteen):
    # (b) K11: index 5 Jun 2024, proven by 5 Dec 2025; the YRO (offence at 18 on 1 Feb
    # 2025, in time) is given on 6 Dec 2025, a day late: 0 of 1 reoffend.
    k11 = person(eighteen, "K11")
    late = yj.reoffending(k11, START, END, as_at=TODAY)
    assert (late.cohort, late.reoffenders, late.reoffences, late.binary_rate) == (1, 0, 0, 0.0)
    # The same reoffence proven a day earlier, on the last day, counts: it is the 18 months
    # that leave it out, not the age at the reoffence.
    on_time = [k11[0], replace(k11[1], outcome_date=date(2025, 12, 5))]
    result = yj.reoffending(on_time, START, END, as_at=TODAY)
    assert (result.reoffenders, result.reoffences, result.binary_rate) == (1, 1, 100.0)


def test_reoffending_cohort_by_the_index_offence_reoffences_at_any_age(eighteen):
    result = yj.reoffending(eighteen, START, END, as_at=TODAY)
    # Cohort: J10 K11 L12 N14 P15 = 5 (offences at 17; M13's at 18 never). Reoffences: J10
    # 1 (a), L12 1 (the YRO on the last days of both windows; the YC's offence on 13 Apr
    # 2025 is a day past index + 12 months), K11 none (b): 2 reoffenders, 2 reoffences.
    assert (result.cohort, result.reoffenders, result.reoffences) == (5, 2, 2)
    assert result.binary_rate == 40.0  # 2 / 5
    assert result.per_reoffender == 1.0  # 2 / 2
    assert result.per_member == 0.4  # 2 / 5
    # Sex: Male J10 L12 P15 = 3 (60%), reoffenders J10 L12 (100%): 1 / 0.6 = 1.67;
    # Female K11 N14 = 2 (40%), none.
    assert shares(result.breakdowns["sex"]) == [
        ("Male", 3, 60.0, 2, 100.0, 1.67),
        ("Female", 2, 40.0, 0, 0.0, 0.0),
    ]


def test_a_first_offence_at_18_is_in_no_cohort(eighteen):
    # (c) M13 offends first at 18: a triage, a caution, custody and a court order, none of
    # them a youth outcome. With M13 alone every cohort is empty.
    m13 = person(eighteen, "M13")
    whole = (date(2020, 1, 1), TODAY)
    assert yj.first_time_entrants(m13, *whole).count == 0
    assert yj.first_time_entrants(m13, *whole).cohort == 0
    assert yj.reoffending(m13, *whole, as_at=TODAY).cohort == 0
    assert yj.custody(m13, *whole).count == yj.custody(m13, *whole).cohort == 0
    assert yj.triage_to_fte(m13, *whole, as_at=TODAY).cohort == 0
    # Among the others: FTEs in P are J10 K11 L12 N14 P15 = 5, from a cohort of the same 5
    # (M13's triage and caution at 18 do not put M13 in it); over the whole extract too.
    fte = yj.first_time_entrants(eighteen, START, END)
    assert (fte.count, fte.cohort) == (5, 5)
    assert yj.first_time_entrants(eighteen, *whole).count == 5
    # Q2 2024 (Jul-Sep): M13's RO on 1 Aug is the only outcome: no cohort at all.
    q2 = (date(2024, 7, 1), date(2024, 9, 30))
    assert yj.reoffending(eighteen, *q2, as_at=TODAY).cohort == 0
    assert yj.first_time_entrants(eighteen, *q2).cohort == 0


def test_custody_counts_children_by_their_age_at_the_sentence(eighteen):
    result = yj.custody(eighteen, START, END)
    # N14's DTO on 9 Jun 2024, the day before the 18th birthday: 1. Not P15's DTO, given on
    # the 18th birthday (20 May 2024) for an offence at 17, nor M13's S250 at 18.
    assert (result.count, result.outcome_people) == (1, 1)
    # Cohort: court or custody outcomes in P to children aged 10-17 on the day: L12's RO
    # (17 on 12 Apr 2024) and N14 = 2; not P15 (18 on the day), not M13.
    assert result.cohort == 2
    # Ethnicity: Asian N14 1 (50%), in custody (100%): 2.0; Black L12 1 (50%), 0.
    assert shares(result.breakdowns["ethnicity"]) == [
        ("Asian", 1, 50.0, 1, 100.0, 2.0),
        ("Black", 1, 50.0, 0, 0.0, 0.0),
    ]
    # P15's sentence at 18 is still P15's entry: the offence was at 17.
    assert yj.first_time_entrants(person(eighteen, "P15"), START, END).count == 1
    assert yj.custody(person(eighteen, "P15"), START, END).count == 0
    assert yj.custody(person(eighteen, "N14"), START, END).count == 1


def test_each_definition_states_its_age_rule():
    # One source of truth: the import page lists DEFINITIONS, an indicator's page shows its
    # measure's entry; each says which age counts.
    d = yj.DEFINITIONS
    assert "offence committed at 10 to 17" in d["fte"] and "18 or over" in d["fte"]
    assert (
        "at any age" in d["reoffending"]
        and "10 to 17 (age at the index offence)" in (d["reoffending"])
    )
    for key in ("reoffences_per_reoffender", "reoffences_per_member"):
        assert "10 to 17 at the index offence, reoffences at any age" in d[key]
    assert "aged 10 to 17 on the date of the sentence" in d["custody"]
    assert "use of custody" in d["custody"]
    assert "Custody: age on the date of the sentence" in d["ages"]


AFTER_18 = """\
Person ID,Date of birth,Sex,Ethnicity,Outcome type,Outcome date,Offence date
YJ-1,2007-06-01,M,White,Youth Caution,2025-05-01,2025-04-01
YJ-1,2007-06-01,M,White,Referral Order,2025-09-01,2025-07-01
YJ-2,2010-01-01,F,Asian,Youth Caution,2025-06-01,2025-05-01
"""


@pytest.mark.django_db
def test_web_import_counts_a_reoffence_after_18_and_the_page_shows_the_rule(signed_in, council):
    from django.urls import reverse
    from django.utils.html import escape

    from saferhub.indicators.definitions import Frequency, Source
    from saferhub.indicators.models import Indicator, Value
    from saferhub.indicators.models import YouthJusticeMeasure as M

    indicator = Indicator.objects.create(
        code="YJ-REOFF",
        name="Proven reoffending",
        definition="d",
        owner=council,
        source=Source.YOUTH_JUSTICE,
        youth_justice_measure=M.REOFFENDING_RATE,
        frequency=Frequency.ANNUAL,
        unit="percentage",
    )
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(AFTER_18.encode())
    upload.name = "extract.csv"
    response = client.post(reverse("indicators:youth-justice"), {"extract": upload})
    assert response.status_code == 302
    # 2025/26, as at the frozen today (24 Nov 2026): cohort YJ-1 (index 1 May 2025, offence
    # at 17) and YJ-2 (15) = 2. YJ-1's RO: offence on 1 Jul 2025 at 18 (birthday 1 Jun),
    # by 1 May 2026, proven 1 Sep 2025, by 1 Nov 2026: a reoffence. 1 of 2 = 50.0%,
    # provisional until 31 Mar 2026 + 18 months = 30 Sep 2027.
    value = Value.objects.get(indicator=indicator, period="2025/26")
    assert value.value == Decimal("50.0") and value.provisional
    page = client.get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert escape(yj.DEFINITIONS["reoffending"]) in page
    assert "at any age" in page
