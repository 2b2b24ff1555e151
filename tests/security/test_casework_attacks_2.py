# ruff: noqa: F811  (the fixtures imported from tests/casework are test arguments)
"""Attacks on the casework sharing rules added with `sharing/holding.py`: putting an existing
subject on a case, merging, who keeps a record (`casework.access.editable_subject`), the
detail pages (end, remove, correct a name, re-locate a place), the agreement edit page and the
import's choice of records.

As in test_casework_attacks.py: each confirmed weakness is an xfail(strict) test that passes
once it is fixed (and must then lose its mark), with a docstring saying what the attack is;
each attack the site refuses is an ordinary test so it stays refused. The world is
tests/casework's: an ASB case led by the police, the council as the usual grantee, a housing
practitioner with no access."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.cases import permissions as verbs
from saferhub.cases import services as cases
from saferhub.cases.importing import apply, plan
from saferhub.cases.importing.command import policy_sight
from saferhub.cases.models import BusinessArea, CaseSubject
from saferhub.cases.models import Role as CaseRole
from saferhub.casework import access as gate
from saferhub.sharing import holding, policy
from saferhub.sharing import services as sharing
from saferhub.sharing.models import Scope
from saferhub.subjects import merging
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import (
    FlagEntry,
    NameEntry,
    PlaceDetails,
    SpecialCategoryEntry,
)
from saferhub.subjects.models import (
    ContactDetail,
    Flag,
    Identifier,
    PersonAddress,
    PersonName,
    Subject,
)
from saferhub.subjects.vocabulary import FlagType, NameType, PlaceType
from tests.casework.conftest import (  # noqa: F401  (fixtures)
    AT,
    OPENED,
    TODAY,
    _documents_in_tmp,
    _on_a_fixed_day,
    agreement,
    as_user,
    enter,
    give,
    world,
)
from tests.casework.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

REASON = "Safeguarding concern raised tonight by a neighbour (fictional)"
LATER = AT + timedelta(days=60)  # every grant given here has expired by then


def url(name: str, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs=kwargs)


def version(subject: Subject) -> int:
    return Subject.objects.values_list("version", flat=True).get(pk=subject.pk)


def own_case(user, title: str = "Our own case (fictional)"):
    """A case `user`'s agency leads (any practitioner may open one)."""
    return cases.create_case(
        user,
        business_area=BusinessArea.objects.get(code="ASB"),
        title=title,
        opened_on=OPENED,
        extra={"asb_category": "Personal", "incidents_reported": "1"},
        at=AT - timedelta(days=1),
    )


def special(world) -> None:
    subjects.set_special_category(
        world.victim, SpecialCategoryEntry(religion="jewish"), by=world.lead
    )


def flag(world):
    """A flag on the victim, recorded by the lead officer (a detail the pages can end)."""
    entry = FlagEntry(
        FlagType.VIOLENT_TO_STAFF, "Shouted at a visiting officer", TODAY - timedelta(days=90)
    )
    return subjects.add_flag(world.victim, entry, by=world.lead)


def laundered(world, agreement, *, special_category: bool = False):
    """The council, given the police case whole (without special category data unless
    asked), puts the victim on a case of its own while the grant is live."""
    give(world, agreement, Scope.WHOLE, end_days=5, special=special_category)
    mine = own_case(world.council_worker)
    # Refused since the fix: the victim is not the council's to put on its case.
    with pytest.raises(PermissionDenied):
        cases.add_subject(world.council_worker, mine, world.victim, CaseRole.VICTIM, at=AT)
    return mine


# ==============================================================================================
# Weaknesses found by the attack, all fixed: the attach rule is the holding one, the subject
# services ask the edit rule, a party taken off an agreement loses its grants, an imported
# UPRN joins only a place the importer may use
# ==============================================================================================


