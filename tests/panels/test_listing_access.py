"""A case listed at a panel opens to the panel's member agencies, in the panel's terms,
only while the listing and the membership are live, through the one visibility policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as v
from saferhub.cases.errors import CaseError
from saferhub.panels import services
from saferhub.panels.models import Listing, PanelType, Terms
from saferhub.sharing import policy

from .conftest import AT

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def _panel(world, terms=Terms.WHOLE):
    panel = services.create_panel(
        world.admin,
        name="Eastmere ASB action group (fictional)",
        type=PanelType.ASB_ACTION_GROUP,
        chair_agency=world.police,
        purpose="Reducing anti-social behaviour at the action group",
        terms=terms,
        at=AT - timedelta(days=10),
    )
    services.add_member(world.admin, panel, world.housing, at=AT - timedelta(days=10))
    return panel


def test_listing_opens_the_case_to_members_until_it_ends(world):
    panel = _panel(world)
    before = AT - timedelta(days=5)
    assert not policy.access(world.housing_worker, world.case, at=before).any
    listing = services.list_case(world.lead, panel, world.case, at=before)
    during = AT - timedelta(days=4)
    a = policy.access(world.housing_worker, world.case, at=during)
    assert a.whole and not a.uploads
    assert a.special_category != policy.ALL
    assert "listed at a panel" in a.purpose
    assert world.case in policy.visible_cases(world.housing_worker, at=during)
    assert policy.allowed_on_case(world.housing_worker, v.VIEW_SENSITIVE, world.case, a)
    assert not policy.allowed_on_case(world.housing_worker, v.EDIT, world.case, a)
    # A practitioner of a non-member agency sees nothing through the listing.
    assert not policy.access(world.council_worker, world.case, at=during).any

    services.end_listing(world.lead, listing, reason="Risk reduced", at=AT - timedelta(days=2))
    after = AT - timedelta(days=1)
    assert not policy.access(world.housing_worker, world.case, at=after).any
    assert world.case not in policy.visible_cases(world.housing_worker, at=after)
    # Still live at an instant before the end: the history answers for its own time.
    assert policy.access(world.housing_worker, world.case, at=during).any
    assert AuditEntry.objects.filter(object_type__icontains="listing").count() >= 2


def test_chronology_terms_show_no_subjects(world):
    panel = _panel(world, terms=Terms.CHRONOLOGY_AND_TASKS)
    services.list_case(world.lead, panel, world.case, at=AT - timedelta(days=5))
    a = policy.access(world.housing_worker, world.case, at=AT - timedelta(days=4))
    assert a.chronology and not a.whole
    assert a.subjects == frozenset()


def test_member_leaving_ends_its_access(world):
    panel = _panel(world)
    services.list_case(world.lead, panel, world.case, at=AT - timedelta(days=5))
    member = panel.members.get(agency=world.housing)
    services.remove_member(world.admin, member, at=AT - timedelta(days=3))
    assert not policy.access(world.housing_worker, world.case, at=AT - timedelta(days=2)).any


def test_only_the_lead_agency_lists_and_bad_input_is_named(world):
    panel = _panel(world)
    with pytest.raises(PermissionDenied):
        services.list_case(world.housing_worker, panel, world.case, at=AT - timedelta(days=5))
    assert not Listing.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_panel(
            world.lead, name="X", type=PanelType.MARAC, chair_agency=world.police, purpose="p"
        )
    with pytest.raises(CaseError) as error:
        services.create_panel(
            world.admin, name="Y", type="tea party", chair_agency=world.police, purpose="p"
        )
    assert error.value.field == "type"
    listing = services.list_case(world.lead, panel, world.case, at=AT - timedelta(days=5))
    with pytest.raises(CaseError) as error:
        services.end_listing(world.lead, listing, reason="  ", at=AT - timedelta(days=4))
    assert error.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.end_listing(world.council_worker, listing, reason="no", at=AT - timedelta(days=4))
