"""Cases: references, edits with version checks, status and closure, subjects, chronology and
tasks; every write audited with its purpose, every refusal on the record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases import services
from saferhub.cases.errors import CaseError, StaleEdit
from saferhub.cases.models import (
    BusinessArea,
    Case,
    CaseSubject,
    ChronologyEntry,
    ImmutableError,
    Role,
    Status,
    Task,
    TaskStatus,
)
from saferhub.subjects.models import Subject

from .conftest import AT, OPENED, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_the_default_business_areas_are_loaded_by_the_migration(world):
    names = set(BusinessArea.objects.values_list("name", flat=True))
    assert {
        "Anti-social behaviour",
        "Domestic abuse (MARAC)",
        "Integrated Offender Management",
        "Exploitation / violence",
        "Vulnerability and exploitation",
        "Modern slavery",
        "Hate crime",
        "Prevent / Channel",
        "Youth",
        "Rough sleeping",
        "Problem place",
    } <= names
    assert services.load_defaults() == []  # nothing missing: nothing added


def test_load_defaults_adds_only_what_is_missing_and_keeps_changes(world):
    BusinessArea.objects.filter(code="RS").delete()
    BusinessArea.objects.filter(code="YTH").update(name="Young people (our name)")
    added = services.load_defaults()
    assert [a.code for a in added] == ["RS"]
    assert BusinessArea.objects.get(code="YTH").name == "Young people (our name)"
    assert AuditEntry.objects.filter(object_type="cases.BusinessArea", action="create").count() == 1


def test_references_are_per_business_area_and_year_and_sequential(world):
    assert world.case.reference == "ASB-2026-000001"
    second = services.create_case(
        world.lead,
        business_area=world.area,
        title="Second",
        opened_on=OPENED,
        extra={"asb_category": "Nuisance"},
        at=AT,
    )
    marac = services.create_case(
        world.lead,
        business_area=BusinessArea.objects.get(code="DA"),
        title="Third",
        opened_on=OPENED,
        extra={"risk_level": "High"},
        at=AT,
    )
    older = services.create_case(
        world.lead,
        business_area=world.area,
        title="Back-record",
        opened_on=date(2025, 12, 1),
        extra={"asb_category": "Nuisance"},
        at=AT,
    )
    assert [second.reference, marac.reference, older.reference] == [
        "ASB-2026-000002",
        "DA-2026-000001",
        "ASB-2025-000001",
    ]


def test_creating_a_case_is_audited_with_its_purpose(world):
    entry = AuditEntry.objects.get(object_type="cases.Case", action="create")
    assert entry.actor == world.lead
    assert entry.changes == {
        "reference": "ASB-2026-000001",
        "business_area": "Anti-social behaviour",
        "purpose": "lead agency",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"extra": {"asb_category": "Loud"}}, "asb_category"),
        ({"extra": {}}, "asb_category"),
        (
            {"extra": {"asb_category": "Personal", "incidents_reported": "lots"}},
            "incidents_reported",
        ),
        ({"opened_on": TODAY + timedelta(days=1)}, "opened_on"),
    ],
)
def test_a_bad_case_names_the_field_and_stores_nothing(world, change, field):
    fields = {"title": "A title", "opened_on": OPENED, "extra": {"asb_category": "Personal"}}
    fields.update(change)
    with pytest.raises(CaseError) as caught:
        services.create_case(world.lead, business_area=world.area, at=AT, **fields)
    assert caught.value.field == field
    assert Case.objects.count() == 1


def test_only_a_practitioner_opens_cases_and_only_for_their_own_agency(world):
    for someone in (world.admin, world.board, world.coordinator, world.dpo):
        with pytest.raises(PermissionDenied):
            services.create_case(
                someone,
                business_area=world.area,
                title="x",
                opened_on=OPENED,
                extra={"asb_category": "Personal"},
                at=AT,
            )
    with pytest.raises(CaseError, match="lead officer must be an active practitioner"):
        services.create_case(
            world.lead,
            business_area=world.area,
            title="x",
            opened_on=OPENED,
            lead_officer=world.council_worker,
            extra={"asb_category": "Personal"},
            at=AT,
        )
    refused = AuditEntry.objects.filter(changes__refused="create_case")
    assert refused.count() == 4


def test_an_edit_bumps_the_version_and_records_old_and_new(world):
    case = services.update_case(
        world.lead, world.case, version=1, changes={"title": "Threats, Alder Court"}, at=AT
    )
    assert case.version == 2 and case.title == "Threats, Alder Court"
    entry = AuditEntry.objects.filter(object_type="cases.Case", action="update").get()
    assert entry.changes["title"] == {
        "from": "Noise and threats, Alder Court",
        "to": "Threats, Alder Court",
    }
    assert entry.changes["version"] == 2 and entry.changes["purpose"] == "lead agency"


def test_a_stale_edit_is_refused_naming_the_other_persons_change(world):
    services.update_case(
        world.colleague, world.case, version=1, changes={"title": "Threats, Alder Court"}, at=AT
    )
    with pytest.raises(StaleEdit) as caught:
        services.update_case(
            world.lead, world.case, version=1, changes={"title": "Noise, Alder Court"}, at=AT
        )
    stale = caught.value
    assert (stale.seen, stale.current) == (1, 2)
    assert [o.by for o in stale.others] == ["Cal Colleague (Eastmere Police (fictional))"]
    assert stale.others[0].changes == {
        "title": {"from": "Noise and threats, Alder Court", "to": "Threats, Alder Court"}
    }
    assert "Cal Colleague" in str(stale) and "“Threats, Alder Court”" in str(stale)
    assert world.refresh().title == "Threats, Alder Court"  # theirs kept, mine not saved


def test_closing_needs_a_reason_from_the_business_areas_list_and_a_date(world):
    with pytest.raises(CaseError) as caught:
        services.set_status(
            world.lead, world.case, version=1, status="closed", reason="Got bored", on=TODAY, at=AT
        )
    assert caught.value.field == "reason"
    with pytest.raises(CaseError) as caught:
        services.set_status(
            world.lead, world.case, version=1, status="closed", reason="Behaviour stopped", at=AT
        )
    assert caught.value.field == "on"
    with pytest.raises(CaseError):
        services.set_status(
            world.lead,
            world.case,
            version=1,
            status="closed",
            reason="Behaviour stopped",
            on=TODAY + timedelta(days=1),
            at=AT,
        )
    case = services.set_status(
        world.lead,
        world.case,
        version=1,
        status="closed",
        reason="Behaviour stopped",
        on=TODAY,
        at=AT,
    )
    assert (case.status, case.closure_reason, case.closed_on) == (
        "closed",
        "Behaviour stopped",
        TODAY,
    )
    reopened = services.set_status(world.lead, case, version=2, status="open", at=AT)
    assert (reopened.status, reopened.closure_reason, reopened.closed_on) == ("open", "", None)


def test_a_closed_case_takes_no_new_work_until_it_is_reopened(world):
    services.set_status(
        world.lead,
        world.case,
        version=1,
        status=Status.CLOSED,
        reason="Behaviour stopped",
        on=TODAY,
        at=AT,
    )
    case = world.refresh()
    with pytest.raises(PermissionDenied):
        services.add_entry(
            world.lead, case, type="note", text="After closing", event_date=TODAY, at=AT
        )
    with pytest.raises(PermissionDenied):
        services.update_case(world.lead, case, version=2, changes={"title": "x"}, at=AT)


def test_subjects_are_on_a_case_once_per_role_and_never_as_a_merged_record(world):
    with pytest.raises(CaseError, match="already on the case"):
        services.add_subject(world.lead, world.case, world.victim, Role.VICTIM, at=AT)
    services.add_subject(world.lead, world.case, world.victim, Role.WITNESS, at=AT)
    gone = Subject.objects.create(
        kind="person", display_name="Old record", created_by=world.lead, merged_into=world.victim
    )
    with pytest.raises(CaseError, match="merged into another"):
        services.add_subject(world.lead, world.case, gone, Role.ASSOCIATE, at=AT)
    with pytest.raises(CaseError):
        services.add_subject(world.lead, world.case, world.victim, "bystander", at=AT)
    assert CaseSubject.objects.filter(case=world.case).count() == 3
    row = CaseSubject.objects.get(case=world.case, subject=world.victim, role=Role.WITNESS)
    services.remove_subject(world.lead, row, at=AT)
    assert AuditEntry.objects.filter(object_type="cases.CaseSubject", action="delete").count() == 1


def test_a_correction_is_a_new_entry_and_the_original_is_kept(world):
    entry = services.add_entry(
        world.lead,
        world.case,
        type="incident",
        text="Door kicked at flat 3",
        event_date=date(2026, 11, 20),
        at=AT,
    )
    correction = services.correct_entry(world.lead, entry, text="Door kicked at flat 5", at=AT)
    original = ChronologyEntry.objects.get(pk=entry.pk)
    assert original.text == "Door kicked at flat 3"  # never edited
    assert original.is_corrected and not correction.is_corrected
    assert correction.corrects == original and correction.event_date == original.event_date
    with pytest.raises(CaseError, match=f"already corrected by entry {correction.pk}"):
        services.correct_entry(world.lead, original, text="Flat 4", at=AT)
    audit = AuditEntry.objects.get(object_type="cases.ChronologyEntry", object_id=correction.pk)
    assert audit.changes["corrects"] == entry.pk


def test_chronology_entries_cannot_be_changed_or_deleted_in_place(world):
    entry = services.add_entry(
        world.lead, world.case, type="note", text="Called the victim", event_date=TODAY, at=AT
    )
    entry.text = "Something else"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    assert ChronologyEntry.objects.get(pk=entry.pk).text == "Called the victim"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "gossip"}, "type"),
        ({"text": "   "}, "text"),
        ({"event_date": TODAY + timedelta(days=1)}, "event_date"),
    ],
)
def test_bad_entries_name_the_field(world, fields, field):
    values = {"type": "note", "text": "Called", "event_date": TODAY, **fields}
    with pytest.raises(CaseError) as caught:
        services.add_entry(world.lead, world.case, at=AT, **values)
    assert caught.value.field == field
    assert not ChronologyEntry.objects.exists()


def test_tasks_have_one_owner_who_can_see_them_and_overdue_is_by_the_given_date(world):
    with pytest.raises(CaseError, match="person or an agency"):
        services.add_task(world.lead, world.case, description="Visit", due_on=TODAY, at=AT)
    with pytest.raises(CaseError, match="can see this case's tasks"):
        services.add_task(
            world.lead,
            world.case,
            description="Visit",
            due_on=TODAY,
            owner_user=world.housing_worker,
            at=AT,
        )
    with pytest.raises(CaseError, match="agency must be one that can see"):
        services.add_task(
            world.lead,
            world.case,
            description="Visit",
            due_on=TODAY,
            owner_agency=world.housing,
            at=AT,
        )
    task = services.add_task(
        world.lead, world.case, description="Visit", due_on=TODAY, owner_user=world.colleague, at=AT
    )
    assert not task.overdue(TODAY) and task.overdue(TODAY + timedelta(days=1))
    assert list(Task.objects.overdue(TODAY + timedelta(days=1))) == [task]
    done = services.update_task(world.colleague, task, version=1, changes={"status": "done"}, at=AT)
    assert done.status == TaskStatus.DONE and done.finished_at == AT
    assert not done.overdue(TODAY + timedelta(days=30))


def test_a_stale_task_change_is_refused_naming_the_other_change(world):
    task = services.add_task(
        world.lead, world.case, description="Visit", due_on=TODAY, owner_agency=world.police, at=AT
    )
    services.update_task(
        world.lead, task, version=1, changes={"due_on": TODAY + timedelta(days=7)}, at=AT
    )
    with pytest.raises(StaleEdit) as caught:
        services.update_task(world.colleague, task, version=1, changes={"status": "done"}, at=AT)
    assert caught.value.others[0].changes == {
        "due_on": {"from": TODAY.isoformat(), "to": (TODAY + timedelta(days=7)).isoformat()}
    }


def test_reassigning_a_task_moves_it_from_agency_to_person(world):
    task = services.add_task(
        world.lead, world.case, description="Visit", due_on=TODAY, owner_agency=world.police, at=AT
    )
    moved = services.update_task(
        world.lead, task, version=1, changes={"owner_user": world.colleague}, at=AT
    )
    assert moved.owner_user == world.colleague and moved.owner_agency is None


def test_with_no_policy_installed_every_case_service_refuses(world, monkeypatch):
    from saferhub.cases import permissions

    monkeypatch.setattr(permissions, "_installed", [])
    with pytest.raises(PermissionDenied):
        services.add_entry(
            world.lead, world.case, type="note", text="Called", event_date=TODAY, at=AT
        )
    assert not permissions.allowed(world.lead, permissions.VIEW, world.case, at=AT)


def test_admins_edit_a_business_areas_fields_and_reasons_without_code(world):
    from saferhub.cases.schema import FieldType

    fields = [
        *world.area.fields,
        {"name": "ward_panel", "label": "Ward panel date", "type": "date"},
    ]
    area = services.save_business_area(
        world.area, values={"fields": fields}, version=1, user=world.admin
    )
    assert area.version == 2 and area.schema[-1].type is FieldType.DATE
    case = services.update_case(
        world.lead,
        world.case,
        version=1,
        changes={"extra": {**world.case.extra, "ward_panel": "2026-11-20"}},
        at=AT,
    )
    assert case.extra["ward_panel"] == "2026-11-20"
    with pytest.raises(CaseError) as caught:
        services.save_business_area(
            area,
            values={"fields": [{"name": "x", "label": "X", "type": "colour"}]},
            version=2,
            user=world.admin,
        )
    assert caught.value.field == "x"
    with pytest.raises(StaleEdit):
        services.save_business_area(
            area, values={"description": "Old"}, version=1, user=world.admin
        )
    with pytest.raises(PermissionDenied):
        services.save_business_area(
            area, values={"description": "Mine"}, version=2, user=world.lead
        )
    new = services.save_business_area(
        BusinessArea(),
        values={"code": "CUCK", "name": "Cuckooing", "closure_reasons": ["Property secured"]},
        version=None,
        user=world.admin,
    )
    assert new.reasons == ("Property secured",)
    with pytest.raises(CaseError, match="code or name exists"):
        services.save_business_area(
            BusinessArea(),
            values={"code": "CUCK", "name": "Cuckooing again", "closure_reasons": ["Done"]},
            version=None,
            user=world.admin,
        )
