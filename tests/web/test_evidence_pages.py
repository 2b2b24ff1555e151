"""The evidence page: the partnership's area's latest assessment without typing, any other
area and period through the form, figures written as the reports write them, charts and the
ward map as pictures with their words and data, errors in plain words, every view audited."""

from __future__ import annotations

import base64
import re
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.evidence import Evidence, Store, load_taxonomy
from saferhub.reports.config import default_config
from saferhub.reports.model import build_report
from saferhub.web.evidence_views import AssessmentForm
from tests.conftest import ingest, write_csv
from tests.evidence.fixtures import POPULATION, borough_csv, ward_csv
from tests.partnership.conftest import demo_store, set_partnership
from tests.reports.conftest import load, wards_geojson

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]
CELL = r"<t[hd][^>]*>(.*?)</t[hd]>"
IMAGE = r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"'


@pytest.fixture
def store(tmp_path, monkeypatch):
    load(tmp_path).close()
    path = tmp_path / "store.duckdb"
    monkeypatch.setenv("SAFERHUB_STORE", str(path))
    return path


def engine_report(path, area="Alderby", period="2018Q1", compare=("Brookfield",)) -> dict:
    """The same question straight to the report model the documents are made from."""
    with Store(path, read_only=True) as opened:
        evidence = Evidence(opened, load_taxonomy())
        return build_report(
            evidence,
            area=area,
            period=period,
            compare=list(compare),
            config=default_config(area, evidence.taxonomy),
        )


@pytest.fixture(scope="module")
def demo_evidence(tmp_path_factory):
    return demo_store(tmp_path_factory.mktemp("demo-evidence"))


@pytest.fixture
def demo(demo_evidence, monkeypatch):
    """The synthetic demo area (12 months and more) as the site's evidence."""
    monkeypatch.setenv("SAFERHUB_STORE", str(demo_evidence))
    return demo_evidence


def cells(html: str, table_id: str) -> list[list[str]]:
    """The rows of one table as text, header cell first."""
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    body = table.split("<tbody")[1]
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def images(html: str) -> list[tuple[str, str]]:
    """(alt, decoded SVG) of every picture on the page."""
    return [
        (unescape(alt), base64.b64decode(data).decode())
        for data, alt in re.findall(
            r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', html
        )
    ]


def test_the_partnerships_area_shows_without_typing(signed_in, demo):
    set_partnership(demo, "Northbrook", ["Eastmere", "Westford"], via="cli")
    client, _ = signed_in("board")
    response = client.get(reverse("evidence"))
    html = response.content.decode()
    assert response.status_code == 200
    report = engine_report(demo, "Northbrook", "latest", ("Eastmere", "Westford"))
    a = report["assessment"]
    assert f"Northbrook: {a['period']['title']}" in html
    assert 'id="default-note"' in html
    # The form is filled with the setting, for changing one thing and asking again.
    assert 'value="Northbrook"' in html and 'value="Eastmere, Westford"' in html
    # The key findings are the report's own sentences.
    findings = [unescape(f) for f in re.findall(r'<li data-rule="[^"]+">(.*?)</li>', html)]
    assert findings == [f["text"] for f in report["findings"]] and findings
    assert f"{a['categories'][0]['count']:,}" in html
    assert "Compared with Jan 2022 to Dec 2022, and with Eastmere, Westford and London." in html
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_id, entry.changes) == (
        "view",
        a["area"]["code"],
        {"period": a["period"]["label"]},
    )


def test_figures_are_written_as_the_reports_write_them(signed_in, store):
    client, _ = signed_in("analyst")
    html = client.get(
        reverse("evidence"), {"area": "Alderby", "period": "2018Q1", "compare": "Brookfield"}
    ).content.decode()
    a = engine_report(store)["assessment"]
    total = a["categories"][0]
    assert "Alderby: 2018Q1" in html
    first = cells(html, "categories")[0]
    assert first == [
        total["label"],
        f"{total['count']:,}",
        f"{total['previous']:,}",
        f"{total['change']:+,}",
        f"{total['change_pct']:+.1f}%",
        f"{total['rate']:,.2f}",
        f"{total['london_rank_by_rate']} of {a['ranked_boroughs']}",
    ]
    # A change that cannot be computed is a dash, never "None".
    assert "None" not in re.sub(r"<[^>]+>", "", html)
    comparators = {row[0].split(" (")[0]: row for row in cells(html, "comparators")}
    assert set(comparators) == {"Alderby", "Brookfield", "London"}


