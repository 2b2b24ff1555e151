"""One cell into one value, as partners write them (pure functions)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from saferhub.cases.importing import values as v
from saferhub.cases.models import Role, Status
from saferhub.subjects.vocabulary import Gender, Kind, PlaceType


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("04/03/1990", date(1990, 3, 4)),  # day first, as in the UK
        ("4/3/1990", date(1990, 3, 4)),
        ("04-03-1990", date(1990, 3, 4)),
        ("04.03.1990", date(1990, 3, 4)),
        ("1990-03-04", date(1990, 3, 4)),
        ("1990-03-04 00:00:00", date(1990, 3, 4)),
        ("4 March 1990", date(1990, 3, 4)),
        ("4th Mar 1990", date(1990, 3, 4)),
        ("04-Mar-1990", date(1990, 3, 4)),
        (" 4 march, 1990 ", date(1990, 3, 4)),
        (datetime(1990, 3, 4, 0, 0), date(1990, 3, 4)),  # Excel's own date
        (date(1990, 3, 4), date(1990, 3, 4)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_partners_write_them(cell, day):
    assert v.parse_date(cell) == day


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("31/02/1990", "not a real date"),
        ("13/13/1990", "not a real date"),
        ("05/06/07", "two-digit year"),
        ("sometime in 1990", "expected a date"),
        ("04/03/1990 or thereabouts", "expected a date"),
        ("4 Smarch 1990", "expected a date"),
        (32936, "the number 32936"),
        (32936.0, "the number 32936"),
    ],
)
def test_unreadable_dates_say_what_was_found(cell, says):
    with pytest.raises(ValueError, match=says):
        v.parse_date(cell)


def test_cell_text_keeps_whole_numbers_whole_and_formulas_as_written():
    assert v.cell_text(100012345671.0) == "100012345671"
    assert v.cell_text(12.5) == "12.5"
    assert v.cell_text(datetime(2026, 3, 1)) == "2026-03-01"
    assert v.cell_text("  =1+1 ") == "=1+1"
    assert v.is_formula("=1+1") and not v.is_formula("1+1")


@pytest.mark.parametrize(
    ("parser", "cell", "value"),
    [
        (v.parse_gender, "F", Gender.FEMALE),
        (v.parse_gender, "male", Gender.MALE),
        (v.parse_gender, "Prefer not to say", Gender.NOT_STATED),
        (v.parse_role, "Alleged perpetrator", Role.PERPETRATOR),
        (v.parse_role, "IP", Role.VICTIM),
        (v.parse_role, "reporting person", Role.COMPLAINANT),
        (v.parse_role, "WITNESS", Role.WITNESS),
        (v.parse_kind, "Premises", Kind.PLACE),
        (v.parse_kind, "OCG", Kind.GROUP),
        (v.parse_place_type, "Pub", PlaceType.LICENSED_PREMISES),
        (v.parse_place_type, "Park or open space", PlaceType.PARK),
        (v.parse_status, "Live", Status.OPEN),
        (v.parse_status, "Under review", Status.UNDER_REVIEW),
        (v.parse_status, "Completed", Status.CLOSED),
        (v.parse_role, "", ""),
    ],
)
def test_words_by_value_label_or_the_usual_synonyms(parser, cell, value):
    assert parser(cell) == value


def test_an_unknown_word_lists_what_is_accepted():
    with pytest.raises(ValueError) as refused:
        v.parse_role("Bystander")
    message = str(refused.value)
    assert "“Bystander”" in message and "Victim" in message and "Perpetrator" in message


@pytest.mark.parametrize(
    ("cell", "given", "family"),
    [
        ("SMITH, John Paul", "John Paul", "SMITH"),
        ("John Paul Smith", "John Paul", "Smith"),
        ("Testperson", "", "Testperson"),
        ("  Ada   Testperson ", "Ada", "Testperson"),
    ],
)
def test_a_whole_name_is_split_surname_first_before_a_comma(cell, given, family):
    assert v.split_name(cell) == (given, family)


def test_a_cell_of_several_items():
    assert v.split_list("Violent to staff; Interpreter needed|x\n y ;") == [
        "Violent to staff",
        "Interpreter needed",
        "x",
        "y",
    ]
