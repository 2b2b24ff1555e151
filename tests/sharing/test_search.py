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
    (victim,) = search_subjects(world.council_worker, Terms(name="Testperson"), at=AT).hits
    assert victim.full and victim.locked is None
    (other,) = search_subjects(world.council_worker, Terms(name="Examplename"), at=AT).hits
    assert not other.full
    assert other.locked.business_areas == ("Anti-social behaviour",)


def test_a_visible_subject_also_on_a_hidden_case_shows_both(world):
    from datetime import date

    from saferhub.cases import services as cases
    from saferhub.cases.models import BusinessArea, CaseSubject, Role
    from tests.cases.conftest import person

    housing_lead = person("ned.lead@homes.example", world.housing, "practitioner")
    theirs = cases.create_case(
        housing_lead,
        business_area=BusinessArea.objects.get(code="RS"),
        title="Rough sleeping, Station Road",
        opened_on=date(2026, 11, 1),
        at=AT,
    )
    # Housing holds no record of her, so the attach rule would refuse it: the state is reached
    # another way (a record put on the case before the rule, say), set here directly.
    CaseSubject.objects.create(
        case=theirs, subject=world.victim, role=Role.VICTIM, added_by=housing_lead, added_at=AT
    )
    (hit,) = search_subjects(world.lead, Terms(name="Testperson"), at=AT).hits
    assert hit.full
    assert hit.locked.business_areas == ("Rough sleeping",)
    assert hit.locked.agencies == ("Eastmere Homes (fictional)",)


def test_every_search_is_audited_with_its_terms(world):
    search_subjects(world.housing_worker, Terms(name=" Testperson ", postcode=" "), at=AT)
    entry = AuditEntry.objects.filter(object_type="subjects.search").get()
    assert entry.actor == world.housing_worker
    assert entry.changes == {
        "terms": {"name": "Testperson"},
        "results": 1,
        "full": 0,
        "locked": 1,
        "subjects": [world.victim.pk],
    }


def test_by_sound_alike_name_date_of_birth_and_both_together(world):
    from datetime import date

    def found(**terms):
        return [h.subject for h in search_subjects(world.lead, Terms(**terms), at=AT).hits]

    assert found(name="Ada Testpersen") == [world.victim]  # misspelt
    assert found(date_of_birth=date(1990, 3, 4)) == [world.victim]
    assert found(name="Testperson", date_of_birth=date(1990, 3, 4)) == [world.victim]
    assert found(name="Testperson", date_of_birth=date(1991, 3, 4)) == []


def test_places_and_vehicles_by_address_postcode_and_vrm(world):
    from saferhub.subjects.entries import PlaceDetails, VehicleDetails
    from saferhub.subjects.services import create_place, create_vehicle

    place = create_place(
        PlaceDetails(line_1="3 Alder Court", town="Eastmere", postcode="EM1 2AB"), by=world.lead
    )
    car = create_vehicle(VehicleDetails(vrm="AB12 CDE", make="Ford"), by=world.lead)

    def found(**terms):
        return [h.subject for h in search_subjects(world.lead, Terms(**terms), at=AT).hits]

    assert found(postcode="em1 2ab") == [place]
    assert found(address="alder court") == [place]
    assert found(vrm="ab12cde") == [car]
    assert found(vrm="AB12CDF") == []
    assert found(address="alder court", vrm="ab12cde") == []  # every term must match
    (hit,) = search_subjects(world.housing_worker, Terms(vrm="AB12 CDE"), at=AT).hits
    assert not hit.full and hit.locked.agencies == ("Eastmere Police (fictional)",)


def test_a_term_that_cannot_be_read_is_refused_and_nothing_recorded(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        search_subjects(world.lead, Terms(postcode="not a postcode"), at=AT)
    assert "postcode" in caught.value.message_dict
    assert not AuditEntry.objects.filter(object_type="subjects.search").exists()


def test_one_search_box_says_what_it_read_the_query_as(world):
    from saferhub.sharing.search import search_box

    results = search_box(world.lead, "04/03/1990", at=AT)
    assert results.read_as == "date_of_birth" and [h.subject for h in results.hits] == [
        world.victim
    ]
    assert search_box(world.lead, "Testperson", at=AT).read_as == "name"
    entry = AuditEntry.objects.filter(object_type="subjects.search").order_by("-id").first()
    assert entry.changes["terms"] == {"query": "Testperson", "read_as": "name"}


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
    from saferhub.subjects.entries import NameEntry
    from saferhub.subjects.services import create_person

    for given in ("Zed", "Zak", "Zoe"):
        create_person(name=NameEntry(given_names=given, family_name="Manyname"), by=world.lead)
    old = create_person(name=NameEntry(given_names="Ada", family_name="Testperson"), by=world.lead)
    Subject.objects.filter(pk=old.pk).update(merged_into=world.victim)
    assert [
        h.subject for h in search_subjects(world.lead, Terms(name="Testperson"), at=AT).hits
    ] == [world.victim]
    results = search_subjects(world.lead, Terms(name="Manyname"), at=AT, limit=2)
    assert len(results.hits) == 2 and results.more
    assert search_subjects(world.lead, Terms(), at=AT).hits == ()
