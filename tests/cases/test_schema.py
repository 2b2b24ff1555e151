"""A business area's own fields and closure reasons: the pure schema checks name the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from saferhub.cases.defaults import DEFAULTS
from saferhub.cases.schema import (
    FieldType,
    SchemaError,
    clean_values,
    parse_reasons,
    parse_schema,
)

SCHEMA = parse_schema(
    [
        {
            "name": "risk",
            "label": "Risk level",
            "type": "choice",
            "required": True,
            "choices": ["Standard", "High"],
        },
        {"name": "score", "label": "DASH score", "type": "number"},
        {"name": "heard_on", "label": "MARAC date", "type": "date"},
        {"name": "idva", "label": "IDVA allocated", "type": "bool"},
        {"name": "school", "label": "School", "type": "text"},
    ]
)


def test_every_shipped_business_area_has_a_valid_schema_and_reasons():
    codes = [d["code"] for d in DEFAULTS]
    assert len(codes) == len(set(codes)) == 11
    for spec in DEFAULTS:
        parse_schema(spec["fields"])
        assert parse_reasons(spec["closure_reasons"])


def test_values_are_cleaned_to_json_ready_forms():
    cleaned = clean_values(
        SCHEMA,
        {"risk": "High", "score": "14", "heard_on": "2026-11-03", "idva": "yes", "school": " X "},
    )
    assert cleaned == {
        "risk": "High",
        "score": "14",
        "heard_on": "2026-11-03",
        "idva": True,
        "school": "X",
    }
    from_code = clean_values(
        SCHEMA, {"risk": "Standard", "score": Decimal("12.50"), "heard_on": date(2026, 1, 2)}
    )
    assert from_code == {"risk": "Standard", "score": "12.5", "heard_on": "2026-01-02"}


def test_empty_optional_fields_are_left_out_and_required_ones_named():
    assert clean_values(SCHEMA, {"risk": "High", "score": "", "school": "  "}) == {"risk": "High"}
    with pytest.raises(SchemaError) as caught:
        clean_values(SCHEMA, {"score": "3"})
    assert caught.value.errors == {"risk": "enter Risk level"}


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"risk": "Medium"}, "risk", "must be one of: Standard, High"),
        ({"risk": "High", "score": "twelve"}, "score", "must be a number"),
        ({"risk": "High", "score": "NaN"}, "score", "below a million billion"),
        ({"risk": "High", "score": True}, "score", "must be a number"),
        ({"risk": "High", "heard_on": "3/11/2026"}, "heard_on", "must be a date"),
        ({"risk": "High", "idva": "maybe"}, "idva", "must be yes or no"),
        ({"risk": "High", "school": 7}, "school", "must be text"),
        ({"risk": "High", "school": "x" * 2001}, "school", "at most 2,000"),
        ({"risk": "High", "colour": "red"}, "colour", "no such field"),
    ],
)
def test_each_bad_value_names_its_field(values, field, words):
    with pytest.raises(SchemaError) as caught:
        clean_values(SCHEMA, values)
    assert set(caught.value.errors) == {field}
    assert words in caught.value.errors[field]


def test_control_characters_are_taken_out_of_text():
    assert clean_values(SCHEMA, {"risk": "High", "school": "A\x00B\x1bC"})["school"] == "ABC"


@pytest.mark.parametrize(
    ("raw", "where", "words"),
    [
        ("not a list", "", "must be a list"),
        ([{"name": "Risk", "label": "R", "type": "text"}], "Risk", "lower-case letter"),
        ([{"label": "R", "type": "text"}], "field 1", "lower-case letter"),
        ([{"name": "a", "label": "A", "type": "colour"}], "a", "type must be one of"),
        ([{"name": "a", "label": "", "type": "text"}], "a", "label must be text"),
        ([{"name": "a", "label": "A", "type": "choice"}], "a", "needs a list of choices"),
        ([{"name": "a", "label": "A", "type": "choice", "choices": ["x", "x "]}], "a", "different"),
        (
            [{"name": "a", "label": "A", "type": "text", "choices": ["x"]}],
            "a",
            "only a choice field",
        ),
        ([{"name": "a", "label": "A", "type": "text", "required": "yes"}], "a", "true or false"),
        ([{"name": "a", "label": "A", "type": "text", "colour": 1}], "a", "unknown keys colour"),
        (
            [
                {"name": "a", "label": "A", "type": "text"},
                {"name": "a", "label": "B", "type": "date"},
            ],
            "a",
            "used by another field",
        ),
        (["a"], "field 1", "must be an object"),
    ],
)
def test_each_bad_schema_entry_is_named(raw, where, words):
    with pytest.raises(SchemaError) as caught:
        parse_schema(raw)
    assert where in caught.value.errors
    assert words in caught.value.errors[where]


def test_a_schema_round_trips_as_json():
    again = parse_schema([spec.as_json() for spec in SCHEMA])
    assert again == SCHEMA
    assert again[0].type is FieldType.CHOICE and again[0].choices == ("Standard", "High")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ([], "at least one"),
        (["Done", " Done"], "different"),
        (["", "x"], "1 to 200"),
        ("Done", "at least one"),
    ],
)
def test_bad_closure_reasons_are_refused(raw, words):
    with pytest.raises(SchemaError) as caught:
        parse_reasons(raw)
    assert words in caught.value.errors["closure_reasons"]
