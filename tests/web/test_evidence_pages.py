"""The evidence page reads the evidence store and records each view and export."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from tests.reports.conftest import load

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def store(tmp_path, monkeypatch):
    load(tmp_path).close()
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "store.duckdb"))


def test_assessment_page_shows_the_engine_figures(signed_in, store):
    client, _ = signed_in("analyst")
    response = client.get(
        reverse("evidence"), {"area": "Alderby", "period": "2018Q1", "compare": "Brookfield"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alderby: 2018Q1" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">49</td>' in html
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_id) == ("view", "E09900001")


def test_unknown_area_is_explained(signed_in, store):
    client, _ = signed_in("board")
    response = client.get(reverse("evidence"), {"area": "Nowhere", "period": "2018Q1"})
    assert b"unknown area" in response.content


def test_report_download_is_an_audited_export(signed_in, store):
    client, _ = signed_in("coordinator")
    response = client.get(
        reverse("evidence-download", args=["pdf"]), {"area": "Alderby", "period": "2018Q1"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "export" and entry.changes["format"] == "pdf"
