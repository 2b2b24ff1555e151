"""Error messages on pages never show the server's folders (issue 12)."""

import pytest
from django.urls import reverse

from saferhub.web.evidence_views import public_message

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


@pytest.fixture
def broken_store(tmp_path, monkeypatch):
    path = tmp_path / "private" / "evidence.duckdb"
    path.parent.mkdir()
    path.write_bytes(b"not a duckdb file at all" * 100)
    monkeypatch.setenv("SAFERHUB_STORE", str(path))
    return path


def test_the_evidence_page_names_no_server_folder(signed_in, broken_store):
    client, _ = signed_in("analyst")
    page = client.get(reverse("evidence"), {"area": "Alderby", "period": "2018"})
    text = page.content.decode()
    assert "evidence.duckdb" in text  # the file is named, so the admin knows which
    assert str(broken_store.parent) not in text and "/private/" not in text


def test_a_download_error_names_no_server_folder(signed_in, broken_store):
    client, _ = signed_in("analyst")
    response = client.get(
        reverse("evidence-download", args=["pdf"]), {"area": "Alderby", "period": "2018"}
    )
    assert response.status_code == 400
    assert str(broken_store.parent) not in response.content.decode()


def test_public_message_keeps_periods_and_drops_folders():
    error = ValueError("/tmp/tmpab12cd/plan.docx: expected a period such as 2018/19")
    assert public_message(error) == "plan.docx: expected a period such as 2018/19"
