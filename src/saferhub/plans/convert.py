"""Between the stored plan (models) and the plan as plain data (draft)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch

from . import draft
from .directory import Directory
from .models import Action, Lead, Measure, Objective, Strategy, Update
from .review import parse_review_point


def strategy_queryset(*, actions: list[int] | None = None):
    """Everything a draft needs, in a fixed number of queries; with `actions`, only those
    actions (one page of a long plan), their leads and their updates."""
    chosen = Action.objects.order_by("order", "id")
    if actions is not None:
        chosen = chosen.filter(id__in=actions)
    return Strategy.objects.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("order", "id")),
        Prefetch("objectives__measures", queryset=Measure.objects.order_by("order", "id")),
        Prefetch("objectives__actions", queryset=chosen),
        "objectives__actions__leads",
        "objectives__actions__updates",
    )


def to_draft(strategy: Strategy, *, actions: set[int] | None = None) -> draft.Plan:
    """The stored plan as plain data; `actions` keeps only those action ids (a lead's view)."""
    objectives = []
    for objective in strategy.objectives.all():
        measures = list(objective.measures.all())
        index = {m.id: i for i, m in enumerate(measures)}
        objectives.append(
            draft.Objective(
                code=objective.code,
                title=objective.title,
                aim=objective.aim,
                group=objective.group,
                key=objective.id,
                measures=[
                    draft.Measure(text=m.text, indicator=m.indicator, key=m.id) for m in measures
                ],
                actions=[
                    action_to_draft(a, index)
                    for a in objective.actions.all()
                    if actions is None or a.id in actions
                ],
            )
        )
    return draft.Plan(
        title=strategy.title,
        starts=strategy.starts,
        ends=strategy.ends,
        rag_definitions=dict(strategy.rag_definitions or draft.DEFAULT_RAG_DEFINITIONS),
        objectives=objectives,
    )


def action_to_draft(action: Action, measure_index: dict[int, int]) -> draft.Action:
    return draft.Action(
        text=action.text,
        measure=measure_index.get(action.measure_id) if action.measure_id else None,
        leads=[
            draft.Lead(person=lead.person, agency=lead.agency_name) for lead in action.leads.all()
        ],
        partners=action.partners,
        review=draft.ReviewPoint(
            text=action.review_text,
            kind=draft.ReviewKind(action.review_kind),
            due=action.review_due,
            # What the cell itself says; the action's own disposition may differ (a column).
            disposition=parse_review_point(action.review_text).disposition,
            carried_to=action.carried_to,
        ),
        tags=list(action.tags),
        plan_year=action.plan_year,
        disposition=draft.Disposition(action.disposition) if action.disposition else None,
        updates=[
            draft.Update(
                on=u.on,
                text=u.text,
                rag=draft.Rag(u.rag) if u.rag else None,
                author=u.author_name,
            )
            for u in action.updates.all()
        ],
        key=action.id,
        source=action.source,
        extra=dict(action.extra or {}),
    )


def review_of(text: str, strategy: Strategy) -> draft.ReviewPoint:
    """A review point typed for a stored plan, read as the importer reads it: a month with no
    year ("by March") falls in a financial-year plan's own year."""
    april = strategy.starts.month == 4 and strategy.starts.day == 1
    return parse_review_point(text, today_year_hint=strategy.starts.year if april else None)


def review_fields(review: draft.ReviewPoint) -> dict:
    return {
        "review_text": review.text,
        "review_kind": review.kind.value,
        "review_due": review.due,
        "carried_to": review.carried_to,
    }


def _action_record(
    objective: Objective,
    item: draft.Action,
    measures: list[Measure],
    order: int,
    carried_from: int | None = None,
) -> Action:
    return Action(
        objective=objective,
        carried_from_id=carried_from,
        measure=measures[item.measure] if item.measure is not None else None,
        text=item.text,
        partners=item.partners,
        tags=list(item.tags),
        plan_year=item.plan_year,
        disposition=item.disposition.value if item.disposition else "",
        source=item.source,
        extra=dict(item.extra),
        order=order,
        **review_fields(item.review),
    )


def _update_records(action: Action, item: draft.Action, directory: Directory) -> list[Update]:
    return [
        Update(
            action=action,
            on=u.on,
            text=u.text,
            rag=u.rag.value if u.rag else "",
            author_name=u.author,
            author=directory.person(u.author),
        )
        for u in item.updates
    ]


def save_action(
    objective: Objective,
    item: draft.Action,
    measures: list[Measure],
    order: int,
    directory: Directory,
    carried_from: int | None = None,
) -> Action:
    """Create one action with its leads and updates from plain data."""
    action = _action_record(objective, item, measures, order, carried_from)
    action.save()
    Lead.objects.bulk_create(lead_record(action, lead, directory) for lead in item.leads)
    Update.objects.bulk_create(_update_records(action, item, directory))
    return action


def lead_record(action: Action, lead: draft.Lead, directory: Directory) -> Lead:
    """A lead linked to the account and agency of the same name, when there is exactly one."""
    return Lead(
        action=action,
        person=lead.person,
        agency_name=lead.agency,
        user=directory.person(lead.person, lead.agency),
        agency=directory.agency(lead.agency),
    )


# Rows written per INSERT: within SQLite's and PostgreSQL's limits on query parameters.
BATCH = 500


def save_plan(
    plan: draft.Plan, *, directory: Directory, previous: Strategy | None = None
) -> Strategy:
    """Create a whole strategy from plain data (the caller holds the transaction): one INSERT
    per table and batch, never a query per row, so the write lock is held briefly. With
    `previous` it is that plan rolled over: each action is linked to the one it continues
    (its draft `key`)."""
    strategy = Strategy.objects.create(
        title=plan.title,
        starts=plan.starts,
        ends=plan.ends,
        rag_definitions=dict(plan.rag_definitions),
        previous=previous,
    )
    objectives = Objective.objects.bulk_create(
        [
            Objective(
                strategy=strategy,
                group=item.group,
                code=item.code,
                title=item.title,
                aim=item.aim,
                order=o_order,
            )
            for o_order, item in enumerate(plan.objectives)
        ],
        batch_size=BATCH,
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(objective=objective, text=m.text, indicator=m.indicator, order=i)
            for objective, item in zip(objectives, plan.objectives, strict=True)
            for i, m in enumerate(item.measures)
        ],
        batch_size=BATCH,
    )
    by_objective: dict[int, list[Measure]] = {}
    for measure in measures:
        by_objective.setdefault(measure.objective_id, []).append(measure)
    pairs = [
        (
            _action_record(
                objective,
                action,
                by_objective.get(objective.pk, []),
                a_order,
                action.key if previous is not None else None,
            ),
            action,
        )
        for objective, item in zip(objectives, plan.objectives, strict=True)
        for a_order, action in enumerate(item.actions)
    ]
    Action.objects.bulk_create([record for record, _ in pairs], batch_size=BATCH)
    Lead.objects.bulk_create(
        [lead_record(record, lead, directory) for record, item in pairs for lead in item.leads],
        batch_size=BATCH,
    )
    Update.objects.bulk_create(
        [u for record, item in pairs for u in _update_records(record, item, directory)],
        batch_size=BATCH,
    )
    return strategy