def test_charts_and_the_ward_map_are_pictures_with_words_and_data(signed_in, store):
    client, _ = signed_in("analyst")
    response = client.get(
        reverse("evidence"), {"area": "Alderby", "period": "2018Q1", "compare": "Brookfield"}
    )
    html = response.content.decode()
    pictures = images(html)
    assert len(pictures) == 4  # comparators' rates, trend, months, ward map
    for alt, svg in pictures:
        assert alt and svg.lstrip().startswith("<?xml") and "<script" not in svg
    alts = " ".join(alt for alt, _ in pictures)
    assert "Line chart of monthly total recorded crime" in alts
    assert "Bar chart of total recorded crime by month" in alts
    assert "Map of the 2 wards" in alts
    # Each picture has its data behind a "Show the data" disclosure.
    assert html.count("Show the data") == 4
    months = cells(html, "monthly-total-data")
    a = engine_report(store)["assessment"]
    assert [m[:2] for m in months] == [
        [m["month"], f"{m['count']:,}"] for m in a["categories"][0]["monthly"]
    ]
    ward_rows = cells(html, "map-total-data")
    assert {row[0] for row in ward_rows} == {"Alderby North", "Alderby South"}
    # The page's CSP allows data: pictures and no inline style or script.
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert "style=" not in html and "<script" not in html and "<svg" not in html


def test_the_ward_table_lists_every_ward_most_offences_first(signed_in, store):
    client, _ = signed_in("analyst")
    html = client.get(reverse("evidence"), {"area": "Alderby", "period": "2018Q1"}).content.decode()
    a = engine_report(store, compare=())["assessment"]
    wards = sorted(a["wards"], key=lambda w: -w["categories"]["total"]["count"])
    rows = cells(html, "wards")
    assert [r[0] for r in rows] == [w["name"] for w in wards]
    assert rows[0][1] == f"{wards[0]['categories']['total']['count']:,}"
    assert rows[0][5] == f"{wards[0]['categories']['total']['rate']:,.2f}"


def test_a_ward_without_population_says_so_in_words(signed_in, tmp_path, monkeypatch):
    people = [c for c in POPULATION if c != "E05900012"]  # Alderby South has no population
    names = {"E09900001": "Alderby", "E09900002": "Brookfield", "E09900003": "Carrow"}
    names |= {"E12000007": "London", "E05900011": "Alderby North"}
    population = write_csv(
        tmp_path / "population.csv",
        ["area_code", "area_name", "year", "population"],
        [[c, names[c], y, POPULATION[c]] for y in (2017, 2018) for c in people],
    )
    path = tmp_path / "store.duckdb"
    with Store(path) as opened:
        ingest(
            opened, population, borough_csv(tmp_path), ward_csv(tmp_path), wards_geojson(tmp_path)
        )
    monkeypatch.setenv("SAFERHUB_STORE", str(path))
    client, _ = signed_in("analyst")
    html = client.get(reverse("evidence"), {"area": "Alderby", "period": "2018Q1"}).content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert "population None" not in text and "None" not in text
    assert "No 2018 population is loaded for Alderby South, so it has no rate" in text
    rows = {r[0]: r for r in cells(html, "wards")}
    assert rows["Alderby South"][5] == "No population loaded"
    assert rows["Alderby North"][5] != "No population loaded"
    # A ward as the area, without its population: the page says so instead of a rate.
    html = client.get(
        reverse("evidence"), {"area": "Alderby South", "period": "2018Q1"}
    ).content.decode()
    assert "No 2018 population is loaded for Alderby South, so this assessment has no rates" in html
    assert "None" not in re.sub(r"<[^>]+>", "", html)


def test_an_unknown_area_offers_the_closest_names_as_links(signed_in, store):
    client, _ = signed_in("board")
    response = client.get(
        reverse("evidence"), {"area": "Alderbey", "period": "2018Q1", "compare": "Brookfield"}
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "No area called “Alderbey” is in the loaded data." in html
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html.split('id="did-you-mean"')[1])
    assert ("Alderby" in [label for _, label in links]) and len(links) <= 5
    href = next(h for h, label in links if label == "Alderby")
    assert href.startswith(reverse("evidence") + "?")
    # The link keeps the period and comparators, and opens the assessment.
    followed = client.get(href).content.decode()
    assert "Alderby: 2018Q1" in followed and 'value="Brookfield"' in followed
    assert not AuditEntry.objects.filter(action="view", object_id="").exists()


