"""Scoring two profiles: the hand-written duplicate cases and their reasons in words."""

from __future__ import annotations

from datetime import date

from saferhub.subjects.entries import (
    AddressEntry,
    IdentifierEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    VehicleDetails,
)
from saferhub.subjects.matching import (
    Name,
    Profile,
    compare,
    compare_given,
    person_profile,
    place_profile,
    rank,
    vehicle_profile,
)

TODAY = date(2026, 11, 24)


def stored(subject_id: int, *names: tuple[str, str], **fields) -> Profile:
    return Profile(
        kind="person", subject_id=subject_id, names=tuple(Name(g, f) for g, f in names), **fields
    )


def test_same_person_with_a_misspelt_surname_and_swapped_first_names():
    candidate = person_profile(
        NameEntry("Paul Jonathon", "Whittaker"), PersonDetails(date_of_birth=date(1990, 3, 4))
    )
    match = compare(
        candidate, stored(7, ("Jonathan Paul", "Whitaker"), date_of_birth=date(1990, 3, 4))
    )
    assert match is not None
    assert match.reason_texts == [
        "surname sounds alike",
        "first names sound alike, in a different order",
        "same date of birth",
    ]
    assert match.score >= 70 and match.strength == "likely"


def test_twins_share_a_date_of_birth_but_not_first_names():
    twin_a = stored(1, ("Amy", "Brook"), date_of_birth=date(2001, 5, 6))
    twin_b = stored(2, ("Beth", "Brook"), date_of_birth=date(2001, 5, 6))
    match = compare(twin_a, twin_b)
    assert match is not None
    assert "same date of birth" in match.reason_texts
    assert "first names differ" in match.reason_texts
    assert match.strength != "strong"  # never offered as certainly the same person


def test_exact_name_and_date_of_birth_is_strong():
    a = stored(1, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1))
    match = compare(a, stored(2, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1)))
    assert match.strength == "strong"
    assert match.reason_texts == ["same surname", "same first names", "same date of birth"]


def test_transposed_day_and_month():
    a = stored(1, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1))
    match = compare(a, stored(2, ("Grace", "Adeyemi"), date_of_birth=date(1985, 1, 2)))
    assert "date of birth with day and month swapped" in match.reason_texts


def test_different_dates_of_birth_count_against():
    a = stored(1, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1))
    same_name_born_later = stored(2, ("Grace", "Adeyemi"), date_of_birth=date(2004, 7, 9))
    match = compare(a, same_name_born_later)
    assert match is None or match.score < compare(a, stored(3, ("Grace", "Adeyemi"))).score


def test_estimated_age_against_a_date_of_birth():
    dated = stored(1, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1))
    fits = stored(2, ("Grace", "Adeyemi"), birth_years=(1984, 1987))
    far = stored(3, ("Grace", "Adeyemi"), birth_years=(1960, 1963))
    assert "estimated age fits the date of birth" in compare(dated, fits).reason_texts
    assert "estimated age does not fit the date of birth" in compare(dated, far).reason_texts


def test_nickname_and_initials():
    assert compare_given("Bill", "William").kind == "nickname"
    assert compare_given("J", "Jonathan").kind == "initial"
    assert compare_given("Jonathan Paul", "Jonathan").extra
    assert compare_given("Amy", "Beth").kind is None
    assert compare_given("", "Beth") is None


def test_names_typed_the_wrong_way_round():
    match = compare(stored(1, ("Whitaker", "Jonathan")), stored(2, ("Jonathan", "Whitaker")))
    assert match.reason_texts == ["first and family names swapped"]


def test_an_alias_match_says_so():
    a = person_profile(NameEntry("Dee", "Marsh"))
    b = Profile(
        kind="person",
        subject_id=5,
        names=(Name("Deborah", "Okafor", "main"), Name("Dee", "Marsh", "alias")),
    )
    assert compare(a, b).reason_texts == ["same surname", "same first names", "matches an alias"]


def test_shared_identifier_and_conflicting_identifiers():
    nhs = IdentifierEntry("nhs", "943 476 5919").cleaned(TODAY)
    a = person_profile(NameEntry("Ann", "Okafor"), identifiers=[nhs])
    same = stored(2, ("Anne", "Okafor"), identifiers=frozenset({("nhs", "9434765919")}))
    other = stored(3, ("Ann", "Okafor"), identifiers=frozenset({("nhs", "4010232137")}))
    assert "same NHS number" in compare(a, same).reason_texts
    assert compare(a, other) is None or compare(a, other).score < compare(a, same).score
    assert compare(a, same).strength == "strong"


