"""Storing, updating and rolling over plans: every change whole or not at all, each audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from saferhub.audit.models import AuditEntry
from saferhub.plans import convert
from saferhub.plans.draft import Disposition
from saferhub.plans.models import Action, Lead, Strategy, Update
from saferhub.plans.services import (
    PlanError,
    add_action,
    import_plan,
    next_title,
    post_update,
    rollover,
)

from .conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_import_stores_the_whole_plan_links_leads_and_audits(stored_plan):
    plan = convert.to_draft(stored_plan)
    assert [o.code for o in plan.objectives] == ["SO1", "SO2", "SO3", "SO4"]
    assert len(plan.actions()) == 7
    assert Update.objects.filter(action__objective__strategy=stored_plan).count() == 7
    linked = Lead.objects.filter(user__isnull=False).values_list("action__text", flat=True)
    assert len(linked) == 2 and all("fictional" not in text for text in linked)
    assert Lead.objects.filter(agency__name__startswith="Demo Police").count() == 2
    entry = AuditEntry.objects.get(object_type="plans.Strategy", action="create")
    assert entry.changes == {"imported_from": "test", "objectives": 4, "actions": 7}


def test_import_without_a_period_stores_nothing(db):
    from saferhub.plans.demo import demo_plan

    plan = demo_plan(TODAY)
    plan.starts = None
    with pytest.raises(PlanError, match="start and an end"):
        import_plan(plan, source="x")
    assert not Strategy.objects.exists() and not AuditEntry.objects.exists()


def test_post_update_is_audited_without_its_text(stored_plan, make_user):
    coordinator = make_user("coordinator")
    action = Action.objects.get(text__startswith="Offer free door")
    post_update(
        action,
        on=TODAY - timedelta(days=1),
        text="All 40 homes fitted",
        rag="Green",
        user=coordinator,
        today=TODAY,
    )
    latest = convert.to_draft(stored_plan).objectives[0].actions[1]
    assert latest.rag == "Green" and latest.latest.text == "All 40 homes fitted"
    entry = AuditEntry.objects.filter(object_type="plans.Update").get()
    assert entry.actor == coordinator
    assert entry.changes["rag"] == "Green" and "All 40" not in str(entry.changes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "  ", "rag": "Green"}, "write what has happened"),
        ({"text": "x", "rag": "Purple"}, "RAG must be Red, Amber or Green"),
        ({"text": "x", "rag": "Green", "on": TODAY + timedelta(days=2)}, "in the future"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_written(stored_plan, make_user, kwargs, message):
    user = make_user("coordinator")
    action = Action.objects.first()
    before = (Update.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PlanError, match=message):
        post_update(action, user=user, today=TODAY, **{"on": TODAY, **kwargs})
    assert (Update.objects.count(), AuditEntry.objects.count()) == before


def decide_all(strategy: Strategy, disposition: str = "Continue") -> None:
    Action.objects.filter(objective__strategy=strategy, disposition="").update(
        disposition=disposition
    )


def test_rollover_refuses_undecided_actions_and_changes_nothing(stored_plan):
    with pytest.raises(PlanError, match="3 actions have no year-end disposition") as failure:
        rollover(stored_plan)
    assert "SO2: Train housing officers" in str(failure.value)
    assert Strategy.objects.count() == 1
    stored_plan.refresh_from_db()
    assert stored_plan.status == "open"


def test_rollover_carries_continue_closes_complete_drops_remove(stored_plan, make_user):
    decide_all(stored_plan)
    Action.objects.filter(text__startswith="Train housing").update(disposition="Remove")
    new = rollover(stored_plan)

    assert new.previous == stored_plan and new.title == next_title(
        stored_plan.title, stored_plan.starts, stored_plan.ends
    )
    assert (new.starts, new.ends) == (date(2027, 4, 1), date(2028, 3, 31))
    assert new.plan_year == "2027/28"
    old = {a.text: a for a in Action.objects.filter(objective__strategy=stored_plan)}
    carried = list(Action.objects.filter(objective__strategy=new))
    # 7 actions: 3 Continue in the demo and 2 decided Continue here; 1 Complete, 1 Remove.
    assert len(carried) == 5
    for action in carried:
        assert action.carried_from == old[action.text]
        assert action.carried_from.disposition == Disposition.CONTINUE
        assert action.plan_year == "2027/28" and "NEW ACTION" not in action.tags
        assert action.history() == [old[action.text]]
        assert action.updates.count() == 0  # history stays with last year's action
        assert [str(lead) for lead in action.leads.all()] == [
            str(lead) for lead in old[action.text].leads.all()
        ]
    texts = {a.text for a in carried}
    assert "Deliver knife-crime workshops in every secondary school" not in texts  # Complete
    assert "Train housing officers in the ASB case review" not in texts  # Removed
    # Measures move with their objective; linked actions point at the new measures.
    assert all(a.measure is None or a.measure.objective.strategy == new for a in carried)
    stored_plan.refresh_from_db()
    assert stored_plan.status == "closed"
    with pytest.raises(PlanError, match="already been rolled over"):
        rollover(stored_plan)
    with pytest.raises(PlanError, match="closed to changes"):
        post_update(
            old["Offer free door and window locks to repeat victims"],
            on=TODAY,
            text="late",
            rag="Green",
            user=make_user("coordinator"),
            today=TODAY,
        )


def test_new_actions_in_a_rolled_over_plan_are_tagged(stored_plan, make_user):
    user = make_user("coordinator")
    first_year = add_action(stored_plan.objectives.first(), text="Pilot a safe space", user=user)
    assert first_year.tags == []
    decide_all(stored_plan)
    new = rollover(stored_plan)
    added = add_action(new.objectives.first(), text="Pilot a safe space", user=user)
    assert added.tags == ["NEW ACTION"] and added.plan_year == "2027/28"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Safer Eastmere Delivery Plan 2026/27", "Safer Eastmere Delivery Plan 2027/28"),
        ("Action plan 2026-27", "Action plan 2027-28"),
        ("Plan 2026", "Plan 2027"),
        ("Our plan", "Our plan (2027/28)"),
        ("Refresh of the 2017 plan: 2026/27", "Refresh of the 2017 plan: 2027/28"),
    ],
)
def test_next_title(title, expected):
    assert next_title(title, date(2026, 4, 1), date(2027, 3, 31)) == expected


def test_a_plan_ending_in_february_keeps_the_month_end():
    from saferhub.plans.services import _a_year_on

    assert _a_year_on(date(2027, 2, 28)) == date(2028, 2, 29)
    assert _a_year_on(date(2028, 2, 29)) == date(2029, 2, 28)
    assert _a_year_on(date(2026, 4, 1)) == date(2027, 4, 1)


def test_leads_link_only_to_one_account_in_their_agency(db, make_user, police):
    from saferhub.accounts.models import Agency, AgencyType
    from saferhub.plans import draft

    council = Agency.objects.create(name="Eastmere Council", type=AgencyType.COUNCIL)
    in_police = make_user("practitioner", email="js1@eastmere.example")
    in_council = make_user("practitioner", email="js2@eastmere.example")
    for user, agency in ((in_police, police), (in_council, council)):
        user.full_name, user.agency = "Jo Smith", agency
        user.save()
    plan = draft.Plan(
        title="Eastmere plan 2026/27",
        starts=date(2026, 4, 1),
        ends=date(2027, 3, 31),
        objectives=[
            draft.Objective(
                code="SO1",
                title="Burglary",
                actions=[
                    draft.Action("Led in the police", leads=[draft.Lead("Jo Smith", police.name)]),
                    draft.Action(
                        "Led in the council", leads=[draft.Lead("jo smith", council.name)]
                    ),
                    draft.Action("Which Jo Smith?", leads=[draft.Lead("Jo Smith")]),
                ],
            )
        ],
    )
    import_plan(plan, source="test")
    linked = dict(Lead.objects.values_list("action__text", "user"))
    assert linked == {
        "Led in the police": in_police.pk,
        "Led in the council": in_council.pk,
        "Which Jo Smith?": None,  # namesakes are never guessed between
    }
