"""`saferhub audit verify` against a real site: entries committed by real commands are
checkpointed beside the database, so removing the newest entries shows."""

from __future__ import annotations

import sqlite3

from tests.plans.test_commands import fresh_site


def test_verify_names_the_checkpoints_and_catches_removed_entries(tmp_path):
    run, _ = fresh_site(tmp_path)  # `saferhub init`: the first admin, and its audit entry
    assert run("plan", "list").returncode == 0
    checkpoints = tmp_path / "site.sqlite3.audit-checkpoints"
    assert checkpoints.is_file() and checkpoints.read_text().count("\n") >= 1
    intact = run("audit", "verify")
    assert intact.returncode == 0 and "audit log intact" in intact.stdout
    assert "checkpoints" in intact.stdout

    with sqlite3.connect(tmp_path / "site.sqlite3") as db:  # the attacker, around the trigger
        db.execute("DROP TRIGGER audit_no_delete")
        db.execute("DELETE FROM audit_auditentry")
    tampered = run("audit", "verify")
    assert tampered.returncode == 1
    assert "TAMPERED: checkpointed entries 1" in tampered.stderr
