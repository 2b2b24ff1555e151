"""Every URL, every role: the expected allow or deny."""

import pytest
from django.urls import get_resolver, reverse

from saferhub.accounts.models import Agency
from tests.web.conftest import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

ALL = set(ROLES)
ADMIN = {"admin"}
# url name -> roles allowed (everyone else gets 403; anonymous users are sent to sign in)
EXPECTED = {
    "home": ALL,
    "evidence": ALL - {"practitioner"},
    "evidence-download": ALL - {"practitioner"},
    "accounts:agencies": ADMIN,
    "accounts:agency-add": ADMIN,
    "accounts:agency-edit": ADMIN,
    "accounts:users": ADMIN,
    "accounts:user-add": ADMIN,
    "accounts:user-edit": ADMIN,
    "audit:list": ADMIN,
    "audit:export": ADMIN,
    # Delivery plans: everyone opens them (a practitioner sees only the actions they lead);
    # the whole-plan pages are for those who read the whole plan.
    "plans:list": ALL,
    "plans:mine": ALL,
    "plans:detail": ALL,
    "plans:action": ALL - {"practitioner"},  # an action the practitioner does not lead
    "plans:health": ALL - {"practitioner"},
    "plans:export": ALL - {"practitioner"},
    "plans:board-report": ALL - {"practitioner"},
    "plans:import": {"admin", "coordinator"},
    "plans:rollover": {"admin", "coordinator"},
    "plans:action-add": {"admin", "coordinator"},
    "plans:action-edit": {"admin", "coordinator"},
    "plans:objective-edit": {"admin", "coordinator"},
    "plans:measure-add": {"admin", "coordinator"},
    "plans:measure-edit": {"admin", "coordinator"},
    # Indicators: everyone reads them; analysts, coordinators and admins define them, refresh
    # them and import youth justice extracts; values are entered by those or by the owner
    # agency's practitioners (the test indicator belongs to another agency).
    "indicators:dashboard": ALL,
    "indicators:detail": ALL,
    "indicators:export": ALL,
    "indicators:export-one": ALL,
    "indicators:new": {"admin", "analyst", "coordinator"},
    "indicators:edit": {"admin", "analyst", "coordinator"},
    "indicators:enter": {"admin", "analyst", "coordinator"},
    "indicators:refresh": {"admin", "analyst", "coordinator"},
    "indicators:youth-justice": {"admin", "analyst", "coordinator"},
    "partnership:settings": ADMIN,
    # Background jobs: everyone may list their own; a job's pages are its owner's alone
    # (tests/jobs, since they need a job).
    "jobs:mine": ALL,
}
# Pages about one job, checked owner by owner in tests/jobs.
ONE_JOB = {"jobs:detail", "jobs:progress", "jobs:download"}
# Pages that must stay open to sign people in, and Django admin (staff only, own checks).
OPEN = {
    "accounts:sign-in",
    "accounts:sign-out",
    "accounts:two-factor",
    "accounts:new-password",  # signed-in users whose password an admin set (test_accounts)
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-done",
}


def named_urls():
    names = set()
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in ("accounts", "audit", "plans", "indicators", "partnership", "jobs"):
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if p.name}
        elif getattr(pattern, "name", None):
            names.add(pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    assert named_urls() - OPEN - ONE_JOB == set(EXPECTED)


def url(name, user):
    from saferhub.plans.models import Action, Strategy

    if name.startswith("plans:"):
        return plan_url(name, Strategy.objects.first(), Action.objects.first())
    if name.startswith("indicators:"):
        return indicator_url(name)
    if name == "accounts:agency-edit":
        return reverse(name, args=[Agency.objects.first().pk])
    if name == "accounts:user-edit":
        return reverse(name, args=[user.pk])
    if name == "evidence-download":
        return reverse(name, args=["html"])
    return reverse(name)


def plan_url(name, strategy, action):
    args = {
        "plans:detail": [strategy.pk],
        "plans:health": [strategy.pk],
        "plans:rollover": [strategy.pk],
        "plans:export": [strategy.pk, "csv"],
        "plans:board-report": [strategy.pk, "html"],
        "plans:action": [action.pk],
        "plans:action-edit": [action.pk],
        "plans:action-add": [action.objective_id],
        "plans:objective-edit": [action.objective_id],
        "plans:measure-add": [action.objective_id],
        "plans:measure-edit": [action.objective.measures.first().pk],
    }
    return reverse(name, args=args.get(name, []))


def indicator_url(name):
    from saferhub.indicators.models import Indicator

    indicator = Indicator.objects.first()
    args = {
        "indicators:detail": [indicator.pk],
        "indicators:edit": [indicator.pk],
        "indicators:enter": [indicator.pk],
        "indicators:export": ["csv"],
        "indicators:export-one": [indicator.pk, "xlsx"],
    }
    return reverse(name, args=args.get(name, []))


@pytest.fixture
def an_indicator(db):
    from saferhub.accounts.models import AgencyType
    from saferhub.indicators.models import Indicator

    owner = Agency.objects.create(name="Owning Council (fictional)", type=AgencyType.COUNCIL)
    return Indicator.objects.create(code="IDVA", name="IDVA cases", definition="d", owner=owner)


@pytest.fixture
def a_plan(db, an_indicator):
    from saferhub.plans.demo import demo_plan
    from saferhub.plans.services import import_plan
    from tests.conftest import NOW

    return import_plan(demo_plan(NOW.date()), source="test")


@pytest.mark.parametrize("role", ROLES)
def test_role_by_url(signed_in, role, a_plan):
    client, user = signed_in(role)
    for name, allowed in EXPECTED.items():
        status = client.get(url(name, user)).status_code
        # Allowed: the page answers (a download without a query answers 400 Bad Request, a
        # POST-only action 405 Method Not Allowed).
        expected = {200, 400, 405} if role in allowed else {403}
        assert status in expected, (role, name, status)


def test_data_protection_officer_reads_the_audit_log(signed_in):
    client, _ = signed_in("practitioner", is_data_protection_officer=True)
    assert client.get(reverse("audit:list")).status_code == 200
    assert client.get(reverse("accounts:users")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, make_user, a_plan):
    user = make_user("admin")
    for name in EXPECTED:
        response = client.get(url(name, user))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
