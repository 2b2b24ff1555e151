"""Search helpers over stored subjects: by name (phonetic, aliases), date of birth, postcode,
address, VRM and identifier, and the one-box guess. Unfiltered by sharing by design."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from saferhub.subjects import search, services
from saferhub.subjects.entries import (
    AddressEntry,
    GroupDetails,
    IdentifierEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    VehicleDetails,
)

from .conftest import TODAY, person

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def people(officer, tmp_path):
    whitaker = services.create_person(
        name=NameEntry("Jonathan Paul", "Whitaker").cleaned(TODAY),
        other_names=[NameEntry("Jon", "Marsh", type="alias").cleaned(TODAY)],
        addresses=[AddressEntry(line_1="4 Mill Rd", postcode="NB1 2AB").cleaned(TODAY)],
        identifiers=[IdentifierEntry("nhs", "9434765919").cleaned(TODAY)],
        by=officer,
    )
    services.update_person(
        whitaker,
        details=PersonDetails(date_of_birth=date(1990, 3, 4)),
        version=1,
        by=officer,
    )
    hartley = person(officer, "Oliver", "Hartley", date(1990, 4, 3))
    shop = services.create_place(
        PlaceDetails(place_type="shop", line_1="12 High St", postcode="NB1 3DF", uprn="77").cleaned(
            TODAY
        ),
        by=officer,
        store_path=tmp_path / "none",
    )
    car = services.create_vehicle(VehicleDetails(vrm="AB12CDE").cleaned(TODAY), by=officer)
    crew = services.create_group(
        GroupDetails(group_type="street_group", name="Mill Road Crew").cleaned(TODAY), by=officer
    )
    return {"whitaker": whitaker, "hartley": hartley, "shop": shop, "car": car, "crew": crew}


def test_by_name_sounds_alike_any_order_and_aliases(people):
    w = people["whitaker"]
    assert list(search.by_name("Whittaker")) == [w]
    assert list(search.by_name("jonathon whittaker")) == [w]
    assert list(search.by_name("Whitaker, Paul")) == [w]
    assert list(search.by_name("J Whitaker")) == [w]
    assert list(search.by_name("Jon Marsh")) == [w]  # an alias
    assert list(search.by_name("Mill Road Crew")) == [people["crew"]]
    assert not search.by_name("Priya Raman").exists()


def test_ranked_by_name_best_first_with_reasons(officer, people):
    near = person(officer, "Jonathan", "Whittaker")
    matches = search.ranked_by_name("Jonathan Whitaker")
    assert [m.subject for m in matches] == [people["whitaker"], near]
    assert matches[0].reason_texts[0] == "same surname"


def test_by_date_of_birth_and_its_transposition(people):
    assert list(search.by_date_of_birth(date(1990, 3, 4))) == [people["whitaker"]]
    both = search.by_date_of_birth(date(1990, 3, 4), transposed=True)
    assert set(both) == {people["whitaker"], people["hartley"]}


def test_by_postcode_full_and_district(people):
    assert list(search.by_postcode("nb12ab")) == [people["whitaker"]]
    assert set(search.by_postcode("NB1")) == {people["whitaker"], people["shop"]}
    with pytest.raises(ValidationError) as bad:
        search.by_postcode("NB1 2AC")
    assert list(bad.value.message_dict) == ["postcode"]


def test_by_address_words_and_uprn(people):
    assert list(search.by_address("12 high street")) == [people["shop"]]
    assert list(search.by_address("mill road")) == [people["whitaker"]]
    assert list(search.by_address("077")) == [people["shop"]]
    with pytest.raises(ValidationError):
        search.by_address("  ,  ")


def test_by_vrm_any_spacing_and_look_alikes(people):
    assert list(search.by_vrm("ab12 cde")) == [people["car"]]
    assert not search.by_vrm("A812CDE").exists()
    assert list(search.by_vrm("A812CDE", lookalike=True)) == [people["car"]]
    with pytest.raises(ValidationError):
        search.by_vrm("AB12*CDE")


def test_by_identifier_typed_or_not(people):
    assert list(search.by_identifier("943 476 5919", "nhs")) == [people["whitaker"]]
    assert list(search.by_identifier("943-476-5919")) == [people["whitaker"]]
    with pytest.raises(ValidationError):
        search.by_identifier("943 476 5918", "nhs")


def test_merged_subjects_are_left_out(officer, people):
    twin = person(officer, "Jonathan", "Whitaker")
    services.merge(people["whitaker"], twin, by=officer, reason="Entered twice")
    assert list(search.by_name("Jonathan Whitaker")) == [people["whitaker"]]


@pytest.mark.parametrize(
    ("query", "what", "key"),
    [
        ("4/3/1990", "date_of_birth", "whitaker"),
        ("1990-03-04", "date_of_birth", "whitaker"),
        ("nb1 3df", "postcode", "shop"),
        ("943 476 5919", "identifier", "whitaker"),
        ("ab12 cde", "vrm_or_identifier", "car"),
        ("12 high street", "address", "shop"),
        ("Whittaker", "name", "whitaker"),
    ],
)
def test_guess_what_the_query_is(people, query, what, key):
    found, results = search.guess(query)
    assert found == what
    assert people[key] in set(results)


def test_guess_needs_a_query():
    with pytest.raises(ValidationError) as empty:
        search.guess("  ")
    assert list(empty.value.message_dict) == ["q"]


def test_parse_date_day_first():
    assert search.parse_date("4.3.1990") == date(1990, 3, 4)
    assert search.parse_date("31/2/1990") is None
    assert search.parse_date("March 1990") is None
