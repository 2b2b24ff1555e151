"""A plan import under load (issue 12): the preview's reading is what is stored, in bulk and
within a cap; a confirmation is consumed once, even in parallel; an exported plan imported
again keeps its leads; long lists are paged; year-end and report inputs are bounded."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from difflib import SequenceMatcher

import pytest
from django.urls import reverse

from saferhub.plans import convert, draft, exporting, health, importing, services
from saferhub.plans.demo import demo_plan
from saferhub.plans.models import Action, Lead, PendingImport, Strategy, Update
from saferhub.plans.review import parse_review_point

from .conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def big_plan(actions: int, *, updates: int = 1, objectives: int = 3) -> draft.Plan:
    """A fictional plan of `actions` actions over a few objectives."""
    per = -(-actions // objectives)
    made = [
        draft.Objective(
            code=f"SO{o + 1}",
            title=f"Objective {o + 1}",
            measures=[draft.Measure(f"Measure {o + 1}")],
            actions=[
                draft.Action(
                    text=f"Action {o + 1}.{i + 1}: visit {i} homes in ward {o}",
                    measure=0,
                    leads=[draft.Lead(person=f"Officer {i % 7}", agency="Eastmere Council")],
                    review=parse_review_point("March 2027"),
                    updates=[
                        draft.Update(TODAY - timedelta(days=k + 1), f"Done {k}", draft.Rag.GREEN)
                        for k in range(updates)
                    ],
                )
                for i in range(min(per, actions - o * per))
            ],
        )
        for o in range(objectives)
    ]
    return draft.Plan(
        title="Eastmere plan 2026/27 (fictional)",
        starts=date(2026, 4, 1),
        ends=date(2027, 3, 31),
        objectives=made,
    )


def upload(plan: draft.Plan, name: str = "eastmere-plan.csv") -> io.BytesIO:
    file = io.BytesIO(exporting.plan_to_csv(plan))
    file.name = name
    return file


def preview(client, plan: draft.Plan):
    return client.post(
        reverse("plans:import"),
        {"file": upload(plan), "title": plan.title, "starts": "2026-04-01", "ends": "2027-03-31"},
    )


# 1. One import must not hold the site's write lock for long.


def test_a_plan_is_stored_in_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    plan = big_plan(60, updates=3)
    with django_assert_max_num_queries(20):  # per row it was 3 queries an action, 180 and more
        strategy = services.import_plan(plan, source="test")
    assert Action.objects.filter(objective__strategy=strategy).count() == 60
    assert Update.objects.filter(action__objective__strategy=strategy).count() == 180
    stored = convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk))
    assert [a.text for _, a in stored.actions()] == [a.text for _, a in plan.actions()]
    assert [len(a.updates) for _, a in stored.actions()] == [3] * 60


def test_a_plan_over_the_cap_is_refused_with_a_message(client, signed_in, monkeypatch):
    monkeypatch.setattr(convert, "MAX_ACTIONS", 5)
    monkeypatch.setattr(convert, "MAX_UPDATES", 8)
    with pytest.raises(services.PlanError, match="at most 5 actions; found 6"):
        services.import_plan(big_plan(6), source="test")
    client, _ = signed_in("coordinator")
    page = preview(client, big_plan(6, updates=2)).content.decode()
    assert "at most 5 actions; found 6" in page and "at most 8 updates; found 12" in page
    assert "Ready to import" not in page and not PendingImport.objects.exists()
    assert not Strategy.objects.exists()


def test_confirming_stores_what_the_preview_read_without_reading_the_file_again(
    client, signed_in, monkeypatch
):
    client, _ = signed_in("coordinator")
    plan = demo_plan(TODAY)
    page = preview(client, plan)
    assert "Ready to import" in page.content.decode()

    def no_second_read(*args, **kwargs):
        raise AssertionError("the file was parsed again at confirmation")

    monkeypatch.setattr(importing, "read_plan", no_second_read)
    response = client.post(
        reverse("plans:import"), {"confirm": "1", "digest": page.context["digest"]}
    )
    strategy = Strategy.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[strategy.pk])
    assert len(convert.to_draft(strategy).actions()) == len(plan.actions())


# 2. A confirmation is consumed once.


def test_a_second_confirm_says_already_imported_and_goes_to_the_plan(client, signed_in):
    client, _ = signed_in("coordinator")
    page = preview(client, demo_plan(TODAY))
    digest = page.context["digest"]
    first = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest})
    strategy = Strategy.objects.get()
    second = client.post(reverse("plans:import"), {"confirm": "1", "digest": digest}, follow=True)
    assert Strategy.objects.count() == 1
    assert first["Location"] == reverse("plans:detail", args=[strategy.pk])
    assert second.redirect_chain[-1][0] == reverse("plans:detail", args=[strategy.pk])
    assert f"already been imported: plan {strategy.pk}" in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_confirms_import_the_plan_once(make_user):
    """Five confirmations of one preview at once: one plan, four told it is already in."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's test database is in memory, one writer; the race needs a server")
    user = make_user("coordinator")
    plan = big_plan(30)
    held = services.hold_preview(plan, name="plan.csv", digest="d" * 64, user=user)

    def confirm(_: int) -> str:
        try:
            services.confirm_import(held.token, digest="d" * 64, user=user)
            return "imported"
        except services.AlreadyImported:
            return "already"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(5) as pool:
        outcomes = sorted(pool.map(confirm, range(5)))
    assert outcomes == ["already"] * 4 + ["imported"]
    assert Strategy.objects.count() == 1
    assert Action.objects.count() == 30


