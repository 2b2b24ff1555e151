"""Changing an information-sharing agreement through its page: kept by the admins and the data
protection officer (practitioners of any agency read it and get 403 here, on the record), bad
input named by field, a new signed copy checked before anything is saved, and a save over
someone else's change refused with theirs shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.sharing import services
from saferhub.sharing.models import InformationSharingAgreement
from tests.cases import documents as files

from .conftest import AT, TODAY
from .pages import named, summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def edit_url(agreement) -> str:
    return reverse("casework:agreement-edit", kwargs={"pk": agreement.pk})


def form_of(agreement, **changes) -> dict:
    """The form as the page fills it for `agreement`, with `changes` typed over it."""
    values = {
        "title": agreement.title,
        "parties": list(agreement.parties.values_list("pk", flat=True)),
        "purpose": agreement.purpose,
        "data_items": agreement.data_items,
        "legal_gateway": agreement.legal_gateway,
        "retention": agreement.retention,
        "review_on": agreement.review_on.isoformat(),
        "lawful_basis": agreement.lawful_basis,
        "special_category_condition": agreement.special_category_condition,
        "dpa_condition": agreement.dpa_condition,
        "version": agreement.version,
    }
    if agreement.criminal_offence_data:
        values["criminal_offence_data"] = "on"
    return {**values, **changes}


def fresh(agreement) -> InformationSharingAgreement:
    return InformationSharingAgreement.objects.get(pk=agreement.pk)


def test_the_agreements_page_offers_a_change_beside_each_to_those_who_keep_them(
    world, agreement, as_user
):
    link = f'href="{edit_url(agreement)}"'
    assert link in as_user(world.admin).get(reverse("casework:agreements")).content.decode()
    assert link not in as_user(world.lead).get(reverse("casework:agreements")).content.decode()


@pytest.mark.parametrize("keeper", ["admin", "dpo"])
def test_changing_an_agreement_saves_it_and_audits_what_changed(world, agreement, as_user, keeper):
    client = as_user(getattr(world, keeper))
    form = client.get(edit_url(agreement))
    assert form.status_code == 200
    assert 'value="Six years after the case closes"' in form.content.decode()
    review = TODAY + timedelta(days=300)
    response = client.post(
        edit_url(agreement),
        form_of(
            agreement,
            retention="Seven years after the case closes",
            review_on=review.isoformat(),
            parties=[world.police.pk, world.council.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:agreements") + f"#agreement-{agreement.pk}"
    saved = fresh(agreement)
    assert saved.retention == "Seven years after the case closes" and saved.review_on == review
    assert set(saved.parties.all()) == {world.police, world.council}
    assert saved.version == agreement.version + 1
    entry = AuditEntry.objects.filter(
        object_type="sharing.InformationSharingAgreement", object_id=str(agreement.pk)
    ).latest("id")
    assert entry.action == "update" and entry.actor == getattr(world, keeper)
    assert entry.changes["retention"] == {
        "from": "Six years after the case closes",
        "to": "Seven years after the case closes",
    }
    assert entry.changes["parties"]["to"] == [world.council.name, world.police.name]
    assert world.housing.name in entry.changes["parties"]["from"]
    assert set(entry.changes) == {"retention", "review_on", "parties", "version"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"retention": " "}, "retention"),
        ({"review_on": "2026-02-30"}, "review_on"),
        ({"parties": []}, "parties"),
        ({"parties": ["one-party"]}, "parties"),
        ({"lawful_basis": "because"}, "lawful_basis"),
        ({"dpa_condition": ""}, "dpa_condition"),  # special category data needs one
    ],
)
def test_bad_input_is_named_and_the_agreement_is_unchanged(
    world, agreement, as_user, changes, field
):
    if changes.get("parties") == ["one-party"]:
        changes = {"parties": [world.police.pk]}
    before = fresh(agreement)
    response = as_user(world.admin).post(edit_url(agreement), form_of(agreement, **changes))
    assert response.status_code == 200 and named(response, field), summary(response)
    after = fresh(agreement)
    assert after.version == before.version and after.title == before.title
    assert after.parties.count() == 3


def test_a_new_signed_copy_is_checked_before_anything_is_saved(world, agreement, as_user):
    client = as_user(world.admin)
    renamed = form_of(agreement, title="Eastmere sharing, signed again (fictional)")
    bad = client.post(
        edit_url(agreement), {**renamed, "document": SimpleUploadedFile("signed.pdf", files.PNG)}
    )
    assert named(bad, "document")
    assert fresh(agreement).title == agreement.title  # the title was not saved either
    good = client.post(
        edit_url(agreement), {**renamed, "document": SimpleUploadedFile("signed.pdf", files.PDF)}
    )
    assert good.status_code == 302
    saved = fresh(agreement)
    assert saved.title == "Eastmere sharing, signed again (fictional)"
    assert saved.document_name == "signed.pdf" and saved.document_sha256


@pytest.mark.parametrize("who", ["lead", "council_worker", "housing_worker", "coordinator"])
def test_someone_who_does_not_keep_agreements_gets_403_and_the_attempt_is_recorded(
    world, agreement, as_user, who
):
    client = as_user(getattr(world, who))
    start = AuditEntry.objects.count()
    assert client.get(edit_url(agreement)).status_code == 403
    posted = client.post(edit_url(agreement), form_of(agreement, title="Taken over"))
    assert posted.status_code == 403
    refused = AuditEntry.objects.filter(id__gt=start, changes__refused="keep_agreements")
    assert refused.count() == 2 and {e.actor for e in refused} == {getattr(world, who)}
    assert fresh(agreement).title == agreement.title and fresh(agreement).version == 1


def test_an_agreement_that_is_not_there_is_not_found(world, as_user):
    missing = reverse("casework:agreement-edit", kwargs={"pk": 999999})
    assert as_user(world.admin).get(missing).status_code == 404


def test_a_stale_save_is_refused_and_shows_the_other_change(world, agreement, as_user):
    client = as_user(world.admin)
    opened = form_of(agreement)
    assert client.get(edit_url(agreement)).status_code == 200
    services.save_agreement(
        fresh(agreement),
        values={"retention": "Five years after the case closes"},
        version=agreement.version,
        user=world.dpo,
        at=AT,
    )
    response = client.post(edit_url(agreement), {**opened, "purpose": "Reducing ASB only"})
    assert response.status_code == 200
    assert "This agreement was changed since you opened it" in summary(response)
    shown = text(response)
    assert "Kim Dpo (Eastmere Council (fictional)) changed retention" in shown
    assert "“Five years after the case closes”" in shown
    assert 'value="Reducing ASB only"' not in response.content.decode()  # a textarea keeps it
    assert "Reducing ASB only" in shown
    assert f'name="version" value="{agreement.version + 1}"' in response.content.decode()
    saved = fresh(agreement)
    assert saved.retention == "Five years after the case closes"
    assert saved.purpose == agreement.purpose