def test_a_whole_grant_without_special_category_data_does_not_open_it_by_attaching(
    world, agreement, as_user
):
    """FOUND, NOW FIXED (high). A whole-case grant that leaves special category data out
    (`include_special_category=False`) lets the grantee put the subject on a case of its own
    (`holding.attachable`); from then on the grantee is a lead agency of a case the subject is
    on, and `policy._seen_rows_q(special=True)` shows special category data to any lead agency
    of any of the subject's cases. So the grantee reads the religion the lead agency withheld
    at once, and for ever after the grant expires: ADR 11 says special category data only when
    the grant includes it (sharing/policy.py `_seen_rows_q`, sharing/holding.py `attachable`)."""
    special(world)
    spy = world.council_worker
    assert not policy.can(spy, verbs.VIEW_SPECIAL_CATEGORY, world.victim, at=AT)  # as granted
    laundered(world, agreement)
    page = text(as_user(spy).get(url("subject", pk=world.victim.pk)))
    assert "Jewish" not in page
    assert not policy.can(spy, verbs.VIEW_SPECIAL_CATEGORY, world.victim, at=AT)
    assert not policy.can(spy, verbs.VIEW_SPECIAL_CATEGORY, world.victim, at=LATER)


def test_a_grantee_cannot_pass_the_withheld_special_category_data_on_to_a_third_agency(
    world, agreement, frozen_clock
):
    """FOUND, NOW FIXED (high; the same root as the test above, one step further). The council,
    given the police case whole without special category data, attaches the victim to its
    own case and shares that case whole, special category included, with the housing
    association (the council leads it, so `grant_access` lets it). Housing now reads the
    victim's religion, which the police never shared with anyone, and keeps reading it after
    the police's grant to the council has expired: the lead agency's choice not to disclose
    is undone by its grantee (sharing/policy.py `Access.special_category`, `_seen_rows_q`)."""
    special(world)
    mine = laundered(world, agreement)
    sharing.grant_access(
        world.council_worker,
        mine,
        agency=world.housing,
        scope=Scope.WHOLE,
        agreement=agreement,
        purpose="Joint tenancy support for the victim",
        starts_at=AT,
        expires_at=AT + timedelta(days=200),
        include_special_category=True,
        at=AT,
    )
    frozen_clock.move_to(LATER)  # the police's grant to the council has expired
    assert not policy.can(world.housing_worker, verbs.VIEW_SPECIAL_CATEGORY, world.victim)


def test_a_grantee_cannot_take_over_the_lead_agencys_record_by_attaching_then_merging(
    world, agreement, frozen_clock
):
    """FOUND, NOW FIXED (medium). A merge asks that the user's agency holds both records
    (`holding.may_merge`), and the council cannot merge the victim it sees only through the
    grant. But one step first makes it hold it: attach the victim to a council case under the
    whole grant, then (even after the grant expired) merge the police's victim into a council
    record. Every police row moves onto a record the council recorded, and
    `editable_subject` (casework/access.py) then gives that record to its recorder (the
    council leads an open case it is on): the police, who lead the case the person is the
    victim on, can no longer correct their own victim's details."""
    laundered(world, agreement)
    ours = subjects.create_person(
        name=NameEntry(given_names="Ada", family_name="Testperson"), by=world.council_worker
    )
    assert gate.editable_subject(world.lead, world.victim)
    frozen_clock.move_to(LATER)  # the grant that let the council attach has expired
    with contextlib.suppress(PermissionDenied):
        merging.merge(ours, world.victim, by=world.council_worker, reason="Same person")
    victim = CaseSubject.objects.get(case=world.case, role=CaseRole.VICTIM).subject
    assert gate.editable_subject(world.lead, victim)


