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
from saferhub.audit.models import AppendOnlyError, AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def make_chain(n=4):
    return [record(action="view", object_type="demo.Thing", object_id=str(i)) for i in range(n)]


def without_guard(sql):
    """Tamper as an attacker with database access would: around the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
            cursor.execute(sql)
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change")
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
    lines = response.content.decode().splitlines()
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
    rows = list(csv.reader(io.StringIO(client.get(reverse("audit:export")).content.decode())))
    (row,) = [r for r in rows if r[5] == "demo.Thing"]
    assert row[6] == "'=HYPERLINK(1)"
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)
