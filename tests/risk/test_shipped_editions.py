"""The Channel VAF and ASB perpetrator matrix editions: they load, score as worked by hand,
declare their source and wording honestly, and reject bad answers by name."""

from __future__ import annotations

import pytest

from saferhub.risk.questionnaire import shipped_questionnaire
from saferhub.risk.scoring import AnswerError, score

ENGAGEMENT = [f"e{i:02d}" for i in range(1, 14)]
INTENT = [f"i{i:02d}" for i in range(1, 7)]
CAPABILITY = [f"c{i:02d}" for i in range(1, 4)]


def vaf_answers(present: list[str] = (), not_known: list[str] = ()) -> dict[str, str]:
    answers = {qid: "no" for qid in ENGAGEMENT + INTENT + CAPABILITY}
    answers.update({qid: "yes" for qid in present})
    answers.update({qid: "not_known" for qid in not_known})
    return answers


def test_vaf_has_22_factors_in_three_dimensions() -> None:
    q = shipped_questionnaire("channel-vaf")
    by_section = {s.id: [x.id for x in q.questions if x.section == s.id] for s in q.sections}
    assert by_section == {"engagement": ENGAGEMENT, "intent": INTENT, "capability": CAPABILITY}


def test_vaf_source_is_paraphrase_from_home_office() -> None:
    q = shipped_questionnaire("channel-vaf")
    assert q.source.wording == "paraphrase"
    assert q.source.url.startswith("https://www.gov.uk/")
    assert str(q.source.accessed) == "2026-12-02"


def test_vaf_no_factors_is_none_identified() -> None:
    result = score(shipped_questionnaire("channel-vaf"), vaf_answers())
    assert (result.score, result.level, result.raised_by) == (0, "none_identified", ())


def test_vaf_not_known_is_not_counted() -> None:
    result = score(shipped_questionnaire("channel-vaf"), vaf_answers(not_known=["e01", "i01"]))
    assert result.score == 0
    assert result.level == "none_identified"
    assert "(2 not known)" in result.reasons[0]


def test_vaf_factors_in_each_dimension_are_counted_for_the_panel() -> None:
    present = ["e03", "e11", "i02", "c02"]
    result = score(shipped_questionnaire("channel-vaf"), vaf_answers(present))
    assert result.score == 4
    assert result.level == "for_panel"
    assert result.reasons[0] == "4 of 22 answers yes"
    assert "engagement factors present" in result.met
    assert "intent factors present" in result.met
    assert "capability factors present" in result.met


def test_vaf_one_dimension_only_names_that_dimension() -> None:
    result = score(shipped_questionnaire("channel-vaf"), vaf_answers(["c03"]))
    assert result.score == 1
    assert "capability factors present" in result.met
    assert "intent factors present" not in result.met


def test_vaf_professional_judgement_brings_case_to_panel() -> None:
    answers = vaf_answers() | {"professional_judgement": "yes"}
    result = score(shipped_questionnaire("channel-vaf"), answers)
    assert result.score == 0
    assert result.level == "for_panel"
    assert result.raised_by == ("professional_judgement",)


def test_vaf_missing_and_bad_answers_are_named() -> None:
    answers = vaf_answers()
    del answers["i04"]
    answers["e01"] = "maybe"
    with pytest.raises(AnswerError) as err:
        score(shipped_questionnaire("channel-vaf"), answers)
    assert set(err.value.problems) == {"i04", "e01"}


AGGRAVATING = [
    "a_vulnerable",
    "a_hate",
    "a_weapons",
    "a_substances",
    "a_breach",
    "a_escalation",
    "a_many_victims",
]


def perp(impact: int, likelihood: int, present: list[str] = ()) -> dict[str, object]:
    answers: dict[str, object] = {qid: "no" for qid in AGGRAVATING}
    answers.update({qid: "yes" for qid in present})
    return answers | {"impact": impact, "likelihood": likelihood}


def test_perpetrator_source_is_example() -> None:
    q = shipped_questionnaire("asb-perpetrator-matrix")
    assert q.id == "asb-perpetrator"
    assert q.source.wording == "example"
    assert str(q.source.accessed) == "2026-12-02"


@pytest.mark.parametrize(
    ("impact", "likelihood", "expected_score", "level"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),  # top of low
        (1, 5, 5, "medium"),  # bottom of medium
        (3, 3, 9, "medium"),
        (1, 5, 5, "medium"),
        (5, 2, 10, "medium"),
        (4, 3, 12, "high"),  # bottom of high; 11 is impossible (prime above 5)
        (5, 5, 25, "high"),
    ],
)
def test_perpetrator_matrix_bands(
    impact: int, likelihood: int, expected_score: int, level: str
) -> None:
    result = score(shipped_questionnaire("asb-perpetrator-matrix"), perp(impact, likelihood))
    assert (result.score, result.level) == (expected_score, level)


def test_perpetrator_two_aggravating_factors_raise_low_to_medium() -> None:
    q = shipped_questionnaire("asb-perpetrator-matrix")
    one = score(q, perp(2, 2, ["a_hate"]))
    two = score(q, perp(2, 2, ["a_hate", "a_breach"]))
    assert one.level == "low"
    assert two.level == "medium"
    assert two.raised_by == ("two or more aggravating factors",)


def test_perpetrator_four_aggravating_factors_raise_to_high() -> None:
    q = shipped_questionnaire("asb-perpetrator-matrix")
    result = score(q, perp(1, 2, ["a_vulnerable", "a_weapons", "a_escalation", "a_substances"]))
    assert result.score == 2
    assert result.level == "high"
    assert "four or more aggravating factors" in result.raised_by


def test_perpetrator_raise_never_lowers() -> None:
    result = score(
        shipped_questionnaire("asb-perpetrator-matrix"), perp(5, 5, ["a_hate", "a_breach"])
    )
    assert result.level == "high"
    assert result.raised_by == ()


def test_perpetrator_impact_out_of_range_is_named() -> None:
    with pytest.raises(AnswerError) as err:
        score(shipped_questionnaire("asb-perpetrator-matrix"), perp(6, 1))
    assert "impact" in err.value.problems