# 3. An exported plan imported again keeps its leads.


def test_exported_plan_reimported_keeps_leads_of_agencies_with_brackets(
    client, stored_plan, signed_in
):
    before = [
        (lead.person, lead.agency_name, lead.user_id, lead.agency_id)
        for lead in Lead.objects.filter(action__objective__strategy=stored_plan).order_by("id")
    ]
    assert any("(" in agency for _, agency, _, _ in before)  # "Demo Police (fictional)"
    client, _ = signed_in("coordinator")
    exported = client.get(reverse("plans:export", args=[stored_plan.pk, "csv"])).content
    file = io.BytesIO(exported)
    file.name = "again.csv"
    page = client.post(
        reverse("plans:import"),
        {"file": file, "title": "Again 2026/27", "starts": "2026-04-01", "ends": "2027-03-31"},
    )
    client.post(reverse("plans:import"), {"confirm": "1", "digest": page.context["digest"]})
    again = Strategy.objects.exclude(pk=stored_plan.pk).get()
    after = [
        (lead.person, lead.agency_name, lead.user_id, lead.agency_id)
        for lead in Lead.objects.filter(action__objective__strategy=again).order_by("id")
    ]
    assert after == before


def test_a_lead_matching_no_agency_and_no_user_is_a_note_in_the_preview(client, signed_in):
    client, _ = signed_in("coordinator")
    plan = big_plan(3)
    plan.objectives[0].actions[0].leads = [draft.Lead(person="Nobody Known")]
    page = preview(client, plan).content.decode()
    assert "Ready to import" in page
    assert "lead “Nobody Known” matches no agency and no user" in page


# 4 and 5. Bounded inputs get a message, not a 500.


def test_rolling_over_a_plan_ending_in_9999_is_refused_with_a_message(client, signed_in):
    plan = big_plan(2)
    plan.starts, plan.ends = date(9999, 1, 1), date(9999, 12, 31)
    strategy = services.import_plan(plan, source="test")
    Action.objects.update(disposition="Continue")
    with pytest.raises(services.PlanError, match="past 2100"):
        services.rollover(strategy)
    client, _ = signed_in("coordinator")
    page = client.post(reverse("plans:rollover", args=[strategy.pk]))
    assert page.status_code == 200 and "past 2100" in page.content.decode()
    assert Strategy.objects.count() == 1


def test_board_report_with_a_bad_date_is_a_page_of_the_site(client, stored_plan, signed_in):
    client, _ = signed_in("board")
    response = client.get(
        reverse("plans:board-report", args=[stored_plan.pk, "html"]) + "?as_at=2026-02-30"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "govuk-header" in text or "govuk-template" in text  # the site's base template
    assert "was not understood" in text and "no report was made" in text


# Long lists are paged.


def test_the_plan_page_and_an_action_page_are_paged(client, signed_in):
    from saferhub.plans.views import ACTIONS_PER_PAGE, UPDATES_PER_PAGE

    plan = big_plan(ACTIONS_PER_PAGE * 2 + 10)
    plan.objectives[0].actions[0].updates = [
        draft.Update(TODAY - timedelta(days=k), f"Update {k}", draft.Rag.AMBER)
        for k in range(UPDATES_PER_PAGE + 5)
    ]
    strategy = services.import_plan(plan, source="test")
    client, _ = signed_in("coordinator")
    url = reverse("plans:detail", args=[strategy.pk])
    first = client.get(url).content.decode()
    assert first.count('href="/plans/actions/') == ACTIONS_PER_PAGE
    assert 'class="govuk-pagination"' in first and 'aria-label="Page 3"' in first
    last = client.get(url + "?page=3").content.decode()
    assert last.count('href="/plans/actions/') == 10
    assert "SO3 – Objective 3" in last and "SO1 – Objective 1" not in last
    second = client.get(url + "?page=2").content.decode()
    assert "(continued)" in second
    action = Action.objects.get(text=plan.objectives[0].actions[0].text)
    page = client.get(reverse("plans:action", args=[action.pk])).content.decode()
    assert page.count("Update ") == UPDATES_PER_PAGE
    rest = client.get(reverse("plans:action", args=[action.pk]) + "?page=2").content.decode()
    assert rest.count("Update ") == 5


def test_near_duplicate_candidates_miss_no_pair_all_pairs_would_find():
    rng = random.Random(12)
    vocabulary = ["patrol", "visit", "victims", "wards", "schools", "youth", "night", "review"]
    lists = [[rng.choice(vocabulary) for _ in range(rng.randint(1, 12))] for _ in range(150)]
    lists += [[*words, "again"] for words in lists[:30]]
    candidates = health._candidates(lists)
    for i, these in enumerate(lists):
        for j in range(i + 1, len(lists)):
            ratio = SequenceMatcher(None, lists[j], these, autojunk=False).ratio()
            if ratio >= health.NEAR_DUPLICATE:
                assert j in candidates[i]
