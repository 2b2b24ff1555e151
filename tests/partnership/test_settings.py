"""The partnership's area: the site's default row and an agency's own, written only with its
audit entry, set on an admin-only
page with closest-name suggestions, shown in the admins' navigation and summarised on the
analyst's home page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.partnership.models import PartnershipSettings
from saferhub.partnership.services import current
from tests.conftest import NOW
from tests.partnership.conftest import set_partnership
from tests.web.conftest import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def test_setting_writes_one_row_and_an_audit_entry_each_time(demo, make_user):
    admin = make_user("admin")
    first = set_partnership(demo, "northbrook", ["Eastmere"], user=admin)
    assert (first.area_name, first.area_code, first.area_type) == (
        "Northbrook",
        "E09900001",
        "borough",
    )
    assert first.comparators == ["Eastmere"] and first.changed_by == admin
    assert abs((first.changed_at - NOW).total_seconds()) < 60
    created = AuditEntry.objects.order_by("-id").first()
    assert (created.action, created.object_type, created.actor) == (
        "create",
        "partnership.PartnershipSettings",
        admin,
    )
    assert created.changes == {
        "area": {"from": None, "to": "Northbrook (E09900001)"},
        "comparators": {"from": [], "to": ["Eastmere"]},
    }
    set_partnership(demo, "Northbrook", ["Eastmere", "Westford"], via="cli")
    assert PartnershipSettings.objects.count() == 1
    updated = AuditEntry.objects.order_by("-id").first()
    assert updated.action == "update" and updated.actor is None
    # Only what changed, and who changed it when it was not a person on the site.
    assert updated.changes == {
        "comparators": {"from": ["Eastmere"], "to": ["Eastmere", "Westford"]},
        "by": "cli",
    }
    assert current().changed_by_label == "The command line (saferhub site)"
    # The same again changes nothing and writes nothing.
    entries = AuditEntry.objects.count()
    again = set_partnership(demo, "E09900001", ["eastmere", "WESTFORD"], user=admin)
    assert again.changed_by is None and AuditEntry.objects.count() == entries


def test_the_database_holds_one_default_and_one_row_per_agency(demo, make_user):
    set_partnership(demo, "Northbrook", [], via="cli")
    for extra in ({}, {"agency": None}):  # a second default, however it is made
        with pytest.raises(IntegrityError), transaction.atomic():
            PartnershipSettings.objects.create(
                id=2,
                area_name="Eastmere",
                area_type="borough",
                changed_via="cli",
                changed_at=NOW,
                **extra,
            )
    agency = make_user("analyst").agency
    set_partnership(demo, "Eastmere", [], via="cli", agency=agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipSettings.objects.create(
            id=9,
            agency=agency,
            area_name="Westford",
            area_type="borough",
            changed_via="cli",
            changed_at=NOW,
        )


def test_an_agency_of_another_partnership_opens_on_its_own_area(demo, make_user, client):
    """A deployment serving several partnerships: an agency's own row is its people's area;
    everyone else keeps the site's default."""
    from tests.web.conftest import sign_in

    set_partnership(demo, "Northbrook", ["Eastmere"], via="cli")
    from saferhub.accounts.models import Agency, AgencyType

    ours = make_user("analyst")
    other = Agency.objects.create(name="Westford Council (fictional)", type=AgencyType.COUNCIL)
    theirs = make_user("analyst", email="analyst@westford.example")
    theirs.agency = other
    theirs.save(update_fields=["agency"])
    own = set_partnership(
        demo, "Westford", ["Southvale"], user=None, via="cli", agency=theirs.agency
    )
    assert own.pk != 1 and own.agency == theirs.agency
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.changes["agency"] == theirs.agency.name
    assert current(theirs).area_name == "Westford"
    assert current(ours).area_name == current().area_name == "Northbrook"
    sign_in(client, theirs)
    page = client.get(reverse("evidence")).content.decode()
    assert "Westford" in page and 'value="Westford"' in page


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_open_the_page(signed_in, demo, role):
    client, _ = signed_in(role)
    response = client.get(reverse("partnership:settings"))
    assert response.status_code == (200 if role == "admin" else 403)
    assert client.post(reverse("partnership:settings"), {"area": "Eastmere"}).status_code == (
        302 if role == "admin" else 403
    )
    assert (current() is not None) == (role == "admin")