@pytest.mark.parametrize("change", ["end", "remove", "correct", "relocate"])
def test_the_subject_edit_services_refuse_a_user_who_may_not_change_the_record(world, change):
    """FIXED (medium, defence in depth). ADR 11: "the services ask, not only the pages ...
    the service check is what makes a missed page check harmless", and the holding rules list
    "changing a record" among them. But `subjects.services.end_detail`, `remove_detail`,
    `update_name` and `relocate_place` (the services behind the new detail pages) take any
    `by`: a housing practitioner with no access at all to the police case ends, deletes or
    rewrites the victim's details when any page, command or future API forgets the gate
    (subjects/services.py, no hook like `register_merge_check` for edits)."""
    spy = world.housing_worker
    place = subjects.create_place(
        PlaceDetails(place_type=PlaceType.DWELLING, line_1="4 Alder Court", postcode="EM1 1AA"),
        by=world.lead,
    )
    cases.add_subject(world.lead, world.case, place, CaseRole.LOCATION, at=AT)
    row = flag(world)
    assert not gate.editable_subject(spy, world.victim)
    with pytest.raises(PermissionDenied):
        if change == "end":
            subjects.end_detail(row, TODAY, by=spy, version=version(world.victim))
        elif change == "remove":
            subjects.remove_detail(row, by=spy, reason="Not ours", version=version(world.victim))
        elif change == "correct":
            main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
            subjects.update_name(
                main,
                NameEntry(given_names="Ada", family_name="Rewritten", type=NameType.MAIN),
                by=spy,
                version=version(world.victim),
            )
        else:
            subjects.relocate_place(place, by=spy)


def test_an_agency_taken_off_an_agreement_loses_the_grants_made_under_it(world, agreement):
    """FIXED (medium). The agreement edit page (`agreement-edit`, casework/views/sharing.py
    `edit_agreement`) says "Grants already made under it follow the agreement as changed", and
    `grant_access` refuses a grant to an agency that is not a party. But taking the council
    off the agreement leaves its live whole-case grant working: the council still reads the
    whole case, with no lawful agreement behind it (sharing/services.py `save_agreement` does
    not touch the grants; `policy.live_grants` never looks at the agreement's parties)."""
    give(world, agreement, Scope.WHOLE)
    assert policy.can(world.council_worker, verbs.VIEW, world.case, at=AT)
    sharing.save_agreement(
        agreement,
        values={},
        parties=[world.police, world.housing],
        version=agreement.version,
        user=world.admin,
        at=AT,
    )
    assert not agreement.parties.filter(pk=world.council.pk).exists()
    assert not policy.can(world.council_worker, verbs.VIEW, world.case, at=AT)


def test_an_import_does_not_tie_a_new_person_to_a_place_the_importer_cannot_see(world):
    """FOUND, NOW FIXED (low-medium). The import offers only attachable records for a row's own
    subject (`policy_sight`), but a person's UPRN address is joined to whatever place record
    has that UPRN (cases/importing/plan.py `_homes`, apply.py `_Writer.home`), asking neither
    `visible_subjects` nor `attachable`. A housing practitioner with no access imports one
    line with the UPRN of the place on the police case: the preview confirms such a place is
    recorded (an oracle on UPRNs in casework), and the new person's address row points at the
    police's locked place, so the police's place record gains a resident from a file they
    never saw, and the importer's record shows the place's name."""
    flat = subjects.create_place(
        PlaceDetails(
            place_type=PlaceType.DWELLING,
            line_1="Flat 4, Alder Court",
            postcode="NB1 2AB",
            uprn="100012345600",
        ),
        by=world.lead,
    )
    cases.add_subject(world.lead, world.case, flat, CaseRole.LOCATION, at=AT)
    spy = world.housing_worker
    assert not policy.visible_subjects(spy).filter(pk=flat.pk).exists()
    data = b"Surname,Address,Postcode,UPRN\nCrosby,Flat 4,NB1 2AB,100012345600\n"
    shown = plan.preview(data, "tenants.csv", user=spy, sight=policy_sight(spy), today=TODAY)
    assert shown.ok, [str(p) for p in shown.problems]
    assert shown.rows[0].home != f"existing:{flat.pk}"
    apply.apply(shown, user=spy, at=AT)
    assert not PersonAddress.objects.filter(place=flat).exists()


# ==============================================================================================
# Defences that held (regression tests)
# ==============================================================================================


