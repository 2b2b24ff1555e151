"""Cases through the pages: opening one with its business area's own fields, the case page
(overdue tasks stand out, corrected entries stay), stale edits refused with the other
person's change, bad input named field by field, lists paged, home page blocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.cases import services as cases
from saferhub.cases.models import Case, ChronologyEntry, EntryType, Task

from .conftest import AT, OPENED, TODAY
from .pages import named, summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

NEW_CASE = reverse("casework:case-new")


def case_url(world, name="case", **kwargs):
    return reverse(f"casework:{name}", kwargs={"pk": world.case.pk, **kwargs})


def test_opening_a_case_asks_for_the_business_area_then_its_own_fields(world, as_user):
    client = as_user(world.lead)
    first = client.get(NEW_CASE)
    assert "Domestic abuse (MARAC)" in text(first)
    form = client.get(NEW_CASE + "?area=DA")
    page = text(form)
    assert "DASH risk checklist score" in page and "Risk level" in page and "MARAC date" in page
    response = client.post(
        NEW_CASE + "?area=DA",
        {
            "title": "Risk to a fictional victim, Elm Street",
            "opened_on": TODAY.isoformat(),
            "lead_officer": world.lead.pk,
            "extra_risk_level": "High",
            "extra_dash_score": "17",
            "extra_idva_allocated": "yes",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="Risk to a fictional victim, Elm Street")
    assert case.reference.startswith("DA-2026-")
    assert case.extra == {"risk_level": "High", "dash_score": "17", "idva_allocated": True}
    assert case.lead_agency == world.police


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"opened_on": "2026-11-01"}, ["title", "extra_asb_category"]),
        (
            {"title": "x", "opened_on": "2099-01-01", "extra_asb_category": "Personal"},
            ["opened_on"],
        ),
        (
            {
                "title": "x",
                "opened_on": "2026-11-01",
                "extra_asb_category": "Personal",
                "extra_incidents_reported": "lots",
            },
            ["extra_incidents_reported"],
        ),
        (
            {"title": "x", "opened_on": "2026-11-01", "extra_asb_category": "Vague"},
            ["extra_asb_category"],
        ),
        ({"title": "x", "opened_on": "yesterday", "extra_asb_category": "Personal"}, ["opened_on"]),
        (
            {"title": "x" * 201, "opened_on": "2026-11-01", "extra_asb_category": "Personal"},
            ["title"],
        ),
    ],
)
def test_bad_input_for_a_new_case_is_named_and_nothing_is_opened(world, as_user, values, fields):
    client = as_user(world.lead)
    before = Case.objects.count()
    response = client.post(NEW_CASE + "?area=ASB", {"lead_officer": world.lead.pk, **values})
    assert response.status_code == 200 and named(response, *fields), summary(response)
    assert Case.objects.count() == before


def test_a_lead_officer_from_another_agency_cannot_be_chosen(world, as_user):
    response = as_user(world.lead).post(
        NEW_CASE + "?area=ASB",
        {
            "title": "x",
            "opened_on": "2026-11-01",
            "extra_asb_category": "Personal",
            "lead_officer": world.council_worker.pk,
        },
    )
    assert named(response, "lead_officer")


def test_the_case_page_shows_overdue_tasks_and_corrected_entries(world, things, as_user):
    cases.add_task(
        world.lead,
        world.case,
        description="Later task",
        due_on=TODAY + timedelta(7),
        owner_agency=world.police,
        at=AT,
    )
    cases.correct_entry(world.lead, things.entry, text="Shouting at flat 4; no door kicked", at=AT)
    response = as_user(world.lead).get(case_url(world))
    html = response.content.decode()
    page = text(response)
    assert "1 task overdue" in page
    tasks = html.split('id="task-list"')[1].split("</table>")[0]
    assert tasks.count("Overdue") == 1 and "Visit the victim with housing" in tasks
    assert "Corrected" in page and "corrects entry" in page
    assert "a kicked door" in page and "no door kicked" in page
    assert "Correct this entry" in page
    assert "statement.pdf" in page and "Asb category" not in page
    viewed = AuditEntry.objects.filter(object_type="cases.Case", action="view").latest("id")
    assert viewed.changes["purpose"] == "lead agency"


def test_a_grantee_sees_only_what_the_grant_scope_covers(world, agreement, as_user):
    from saferhub.sharing.models import Scope

    from .conftest import give

    cases.add_entry(
        world.lead,
        world.case,
        type=EntryType.NOTE,
        text="Victim's new address: x",
        event_date=TODAY,
        sensitive=True,
        at=AT,
    )
    cases.add_entry(
        world.lead,
        world.case,
        type=EntryType.CONTACT,
        text="Phoned the council",
        event_date=TODAY,
        at=AT,
    )
    give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
    page = text(as_user(world.council_worker).get(case_url(world)))
    assert "Phoned the council" in page
    assert "new address" not in page
    assert "Ada Testperson" not in page and "Documents" not in page
    assert "Shared with your agency: Joint problem-solving on Alder Court" in page


def test_a_stale_edit_of_the_case_is_refused_with_the_other_change_shown(world, as_user):
    client = as_user(world.lead)
    opened = world.case.version
    assert client.get(case_url(world, "case-edit")).status_code == 200
    cases.update_case(
        world.colleague,
        world.case,
        version=opened,
        changes={"title": "Threats at Alder Court"},
        at=AT,
    )
    response = client.post(
        case_url(world, "case-edit"),
        {
            "title": "Noise at Alder Court",
            "lead_officer": world.lead.pk,
            "extra_asb_category": "Personal",
            "version": opened,
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "This case was changed since you opened it" in page
    assert "Cal Colleague (Eastmere Police (fictional)) changed title from" in page
    assert "“Threats at Alder Court”" in page
    assert f'name="version" value="{opened + 1}"' in response.content.decode()
    world.refresh()
    assert world.case.title == "Threats at Alder Court"


def test_a_stale_status_change_and_a_close_without_a_reason_are_refused(world, as_user):
    client = as_user(world.lead)
    url = case_url(world, "case-status")
    no_reason = client.post(
        url, {"status": "closed", "on": TODAY.isoformat(), "version": world.case.version}
    )
    assert named(no_reason, "reason")
    before_open = client.post(
        url,
        {
            "status": "closed",
            "reason": "Behaviour stopped",
            "on": (OPENED - timedelta(1)).isoformat(),
            "version": world.case.version,
        },
    )
    assert named(before_open, "on")
    closed = client.post(
        url,
        {
            "status": "closed",
            "reason": "Behaviour stopped",
            "on": TODAY.isoformat(),
            "version": world.case.version,
        },
    )
    assert closed.status_code == 302
    stale = client.post(url, {"status": "open", "version": 1})
    assert "changed since you opened it" in text(stale)
    assert world.refresh().status == "closed"


def test_chronology_entries_and_corrections(world, things, as_user):
    client = as_user(world.lead)
    for values, fields in [
        ({"type": "note", "event_date": TODAY.isoformat(), "text": ""}, ["text"]),
        ({"type": "note", "event_date": "2099-01-01", "text": "x"}, ["event_date"]),
        ({"type": "gossip", "event_date": TODAY.isoformat(), "text": "x"}, ["type"]),
    ]:
        response = client.post(case_url(world, "entry-add"), values)
        assert named(response, *fields), summary(response)
    before = ChronologyEntry.objects.count()
    added = client.post(
        case_url(world, "entry-add"),
        {
            "type": "contact",
            "event_date": TODAY.isoformat(),
            "text": "Visited with housing",
            "sensitive": "on",
        },
    )
    assert added.status_code == 302 and ChronologyEntry.objects.count() == before + 1
    assert ChronologyEntry.objects.latest("id").sensitive
    url = case_url(world, "entry-correct", part=things.entry.pk)
    assert named(
        client.post(url, {"type": "incident", "event_date": "2099-01-01", "text": "x"}),
        "event_date",
    )
    corrected = client.post(
        url, {"type": "incident", "event_date": things.entry.event_date, "text": "Shouting only"}
    )
    assert corrected.status_code == 302
    correction = ChronologyEntry.objects.get(corrects=things.entry)
    assert correction.text == "Shouting only"
    assert ChronologyEntry.objects.get(pk=things.entry.pk).text.startswith("Shouting and")
    # Only the latest version of an entry is corrected.
    assert client.get(url).status_code == 200
    again = client.post(
        url, {"type": "incident", "event_date": things.entry.event_date, "text": "Again"}
    )
    assert "already corrected" in text(again)


def test_a_grantee_cannot_mark_an_entry_sensitive(world, agreement, as_user):
    from saferhub.sharing.models import Scope

    from .conftest import give

    give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
    client = as_user(world.council_worker)
    page = client.get(case_url(world, "entry-add")).content.decode()
    assert 'name="sensitive"' not in page
    client.post(
        case_url(world, "entry-add"),
        {
            "type": "note",
            "event_date": TODAY.isoformat(),
            "text": "Seen at school",
            "sensitive": "on",
        },
    )
    assert not ChronologyEntry.objects.get(text="Seen at school").sensitive


def test_tasks_added_changed_and_a_stale_change_refused(world, things, as_user):
    client = as_user(world.lead)
    no_owner = client.post(
        case_url(world, "task-add"), {"description": "x", "due_on": TODAY.isoformat(), "owner": ""}
    )
    assert named(no_owner, "owner")
    outsider = client.post(
        case_url(world, "task-add"),
        {
            "description": "x",
            "due_on": TODAY.isoformat(),
            "owner": f"user:{world.housing_worker.pk}",
        },
    )
    assert named(outsider, "owner")
    added = client.post(
        case_url(world, "task-add"),
        {
            "description": "Check CCTV",
            "due_on": TODAY.isoformat(),
            "owner": f"agency:{world.police.pk}",
        },
    )
    assert added.status_code == 302
    task = Task.objects.get(description="Check CCTV")
    url = case_url(world, "task-edit", part=task.pk)
    cases.update_task(
        world.colleague,
        task,
        version=task.version,
        changes={"due_on": TODAY + timedelta(days=3)},
        at=AT,
    )
    stale = client.post(
        url,
        {
            "description": "Check CCTV",
            "due_on": TODAY.isoformat(),
            "owner": f"agency:{world.police.pk}",
            "status": "done",
            "version": task.version,
        },
    )
    assert "Cal Colleague" in text(stale) and "due on" in text(stale)
    task.refresh_from_db()
    assert task.status == "open"


def test_the_owner_of_a_task_on_a_shared_case_can_only_mark_it_done(world, agreement, as_user):
    from saferhub.sharing.models import Scope

    from .conftest import give

    give(world, agreement, Scope.WHOLE)
    task = cases.add_task(
        world.lead,
        world.case,
        description="Council to write to the tenant",
        due_on=TODAY,
        owner_agency=world.council,
        at=AT,
    )
    client = as_user(world.council_worker)
    url = case_url(world, "task-edit", part=task.pk)
    page = client.get(url).content.decode()
    assert 'name="due_on"' not in page and "Mark as done" in page
    assert client.post(url, {"version": task.version}).status_code == 302
    task.refresh_from_db()
    assert task.status == "done"


def test_subjects_are_added_from_a_search_and_removed(world, things, as_user):
    client = as_user(world.lead)
    found = client.get(case_url(world, "case-subject-add") + "?q=Spare")
    assert "Cy Spare" in text(found)
    added = client.post(
        case_url(world, "case-subject-add"), {"subject": things.spare.pk, "role": "witness"}
    )
    assert added.status_code == 302
    assert world.case.case_subjects.filter(subject=things.spare, role="witness").exists()
    twice = client.post(
        case_url(world, "case-subject-add"), {"subject": things.spare.pk, "role": "witness"}
    )
    assert named(twice, "role")
    row = world.case.case_subjects.get(subject=things.spare)
    unconfirmed = client.post(case_url(world, "case-subject-remove", part=row.pk), {})
    assert named(unconfirmed, "confirm")
    removed = client.post(case_url(world, "case-subject-remove", part=row.pk), {"confirm": "on"})
    assert removed.status_code == 302
    assert not world.case.case_subjects.filter(subject=things.spare).exists()


def test_a_subject_the_user_cannot_see_is_not_added(world, as_user):
    from saferhub.subjects import services as subjects
    from saferhub.subjects.entries import NameEntry

    theirs = subjects.create_person(name=NameEntry("Hal", "Hidden"), by=world.housing_worker)
    response = as_user(world.lead).post(
        case_url(world, "case-subject-add"), {"subject": theirs.pk, "role": "witness"}
    )
    assert "that you can see" in text(response)
    assert not world.case.case_subjects.filter(subject=theirs).exists()


def test_consent_needs_the_lawful_basis_when_not_sought(world, things, as_user):
    client = as_user(world.lead)
    url = case_url(world, "consent", part=things.row)
    missing = client.post(url, {"status": "not_sought", "recorded_on": TODAY.isoformat()})
    assert named(missing, "lawful_basis")
    ok = client.post(
        url,
        {"status": "not_sought", "lawful_basis": "public_task", "recorded_on": TODAY.isoformat()},
    )
    assert ok.status_code == 302
    page = text(client.get(case_url(world)))
    assert "Consent not sought (UK GDPR Art 6(1)(e): public task)" in page


def test_case_lists_are_paged_and_recorded(world, as_user):
    for n in range(27):
        cases.create_case(
            world.lead,
            business_area=world.area,
            title=f"Case {n}",
            opened_on=OPENED,
            extra={"asb_category": "Nuisance"},
            at=AT,
        )
    client = as_user(world.lead)
    first = client.get(reverse("casework:cases"))
    assert text(first).count("ASB-2026-") == 25
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("casework:cases") + "?page=2")
    assert text(second).count("ASB-2026-") == 3
    listed = AuditEntry.objects.filter(object_type="cases.Case", changes__listed__isnull=False)
    assert listed.latest("id").changes["count"] == 3
    shared = client.get(reverse("casework:cases") + "?show=shared")
    assert "No case in this list" in text(shared)


def test_the_home_page_shows_my_cases_tasks_and_requests_waiting(world, things, as_user):
    page = text(as_user(world.lead).get(reverse("home")))
    assert "My cases" in page and world.case.reference in page
    assert "Visit the victim with housing" in page and "Overdue" in page
    assert "Fay Worker (Eastmere Homes (fictional))" in page
    page = text(as_user(world.dpo).get(reverse("home")))
    assert "Emergency access to review" in page and "Fay Worker" in page
    assert "My cases" not in page
    page = text(as_user(world.board).get(reverse("home")))
    assert "Casework" not in page
