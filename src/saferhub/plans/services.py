"""Every change to a stored plan, each in one transaction with its audit entry.

Views and the CLI call these and nothing else writes plan tables, so "every change goes
through the audit log" holds by construction. Audit entries name what changed, never the
text of an update (which may name people).
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ..accounts.models import User
from ..audit.log import record
from ..audit.models import Action as Audit
from . import convert, draft
from .directory import Directory
from .importing import PERIOD_YEARS
from .models import Action, Lead, Measure, Objective, PendingImport, Strategy, Update


class PlanError(ValueError):
    """A change that cannot be made, with the reason a person can act on."""


class AlreadyImported(PlanError):
    """A previewed file confirmed again (a second click, another tab): it was imported once."""

    def __init__(self, strategy_id: int | None):
        self.strategy_id = strategy_id
        where = f": plan {strategy_id}" if strategy_id else " (that plan has since been deleted)"
        super().__init__(f"This file has already been imported{where}")


def _importable(plan: draft.Plan, source: str) -> None:
    if plan.starts is None or plan.ends is None:
        raise PlanError("the plan needs a start and an end date (its period)")
    if plan.ends < plan.starts:
        raise PlanError(f"the plan ends ({plan.ends}) before it starts ({plan.starts})")
    if problems := convert.size_problems(plan, source):
        raise PlanError("; ".join(p.reason for p in problems))


def import_plan(
    plan: draft.Plan, *, source: str, request=None, actor=None, pending: PendingImport | None = None
) -> Strategy:
    """Store an imported plan whole, or nothing. Everything that can be checked is checked
    before the transaction, which only writes (in bulk): on SQLite it holds the site's one
    write lock. With `pending`, the preview it came from is consumed in that transaction, once:
    a second confirm raises AlreadyImported."""
    _importable(plan, source)
    directory = Directory.load()
    with transaction.atomic():
        if pending is not None:
            # Claimed by an UPDATE that only the first confirm matches: a parallel one waits
            # for the row (PostgreSQL) or the write lock (SQLite), then matches nothing.
            claimed = PendingImport.objects.filter(pk=pending.pk, imported_at=None).update(
                imported_at=timezone.now(), plan={}
            )
            if not claimed:
                raise AlreadyImported(
                    PendingImport.objects.filter(pk=pending.pk)
                    .values_list("strategy_id", flat=True)
                    .first()
                )
        strategy = convert.save_plan(plan, directory=directory)
        if pending is not None:
            PendingImport.objects.filter(pk=pending.pk).update(strategy=strategy)
        record(
            action=Audit.CREATE,
            request=request,
            actor=actor,
            obj=strategy,
            changes={
                "imported_from": source,
                "objectives": len(plan.objectives),
                "actions": len(plan.actions()),
            },
        )
    return strategy


# A preview waits this long for its confirmation; a consumed one is kept as long, to answer a
# late second click with the plan it made.
PENDING_FOR = timedelta(days=1)


def hold_preview(plan: draft.Plan, *, name: str, digest: str, user: User) -> PendingImport:
    """Keep a clean preview for its confirmation (replacing the user's earlier previews)."""
    drop_previews(user)
    return PendingImport.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        name=name,
        digest=digest,
        plan=convert.plan_to_data(plan),
    )


def drop_previews(user: User) -> None:
    """Forget the user's previews that were never confirmed nor handed to a job, and every
    stale one (a job's too: jobs and their previews are kept a day)."""
    PendingImport.objects.filter(user=user, imported_at=None, queued_at=None).delete()
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()


def hand_to_job(pending: PendingImport) -> None:
    """Keep `pending` for the background job that will confirm it (see `drop_previews`)."""
    PendingImport.objects.filter(pk=pending.pk, queued_at=None).update(queued_at=timezone.now())


def confirm_import(token: str, *, digest: str, user: User, request=None) -> Strategy:
    """Import the plan a preview read, exactly once (AlreadyImported on a second confirm)."""
    pending = PendingImport.objects.filter(token=token, user=user).first() if token else None
    if pending is None or pending.digest != digest:
        raise PlanError("The file you previewed is no longer waiting: choose it again")
    if pending.imported_at is not None:
        raise AlreadyImported(pending.strategy_id)
    plan = convert.plan_from_data(pending.plan)
    return import_plan(plan, source=pending.name, request=request, actor=user, pending=pending)


