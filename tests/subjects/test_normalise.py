"""Normalising and checking what people type: every checker's good and bad input, and the
entries' errors naming the field."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from saferhub.subjects import normalise as n
from saferhub.subjects.entries import (
    AddressEntry,
    ContactEntry,
    FlagEntry,
    GroupDetails,
    IdentifierEntry,
    LinkEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    SpecialCategoryEntry,
    VehicleDetails,
)

TODAY = date(2026, 11, 24)


def errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- NHS numbers: 943 476 5919 is the NHS's own published example ------------------------


def test_nhs_number_with_its_check_digit():
    assert n.nhs_number("943 476 5919") == "9434765919"
    assert n.nhs_number("943-476-5919") == "9434765919"
    assert n.nhs_display("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("943 476 5918", "not a valid NHS number"),  # wrong check digit
        ("943 476 591", "10 digits"),
        ("943 476 591X", "10 digits"),
        ("", "10 digits"),
        ("１２３４５６７８９０", "10 digits"),  # full-width digits are not ASCII digits
    ],
)
def test_bad_nhs_numbers_are_refused_naming_the_field(value, says):
    with pytest.raises(ValidationError) as exc:
        n.nhs_number(value, "nhs_number")
    assert list(errors(exc)) == ["nhs_number"]
    assert says in errors(exc)["nhs_number"][0]


def test_nhs_number_whose_check_would_be_ten_is_refused():
    # 1000000010: 1*10 + 1*2 = 12, 12 % 11 = 1, 11 - 1 = 10: no valid check digit exists.
    for last in "0123456789":
        with pytest.raises(ValidationError):
            n.nhs_number(f"100000001{last}")


# --- PNC IDs and CRO numbers (check letter: mod 23 into ZABCDEFGHJKLMNPQRTUVWXY) --------------


def test_pnc_id_in_its_written_forms():
    # 121234567 = 23 × 5271068 + 3, and letter 3 is C.
    assert n.pnc_id("12/1234567C") == "12/1234567C"
    assert n.pnc_id("12/1234567 C") == "12/1234567C"
    assert n.pnc_id("2012/1234567c") == "12/1234567C"
    # A short serial is padded: 120034567 = 23 × 5218894 + 5, and letter 5 is E.
    assert n.pnc_id("12/34567E") == "12/0034567E"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("12/1234567D", "check letter"),
        ("12/12345678C", "written like"),
        ("1/1234567C", "written like"),
        ("12-1234567C", "written like"),
        ("", "written like"),
    ],
)
def test_bad_pnc_ids(value, says):
    with pytest.raises(ValidationError) as exc:
        n.pnc_id(value)
    assert says in errors(exc)["value"][0]


def test_cro_numbers_standard_and_sf():
    # 12123456 = 23 × 527106 + 18, and letter 18 is U.
    assert n.cro_number("123456/12U") == "123456/12U"
    # 12003456 = 23 × 521889 + 9, and letter 9 is J.
    assert n.cro_number("3456/12J") == "003456/12J"
    assert n.cro_number("SF12/123456U") == "SF12/123456U"
    # The SF check is over the serial without its leading zeros: 12123 = 23 × 527 + 2 → B.
    assert n.cro_number("sf12/123b") == "SF12/000123B"
    assert n.cro_number("SF12/000123B") == "SF12/000123B"


@pytest.mark.parametrize("value", ["123456/12V", "SF12/123456A", "1234567/12U", "123456/1U"])
def test_bad_cro_numbers(value):
    with pytest.raises(ValidationError) as exc:
        n.cro_number(value)
    assert "CRO" in errors(exc)["value"][0]


def test_national_insurance_numbers():
    assert n.nino("ab 12 34 56 c") == "AB123456C"
    for bad in ("DA123456C", "AB123456E", "GB123456A", "AB12345C"):
        with pytest.raises(ValidationError):
            n.nino(bad)


def test_local_ids_and_the_identifier_dispatch():
    assert n.local_id(" nb-asb/2026.14 ") == "NB-ASB/2026.14"
    with pytest.raises(ValidationError):
        n.local_id("case #14")
    with pytest.raises(ValidationError) as exc:
        n.identifier("passport", "123")
    assert list(errors(exc)) == ["type"]


# --- Postcodes, UPRNs, VRMs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nb1 2ab", "NB1 2AB"),
        ("NB12AB", "NB1 2AB"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
        ("", ""),
    ],
)
def test_postcodes_normalised(typed, stored):
    assert n.postcode(typed) == stored


@pytest.mark.parametrize(
    "bad", ["NB1", "12345", "QB1 2AB", "NB1 2AC", "NB1 2AI", "ABC 123", "N 2AB"]
)
def test_bad_postcodes_name_the_field(bad):
    with pytest.raises(ValidationError) as exc:
        n.postcode(bad, "postcode")
    assert "UK postcode" in errors(exc)["postcode"][0]


def test_outward_code_alone():
    assert n.outward_code("nb1") == "NB1"
    assert n.outward_code("NB1 2AB") is None


def test_uprns():
    assert n.uprn("100023336956") == "100023336956"
    assert n.uprn(" 00012345 ") == "12345"
    assert n.uprn(None) == ""
    for bad in ("12a", "1234567890123", "0000", "-5"):
        with pytest.raises(ValidationError) as exc:
            n.uprn(bad)
        assert "UPRN" in errors(exc)["uprn"][0]


def test_vrms_upper_case_without_spaces():
    assert n.vrm(" ab12 cde ") == "AB12CDE"
    assert n.vrm("ab-12-cde") == "AB12CDE"
    assert n.vrm_display("AB12CDE") == "AB12 CDE"
    assert n.vrm_display("A123BCD") == "A123BCD"
    assert n.vrm_lookalike("AB12CDE") == n.vrm_lookalike("A812CDE") == "A812CDE"
    for bad in ("", "AB12*CDE", "ABCDEFGHIJK"):
        with pytest.raises(ValidationError) as exc:
            n.vrm(bad)
        assert list(errors(exc)) == ["vrm"]


def test_address_key_spells_out_abbreviations():
    assert n.address_key("12 High St", "Northbrook") == "12 high street northbrook"
    assert n.address_key("Flat 3, 4 Mill Rd") == n.address_key("flat 3 4 mill road")


# --- Dates -----------------------------------------------------------------------------------


def test_date_of_birth_in_the_future_is_refused():
    with pytest.raises(ValidationError) as exc:
        n.birth_date(date(2026, 11, 25), today=TODAY)
    assert errors(exc) == {"date_of_birth": ["Date of birth must be today or in the past"]}
    assert n.birth_date(TODAY, today=TODAY) == TODAY
    with pytest.raises(ValidationError):
        n.birth_date(date(1900, 1, 1), today=TODAY)


@pytest.mark.parametrize(
    ("age", "on", "field"),
    [
        (121, TODAY, "estimated_age"),
        (-1, TODAY, "estimated_age"),
        (True, TODAY, "estimated_age"),
        (30, None, "age_estimated_on"),
        (30, date(2026, 12, 1), "age_estimated_on"),
        (None, TODAY, "estimated_age"),
    ],
)
def test_estimated_age_out_of_range_or_undated(age, on, field):
    with pytest.raises(ValidationError) as exc:
        n.estimated_age(age, on, today=TODAY)
    assert list(errors(exc)) == [field]


def test_birth_years_from_an_estimated_age():
    assert n.birth_years(30, date(2026, 11, 24)) == (1994, 1997)


def test_transposed_day_and_month():
    assert n.transposed(date(1990, 3, 4)) == date(1990, 4, 3)
    assert n.transposed(date(1990, 3, 13)) is None  # no 13th month
    assert n.transposed(date(1990, 5, 5)) is None  # the same date
    assert n.transposed(None) is None


# --- Names and their keys --------------------------------------------------------------------


def test_name_tokens_fold_accents_and_apostrophes():
    assert n.name_tokens("Siân O'Brien-Smith") == ["sian", "obrien", "smith"]
    assert n.search_name("Zoë", "D’Arcy") == "zoe darcy"


def test_name_keys_are_shared_by_a_misspelling_and_swapped_first_names():
    stored = n.name_keys("Jonathan Paul", "Whitaker")
    asked = n.query_name_keys("Paul Jonathon", "Whittaker")
    assert stored & asked


def test_name_keys_find_a_surname_entered_as_a_first_name():
    assert n.name_keys("Jonathan", "Whitaker") & n.query_name_keys("Whitaker", "Jonathan")


def test_name_keys_for_initials_and_short_forms():
    assert n.name_keys("J", "Whitaker") & n.query_name_keys("Jonathan", "Whitaker")
    assert n.name_keys("Jonathan", "Whitaker") & n.query_name_keys("J", "Whitaker")
    assert n.name_keys("William", "Okafor") & n.query_name_keys("Bill", "Okafor")
    # A different first name shares no pair key: the check then relies on the date of birth.
    assert not n.name_keys("Amy", "Whitaker") & n.query_name_keys("Beth", "Whitaker")


def test_surname_alone_is_a_search_key_not_a_check_key():
    assert "f:WTKR" in n.name_keys("Jonathan", "Whitaker")
    assert n.query_name_keys("", "Whittaker") == {"f:WTKR", "fn:WATACAR"}
    assert not {k for k in n.query_name_keys("Amy", "Whitaker") if k.startswith("f")}


# --- Entries name every bad field ------------------------------------------------------------


def test_a_person_entry_lists_every_problem_at_once():
    with pytest.raises(ValidationError) as exc:
        PersonDetails(
            date_of_birth=date(2027, 1, 1), estimated_age=150, age_estimated_on=TODAY, gender="x"
        ).cleaned(TODAY)
    assert set(errors(exc)) == {"date_of_birth", "estimated_age", "gender"}


def test_a_name_needs_a_family_name_with_letters():
    with pytest.raises(ValidationError) as exc:
        NameEntry("Ann", "").cleaned(TODAY)
    assert list(errors(exc)) == ["family_name"]
    with pytest.raises(ValidationError) as exc:
        NameEntry("Ann", "12", used_from=date(2020, 1, 1), used_to=date(2019, 1, 1)).cleaned(TODAY)
    assert set(errors(exc)) == {"family_name", "used_to"}
    assert NameEntry("  Ann   Marie ", " Okafor ").cleaned(TODAY).given_names == "Ann Marie"


def test_a_name_with_control_characters_is_refused():
    with pytest.raises(ValidationError) as exc:
        NameEntry("Ann\x00", "Okafor").cleaned(TODAY)
    assert "control characters" in errors(exc)["given_names"][0]


def test_prefix_names_the_row_of_a_list():
    with pytest.raises(ValidationError) as exc:
        IdentifierEntry("nhs", "943 476 5918").cleaned(TODAY, prefix="identifiers-2-")
    assert list(errors(exc)) == ["identifiers-2-value"]


def test_identifier_entries_need_their_issuer_or_label():
    with pytest.raises(ValidationError) as exc:
        IdentifierEntry("local_authority", "ASB/14").cleaned(TODAY)
    assert list(errors(exc)) == ["issued_by"]
    with pytest.raises(ValidationError) as exc:
        IdentifierEntry("other", "X1").cleaned(TODAY)
    assert list(errors(exc)) == ["label"]
    entry = IdentifierEntry("nhs", "943 476 5919").cleaned(TODAY)
    assert entry.value == "9434765919"


def test_address_entries():
    with pytest.raises(ValidationError) as exc:
        AddressEntry().cleaned(TODAY)
    assert list(errors(exc)) == ["line_1"]
    with pytest.raises(ValidationError) as exc:
        AddressEntry(line_1="1 Mill Road", postcode="NB1").cleaned(TODAY)
    assert list(errors(exc)) == ["postcode"]
    assert AddressEntry(postcode="nb12ab").cleaned(TODAY).postcode == "NB1 2AB"


def test_contact_entries_checked_by_type():
    assert ContactEntry("mobile", "07700 900123").cleaned(TODAY).value == "07700900123"
    assert ContactEntry("email", "Ann@Example.org").cleaned(TODAY).value == "ann@example.org"
    with pytest.raises(ValidationError) as exc:
        ContactEntry("email", "not an address").cleaned(TODAY)
    assert list(errors(exc)) == ["value"]
    with pytest.raises(ValidationError):
        ContactEntry("phone", "123").cleaned(TODAY)


def test_place_entries():
    with pytest.raises(ValidationError) as exc:
        PlaceDetails().cleaned(TODAY)
    assert list(errors(exc)) == ["line_1"]
    with pytest.raises(ValidationError) as exc:
        PlaceDetails(easting=530000, uprn="12x", latitude=70, longitude=0).cleaned(TODAY)
    assert set(errors(exc)) == {"northing", "uprn", "latitude"}
    with pytest.raises(ValidationError) as exc:
        PlaceDetails(place_type="castle", line_1="1 Mill Road").cleaned(TODAY)
    assert list(errors(exc)) == ["place_type"]
    street = PlaceDetails(place_type="street", name="Mill Road", latitude=51.5, longitude=-0.1)
    assert street.cleaned(TODAY).label == "Mill Road"


def test_vehicle_group_flag_link_and_special_category_entries():
    assert VehicleDetails(vrm="ab12 cde").cleaned(TODAY).vrm == "AB12CDE"
    with pytest.raises(ValidationError) as exc:
        GroupDetails(group_type="gang", name="  ").cleaned(TODAY)
    assert list(errors(exc)) == ["name"]
    with pytest.raises(ValidationError) as exc:
        FlagEntry("other").cleaned(TODAY)
    assert list(errors(exc)) == ["description"]
    with pytest.raises(ValidationError) as exc:
        LinkEntry("lives_at", started_on=date(2027, 1, 1)).cleaned(TODAY)
    assert list(errors(exc)) == ["started_on"]
    with pytest.raises(ValidationError) as exc:
        SpecialCategoryEntry(ethnicity="martian", religion="none").cleaned(TODAY)
    assert list(errors(exc)) == ["ethnicity"]
