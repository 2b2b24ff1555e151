"""The import pages: upload → preview (column map, problems, similar records, choices) →
confirm, as a practitioner does it through the site, with the file held on the server under a
one-time token. Real files (the shipped examples and ones written here), a real database."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse

from saferhub.audit.models import AuditEntry
from saferhub.cases.importing import pending
from saferhub.cases.importing.apply import IMPORT_TYPE
from saferhub.cases.models import Case, CaseSubject, ChronologyEntry
from saferhub.casework import import_urls
from saferhub.casework import urls as casework_urls
from saferhub.subjects.models import Subject
from saferhub.web import urls as site_urls

from .pages import text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "casework"


def _casework_with_import():
    """casework.urls with the import pages mounted (as the one line in casework/urls.py
    does), whether or not that line is there yet."""
    mounted = any(str(p.pattern) == "import/" for p in casework_urls.urlpatterns)
    extra = [] if mounted else [path("import/", include(import_urls))]
    return [*casework_urls.urlpatterns, *extra]


urlpatterns = [
    *(p for p in site_urls.urlpatterns if getattr(p, "namespace", None) != "casework"),
    path("casework/", include((_casework_with_import(), "casework"))),
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db, pytest.mark.relational_db]


def counts() -> dict[str, int]:
    """What an import stores (a preview writes only its own audit entry: the similar-record
    check, which every preview and confirm makes)."""
    return {
        "subjects": Subject.objects.count(),
        "cases": Case.objects.count(),
        "roles": CaseSubject.objects.count(),
        "entries": ChronologyEntry.objects.count(),
        "imports": AuditEntry.objects.filter(object_type=IMPORT_TYPE).count(),
        "audit, other than the checks": AuditEntry.objects.exclude(
            object_type="subjects.search"
        ).count(),
    }


def csv_file(text_: str, name: str = "caseload.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text_.encode(encoding), content_type="text/csv")


ASB = (
    "Case ref,Date opened,Business area,ASB category,Surname,First name,DOB,Role,Postcode\n"
    "ASB/77,02/11/2026,ASB,Personal,Testperson,Ada,04/03/1990,Victim,NB1 2AB\n"
    "ASB/77,,,,Crosby,Quentin,11/12/1980,Perpetrator,NB1 2AB\n"
)


def upload(client, file, **extra):
    return client.post(reverse("casework:import"), {"file": file, **extra})


def confirm(client, response, **choices):
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', response.content.decode())
    assert fingerprint, text(response)[:2000]
    return client.post(
        reverse("casework:import-preview"),
        {"action": "confirm", "fingerprint": fingerprint.group(1), **choices},
    )


@pytest.fixture(autouse=True)
def _held_files_in_tmp(settings, tmp_path):
    settings.CASEWORK_DOCUMENTS = tmp_path / "documents"


def test_upload_preview_confirm_imports_the_file(world, as_user):
    client = as_user(world.lead)
    page = client.get(reverse("casework:import"))
    assert page.status_code == 200
    assert "Import people and cases" in text(page)
    response = upload(client, csv_file(ASB))
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:import-preview")
    shown = client.get(response["Location"])
    body = text(shown)
    assert shown.status_code == 200
    assert "Ready to import" in body
    assert "Case ref" in body and "Case reference" in body  # the map: heading and field
    # Ada Testperson is the world's victim: a strong match, proposed.
    assert "Row 2: Ada Testperson" in body and "Strong match" in body
    assert f'value="existing:{world.victim.pk}" checked' in shown.content.decode()
    before = counts()
    done = confirm(client, shown)
    assert done.status_code == 302 and done["Location"] == reverse("casework:import-done")
    after = counts()
    assert after["cases"] == before["cases"] + 1
    assert after["subjects"] == before["subjects"] + 1  # Quentin only: Ada was used
    case = Case.objects.order_by("-pk").first()
    assert set(case.case_subjects.values_list("subject_id", flat=True)) >= {world.victim.pk}
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry.changes["file"] == "caseload.csv" and entry.changes["rows"] == 2
    assert len(entry.changes["sha256"]) == 64
    result = client.get(reverse("casework:import-done"))
    assert case.reference in text(result) and "ASB/77" in text(result)


def test_a_second_confirm_imports_nothing_more(world, as_user):
    client = as_user(world.lead)
    shown = client.get(upload(client, csv_file(ASB))["Location"])
    confirm(client, shown)
    before = counts()
    again = confirm(client, shown)
    assert again.status_code == 302 and again["Location"] == reverse("casework:import-done")
    assert counts() == before


def test_a_choice_on_the_page_is_carried_out(world, as_user):
    client = as_user(world.lead)
    shown = client.get(upload(client, csv_file(ASB))["Location"])
    before = counts()
    confirm(client, shown, **{"row-2": "new"})
    assert counts()["subjects"] == before["subjects"] + 2  # Ada made again, as asked


def test_a_choice_not_offered_is_refused(world, as_user):
    client = as_user(world.lead)
    shown = client.get(upload(client, csv_file(ASB))["Location"])
    before = counts()
    refused = confirm(client, shown, **{"row-2": f"existing:{world.perpetrator.pk + 999}"})
    assert refused.status_code == 200
    assert "Nothing has been imported" in text(refused) and "row 2" in text(refused)
    assert counts() == before


def test_problems_are_listed_by_row_and_column_and_nothing_can_be_confirmed(world, as_user):
    client = as_user(world.lead)
    bad = ASB.replace("04/03/1990", "31/02/1990").replace("Perpetrator", "Bystander")
    shown = client.get(upload(client, csv_file(bad))["Location"])
    body = text(shown)
    assert "2 problems in caseload.csv" in body
    assert re.search(r"Row 2, column “DOB” ?: “31/02/1990” is not a real date", body)
    assert re.search(r"Row 3, column “Role” ?: Expected a role on the case .*Bystander", body)
    assert 'name="fingerprint"' not in shown.content.decode()


def test_the_map_can_be_changed_on_the_preview(world, as_user):
    client = as_user(world.lead)
    odd = ASB.replace("Surname", "Nom de famille")
    shown = client.get(upload(client, csv_file(odd))["Location"])
    body = text(shown)
    assert "missing required column: Surname" in body and "“Nom de famille”" in body
    html = shown.content.decode()
    column = re.search(r'<label for="(id_col-\d+)">Nom de famille</label>', html).group(1)
    form = {"action": "map", column[3:]: "family_name"}
    for name in re.findall(r'name="(col-\d+)"', html):
        if name != column[3:]:
            chosen = re.search(rf'name="{name}".*?<option value="([^"]*)" selected', html, re.S)
            form[name] = chosen.group(1) if chosen else ""
    changed = client.post(reverse("casework:import-preview"), form)
    assert changed.status_code == 302
    again = client.get(reverse("casework:import-preview"))
    assert "Ready to import" in text(again)
    assert "Chosen" in text(again)


def test_a_file_that_claims_to_be_xlsx_is_refused_on_the_upload_page(world, as_user):
    client = as_user(world.lead)
    before = counts()
    response = upload(client, SimpleUploadedFile("caseload.xlsx", ASB.encode()))
    assert response.status_code == 200
    assert "is not one" in text(response) and "perhaps a CSV" in text(response)
    assert counts() == before


def test_the_shipped_examples_preview_without_problems(world, as_user):
    client = as_user(world.lead)
    for name, extra in (
        ("asb-unit-caseload.xlsx", {}),
        ("iom-cohort.csv", {"role": "perpetrator"}),
    ):
        data = (EXAMPLES / name).read_bytes()
        shown = client.get(upload(client, SimpleUploadedFile(name, data), **extra)["Location"])
        assert "Ready to import" in text(shown), text(shown)[:3000]


@pytest.mark.parametrize("who", ["admin", "analyst", "coordinator", "board"])
def test_only_practitioners_may_import(world, as_user, who):
    client = as_user(getattr(world, who))
    before = AuditEntry.objects.count()
    for name in ("casework:import", "casework:import-preview", "casework:import-done"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, csv_file(ASB)).status_code == 403
    assert AuditEntry.objects.count() > before  # each refusal is on the record


def test_another_users_preview_is_not_theirs(world, as_user, client):
    as_user(world.lead)
    upload(client, csv_file(ASB))
    token = client.session["casework-import"]
    colleague = as_user(world.colleague)
    session = colleague.session
    session["casework-import"] = token
    session.save()
    response = colleague.get(reverse("casework:import-preview"))
    assert response.status_code == 302 and response["Location"] == reverse("casework:import")


def test_an_expired_preview_must_be_uploaded_again(world, as_user, frozen_clock, monkeypatch):
    monkeypatch.setattr(pending, "HOLD_FOR", timedelta(minutes=5))
    client = as_user(world.lead)
    upload(client, csv_file(ASB))
    assert client.get(reverse("casework:import-preview")).status_code == 200
    frozen_clock.shift(6 * 60)
    response = client.get(reverse("casework:import-preview"))
    assert response.status_code == 302 and response["Location"] == reverse("casework:import")
    assert not list(Path(pending.document_storage().location).rglob("*.data"))


def test_a_new_similar_record_since_the_preview_stops_the_confirm(world, as_user):
    from datetime import date

    from saferhub.subjects.entries import NameEntry, PersonDetails
    from saferhub.subjects.services import create_person

    client = as_user(world.lead)
    shown = client.get(upload(client, csv_file(ASB))["Location"])
    create_person(
        name=NameEntry("Quentin", "Crosby"),
        details=PersonDetails(date_of_birth=date(1980, 12, 11)),
        by=world.lead,
    )
    before = counts()
    stopped = confirm(client, shown)
    assert stopped.status_code == 200
    assert "changed since that preview" in text(stopped)
    assert counts()["cases"] == before["cases"]


def test_a_large_file_is_previewed_but_not_imported_by_the_site(world, as_user, monkeypatch):
    from saferhub.casework import import_views

    monkeypatch.setattr(import_views, "SITE_ROWS", 1)
    client = as_user(world.lead)
    shown = client.get(upload(client, csv_file(ASB))["Location"])
    assert "saferhub casework import" in text(shown)
    assert 'id="confirm-import"' not in shown.content.decode()


# --- in Chromium -------------------------------------------------------------------------------


def _browser_ready() -> bool:
    from tests.browser.harness import available

    return available()


@pytest.fixture
def served(db, settings):
    """The site served from a thread sharing the test's database connection (in-memory
    SQLite), so the browser sees the test's data inside its transaction: pytest-django's
    live_server would need a transactional database, whose flush the audit log's
    append-only triggers refuse."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    if not shared:
        pytest.skip("needs the in-memory SQLite test database to share with the server thread")
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = LiveServerThread("localhost", StaticFilesHandler, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


@pytest.mark.skipif(not _browser_ready(), reason="needs /usr/bin/chromium and npm's axe-core")
def test_the_import_pages_in_chromium(world, client, served, tmp_path):
    """Upload the shipped ASB spreadsheet, change one choice, confirm, in Chromium: each page
    passes axe-core, keeps to a 375 px screen and draws nothing the CSP refuses
    (SAFERHUB_SCREENSHOTS=folder keeps each at 1280 and 375 px)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM, FLAGS, Looker, new_page

    from .conftest import enter

    enter(client, world.lead)  # the session (both factors) the browser then carries
    cookie = client.cookies["sessionid"].value
    victim = world.victim.pk
    looker = Looker("import")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = new_page(browser)
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": served}])
        page.goto(f"{served}{reverse('casework:import')}")
        looker.look(page, "upload")
        page.click("#recognised-headings summary")
        page.click("#import-limits summary")
        looker.look(page, "upload, headings shown")
        page.click("#preview-import")  # nothing chosen: the error summary names the field
        looker.look(page, "upload with an error")
        assert "There is a problem" in page.inner_text("main")
        page.set_input_files("#id_file", str(EXAMPLES / "asb-unit-caseload.xlsx"))
        with page.expect_navigation():
            page.click("#preview-import")
        assert page.url.endswith(reverse("casework:import-preview"))
        looker.look(page, "preview")
        assert page.is_checked(f"#row-4-{victim}")  # Ada: the strong match proposed
        page.check("#row-5-new")
        with page.expect_navigation():
            page.click("#confirm-import")
        looker.look(page, "done")
        assert "Import complete" in page.inner_text("main")
        page.goto(f"{served}{reverse('casework:import')}")
        bad = tmp_path / "bad.csv"
        bad.write_text(
            "Case ref,Opened,Business area,Role,Surname,DOB,Postcode\n"
            "B1,02/11/2026,ASB,Victim,Testperson,31/02/1990,NB1 2CZ\n"
            "B1,,,Bystander,Crosby,,\n",
            encoding="utf-8",
        )
        page.set_input_files("#id_file", str(bad))
        with page.expect_navigation():
            page.click("#preview-import")
        looker.look(page, "preview with problems")
        assert "problems in bad.csv" in page.inner_text("main")
        browser.close()
    assert not looker.problems, looker.report()
    assert Case.objects.filter(entries__text__contains="ASB/26/0117").count() == 1
