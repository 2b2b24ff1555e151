"""Rows into records, every problem named by row and column heading (pure: the database's
part comes in a hand-made Context)."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.cases.defaults import DEFAULTS
from saferhub.cases.importing import columns as c
from saferhub.cases.importing import rows as r
from saferhub.cases.importing.files import read_table
from saferhub.cases.importing.values import key
from saferhub.cases.schema import parse_reasons, parse_schema
from saferhub.subjects.vocabulary import FlagType, GroupType, IdentifierType, Kind, PlaceType

TODAY = date(2026, 11, 24)
AREAS = [
    r.Area(i, a["code"], a["name"], parse_schema(a["fields"]), parse_reasons(a["closure_reasons"]))
    for i, a in enumerate(DEFAULTS, start=1)
]
EXTRAS = c.extra_fields(a.schema for a in AREAS)
ME = r.Officer(10, "pat.lead@police.example", "Pat Lead", 1, True, True)
COLLEAGUE = r.Officer(11, "cal@police.example", "Cal Colleague", 1, True, True)
TWIN = r.Officer(12, "cal.two@police.example", "Cal Colleague", 1, True, True)
ANALYST = r.Officer(13, "ian@police.example", "Ian Analyst", 1, False, True)
LEFT = r.Officer(14, "old@police.example", "Old Hand", 1, True, False)
COUNCIL = r.Officer(20, "dee@council.example", "Dee Worker", 2, True, True)


def context(**changes) -> r.Context:
    areas = {}
    for area in AREAS:
        areas[key(area.code)] = areas[key(area.name)] = area
    officers = {o.email: o for o in (ME, COLLEAGUE, TWIN, ANALYST, LEFT, COUNCIL)}
    names: dict = {}
    for o in (ME, COLLEAGUE, TWIN):
        names.setdefault(key(o.full_name), []).append(o)
    values = {
        "today": TODAY,
        "file": "caseload.csv",
        "agency_id": 1,
        "agency_name": "Eastmere Police (fictional)",
        "user_id": ME.id,
        "areas": areas,
        "agencies": {
            key("Eastmere Police (fictional)"): (1, "Eastmere Police (fictional)"),
            key("Eastmere Council (fictional)"): (2, "Eastmere Council (fictional)"),
        },
        "officers": officers,
        "officer_names": {k: tuple(x) for k, x in names.items()},
        **changes,
    }
    return r.Context(**values)


def parse(text: str, **changes) -> r.Parsed:
    table = read_table(text.encode(), "caseload.csv")
    rows = table.sheets[0].rows
    ctx = context(**changes)
    header = c.find_header(rows, {}, EXTRAS)
    columns = c.recognise("", header, {}, EXTRAS)
    assert c.required(columns, ctx.defaults) == [], c.required(columns, ctx.defaults)
    return r.parse_rows(rows, columns, ctx)


def problems(parsed: r.Parsed) -> list[str]:
    return [str(p) for p in parsed.problems]


CASE = "Case ref,Opened,Business area,ASB category,Role,"


def test_a_good_file_makes_records_and_cases():
    parsed = parse(
        CASE + "Surname,First name,DOB,Postcode,NHS No,Flags\n"
        "A1,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,nb12ab,943 476 5919,"
        "Violent to staff; Keeps ferrets\n"
        "A1,,,,Perpetrator,Crosby,Quentin,,,,\n"
    )
    assert problems(parsed) == []
    ada, quentin = parsed.records
    assert ada.subject.name.full_name == "Ada Testperson"
    assert ada.subject.details.date_of_birth == date(1990, 3, 4)
    assert ada.subject.addresses[0].postcode == "NB1 2AB"
    assert ada.subject.identifiers[0].type == IdentifierType.NHS
    assert ada.subject.identifiers[0].value == "9434765919"
    assert [(f.type, f.description) for f in ada.subject.flags] == [
        (FlagType.VIOLENT_TO_STAFF, ""),
        (FlagType.OTHER, "Keeps ferrets"),
    ]
    assert (ada.role, quentin.role) == ("victim", "perpetrator")
    (case,) = parsed.cases.values()
    assert case.reference == "A1" and case.rows == (2, 3)
    assert case.area.code == "ASB" and case.extra == {"asb_category": "Personal"}
    assert case.lead_officer_id == ME.id and case.title == "A1 (imported)"


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ("Testperson,31/02/1990,,,", "DOB", "not a real date"),
        ("Testperson,sometime,,,", "DOB", "expected a date"),
        ("Testperson,01/01/2030,,,", "DOB", "Date of birth must be today or in the past"),
        ("Testperson,,943 476 5918,,", "NHS No", "not a valid NHS number"),
        ("Testperson,,12345,,", "NHS No", "10 digits"),
        ("Testperson,,,ZZ1 1ZZ9,", "Postcode", "real UK postcode"),
        ("Testperson,,,NB1 2AB,12AB", "UPRN", "digits only"),
        ("Testperson,,,NB1 2AB,1234567890123", "UPRN", "1 to 12 digits"),
        ("1234,,,,", "Surname", "at least one letter"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_heading(cells, column, says):
    parsed = parse(f"Surname,DOB,NHS No,Postcode,UPRN\nTestperson,04/03/1990,,,\n{cells}\n")
    assert len(parsed.problems) == 1, problems(parsed)
    problem = parsed.problems[0]
    assert (problem.row, problem.column) == (3, column)
    assert says.lower() in problem.message.lower()
    assert parsed.records[0].row == 2  # the good row is still read


def test_every_problem_of_a_row_is_listed_not_only_the_first():
    parsed = parse("Surname,DOB,Postcode,Gender\n,31/31/1990,nowhere,Q\n")
    assert {p.column for p in parsed.problems} == {"Surname", "DOB", "Postcode", "Gender"}
    assert all(p.row == 2 for p in parsed.problems)


def test_unknown_business_area_lists_the_areas():
    parsed = parse(CASE + "Surname\nA1,02/11/2026,Graffiti,,Victim,Testperson\n")
    (problem,) = parsed.problems
    assert (problem.row, problem.column) == (2, "Business area")
    assert "“Graffiti”" in problem.message and "ASB (Anti-social behaviour)" in problem.message


def test_an_area_no_longer_in_use_is_refused():
    retired = [r.Area(a.id, a.code, a.name, a.schema, a.reasons, a.code != "YTH") for a in AREAS]
    areas = {}
    for area in retired:
        areas[key(area.code)] = areas[key(area.name)] = area
    parsed = parse(CASE + "Surname\nA1,02/11/2026,Youth,,Victim,Testperson\n", areas=areas)
    assert "no longer in use" in problems(parsed)[0]


@pytest.mark.parametrize(
    ("agency", "says"),
    [
        ("Eastmere Council (fictional)", "only cases your own agency"),
        ("Westmere Police", "no agency called “Westmere Police”"),
    ],
)
def test_the_lead_agency_must_be_the_importers(agency, says):
    parsed = parse(
        CASE + f"Surname,Lead agency\nA1,02/11/2026,ASB,Personal,Victim,Testperson,{agency}\n"
    )
    (problem,) = parsed.problems
    assert problem.column == "Lead agency" and says in problem.message


def test_the_own_agency_by_name_is_fine_whatever_its_case():
    text = (
        CASE
        + "Surname,Lead agency\nA1,02/11/2026,ASB,Personal,Victim,T,EASTMERE POLICE (FICTIONAL)\n"
    )
    assert problems(parse(text)) == []


@pytest.mark.parametrize(
    ("officer", "says"),
    [
        ("nobody@police.example", "no one in Safer Hub has the email address"),
        ("dee@council.example", "is not in Eastmere Police"),
        ("ian@police.example", "not an active practitioner"),
        ("old@police.example", "not an active practitioner"),
        ("Cal Colleague", "more than one practitioner"),
        ("Nobody Known", "no practitioner of Eastmere Police (fictional) is called"),
    ],
)
def test_an_unknown_or_unsuitable_lead_officer_is_refused(officer, says):
    parsed = parse(CASE + f"Surname,Lead officer\nA1,02/11/2026,ASB,Personal,Victim,T,{officer}\n")
    (problem,) = parsed.problems
    assert problem.column == "Lead officer" and says.lower() in problem.message.lower()


def test_a_lead_officer_by_email_or_unique_name():
    parsed = parse(
        CASE + "Surname,Lead officer\nA1,02/11/2026,ASB,Personal,Victim,T,PAT.LEAD@police.example\n"
    )
    assert next(iter(parsed.cases.values())).lead_officer_id == ME.id
    parsed = parse(CASE + "Surname,Lead officer\nA1,02/11/2026,ASB,Personal,Victim,T,pat lead\n")
    assert next(iter(parsed.cases.values())).lead_officer_id == ME.id


def test_a_case_reference_already_used_is_refused_with_where():
    used = {r.ref_key("ASB/77"): "it was imported on 01/11/2026 as case ASB-2026-000003"}
    parsed = parse(CASE + "Surname\nasb/77,02/11/2026,ASB,Personal,Victim,T\n", used=used)
    (problem,) = parsed.problems
    assert problem.column == "Case ref"
    assert "“asb/77” is already used: it was imported on 01/11/2026" in problem.message


def test_rows_of_one_case_must_agree():
    parsed = parse(
        CASE + "Surname\n"
        "A1,02/11/2026,ASB,Personal,Victim,T\n"
        "A1,03/11/2026,ASB,,Perpetrator,U\n"
        "A1,,,Nuisance,Witness,V\n"
    )
    found = {(p.row, p.column) for p in parsed.problems}
    assert found == {(3, "Opened"), (4, "ASB category")}
    assert "differs from row 2 (“02/11/2026”)" in problems(parsed)[0]


def test_cases_need_their_date_opened_not_in_the_future():
    parsed = parse(
        CASE + "Surname\nA1,,ASB,Personal,Victim,T\nA2,01/12/2026,ASB,Personal,Victim,U\n"
    )
    assert problems(parsed) == [
        "row 2, column “Opened”: Enter the date the case was opened",
        "row 3, column “Opened”: The date opened (01/12/2026) is in the future",
    ]


def test_a_required_business_area_field_without_a_column_is_one_problem_for_the_file():
    parsed = parse(
        "Case ref,Opened,Business area,Role,Surname\nA1,02/11/2026,ASB,Victim,T\n"
        "A2,02/11/2026,ASB,Victim,U\n"
    )
    (problem,) = parsed.problems
    assert problem.row == 0
    assert (
        "Anti-social behaviour cases need “ASB category” "
        "(one of: Personal, Nuisance, Environmental)" in problem.message
    )
    assert "rows 2, 3" in problem.message


def test_business_area_fields_read_as_partners_write_them():
    parsed = parse(
        "Case ref,Opened,Business area,Role,Nominal,IOM cohort,Release date\n"
        'I1,02/11/2026,IOM,Perpetrator,"DUMMYSON, Hugo",flex,05/02/2026\n'
    )
    assert problems(parsed) == []
    (case,) = parsed.cases.values()
    assert case.extra == {"cohort": "Flex", "release_date": "2026-02-05"}
    assert parsed.records[0].subject.name.family_name == "DUMMYSON"


def test_business_area_field_values_are_checked():
    parsed = parse(
        "Case ref,Opened,Business area,Role,Surname,IOM cohort,ASB category\n"
        "I1,02/11/2026,IOM,Perpetrator,T,Sometimes,\n"
        "A1,02/11/2026,ASB,Victim,U,,Personal\n"
        "I2,02/11/2026,IOM,Perpetrator,V,Fixed,Personal\n"
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "IOM cohort"), (4, "ASB category")]
    assert "IOM cohort must be one of: Fixed, Flex, Free" in parsed.problems[0].message
    assert "Integrated Offender Management cases have no such field" in parsed.problems[1].message


def test_closed_cases_need_a_reason_of_their_area_and_a_date():
    head = CASE + "Surname,Status,Date closed,Closure reason\n"
    parsed = parse(
        head + "A1,02/11/2026,ASB,Personal,Victim,T,Closed,10/11/2026,behaviour stopped\n"
        "A2,02/11/2026,ASB,Personal,Victim,U,Closed,,\n"
        "A3,02/11/2026,ASB,Personal,Victim,V,Closed,01/11/2026,Risk reduced\n"
        "A4,02/11/2026,ASB,Personal,Victim,W,Open,10/11/2026,\n"
    )
    found = [(p.row, p.column, p.message[:40]) for p in parsed.problems]
    assert found == [
        (3, "Date closed", "Enter the date the case closed"),
        (3, "Closure reason", "A closed case needs its closure reason"),
        (4, "Date closed", "The date closed must be between the date"),
        (4, "Closure reason", "“Risk reduced” is not a closure reason o"),
        (5, "Date closed", "The case is not closed: leave this empty"),
    ]


def test_a_closed_case_is_read_with_the_areas_own_wording():
    head = CASE + "Surname,Status,Date closed,Closure reason\n"
    parsed = parse(
        head + "A1,02/11/2026,ASB,Personal,Victim,T,Closed,10/11/2026,BEHAVIOUR STOPPED\n"
    )
    (case,) = parsed.cases.values()
    assert (case.status, case.closure_reason) == ("closed", "Behaviour stopped")


def test_the_kind_of_record_is_worked_out_from_the_row():
    parsed = parse(
        CASE + "Surname,Address,Postcode,VRM,Make,Group name\n"
        "A1,02/11/2026,ASB,Personal,Victim,Testperson,1 Alder Court,NB1 2AB,,,\n"
        "A1,,,,,,Alder Court car park,NB1 2AB,,,\n"
        "A1,,,,,,,,ab12 cde,Ford,\n"
        "A1,,,,Associate,,,,,,Alder Court Crew\n"
    )
    assert problems(parsed) == []
    kinds = [(x.subject.kind, x.role) for x in parsed.records]
    assert kinds == [
        (Kind.PERSON, "victim"),
        (Kind.PLACE, "location"),  # a place's and a vehicle's role is what they are
        (Kind.VEHICLE, "vehicle"),
        (Kind.GROUP, "associate"),
    ]
    assert parsed.records[2].subject.details.vrm == "AB12CDE"
    assert parsed.records[2].subject.entered_vrm == "ab12 cde"
    assert parsed.records[3].subject.details.group_type == GroupType.OTHER


def test_a_type_column_may_give_a_place_type_or_group_type_instead():
    parsed = parse("Type,Name,Postcode\nPub,The Red Lion,NB1 2AB\nFamily,The Testpersons,\n")
    assert problems(parsed) == []
    place, group = (x.subject for x in parsed.records)
    assert (place.kind, place.details.place_type, place.details.name) == (
        Kind.PLACE,
        PlaceType.LICENSED_PREMISES,
        "The Red Lion",
    )
    assert (group.kind, group.details.group_type) == (Kind.GROUP, GroupType.FAMILY)


def test_a_value_for_another_kind_of_record_is_refused():
    parsed = parse("Surname,VRM\nTestperson,AB12CDE\n")
    (problem,) = parsed.problems
    assert problem.column == "VRM" and "This row is a person" in problem.message


def test_a_person_needs_a_role_on_a_case():
    parsed = parse(CASE + "Surname\nA1,02/11/2026,ASB,Personal,,Testperson\n")
    (problem,) = parsed.problems
    assert problem.column == "Role" and "role on the case" in problem.message
    parsed = parse(
        CASE + "Surname\nA1,02/11/2026,ASB,Personal,,Testperson\n", defaults={"role": "victim"}
    )
    assert parsed.records[0].role == "victim"


def test_a_person_with_a_uprn_lives_at_a_place_record():
    parsed = parse(
        "Surname,Address,Postcode,UPRN\nTestperson,4 Alder Court,NB1 2AB,0100012345671\n"
    )
    subject = parsed.records[0].subject
    assert subject.addresses == () and subject.home.uprn == "100012345671"
    assert subject.home.place_type == PlaceType.DWELLING


def test_without_case_references_each_row_is_its_own_case():
    parsed = parse(
        'Nominal,Date adopted,IOM cohort\n"PLACEHOLDER, Gwen",06/01/2026,Fixed\n'
        '"DUMMYSON, Hugo",17/02/2026,Flex\n',
        defaults={"business_area": "IOM", "role": "perpetrator"},
    )
    assert problems(parsed) == []
    assert [c.key for c in parsed.cases.values()] == ["row 2", "row 3"]
    assert parsed.cases["row 2"].title == "Imported from caseload.csv, row 2"


def test_a_row_without_a_case_reference_but_with_case_cells_is_refused():
    parsed = parse(CASE + "Surname\n,02/11/2026,ASB,Personal,Victim,Testperson\n,,,,,Loner\n")
    (problem,) = parsed.problems
    assert (problem.row, problem.column) == (2, "Case ref")
    assert parsed.records[0].subject.name.family_name == "Loner"  # a subject on no case


def test_blank_rows_are_skipped_and_rows_of_ignored_columns_noted():
    parsed = parse("Surname,Ward\nTestperson,North\n,,\n\n,South\nCrosby,\n")
    assert problems(parsed) == []
    assert [x.row for x in parsed.records] == [2, 6]
    assert parsed.blank == 2
    assert [str(w) for w in parsed.warnings] == [
        "row 5: has values only in columns that are not imported: skipped"
    ]


def test_a_formula_is_kept_as_its_text_and_noted():
    parsed = parse(CASE + 'Surname,Notes\nA1,02/11/2026,ASB,Personal,Victim,T,=HYPERLINK("x")\n')
    assert problems(parsed) == []
    assert parsed.records[0].notes[0].text == '=HYPERLINK("x")'
    assert str(parsed.warnings[0]) == (
        "row 2, column “Notes”: holds a formula: read as its text, not worked out"
    )


def test_a_formula_where_a_date_should_be_is_an_unreadable_date():
    parsed = parse("Surname,DOB\nTestperson,=DATE(1990;3;4)\n")
    (problem,) = parsed.problems
    assert problem.column == "DOB" and "Expected a date" in problem.message


def test_notes_are_on_the_case_with_their_date():
    parsed = parse(
        CASE + "Surname,Notes,Note date\n"
        "A1,02/11/2026,ASB,Personal,Victim,T,Shouting reported,03/11/2026\n"
        "A1,,,,Witness,U,Saw it,01/12/2026\n"
    )
    assert problems(parsed) == [
        "row 3, column “Note date”: The date of the note (01/12/2026) is in the future"
    ]
    assert parsed.records[0].notes == (r.Note("Shouting reported", date(2026, 11, 3)),)


def test_the_import_note_keeps_the_files_reference_where_a_later_import_finds_it():
    note = r.import_note("asb (2).xlsx", (4, 5, 6), "ASB/26/0117")
    assert (
        note
        == "Imported from asb (2).xlsx (rows 4, 5, 6), where its case reference was “ASB/26/0117”."
    )
    assert r.reference_in(note) == "ASB/26/0117"
    assert r.reference_in(r.import_note("iom.csv", (2,), "")) is None
    assert r.reference_in("Imported from nowhere, honestly") is None
