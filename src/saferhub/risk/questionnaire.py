"""A risk questionnaire as data, and its loader from TOML.

A questionnaire edition (DASH, an ASB matrix, a local form) is a TOML file, not code, so a
partnership can add a new edition without a release. The loader checks the whole file before
anything uses it and reports every problem at once, each naming the file, the question (or other
part) and the field, so the person editing the file can fix them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any


class AnswerType(StrEnum):
    """The kinds of answer a question takes."""

    YES_NO_NOT_KNOWN = "yes_no_not_known"
    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"


YES = "yes"
NO = "no"
NOT_KNOWN = "not_known"
YES_NO_VALUES = (YES, NO, NOT_KNOWN)


class ScoringKind(StrEnum):
    """How the answers become one score."""

    COUNT = "count"  # how many answers equal a value ("yes"), e.g. DASH
    MATRIX = "matrix"  # harm × likelihood
    SUM = "sum"  # factor ratings added up (numbers or the points of choices)


WORDING_KINDS = ("published", "paraphrase", "example")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire file, worded for the person editing it."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}, field '{self.field}': {self.message}"


class QuestionnaireError(Exception):
    """A questionnaire file that cannot be used; `problems` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Source:
    """Where the questionnaire's wording comes from, so every result can be traced to it."""

    publisher: str
    title: str
    url: str
    accessed: dt.date
    wording: str  # "published", "paraphrase" or "example": how close the text is to the source
    note: str = ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    points: int = 0


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answer_type: AnswerType
    section: str = ""
    help: str = ""
    required: bool = True
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Level:
    id: str
    label: str


@dataclass(frozen=True)
class Threshold:
    """Scores from `minimum` to `maximum` (inclusive; None = no upper end) give `level`."""

    minimum: int
    maximum: int | None
    level: str
    reason: str = ""  # words for the level in a reason, e.g. "visible high risk"


@dataclass(frozen=True)
class Scoring:
    kind: ScoringKind
    value: str = YES  # for COUNT: the answer counted
    questions: tuple[str, ...] = ()  # for COUNT and SUM; empty COUNT = every yes/no question
    harm: str = ""  # for MATRIX
    likelihood: str = ""  # for MATRIX


@dataclass(frozen=True)
class Judgement:
    """A yes/no/not known field recorded by the assessor that, answered yes, raises the level.

    It can make a case `raises_to` on its own and can never lower the level the score gives
    (DASH: professional judgement, potential escalation).
    """

    id: str
    label: str
    text: str
    raises_to: str
    help: str = ""


@dataclass(frozen=True)
class Raise:
    """A rule that raises the level when enough of some questions have one answer."""

    label: str
    questions: tuple[str, ...]
    at_least: int
    to: str
    value: str = YES


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    version: str
    source: Source
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    scoring: Scoring
    levels: tuple[Level, ...]  # lowest first
    thresholds: tuple[Threshold, ...]
    judgements: tuple[Judgement, ...] = ()
    raises: tuple[Raise, ...] = ()
    file: str = ""
    _by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def question(self, question_id: str) -> Question | None:
        if not self._by_id:
            self._by_id.update({q.id: q for q in self.questions})
        return self._by_id.get(question_id)

    def judgement(self, judgement_id: str) -> Judgement | None:
        return next((j for j in self.judgements if j.id == judgement_id), None)

    def level(self, level_id: str) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def rank(self, level_id: str) -> int:
        """Position of a level, lowest 0, so levels can be compared and only ever raised."""
        return [lv.id for lv in self.levels].index(level_id)

    def counted_questions(self) -> tuple[str, ...]:
        """The questions a COUNT rule counts: those named, or every yes/no question."""
        if self.scoring.questions:
            return self.scoring.questions
        return tuple(q.id for q in self.questions if q.answer_type is AnswerType.YES_NO_NOT_KNOWN)


# --- loading -------------------------------------------------------------------------------


