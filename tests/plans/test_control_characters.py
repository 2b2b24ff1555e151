"""Control characters typed or pasted into the site never reach the database, and text stored
before input was cleaned never breaks an export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saferhub.plans.models import Action, Update
from tests.plans.conftest import TODAY
from tests.web.conftest import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_an_update_loses_its_control_characters(client, stored_plan):
    action = Action.objects.filter(
        objective__strategy=stored_plan, leads__user__isnull=False
    ).first()
    sign_in(client, action.leads.get(user__isnull=False).user)
    response = client.post(
        reverse("plans:action", args=[action.pk]),
        {"on": TODAY.isoformat(), "rag": "Amber", "text": "Two\x01 posts\x08 filled\x02\n\tnext"},
    )
    assert response.status_code == 302
    assert action.updates.order_by("-id").first().text == "Two posts filled\n\tnext"


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_stored_control_characters_never_break_an_export(signed_in, stored_plan, fmt):
    Update.objects.filter(action__objective__strategy=stored_plan).update(text="old\x01 text\x0b")
    client, _ = signed_in("coordinator")
    response = client.get(reverse("plans:export", args=[stored_plan.pk, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        assert "old text" in response.content.decode("utf-8-sig")
    else:  # Word and Excel refuse the characters outright: a written file is the proof
        assert response.content.startswith(b"PK")