def test_an_unknown_comparator_is_corrected_in_place(signed_in, store):
    client, _ = signed_in("analyst")
    html = unescape(
        client.get(
            reverse("evidence"), {"area": "Alderby", "period": "2018Q1", "compare": "Carow"}
        ).content.decode()
    )
    assert "No area called “Carow” is in the loaded data." in html
    href = re.findall(r'<a href="([^"]+)">Carrow</a>', html)[0]
    assert "area=Alderby" in href and "compare=Carrow" in href


def test_a_name_matching_nothing_close_says_so_without_links(signed_in, store):
    client, _ = signed_in("analyst")
    html = unescape(
        client.get(reverse("evidence"), {"area": "Zzzzqx", "period": "2018Q1"}).content.decode()
    )
    assert "No area called “Zzzzqx” is in the loaded data." in html
    assert 'id="did-you-mean"' not in html


def test_other_errors_are_the_engines_words_without_server_folders(signed_in, store):
    client, _ = signed_in("analyst")
    html = unescape(
        client.get(reverse("evidence"), {"area": "Alderby", "period": "2030"}).content.decode()
    )
    assert "Period 2030" in html and "outside" in html
    assert str(store.parent) not in html


def test_bad_form_input_is_shown_back_with_its_field(signed_in, store):
    client, _ = signed_in("analyst")
    html = client.get(
        reverse("evidence"), {"area": "", "period": "x" * 41, "compare": ""}
    ).content.decode()
    assert "govuk-error-summary" in html and "govuk-form-group--error" in html
    assert not AuditEntry.objects.filter(action="view", object_type="evidence.Assessment").exists()


def test_without_a_setting_an_admin_is_told_to_set_it(signed_in, store):
    client, _ = signed_in("admin")
    html = client.get(reverse("evidence")).content.decode()
    assert "The partnership's area is not set yet" in html
    assert f'href="{reverse("partnership:settings")}"' in html
    assert 'id="assessment-heading"' not in html


def test_without_a_setting_others_are_told_who_sets_it(signed_in, store):
    client, _ = signed_in("analyst")
    html = client.get(reverse("evidence")).content.decode()
    assert "A partnership admin sets it" in html
    assert reverse("partnership:settings") not in html


def test_without_evidence_the_page_says_so(signed_in, tmp_path, monkeypatch):
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "none.duckdb"))
    client, _ = signed_in("analyst")
    html = client.get(reverse("evidence"), {"area": "Alderby", "period": "latest"}).content.decode()
    assert "No evidence is loaded yet" in html


def test_a_setting_whose_area_is_no_longer_loaded_is_explained(signed_in, demo, store, monkeypatch):
    set_partnership(demo, "Northbrook", [], via="cli")
    monkeypatch.setenv("SAFERHUB_STORE", str(store))  # a store without Northbrook
    client, _ = signed_in("admin")
    html = unescape(client.get(reverse("evidence")).content.decode())
    assert "No area called “Northbrook” is in the loaded data." in html
    assert "Change the partnership's area" in html
    assert 'id="assessment-heading"' not in html


def test_the_download_links_ask_for_the_same_question(signed_in, demo):
    set_partnership(demo, "Northbrook", ["Westford"], via="cli")
    client, _ = signed_in("analyst")
    html = unescape(client.get(reverse("evidence")).content.decode())
    link = re.search(r'href="(/evidence/report\.pdf\?[^"]+)"', html).group(1)
    assert "period=latest" in link
    # The report is made from the same question: the download view's form reads it back.
    form = AssessmentForm(QueryDict(link.split("?", 1)[1]))
    assert form.is_valid()
    assert (form.cleaned_data["area"], form.comparators()) == ("E09900001", ["Westford"])


def test_practitioners_cannot_open_the_evidence(signed_in, store):
    client, _ = signed_in("practitioner")
    assert client.get(reverse("evidence")).status_code == 403