# What one plan import may hold: more is refused with a message, not stored in one long
# transaction that holds every other writer (and, on SQLite, every sign-in) waiting.
MAX_ACTIONS = 5_000
MAX_UPDATES = 20_000


def size_problems(plan: draft.Plan, file: str) -> list[draft.Problem]:
    """The plan is larger than one import may hold."""
    actions = plan.actions()
    updates = sum(len(a.updates) for _, a in actions)
    problems = []
    if len(actions) > MAX_ACTIONS:
        problems.append(
            draft.Problem(
                file,
                f"a plan import may hold at most {MAX_ACTIONS:,} actions; found "
                f"{len(actions):,}: split the file into several plans",
            )
        )
    if updates > MAX_UPDATES:
        problems.append(
            draft.Problem(
                file,
                f"a plan import may hold at most {MAX_UPDATES:,} updates; found {updates:,}: "
                "keep the earlier years' updates in the old file",
            )
        )
    return problems


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def length_problems(plan: draft.Plan, file: str) -> list[draft.Problem]:
    """Cells longer than the database keeps, named like the importer's problems (PostgreSQL
    would refuse them at the last step; SQLite would keep them whole but unchecked)."""
    checks: list[tuple[str, str, int]] = [("plan title", plan.title, _limit(Strategy, "title"))]
    for o in plan.objectives:
        checks += [
            (f"objective {o.code} code", o.code, _limit(Objective, "code")),
            (f"objective {o.code} title", o.title, _limit(Objective, "title")),
            (f"objective {o.code} group", o.group, _limit(Objective, "group")),
        ]
        checks += [
            (f"{o.code} measure indicator", m.indicator, _limit(Measure, "indicator"))
            for m in o.measures
        ]
        for a in o.actions:
            where = a.source or o.code
            checks += [
                (f"{where}, review point", a.review.text, _limit(Action, "review_text")),
                (f"{where}, plan year", a.plan_year, _limit(Action, "plan_year")),
                (f"{where}, carried to", a.review.carried_to, _limit(Action, "carried_to")),
            ]
            checks += [
                (f"{where}, lead", text, _limit(Lead, "person"))
                for lead in a.leads
                for text in (lead.person, lead.agency)
            ]
            checks += [
                (f"{where}, update author", u.author, _limit(Update, "author_name"))
                for u in a.updates
            ]
    return [
        draft.Problem(f"{file}, {where}", f"at most {limit} characters; found {len(text)}")
        for where, text, limit in checks
        if len(text) > limit
    ]