def test_anonymous_users_are_sent_to_sign_in(client, demo):
    response = client.get(reverse("partnership:settings"))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_an_admin_sets_the_area_and_sees_who_did(signed_in, demo):
    client, admin = signed_in("admin")
    response = client.post(
        reverse("partnership:settings"),
        {"area": "westford", "compare": "Eastmere, Southvale"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302 and response["Location"] == reverse("partnership:settings")
    row = current()
    assert (row.area_name, row.comparators, row.changed_by) == (
        "Westford",
        ["Eastmere", "Southvale"],
        admin,
    )
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.address) == ("create", admin, "192.0.2.7")
    html = client.get(response["Location"]).content.decode()
    assert "The partnership&#x27;s area is now Westford." in html
    assert "Westford (borough E09900004)" in html and admin.full_name in html
    assert 'value="westford"' not in html and 'value="Westford"' in html


def test_an_unknown_name_is_refused_with_the_closest_as_links(signed_in, demo):
    client, _ = signed_in("admin")
    response = client.post(
        reverse("partnership:settings"), {"area": "Northbrook", "compare": "Eastmeer"}
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200 and current() is None
    assert "No area called “Eastmeer” is in the loaded data." in html
    assert "govuk-error-summary" in html and 'href="#id_compare"' in html
    block = html.split('id="did-you-mean"')[1].split("</div>")[0]
    href, label = re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>', block)[0]
    assert label == "Eastmere"
    # The link fills the form with the name offered, for the admin to check and save.
    filled = client.get(href).content.decode()
    assert 'value="Northbrook"' in filled and 'value="Eastmere"' in filled
    assert current() is None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"area": "", "compare": ""}, "This field is required"),
        ({"area": "Northbrook", "compare": "Northbrook Park"}, "Northbrook Park is a ward"),
        ({"area": "x" * 121, "compare": ""}, "at most 120 characters"),
        ({"area": "Northbrook", "compare": "London"}, "London is the whole force area"),
    ],
)
def test_bad_input_is_shown_back_and_nothing_is_stored(signed_in, demo, data, words):
    client, _ = signed_in("admin")
    before = AuditEntry.objects.count()
    html = unescape(client.post(reverse("partnership:settings"), data).content.decode())
    assert words in html and "govuk-form-group--error" in html
    assert current() is None
    assert not AuditEntry.objects.filter(
        id__gt=before, object_type="partnership.PartnershipSettings"
    ).exists()


def test_without_evidence_the_area_cannot_be_checked_so_is_not_set(
    signed_in, tmp_path, monkeypatch
):
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "none.duckdb"))
    client, _ = signed_in("admin")
    page = client.get(reverse("partnership:settings")).content.decode()
    assert "No evidence is loaded yet" in page
    html = client.post(reverse("partnership:settings"), {"area": "Northbrook"}).content.decode()
    assert "No evidence is loaded yet" in html and current() is None


@pytest.mark.parametrize("role", ROLES)
def test_partnership_is_in_the_admins_navigation_only(signed_in, demo, role):
    client, _ = signed_in(role)
    items = [(i.label, i.href) for i in client.get("/").context["navigation"]]
    assert (("Partnership", reverse("partnership:settings")) in items) == (role == "admin")


def test_the_partnership_section_is_marked_current(signed_in, demo):
    client, _ = signed_in("admin")
    page = client.get(reverse("partnership:settings"))
    assert [i.label for i in page.context["navigation"] if i.current] == ["Partnership"]


def test_the_analyst_home_summarises_the_partnerships_area(signed_in, demo):
    set_partnership(demo, "Northbrook", ["Eastmere", "Westford"], via="cli")
    client, analyst = signed_in("analyst")
    page = client.get(reverse("home"))
    html = unescape(page.content.decode())
    summary = page.context["area"]["page"]
    total = summary.total
    assert f"Northbrook: {summary.a['period']['title']}" in html
    assert f"{total['count']:,} offences" in html
    assert f"{total['change']:+,} ({total['change_pct']:+.1f}%)" in html
    listed = html.split('id="home-area-findings"')[1].split("</ul>")[0]
    findings = re.findall(r"<li>(.*?)</li>", listed)
    assert findings == [f["text"] for f in summary.findings[:3]]
    assert "area=E09900001" in html and "compare=Eastmere%2C+Westford" in html
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.changes["page"]) == ("view", analyst, "home")


def test_the_analyst_home_says_when_no_area_is_set(signed_in, demo):
    client, _ = signed_in("analyst")
    html = client.get(reverse("home")).content.decode()
    assert 'id="home-area-unset"' in html and "a partnership admin sets it" in html


@pytest.mark.parametrize("role", ["coordinator", "board", "practitioner", "admin"])
def test_other_roles_homes_have_no_area_summary(signed_in, demo, role):
    set_partnership(demo, "Northbrook", [], via="cli")
    client, _ = signed_in(role)
    assert 'id="home-area"' not in client.get(reverse("home")).content.decode()
