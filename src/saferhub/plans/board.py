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
class IndicatorLine:
    """One indicator in the board report: its status as at the report date and the plan
    measures linked to it (by the indicator's code or name in the measure)."""

    status: object  # indicators.status.Status
    measures: list[tuple[Objective, object]]  # (objective, draft.Measure)


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
    indicators: list[IndicatorLine] = field(default_factory=list)
    unmatched: list[tuple[Objective, object]] = field(default_factory=list)  # no such indicator

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


def link_indicators(plan: Plan, statuses: list) -> tuple[list[IndicatorLine], list]:
    """Each indicator with the measures that name it (its code or name, any case), and the
    measures naming an indicator that does not exist."""
    lines = {s.indicator.code.casefold(): IndicatorLine(s, []) for s in statuses}
    names = {s.indicator.name.casefold(): s.indicator.code.casefold() for s in statuses}
    unmatched = []
    for objective in plan.objectives:
        for measure in objective.measures:
            wanted = measure.indicator.strip().casefold()
            if not wanted:
                continue
            line = lines.get(wanted) or lines.get(names.get(wanted, ""))
            if line:
                line.measures.append((objective, measure))
            else:
                unmatched.append((objective, measure))
    return list(lines.values()), unmatched


def build(plan: Plan, *, as_at: date, indicators: list | None = None) -> BoardReport:
    """`indicators`: the partnership's indicator statuses as at `as_at`
    (`indicators.status.statuses`), shown with the measures linked to them."""
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
    lines, unmatched = link_indicators(plan, indicators or [])
    return BoardReport(
        plan=plan,
        as_at=as_at,
        quarter=quarter_of(as_at),
        rag=rows,
        totals=totals,
        exceptions=exceptions,
        overdue=overdue,
        findings=health.check(plan, today=as_at),
        indicators=lines,
        unmatched=unmatched,
    )
