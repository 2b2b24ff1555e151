"""The plan health check: the faults that creep into delivery plans kept in Word.

Pure functions over a `draft.Plan` and the day the check is made, so the page, the board
report and the tests all see the same findings. Each rule has an id, a title a coordinator
understands, and one finding per fault with the figures that show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher

from .draft import Action, Disposition, Objective, Plan, Rag, ReviewKind
from .quarters import quarter_of

# An update this long before a review point, or any time after it, counts as its update.
REVIEW_UPDATE_WINDOW = timedelta(days=90)
# Two actions whose words (in order) match at least this closely are near-duplicates.
NEAR_DUPLICATE = 0.85

RULES: dict[str, str] = {
    "complete-not-green": "Marked Complete but not rated Green",
    "review-before-start": "Review point or deadline before the plan starts",
    "review-passed": "Review point passed without an update",
    "no-lead": "No lead",
    "no-review-point": "No review point or deadline",
    "duplicate": "Duplicate or near-duplicate actions",
    "measure-without-action": "Measure with no action",
    "no-update-this-quarter": "No update this quarter",
}


@dataclass(frozen=True)
class AsAt:
    """The day a check is made as at, and the sentence that says so."""

    day: date
    sentence: str  # "checked as at 31 March 2026, the end of the plan's year"
    plan_ended: bool = False


def as_at(plan: Plan, *, today: date, asked: date | None = None) -> AsAt:
    """The day to check `plan` as at: the day asked for; else today, or the plan's last day
    once that has passed (after its year every open action would lack an update "this
    quarter", a quarter the plan does not have)."""
    if asked is not None:
        return AsAt(asked, f"checked as at {asked:%-d %B %Y}{_outside(plan, asked)}")
    if plan.ends is not None and today > plan.ends:
        span = "year" if plan.starts is None or (plan.ends - plan.starts).days < 400 else "period"
        return AsAt(
            plan.ends,
            f"checked as at {plan.ends:%-d %B %Y}, the end of the plan's {span}",
            plan_ended=True,
        )
    return AsAt(today, f"checked as at {today:%-d %B %Y}")


def check_as_at(
    plan: Plan, *, today: date, asked: date | None = None
) -> tuple[AsAt, list[Finding]]:
    """The day the check is made as at (`as_at`), and its findings on that day: what the
    health page, the plan page, the home page and `saferhub plan health` all show."""
    when = as_at(plan, today=today, asked=asked)
    return when, check(plan, today=when.day)


def _outside(plan: Plan, day: date) -> str:
    """ "; 31 December 2029 is after the plan's end (31 March 2019)" for a day asked for
    outside the plan's period: every open action then looks overdue, or not yet started."""
    if plan.ends is not None and day > plan.ends:
        return f"; {day:%-d %B %Y} is after the plan's end ({plan.ends:%-d %B %Y})"
    if plan.starts is not None and day < plan.starts:
        return f"; {day:%-d %B %Y} is before the plan's start ({plan.starts:%-d %B %Y})"
    return ""


@dataclass(frozen=True)
class Finding:
    rule: str
    objective: str  # the objective's code
    text: str  # the action's or measure's text
    detail: str
    action: int | None = None  # the stored action's id, to link to it

    @property
    def title(self) -> str:
        return RULES[self.rule]


def check(plan: Plan, *, today: date) -> list[Finding]:
    """Every finding, in rule order then plan order."""
    findings: list[Finding] = []
    for objective, action in plan.actions():
        findings += _action_findings(plan, objective, action, today)
    findings += _duplicates(plan)
    findings += _measures_without_action(plan)
    order = list(RULES)
    return sorted(findings, key=lambda f: order.index(f.rule))


def _is_open(action: Action) -> bool:
    return action.disposition not in (Disposition.COMPLETE, Disposition.REMOVE)


def _action_findings(plan: Plan, objective: Objective, action: Action, today: date):
    def finding(rule: str, detail: str) -> Finding:
        return Finding(rule, objective.code, action.text, detail, action.key)

    dated = [u.on for u in action.updates if u.on is not None]
    review = action.review
    if action.disposition == Disposition.COMPLETE and action.rag != Rag.GREEN:
        yield finding("complete-not-green", f"RAG is {action.rag or 'not set'}")
    if review.due and plan.starts and review.due < plan.starts:
        yield finding(
            "review-before-start",
            f"{review.text or review.due} is before the plan starts on {plan.starts:%-d %B %Y}",
        )
    if (
        review.due
        and review.due < today
        and _is_open(action)
        and not any(on >= review.due - REVIEW_UPDATE_WINDOW for on in dated)
    ):
        latest = f"latest update {max(dated):%-d %B %Y}" if dated else "no dated update"
        yield finding("review-passed", f"due {review.due:%-d %B %Y}; {latest}")
    if not action.leads and action.disposition != Disposition.REMOVE:
        yield finding("no-lead", "no person or agency named")
    if review.kind == ReviewKind.NONE and _is_open(action):
        yield finding("no-review-point", "the review point is blank")
    quarter = quarter_of(today)
    if _is_open(action) and not any(quarter.starts <= on <= quarter.ends for on in dated):
        yield finding("no-update-this-quarter", f"nothing dated in {quarter.label}")


def words(text: str) -> list[str]:
    """The words of an action, lower case, without punctuation: what duplicates compare."""
    return re.findall(r"[a-z0-9]+", text.lower())


def similarity(matcher: SequenceMatcher) -> float:
    """How alike two word lists are (difflib's ratio), skipping the full comparison when the
    cheap upper bounds already rule out a near-duplicate."""
    if matcher.real_quick_ratio() < NEAR_DUPLICATE or matcher.quick_ratio() < NEAR_DUPLICATE:
        return 0.0
    return matcher.ratio()


def _candidates(lists: list[list[str]]) -> list[list[int]]:
    """For each word list, the later lists that may be near-duplicates of it: every pair that
    can reach NEAR_DUPLICATE, and few others, without comparing every pair in Python.

    difflib's ratio is 2M / (a + b) with M matched words, and M is at most the words the two
    lists share, repeats counted (`shared`): a pair whose shared words fall short of
    NEAR_DUPLICATE · (a + b) / 2 cannot be a near-duplicate. The shared words of one list with
    every other are counted at once, from the lists each word (its first, second … use in
    the list) occurs in."""
    import numpy as np  # shapely's and matplotlib's dependency; only this check needs it

    postings: dict[tuple[str, int], list[int]] = {}
    tokens = []
    for number, words_ in enumerate(lists):
        seen: dict[str, int] = {}
        these = []
        for word in words_:
            seen[word] = seen.get(word, 0) + 1
            these.append((word, seen[word]))
            postings.setdefault(these[-1], []).append(number)
        tokens.append(these)
    arrays = {token: np.array(numbers, dtype=np.int32) for token, numbers in postings.items()}
    sizes = np.array([len(words_) for words_ in lists], dtype=np.float64)
    found = []
    for number, these in enumerate(tokens):
        shared = np.bincount(
            np.concatenate([arrays[token] for token in these]), minlength=len(lists)
        )
        enough = shared + 1e-9 >= NEAR_DUPLICATE * (sizes + sizes[number]) / 2
        enough[: number + 1] = False
        found.append(np.flatnonzero(enough).tolist())
    return found


def _duplicates(plan: Plan):
    actions = [
        (o, a, words(a.text))
        for o, a in plan.actions()
        if a.disposition != Disposition.REMOVE and words(a.text)
    ]
    candidates = _candidates([these for _, _, these in actions])
    matcher = SequenceMatcher(autojunk=False)
    for i, (objective, action, these) in enumerate(actions):
        if not candidates[i]:
            continue
        matcher.set_seq2(these)  # difflib indexes the second sequence once, for every pair
        for j in candidates[i]:
            other_objective, other, those = actions[j]
            matcher.set_seq1(those)
            ratio = 1.0 if these == those else similarity(matcher)
            if ratio >= NEAR_DUPLICATE:
                kind = "the same words as" if ratio == 1.0 else f"{ratio:.0%} alike with"
                yield Finding(
                    "duplicate",
                    objective.code,
                    action.text,
                    f"{kind} an action under {other_objective.code}: “{other.text[:80]}”",
                    action.key,
                )


def _measures_without_action(plan: Plan):
    for objective in plan.objectives:
        served = {a.measure for a in objective.actions}
        for index, measure in enumerate(objective.measures):
            if index not in served:
                yield Finding(
                    "measure-without-action", objective.code, measure.text, "no action serves it"
                )
