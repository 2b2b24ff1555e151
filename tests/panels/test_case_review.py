"""An ASB case review application is decided against the local threshold when logged:
three complaints in six months by default, configurable per panel."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from saferhub.cases.errors import CaseError
from saferhub.panels import services
from saferhub.panels.models import CaseReview, PanelType
from saferhub.panels.rules import Complaint

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

AT = datetime(2026, 11, 24, 10, tzinfo=UTC)
RECEIVED = date(2026, 11, 20)


def _panel(world, settings=None):
    panel = services.create_panel(
        world.admin, name="Eastmere ASB case review (fictional)",
        type=PanelType.ASB_CASE_REVIEW, chair_agency=world.council,
        purpose="Reviewing ASB case review applications", at=AT,
    )  # fmt: skip
    if settings:
        panel.settings = settings
        panel.save(update_fields=["settings"])
    return panel


def _log(world, panel, dates, ref="ACR-1"):
    return services.log_case_review(
        world.council_worker, panel, reference=ref, received_on=RECEIVED, applicant_type="victim",
        complaints=[Complaint(made_on=d, agency="Eastmere Council") for d in dates], at=AT,
    )  # fmt: skip


INSIDE = [date(2026, 6, 1), date(2026, 8, 1), date(2026, 11, 1)]


@pytest.mark.parametrize(
    ("dates", "met"),
    [
        (INSIDE[:2], False),  # two complaints inside six months
        (INSIDE, True),  # three inside
        ([date(2026, 5, 19), *INSIDE[1:]], False),  # one of three just outside (before 20 May)
    ],
)
def test_default_threshold_three_in_six_months(world, dates, met):
    review = _log(world, _panel(world), dates)
    assert review.threshold_met is met
    assert (review.threshold_complaints, review.threshold_months) == (3, 6)
    assert review.status == ("review_due" if met else "threshold_not_met")


def test_local_threshold_from_the_panel_settings(world):
    panel = _panel(world, {"trigger": {"complaints_needed": 2, "months": 6}})
    assert _log(world, panel, INSIDE[1:]).threshold_met is True


def test_bad_input_names_the_field_and_writes_nothing(world):
    panel = _panel(world)
    with pytest.raises(CaseError) as late:
        _log(world, panel, [date(2026, 11, 21)])
    assert late.value.field == "complaints" and "complaint 1" in str(late.value)
    _log(world, panel, INSIDE)
    with pytest.raises(CaseError) as twice:
        _log(world, panel, INSIDE)
    assert twice.value.field == "reference"
    assert CaseReview.objects.count() == 1
