"""Bad questionnaire files: every problem is reported, each naming file, question (or part) and
field, and nothing is returned half-built."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferhub.risk import QuestionnaireError, load_questionnaire

GOOD = """
id = "local"
title = "Local checklist"
version = "3"

[source]
publisher = "Example Partnership"
title = "Local checklist, edition 3"
url = "https://example.org/checklist"
accessed = 2026-11-01
wording = "example"

[scoring]
kind = "count"

[[levels]]
id = "standard"
label = "standard risk"

[[levels]]
id = "high"
label = "high risk"

[[thresholds]]
min = 0
max = 1
level = "standard"

[[thresholds]]
min = 2
level = "high"

[[questions]]
id = "a"
type = "yes_no_not_known"
text = "First question?"

[[questions]]
id = "b"
type = "yes_no_not_known"
text = "Second question?"

[[questions]]
id = "c"
type = "yes_no_not_known"
text = "Third question?"
"""


def write(tmp_path: Path, text: str, name: str = "local-3.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    return [(p.file, p.where, p.field) for p in caught.value.problems]


def test_the_good_file_loads(tmp_path):
    questionnaire = load_questionnaire(write(tmp_path, GOOD))
    assert (questionnaire.id, questionnaire.version, len(questionnaire.questions)) == (
        "local",
        "3",
        3,
    )
    assert questionnaire.file == "local-3.toml"


def test_missing_version_is_named(tmp_path):
    path = write(tmp_path, GOOD.replace('version = "3"\n', ""))
    assert problems_of(path) == [("local-3.toml", "questionnaire", "version")]


def test_duplicate_question_id_is_named(tmp_path):
    path = write(tmp_path, GOOD.replace('id = "c"', 'id = "b"'))
    assert problems_of(path) == [("local-3.toml", "question 'b'", "id")]


def test_unknown_answer_type_names_the_question_and_field(tmp_path):
    path = write(
        tmp_path, GOOD.replace('id = "b"\ntype = "yes_no_not_known"', 'id = "b"\ntype = "maybe"')
    )
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    assert str(caught.value) == (
        "local-3.toml: question 'b', field 'type': unknown answer type 'maybe' "
        "(expected one of yes_no_not_known, choice, number, text)"
    )


def test_threshold_gap_is_named(tmp_path):
    path = write(tmp_path, GOOD.replace("min = 2\nlevel", "min = 3\nlevel"))
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.where, problem.field) == ("local-3.toml", "thresholds[1]", "min")
    assert "gap: scores 2 to 2 have no threshold" in problem.message


def test_threshold_overlap_and_uncovered_top_are_named(tmp_path):
    text = GOOD.replace("min = 2\nlevel", "min = 1\nmax = 2\nlevel")
    assert problems_of(write(tmp_path, text)) == [
        ("local-3.toml", "thresholds[1]", "min"),  # overlaps 0..1
        ("local-3.toml", "thresholds[1]", "max"),  # a score of 3 has no threshold
    ]


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    text = (
        GOOD.replace('version = "3"\n', "")
        .replace('id = "c"', 'id = "b"')
        .replace('id = "a"\ntype = "yes_no_not_known"', 'id = "a"\ntype = "scale"')
        .replace('url = "https://example.org/checklist"', 'url = "example.org"')
        .replace('level = "standard"', 'level = "medium"')
    )
    assert problems_of(write(tmp_path, text)) == [
        ("local-3.toml", "questionnaire", "version"),
        ("local-3.toml", "source", "url"),
        ("local-3.toml", "question 'a'", "type"),
        ("local-3.toml", "question 'b'", "id"),
        ("local-3.toml", "thresholds[0]", "level"),
    ]


def test_judgement_and_raise_naming_unknown_levels_or_questions(tmp_path):
    text = GOOD + (
        '\n[[judgements]]\nid = "a"\nlabel = "judgement"\ntext = "Judged high?"\n'
        'raises_to = "severe"\n'
        '\n[[raises]]\nlabel = "two of these"\nquestions = ["a", "z"]\nat_least = 2\nto = "high"\n'
    )
    assert problems_of(write(tmp_path, text)) == [
        ("local-3.toml", "judgement 'a'", "id"),
        ("local-3.toml", "judgement 'a'", "raises_to"),
        ("local-3.toml", "raises[0]", "questions"),
    ]


def test_matrix_needs_bounded_required_numbers(tmp_path):
    text = (
        GOOD.replace('kind = "count"', 'kind = "matrix"\nharm = "h"\nlikelihood = "l"').replace(
            "min = 2\nlevel", "min = 2\nmax = 2\nlevel"
        )
        + '\n[[questions]]\nid = "h"\ntype = "number"\nmin = 1\ntext = "Harm?"\n'
        + '\n[[questions]]\nid = "l"\ntype = "number"\nmin = 1\nmax = 2\nrequired = false\n'
        + 'text = "Likelihood?"\n'
    )
    assert problems_of(write(tmp_path, text)) == [
        ("local-3.toml", "question 'h'", "min"),
        ("local-3.toml", "question 'l'", "required"),
    ]


def test_toml_syntax_error_names_the_file(tmp_path):
    assert problems_of(write(tmp_path, GOOD + "\nthis is not toml\n", "broken.toml")) == [
        ("broken.toml", "file", "(syntax)")
    ]
