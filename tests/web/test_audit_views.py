"""The audit log's page and export: entries in words, the agency and object type filters, and
an export that streams every row without building the file in memory."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from saferhub.accounts.models import Agency, AgencyType, User
from saferhub.audit.describe import describe
from saferhub.audit.log import record
from saferhub.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db]

# (action, object_type, object_id, changes) as the record(...) calls across saferhub write
# them, and the sentence each becomes.
SHAPES = [
    (
        ("update", "plans.Action", "12", {"rag": {"from": "Amber", "to": "Red"}}),
        "Action 12: RAG Amber → Red",
    ),
    (
        (
            "update",
            "indicators.Indicator",
            "3",
            {"period": "2026/27 Q2", "value": {"from": "57", "to": "56"}},
        ),
        "Indicator 3: value for 2026/27 Q2 57 → 56",
    ),
    (
        (
            "create",
            "indicators.Indicator",
            "3",
            {"period": "2026/27 Q2", "value": {"from": None, "to": "56"}},
        ),
        "Indicator 3: value for 2026/27 Q2 set to 56",
    ),
    (
        ("create", "accounts.User", "4", {"role": "coordinator"}),
        "User 4 created (role: coordinator)",
    ),
    (
        ("create", "accounts.User", "1", {"role": "admin", "by": "init"}),
        "User 1 created (role: admin), by saferhub init",
    ),
    (
        (
            "create",
            "accounts.User",
            "5",
            {"email": "a@b.example", "role": "analyst", "password": "changed"},
        ),
        "User 5 created (email: a@b.example, role: analyst, password set)",
    ),
    (
        ("update", "accounts.User", "5", {"role": "dpo", "password": "changed"}),
        "User 5: role set to dpo; password changed",
    ),
    (
        (
            "update",
            "accounts.User",
            "5",
            {"password": "changed", "by": "the user, at first sign-in"},
        ),
        "User 5: password changed, by the user, at first sign-in",
    ),
    (
        ("sign_in_failed", "", "", {"email": "x@y.example", "step": "two-factor"}),
        "Sign-in failed at the two-factor step for x@y.example",
    ),
    (
        ("sign_in_failed", "", "", {"email": "x@y.example", "step": "password", "repeats": 4}),
        "Sign-in failed at the password step for x@y.example"
        " (4 more failures since the last entry)",
    ),
    (("sign_in", "", "", {}), "Signed in (password and two-factor code)"),
    (("password_accepted", "", "", {}), "Password accepted; two-factor code next"),
    (("sign_out", "", "", {}), "Signed out"),
    (
        ("password_reset_requested", "", "", {"email": "x@y.example"}),
        "Password reset requested for x@y.example",
    ),
    (("password_reset", "", "", {}), "Password reset with an emailed link"),
    (
        (
            "export",
            "audit.AuditEntry",
            "",
            {"filters": {"action": "view", "since": "2026-01-01", "agency": "2"}, "rows": 120},
        ),
        "Exported the audit log (3 filters, 120 rows)",
    ),
    (
        ("export", "audit.AuditEntry", "", {"filters": {}, "rows": "streamed"}),
        "Exported the audit log (streamed rows)",
    ),
    (
        ("view", "audit.AuditEntry", "", {"filters": {}, "page": "2"}),
        "Viewed the audit log (page 2)",
    ),
    (
        ("view", "audit.AuditEntry", "", {"filters": {"invalid": ["since"]}, "page": "1"}),
        "Viewed the audit log (invalid filters: since, page 1)",
    ),
    (("view", "plans.Action", "12", {}), "Viewed action 12"),
    (("view", "indicators.dashboard", "", {}), "Viewed the indicator dashboard"),
    (("view", "accounts.User", "", {"listed": 7}), "Viewed the list of users (7 shown)"),
    (
        ("view", "plans.Action", "", {"listed": "own actions", "count": 3}),
        "Viewed own actions (3 shown)",
    ),
    (
        ("view", "plans.Strategy", "2", {"actions_shown": 100, "page": 1}),
        "Viewed plan 2 (page 1, 100 actions shown)",
    ),
    (
        ("view", "plans.Strategy", "2", {"health_check": 1}),
        "Viewed the health check of plan 2 (1 finding)",
    ),
    (
        ("view", "evidence.Assessment", "E06000001", {"period": "2025/26"}),
        "Viewed assessment E06000001 for 2025/26",
    ),
    (("export", "plans.Strategy", "2", {"format": "xlsx"}), "Exported plan 2 as xlsx"),
    (
        ("export", "plans.Strategy", "2", {"format": "csv", "by": "cli"}),
        "Exported plan 2 as csv, from the command line",
    ),
    (
        ("export", "indicators.dashboard", "", {"format": "csv"}),
        "Exported the indicator dashboard as csv",
    ),
    (
        ("export", "plans.Strategy", "2", {"board_report": "pdf", "as_at": "2026-11-30"}),
        "Exported the board report of plan 2 as pdf (as at 2026-11-30)",
    ),
    (
        ("export", "evidence.Assessment", "E06000001", {"format": "pdf", "period": "2025/26"}),
        "Exported assessment E06000001 as pdf for 2025/26",
    ),
    (
        (
            "create",
            "plans.Strategy",
            "2",
            {"imported_from": "plan.xlsx", "objectives": 4, "actions": 1},
        ),
        "Plan 2 imported from plan.xlsx (4 objectives, 1 action)",
    ),
    (
        (
            "create",
            "plans.Strategy",
            "3",
            {"rolled_over_from": 2, "continue": 5, "complete": 2, "remove": 1},
        ),
        "Plan 3 created by rolling over plan 2 (5 continue, 2 complete, 1 remove)",
    ),
    (
        ("update", "plans.Strategy", "2", {"status": "closed", "rolled_over_to": 3}),
        "Plan 2 closed: rolled over to plan 3",
    ),
    (
        ("create", "plans.Update", "9", {"plan_action": 12, "rag": "Red", "on": "2026-11-30"}),
        "Action 12: update posted, RAG Red (dated 2026-11-30)",
    ),
    (
        ("create", "plans.Action", "12", {"objective": 3, "tags": ["NEW ACTION"]}),
        "Action 12 added to objective 3 (tags: NEW ACTION)",
    ),
    (
        (
            "update",
            "plans.Action",
            "12",
            {"text": "changed", "tags": "['x']", "leads": {"count": 2, "linked_accounts": [4, 5]}},
        ),
        "Action 12: text changed; tags set to ['x'];"
        " leads changed (2 leads; linked accounts: 4, 5)",
    ),
    (
        ("create", "indicators.Indicator", "3", {"code": "ASB01"}),
        "Indicator 3 created (code: ASB01)",
    ),
    (
        (
            "update",
            "indicators.Indicator",
            "3",
            {"definition": "changed", "owner": {"from": "4", "to": "5"}},
        ),
        "Indicator 3: definition changed; owner 4 → 5",
    ),
    (
        (
            "update",
            "indicators.evidence_refresh",
            "7",
            {"indicators": 3, "values_changed": 10, "problems": 0},
        ),
        "Evidence refresh 7: 3 indicators recomputed, 10 values changed, 0 problems",
    ),
    (
        (
            "create",
            "indicators.YouthJusticeExtract",
            "1",
            {"rows": 40, "sha256": "ab12", "values_changed": 1},
        ),
        "Youth justice extract 1 loaded (40 rows, 1 value changed)",
    ),
]


@pytest.mark.parametrize(("entry", "words"), SHAPES, ids=[w for _, w in SHAPES])
def test_each_shape_of_changes_reads_as_a_sentence(entry, words):
    assert describe(*entry) == words


def test_an_unknown_shape_falls_back_to_field_lines_never_a_dict():
    words = describe(
        "update",
        "demo.Thing",
        "1",
        {"colour": {"from": "red", "to": "blue"}, "nested": {"a": [1, 2], "b": {"c": None}}},
    )
    assert words.splitlines() == [
        "Thing 1: update",
        "colour: red → blue",
        "nested a: 1, 2",
        "nested b c: none",
    ]
    assert "{" not in words and "[" not in words


def test_a_value_that_is_not_a_dict_is_described_too():
    assert describe("view", "", "", ["odd"]) == "View\ndetails: odd"


def _rows(page: str) -> list[str]:
    return page.split('<tr class="govuk-table__row">')[2:]


def test_the_list_shows_words_not_dicts(signed_in):
    client, user = signed_in("admin")
    record(
        action="update",
        actor=user,
        object_type="plans.Action",
        object_id="12",
        changes={"rag": {"from": "Amber", "to": "Red"}},
    )
    record(action="sign_in_failed", changes={"email": "x@y.example", "step": "two-factor"})
    page = client.get(reverse("audit:list")).content.decode()
    assert "Action 12: RAG Amber → Red" in page
    assert "Sign-in failed at the two-factor step for x@y.example" in page
    assert "{&#x27;" not in page and "{'" not in page and "{&quot;" not in page


@pytest.fixture
def two_agencies(signed_in):
    client, admin = signed_in("admin")  # of Northbrook Police, the conftest's agency
    council = Agency.objects.create(name="Northbrook Council", type=AgencyType.COUNCIL)
    other = User.objects.create_user(
        "analyst@council.example", "a long enough password", agency=council, role="analyst"
    )
    record(action="view", actor=other, object_type="demo.Council", object_id="c1")
    record(action="view", actor=admin, object_type="demo.Police", object_id="p1")
    return client, admin.agency, council


def test_the_agency_filter_shows_that_agencys_people_only(two_agencies):
    client, police, council = two_agencies
    page = client.get(reverse("audit:list"), {"agency": str(council.pk)})
    assert page.status_code == 200
    rows = _rows(page.content.decode())
    assert len(rows) == 1 and "demo.Council c1" in rows[0]
    police_rows = _rows(client.get(reverse("audit:list"), {"agency": police.pk}).content.decode())
    assert police_rows and not any("demo.Council" in r for r in police_rows)


@pytest.mark.parametrize("bad", ["999999", "abc", "1; DROP TABLE", "x" * 500])
def test_a_bad_agency_is_shown_back_with_a_message(two_agencies, bad):
    client, *_ = two_agencies
    for name in ("audit:list", "audit:export"):
        page = client.get(reverse(name), {"agency": bad})
        assert page.status_code == 400
        text = page.content.decode()
        assert "Choose an agency from the list." in text and not _rows(text)


def test_the_object_type_filter(two_agencies):
    client, *_ = two_agencies
    page = client.get(reverse("audit:list"), {"object_type": "demo.Police"})
    assert page.status_code == 200
    rows = _rows(page.content.decode())
    assert len(rows) == 1 and "demo.Police p1" in rows[0]
    export = client.get(reverse("audit:export"), {"object_type": "demo.Council"})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [r[5] for r in lines[1:]] == ["demo.Council"]


@pytest.mark.parametrize("bad", ["plans Action", "<script>", "a;b", "1", "x" * 101])
def test_a_bad_object_type_is_shown_back_with_a_message(two_agencies, bad):
    client, *_ = two_agencies
    for name in ("audit:list", "audit:export"):
        page = client.get(reverse(name), {"object_type": bad})
        assert page.status_code == 400
        text = page.content.decode()
        assert "There is a problem" in text and "object type" in text and not _rows(text)


def test_the_export_streams_every_row_of_a_long_log(signed_in):
    client, _ = signed_in("admin")
    before = AuditEntry.objects.count()
    for i in range(5000 - before):
        record(action="view", object_type="demo.Thing", object_id=str(i))
    assert AuditEntry.objects.count() == 5000
    response = client.get(reverse("audit:export"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-2:] == ["description", "hash"]
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == list(range(5000, 0, -1))  # every entry once, newest first, not its own
    export = AuditEntry.objects.latest("id")
    assert export.action == "export" and export.changes == {"filters": {}, "rows": 5000}
    assert rows[1][8] == f"Viewed thing {4999 - before}"


def test_the_export_is_formula_safe_in_every_column(signed_in):
    client, _ = signed_in("admin")
    record(action="view", object_type="demo.Thing", object_id="=HYPERLINK(1)")
    record(action="sign_in_failed", changes={"email": "=cmd|' /C calc'!A0", "step": "password"})
    record(action="update", object_type="+demo", object_id="1", changes={"a": "b"})
    response = client.get(reverse("audit:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    (thing,) = [r for r in rows if r[5] == "demo.Thing"]
    assert thing[6] == "'=HYPERLINK(1)"
    assert any("Sign-in failed at the password step for =cmd" in r[8] for r in rows)
    (plus,) = [r for r in rows if r[5] == "'+demo"]
    assert plus[8] == "'+demo 1: a set to b"


# --- casework entries in words ---------------------------------------------------------------


def test_a_case_read_says_its_purpose_and_what_it_rested_on():
    words = describe(
        "view", "cases.Case", "7", {"purpose": "MARAC safety planning", "grants": [3, 4]}
    )
    assert words == "Viewed case 7 (purpose: MARAC safety planning, grant 3, 4)"
    assert describe("view", "cases.Case", "7", {"purpose": "", "lead_agency": True}) == (
        "Viewed case 7 (lead agency)"
    )
    assert describe("view", "cases.Case", "7", {"purpose": "x", "break_glass": 12}).endswith(
        "break glass 12)"
    )


def test_refused_attempts_locked_views_and_searches_in_words():
    assert describe("view", "cases.Case", "9", {"refused": "view_documents"}) == (
        "Refused: view documents on case 9"
    )
    assert describe("view", "subjects.Subject", "5", {"locked": True, "cases": [9]}) == (
        "Viewed subject 5 (locked view only)"
    )
    search = {"terms": {"name": "x", "date_of_birth": "y"}, "results": 3, "full": 2, "locked": 1}
    assert describe("view", "subjects.search", "", search) == (
        "Searched subjects by name, date of birth: 3 results, 1 locked"
    )


def test_the_audit_entries_read_on_the_home_page_in_words():
    assert describe("view", "audit.AuditEntry", "", {"page": "home", "entries": 10}) == (
        "Viewed the audit log (on the home page, 10 entries shown)"
    )
