"""What the home page shows each role, from the objects the reports and pages already use:
the board report (plans.board), the health check (plans.health), indicator statuses
(indicators.status), the evidence store's loaded months and the partnership's area's
assessment (the evidence page's own object). Nothing is counted in a template."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection

from ..accounts.models import Agency, Role, User
from ..accounts.permissions import VIEW_AUDIT, VIEW_EVIDENCE, VIEW_INDICATORS, VIEW_PLANS, has
from ..evidence.periods import month_index

# Evidence whose latest month is more than this many months before today is flagged stale.
STALE_AFTER_MONTHS = 3
RECENT_AUDIT = 10
HOME_FINDINGS = 3  # key findings of the partnership's area on the analyst's home page


@dataclass(frozen=True)
class SourceMonth:
    table: str  # offences or incidents
    source: str
    latest: date  # the first day of the latest month loaded
    months_old: int
    stale: bool


def evidence_months(today: date) -> list[SourceMonth] | None:
    """The latest month loaded per source, or None when no evidence store exists."""
    from ..evidence import default_store_path
    from .evidence_views import _evidence

    if not default_store_path().exists():
        return None
    rows = []
    with _evidence() as evidence:
        for table in ("offences", "incidents"):
            found = evidence.store.con.execute(
                f"select source, max(month) from {table} group by source order by source"
            ).fetchall()
            for source, latest in found:
                old = month_index(today.year, today.month) - month_index(latest.year, latest.month)
                rows.append(SourceMonth(table, source, latest, old, old > STALE_AFTER_MONTHS))
    return rows


def area_summary(user) -> dict:
    """The partnership's area's latest assessment as the evidence page shows it (the same
    cached page object): `setting` None when no admin has set the area, `error` in words when
    it cannot be assessed. Reading it is recorded like a view of the evidence page."""
    from ..audit.log import record
    from ..audit.models import Action
    from ..evidence import EvidenceError
    from ..partnership.services import current
    from .evidence_views import explain, partnership_page

    setting = current(user)
    if setting is None:
        return {"setting": None}
    try:
        page = partnership_page(setting)
    except EvidenceError as exc:
        message, _ = explain(exc, setting.area_name, "latest", ", ".join(setting.comparators))
        return {"setting": setting, "error": message}
    record(
        action=Action.VIEW,
        actor=user,
        object_type="evidence.Assessment",
        object_id=page.a["area"]["code"] or "",
        changes={"period": page.a["period"]["label"], "page": "home"},
    )
    return {"setting": setting, "page": page, "findings": page.findings[:HOME_FINDINGS]}


@dataclass
class PlanSummary:
    strategy: object  # plans.models.Strategy
    report: object  # plans.board.BoardReport
    red: list  # board.ActionLine, Red only
    findings: int  # the health check's findings, as the plan page counts them

    @property
    def rag(self) -> list[tuple[str, int]]:
        return list(self.report.totals.items())


# A built summary is kept this long at most; a write to the plan changes its key at once.
PLAN_CACHE_SECONDS = 60 * 60


def _plan_rows_sql() -> list[str]:
    """One query per table a plan's draft is read from (convert.strategy_queryset), each
    every column of the plan's rows in id order, as plain SQL: no model instance built."""
    from ..plans.models import Action, Lead, Measure, Objective, Update

    quote = connection.ops.quote_name

    def select(model, joins: str) -> str:
        columns = ", ".join(f"t.{quote(f.column)}" for f in model._meta.concrete_fields)
        return f"SELECT {columns} FROM {quote(model._meta.db_table)} t {joins} ORDER BY t.id"

    objective, action = quote(Objective._meta.db_table), quote(Action._meta.db_table)
    in_objective = f"JOIN {objective} o ON o.id = t.objective_id WHERE o.strategy_id = %s"
    in_action = (
        f"JOIN {action} a ON a.id = t.action_id JOIN {objective} o ON o.id = a.objective_id "
        "WHERE o.strategy_id = %s"
    )
    return [
        select(Objective, "WHERE t.strategy_id = %s"),
        select(Measure, in_objective),
        select(Action, in_objective),
        select(Lead, in_action),
        select(Update, in_action),
    ]


