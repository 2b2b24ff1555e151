"""Previewing and importing real files into a real database: what is made, the similar
records proposed, the choices carried out, and nothing at all stored on any error."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases import services as cases
from saferhub.cases.importing import apply, plan
from saferhub.cases.importing.apply import IMPORT_TYPE, ImportFailed
from saferhub.cases.importing.command import policy_sight
from saferhub.cases.importing.files import IMPORT, ImportFileError
from saferhub.cases.models import BusinessArea, Case, CaseSubject, ChronologyEntry, Status
from saferhub.cases.models import Role as CaseRole
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import NameEntry, PersonDetails, PlaceDetails, VehicleDetails
from saferhub.subjects.models import Identifier, PersonAddress, Place, Subject
from saferhub.subjects.vocabulary import IdentifierType, Kind

from .conftest import AT, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "casework"


def preview(world, data, name="caseload.csv", user=None, **kwargs):
    user = user or world.lead
    if isinstance(data, str):
        data = data.encode()
    return plan.preview(data, name, user=user, sight=policy_sight(user), today=TODAY, **kwargs)


def stored() -> dict[str, int]:
    return {
        "subjects": Subject.objects.count(),
        "cases": Case.objects.count(),
        "roles": CaseSubject.objects.count(),
        "entries": ChronologyEntry.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEAD = "Case ref,Opened,Business area,ASB category,Role,Surname,First name,DOB,Postcode\n"


# --- the shipped examples ----------------------------------------------------------------------


def test_the_asb_units_spreadsheet_imports_whole(world):
    shown = preview(world, (EXAMPLES / "asb-unit-caseload.xlsx").read_bytes(), "asb.xlsx")
    assert shown.ok, [str(p) for p in shown.problems]
    assert shown.sheet == "Open cases" and shown.columns.header_row == 3
    by_row = {p.row: p for p in shown.rows}
    # Ada Testperson (born 4/3/1990) is the world's victim: proposed, with its reasons.
    ada = by_row[4]
    assert ada.proposed == f"existing:{world.victim.pk}"
    assert ada.offers[0].strength == "strong"
    assert "same date of birth" in ada.offers[0].reasons
    # Bram Examplename matches the world's perpetrator by name only: shown, not proposed.
    assert by_row[5].offers[0].subject_id == world.perpetrator.pk
    assert by_row[5].proposed == "new"
    # Finn Notreal is on two cases of the file: the second row is the first row's record.
    assert by_row[10].proposed == "row:7" and by_row[10].earlier[0].strength == "strong"
    before = stored()
    result = apply.apply(shown, user=world.lead, at=AT)
    assert len(result.cases) == 3
    assert result.created == {"person": 4, "place": 3, "vehicle": 0, "group": 0}
    assert result.existing == 1
    after = stored()
    assert after["cases"] == before["cases"] + 3
    assert after["subjects"] == before["subjects"] + 7
    first = Case.objects.get(pk=result.cases[0][0])
    assert first.lead_agency == world.police and first.lead_officer == world.lead
    assert first.extra == {"asb_category": "Personal"}
    assert first.opened_on == date(2026, 2, 3)
    roles = dict(first.case_subjects.values_list("subject_id", "role"))
    assert roles[world.victim.pk] == CaseRole.VICTIM
    notes = list(first.entries.order_by("id").values_list("text", flat=True))
    assert notes[0] == (
        "Imported from asb.xlsx (rows 4, 5, 6), where its case reference was “ASB/26/0117”."
    )
    assert notes[1] == "Reports shouting and threats from the flat above."
    finn = Subject.objects.filter(display_name="Finn Notreal")
    assert finn.count() == 1  # one record, on two cases
    assert CaseSubject.objects.filter(subject=finn.get()).count() == 2
    home = PersonAddress.objects.get(subject=finn.get())
    assert home.place.place.uprn == "100012345671"  # the UPRN address is a place record


def test_the_police_iom_list_in_windows_1252_imports_with_a_default_role(world):
    data = (EXAMPLES / "iom-cohort.csv").read_bytes()
    shown = preview(world, data, "iom-cohort.csv", defaults={"role": "perpetrator"})
    assert shown.ok, [str(p) for p in shown.problems]
    assert "read as Windows-1252 text" in shown.notes
    result = apply.apply(shown, user=world.lead, at=AT)
    assert len(result.cases) == 3
    gwen = Subject.objects.get(display_name="Gwen PLACEHOLDER")
    kinds = set(Identifier.objects.filter(subject=gwen).values_list("type", flat=True))
    assert kinds == {IdentifierType.PNC, IdentifierType.NHS}
    case = Case.objects.get(case_subjects__subject=gwen)
    assert case.business_area.code == "IOM"
    assert case.extra == {"cohort": "Fixed"}
    assert case.case_subjects.get().role == CaseRole.PERPETRATOR
    hugo_case = Case.objects.get(case_subjects__subject__display_name="Hugo DUMMYSON")
    assert hugo_case.extra == {"cohort": "Flex", "release_date": "2026-02-05"}
    texts = list(case.entries.values_list("text", flat=True))
    assert "Acquisitive offending; engages with café outreach." in texts  # read as cp1252


def test_the_import_and_every_write_are_audited(world):
    shown = preview(world, HEAD + "Z1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,,NB1 2AB\n")
    mark = AuditEntry.objects.order_by("-id").first().pk
    result = apply.apply(shown, user=world.lead, at=AT)
    entries = AuditEntry.objects.filter(pk__gt=mark).order_by("id")
    kinds = [(e.object_type, e.action) for e in entries]
    assert ("subjects.Subject", "create") in kinds
    assert ("cases.Case", "create") in kinds
    assert ("cases.CaseSubject", "create") in kinds
    assert ("cases.ChronologyEntry", "create") in kinds
    whole = entries.get(object_type=IMPORT_TYPE)
    assert whole.pk == result.entry_id and whole.actor == world.lead
    assert whole.changes["file"] == "caseload.csv"
    assert whole.changes["sha256"] == shown.sha256 and whole.changes["rows"] == 1
    assert whole.changes["cases"] == [result.cases[0][0]]
    assert whole.changes["created"]["person"] == 1
    assert "Quentin" not in str(whole.changes) and "Crosby" not in str(whole.changes)


def test_the_preview_audits_its_similar_record_check_and_stores_nothing_else(world):
    before = stored()
    shown = preview(world, HEAD + "Z1,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,\n")
    after = stored()
    assert after == {**before, "audit": before["audit"] + 1}
    check = AuditEntry.objects.order_by("-id").first()
    assert check.object_type == "subjects.search" and check.action == "view"
    assert check.changes["duplicate_check"] == "import"
    assert check.changes["subjects"] == [world.victim.pk]
    assert check.changes["file_sha256"] == shown.sha256


# --- bad input: every problem named, nothing stored --------------------------------------------

BAD_FILES = {
    "missing columns": (
        "Case ref,First name,DOB\nA1,Ada,04/03/1990\n",
        "missing required columns: Surname",
    ),
    "unreadable date": (HEAD + "A1,02/11/2026,ASB,Personal,Victim,T,Ada,04/13/1990,\n", "DOB"),
    "future date of birth": (
        HEAD + "A1,02/11/2026,ASB,Personal,Victim,T,Ada,04/03/2027,\n",
        "today or in the past",
    ),
    "bad postcode": (HEAD + "A1,02/11/2026,ASB,Personal,Victim,T,Ada,,NB1 2CZ\n", "postcode"),
    "bad NHS number": (
        "Surname,NHS No\nTestperson,943 476 5918\n",
        "not a valid NHS number",
    ),
    "bad UPRN": ("Surname,Postcode,UPRN\nTestperson,NB1 2AB,UPRN-1\n", "UPRN must be digits"),
    "unknown business area": (
        HEAD + "A1,02/11/2026,Parking,Personal,Victim,T,Ada,,\n",
        "no business area “Parking”",
    ),
    "another agency leads": (
        "Case ref,Opened,Business area,ASB category,Role,Surname,Lead agency\n"
        "A1,02/11/2026,ASB,Personal,Victim,T,Eastmere Council (fictional)\n",
        "only cases your own agency",
    ),
    "unknown officer": (
        "Case ref,Opened,Business area,ASB category,Role,Surname,Lead officer email\n"
        "A1,02/11/2026,ASB,Personal,Victim,T,nobody@police.example\n",
        "No one in Safer Hub has the email address nobody@police.example",
    ),
    "a council officer": (
        "Case ref,Opened,Business area,ASB category,Role,Surname,Lead officer email\n"
        "A1,02/11/2026,ASB,Personal,Victim,T,dee.worker@council.example\n",
        "is not in Eastmere Police",
    ),
}


@pytest.mark.parametrize("what", BAD_FILES)
def test_a_bad_file_is_refused_naming_row_and_column_and_stores_nothing(world, what):
    text, says = BAD_FILES[what]
    before = stored()
    shown = preview(world, text)
    assert shown.problems and not shown.ok
    assert any(says in str(p) for p in shown.problems), [str(p) for p in shown.problems]
    for problem in shown.problems:
        assert problem.row == 0 or problem.column, problem  # a row's problem names its column
    with pytest.raises(ImportFailed):
        apply.apply(shown, user=world.lead)
    assert stored() == before


def test_the_problems_name_the_row_and_heading_as_the_file_writes_them(world):
    shown = preview(world, HEAD + "A1,02/11/2026,ASB,Personal,Victim,T,Ada,31/02/1990,\n")
    assert [str(p) for p in shown.problems] == [
        "row 2, column “DOB”: “31/02/1990” is not a real date (day first: DD/MM/YYYY, "
        "YYYY-MM-DD or 4 March 1990)"
    ]


def test_missing_columns_are_named_with_the_headings_found(world):
    shown = preview(world, "Ref,Forename,Birthday\nA1,Ada,04/03/1990\n")
    (problem,) = shown.problems
    assert "missing required column" in problem.message
    assert "Surname (headed e.g. Surname / Last name / Family name)" in problem.message
    assert "The headings found (row 1): “Ref”, “Forename”, “Birthday”" in problem.message


def test_a_file_with_no_heading_row_says_what_its_first_row_holds(world):
    shown = preview(world, "Hello,there\nfriend,of mine\n")
    (problem,) = shown.problems
    assert "no row of headings" in problem.message and "“Hello”, “there”" in problem.message


def test_a_file_claiming_to_be_xlsx_is_refused_and_stores_nothing(world):
    before = stored()
    with pytest.raises(ImportFileError, match="is not one"):
        preview(world, HEAD, "caseload.xlsx")
    assert stored() == before


def test_an_xlsx_over_the_limits_is_refused_and_stores_nothing(world):
    data = xlsx([["Surname"], *([f"Person{i}"] for i in range(40))])
    before = stored()
    with pytest.raises(ImportFileError, match="at most 30 rows"):
        preview(world, data, "c.xlsx", limits=replace(IMPORT, rows=30))
    with pytest.raises(ImportFileError, match="at most 20 cells"):
        preview(world, data, "c.xlsx", limits=replace(IMPORT, cells=20))
    with pytest.raises(ImportFileError, match="may be at most"):
        preview(world, data, "c.xlsx", limits=replace(IMPORT, file_bytes=1000))
    assert stored() == before


def test_a_csv_in_an_unknown_encoding_is_refused_and_stores_nothing(world):
    before = stored()
    with pytest.raises(ImportFileError, match="0x9D"):
        preview(world, b"Surname\nTest" + b"\x9d" + b"person\n")
    assert stored() == before


def test_formulas_in_a_workbook_are_stored_as_their_text(world):
    data = xlsx(
        [
            ["Case ref", "Opened", "Business area", "ASB category", "Role", "Surname", "Notes"],
            ["F1", "02/11/2026", "ASB", "Personal", "Victim", "Formulason", '=HYPERLINK("x","y")'],
        ]
    )
    shown = preview(world, data, "c.xlsx")
    assert shown.ok and "holds a formula" in str(shown.warnings[0])
    result = apply.apply(shown, user=world.lead, at=AT)
    case = Case.objects.get(pk=result.cases[0][0])
    assert case.entries.filter(text='=HYPERLINK("x","y")').exists()


def test_blank_rows_are_skipped(world):
    shown = preview(world, "Surname,DOB\nTestperson,04/03/1990\n,\n\n,,,\nCrosby,\n")
    assert shown.ok and shown.blank_rows == 3 and shown.data_rows == 2


def test_a_reference_imported_before_is_refused_the_second_time(world):
    text = HEAD + "R1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,,\n"
    apply.apply(preview(world, text), user=world.lead, at=AT)
    before = stored()
    again = preview(world, text.replace("R1", "r1"))
    (problem,) = again.problems
    assert problem.column == "Case ref"
    assert "“r1” is already used: it was imported on" in problem.message
    assert stored() == before  # a preview with problems writes no audit entry either


def test_a_safer_hub_reference_is_already_used_too(world):
    text = HEAD + f"{world.case.reference.lower()},02/11/2026,ASB,Personal,Victim,T,,,\n"
    (problem,) = preview(world, text).problems
    assert f"it is the reference of case {world.case.reference}" in problem.message


def test_a_colleagues_reference_of_another_agency_does_not_count(world):
    text = HEAD + "R1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,,\n"
    apply.apply(preview(world, text), user=world.lead, at=AT)
    # The council's R1 is another case: references are the agency's own.
    assert preview(world, text, user=world.council_worker).ok


def test_a_failure_part_way_stores_nothing_and_names_the_row(world):
    text = HEAD + (
        "M1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,11/12/1980,\n"
        "M2,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,\n"
    )
    shown = preview(world, text)
    assert shown.rows[1].proposed == f"existing:{world.victim.pk}"
    # Between the preview and the confirm, the chosen record is merged away.
    other = subjects.create_person(
        name=NameEntry("Ada", "Testperson"),
        details=PersonDetails(date_of_birth=date(1990, 3, 4)),
        by=world.lead,
    )
    subjects.merge(other, world.victim, by=world.lead, reason="Same person")
    before = stored()
    with pytest.raises(ImportFailed) as failed:
        apply.apply(shown, user=world.lead, at=AT)
    assert failed.value.problem.row == 3 and "merged" in str(failed.value)
    assert stored() == before


def test_only_a_practitioner_may_import(world):
    shown = preview(world, HEAD + "P1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,,\n")
    before = stored()
    with pytest.raises(PermissionDenied):
        apply.apply(shown, user=world.coordinator)
    after = stored()
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    refusal = AuditEntry.objects.order_by("-id").first()
    assert refusal.changes == {"refused": "create_case"} and after["audit"] == before["audit"] + 1


# --- similar records and choices ---------------------------------------------------------------


def test_a_claimed_preview_imports_once(world):
    shown = preview(world, HEAD + "C1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,,\n")
    apply.apply(shown, user=world.lead, claim="a" * 64, at=AT)
    before = stored()
    with pytest.raises(apply.AlreadyImported):
        apply.apply(shown, user=world.lead, claim="a" * 64, at=AT)
    assert stored() == before


def test_a_locked_match_is_shown_locked_and_cannot_be_chosen(world):
    council_case = cases.create_case(
        world.council_worker,
        business_area=BusinessArea.objects.get(code="ASB"),
        title="Council case",
        opened_on=TODAY - timedelta(days=30),
        extra={"asb_category": "Nuisance"},
        at=AT,
    )
    hidden = subjects.create_person(
        name=NameEntry("Quentin", "Crosby"),
        details=PersonDetails(date_of_birth=date(1980, 12, 11)),
        by=world.council_worker,
    )
    cases.add_subject(world.council_worker, council_case, hidden, CaseRole.PERPETRATOR, at=AT)
    shown = preview(world, HEAD + "L1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,11/12/1980,\n")
    (row,) = shown.rows
    (offer,) = row.offers
    assert offer.subject_id == hidden.pk and offer.strength == "strong" and not offer.visible
    assert offer.agencies == ("Eastmere Council (fictional)",)
    assert offer.business_areas == ("Anti-social behaviour",)
    assert row.proposed == "new"  # not a record the user may use
    with pytest.raises(plan.ChoiceError, match="row 2"):
        apply.apply(shown, {2: f"existing:{hidden.pk}"}, user=world.lead)


def test_the_users_choice_replaces_the_proposal(world):
    text = HEAD + "U1,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,\n"
    shown = preview(world, text)
    assert shown.rows[0].proposed == f"existing:{world.victim.pk}"
    assert shown.counts({2: "new"})["person"] == 1
    before = stored()
    result = apply.apply(shown, {2: "new"}, user=world.lead, at=AT)
    assert stored()["subjects"] == before["subjects"] + 1 and result.existing == 0


def test_same_person_twice_in_the_file_is_one_record_unless_chosen_otherwise(world):
    text = HEAD + (
        "W1,02/11/2026,ASB,Personal,Perpetrator,Crosby,Quentin,11/12/1980,NB1 2AB\n"
        "W2,03/11/2026,ASB,Nuisance,Perpetrator,Crosby,Quentin,11/12/1980,NB1 2AB\n"
        "W2,,,,Witness,Crossby,Quentyn,,\n"
    )
    shown = preview(world, text)
    second, third = shown.rows[1], shown.rows[2]
    assert second.proposed == "row:2" and second.earlier[0].strength == "strong"
    assert third.earlier and third.proposed == "new"  # similar, not strong: listed only
    before = stored()
    apply.apply(shown, user=world.lead, at=AT)
    assert stored()["subjects"] == before["subjects"] + 2
    quentin = Subject.objects.get(display_name="Quentin Crosby")
    crossby = Subject.objects.get(display_name="Quentyn Crossby")
    # The same file again (new references): rows 2 and 3 are now the recorded Quentin;
    # row 4 is only a possible match for the recorded Quentyn, so it is the user's to choose.
    shown = preview(world, text.replace("W1", "W3").replace("W2", "W4"))
    assert [r.proposed for r in shown.rows] == [f"existing:{quentin.pk}"] * 2 + ["new"]
    assert crossby.pk in [o.subject_id for o in shown.rows[2].offers]
    before = stored()
    apply.apply(shown, {4: f"existing:{crossby.pk}"}, user=world.lead, at=AT)
    assert stored()["subjects"] == before["subjects"]


def test_vehicles_places_and_groups_are_matched_too(world):
    car = subjects.create_vehicle(VehicleDetails(vrm="AB12CDE", make="Ford"), by=world.lead)
    pub = subjects.create_place(
        PlaceDetails(
            name="The Red Lion",
            uprn="100012345699",
            postcode="NB1 2AB",
            place_type="licensed_premises",
        ),
        by=world.lead,
    )
    text = (
        "Case ref,Opened,Business area,ASB category,Type,Role,VRM,Make,Premises name,"
        "Postcode,UPRN\n"
        "V1,02/11/2026,ASB,Nuisance,Vehicle,Vehicle,ab12 cde,Ford,,,\n"
        "V1,,,,Place,Location,,,The Red Lion,NB1 2AB,100012345699\n"
    )
    shown = preview(world, text)
    assert shown.ok, [str(p) for p in shown.problems]
    vehicle, place = shown.rows
    assert vehicle.proposed == f"existing:{car.pk}" and "same VRM" in vehicle.offers[0].reasons
    assert place.proposed == f"existing:{pub.pk}" and "same UPRN" in place.offers[0].reasons
    result = apply.apply(shown, user=world.lead, at=AT)
    case = Case.objects.get(pk=result.cases[0][0])
    assert set(case.case_subjects.values_list("subject_id", "role")) == {
        (car.pk, CaseRole.VEHICLE),
        (pub.pk, CaseRole.LOCATION),
    }


def test_a_uprn_address_uses_the_place_already_recorded(world):
    flat = subjects.create_place(
        PlaceDetails(line_1="Flat 4, Alder Court", postcode="NB1 2AB", uprn="100012345600"),
        by=world.lead,
    )
    shown = preview(
        world,
        "Surname,Address,Postcode,UPRN\nCrosby,Flat 4,NB1 2AB,100012345600\n"
        "Dummyson,Flat 4,NB1 2AB,100012345600\n",
    )
    assert [r.home for r in shown.rows] == [f"existing:{flat.pk}", f"existing:{flat.pk}"]
    before = Place.objects.count()
    apply.apply(shown, user=world.lead, at=AT)
    assert Place.objects.count() == before
    assert PersonAddress.objects.filter(place=flat).count() == 2


def test_subjects_without_cases_are_recorded_on_no_case(world):
    shown = preview(world, "Surname,First name,DOB\nLoner,Len,01/01/1970\n")
    result = apply.apply(shown, user=world.lead, at=AT)
    assert result.cases == [] and result.created[Kind.PERSON] == 1
    assert not CaseSubject.objects.filter(subject__display_name="Len Loner").exists()


def test_a_lead_officer_and_a_closed_case_from_the_file(world):
    text = (
        "Case ref,Opened,Business area,ASB category,Role,Surname,Lead officer email,Status,"
        "Date closed,Closure reason\n"
        "K1,02/11/2026,ASB,Personal,Victim,Crosby,cal.colleague@police.example,Closed,"
        "20/11/2026,Behaviour stopped\n"
    )
    result = apply.apply(preview(world, text), user=world.lead, at=AT)
    case = Case.objects.get(pk=result.cases[0][0])
    assert case.lead_officer == world.colleague
    assert (case.status, case.closure_reason, case.closed_on) == (
        Status.CLOSED,
        "Behaviour stopped",
        date(2026, 11, 20),
    )