def _day(value: str | None):
    return date.fromisoformat(value) if value else None


def plan_to_data(plan: draft.Plan) -> dict:
    """The plan as JSON-ready data: what a preview keeps for its confirmation."""
    return {
        "title": plan.title,
        "starts": plan.starts and plan.starts.isoformat(),
        "ends": plan.ends and plan.ends.isoformat(),
        "rag": dict(plan.rag_definitions),
        "objectives": [
            {
                "code": o.code,
                "title": o.title,
                "aim": o.aim,
                "group": o.group,
                "measures": [[m.text, m.indicator] for m in o.measures],
                "actions": [_action_data(a) for a in o.actions],
            }
            for o in plan.objectives
        ],
    }


def _action_data(a: draft.Action) -> dict:
    r = a.review
    return {
        "text": a.text,
        "measure": a.measure,
        "leads": [[lead.person, lead.agency] for lead in a.leads],
        "partners": a.partners,
        "review": [
            r.text,
            r.kind.value,
            r.due and r.due.isoformat(),
            r.disposition and r.disposition.value,
            r.carried_to,
        ],
        "tags": list(a.tags),
        "plan_year": a.plan_year,
        "disposition": a.disposition and a.disposition.value,
        "updates": [
            [u.on and u.on.isoformat(), u.text, u.rag and u.rag.value, u.author] for u in a.updates
        ],
        "source": a.source,
        "extra": dict(a.extra),
    }


def plan_from_data(data: dict) -> draft.Plan:
    """The plan `plan_to_data` wrote."""
    return draft.Plan(
        title=data["title"],
        starts=_day(data["starts"]),
        ends=_day(data["ends"]),
        rag_definitions=dict(data["rag"]),
        objectives=[
            draft.Objective(
                code=o["code"],
                title=o["title"],
                aim=o["aim"],
                group=o["group"],
                measures=[draft.Measure(text=t, indicator=i) for t, i in o["measures"]],
                actions=[_action_from_data(a) for a in o["actions"]],
            )
            for o in data["objectives"]
        ],
    )


def _action_from_data(a: dict) -> draft.Action:
    text, kind, due, disposition, carried_to = a["review"]
    return draft.Action(
        text=a["text"],
        measure=a["measure"],
        leads=[draft.Lead(person=p, agency=g) for p, g in a["leads"]],
        partners=a["partners"],
        review=draft.ReviewPoint(
            text=text,
            kind=draft.ReviewKind(kind),
            due=_day(due),
            disposition=draft.Disposition(disposition) if disposition else None,
            carried_to=carried_to,
        ),
        tags=list(a["tags"]),
        plan_year=a["plan_year"],
        disposition=draft.Disposition(a["disposition"]) if a["disposition"] else None,
        updates=[
            draft.Update(on=_day(on), text=t, rag=draft.Rag(rag) if rag else None, author=au)
            for on, t, rag, au in a["updates"]
        ],
        source=a["source"],
        extra=dict(a["extra"]),
    )
