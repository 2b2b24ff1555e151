"""The similar-subject check on stored subjects: the hand-written duplicate cases, found from
the indexed keys among unrelated people, ranked with their reasons."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.subjects import services
from saferhub.subjects.duplicates import candidate_ids, person_candidate, similar_subjects
from saferhub.subjects.entries import (
    AddressEntry,
    GroupDetails,
    IdentifierEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    VehicleDetails,
)
from saferhub.subjects.matching import (
    group_profile,
    person_profile,
    place_profile,
    vehicle_profile,
)

from .conftest import TODAY, person

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def crowd(officer):
    """Unrelated fictional people the check must not offer."""
    return [
        person(officer, given, family, born)
        for given, family, born in [
            ("Oliver", "Hartley", date(1979, 8, 14)),
            ("Priya", "Raman", date(1992, 11, 30)),
            ("Tomasz", "Nowak", date(1968, 1, 9)),
            ("Jonathan", "Fairclough", date(1988, 6, 21)),  # same first name, other surname
            ("Chloe", "Whitfield", date(2003, 9, 2)),  # surname starts alike, sounds different
        ]
    ]


def check(given: str, family: str, born: date | None = None, **kwargs):
    name = NameEntry(given, family).cleaned(TODAY)
    details = PersonDetails(date_of_birth=born).cleaned(TODAY)
    return similar_subjects(person_profile(name, details, **kwargs))


def test_misspelt_surname_and_swapped_first_names(officer, crowd):
    stored = person(officer, "Jonathan Paul", "Whitaker", date(1990, 3, 4))
    [match] = check("Paul Jonathon", "Whittaker", date(1990, 3, 4))
    assert match.subject == stored
    assert match.reason_texts == [
        "surname sounds alike",
        "first names sound alike, in a different order",
        "same date of birth",
    ]


def test_twins_both_found_with_first_names_differing(officer, crowd):
    amy = person(officer, "Amy", "Brook", date(2001, 5, 6))
    beth = person(officer, "Beth", "Brook", date(2001, 5, 6))
    matches = similar_subjects(amy)
    assert [m.subject for m in matches] == [beth]
    assert set(matches[0].reason_texts) >= {"same date of birth", "first names differ"}
    # A third sibling being entered: both twins offered, by the shared date of birth and name.
    found = check("Cara", "Brook", date(2001, 5, 6))
    assert {m.subject for m in found} == {amy, beth}
    assert all("first names differ" in m.reason_texts for m in found)


def test_date_of_birth_with_day_and_month_transposed(officer, crowd):
    stored = person(officer, "Grace", "Adeyemi", date(1985, 2, 1))
    [match] = check("Grace", "Adeyemi", date(1985, 1, 2))
    assert match.subject == stored
    assert "date of birth with day and month swapped" in match.reason_texts


def test_same_identifier_finds_a_person_whatever_the_name(officer, crowd):
    stored = services.create_person(
        name=NameEntry("Deborah", "Okafor").cleaned(TODAY),
        identifiers=[IdentifierEntry("nhs", "9434765919").cleaned(TODAY)],
        by=officer,
    )
    [match] = check(
        "Dee", "Marsh", identifiers=[IdentifierEntry("nhs", "943 476 5919").cleaned(TODAY)]
    )
    assert match.subject == stored and match.reason_texts == ["same NHS number"]


def test_same_address_by_place_and_postcode(officer, crowd, tmp_path):
    home = services.create_place(
        PlaceDetails(line_1="4 Mill Road", postcode="NB1 2AB", uprn="100023336956").cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "none",
    )
    stored = person(officer, "Sam", "Kerr", date(1975, 4, 4))
    services.add_address(stored, AddressEntry(place_id=home.pk).cleaned(TODAY), by=officer)
    [match] = similar_subjects(
        person_candidate(
            NameEntry("Samuel", "Kerr").cleaned(TODAY),
            addresses=[AddressEntry(place_id=home.pk).cleaned(TODAY)],
        )
    )
    assert match.subject == stored
    assert match.reason_texts == [
        "same surname",
        "first names are short forms of each other",
        "same UPRN",
    ]


def test_merged_subjects_are_not_offered(officer, crowd):
    keep = person(officer, "Grace", "Adeyemi", date(1985, 2, 1))
    gone = person(officer, "Grace", "Adeyemi", date(1985, 2, 1))
    services.merge(keep, gone, by=officer, reason="Entered twice")
    assert [m.subject for m in check("Grace", "Adeyemi", date(1985, 2, 1))] == [keep]
    assert similar_subjects(keep) == []


def test_vrm_with_spaces_and_lower_case(officer):
    stored = services.create_vehicle(
        VehicleDetails(vrm="AB12CDE", make="Ford").cleaned(TODAY), by=officer
    )
    services.create_vehicle(VehicleDetails(vrm="XY99ZZZ").cleaned(TODAY), by=officer)
    [match] = similar_subjects(vehicle_profile(VehicleDetails(vrm=" ab12 cde ").cleaned(TODAY)))
    assert match.subject == stored and match.reason_texts == ["same VRM"]
    [misread] = similar_subjects(vehicle_profile(VehicleDetails(vrm="A812CDE").cleaned(TODAY)))
    assert misread.subject == stored and misread.score == 60


def test_places_by_uprn_and_postcode(officer, tmp_path):
    stored = services.create_place(
        PlaceDetails(place_type="shop", line_1="10 High St", postcode="NB1 3DF", uprn="77").cleaned(
            TODAY
        ),
        by=officer,
        store_path=tmp_path / "none",
    )
    services.create_place(
        PlaceDetails(line_1="12 High Street", postcode="NB1 3DF", uprn="78").cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "none",
    )
    [match] = similar_subjects(place_profile(PlaceDetails(uprn="77").cleaned(TODAY)))
    assert match.subject == stored and match.reason_texts == ["same UPRN"]
    [by_address] = similar_subjects(
        place_profile(PlaceDetails(line_1="10 High Street", postcode="nb1 3df").cleaned(TODAY))
    )
    assert by_address.subject == stored and by_address.reason_texts == ["same address"]


def test_groups_by_name(officer):
    stored = services.create_group(
        GroupDetails(group_type="street_group", name="Mill Road Crew").cleaned(TODAY), by=officer
    )
    services.create_group(GroupDetails(group_type="family", name="Adeyemi family"), by=officer)
    [match] = similar_subjects(
        group_profile(GroupDetails(group_type="street_group", name="Mill Rd Krew").cleaned(TODAY))
    )
    assert match.subject == stored
    assert "same type of group" in match.reason_texts


def test_the_check_reads_a_candidate_set_not_the_table(officer, crowd):
    """The lookups are by indexed key: a few queries however many people are stored, and
    unrelated people never reach the scorer."""
    stored = person(officer, "Jonathan Paul", "Whitaker", date(1990, 3, 4))
    name = NameEntry("Paul Jonathon", "Whittaker").cleaned(TODAY)
    profile = person_profile(name, PersonDetails(date_of_birth=date(1990, 3, 4)))
    assert candidate_ids(profile) == {stored.pk}
    with CaptureQueriesContext(connection) as queries:
        similar_subjects(profile)
    assert len(queries) <= 12