class _Collector:
    """Gathers problems while the file is read, so all of them are reported together."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, field_name, message))

    def text(self, data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, key, "is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, key, f"must be non-empty text, not {value!r}")
            return ""
        return value.strip()

    def integer(self, data: dict[str, Any], key: str, where: str, required: bool) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, key, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, key, f"must be a whole number, not {value!r}")
            return None
        return value

    def table_list(self, data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(where, key, "must be a list of tables ([[" + key + "]])")
            return []
        return value

    def id_list(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(where, key, "must be a list of question ids")
            return ()
        return tuple(value)


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Read and validate a questionnaire TOML file; raise QuestionnaireError listing all faults."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError([Problem(path.name, "file", "(syntax)", str(exc))]) from exc
    except OSError as exc:
        raise QuestionnaireError([Problem(str(path), "file", "(file)", str(exc))]) from exc
    return parse_questionnaire(data, path.name)


def shipped_questionnaire(name: str) -> Questionnaire:
    """One of the questionnaires shipped with Safer Hub, by file stem ("dash-2009")."""
    resource = resources.files("saferhub.risk").joinpath("questionnaires", f"{name}.toml")
    with resources.as_file(resource) as path:
        return load_questionnaire(path)


def parse_questionnaire(data: dict[str, Any], file: str) -> Questionnaire:
    """Build a questionnaire from parsed TOML, checking every part before returning it."""
    c = _Collector(file)
    top = "questionnaire"
    qid = c.text(data, "id", top)
    title = c.text(data, "title", top)
    version = data.get("version")
    if version is None:
        c.add(top, "version", "is missing (every edition needs a version)")
        version = ""
    elif isinstance(version, bool) or not isinstance(version, str | int) or str(version) == "":
        c.add(top, "version", f"must be text or a whole number, not {version!r}")
        version = ""
    source = _source(c, data.get("source"))
    levels = _levels(c, data)
    level_ids = {lv.id for lv in levels}
    sections = _sections(c, data)
    questions = _questions(c, data, {s.id for s in sections})
    by_id = {q.id: q for q in questions}
    judgements = _judgements(c, data, level_ids, set(by_id))
    scoring = _scoring(c, data.get("scoring"), by_id)
    thresholds = _thresholds(c, data, level_ids)
    raises = _raises(c, data, level_ids, by_id)
    if scoring is not None and thresholds:
        _check_coverage(c, thresholds, _score_range(scoring, by_id))
    if c.problems:
        raise QuestionnaireError(c.problems)
    assert scoring is not None and source is not None
    return Questionnaire(
        id=qid,
        title=title,
        version=str(version),
        source=source,
        sections=tuple(sections),
        questions=tuple(questions),
        scoring=scoring,
        levels=tuple(levels),
        thresholds=tuple(thresholds),
        judgements=tuple(judgements),
        raises=tuple(raises),
        file=file,
    )


def _source(c: _Collector, data: Any) -> Source | None:
    where = "source"
    if not isinstance(data, dict):
        c.add(where, "source", "is missing: say who published the questionnaire, and where")
        return None
    publisher = c.text(data, "publisher", where)
    title = c.text(data, "title", where)
    url = c.text(data, "url", where)
    if url and not url.startswith(("https://", "http://")):
        c.add(where, "url", f"must be a web address, not {url!r}")
    accessed = data.get("accessed")
    if not isinstance(accessed, dt.date) or isinstance(accessed, dt.datetime):
        c.add(where, "accessed", f"must be a date (e.g. 2026-11-24), not {accessed!r}")
        accessed = dt.date.min
    wording = c.text(data, "wording", where)
    if wording and wording not in WORDING_KINDS:
        c.add(where, "wording", f"must be one of {', '.join(WORDING_KINDS)}, not {wording!r}")
    note = c.text(data, "note", where, required=False)
    return Source(publisher, title, url, accessed, wording, note)


def _levels(c: _Collector, data: dict[str, Any]) -> list[Level]:
    rows = c.table_list(data, "levels", "questionnaire")
    if not rows:
        c.add("questionnaire", "levels", "at least one level is needed, lowest first")
    levels: list[Level] = []
    for i, row in enumerate(rows):
        where = f"levels[{i}]"
        level = Level(c.text(row, "id", where), c.text(row, "label", where))
        if level.id and level.id in {lv.id for lv in levels}:
            c.add(f"level '{level.id}'", "id", "is used twice")
        levels.append(level)
    return levels


def _sections(c: _Collector, data: dict[str, Any]) -> list[Section]:
    sections: list[Section] = []
    for i, row in enumerate(c.table_list(data, "sections", "questionnaire")):
        section = Section(
            c.text(row, "id", f"sections[{i}]"), c.text(row, "title", f"sections[{i}]")
        )
        if section.id and section.id in {s.id for s in sections}:
            c.add(f"section '{section.id}'", "id", "is used twice")
        sections.append(section)
    return sections


def _questions(c: _Collector, data: dict[str, Any], section_ids: set[str]) -> list[Question]:
    rows = c.table_list(data, "questions", "questionnaire")
    if not rows:
        c.add("questionnaire", "questions", "at least one question is needed")
    questions: list[Question] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        question = _question(c, row, i, section_ids)
        if question is None:
            continue
        if question.id in seen:
            c.add(f"question '{question.id}'", "id", f"is used twice (again at questions[{i}])")
            continue
        seen.add(question.id)
        questions.append(question)
    return questions


def _question(c: _Collector, row: dict[str, Any], i: int, section_ids: set[str]) -> Question | None:
    qid = c.text(row, "id", f"questions[{i}]")
    where = f"question '{qid}'" if qid else f"questions[{i}]"
    text = c.text(row, "text", where)
    help_text = c.text(row, "help", where, required=False)
    section = c.text(row, "section", where, required=False)
    if section and section not in section_ids:
        c.add(where, "section", f"names no section: {section!r}")
    required = row.get("required", True)
    if not isinstance(required, bool):
        c.add(where, "required", f"must be true or false, not {required!r}")
        required = True
    raw_type = row.get("type")
    try:
        answer_type = AnswerType(raw_type)
    except ValueError:
        expected = ", ".join(t.value for t in AnswerType)
        c.add(where, "type", f"unknown answer type {raw_type!r} (expected one of {expected})")
        return None
    choices = _choices(c, row, where) if answer_type is AnswerType.CHOICE else ()
    minimum = maximum = None
    if answer_type is AnswerType.NUMBER:
        minimum = c.integer(row, "min", where, required=False)
        maximum = c.integer(row, "max", where, required=False)
        if minimum is not None and maximum is not None and minimum > maximum:
            c.add(where, "max", f"{maximum} is below min {minimum}")
    if not qid:
        return None
    return Question(qid, text, answer_type, section, help_text, required, choices, minimum, maximum)


def _choices(c: _Collector, row: dict[str, Any], where: str) -> tuple[Choice, ...]:
    rows = c.table_list(row, "choices", where)
    if not rows:
        c.add(where, "choices", "a choice question needs at least one choice")
    choices: list[Choice] = []
    for j, item in enumerate(rows):
        value = c.text(item, "value", where + f" choices[{j}]")
        label = c.text(item, "label", where + f" choices[{j}]")
        points = c.integer(item, "points", where + f" choices[{j}]", required=False) or 0
        if value in {ch.value for ch in choices}:
            c.add(where, "choices", f"choice value {value!r} is used twice")
        choices.append(Choice(value, label, points))
    return tuple(choices)


def _judgements(
    c: _Collector, data: dict[str, Any], level_ids: set[str], question_ids: set[str]
) -> list[Judgement]:
    judgements: list[Judgement] = []
    for i, row in enumerate(c.table_list(data, "judgements", "questionnaire")):
        jid = c.text(row, "id", f"judgements[{i}]")
        where = f"judgement '{jid}'" if jid else f"judgements[{i}]"
        if jid in question_ids or jid in {j.id for j in judgements}:
            c.add(where, "id", "is already used by a question or another judgement")
        raises_to = c.text(row, "raises_to", where)
        if raises_to and raises_to not in level_ids:
            c.add(where, "raises_to", f"names no level: {raises_to!r}")
        judgements.append(
            Judgement(
                jid,
                c.text(row, "label", where),
                c.text(row, "text", where),
                raises_to,
                c.text(row, "help", where, required=False),
            )
        )
    return judgements


def _scoring(c: _Collector, data: Any, by_id: dict[str, Question]) -> Scoring | None:
    where = "scoring"
    if not isinstance(data, dict):
        c.add(where, "scoring", "is missing: say how the answers become a score")
        return None
    raw_kind = data.get("kind")
    try:
        kind = ScoringKind(raw_kind)
    except ValueError:
        expected = ", ".join(k.value for k in ScoringKind)
        c.add(where, "kind", f"unknown scoring kind {raw_kind!r} (expected one of {expected})")
        return None
    questions = c.id_list(data, "questions", where)
    for qid in questions:
        if qid not in by_id:
            c.add(where, "questions", f"names no question: {qid!r}")
    value = data.get("value", YES)
    if kind is ScoringKind.COUNT and (not isinstance(value, str) or not value):
        c.add(where, "value", f"must be the answer to count, not {value!r}")
    harm = likelihood = ""
    if kind is ScoringKind.MATRIX:
        harm = _scored_question(c, data, "harm", by_id)
        likelihood = _scored_question(c, data, "likelihood", by_id)
    if kind is ScoringKind.SUM:
        if not questions:
            c.add(where, "questions", "a sum needs the questions it adds up")
        for qid in questions:
            _check_scorable(c, by_id.get(qid), "questions")
    return Scoring(kind, str(value), questions, harm, likelihood)


def _scored_question(
    c: _Collector, data: dict[str, Any], key: str, by_id: dict[str, Question]
) -> str:
    qid = c.text(data, key, "scoring")
    if qid and qid not in by_id:
        c.add("scoring", key, f"names no question: {qid!r}")
        return qid
    question = by_id.get(qid)
    _check_scorable(c, question, key)
    if question is not None and not question.required:
        c.add(f"question '{qid}'", "required", f"must be true: the score needs the {key}")
    return qid


def _check_scorable(c: _Collector, question: Question | None, key: str) -> None:
    """A question in a matrix or a sum must give a bounded whole number."""
    if question is None:
        return
    where = f"question '{question.id}'"
    if question.answer_type is AnswerType.NUMBER:
        if question.minimum is None or question.maximum is None:
            c.add(where, "min", f"a number used in the score ({key}) needs both min and max")
    elif question.answer_type is AnswerType.TEXT:
        c.add(where, "type", f"a text answer cannot be scored ({key})")


def _thresholds(c: _Collector, data: dict[str, Any], level_ids: set[str]) -> list[Threshold]:
    rows = c.table_list(data, "thresholds", "questionnaire")
    if not rows:
        c.add("questionnaire", "thresholds", "at least one threshold is needed")
    thresholds: list[Threshold] = []
    for i, row in enumerate(rows):
        where = f"thresholds[{i}]"
        minimum = c.integer(row, "min", where, required=True)
        maximum = c.integer(row, "max", where, required=False)
        level = c.text(row, "level", where)
        if level and level not in level_ids:
            c.add(where, "level", f"names no level: {level!r}")
        if minimum is not None and maximum is not None and maximum < minimum:
            c.add(where, "max", f"{maximum} is below min {minimum}")
            continue
        if minimum is not None:
            thresholds.append(
                Threshold(minimum, maximum, level, c.text(row, "reason", where, required=False))
            )
    return sorted(thresholds, key=lambda t: t.minimum)


def _score_range(scoring: Scoring, by_id: dict[str, Question]) -> tuple[int, int]:
    """The lowest and highest score the rule can give, so thresholds can be checked to cover it."""

    def bounds(question: Question | None) -> tuple[int, int]:
        if question is None:
            return (0, 0)
        if question.answer_type is AnswerType.NUMBER:
            return (question.minimum or 0, question.maximum or 0)
        if question.answer_type is AnswerType.CHOICE and question.choices:
            points = [ch.points for ch in question.choices]
            return (min(points), max(points))
        return (0, 1)

    if scoring.kind is ScoringKind.COUNT:
        counted = scoring.questions or [
            q for q, v in by_id.items() if v.answer_type is AnswerType.YES_NO_NOT_KNOWN
        ]
        return (0, len(counted))
    if scoring.kind is ScoringKind.MATRIX:
        (h0, h1), (l0, l1) = bounds(by_id.get(scoring.harm)), bounds(by_id.get(scoring.likelihood))
        products = [h0 * l0, h0 * l1, h1 * l0, h1 * l1]
        return (min(products), max(products))
    pairs = [bounds(by_id.get(q)) for q in scoring.questions]
    return (sum(p[0] for p in pairs), sum(p[1] for p in pairs))


def _check_coverage(c: _Collector, thresholds: list[Threshold], span: tuple[int, int]) -> None:
    """Every possible score must fall in exactly one threshold: no gaps, no overlaps."""
    low, high = span
    first = thresholds[0]
    if first.minimum > low:
        c.add("thresholds[0]", "min", f"scores {low} to {first.minimum - 1} have no threshold")
    for i, (before, after) in enumerate(itertools.pairwise(thresholds), start=1):
        if before.maximum is None:
            c.add(f"thresholds[{i}]", "min", "follows a threshold with no max (overlap)")
            continue
        if after.minimum > before.maximum + 1:
            gap = f"{before.maximum + 1} to {after.minimum - 1}"
            c.add(f"thresholds[{i}]", "min", f"gap: scores {gap} have no threshold")
        elif after.minimum <= before.maximum:
            c.add(
                f"thresholds[{i}]", "min", f"overlaps the threshold before (max {before.maximum})"
            )
    last = thresholds[-1]
    if last.maximum is not None and last.maximum < high:
        c.add(
            f"thresholds[{len(thresholds) - 1}]",
            "max",
            f"scores {last.maximum + 1} to {high} have no threshold",
        )


def _raises(
    c: _Collector, data: dict[str, Any], level_ids: set[str], by_id: dict[str, Question]
) -> list[Raise]:
    raises: list[Raise] = []
    for i, row in enumerate(c.table_list(data, "raises", "questionnaire")):
        where = f"raises[{i}]"
        questions = c.id_list(row, "questions", where)
        for qid in questions:
            if qid not in by_id:
                c.add(where, "questions", f"names no question: {qid!r}")
        at_least = c.integer(row, "at_least", where, required=True) or 0
        if at_least < 1:
            c.add(where, "at_least", "must be 1 or more")
        to = c.text(row, "to", where)
        if to and to not in level_ids:
            c.add(where, "to", f"names no level: {to!r}")
        value = row.get("value", YES)
        raises.append(Raise(c.text(row, "label", where), questions, at_least, to, str(value)))
    return raises
