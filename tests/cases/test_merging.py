"""A subject merge moves the absorbed record's case roles to the one kept, and an unmerge
puts exactly those back (through the re-pointer registered with the subjects app)."""

from __future__ import annotations

import pytest

from saferhub.cases import services
from saferhub.cases.models import CaseSubject, Role
from saferhub.subjects.hooks import repointer
from saferhub.subjects.models import Subject

from .conftest import AT

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def roles(case) -> list[tuple[int, str, int]]:
    """(subject, role, merged from or 0) of each row on the case."""
    rows = CaseSubject.objects.filter(case=case).values_list("subject_id", "role", "merged_from_id")
    return sorted((s, r, m or 0) for s, r, m in rows)


def test_cases_and_sharing_register_their_re_pointers():
    assert repointer("cases") is not None and repointer("sharing") is not None


def test_merge_moves_every_role_keeping_a_duplicate_and_unmerge_restores(world):
    double = Subject.objects.create(
        kind="person", display_name="Ada Testpersen", created_by=world.lead
    )
    services.add_subject(world.lead, world.case, double, Role.VICTIM, at=AT)
    services.add_subject(world.lead, world.case, double, Role.WITNESS, at=AT)
    before = roles(world.case)
    hook = repointer("cases")
    moved = hook.repoint(world.victim, double)
    assert roles(world.case) == sorted(
        [
            (world.victim.pk, Role.VICTIM, 0),
            (world.victim.pk, Role.VICTIM, double.pk),  # the same role twice, nothing lost
            (world.victim.pk, Role.WITNESS, double.pk),
            (world.perpetrator.pk, Role.PERPETRATOR, 0),
        ]
    )
    hook.restore(world.victim, double, moved)
    assert roles(world.case) == before


def test_a_role_added_to_the_kept_subject_after_the_merge_stays_on_unmerge(world):
    double = Subject.objects.create(
        kind="person", display_name="B. Examplename", created_by=world.lead
    )
    services.add_subject(world.lead, world.case, double, Role.ASSOCIATE, at=AT)
    hook = repointer("cases")
    moved = hook.repoint(world.perpetrator, double)
    services.add_subject(world.lead, world.case, world.perpetrator, Role.WITNESS, at=AT)
    hook.restore(world.perpetrator, double, moved)
    assert (world.perpetrator.pk, Role.WITNESS, 0) in roles(world.case)
    assert (double.pk, Role.ASSOCIATE, 0) in roles(world.case)
