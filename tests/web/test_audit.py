"""The audit chain: append-only, and any edit or deletion is detected."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from saferhub.audit.log import record, verify
from saferhub.audit.models import GENESIS, AppendOnlyError, AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def make_chain(n=4):
    return [record(action="view", object_type="demo.Thing", object_id=str(i)) for i in range(n)]


def without_guard(*statements):
    """Tamper as an attacker with database access would: around the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
            for sql in statements:
                cursor.execute(sql)
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
            for sql in statements:
                cursor.execute(sql)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_change")


def test_an_intact_chain_verifies():
    make_chain()
    result = verify()
    assert result.ok and result.entries == 4


def test_the_model_and_the_database_refuse_changes():
    entry = make_chain(1)[0]
    entry.object_id = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [entry.id])


def test_an_edited_entry_is_detected():
    make_chain()
    without_guard("UPDATE audit_auditentry SET object_id = '99' WHERE id = 2")
    result = verify()
    assert not result.ok
    assert "entry 2: content changed after it was written" in result.problems


def test_a_deleted_entry_is_detected():
    make_chain()
    without_guard("DELETE FROM audit_auditentry WHERE id = 3")
    problems = verify().problems
    assert "entries 3..3 are missing (deleted)" in problems
    assert "entry 4: does not follow the entry before it" in problems


def test_export_is_itself_audited(signed_in):
    client, _ = signed_in("admin")
    response = client.get(reverse("audit:export") + "?action=sign_in")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("id,at,actor") and len(lines) == 2  # the one sign-in
    last = AuditEntry.objects.order_by("-id").first()
    assert last.action == "export" and last.changes["rows"] == 1


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("2026-13-45", "From: Enter a real date"),
        ("yesterday", "From: Enter a real date"),
        ("31/02/2026", "From: Enter a real date"),
    ],
)
def test_bad_date_filters_are_shown_back_with_a_message(signed_in, since, message):
    client, _ = signed_in("admin")
    for name in ("audit:list", "audit:export"):
        response = client.get(reverse(name), {"since": since})
        page = response.content.decode()
        assert response.status_code == 400, name
        assert "There is a problem" in page and message in page
        assert f'value="{since}"' in page  # what was typed is shown back


