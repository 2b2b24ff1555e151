"""A MARAC referral rests on the victim's DASH (no re-keying), is refused when no criterion is
met, is a repeat within 12 months of the last one (364 days yes, 366 no), and lists the case
at the panel; panel actions need an owning member agency and a due date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.cases.errors import CaseError
from saferhub.panels import services
from saferhub.panels.models import PanelType, Referral
from saferhub.risk import services as risk
from saferhub.risk.models import Edition

from .conftest import AT, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def _marac(world):
    panel = services.create_panel(
        world.admin, name="Eastmere MARAC (fictional)", type=PanelType.MARAC,
        chair_agency=world.police, purpose="Safety planning for high-risk victims", at=AT,
    )  # fmt: skip
    services.add_member(world.admin, panel, world.council, at=AT)
    return panel


def _dash(world, yes: int, extra: dict | None = None, on=TODAY):
    risk.ensure_shipped(at=AT)
    answers = {f"q{i}": ("yes" if i <= yes else "no") for i in range(1, 25)}
    return risk.save_assessment(
        world.lead, world.case, world.victim, Edition.objects.get(code="dash", current=True),
        {**answers, **(extra or {})}, complete=True, assessed_on=on, at=AT,
    )  # fmt: skip


def _refer(world, panel, on, **kw):
    return services.refer_to_marac(
        world.lead, panel, world.case, world.victim, referred_on=on, at=AT, **kw
    )


def test_dash_at_14_prefills_visible_high_risk_and_lists_the_case(world):
    panel = _marac(world)
    _dash(world, 14)
    referral = _refer(world, panel, TODAY)
    assert (referral.visible_high_risk, referral.dash_score, referral.repeat) == (True, 14, False)
    assert referral.listing.panel_id == panel.pk and referral.listing.ended_at is None


def test_dash_at_13_without_judgement_is_refused_with_the_reason(world):
    panel = _marac(world)
    _dash(world, 13)
    with pytest.raises(CaseError) as refused:
        _refer(world, panel, TODAY)
    assert refused.value.field == "criteria" and "a DASH count of 13" in str(refused.value)
    assert not Referral.objects.exists()


def test_professional_judgement_alone_meets_the_criteria(world):
    panel = _marac(world)
    _dash(world, 9, {"professional_judgement": "yes"})
    referral = _refer(world, panel, TODAY)
    assert referral.professional_judgement and not referral.visible_high_risk


@pytest.mark.parametrize(("days", "repeat"), [(364, True), (366, False)])
def test_repeat_within_twelve_months(world, days, repeat):
    panel = _marac(world)
    _dash(world, 15)
    first = _refer(world, panel, TODAY - timedelta(days=days))
    second = _refer(world, panel, TODAY)
    assert second.repeat is repeat
    assert second.repeat_of_id == (first.pk if repeat else None)


def test_actions_need_an_owner_member_and_a_due_date(world):
    panel = _marac(world)
    with pytest.raises(CaseError) as no_due:
        services.add_action(
            world.lead, panel, owner_agency=world.council, description="Safety plan",
            due_on=None, at=AT,
        )  # fmt: skip
    assert no_due.value.field == "due_on"
    with pytest.raises(CaseError) as no_owner:
        services.add_action(
            world.lead, panel, owner_agency=None, description="Safety plan", due_on=TODAY, at=AT
        )
    assert no_owner.value.field == "owner_agency"
    with pytest.raises(CaseError) as not_member:
        services.add_action(
            world.lead, panel, owner_agency=world.housing, description="Safety plan",
            due_on=TODAY, at=AT,
        )  # fmt: skip
    assert not_member.value.field == "owner_agency"
    action = services.add_action(
        world.lead, panel, owner_agency=world.council, description="Safety plan",
        due_on=TODAY + timedelta(days=7), at=AT,
    )  # fmt: skip
    assert action.owner_agency_id == world.council.pk and action.status == "open"


def test_safelives_return_counts_referrals_and_repeats_in_the_quarter(world):
    from datetime import date

    panel = _marac(world)
    _dash(world, 16)
    _refer(world, panel, date(2026, 3, 30))  # the quarter before
    _refer(world, panel, date(2026, 10, 2))  # 186 days later: a repeat
    _refer(world, panel, date(2026, 11, 1))  # a repeat again
    figures = services.marac_return(world.lead, panel, date(2026, 10, 1), date(2026, 12, 31))
    assert (figures.referrals, figures.repeats, figures.repeat_rate) == (2, 2, 1.0)
    assert figures.by_agency == {world.police.name: 2}
    with pytest.raises(PermissionDenied):
        services.marac_return(world.housing_worker, panel, date(2026, 10, 1), date(2026, 12, 31))
