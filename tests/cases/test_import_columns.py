"""The column map: heading rows found, partners' spellings recognised, an explicit map
obeyed, and the columns a file needs named (pure functions)."""

from __future__ import annotations

import pytest

from saferhub.cases.defaults import DEFAULTS
from saferhub.cases.importing import columns as c
from saferhub.cases.schema import parse_schema

EXTRAS = c.extra_fields(parse_schema(area["fields"]) for area in DEFAULTS)


def mapped(headings, explicit=None, rows_above=()):
    rows = [*((i + 1, cells) for i, cells in enumerate(rows_above))]
    rows.append((len(rows) + 1, headings))
    header = c.find_header(rows, explicit or {}, EXTRAS)
    assert header is not None
    return c.recognise("", header, explicit or {}, EXTRAS)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Surname", "family_name"),
        ("Last name", "family_name"),
        ("FAMILY NAME", "family_name"),
        ("Forename(s)", "given_names"),
        ("First name", "given_names"),
        ("D.O.B.", "date_of_birth"),
        ("Date of birth", "date_of_birth"),
        ("Post code", "postcode"),
        ("UPRN", "uprn"),
        ("VRM", "vrm"),
        ("Registration", "vrm"),
        ("PNC ID", "pnc"),
        ("NHS No", "nhs"),
        ("Case ref", "case_ref"),
        ("Case No", "case_ref"),
        ("Business area", "business_area"),
        ("Lead agency", "lead_agency"),
        ("Lead officer email", "lead_officer"),
        ("Role", "role"),
        ("Opened", "opened_on"),
        ("Date Adopted", "opened_on"),
        ("Nominal", "name"),
        ("Warning markers", "flags"),
        ("ASB Category", "extra.asb_category"),  # a business area's own field, by its label
        ("IOM cohort", "extra.cohort"),
        ("Risk level", "extra.risk_level"),
        ("Ward", ""),  # not something Safer Hub imports
    ],
)
def test_partners_spellings_are_recognised(heading, field):
    other = "Forename" if field == "family_name" else "Surname"
    found = mapped([other, heading])
    assert found.columns[1].field == field


def test_the_heading_row_is_found_below_a_title_and_notes():
    found = mapped(
        ["Case No", "Surname", "DOB"],
        rows_above=[["Eastmere ASB Unit caseload"], [], ["Printed 01/11/2026"]],
    )
    assert found.header_row == 4


def test_a_row_of_two_recognised_headings_beats_an_earlier_one_of_one():
    rows = [(1, ["Name of the report"]), (2, ["Surname", "DOB"])]
    assert c.find_header(rows, {}, EXTRAS)[0] == 2


def test_no_heading_row_is_none():
    rows = [(1, ["Hello"]), (2, ["there", "friend"])]
    assert c.find_header(rows, {}, EXTRAS) is None


def test_an_explicit_map_overrides_and_leaves_columns_out():
    found = mapped(["Nom", "Naissance", "Surname"], {"Nom": "family_name", "Surname": ""})
    assert [col.field for col in found.columns] == ["family_name", "", ""]
    assert found.columns[0].chosen and found.columns[2].chosen


def test_an_explicit_map_takes_labels_and_business_area_fields():
    explicit = c.parse_map("Nom=Surname, Cohorte=IOM cohort ,Ward=", EXTRAS)
    assert explicit == {"Nom": "family_name", "Cohorte": "extra.cohort", "Ward": ""}


def test_an_explicit_map_naming_no_field_lists_the_fields():
    with pytest.raises(c.MapError) as refused:
        c.parse_map("Nom=surnaem", EXTRAS)
    assert "“surnaem”" in str(refused.value) and "family_name" in str(refused.value)


def test_an_explicit_map_naming_a_heading_the_file_lacks_lists_its_headings():
    header = (1, ["Surname", "DOB"])
    with pytest.raises(c.MapError) as refused:
        c.recognise("", header, {"Nominal": "name"}, EXTRAS)
    assert "“Nominal”" in str(refused.value) and "“Surname”, “DOB”" in str(refused.value)


def test_a_field_two_headings_claim_goes_to_the_first():
    found = mapped(["Surname", "Last name", "Notes", "Comments"])
    assert [col.field for col in found.columns] == ["family_name", "", "notes", "notes"]


def test_required_columns_for_people_and_cases():
    found = mapped(["Case ref", "First name", "DOB"])
    missing = c.required(found, {})
    assert any(m.startswith("Surname") for m in missing)
    assert any(m.startswith("Business area") for m in missing)
    assert any(m.startswith("Date opened") for m in missing)
    assert any(m.startswith("Role") for m in missing)


def test_defaults_stand_in_for_the_business_area_and_role_columns():
    found = mapped(["Nominal", "Date adopted"])
    assert c.required(found, {"business_area": "IOM", "role": "perpetrator"}) == []


def test_a_file_of_nothing_recognised_as_who_or_what():
    found = mapped(["Ward", "Notes", "Comments"])
    missing = c.required(found, {})
    assert missing[0].startswith("a column saying who or what each row is: Surname")
    assert missing[1] == (
        "Case reference (headed e.g. Case reference / Case ref / Case no): a note is on a case"
    )