def test_uk_dates_filter_and_a_reversed_range_is_refused(frozen_clock, signed_in):
    client, _ = signed_in("admin")  # signed in at tests.conftest.NOW, November 2026
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=UTC)):
        record(action="view", object_type="demo.Thing", object_id="old")
    page = client.get(reverse("audit:list"), {"since": "01/12/2025", "until": "31/01/2026"})
    assert page.status_code == 200
    rows = page.content.decode().split('<tr class="govuk-table__row">')[2:]
    assert len(rows) == 1 and "demo.Thing old" in rows[0]
    reversed_range = client.get(
        reverse("audit:list"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert reversed_range.status_code == 400
    assert "The end date must be on or after the start date." in reversed_range.content.decode()


def test_an_export_records_only_the_checked_filters(signed_in):
    client, _ = signed_in("admin")
    response = client.get(
        reverse("audit:export"), {"action": "sign_in", "junk": "x" * 5000, "since": "01/11/2026"}
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.changes["filters"] == {"action": "sign_in", "since": "2026-11-01"}


def test_reading_the_log_is_itself_recorded(signed_in):
    client, admin = signed_in("admin")
    client.get(reverse("audit:list"), {"action": "sign_in", "page": "2"})
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_type, entry.actor) == ("view", "audit.AuditEntry", admin)
    assert entry.changes == {"filters": {"action": "sign_in"}, "page": "2"}


def test_the_csv_export_never_writes_a_formula(signed_in):
    client, _ = signed_in("admin")
    record(action="view", object_type="demo.Thing", object_id="=HYPERLINK(1)")
    export = client.get(reverse("audit:export"))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    (row,) = [r for r in rows if r[5] == "demo.Thing"]
    assert row[6] == "'=HYPERLINK(1)"
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)


# Attacks on the chain by someone who can write the database but does not hold the audit key
# (it is in the environment, never in the database). Checkpoints are written on commit.


@pytest.fixture
def checkpointed(django_capture_on_commit_callbacks):
    """Five entries, each committed and checkpointed as the site does."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_chain(5)


def plain_rehash(rows, *before: str):
    """Run `before`, then re-hash entries with the public, unkeyed algorithm, in order, each
    following the one before it (from the start of the chain, or from the entry before)."""
    first = rows[0].id
    before_first = AuditEntry.objects.filter(id__lt=first).order_by("-id").first()
    previous = before_first.hash if before_first else GENESIS
    updates = []
    for entry in rows:
        entry.previous_hash = previous
        entry.hash = entry.legacy_hash()
        previous = entry.hash
        updates.append(
            f"UPDATE audit_auditentry SET previous_hash = '{entry.previous_hash}', "
            f"hash = '{entry.hash}' WHERE id = {entry.id}"
        )
    without_guard(*before, *updates)


def test_a_checkpointed_chain_verifies(checkpointed, settings):
    result = verify()
    assert result.ok and result.entries == 5 and result.checkpoints == 5
    assert result.notes() == []


def test_removing_the_newest_entries_is_detected(checkpointed):
    without_guard("DELETE FROM audit_auditentry WHERE id >= 4")
    problems = verify().problems
    assert "checkpointed entries 4, 5 are missing: entries were deleted" in problems
    assert any("the log ends at entry 3 but entry 5 was checkpointed" in p for p in problems)


def test_emptying_the_log_is_detected(checkpointed):
    without_guard("DELETE FROM audit_auditentry")
    result = verify()
    assert result.entries == 0 and not result.ok
    assert "checkpointed entries 1, 2, 3, 4, 5 are missing: entries were deleted" in result.problems


def test_deleting_one_and_rehashing_the_rest_with_the_public_algorithm_is_detected(checkpointed):
    survivors = list(AuditEntry.objects.exclude(id=3).order_by("id"))
    # Entry 3 goes, and every survivor is re-hashed so the chain itself is consistent again.
    plain_rehash(survivors, "DELETE FROM audit_auditentry WHERE id = 3")
    problems = verify().problems
    assert "checkpointed entries 3 are missing: entries were deleted" in problems
    assert "entries 1, 2, 4, 5 differ from their checkpoints: rewritten" in problems


def test_a_rewritten_chain_without_checkpoints_still_fails_once_keyed(settings, tmp_path):
    make_chain(3)  # keyed entries; this test's checkpoint file is never written
    survivors = list(AuditEntry.objects.order_by("id"))[1:]
    plain_rehash(survivors)  # the attacker re-hashes entries 2 and 3 only
    result = verify()
    # Without the key, a re-hashed entry after a keyed one can only be an unkeyed forgery.
    assert result.problems == [
        "entry 2: content changed after it was written",
        "entry 3: content changed after it was written",
    ]
    assert result.checkpoints is None and "no checkpoint file" in result.notes()[0]


def test_a_forged_entry_appended_is_detected(checkpointed):
    last = AuditEntry.objects.order_by("-id").first()
    forged = AuditEntry(
        id=last.id + 1,
        at=last.at,
        action="view",
        object_type="demo.Thing",
        object_id="forged",
        previous_hash=last.hash,
    )
    forged.hash = forged.legacy_hash()  # the best an attacker without the key can do
    forged.save(force_insert=True)
    assert "entry 6: content changed after it was written" in verify().problems


def test_a_forged_checkpoint_is_detected(checkpointed, settings):
    with open(settings.AUDIT_CHECKPOINTS, "a") as out:
        out.write('{"id": 9, "hash": "00", "at": "2026-11-24", "sig": "00"}\n')
    assert "checkpoint lines 6: not signed with the audit key" in verify().problems


def test_a_rolled_back_entry_is_never_checkpointed(django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        make_chain(2)
        try:
            with transaction.atomic():
                record(action="view", object_type="demo.Thing", object_id="gone")
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert verify().ok
    assert len(settings.AUDIT_CHECKPOINTS.read_text().splitlines()) == 2


def test_entries_from_before_the_chain_was_keyed_still_verify_and_are_named():
    make_chain(2)
    plain_rehash(list(AuditEntry.objects.order_by("id")))  # as an older release wrote them
    record(action="view", object_type="demo.Thing", object_id="keyed")
    result = verify()
    assert result.ok and result.legacy == 2
    assert "the first 2 entries were hashed before the chain was keyed" in result.notes()[0]
