"""The health check on a plan whose year has ended: by default it is made as at the plan's
last day, and says so, instead of finding every action without an update "this quarter"
(a quarter after the plan). Every date here is explicit; the clock is frozen on 24 November
2026 (see conftest), months after the 2025/26 plan below ended."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from django.urls import reverse

from saferhub.plans import health
from saferhub.plans.commands import plan as plan_command
from saferhub.plans.draft import Action, Lead, Objective, Plan, Rag, ReviewKind, ReviewPoint, Update
from saferhub.plans.services import import_plan

from .conftest import TODAY

QUARTERLY = ReviewPoint(text="Quarterly", kind=ReviewKind.QUARTERLY)
LEAD = [Lead(person="Ines Varga", agency="Wexcombe Council")]


def ended_plan() -> Plan:
    """2025/26: one action updated in its last quarter, one before it, one never."""
    actions = [
        Action(
            "Run the spring week of action",
            leads=LEAD,
            review=QUARTERLY,
            updates=[Update(date(2026, 2, 10), "Week held", Rag.GREEN)],
        ),
        Action(
            "Refresh the CCTV sharing agreement",
            leads=LEAD,
            review=QUARTERLY,
            updates=[Update(date(2025, 11, 5), "Draft agreed", Rag.AMBER)],
        ),
        Action("Map the lanes with no street lighting", leads=LEAD, review=QUARTERLY),
    ]
    return Plan(
        title="Wexcombe Delivery Plan 2025/26",
        starts=date(2025, 4, 1),
        ends=date(2026, 3, 31),
        objectives=[Objective(code="SO1", title="Burglary", actions=actions)],
    )


def quarter_findings(plan: Plan, day: date) -> list[str]:
    return [f.text for f in health.check(plan, today=day) if f.rule == "no-update-this-quarter"]


def test_an_ended_plan_is_checked_as_at_its_last_day():
    when = health.as_at(ended_plan(), today=date(2026, 11, 24))
    assert when.day == date(2026, 3, 31) and when.plan_ended
    assert when.sentence == "checked as at 31 March 2026, the end of the plan's year"


def test_a_running_plan_is_checked_today_and_a_day_asked_for_is_kept():
    plan = ended_plan()
    assert health.as_at(plan, today=date(2026, 1, 20)).day == date(2026, 1, 20)
    assert health.as_at(plan, today=date(2026, 3, 31)).sentence == "checked as at 31 March 2026"
    asked = health.as_at(plan, today=date(2026, 11, 24), asked=date(2026, 10, 1))
    assert (asked.day, asked.plan_ended) == (date(2026, 10, 1), False)


def test_a_multi_year_plan_ends_its_period_not_its_year():
    plan = ended_plan()
    plan.starts = date(2022, 4, 1)
    when = health.as_at(plan, today=date(2026, 11, 24))
    assert when.sentence == "checked as at 31 March 2026, the end of the plan's period"


def test_as_at_its_end_only_actions_missing_its_last_quarter_are_found():
    plan = ended_plan()
    at_end = health.as_at(plan, today=date(2026, 11, 24)).day
    assert quarter_findings(plan, at_end) == [
        "Refresh the CCTV sharing agreement",
        "Map the lanes with no street lighting",
    ]
    detail = next(f.detail for f in health.check(plan, today=at_end) if f.text.startswith("Map"))
    assert detail == "nothing dated in Q4 2025/26 (January to March 2026)"
    # Checked as at a day after the plan, every action would lack an update "this quarter".
    assert len(quarter_findings(plan, date(2026, 11, 24))) == 3


@pytest.mark.django_db
def test_the_command_checks_an_ended_plan_as_at_its_end_and_says_so():
    strategy = import_plan(ended_plan(), source="test")
    result = CliRunner().invoke(plan_command, ["health", str(strategy.pk)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "Wexcombe Delivery Plan 2025/26: checked as at 31 March 2026, the end of the plan's year"
    )
    assert sum(line.startswith("No update this quarter") for line in lines) == 2
    asked = CliRunner().invoke(plan_command, ["health", str(strategy.pk), "--as-at", "2026-11-24"])
    assert "checked as at 24 November 2026" in asked.output
    assert sum(line.startswith("No update this quarter") for line in asked.output.splitlines()) == 3


@pytest.mark.django_db
def test_the_health_page_checks_an_ended_plan_as_at_its_end(client, signed_in):
    client, _ = signed_in("coordinator")
    strategy = import_plan(ended_plan(), source="test")
    page = client.get(reverse("plans:health", args=[strategy.pk])).content.decode()
    assert "Checked as at 31 March 2026, the end of the plan&#x27;s year" in page
    assert 'data-rule="no-update-this-quarter">2</td>' in page
    detail = client.get(reverse("plans:detail", args=[strategy.pk])).content.decode()
    found = len(health.check(ended_plan(), today=date(2026, 3, 31)))
    assert f"Plan health check: {found} finding" in detail
    asked = client.get(reverse("plans:health", args=[strategy.pk]) + f"?as_at={TODAY}")
    assert 'data-rule="no-update-this-quarter">3</td>' in asked.content.decode()
