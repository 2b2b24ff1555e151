"""The casework demo: every sharing state there to be seen by the demo practitioner, and
loading it twice adds nothing."""

from __future__ import annotations

import pytest

from saferhub.accounts.models import Agency, User
from saferhub.cases import permissions as verbs
from saferhub.cases.models import Case
from saferhub.casework import demo
from saferhub.cli import DEMO_AGENCIES, DEMO_USERS
from saferhub.sharing import notices, policy
from saferhub.subjects.duplicates import similar_subjects
from saferhub.subjects.models import MergeRecord, Subject

from .conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def demo_site(db, settings, tmp_path):
    settings.CASEWORK_DOCUMENTS = tmp_path / "documents"
    agencies = [Agency.objects.create(name=name, type=kind) for name, kind in DEMO_AGENCIES]
    for role, index in DEMO_USERS:
        User.objects.create_user(
            f"{role}@demo.saferhub.invalid",
            None,
            full_name=f"Demo {role}",
            agency=agencies[index],
            role=role,
        )
    return demo.load(TODAY)


def test_the_demo_practitioner_sees_every_sharing_state(demo_site):
    me = User.objects.get(email="practitioner@demo.saferhub.invalid")
    c, s = demo_site.cases, demo_site.subjects
    seen = set(policy.visible_cases(me).values_list("pk", flat=True))
    assert {c["asb"].pk, c["marac"].pk, c["iom"].pk, c["hate"].pk, c["closed"].pk} <= seen
    assert c["youth"].pk not in seen and c["exploitation"].pk not in seen  # expired, never
    assert policy.access(me, c["asb"]).lead
    assert policy.access(me, c["iom"]).chronology and not policy.access(me, c["iom"]).whole
    assert policy.can(me, verbs.REQUEST_ACCESS, c["youth"])
    assert policy.locked_view(me, s["alex"]).agencies == ("Demo Borough Council (fictional)",)
    assert policy.locked_view(me, s["taylor"]).business_areas == ("Youth",)
    assert not policy.visible_subjects(me).filter(pk=s["alex"].pk).exists()
    waiting = list(notices.pending_access_requests(me))
    assert [w.case for w in waiting] == [c["asb"]]
    assert notices.overdue_count(me, TODAY) == 1
    assert {t.case for t in notices.my_tasks(me)} >= {c["asb"], c["marac"], c["iom"]}
    assert s["jordon"].pk in {m.subject.pk for m in similar_subjects(s["jordan"])}
    assert MergeRecord.objects.count() == 1


def test_the_dpo_has_a_break_glass_to_review(demo_site):
    dpo = User.objects.create_user(
        "dpo@demo.saferhub.invalid",
        None,
        full_name="DPO",
        agency=Agency.objects.first(),
        role="board",
        is_data_protection_officer=True,
    )
    (glass,) = notices.break_glass_to_review(dpo)
    assert glass.case == demo_site.cases["marac"]


def test_loading_the_demo_twice_adds_nothing(demo_site):
    counts = (Case.objects.count(), Subject.objects.count())
    assert demo.load(TODAY) is None
    assert (Case.objects.count(), Subject.objects.count()) == counts


def test_every_name_in_the_demo_is_marked_or_invented(demo_site):
    places = Subject.objects.filter(kind__in=["place", "group"])
    assert all("(fictional)" in p.display_name for p in places)
    assert all("(fictional)" in case.title for case in Case.objects.all())
