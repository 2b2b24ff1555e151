"""Assessments on cases: drafts are never scored, completing scores against the edition,
reassessment keeps history, and the case's policy decides who writes and reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEntry
from saferhub.cases.errors import CaseError
from saferhub.risk import services
from saferhub.risk.models import Assessment, Edition

from .conftest import AT, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def _dash():
    services.ensure_shipped(at=AT)
    return Edition.objects.get(code="dash", current=True)


def _answers(yes: int) -> dict:
    return {f"q{i}": ("yes" if i <= yes else "no") for i in range(1, 25)}


def test_shipped_editions_load_once(world):
    first = services.ensure_shipped(at=AT)
    again = services.ensure_shipped(at=AT)
    assert {e.code for e in first} >= {"dash", "asb-victim", "asb-perpetrator", "channel-vaf"}
    assert [e.pk for e in first] == [e.pk for e in again]


def test_draft_is_kept_unscored_and_completing_scores_it(world):
    dash = _dash()
    draft = services.save_assessment(
        world.lead, world.case, world.victim, dash, {"q1": "yes"}, complete=False,
        assessed_on=TODAY, at=AT,
    )  # fmt: skip
    assert draft.status == "draft" and draft.score is None and draft.answers == {"q1": "yes"}
    with pytest.raises(CaseError) as refused:
        services.save_assessment(
            world.lead, world.case, world.victim, dash, {"q1": "yes"}, complete=True,
            assessed_on=TODAY, draft=draft, at=AT,
        )  # fmt: skip
    assert refused.value.field == "q2"  # the first unanswered question is named
    assert Assessment.objects.get(pk=draft.pk).status == "draft"
    done = services.save_assessment(
        world.lead, world.case, world.victim, dash, _answers(14), complete=True,
        assessed_on=TODAY, draft=draft, at=AT,
    )  # fmt: skip
    assert (done.pk, done.status, done.score, done.level) == (draft.pk, "complete", 14, "high")


def test_reassessment_points_at_the_one_before_and_shows_the_change(world):
    dash = _dash()
    first = services.save_assessment(
        world.lead, world.case, world.victim, dash, _answers(13), complete=True,
        assessed_on=TODAY - timedelta(days=30), at=AT,
    )  # fmt: skip
    assert first.level == "below_threshold"
    second = services.save_assessment(
        world.lead, world.case, world.victim, dash, _answers(15), complete=True,
        assessed_on=TODAY, at=AT,
    )  # fmt: skip
    assert second.previous_id == first.pk
    change = services.change_from_previous(second)
    assert (change.score_before, change.score_after, len(change.changes)) == (13, 15, 2)


def test_others_may_not_write_or_read_and_a_stranger_subject_is_refused(world):
    dash = _dash()
    with pytest.raises(PermissionDenied):
        services.save_assessment(
            world.housing_worker, world.case, world.victim, dash, {}, complete=False,
            assessed_on=TODAY, at=AT,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.assessments_on(world.housing_worker, world.case, at=AT)
    other = Assessment.objects.count()
    with pytest.raises(CaseError) as bad:
        services.save_assessment(
            world.lead, world.case, world.victim, dash, {"nope": "yes"}, complete=False,
            assessed_on=TODAY, at=AT,
        )  # fmt: skip
    assert bad.value.field == "nope" and Assessment.objects.count() == other


def test_reading_is_recorded(world):
    dash = _dash()
    services.save_assessment(
        world.lead, world.case, world.victim, dash, _answers(2), complete=True,
        assessed_on=TODAY, at=AT,
    )  # fmt: skip
    before = AuditEntry.objects.filter(action="view", object_type="risk.Assessment").count()
    rows = services.assessments_on(world.lead, world.case, at=AT)
    assert len(rows) == 1
    assert AuditEntry.objects.filter(action="view", object_type="risk.Assessment").count() == (
        before + 1
    )


def test_a_local_edition_needs_a_coordinator_and_a_new_version(world):
    dash = _dash()
    with pytest.raises(PermissionDenied):
        services.load_edition(world.lead, dash.text, file="dash.toml", at=AT)
    changed = dash.text.replace("Is the victim very frightened?", "Is the victim frightened?")
    with pytest.raises(CaseError) as same_version:
        services.load_edition(world.coordinator, changed, file="dash.toml", at=AT)
    assert "new version" in str(same_version.value)
    with pytest.raises(CaseError) as broken:
        services.load_edition(world.coordinator, "id = ", file="bad.toml", at=AT)
    assert "bad.toml" in str(broken.value)
    local = services.load_edition(
        world.coordinator, changed.replace('version = "2009"', 'version = "2009-local"'),
        file="dash-local.toml", at=AT,
    )  # fmt: skip
    assert local.current and not Edition.objects.get(pk=dash.pk).current