def test_addresses_uprn_place_postcode():
    a = person_profile(
        NameEntry("Ann", "Okafor"),
        addresses=[AddressEntry(line_1="4 Mill Road", postcode="NB1 2AB").cleaned(TODAY)],
        place_uprns=["100023336956"],
    )
    by_uprn = stored(2, ("Ann", "Okafor"), uprns=frozenset({"100023336956"}))
    by_postcode = stored(3, ("Ann", "Okafor"), postcodes=frozenset({"NB1 2AB"}))
    by_address = stored(4, ("Ann", "Okafor"), address_keys=frozenset({"4 mill road nb1 2ab"}))
    assert "same UPRN" in compare(a, by_uprn).reason_texts
    assert "same postcode" in compare(a, by_postcode).reason_texts
    assert "same address" in compare(a, by_address).reason_texts


def test_places_by_uprn_and_address():
    place = place_profile(
        PlaceDetails(line_1="The Red Lion, 2 High St", postcode="NB1 3DF", uprn="10001").cleaned(
            TODAY
        )
    )
    same_uprn = Profile(kind="place", subject_id=1, uprns=frozenset({"10001"}))
    other_uprn = Profile(
        kind="place",
        subject_id=2,
        uprns=frozenset({"10002"}),
        postcodes=frozenset({"NB1 3DF"}),
    )
    assert compare(place, same_uprn).reason_texts == ["same UPRN"]
    assert compare(place, other_uprn) is None
    unnumbered = place_profile(
        PlaceDetails(line_1="Red Lion, 2 High Street", postcode="NB1 3DF").cleaned(TODAY)
    )
    stored_place = Profile(
        kind="place",
        subject_id=3,
        postcodes=frozenset({"NB1 3DF"}),
        address_keys=frozenset({"the red lion 2 high street nb1 3df"}),
    )
    assert compare(unnumbered, stored_place).reason_texts == [
        "same postcode",
        "address spelt similarly",
    ]


def test_vrm_after_normalising_and_look_alikes():
    entered = vehicle_profile(VehicleDetails(vrm="ab12 cde", make="Ford").cleaned(TODAY))
    same = Profile(
        kind="vehicle", subject_id=1, vrm="AB12CDE", vrm_lookalike="A812CDE", make="ford"
    )
    misread = Profile(kind="vehicle", subject_id=2, vrm="A812CDE", vrm_lookalike="A812CDE")
    assert compare(entered, same).reason_texts == ["same VRM", "same make"]
    assert compare(entered, misread).reason_texts == [
        "VRM differs only in look-alike characters (O/0, I/1)"
    ]


def test_kinds_never_match_across():
    assert compare(stored(1, ("Ann", "Okafor")), Profile(kind="place", subject_id=2)) is None


def test_rank_best_first_and_limited():
    a = stored(None, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1))
    others = [
        stored(3, ("Grace", "Adeyemi")),
        stored(2, ("Grace", "Adeyemi"), date_of_birth=date(1985, 2, 1)),
        stored(4, ("Zoe", "Quinn")),
    ]
    ranked = rank(a, others, limit=5)
    assert [m.subject_id for m in ranked] == [2, 3]
    assert rank(a, others, limit=1)[0].subject_id == 2


def test_neighbouring_house_numbers_are_not_spelt_alike():
    ten = place_profile(PlaceDetails(line_1="10 High Street", postcode="NB1 3DF").cleaned(TODAY))
    twelve = Profile(
        kind="place",
        subject_id=9,
        postcodes=frozenset({"NB1 3DF"}),
        address_keys=frozenset({"12 high street nb1 3df"}),
    )
    flat = Profile(
        kind="place",
        subject_id=10,
        postcodes=frozenset({"NB1 3DF"}),
        address_keys=frozenset({"10 high st nb1 3df"}),
    )
    assert compare(ten, twelve) is None  # the same postcode alone is not shown
    assert compare(ten, flat).reason_texts == ["same postcode", "address spelt similarly"]
