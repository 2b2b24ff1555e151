"""Scoring a set of answers against a questionnaire: pure functions, no storage.

The result carries the score, the level and the reasons in words, because a practitioner (and
a MARAC) has to see why a case is high risk, not only that it is. The level follows the
thresholds first; judgement fields and raise rules can only take it higher, never lower, which
is how DASH treats professional judgement and potential escalation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from saferhub.risk.questionnaire import (
    NOT_KNOWN,
    YES,
    YES_NO_VALUES,
    AnswerType,
    Question,
    Questionnaire,
    ScoringKind,
    Threshold,
)

Answer = str | int
Answers = Mapping[str, Answer]


class AnswerError(Exception):
    """Answers that cannot be scored; `problems` maps each question id to what is wrong."""

    def __init__(self, questionnaire: Questionnaire, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        lines = [f"question '{qid}': {message}" for qid, message in self.problems.items()]
        super().__init__(
            f"{questionnaire.title} (version {questionnaire.version}): " + "; ".join(lines)
        )


@dataclass(frozen=True)
class Result:
    """A scored assessment: what was answered, the score, the level and why."""

    questionnaire_id: str
    version: str
    answers: dict[str, Answer]
    score: int
    level: str
    level_label: str
    reasons: tuple[str, ...]
    raised_by: tuple[str, ...]  # ids of the judgements / labels of raise rules that raised it
    met: tuple[str, ...]  # every criterion met, e.g. ("threshold", "professional_judgement")


@dataclass(frozen=True)
class Change:
    question_id: str
    before: Answer | None
    after: Answer | None


@dataclass(frozen=True)
class Comparison:
    """A reassessment set against the assessment before it."""

    changes: tuple[Change, ...]
    score_before: int
    score_after: int
    level_before: str
    level_after: str
    version_before: str
    version_after: str

    @property
    def score_change(self) -> int:
        return self.score_after - self.score_before

    def summary(self) -> str:
        """One sentence for a case history, e.g. "score 12 → 15; 3 answers changed"."""
        level = (
            f"level {self.level_before} → {self.level_after}"
            if self.level_before != self.level_after
            else f"level unchanged ({self.level_after})"
        )
        count = len(self.changes)
        noun = "answer" if count == 1 else "answers"
        return f"score {self.score_before} → {self.score_after}; {level}; {count} {noun} changed"


def validate_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Answer]:
    """Check every answer, naming each unknown id, wrong type and missing required answer.

    All problems are collected and raised together as one AnswerError, so a form can mark
    every field at once. Returns the answers as a plain dict when they are all good.
    """
    problems: dict[str, str] = {}
    for qid, answer in answers.items():
        question = questionnaire.question(qid)
        if question is not None:
            message = _check_answer(question, answer)
        elif questionnaire.judgement(qid) is not None:
            message = _check_yes_no(answer)
        else:
            message = "is not a question in this questionnaire"
        if message:
            problems[qid] = message
    for question in questionnaire.questions:
        if question.required and question.id not in answers:
            problems[question.id] = "is required and has no answer"
    if problems:
        raise AnswerError(questionnaire, problems)
    return dict(answers)


def _check_answer(question: Question, answer: object) -> str:
    if question.answer_type is AnswerType.YES_NO_NOT_KNOWN:
        return _check_yes_no(answer)
    if question.answer_type is AnswerType.CHOICE:
        if not isinstance(answer, str) or question.choice(answer) is None:
            allowed = ", ".join(ch.value for ch in question.choices)
            return f"must be one of {allowed}, not {answer!r}"
        return ""
    if question.answer_type is AnswerType.NUMBER:
        if isinstance(answer, bool) or not isinstance(answer, int):
            return f"must be a whole number, not {answer!r}"
        if question.minimum is not None and answer < question.minimum:
            return f"must be at least {question.minimum}, not {answer}"
        if question.maximum is not None and answer > question.maximum:
            return f"must be at most {question.maximum}, not {answer}"
        return ""
    if not isinstance(answer, str):
        return f"must be text, not {answer!r}"
    return ""


def _check_yes_no(answer: object) -> str:
    if answer not in YES_NO_VALUES:
        return f"must be one of {', '.join(YES_NO_VALUES)}, not {answer!r}"
    return ""


def _points(question: Question, answer: Answer) -> int:
    """The whole number an answer contributes to a matrix or a sum."""
    if question.answer_type is AnswerType.NUMBER:
        return int(answer)
    if question.answer_type is AnswerType.CHOICE:
        choice = question.choice(str(answer))
        return choice.points if choice else 0
    return 1 if answer == YES else 0


def _raw_score(questionnaire: Questionnaire, answers: dict[str, Answer]) -> tuple[int, str]:
    """The score and the words for how it was reached."""
    rule = questionnaire.scoring
    if rule.kind is ScoringKind.COUNT:
        counted = questionnaire.counted_questions()
        total = sum(1 for qid in counted if answers.get(qid) == rule.value)
        unknown = sum(1 for qid in counted if answers.get(qid) == NOT_KNOWN)
        words = f"{total} of {len(counted)} answers {_quote(rule.value)}"
        if unknown and rule.value != NOT_KNOWN:
            words += f" ({unknown} not known)"
        return total, words
    if rule.kind is ScoringKind.MATRIX:
        harm_q = questionnaire.question(rule.harm)
        likelihood_q = questionnaire.question(rule.likelihood)
        assert harm_q is not None and likelihood_q is not None
        harm = _points(harm_q, answers[rule.harm])
        likelihood = _points(likelihood_q, answers[rule.likelihood])
        return harm * likelihood, f"harm {harm} × likelihood {likelihood} = {harm * likelihood}"
    total = 0
    for qid in rule.questions:
        question = questionnaire.question(qid)
        if question is not None and qid in answers:
            total += _points(question, answers[qid])
    return total, f"factor ratings add up to {total}"


def _quote(value: str) -> str:
    return value.replace("_", " ")


def _threshold_for(questionnaire: Questionnaire, total: int) -> Threshold:
    for threshold in questionnaire.thresholds:
        if total >= threshold.minimum and (threshold.maximum is None or total <= threshold.maximum):
            return threshold
    raise ValueError(f"no threshold covers score {total}")  # the loader rules this out


def _threshold_words(questionnaire: Questionnaire, threshold: Threshold) -> str:
    """E.g. "14 or more yes answers: visible high risk"; "score 5 to 11: medium risk"."""
    rule = questionnaire.scoring
    span = (
        f"{threshold.minimum} or more"
        if threshold.maximum is None
        else f"{threshold.minimum} to {threshold.maximum}"
    )
    if threshold.maximum == threshold.minimum:
        span = str(threshold.minimum)
    if rule.kind is ScoringKind.COUNT:
        phrase = f"{span} {_quote(rule.value)} answers"
    else:
        phrase = f"score {span}"
    label = threshold.reason or questionnaire.level(threshold.level).label
    return f"{phrase}: {label}"


def score(questionnaire: Questionnaire, answers: Answers) -> Result:
    """Validate the answers and work out the score, the level and the reasons in words."""
    checked = validate_answers(questionnaire, answers)
    total, how = _raw_score(questionnaire, checked)
    threshold = _threshold_for(questionnaire, total)
    level = threshold.level
    reasons = [how, _threshold_words(questionnaire, threshold)]
    met = ["threshold"] if questionnaire.rank(level) > 0 else []
    raised_by: list[str] = []
    for judgement in questionnaire.judgements:
        if checked.get(judgement.id) != YES:
            continue
        target = questionnaire.level(judgement.raises_to)
        reasons.append(f"{judgement.label}: {target.label}")
        met.append(judgement.id)
        if questionnaire.rank(target.id) > questionnaire.rank(level):
            level = target.id
            raised_by.append(judgement.id)
    for rule in questionnaire.raises:
        hits = sum(1 for qid in rule.questions if checked.get(qid) == rule.value)
        if hits < rule.at_least:
            continue
        target = questionnaire.level(rule.to)
        reasons.append(f"{rule.label} ({hits} {_quote(rule.value)}): at least {target.label}")
        met.append(rule.label)
        if questionnaire.rank(target.id) > questionnaire.rank(level):
            level = target.id
            raised_by.append(rule.label)
    return Result(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        answers=checked,
        score=total,
        level=level,
        level_label=questionnaire.level(level).label,
        reasons=tuple(reasons),
        raised_by=tuple(raised_by),
        met=tuple(met),
    )


def compare(previous: Result, current: Result) -> Comparison:
    """What a reassessment changed: each answer that differs, and score and level before/after.

    Works across editions too: a question only in one edition shows as answered on one side.
    """
    if previous.questionnaire_id != current.questionnaire_id:
        raise ValueError(
            f"cannot compare a {previous.questionnaire_id!r} assessment "
            f"with a {current.questionnaire_id!r} one"
        )
    ids = list(previous.answers) + [q for q in current.answers if q not in previous.answers]
    changes = tuple(
        Change(qid, previous.answers.get(qid), current.answers.get(qid))
        for qid in ids
        if previous.answers.get(qid) != current.answers.get(qid)
    )
    return Comparison(
        changes=changes,
        score_before=previous.score,
        score_after=current.score,
        level_before=previous.level,
        level_after=current.level,
        version_before=previous.version,
        version_after=current.version,
    )