def _require_open(strategy: Strategy) -> None:
    if strategy.status != Strategy.Status.OPEN:
        raise PlanError("this plan has been rolled over and is closed to changes")


def save_fields(obj: Objective | Measure, *, fields: dict, user: User, request=None):
    """Create or edit an objective or a measure (`obj` unsaved to create), with its audit
    entry naming the changed fields."""
    strategy = obj.strategy if isinstance(obj, Objective) else obj.objective.strategy
    _require_open(strategy)
    creating = obj.pk is None
    changes = audit_changes(obj, fields)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()
        record(
            action=Audit.CREATE if creating else Audit.UPDATE,
            request=request,
            actor=user,
            obj=obj,
            changes=changes,
        )
    return obj


def post_update(
    action: Action,
    *,
    on: date,
    text: str,
    rag: str,
    user: User,
    request=None,
    today: date | None = None,
) -> Update:
    """Post a lead's update; `today` (default the site's date) is the latest it may be dated."""
    _require_open(action.objective.strategy)
    if not text.strip():
        raise PlanError("write what has happened since the last update")
    if rag not in draft.Rag.__members__.values():
        raise PlanError(f"RAG must be Red, Amber or Green, not {rag!r}")
    if on > (today or timezone.localdate()):
        raise PlanError(f"the update date {on:%d %B %Y} is in the future")
    with transaction.atomic():
        update = Update.objects.create(
            action=action,
            on=on,
            text=text.strip(),
            rag=rag,
            author=user,
            author_name=user.full_name,
        )
        record(
            action=Audit.CREATE,
            request=request,
            actor=user,
            obj=update,
            changes={"plan_action": action.pk, "rag": rag, "on": on.isoformat()},
        )
    return update


def save_action_fields(
    action: Action, *, fields: dict, leads: list[draft.Lead], user: User, request=None
) -> Action:
    """Edit an action's text, review point, partners, tags, disposition and leads."""
    _require_open(action.objective.strategy)
    directory = Directory.load()
    changes = audit_changes(action, fields)
    before_leads = [(lead.person, lead.agency_name, lead.user_id) for lead in action.leads.all()]
    with transaction.atomic():
        for name, value in fields.items():
            setattr(action, name, value)
        action.save()
        action.leads.all().delete()
        new_leads = Lead.objects.bulk_create(
            convert.lead_record(action, lead, directory) for lead in leads
        )
        after_leads = [(lead.person, lead.agency_name, lead.user_id) for lead in new_leads]
        if before_leads != after_leads:
            # Who may update the action changes with its leads: record the linked accounts.
            changes["leads"] = {
                "count": len(new_leads),
                "linked_accounts": [user_id for *_, user_id in after_leads if user_id],
            }
        record(action=Audit.UPDATE, request=request, actor=user, obj=action, changes=changes)
    return action


# Fields whose values the audit log records; for free text it records only that it changed,
# since the log can never be erased and text may name people.
AUDITED_VALUES = {"disposition", "review_kind", "review_due", "tags", "plan_year", "code", "group"}


def audit_changes(obj, fields: dict) -> dict:
    creating = obj.pk is None
    return {
        name: str(value) if name in AUDITED_VALUES else "changed"
        for name, value in fields.items()
        if creating or getattr(obj, name) != value
    }


def add_action(objective: Objective, *, text: str, user: User, request=None) -> Action:
    """A new action; in a plan rolled over from an earlier year it is tagged NEW ACTION."""
    strategy = objective.strategy
    _require_open(strategy)
    with transaction.atomic():
        action = Action.objects.create(
            objective=objective,
            text=text.strip(),
            tags=[draft.NEW_ACTION] if strategy.previous_id else [],
            plan_year=strategy.plan_year,
            order=objective.actions.count(),
        )
        record(
            action=Audit.CREATE,
            request=request,
            actor=user,
            obj=action,
            changes={"objective": objective.pk, "tags": action.tags},
        )
    return action


