"""Risk assessments as versioned questionnaires: the pure core, with no Django.

A questionnaire (questions, answer types, scoring rule, thresholds and judgement fields) is data
in a TOML file, so a partnership can load a new edition without a release. `questionnaire` loads
and validates such a file; `scoring` checks a set of answers against it and works out the score,
the level and the reasons in words, and compares a reassessment with the result before it.
"""

from saferhub.risk.questionnaire import (
    AnswerType,
    Problem,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
    parse_questionnaire,
    shipped_questionnaire,
)
from saferhub.risk.scoring import (
    AnswerError,
    Comparison,
    Result,
    compare,
    score,
    validate_answers,
)

__all__ = [
    "AnswerError",
    "AnswerType",
    "Comparison",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "Result",
    "compare",
    "load_questionnaire",
    "parse_questionnaire",
    "score",
    "shipped_questionnaire",
    "validate_answers",
]
