"""The quarterly board report as one object: every figure the HTML and PDF show.

Built from a `draft.Plan` and the day the report is made (its quarter), so the screen, the
PDF and the tests read the same numbers and nothing is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from . import health
from .draft import Action, Disposition, Objective, Plan, Rag, ReviewKind
from .quarters import Quarter, quarter_of

RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)
NOT_RATED = "Not rated"


@dataclass
class RagRow:
    objective: Objective
    counts: dict[str, int]  # Red, Amber, Green, Not rated
    total: int


@dataclass
class ActionLine:
    objective: Objective
    action: Action
    note: str = ""


@dataclass
class BoardReport:
    plan: Plan
    as_at: date
    quarter: Quarter
    rag: list[RagRow]
    totals: dict[str, int]
    exceptions: list[ActionLine]
    overdue: list[ActionLine]
    findings: list[health.Finding]
    indicators: list[dict] = field(default_factory=list)  # linked measures, see build()

    @property
    def actions(self) -> int:
        return sum(self.totals.values())


def in_scope(action: Action) -> bool:
    """Removed actions no longer count towards the plan's RAG picture."""
    return action.disposition != Disposition.REMOVE


def is_overdue(action: Action, as_at: date) -> bool:
    """Due date passed, not closed as Complete, and not rated Green (on track or done)."""
    return (
        action.review.kind in (ReviewKind.DATE, ReviewKind.MONTH)
        and action.review.due is not None
        and action.review.due < as_at
        and action.disposition not in (Disposition.COMPLETE, Disposition.REMOVE)
        and action.rag != Rag.GREEN
    )


def as_it_stood(plan: Plan, day: date) -> Plan:
    """The plan as it stood on `day`: updates dated later are left out, so a report made
    "as at" the end of a quarter shows that quarter's picture even when run weeks later."""
    return replace(
        plan,
        objectives=[
            replace(
                o,
                actions=[
                    replace(a, updates=[u for u in a.updates if u.on is None or u.on <= day])
                    for a in o.actions
                ],
            )
            for o in plan.objectives
        ],
    )


def build(plan: Plan, *, as_at: date) -> BoardReport:
    plan = as_it_stood(plan, as_at)
    rows, totals = [], dict.fromkeys([*RAG_ORDER, NOT_RATED], 0)
    exceptions, overdue = [], []
    for objective in plan.objectives:
        counts = dict.fromkeys([*RAG_ORDER, NOT_RATED], 0)
        for action in filter(in_scope, objective.actions):
            counts[action.rag or NOT_RATED] += 1
            if action.rag in (Rag.RED, Rag.AMBER):
                exceptions.append(ActionLine(objective, action))
            if is_overdue(action, as_at):
                overdue.append(ActionLine(objective, action, f"due {action.review.due:%-d %B %Y}"))
        for key, value in counts.items():
            totals[key] += value
        rows.append(RagRow(objective, counts, sum(counts.values())))
    exceptions.sort(key=lambda line: line.action.rag != Rag.RED)  # Red first, plan order kept
    indicators = [
        {"objective": o, "measure": m} for o in plan.objectives for m in o.measures if m.indicator
    ]
    return BoardReport(
        plan=plan,
        as_at=as_at,
        quarter=quarter_of(as_at),
        rag=rows,
        totals=totals,
        exceptions=exceptions,
        overdue=overdue,
        findings=health.check(plan, today=as_at),
        indicators=indicators,
    )
