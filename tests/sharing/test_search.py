"""Search shows each hit in full or locked, never more, and every search is on the record
with its terms."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.sharing import services as sharing
from saferhub.sharing.models import Scope
from saferhub.sharing.search import Terms, search_subjects
from saferhub.subjects.models import Subject

from .conftest import AT, give

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_the_lead_agency_finds_in_full_and_another_agency_only_the_locked_view(world):
    (hit,) = search_subjects(world.lead, Terms(name="testperson"), at=AT).hits
    assert hit.full and hit.subject == world.victim and hit.locked is None
    (locked,) = search_subjects(world.housing_worker, Terms(name="TESTPERSON"), at=AT).hits
    assert not locked.full
    assert locked.locked.display_name == "Ada Testperson"
    assert locked.locked.business_areas == ("Anti-social behaviour",)
    assert locked.locked.agencies == ("Eastmere Police (fictional)",)
    assert [(c.case_id, c.pending_request) for c in locked.locked.cases] == [(world.case.pk, False)]


def test_the_locked_view_notes_a_pending_request(world):
    sharing.request_access(
        world.housing_worker,
        world.case,
        reason="Tenant of ours: joint visit planned next week",
        at=AT,
    )
    (hit,) = search_subjects(world.housing_worker, Terms(name="Testperson"), at=AT).hits
    assert hit.locked.cases[0].pending_request


def test_a_named_subjects_grant_opens_only_those_subjects(world, agreement):
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    hits = {
        h.subject.pk: h for h in search_subjects(world.council_worker, Terms(name="a"), at=AT).hits
    }
    assert hits[world.victim.pk].full and hits[world.victim.pk].locked is None
    assert not hits[world.perpetrator.pk].full
    assert hits[world.perpetrator.pk].locked.business_areas == ("Anti-social behaviour",)


def test_a_visible_subject_also_on_a_hidden_case_shows_both(world):
    from datetime import date

    from saferhub.cases import services as cases
    from saferhub.cases.models import BusinessArea, Role
    from tests.cases.conftest import person

    housing_lead = person("ned.lead@homes.example", world.housing, "practitioner")
    theirs = cases.create_case(
        housing_lead,
        business_area=BusinessArea.objects.get(code="RS"),
        title="Rough sleeping, Station Road",
        opened_on=date(2026, 11, 1),
        at=AT,
    )
    cases.add_subject(housing_lead, theirs, world.victim, Role.VICTIM, at=AT)
    (hit,) = search_subjects(world.lead, Terms(name="Testperson"), at=AT).hits
    assert hit.full
    assert hit.locked.business_areas == ("Rough sleeping",)
    assert hit.locked.agencies == ("Eastmere Homes (fictional)",)


def test_every_search_is_audited_with_its_terms(world):
    search_subjects(world.housing_worker, Terms(name="Testperson", postcode=""), at=AT)
    entry = AuditEntry.objects.filter(object_type="subjects.search").get()
    assert entry.actor == world.housing_worker
    assert entry.changes == {
        "terms": {"name": "Testperson"},
        "results": 1,
        "full": 0,
        "locked": 1,
        "subjects": [world.victim.pk],
    }


def test_places_and_vehicles_by_address_postcode_and_vrm(world):
    place = Subject.objects.create(
        kind="place", display_name="3 Alder Court, EM1 2AB", created_by=world.lead
    )
    car = Subject.objects.create(kind="vehicle", display_name="AB12 CDE", created_by=world.lead)
    assert [
        h.subject for h in search_subjects(world.lead, Terms(postcode="em1 2ab"), at=AT).hits
    ] == [place]
    assert [
        h.subject for h in search_subjects(world.lead, Terms(address="alder court"), at=AT).hits
    ] == [place]
    assert [h.subject for h in search_subjects(world.lead, Terms(vrm="ab12cde"), at=AT).hits] == [
        car
    ]
    assert search_subjects(world.lead, Terms(vrm="AB12CDF"), at=AT).hits == ()


def test_terms_the_search_cannot_use_yet_are_reported(world):
    from datetime import date

    results = search_subjects(world.lead, Terms(date_of_birth=date(1990, 1, 2)), at=AT)
    assert results.hits == () and results.unsupported == ("date_of_birth",)


def test_the_dpo_searches_locked_and_other_roles_not_at_all(world):
    (hit,) = search_subjects(world.dpo, Terms(name="Testperson"), at=AT).hits
    assert not hit.full and hit.locked.agencies == ("Eastmere Police (fictional)",)
    for someone in (world.admin, world.board, world.analyst):
        with pytest.raises(PermissionDenied):
            search_subjects(someone, Terms(name="Testperson"), at=AT)
        refused = AuditEntry.objects.filter(actor=someone).get()
        assert refused.changes == {"refused": "search"}
        assert refused.object_type == "subjects.search"


def test_merged_records_are_not_hits_and_the_limit_says_more(world):
    Subject.objects.create(
        kind="person",
        display_name="Ada Testperson (old)",
        created_by=world.lead,
        merged_into=world.victim,
    )
    for number in range(3):
        Subject.objects.create(
            kind="person", display_name=f"Zed Many {number}", created_by=world.lead
        )
    assert len(search_subjects(world.lead, Terms(name="testperson"), at=AT).hits) == 1
    results = search_subjects(world.lead, Terms(name="zed many"), at=AT, limit=2)
    assert len(results.hits) == 2 and results.more