def next_title(title: str, starts: date, ends: date) -> str:
    """The title with its plan years moved on a year: "Plan 2019/20" → "Plan 2020/21"."""

    def shift(match: re.Match) -> str:
        if int(match["first"]) not in (starts.year, ends.year):
            return match[0]  # another year the title mentions ("refresh of the 2017 plan")
        first = str(int(match["first"]) + 1)
        if match["second"] is None:
            return first
        second = str(int(match["second"]) + 1)[-len(match["second"]) :]
        return f"{first}{match['sep']}{second}"

    moved = re.sub(r"\b(?P<first>20\d\d)(?:(?P<sep>[/–-])(?P<second>\d{2,4}))?\b", shift, title)
    return moved if moved != title else f"{title} ({starts.year + 1}/{str(ends.year + 1)[-2:]})"


def _a_year_on(day: date) -> date:
    """The same day a year later; a month's last day stays its last (28 → 29 February)."""
    if (day + timedelta(days=1)).month != day.month:
        following = date(day.year + 1 + (day.month == 12), day.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return day.replace(year=day.year + 1)


def disposition_counts(plan: draft.Plan) -> Counter[str]:
    """Actions by year-end disposition ("Continue", "Complete", "Remove", or "" undecided)."""
    return Counter(a.disposition.value if a.disposition else "" for _, a in plan.actions())


def rollover(strategy: Strategy, *, request=None, actor=None) -> Strategy:
    """Next year's plan: Continue actions carried (linked to their history), Complete actions
    closed with the old plan, Remove actions dropped. Refused while any action has no
    disposition, so nothing is carried or lost by default."""
    with transaction.atomic():
        # One rollover at a time: lock the plan row (PostgreSQL; SQLite's write transactions
        # are already serial) and check it afresh inside the transaction.
        locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
        new = _rollover_locked(locked, request=request, actor=actor)
    strategy.refresh_from_db()
    return new


def _rollover_locked(strategy: Strategy, *, request, actor) -> Strategy:
    if (
        strategy.status != Strategy.Status.OPEN
        or Strategy.objects.filter(previous=strategy).exists()
    ):
        raise PlanError(f"“{strategy.title}” has already been rolled over")
    if strategy.ends.year + 1 not in PERIOD_YEARS:
        raise PlanError(
            f"“{strategy.title}” ends on {strategy.ends:%-d %B %Y}: a year on would be past "
            f"{PERIOD_YEARS[-1]}, the last year a plan may run to"
        )
    undecided = [
        f"{a.objective.code}: {a.text[:70]}"
        for a in Action.objects.filter(objective__strategy=strategy, disposition="").select_related(
            "objective"
        )
    ]
    if undecided:
        raise PlanError(
            f"{len(undecided)} actions have no year-end disposition (Continue, Complete or "
            "Remove): " + "; ".join(undecided)
        )
    plan = convert.to_draft(strategy)
    counts = disposition_counts(plan)
    plan.title = next_title(strategy.title, strategy.starts, strategy.ends)
    plan.starts, plan.ends = _a_year_on(strategy.starts), _a_year_on(strategy.ends)
    year = draft.plan_year(plan.starts, plan.ends)
    for objective in plan.objectives:
        objective.actions = [
            replace(
                action,
                tags=[t for t in action.tags if t != draft.NEW_ACTION],
                plan_year=year,
                disposition=None,
                updates=[],  # the history stays with last year's action, linked to it
                source="",
            )
            for action in objective.actions
            if action.disposition == draft.Disposition.CONTINUE
        ]
    new = convert.save_plan(plan, directory=Directory.load(), previous=strategy)
    strategy.status = Strategy.Status.CLOSED
    strategy.save(update_fields=["status"])
    record(
        action=Audit.CREATE,
        request=request,
        actor=actor,
        obj=new,
        changes={
            "rolled_over_from": strategy.pk,
            **{d.value.lower(): counts[d.value] for d in draft.Disposition},
        },
    )
    record(
        action=Audit.UPDATE,
        request=request,
        actor=actor,
        obj=strategy,
        changes={"status": "closed", "rolled_over_to": new.pk},
    )
    return new
