"""Typed names checked against the loaded areas: pure functions over hand-made area lists."""

from __future__ import annotations

import pytest

from saferhub.evidence import EvidenceError
from saferhub.evidence.areas import Area
from saferhub.partnership.areas import (
    MAX_COMPARATORS,
    check,
    closest,
    corrections,
    first_unknown,
    split_names,
)

AREAS = [
    Area("Eastmere", "E09900002", "borough"),
    Area("Northbrook", "E09900001", "borough"),
    Area("Westford", "E09900004", "borough"),
    Area("Northbrook Park", "E05900103", "ward", "E09900001"),
    Area("Village", "E05900201", "ward", "E09900002"),
    Area("Village", "E05900401", "ward", "E09900004"),
    Area("Riverside", "E05900202", "ward", "E09900002"),
    Area("Riverside", "E05900202", "ward", "E09900004"),  # one ward in two boroughs' rows
    Area("London", "E12000007", "force"),
]


def test_names_resolve_to_the_loaded_ones_in_order_without_repeats():
    choice = check(AREAS, "northbrook", ["WESTFORD", "Eastmere", "westford", "Northbrook"])
    assert choice.area.name == "Northbrook" and choice.area.code == "E09900001"
    assert choice.comparators == ("Westford", "Eastmere")  # itself and repeats dropped


def test_a_ward_can_be_the_area_by_code():
    assert check(AREAS, "E05900401", []).area == Area("Village", "E05900401", "ward")


@pytest.mark.parametrize(
    ("compare", "words"),
    [
        (["Northbrook Park"], "Northbrook Park is a ward: comparators are boroughs"),
        (["London"], "London is the whole force area"),
        (["Eastmere", "Nowhere at all"], "No area called “Nowhere at all”"),
    ],
)
def test_comparators_must_be_loaded_boroughs(compare, words):
    with pytest.raises(EvidenceError, match=words):
        check(AREAS, "Northbrook", compare)


def test_at_most_ten_comparators():
    many = [Area(f"Borough {i}", f"E098{i:05d}", "borough") for i in range(MAX_COMPARATORS + 1)]
    with pytest.raises(EvidenceError, match="at most 10"):
        check([*AREAS, *many], "Northbrook", [a.name for a in many])


def test_the_closest_names_ignore_case_and_say_which_are_wards():
    ambiguous, candidates = closest(AREAS, "NORTHBROK")
    assert not ambiguous
    assert [c.label for c in candidates] == ["Northbrook", "Northbrook Park (ward)"]
    assert [c.query for c in candidates] == ["Northbrook", "Northbrook Park"]


def test_a_shared_name_offers_each_area_by_its_code():
    ambiguous, candidates = closest(AREAS, "village")
    assert ambiguous
    assert [(c.label, c.query) for c in candidates] == [
        ("Village (ward E05900201)", "E05900201"),
        ("Village (ward E05900401)", "E05900401"),
    ]
    unknown = first_unknown(AREAS, "Village", [])
    assert unknown.ambiguous
    assert unknown.message == "More than one area is called “Village”: choose one."


def test_a_ward_listed_in_two_boroughs_is_one_area_not_ambiguous():
    assert first_unknown(AREAS, "Riverside", []) is None
    assert check(AREAS, "riverside", []).area.code == "E05900202"


def test_nothing_close_offers_nothing():
    unknown = first_unknown(AREAS, "Zzyzx", [])
    assert unknown.candidates == () and unknown.field == "area"


def test_nothing_loaded_is_left_to_the_engines_message():
    assert first_unknown([], "Northbrook", []) is None


def test_the_first_unknown_comparator_is_named_and_corrected_in_place():
    unknown = first_unknown(AREAS, "Northbrook", split_names("Eastmere, Westfrod ,, Eastmere"))
    assert (unknown.field, unknown.typed) == ("compare", "Westfrod")
    assert corrections(unknown, "Northbrook", "Eastmere, Westfrod") == [
        ("Westford", {"area": "Northbrook", "compare": "Eastmere, Westford"})
    ]


def test_an_unknown_area_is_replaced_and_the_comparators_kept():
    unknown = first_unknown(AREAS, "Eastmeer", ["Westford"])
    assert corrections(unknown, "Eastmeer", "Westford") == [
        ("Eastmere", {"area": "Eastmere", "compare": "Westford"})
    ]


def test_a_comparator_is_offered_boroughs_only():
    areas = [*AREAS, Area("Westford Park", "E05900402", "ward", "E09900004")]
    unknown = first_unknown(areas, "Northbrook", ["Westfrd"])
    assert [c.label for c in unknown.candidates] == ["Westford"]
    # As the area, a ward is a fine answer.
    assert "Westford Park (ward)" in [
        c.label for c in first_unknown(areas, "Westfrd", []).candidates
    ]
