"""A previewed file held for its confirmation: one user, one token, expiring, the file
deleted once imported; kept through the documents' storage, outside the web root."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest

from saferhub.cases.importing import pending

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_hold_is_the_users_own_and_keeps_the_file_private(world, settings):
    held = pending.hold(b"Surname\nTestperson\n", filename="c.csv", user=world.lead)
    assert pending.load(held.token, world.lead).filename == "c.csv"
    assert pending.data(pending.load(held.token, world.lead)) == b"Surname\nTestperson\n"
    assert pending.load(held.token, world.colleague) is None
    assert pending.load("made-up-token", world.lead) is None
    stored = files(Path(settings.CASEWORK_DOCUMENTS))
    assert len(stored) == 2
    for path in stored:
        assert held.token not in path.name  # the name is the token's digest
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_hold_expires(world, frozen_clock, settings):
    held = pending.hold(b"Surname\n", filename="c.csv", user=world.lead)
    frozen_clock.shift((pending.HOLD_FOR + timedelta(minutes=1)).total_seconds())
    assert pending.load(held.token, world.lead) is None
    assert files(Path(settings.CASEWORK_DOCUMENTS)) == []  # and is gone


def test_a_new_hold_drops_the_users_earlier_ones_and_expired_ones(world, frozen_clock):
    first = pending.hold(b"a", filename="a.csv", user=world.lead)
    theirs = pending.hold(b"b", filename="b.csv", user=world.colleague)
    frozen_clock.shift((pending.HOLD_FOR + timedelta(minutes=1)).total_seconds())
    kept = pending.hold(b"c", filename="c.csv", user=world.council_worker)
    second = pending.hold(b"d", filename="d.csv", user=world.lead)
    assert pending.load(first.token, world.lead) is None
    assert pending.load(theirs.token, world.colleague) is None  # expired
    assert pending.load(kept.token, world.council_worker) is not None
    assert pending.load(second.token, world.lead) is not None


def test_once_imported_the_file_is_deleted_and_the_result_kept(world, settings):
    held = pending.hold(b"Surname\n", filename="c.csv", user=world.lead)
    pending.done(held, {"entry_id": 1, "cases": [], "created": {}, "existing": 0, "notes": 0})
    again = pending.load(held.token, world.lead)
    assert again.imported and again.result["entry_id"] == 1
    assert pending.data(again) is None
    assert [p.suffix for p in files(Path(settings.CASEWORK_DOCUMENTS))] == [".json"]
    assert len(held.claim) == 64 and held.claim != held.token