def plan_fingerprint(strategy, today: date) -> str:
    """A digest of everything the home page's plan summary is built from: the plan's own
    row, every row of its objectives, measures, actions, leads and updates, and the day (RAG
    as it stood and overdue actions depend on it). Any write to any of them (on any worker,
    by any route, bulk or not) changes it, so a summary cached under it is never stale: the
    rows are read on every view, but as plain tuples, several times cheaper than building
    the plan from model instances."""
    digest = hashlib.sha256()
    fields = strategy._meta.concrete_fields
    digest.update(repr([getattr(strategy, f.attname) for f in fields]).encode())
    digest.update(today.isoformat().encode())
    with connection.cursor() as cursor:
        for sql in _plan_rows_sql():
            cursor.execute(sql, [strategy.pk])
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def open_plan(today: date) -> PlanSummary | None:
    """The newest open plan as its board report shows it today: RAG totals, Red and overdue
    actions, health findings. Built once per plan version and day (Django's cache, under
    `plan_fingerprint`), since every coordinator's and board member's home page shows it.
    The board report's indicator lines are not part of it: the home page shows the
    indicators from their own statuses, read at every view."""
    from ..plans.models import Strategy

    strategy = Strategy.objects.filter(status=Strategy.Status.OPEN).first()
    if strategy is None:
        return None
    key = f"saferhub:home:open-plan:{strategy.pk}:{plan_fingerprint(strategy, today)}"
    summary = cache.get(key)
    if summary is None:
        summary = build_plan_summary(strategy, today)
        cache.set(key, summary, PLAN_CACHE_SECONDS)
    return summary


def build_plan_summary(strategy, today: date) -> PlanSummary:
    """The plan summary as built from the stored plan, without the cache."""
    from ..plans import board, convert, health
    from ..plans.draft import Rag

    plan = convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk))
    report = board.build(plan, as_at=today)
    when = health.as_at(plan, today=today)
    # The board report has checked the plan as at today already; a plan whose year has
    # ended is checked as at its last day, as the health page does.
    findings = report.findings if when.day == today else health.check(plan, today=when.day)
    return PlanSummary(
        strategy=strategy,
        report=report,
        red=[line for line in report.exceptions if line.action.rag == Rag.RED],
        findings=len(findings),
    )


@dataclass(frozen=True)
class MyAction:
    action: object  # plans.models.Action
    rag: str | None
    due: date | None
    review: str


def my_actions(user) -> list[MyAction]:
    """The open plans' actions this user leads (plans.permissions.led_by), as "Actions I
    lead" lists them."""
    from ..plans import convert
    from ..plans.models import Action
    from ..plans.permissions import led_by

    actions = (
        Action.objects.filter(led_by(user), objective__strategy__status="open")
        .select_related("objective__strategy")
        .prefetch_related("updates", "leads")
        .distinct()
    )
    rows = []
    for action in actions:
        drafted = convert.action_to_draft(action, {})
        rows.append(MyAction(action, drafted.rag, drafted.review.due, drafted.review.text))
    return rows


def sections(user, today: date) -> dict:
    """The home page's sections for this user: each only with the permission it needs."""
    from ..indicators.status import active_statuses

    role = user.role
    context: dict = {"role": role}
    if role == Role.ANALYST and has(user, VIEW_EVIDENCE):
        months = evidence_months(today)
        context["evidence"] = {
            "months": months,
            "stale": [m for m in months or [] if m.stale],
            "stale_after": STALE_AFTER_MONTHS,
        }
        if months:
            context["area"] = area_summary(user)
    if role == Role.BOARD and has(user, VIEW_INDICATORS):
        context["indicators"] = active_statuses(as_at=today)
    if role in (Role.COORDINATOR, Role.BOARD) and has(user, VIEW_PLANS):
        context["plan"] = open_plan(today)
    if role == Role.PRACTITIONER and has(user, VIEW_PLANS):
        context["mine"] = my_actions(user)
    # Casework first for those who work cases: their cases, tasks and access requests (and
    # the DPO's break glass to review), the casework page's own summary object.
    from ..casework import summary as casework

    if (found := casework.for_user(user, today)) is not None:
        context["casework"] = found
        casework.record(user, found, page="home")
    if has(user, VIEW_AUDIT):
        from ..audit.log import record
        from ..audit.models import Action, AuditEntry

        recent = list(AuditEntry.objects.select_related("actor")[:RECENT_AUDIT])
        context["admin"] = {
            "agencies": Agency.objects.count(),
            "users": User.objects.filter(is_active=True).count(),
            "audit": recent,
        }
        # Reading the log is itself on the record, wherever it is shown.
        record(
            action=Action.VIEW,
            actor=user,
            object_type="audit.AuditEntry",
            changes={"page": "home", "entries": len(recent)},
        )
    return context
