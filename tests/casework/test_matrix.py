"""Every casework URL as every kind of user, in every sharing state: 200 for those the policy
lets in, the styled 403 for everyone else, and each refusal on the audit record.

The states are the people of the casework world (tests/cases/conftest.py) and what is on
record for them: the lead agency's practitioners, another agency with a live grant, with only
an expired grant, with none (locked), with live break glass, through a panel listing (the
policy's extension point), and the roles that never read cases.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.casework import urls as casework_urls
from saferhub.sharing import policy
from saferhub.sharing import services as sharing
from saferhub.sharing.models import Grant
from saferhub.subjects.models import PersonName
from saferhub.subjects.vocabulary import NameType
from tests.cases.conftest import person

from .conftest import AT

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

LEAD = {"lead", "colleague"}
PRACTITIONERS = LEAD | {"granted", "expired", "locked", "glass", "panel"}
READERS = LEAD | {"granted", "glass", "panel"}  # see the case
OUTSIDE = {"expired", "locked"}  # other agencies with no live access


def detail(world, *, main: bool) -> dict:
    """The victim and one of her names: the main one, or another (the merged twin's)."""
    names = PersonName.objects.filter(subject=world.victim).order_by("pk")
    chosen = names.filter(type=NameType.MAIN) if main else names.exclude(type=NameType.MAIN)
    return {"pk": world.victim.pk, "row": chosen.first().pk}


# URL name -> (its arguments from the world and its things, the states that open it)
URLS = {
    "index": (lambda w, t: {}, PRACTITIONERS | {"dpo", "admin"}),
    "search": (lambda w, t: {}, PRACTITIONERS | {"dpo"}),
    "subject-new": (lambda w, t: {"kind": "person"}, PRACTITIONERS),
    "subject": (lambda w, t: {"pk": w.victim.pk}, PRACTITIONERS | {"dpo"}),
    "subject-edit": (lambda w, t: {"pk": w.victim.pk}, LEAD),
    "subject-add": (lambda w, t: {"pk": w.victim.pk, "part": "flag"}, LEAD),
    "subject-special-category": (lambda w, t: {"pk": w.victim.pk}, LEAD),
    "subject-merge": (lambda w, t: {"pk": w.victim.pk}, LEAD),
    "subject-detail-end": (lambda w, t: detail(w, main=False) | {"part": "name"}, LEAD),
    "subject-detail-remove": (lambda w, t: detail(w, main=False) | {"part": "name"}, LEAD),
    "subject-name-correct": (lambda w, t: detail(w, main=True), LEAD),
    "subject-relocate": (lambda w, t: {"pk": t.place.pk}, LEAD),
    "merges": (lambda w, t: {}, {"admin"}),
    "unmerge": (lambda w, t: {"pk": t.merge.pk}, {"admin"}),
    "cases": (lambda w, t: {}, PRACTITIONERS),
    "case-new": (lambda w, t: {}, PRACTITIONERS),
    "case": (lambda w, t: {"pk": w.case.pk}, READERS),
    "case-edit": (lambda w, t: {"pk": w.case.pk}, LEAD),
    "case-status": (lambda w, t: {"pk": w.case.pk}, LEAD),
    "case-subject-add": (lambda w, t: {"pk": w.case.pk}, LEAD),
    "case-subject-remove": (lambda w, t: {"pk": w.case.pk, "part": t.row}, LEAD),
    "consent": (lambda w, t: {"pk": w.case.pk, "part": t.row}, LEAD),
    "entry-add": (lambda w, t: {"pk": w.case.pk}, LEAD | {"granted", "panel"}),
    "entry-correct": (lambda w, t: {"pk": w.case.pk, "part": t.entry.pk}, LEAD),
    "task-add": (lambda w, t: {"pk": w.case.pk}, LEAD),
    "task-edit": (lambda w, t: {"pk": w.case.pk, "part": t.task.pk}, LEAD),
    "document-upload": (lambda w, t: {"pk": w.case.pk}, LEAD | {"granted"}),
    "document-download": (
        lambda w, t: {"pk": w.case.pk, "part": t.document.pk},
        LEAD | {"granted", "glass", "panel"},
    ),
    "grant-add": (lambda w, t: {"pk": w.case.pk}, LEAD),
    "grant-revoke": (lambda w, t: {"pk": w.case.pk, "part": t.grant.pk}, LEAD),
    "my-tasks": (lambda w, t: {}, PRACTITIONERS),
    "request-access": (lambda w, t: {"pk": w.case.pk}, OUTSIDE | {"glass", "panel"}),
    "break-glass": (lambda w, t: {"pk": w.case.pk}, OUTSIDE),
    "access-requests": (lambda w, t: {}, PRACTITIONERS),
    "access-request": (lambda w, t: {"pk": t.access_request.pk}, LEAD),
    "reviews": (lambda w, t: {}, {"dpo"}),
    "review": (lambda w, t: {"pk": t.break_glass.pk}, {"dpo"}),
    "agreements": (lambda w, t: {}, PRACTITIONERS | {"admin", "dpo"}),
    "agreement-new": (lambda w, t: {}, {"admin", "dpo"}),
    "agreement-edit": (lambda w, t: {"pk": t.agreement.pk}, {"admin", "dpo"}),
    # The import pages (import_views.py): the upload page, and the preview and done pages,
    # which send a user with no file held back to it.
    "import": (lambda w, t: {}, PRACTITIONERS),
    "import-preview": (lambda w, t: {}, PRACTITIONERS),
    "import-done": (lambda w, t: {}, PRACTITIONERS),
}
REDIRECTS = {"import-preview", "import-done"}

STATES = [
    "lead",
    "colleague",
    "granted",
    "expired",
    "locked",
    "glass",
    "panel",
    "admin",
    "board",
    "analyst",
    "coordinator",
    "dpo",
    "grantee coordinator",
]

# Every page of one case: under cases/<pk>/.
CASE_URLS = [
    p.name
    for p in casework_urls.urlpatterns
    if str(p.pattern).startswith("cases/<int:pk>/") and hasattr(p, "name")
]


def names_in(patterns) -> set[str]:
    out = set()
    for p in patterns:
        out |= names_in(p.url_patterns) if hasattr(p, "url_patterns") else {p.name}
    return out


def test_the_table_names_every_casework_url():
    names = names_in(casework_urls.urlpatterns)
    assert names == set(URLS), f"add to URLS: {names - set(URLS)}; gone: {set(URLS) - names}"


def test_every_case_url_is_in_the_case_table():
    assert len(CASE_URLS) >= 14
    assert all(URLS[name][1] <= READERS for name in CASE_URLS)


@pytest.fixture
def state_user(world, things):
    """The user of a sharing state, with what that state needs put on record."""
    registered = []

    def make(state: str):
        if state == "granted":
            return world.council_worker
        if state == "expired":
            Grant.objects.filter(pk=things.grant.pk).update(
                starts_at=AT - timedelta(days=60), expires_at=AT - timedelta(days=1)
            )
            return world.council_worker
        if state == "glass":
            user = person("gil.glass@homes.example", world.housing, "practitioner")
            sharing.break_glass(
                user,
                world.case,
                reason="Child reported at risk tonight; lead agency unreachable",
                at=AT - timedelta(hours=1),
            )
            return user
        if state == "panel":
            user = person("pam.panel@homes.example", world.housing, "practitioner")
            policy.register_source(
                policy.ExtraSource(
                    name="test panel",
                    cases=lambda u, at: Q(pk=world.case.pk) if u.pk == user.pk else Q(pk=None),
                    purpose="listed at the test panel",
                )
            )
            registered.append("test panel")
            return user
        return {
            "lead": world.lead,
            "colleague": world.colleague,
            "locked": world.housing_worker,
            "admin": world.admin,
            "board": world.board,
            "analyst": world.analyst,
            "coordinator": world.coordinator,
            "dpo": world.dpo,
            "grantee coordinator": world.council_coordinator,
        }[state]

    yield make
    for name in registered:
        policy.unregister_source(name)


@pytest.mark.parametrize("state", STATES)
def test_each_url_opens_for_exactly_the_states_the_policy_allows(
    world, things, state_user, as_user, state
):
    client = as_user(state_user(state))
    wrong = []
    for name, (kwargs, allowed) in URLS.items():
        path = reverse(f"casework:{name}", kwargs=kwargs(world, things))
        response = client.get(path)
        expected = 200 if state in allowed else 403
        if expected == 200 and name in REDIRECTS:
            expected = 302
        if response.status_code != expected:
            wrong.append(f"{name}: {response.status_code}, expected {expected}")
        elif expected == 403:
            assert b"You cannot open this page" in response.content, name
    assert not wrong, f"{state}: {wrong}"


@pytest.mark.parametrize("state", ["expired", "locked", "admin", "board", "dpo"])
def test_every_case_url_is_refused_to_another_agency_and_the_attempt_audited(
    world, things, state_user, as_user, state
):
    client = as_user(user := state_user(state))
    for name in CASE_URLS:
        before = AuditEntry.objects.count()
        path = reverse(f"casework:{name}", kwargs=URLS[name][0](world, things))
        assert client.get(path).status_code == 403, name
        refused = AuditEntry.objects.filter(id__gt=before, actor=user)
        assert [e.changes.get("refused") for e in refused] != [], name
        assert not AuditEntry.objects.filter(
            id__gt=before, action="view", changes__has_key="purpose"
        ).exists(), f"{name}: a refused visit was recorded as a read"


def test_signed_out_visitors_are_sent_to_sign_in(world, things, client):
    for name, (kwargs, _) in URLS.items():
        response = client.get(reverse(f"casework:{name}", kwargs=kwargs(world, things)))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/sign-in/"), name
