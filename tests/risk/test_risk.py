"""Risk questionnaires: the shipped files load, DASH counts and judgements, bad files and answers
are named, and a reassessment shows what changed. Pure: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferhub.risk import (
    AnswerError,
    compare,
    score,
    shipped_questionnaire,
)

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "src/saferhub/risk/questionnaires"


@pytest.fixture(scope="module")
def dash():
    return shipped_questionnaire("dash-2009")


@pytest.fixture(scope="module")
def asb():
    return shipped_questionnaire("asb-victim-matrix")


def dash_answers(yes: int, **extra: str) -> dict[str, str]:
    """`yes` yes answers (the first questions), the rest no."""
    answers = {f"q{i}": ("yes" if i <= yes else "no") for i in range(1, 25)}
    answers.update(extra)
    return answers


def asb_answers(harm: int, likelihood: int, vulnerable: int = 0) -> dict[str, str | int]:
    ids = ["v_health", "v_isolated", "v_targeted", "v_repeat", "v_home", "v_children"]
    ids += ["v_daily_life", "v_moving"]
    answers: dict[str, str | int] = {
        v: ("yes" if i < vulnerable else "no") for i, v in enumerate(ids)
    }
    answers.update(harm=harm, likelihood=likelihood)
    return answers


# --- the shipped files ---------------------------------------------------------------------


def test_every_shipped_file_loads():
    names = sorted(p.stem for p in QUESTIONNAIRES.glob("*.toml"))
    assert names == ["asb-perpetrator-matrix", "asb-victim-matrix", "channel-vaf", "dash-2009"]
    for name in names:
        assert shipped_questionnaire(name).version


def test_dash_has_the_24_yes_no_questions_and_cites_its_source(dash):
    assert [q.id for q in dash.questions] == [f"q{i}" for i in range(1, 25)]
    assert {q.answer_type.value for q in dash.questions} == {"yes_no_not_known"}
    assert dash.source.publisher.startswith("SafeLives")
    assert dash.source.url.startswith("https://safelives.org.uk/")
    assert dash.source.wording == "paraphrase"
    assert [j.id for j in dash.judgements] == ["professional_judgement", "potential_escalation"]


def test_asb_file_says_it_is_an_example(asb):
    assert asb.source.wording == "example"
    assert "Innes" in asb.source.title
    assert asb.scoring.kind.value == "matrix"


# --- DASH scoring --------------------------------------------------------------------------


def test_dash_14_yes_is_visible_high_risk(dash):
    result = score(dash, dash_answers(14))
    assert (result.score, result.level) == (14, "high")
    assert "14 or more yes answers: visible high risk" in result.reasons
    assert result.met == ("threshold",)


def test_dash_13_yes_is_not_high(dash):
    result = score(dash, dash_answers(13))
    assert (result.score, result.level) == (13, "below_threshold")
    assert result.met == ()


def test_not_known_is_not_counted_as_yes(dash):
    answers = dash_answers(13) | {"q20": "not_known", "q21": "not_known"}
    result = score(dash, answers)
    assert (result.score, result.level) == (13, "below_threshold")
    assert result.reasons[0] == "13 of 24 answers yes (2 not known)"


@pytest.mark.parametrize("judgement", ["professional_judgement", "potential_escalation"])
def test_dash_judgement_alone_makes_13_yes_high(dash, judgement):
    result = score(dash, dash_answers(13, **{judgement: "yes"}))
    assert result.score == 13
    assert result.level == "high"
    assert result.raised_by == (judgement,)
    label = judgement.replace("_", " ")
    assert f"{label}: high risk" in result.reasons


def test_dash_judgement_alone_makes_no_yes_high(dash):
    result = score(dash, dash_answers(0, professional_judgement="yes"))
    assert (result.score, result.level) == (0, "high")
    assert result.reasons[-1] == "professional judgement: high risk"


@pytest.mark.parametrize("said", ["no", "not_known"])
def test_dash_judgement_never_lowers(dash, said):
    result = score(dash, dash_answers(20, professional_judgement=said, potential_escalation=said))
    assert result.level == "high"
    assert result.raised_by == ()


def test_dash_judgement_on_a_high_count_is_a_criterion_met_but_raises_nothing(dash):
    result = score(dash, dash_answers(16, potential_escalation="yes"))
    assert result.level == "high"
    assert result.met == ("threshold", "potential_escalation")
    assert result.raised_by == ()


# --- ASB matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("harm", "likelihood", "level"),
    [(1, 4, "low"), (1, 5, "medium"), (3, 3, "medium"), (3, 4, "high"), (5, 5, "high")],
)
def test_asb_matrix_bands(asb, harm, likelihood, level):
    result = score(asb, asb_answers(harm, likelihood))
    assert result.score == harm * likelihood
    assert result.level == level
    assert result.reasons[0] == f"harm {harm} × likelihood {likelihood} = {harm * likelihood}"


@pytest.mark.parametrize(("vulnerable", "level"), [(2, "low"), (3, "medium"), (5, "high")])
def test_asb_vulnerability_raises_a_low_matrix(asb, vulnerable, level):
    assert score(asb, asb_answers(1, 2, vulnerable)).level == level


def test_asb_vulnerability_never_lowers_a_high_matrix(asb):
    assert score(asb, asb_answers(5, 4, vulnerable=3)).level == "high"


# --- bad answers ---------------------------------------------------------------------------


def test_bad_answers_are_each_named(dash):
    answers = dash_answers(5)
    del answers["q7"]
    answers["q3"] = "maybe"
    answers["q99"] = "yes"
    answers["professional_judgement"] = True  # type: ignore[assignment]
    with pytest.raises(AnswerError) as caught:
        score(dash, answers)
    problems = caught.value.problems
    assert set(problems) == {"q3", "q7", "q99", "professional_judgement"}
    assert "not 'maybe'" in problems["q3"]
    assert "required" in problems["q7"]
    assert "not a question" in problems["q99"]
    assert "question 'q3'" in str(caught.value)


def test_number_answers_out_of_range_or_not_numbers_are_named(asb):
    answers = asb_answers(3, 3) | {"harm": 6, "likelihood": "often", "notes": 12}
    with pytest.raises(AnswerError) as caught:
        score(asb, answers)
    assert caught.value.problems == {
        "harm": "must be at most 5, not 6",
        "likelihood": "must be a whole number, not 'often'",
        "notes": "must be text, not 12",
    }


def test_optional_text_may_be_left_out(asb):
    assert "notes" not in asb_answers(2, 2)
    assert score(asb, asb_answers(2, 2)).score == 4


# --- reassessment --------------------------------------------------------------------------


def test_reassessment_lists_changed_answers_and_score_before_and_after(dash):
    before = score(dash, dash_answers(12))
    after = score(dash, dash_answers(12) | {"q13": "yes", "q14": "yes", "q1": "not_known"})
    comparison = compare(before, after)
    assert [(c.question_id, c.before, c.after) for c in comparison.changes] == [
        ("q1", "yes", "not_known"),
        ("q13", "no", "yes"),
        ("q14", "no", "yes"),
    ]
    assert (comparison.score_before, comparison.score_after) == (12, 13)
    assert comparison.score_change == 1
    assert comparison.summary() == (
        "score 12 → 13; level unchanged (below_threshold); 3 answers changed"
    )


def test_reassessment_shows_a_judgement_added_and_the_level_rising(dash):
    before = score(dash, dash_answers(10))
    after = score(dash, dash_answers(10, professional_judgement="yes"))
    comparison = compare(before, after)
    assert [(c.question_id, c.before, c.after) for c in comparison.changes] == [
        ("professional_judgement", None, "yes")
    ]
    assert (comparison.level_before, comparison.level_after) == ("below_threshold", "high")
    assert comparison.score_change == 0


def test_assessments_of_different_questionnaires_are_not_compared(dash, asb):
    with pytest.raises(ValueError, match="cannot compare"):
        compare(score(dash, dash_answers(1)), score(asb, asb_answers(1, 1)))
