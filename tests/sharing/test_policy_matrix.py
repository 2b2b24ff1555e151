"""Who may do what, in every sharing state: one row per state, the exact set of verbs.

Each state is a person and what is on record for them (a grant in each scope, an expired,
not yet started or revoked grant, a grant to someone else's agency, break glass live and
ended, a panel listing through the extension point, and the roles that never read cases).
The case's verbs, the querysets (`visible_cases`, `visible_subjects`, special category) and
the object checks must all agree with the row.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from saferhub.accounts.models import Role
from saferhub.cases import permissions as v
from saferhub.cases import services as cases
from saferhub.cases.models import CaseSubject, Status
from saferhub.sharing import policy
from saferhub.sharing import services as sharing
from saferhub.sharing.models import Scope
from tests.cases import documents as files
from tests.cases.conftest import person

from .conftest import AT, TODAY, give

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

CASE_VERBS = [
    v.VIEW, v.VIEW_SUBJECTS, v.VIEW_CHRONOLOGY, v.VIEW_SENSITIVE, v.VIEW_TASKS,
    v.VIEW_DOCUMENTS, v.DOWNLOAD, v.VIEW_SPECIAL_CATEGORY, v.EDIT, v.CLOSE, v.ADD_SUBJECT,
    v.ADD_ENTRY, v.MANAGE_TASKS, v.UPLOAD, v.GRANT, v.RECORD_CONSENT, v.REQUEST_ACCESS,
    v.BREAK_GLASS,
]  # fmt: skip

READ_ALL = {v.VIEW, v.VIEW_SUBJECTS, v.VIEW_CHRONOLOGY, v.VIEW_SENSITIVE, v.VIEW_TASKS,
            v.VIEW_DOCUMENTS, v.DOWNLOAD}  # fmt: skip
LEAD = READ_ALL | {v.VIEW_SPECIAL_CATEGORY, v.EDIT, v.CLOSE, v.ADD_SUBJECT, v.ADD_ENTRY,
                   v.MANAGE_TASKS, v.UPLOAD, v.GRANT, v.RECORD_CONSENT}  # fmt: skip
WHOLE = READ_ALL | {v.ADD_ENTRY, v.UPLOAD}
CHRONOLOGY = {v.VIEW, v.VIEW_CHRONOLOGY, v.VIEW_TASKS, v.ADD_ENTRY, v.REQUEST_ACCESS,
              v.BREAK_GLASS}  # fmt: skip
NAMED = {v.VIEW, v.VIEW_SUBJECTS, v.REQUEST_ACCESS, v.BREAK_GLASS}
OUTSIDER = {v.REQUEST_ACCESS, v.BREAK_GLASS}
GLASS = READ_ALL | {v.REQUEST_ACCESS}
PANEL = READ_ALL | {v.ADD_ENTRY, v.REQUEST_ACCESS}
NOTHING: set[str] = set()

BOTH, VICTIM, NONE = "both", "victim", "none"

# state: (who, expected verbs, subjects seen, subjects' special category seen)
STATES = {
    "lead officer": ("lead", LEAD, BOTH, BOTH),
    "lead agency colleague": ("colleague", LEAD, BOTH, BOTH),
    "granted whole case": ("council_worker", WHOLE, BOTH, NONE),
    "granted whole case with special category": (
        "council_worker", WHOLE | {v.VIEW_SPECIAL_CATEGORY}, BOTH, BOTH
    ),
    "granted chronology and tasks": ("council_worker", CHRONOLOGY, NONE, NONE),
    "granted named subjects": ("council_worker", NAMED, VICTIM, NONE),
    "granted named subjects with special category": (
        "council_worker", NAMED | {v.VIEW_SPECIAL_CATEGORY}, VICTIM, VICTIM
    ),
    "expired grant": ("council_worker", OUTSIDER, NONE, NONE),
    "grant not started": ("council_worker", OUTSIDER, NONE, NONE),
    "revoked grant": ("council_worker", OUTSIDER, NONE, NONE),
    "grant to another agency": ("council_worker", OUTSIDER, NONE, NONE),
    "locked (other agency, no grant)": ("housing_worker", OUTSIDER, NONE, NONE),
    "break glass live": ("housing_worker", GLASS, BOTH, NONE),
    "break glass ended": ("housing_worker", OUTSIDER, NONE, NONE),
    "panel listing (extension point)": ("housing_worker", PANEL, BOTH, NONE),
    "grantee agency, not a practitioner": ("council_coordinator", NOTHING, NONE, NONE),
    "data protection officer": ("dpo", NOTHING, NONE, NONE),
    "admin of the lead agency": ("admin", NOTHING, NONE, NONE),
    "board member of the lead agency": ("board", NOTHING, NONE, NONE),
    "analyst of the lead agency": ("analyst", NOTHING, NONE, NONE),
    "coordinator of the lead agency": ("coordinator", NOTHING, NONE, NONE),
    "lead agency practitioner, deactivated": ("inactive", NOTHING, NONE, NONE),
}  # fmt: skip


@pytest.fixture
def panel_source(world):
    source = policy.ExtraSource(
        name="panel listing (test)",
        cases=lambda user, at: (
            Q(pk=world.case.pk) if user.agency_id == world.housing.pk else Q(pk__in=[])
        ),
        scope=Scope.WHOLE,
        purpose="listed at the ASB action group",
    )
    policy.register_source(source)
    yield source
    policy.unregister_source(source.name)


def arrange(state: str, world, agreement, request) -> object:
    """Put the case into `state`; the person whose access is being checked."""
    match state:
        case "granted whole case":
            give(world, agreement, Scope.WHOLE)
        case "granted whole case with special category":
            give(world, agreement, Scope.WHOLE, special=True)
        case "granted chronology and tasks":
            give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
        case "granted named subjects":
            give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim])
        case "granted named subjects with special category":
            give(world, agreement, Scope.NAMED_SUBJECTS, subjects=[world.victim], special=True)
        case "expired grant":
            give(world, agreement, Scope.WHOLE, start_days=-40, end_days=-1)
        case "grant not started":
            give(world, agreement, Scope.WHOLE, start_days=2, end_days=30)
        case "revoked grant":
            grant = give(world, agreement, Scope.WHOLE)
            sharing.revoke_grant(
                world.lead, grant, reason="Case moved on", at=AT - timedelta(hours=1)
            )
        case "grant to another agency":
            give(world, agreement, Scope.WHOLE, agency=world.housing)
        case "grantee agency, not a practitioner":
            give(world, agreement, Scope.WHOLE, special=True)
        case "break glass live":
            sharing.break_glass(
                world.housing_worker,
                world.case,
                reason="Tenant threatened with a knife at the door, tonight",
                at=AT - timedelta(hours=1),
            )
        case "break glass ended":
            sharing.break_glass(
                world.housing_worker,
                world.case,
                reason="Tenant threatened with a knife at the door, tonight",
                at=AT - timedelta(hours=5),
            )
        case "panel listing (extension point)":
            request.getfixturevalue("panel_source")
        case "lead agency practitioner, deactivated":
            return person(
                "lee.gone@police.example", world.police, Role.PRACTITIONER, is_active=False
            )
    return getattr(world, STATES[state][0])


def subjects_for(world, which: str) -> set[int]:
    return {BOTH: {world.victim.pk, world.perpetrator.pk}, VICTIM: {world.victim.pk},
            NONE: set()}[which]  # fmt: skip


@pytest.mark.parametrize("state", list(STATES))
def test_each_sharing_state_allows_exactly_its_verbs(state, world, agreement, request):
    document = cases.upload_document(
        world.lead, world.case, SimpleUploadedFile("s.pdf", files.PDF), at=AT
    )
    user = arrange(state, world, agreement, request)
    _, expected, seen, special = STATES[state]
    allowed = {verb for verb in CASE_VERBS if policy.can(user, verb, world.case, at=AT)}
    assert allowed == expected
    assert (world.case in policy.visible_cases(user, at=AT)) == (v.VIEW in expected)
    for part in (v.VIEW_TASKS, v.VIEW_DOCUMENTS, v.VIEW_SUBJECTS):
        listed = world.case in policy.visible_cases(user, at=AT, showing=part)
        assert listed == (part in expected), part
    visible = set(policy.visible_subjects(user, at=AT).values_list("pk", flat=True))
    assert visible == subjects_for(world, seen)
    specials = set(policy.special_category_subjects(user, at=AT).values_list("pk", flat=True))
    assert specials == subjects_for(world, special)
    assert policy.can(user, v.DOWNLOAD, document, at=AT) == (v.DOWNLOAD in expected)
    rows = CaseSubject.objects.filter(case=world.case)
    assert {r.subject_id for r in rows if policy.can(user, v.VIEW, r, at=AT)} == subjects_for(
        world, seen
    )
    for subject in (world.victim, world.perpetrator):
        assert policy.can(user, v.VIEW, subject, at=AT) == (subject.pk in visible)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead", READ_ALL | {v.VIEW_SPECIAL_CATEGORY, v.CLOSE, v.GRANT, v.RECORD_CONSENT}),
        ("council_worker", READ_ALL),
    ],
)
def test_a_closed_case_is_read_only_but_its_sharing_and_consent_can_change(
    who, expected, world, agreement
):
    give(world, agreement, Scope.WHOLE)
    cases.set_status(
        world.lead,
        world.case,
        version=1,
        status=Status.CLOSED,
        reason="Behaviour stopped",
        on=TODAY,
        at=AT,
    )
    case = world.refresh()
    user = getattr(world, who)
    assert {verb for verb in CASE_VERBS if policy.can(user, verb, case, at=AT)} == expected


def test_a_grant_lives_from_its_start_to_its_expiry_and_no_longer(world, agreement):
    grant = give(world, agreement, Scope.WHOLE, start_days=-1, end_days=2)
    user = world.council_worker
    assert not policy.can(user, v.VIEW, world.case, at=grant.starts_at - timedelta(seconds=1))
    assert policy.can(user, v.VIEW, world.case, at=grant.starts_at)
    assert policy.can(user, v.VIEW, world.case, at=grant.expires_at - timedelta(seconds=1))
    assert not policy.can(user, v.VIEW, world.case, at=grant.expires_at)


def test_break_glass_lasts_the_configured_hours(world, settings):
    settings.CASEWORK_BREAK_GLASS_HOURS = 2
    glass = sharing.break_glass(
        world.housing_worker,
        world.case,
        reason="Child reported missing from the address tonight",
        at=AT,
    )
    assert glass.ends_at == AT + timedelta(hours=2)
    user = world.housing_worker
    assert policy.can(user, v.VIEW, world.case, at=AT + timedelta(hours=1, minutes=59))
    assert not policy.can(user, v.VIEW, world.case, at=AT + timedelta(hours=2))


def test_object_rules_entries_tasks_and_corrections(world, agreement):
    give(world, agreement, Scope.CHRONOLOGY_AND_TASKS)
    worker = world.council_worker
    plain = cases.add_entry(
        world.lead, world.case, type="contact", text="Visited", event_date=TODAY, at=AT
    )
    sensitive = cases.add_entry(
        world.lead,
        world.case,
        type="note",
        text="Health detail",
        event_date=TODAY,
        sensitive=True,
        at=AT,
    )
    own = cases.add_entry(
        worker, world.case, type="contact", text="Council visit", event_date=TODAY, at=AT
    )
    assert policy.can(worker, v.VIEW, plain, at=AT)
    assert not policy.can(worker, v.VIEW, sensitive, at=AT)
    assert policy.can(worker, v.CORRECT, own, at=AT)
    assert not policy.can(worker, v.CORRECT, plain, at=AT)  # someone else's entry
    assert policy.can(world.lead, v.CORRECT, own, at=AT)  # the lead agency may correct any
    theirs = cases.add_task(
        world.lead,
        world.case,
        description="Council to visit",
        due_on=TODAY,
        owner_agency=world.council,
        at=AT,
    )
    ours = cases.add_task(
        world.lead,
        world.case,
        description="Police to call",
        due_on=TODAY,
        owner_user=world.colleague,
        at=AT,
    )
    assert policy.can(worker, v.COMPLETE, theirs, at=AT)
    assert not policy.can(worker, v.COMPLETE, ours, at=AT)
    assert not policy.can(worker, v.MANAGE_TASKS, theirs, at=AT)
    done = cases.update_task(worker, theirs, version=1, changes={"status": "done"}, at=AT)
    assert done.status == "done"
    with pytest.raises(PermissionDenied):
        cases.update_task(worker, ours, version=1, changes={"due_on": TODAY}, at=AT)


def test_only_the_dpo_reviews_break_glass_and_never_their_own(world):
    glass = sharing.break_glass(
        world.housing_worker,
        world.case,
        reason="Tenant threatened with a knife at the door, tonight",
        at=AT,
    )
    assert policy.can(world.dpo, v.REVIEW, glass, at=AT)
    for someone in (world.admin, world.lead, world.housing_worker, world.board):
        assert not policy.can(someone, v.REVIEW, glass, at=AT)
    dpo_practitioner = person(
        "mo.dpo@homes.example", world.housing, Role.PRACTITIONER, is_data_protection_officer=True
    )
    own = sharing.break_glass(
        dpo_practitioner,
        world.case,
        reason="Tenant threatened with a knife at the door, tonight",
        at=AT,
    )
    assert not policy.can(dpo_practitioner, v.REVIEW, own, at=AT)
    assert policy.can(world.dpo, v.REVIEW, own, at=AT)


def test_search_is_for_practitioners_and_the_dpo(world):
    assert policy.can(world.lead, v.SEARCH, None, at=AT)
    assert policy.can(world.dpo, v.SEARCH, None, at=AT)
    for someone in (world.admin, world.board, world.analyst, world.coordinator):
        assert not policy.can(someone, v.SEARCH, None, at=AT)


def test_an_unknown_verb_is_an_error_not_a_refusal(world):
    with pytest.raises(ValueError, match="unknown verb"):
        policy.can(world.lead, "veiw", world.case, at=AT)


def test_a_subject_on_no_case_is_its_creating_agencys_and_a_merged_one_follows_its_survivor(
    world,
):
    from saferhub.subjects.models import Subject

    new = Subject.objects.create(
        kind="person", display_name="Cy New", created_by=world.council_worker
    )
    gone = Subject.objects.create(
        kind="person", display_name="Ada T.", created_by=world.lead, merged_into=world.victim
    )
    council = set(policy.visible_subjects(world.council_worker, at=AT).values_list("pk", flat=True))
    police = set(policy.visible_subjects(world.lead, at=AT).values_list("pk", flat=True))
    assert new.pk in council and new.pk not in police
    assert gone.pk in police and gone.pk not in council