def test_attaching_a_whole_grant_subject_is_refused_and_audited(world, agreement):
    """The attach a whole grant once allowed is refused at the service, on the record, and
    the lead agency alone keeps (and edits) its record."""
    start = AuditEntry.objects.count()
    mine = laundered(world, agreement)
    assert not CaseSubject.objects.filter(case=mine).exists()
    refused = AuditEntry.objects.filter(id__gt=start, actor=world.council_worker)
    assert refused.filter(changes__refused=verbs.ATTACH_SUBJECT).exists()
    assert gate.editable_subject(world.lead, world.victim)
    assert not gate.editable_subject(world.council_worker, world.victim)


@pytest.mark.parametrize("scope", [Scope.NAMED_SUBJECTS, Scope.CHRONOLOGY_AND_TASKS])
def test_a_narrow_grant_does_not_let_the_service_attach(world, agreement, scope):
    named = [world.victim] if scope == Scope.NAMED_SUBJECTS else []
    give(world, agreement, scope, subjects=named)
    mine = own_case(world.council_worker)
    start = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        cases.add_subject(world.council_worker, mine, world.victim, CaseRole.VICTIM, at=AT)
    assert not CaseSubject.objects.filter(case=mine).exists()
    assert AuditEntry.objects.filter(id__gt=start, actor=world.council_worker).exists()


def test_an_expired_or_revoked_whole_grant_does_not_attach(world, agreement):
    give(world, agreement, Scope.WHOLE, start_days=-20, end_days=0)  # ends at AT
    revoked = give(world, agreement, Scope.WHOLE, agency=world.housing, end_days=30)
    sharing.revoke_grant(world.lead, revoked, reason="Joint visit done", at=AT)
    for spy in (world.council_worker, world.housing_worker):
        mine = own_case(spy)
        assert not holding.attachable(spy, world.victim, at=AT + timedelta(minutes=1))
        with pytest.raises(PermissionDenied):
            cases.add_subject(
                spy, mine, world.victim, CaseRole.VICTIM, at=AT + timedelta(minutes=1)
            )


def test_break_glass_does_not_attach_at_the_service(world):
    spy = world.housing_worker
    sharing.break_glass(spy, world.case, reason=REASON, at=AT - timedelta(minutes=5))
    assert policy.can(spy, verbs.VIEW_SUBJECTS, world.case, at=AT)
    mine = own_case(spy)
    with pytest.raises(PermissionDenied):
        cases.add_subject(spy, mine, world.victim, CaseRole.ASSOCIATE, at=AT)


@pytest.mark.parametrize("who", ["admin", "dpo", "board", "analyst", "coordinator"])
def test_roles_that_read_no_case_neither_attach_nor_merge(world, who):
    user = getattr(world, who)
    assert not holding.attachable(user, world.victim, at=AT)
    assert not holding.may_merge(user, world.victim, world.perpetrator, at=AT)
    with pytest.raises(PermissionDenied):
        merging.merge(world.victim, world.perpetrator, by=user, reason="Same person")


def test_a_record_seen_only_through_a_whole_grant_is_not_merged(world, agreement):
    give(world, agreement, Scope.WHOLE)
    ours = subjects.create_person(
        name=NameEntry(given_names="Ada", family_name="Testperson"), by=world.council_worker
    )
    for keep, absorb in ((ours, world.victim), (world.victim, ours)):
        start = AuditEntry.objects.count()
        with pytest.raises(PermissionDenied):
            merging.merge(keep, absorb, by=world.council_worker, reason="Same person")
        assert AuditEntry.objects.filter(id__gt=start, actor=world.council_worker).exists()
    assert Subject.objects.get(pk=world.victim.pk).merged_into_id is None


def test_only_an_admin_undoes_a_merge_at_the_service(world):
    twin = subjects.create_person(
        name=NameEntry(given_names="Ada", family_name="Testpersen"), by=world.lead
    )
    record = merging.merge(world.victim, twin, by=world.lead, reason="Same person, misspelt")
    for user in (world.lead, world.dpo, world.council_worker):
        with pytest.raises(PermissionDenied):
            merging.unmerge(record, by=user, reason="Not the same person after all")


