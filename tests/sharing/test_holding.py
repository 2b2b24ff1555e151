"""The checks the services ask themselves, whoever calls them: a subject goes on a case, or two
records are merged, only when the user's agency holds them (`sharing.holding`); with no check
installed the services refuse. And the one-look `decide` answers exactly as `policy.can`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as verbs
from saferhub.cases import services as cases
from saferhub.cases.importing import apply, plan
from saferhub.cases.importing.apply import ImportFailed
from saferhub.cases.importing.command import policy_sight
from saferhub.cases.models import BusinessArea, Case, CaseSubject, ChronologyEntry, Status
from saferhub.cases.models import Role as CaseRole
from saferhub.sharing import holding, policy
from saferhub.sharing.models import Scope
from saferhub.subjects import hooks
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import NameEntry, PersonDetails
from saferhub.subjects.models import MergeRecord, Subject

from .conftest import AT, TODAY, give

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def council_case(world) -> Case:
    return cases.create_case(
        world.council_worker,
        business_area=BusinessArea.objects.get(code="ASB"),
        title="Council case, Birch Row",
        opened_on=TODAY - timedelta(days=5),
        extra={"asb_category": "Nuisance"},
        at=AT,
    )


def council_person(world) -> Subject:
    return subjects.create_person(
        name=NameEntry("Quentin", "Crosby"),
        details=PersonDetails(date_of_birth=date(1980, 12, 11)),
        by=world.council_worker,
    )


def refusals(what: str) -> int:
    return AuditEntry.objects.filter(changes__refused=what).count()


# --- putting a subject on a case ---------------------------------------------------------------


def test_add_subject_refuses_a_subject_the_user_cannot_see_and_writes_nothing(world):
    theirs = council_case(world)
    rows = CaseSubject.objects.count()
    assert not policy.can(world.council_worker, verbs.VIEW, world.victim, at=AT)
    with pytest.raises(PermissionDenied):
        cases.add_subject(world.council_worker, theirs, world.victim, CaseRole.VICTIM, at=AT)
    assert CaseSubject.objects.count() == rows
    assert not CaseSubject.objects.filter(case=theirs).exists()
    assert refusals(verbs.ATTACH_SUBJECT) == 1


def test_a_subject_seen_through_a_narrow_grant_cannot_be_put_on_ones_own_case(world, agreement):
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    theirs = council_case(world)
    assert policy.can(world.council_worker, verbs.VIEW, world.victim, at=AT)
    with pytest.raises(PermissionDenied):
        cases.add_subject(world.council_worker, theirs, world.victim, CaseRole.VICTIM, at=AT)
    assert not CaseSubject.objects.filter(case=theirs).exists()
    # Their own record goes on: the rule is about holding, not about attaching at all.
    own = council_person(world)
    cases.add_subject(world.council_worker, theirs, own, CaseRole.PERPETRATOR, at=AT)
    assert CaseSubject.objects.filter(case=theirs, subject=own).exists()


def test_even_a_case_shared_whole_does_not_let_the_grantee_take_its_subject(world, agreement):
    """Attaching would make the grantee a lead of a case she is on: her record (special
    category data included) its own for ever, to share onward and rewrite."""
    theirs = council_case(world)
    give(world, agreement, Scope.WHOLE)
    assert policy.can(world.council_worker, verbs.VIEW, world.victim, at=AT)
    assert not holding.attachable(world.council_worker, world.victim, at=AT)
    with pytest.raises(PermissionDenied):
        cases.add_subject(world.council_worker, theirs, world.victim, CaseRole.VICTIM, at=AT)
    assert not CaseSubject.objects.filter(case=theirs).exists()


def test_with_no_attach_check_installed_add_subject_refuses(world, monkeypatch):
    monkeypatch.setattr(verbs, "_attach_checks", [])
    own = subjects.create_person(name=NameEntry("Cleo", "Madeup"), by=world.lead)
    with pytest.raises(PermissionDenied):
        cases.add_subject(world.lead, world.case, own, CaseRole.WITNESS, at=AT)
    assert not CaseSubject.objects.filter(subject=own).exists()


def test_the_page_rule_and_the_service_rule_are_one(world, agreement):
    from saferhub.casework import access as gate

    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    for user, subject, expected in (
        (world.lead, world.victim, True),
        (world.council_worker, world.victim, False),
        (world.housing_worker, world.victim, False),
        (world.admin, world.victim, False),
    ):
        assert gate.attachable(user, subject) is expected
        assert verbs.may_attach(user, subject) is expected


def test_the_quick_answers_match_the_rule_as_written(world, agreement):
    """`attachable` answers most subjects without the full visibility query: each answer is
    the rule as written (seen in full, and recorded by or on a case led by the agency)."""
    theirs = council_case(world)
    on_theirs = council_person(world)
    cases.add_subject(world.council_worker, theirs, on_theirs, CaseRole.PERPETRATOR, at=AT)
    loose = subjects.create_person(name=NameEntry("Dev", "Inventa"), by=world.council_worker)
    # Recorded by the council, on the police case the council sees through its grant (a row
    # no service would now write: the police do not hold the council's record).
    on_police = subjects.create_person(name=NameEntry("Esme", "Fakename"), by=world.council_worker)
    CaseSubject.objects.create(
        case=world.case, subject=on_police, role=CaseRole.WITNESS, added_by=world.lead, added_at=AT
    )
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim, on_police])
    twin = subjects.create_person(name=NameEntry("Finn", "Notreal"), by=world.lead)
    kept = subjects.create_person(name=NameEntry("Finn", "Notreall"), by=world.lead)
    subjects.merge(kept, twin, by=world.lead, reason="Entered twice")
    twin.refresh_from_db()
    everyone = [world.victim, world.perpetrator, on_theirs, loose, on_police, twin, kept]
    users = [world.lead, world.colleague, world.council_worker, world.housing_worker, world.admin]
    for user in users:
        for subject in everyone:
            seen = policy.visible_subjects(user, at=AT).filter(pk=subject.pk).exists()
            held = subject.created_by.agency_id == user.agency_id or (
                CaseSubject.objects.filter(
                    subject=subject, case__lead_agency_id=user.agency_id
                ).exists()
            )
            assert holding.attachable(user, subject, at=AT) == (
                seen and held and policy.is_practitioner(user)
            ), (user, subject)
    assert holding.attachable(world.council_worker, on_police, at=AT)
    assert not holding.attachable(world.council_worker, world.victim, at=AT)


# --- merging ----------------------------------------------------------------------------------


def test_merge_by_a_user_who_cannot_see_both_is_refused(world):
    own = council_person(world)
    before = (Subject.objects.get(pk=world.victim.pk).merged_into_id, MergeRecord.objects.count())
    for keep, absorb in ((own, world.victim), (world.victim, own)):
        with pytest.raises(PermissionDenied):
            subjects.merge(keep, absorb, by=world.council_worker, reason="Looks the same")
    assert (
        Subject.objects.get(pk=world.victim.pk).merged_into_id,
        MergeRecord.objects.count(),
    ) == (before)
    assert not Subject.objects.filter(pk=own.pk, merged_into__isnull=False).exists()
    assert refusals("merge") == 2


def test_merge_of_a_record_seen_only_through_a_grant_is_refused(world, agreement):
    give(world, agreement, Scope.WHOLE)
    own = council_person(world)
    assert policy.can(world.council_worker, verbs.VIEW, world.victim, at=AT)
    with pytest.raises(PermissionDenied):
        subjects.merge(own, world.victim, by=world.council_worker, reason="Same person")
    assert not MergeRecord.objects.exists()


def test_with_no_merge_check_registered_merge_and_unmerge_refuse(world, monkeypatch):
    twin = subjects.create_person(name=NameEntry("Ada", "Testpersen"), by=world.lead)
    record = subjects.merge(world.victim, twin, by=world.lead, reason="Same person")
    monkeypatch.setattr(hooks, "_merge_checks", [])
    with pytest.raises(PermissionDenied):
        subjects.unmerge(record, by=world.admin, reason="Different people")
    other = subjects.create_person(name=NameEntry("Bram", "Examplenam"), by=world.lead)
    with pytest.raises(PermissionDenied):
        subjects.merge(world.perpetrator, other, by=world.lead, reason="Same person")
    assert MergeRecord.objects.get().undone_at is None
    assert Subject.objects.get(pk=other.pk).merged_into_id is None


def test_only_an_active_admin_undoes_a_merge(world):
    twin = subjects.create_person(name=NameEntry("Ada", "Testpersen"), by=world.lead)
    record = subjects.merge(world.victim, twin, by=world.lead, reason="Same person")
    world.admin.is_active = False
    with pytest.raises(PermissionDenied):
        subjects.unmerge(record, by=world.admin)
    world.admin.is_active = True
    subjects.unmerge(record, by=world.admin)
    assert Subject.objects.get(pk=twin.pk).merged_into_id is None


# --- importing --------------------------------------------------------------------------------

HEAD = "Case ref,Opened,Business area,ASB category,Role,Surname,First name,DOB,Postcode\n"


def stored() -> dict[str, int]:
    return {
        "subjects": Subject.objects.count(),
        "cases": Case.objects.count(),
        "roles": CaseSubject.objects.count(),
        "entries": ChronologyEntry.objects.count(),
    }


def test_an_import_offers_only_records_the_importer_may_use(world, agreement):
    give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    user = world.council_worker
    text = HEAD + "C2,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,\n"
    shown = plan.preview(
        text.encode(), "council.csv", user=user, sight=policy_sight(user), today=TODAY
    )
    # The named grant shows her record in full, but it is not the council's to put on a case.
    (offer,) = [o for o in shown.rows[0].offers if o.subject_id == world.victim.pk]
    assert not offer.visible
    assert f"existing:{world.victim.pk}" not in shown.rows[0].choices


def test_an_import_row_naming_a_record_the_importer_does_not_hold_is_a_bad_row(world, agreement):
    give(world, agreement, Scope.WHOLE)
    user = world.council_worker
    text = HEAD + (
        "C1,02/11/2026,ASB,Personal,Witness,Crosby,Quentin,11/12/1980,\n"
        "C2,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,\n"
    )

    def offers_everything(found):  # a preview whose answer no longer holds at confirmation
        return {s.pk for s in found}, {}

    shown = plan.preview(
        text.encode(), "council.csv", user=user, sight=offers_everything, today=TODAY
    )
    assert shown.ok, [str(p) for p in shown.problems]
    choice = f"existing:{world.victim.pk}"
    assert choice in shown.rows[1].choices
    before = stored()
    with pytest.raises(ImportFailed) as failed:
        apply.apply(shown, {3: choice}, user=user, at=AT)
    # The service asks the rule itself: row and column named, nothing stored.
    problem = failed.value.problem
    assert (problem.row, problem.column) == (3, "Surname")
    assert f"record {world.victim.pk}" in problem.message and "not held" in problem.message
    assert stored() == before


def test_an_import_row_naming_a_record_the_importer_cannot_see_is_refused(world):
    user = world.council_worker
    text = HEAD + "C3,02/11/2026,ASB,Personal,Victim,Testperson,Ada,04/03/1990,\n"
    shown = plan.preview(
        text.encode(), "council.csv", user=user, sight=policy_sight(user), today=TODAY
    )
    before = stored()
    with pytest.raises(plan.ChoiceError, match="row 2"):
        apply.apply(shown, {2: f"existing:{world.victim.pk}"}, user=user, at=AT)
    # A preview that showed it (a grant since revoked, a forged choice) is refused by the
    # import itself, naming the row and the column.
    row = shown.rows[0]
    from saferhub.cases.importing.plan import Offer

    row.offers = [
        Offer(world.victim.pk, "person", "Ada Testperson", 90, "strong", (), visible=True)
    ]
    with pytest.raises(ImportFailed) as failed:
        apply.apply(shown, {2: f"existing:{world.victim.pk}"}, user=user, at=AT)
    assert (failed.value.problem.row, failed.value.problem.column) == (2, "Surname")
    assert stored() == before


# --- one look at the access ------------------------------------------------------------------


def test_decide_answers_as_can_for_every_verb_and_user(world, agreement):
    give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
    closed = council_case(world)
    cases.set_status(
        world.council_worker,
        closed,
        version=closed.version,
        status=Status.CLOSED,
        reason=closed.business_area.reasons[0],
        on=TODAY,
        at=AT,
    )
    users = [world.lead, world.council_worker, world.housing_worker, world.admin, world.dpo]
    for case in (world.case, Case.objects.get(pk=closed.pk)):
        for user in users:
            for verb in sorted(verbs.VERBS):
                ok, why = holding.POLICY.decide(user, verb, case, at=AT)
                assert ok == policy.can(user, verb, case, at=AT), (user, verb, case)
                assert why in (None, policy.purpose(user, case, at=AT))
    with pytest.raises(ValueError):
        holding.POLICY.decide(world.lead, "peek", world.case, at=AT)


def test_a_service_call_computes_the_users_access_once(world, monkeypatch):
    calls = []
    real = policy.access

    def counted(user, case, *, at=None):
        calls.append(case.pk)
        return real(user, case, at=at)

    monkeypatch.setattr(policy, "access", counted)
    cases.add_entry(world.lead, world.case, type="note", text="Called", event_date=TODAY, at=AT)
    assert calls == [world.case.pk]
    entry = ChronologyEntry.objects.filter(case=world.case).latest("id")
    assert (
        AuditEntry.objects.filter(object_type="cases.ChronologyEntry", object_id=str(entry.pk))
        .get()
        .changes["purpose"]
    )


def test_with_no_edit_check_registered_the_subject_services_refuse(world, monkeypatch):
    monkeypatch.setattr(hooks, "_edit_checks", [])
    with pytest.raises(PermissionDenied):
        subjects.update_person(
            world.victim,
            details=PersonDetails(date_of_birth=date(1990, 3, 5)),
            version=world.victim.version,
            by=world.lead,
        )
    assert refusals("edit subject") == 1
    assert Subject.objects.get(pk=world.victim.pk).version == world.victim.version
