"""`statuses` reads values as plain rows (issue 13: the dashboard's speed): every point it
gives is the one `status_of` gives from the model instances, detail and who entered it
included, and a newly entered value shows at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saferhub.indicators import services
from saferhub.indicators.models import Value
from saferhub.indicators.status import active_statuses, status_of, statuses
from tests.indicators.conftest import Q1, Q2

pytestmark = pytest.mark.django_db


def test_rows_give_the_same_points_as_model_instances(idva, make_user):
    user = make_user("coordinator", email="entry@example.invalid")
    services.enter_value(idva, period=Q1, value=Decimal(52), note="first", user=user)
    services.enter_value(idva, period=Q2, value=Decimal(61), note="", user=user)
    first = idva.values.order_by("period_end").first()
    Value.objects.filter(pk=first.pk).update(detail={"breakdowns": {"age": [1, 2]}})
    [fast] = statuses([idva])
    slow = status_of(idva, idva.values.select_related("entered_by"))
    assert fast == slow
    assert [p.entered_by for p in fast.points] == [user.full_name] * 2
    assert fast.points[0].detail == {"breakdowns": {"age": [1, 2]}}
    assert fast.points[0].detail.get("breakdowns") == {"age": [1, 2]}
    assert dict(fast.points[1].detail) == {}
    assert (fast.latest.value, fast.latest.note, fast.previous.note) == (Decimal(61), "", "first")


def test_a_new_value_shows_on_the_next_read(idva, make_user):
    user = make_user("coordinator", email="entry@example.invalid")
    services.enter_value(idva, period=Q1, value=Decimal(52), note="", user=user)
    [before] = active_statuses()
    services.enter_value(idva, period=Q2, value=Decimal(61), note="", user=user)
    [after] = active_statuses()
    assert (before.latest.value, after.latest.value) == (Decimal(52), Decimal(61))