# --- the detail pages -------------------------------------------------------------------------


def detail_urls(world, row, name_row) -> dict[str, str]:
    pk = world.victim.pk
    return {
        "end": url("subject-detail-end", pk=pk, part="flag", row=row.pk),
        "remove": url("subject-detail-remove", pk=pk, part="flag", row=row.pk),
        "correct": url("subject-name-correct", pk=pk, row=name_row.pk),
    }


@pytest.mark.parametrize("via", ["whole", "named", "break_glass", "expired"])
def test_a_reader_of_the_victim_neither_sees_nor_changes_a_detail_through_the_new_pages(
    world, agreement, as_user, via
):
    """A grantee (whole or named), break glass or an expired grant: 403, audited, and the
    page never shows the detail."""
    row = flag(world)
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    spy = world.council_worker
    if via == "whole":
        give(world, agreement, Scope.WHOLE)
    elif via == "named":
        give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
    elif via == "expired":
        give(world, agreement, Scope.WHOLE, start_days=-20, end_days=-1)
    else:
        spy = world.housing_worker
        sharing.break_glass(spy, world.case, reason=REASON, at=AT - timedelta(minutes=5))
    client = as_user(spy)
    before = version(world.victim)
    for name, page in detail_urls(world, row, main).items():
        start = AuditEntry.objects.count()
        got = client.get(page)
        assert got.status_code == 403, name
        assert "visiting officer" not in got.content.decode()
        posted = {"ended_on": TODAY.isoformat(), "reason": "Not ours", "version": before}
        posted |= {"given_names": "Ada", "family_name": "Rewritten", "type": NameType.MAIN}
        assert client.post(page, posted).status_code == 403, name
        refused = AuditEntry.objects.filter(id__gt=start, changes__refused="subject_edit")
        assert refused.count() == 2, name
    assert version(world.victim) == before
    assert Flag.objects.filter(pk=row.pk, valid_to__isnull=True).exists()


@pytest.mark.parametrize("who", ["admin", "dpo", "board", "analyst"])
def test_non_practitioners_get_no_detail_page(world, as_user, who):
    row = flag(world)
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    client = as_user(getattr(world, who))
    for name, page in detail_urls(world, row, main).items():
        got = client.get(page)
        assert got.status_code in {403, 404} and "visiting officer" not in text(got), name


def test_another_subjects_row_under_my_subject_is_not_found(world, as_user):
    """IDOR: the council's own record in the URL, the police victim's flag and name as the
    row: 404, nothing changed, nothing of the victim shown."""
    spy = world.council_worker
    mine = subjects.create_person(
        name=NameEntry(given_names="Cy", family_name="Councilrecord"), by=spy
    )
    row = flag(world)
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    client = as_user(spy)
    before = version(world.victim)
    pages = [
        url("subject-detail-end", pk=mine.pk, part="flag", row=row.pk),
        url("subject-detail-remove", pk=mine.pk, part="flag", row=row.pk),
        url("subject-detail-remove", pk=mine.pk, part="name", row=main.pk),
        url("subject-name-correct", pk=mine.pk, row=main.pk),
    ]
    posted = {"ended_on": TODAY.isoformat(), "reason": "Not ours", "version": version(mine)}
    posted |= {"given_names": "Ada", "family_name": "Rewritten", "type": NameType.MAIN}
    for page in pages:
        got = client.get(page)
        assert got.status_code == 404 and "Testperson" not in got.content.decode(), page
        assert client.post(page, posted).status_code == 404, page
    assert version(world.victim) == before
    assert Flag.objects.filter(pk=row.pk, valid_to__isnull=True).exists()
    assert PersonName.objects.filter(pk=main.pk, family_name="Testperson").exists()


def test_a_row_of_another_kind_or_an_unknown_kind_is_not_found(world, as_user):
    row = flag(world)
    client = as_user(world.lead)
    pk = world.victim.pk
    models = {"name": PersonName, "address": PersonAddress, "identifier": Identifier}
    models |= {"contact": ContactDetail}
    for part in ("name", "address", "identifier", "contact", "link", "special", "case"):
        model = models.get(part)
        if model is not None and model.objects.filter(pk=row.pk, subject=world.victim).exists():
            continue  # ids are per table: a row of that kind with this id is the victim's own
        page = url("subject-detail-remove", pk=pk, part=part, row=row.pk)
        assert client.get(page).status_code == 404, part
    assert (
        client.get(url("subject-detail-end", pk=pk, part="contact", row=row.pk)).status_code == 404
    )
    assert client.get(url("subject-relocate", pk=pk)).status_code == 404  # a person


def test_a_forged_future_version_is_refused(world, as_user):
    row = flag(world)
    client = as_user(world.lead)
    before = version(world.victim)
    page = url("subject-detail-remove", pk=world.victim.pk, part="flag", row=row.pk)
    for forged in (before + 5, 0, -1, "x"):
        got = client.post(page, {"reason": "Typed on the wrong record", "version": forged})
        assert got.status_code == 200, forged
        assert Flag.objects.filter(pk=row.pk).exists(), forged
    assert version(world.victim) == before


def test_a_next_parameter_does_not_send_a_saved_detail_off_site(world, as_user):
    row = flag(world)
    client = as_user(world.lead)
    page = url("subject-detail-end", pk=world.victim.pk, part="flag", row=row.pk)
    got = client.post(
        page + "?next=https://evil.example/",
        {
            "ended_on": TODAY.isoformat(),
            "version": version(world.victim),
            "next": "//evil.example/",
        },
    )
    assert got.status_code == 302
    assert got["Location"].startswith(url("subject", pk=world.victim.pk))


@pytest.mark.parametrize("page", ["end", "correct", "agreement"])
def test_the_new_pages_refuse_a_post_without_the_csrf_token(world, agreement, page):
    row = flag(world)
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    client = Client(enforce_csrf_checks=True)
    enter(client, world.admin if page == "agreement" else world.lead)
    target = (
        url("agreement-edit", pk=agreement.pk)
        if page == "agreement"
        else detail_urls(world, row, main)[page]
    )
    posted = {"ended_on": TODAY.isoformat(), "version": version(world.victim)}
    posted |= {"given_names": "Ada", "family_name": "Rewritten", "type": NameType.MAIN}
    posted |= {"title": "Changed by a forged form"}
    assert client.post(target, posted).status_code == 403
    assert Flag.objects.filter(pk=row.pk, valid_to__isnull=True).exists()
    assert PersonName.objects.filter(pk=main.pk, family_name="Testperson").exists()
    agreement.refresh_from_db()
    assert agreement.title != "Changed by a forged form"


def test_showing_a_detail_form_is_an_audited_read(world, as_user):
    row = flag(world)
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    client = as_user(world.lead)
    for name, page in detail_urls(world, row, main).items():
        start = AuditEntry.objects.count()
        assert client.get(page).status_code == 200, name
        read = AuditEntry.objects.filter(
            id__gt=start, action="view", object_id=str(world.victim.pk), actor=world.lead
        )
        assert read.exists(), name


@pytest.mark.parametrize("who", ["lead", "council_worker", "board", "analyst"])
def test_only_keepers_of_agreements_open_the_edit_page(world, agreement, as_user, who):
    """Practitioners read agreements but do not change them; a refusal is audited."""
    user = getattr(world, who)
    client = as_user(user)
    start = AuditEntry.objects.count()
    assert client.get(url("agreement-edit", pk=agreement.pk)).status_code == 403
    got = client.post(url("agreement-edit", pk=agreement.pk), {"title": "Hijacked (fictional)"})
    assert got.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title != "Hijacked (fictional)"
    assert AuditEntry.objects.filter(id__gt=start, actor=user).count() >= 2
