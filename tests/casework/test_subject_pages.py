"""People, places, vehicles and groups through the pages: the similar-record check before
every create, bad input named field by field, the subject page in full or locked (special
category data only where the policy allows), links as a list and a drawing, stale edits,
merging and an admin undoing it."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.sharing.models import Scope
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import (
    GroupDetails,
    LinkEntry,
    NameEntry,
    PersonDetails,
    SpecialCategoryEntry,
)
from saferhub.subjects.models import MergeRecord, Person, Subject
from saferhub.subjects.vocabulary import Ethnicity, LinkType

from .conftest import give
from .pages import named, summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

NEW_PERSON = reverse("casework:subject-new", kwargs={"kind": "person"})


def person_form(**values) -> dict:
    return {"action": "check", "gender": "", "alias_type": "alias", "identifier_type": "", **values}


def test_a_new_person_with_nothing_similar_is_created_at_once(world, as_user):
    client = as_user(world.lead)
    before = Subject.objects.count()
    response = client.post(
        NEW_PERSON,
        person_form(
            given_names="Quentin",
            family_name="Uniquename",
            date_of_birth="1975-06-01",
            address_postcode="NB1 2AA",
            address_line_1="3 Larch Row",
        ),
    )
    assert response.status_code == 302
    subject = Subject.objects.get(display_name="Quentin Uniquename")
    assert response["Location"] == reverse("casework:subject", kwargs={"pk": subject.pk})
    assert Subject.objects.count() == before + 1
    assert Person.objects.get(subject=subject).date_of_birth == date(1975, 6, 1)
    check = AuditEntry.objects.filter(object_type="subjects.search").latest("id")
    assert check.changes["duplicate_check"] == "person" and check.changes["results"] == 0


def test_a_similar_person_is_offered_first_and_created_only_when_the_user_says_so(world, as_user):
    client = as_user(world.lead)
    typed = person_form(given_names="Ada", family_name="Testpersen", date_of_birth="1990-03-04")
    before = Subject.objects.count()
    shown = client.post(NEW_PERSON, typed)
    assert shown.status_code == 200 and Subject.objects.count() == before
    page = text(shown)
    assert "Similar records" in page and "Ada Testperson" in page
    assert "same date of birth" in page
    assert f'href="{reverse("casework:subject", kwargs={"pk": world.victim.pk})}"' in (
        shown.content.decode()
    )
    token = re.search(r'name="checked" value="([^"]+)"', shown.content.decode()).group(1)

    # Changing what was typed after the check checks again: nothing is created.
    changed = client.post(
        NEW_PERSON, {**typed, "given_names": "Adah", "action": "create", "checked": token}
    )
    assert changed.status_code == 200 and Subject.objects.count() == before
    # A forged or missing fingerprint is no answer either.
    forged = client.post(NEW_PERSON, {**typed, "action": "create", "checked": "x" + token})
    assert forged.status_code == 200 and Subject.objects.count() == before

    created = client.post(NEW_PERSON, {**typed, "action": "create", "checked": token})
    assert created.status_code == 302 and Subject.objects.count() == before + 1


def test_a_similar_person_on_a_case_the_user_cannot_see_is_shown_locked(world, as_user):
    client = as_user(world.housing_worker)
    shown = client.post(
        NEW_PERSON,
        person_form(given_names="Ada", family_name="Testperson", date_of_birth="1990-03-04"),
    )
    page = text(shown)
    assert "Ada Testperson" in page and "Locked" in page
    assert "Anti-social behaviour case led by Eastmere Police (fictional)" in page
    assert "Request access" in page
    assert "Use this record" not in page
    assert "Born 4 March 1990" not in page  # the locked view never shows details


@pytest.mark.parametrize("scope", [Scope.NAMED_SUBJECTS, Scope.WHOLE])
def test_a_similar_person_seen_through_a_grant_is_shown_but_not_offered_for_use(
    world, agreement, as_user, scope
):
    usable = False  # only the agency holding a record puts it on a case (ADR 11)
    give(world, agreement, scope, subjects=[world.victim] if scope == Scope.NAMED_SUBJECTS else ())
    client = as_user(world.council_worker)
    shown = client.post(
        NEW_PERSON,
        person_form(given_names="Ada", family_name="Testperson", date_of_birth="1990-03-04"),
    )
    page = text(shown)
    assert "Ada Testperson" in page and "Locked" not in page
    assert ("Use this record" in page) is usable
    assert ("cannot use it on a case of your own" in page) is not usable


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({}, ["family_name"]),
        ({"family_name": "Smith", "date_of_birth": "2099-01-01"}, ["date_of_birth"]),
        (
            {"family_name": "Smith", "date_of_birth": "1990-01-01", "estimated_age": "30"},
            ["estimated_age"],
        ),
        ({"family_name": "Smith", "address_postcode": "NOT A CODE"}, ["address_postcode"]),
        (
            {"family_name": "Smith", "identifier_type": "nhs", "identifier_value": "123"},
            ["identifier_value"],
        ),
        (
            {"family_name": "Smith", "identifier_type": "other", "identifier_value": "X1"},
            ["identifier_label"],
        ),
        ({"family_name": "Smith", "date_of_birth": "not a date"}, ["date_of_birth"]),
        ({"family_name": "Smith", "gender": "robot"}, ["gender"]),
        ({"family_name": "1234"}, ["family_name"]),
    ],
)
def test_bad_input_for_a_person_is_named_in_the_error_summary(world, as_user, values, fields):
    client = as_user(world.lead)
    before = Subject.objects.count()
    response = client.post(NEW_PERSON, person_form(**values))
    assert response.status_code == 200
    assert named(response, *fields), summary(response)
    assert Subject.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "values", "fields"),
    [
        ("place", {"place_type": "dwelling"}, ["line_1"]),
        ("place", {"place_type": "castle", "line_1": "1 High St"}, ["place_type"]),
        ("place", {"place_type": "park", "latitude": "51.5"}, ["longitude"]),
        ("place", {"place_type": "dwelling", "uprn": "abc"}, ["uprn"]),
        ("vehicle", {"vrm": ""}, ["vrm"]),
        ("vehicle", {"vrm": "!!!"}, ["vrm"]),
        ("group", {"group_type": "gang", "name": ""}, ["name"]),
        ("group", {"group_type": "", "name": "The Quarry crew"}, ["group_type"]),
    ],
)
def test_bad_input_for_places_vehicles_and_groups_is_named(world, as_user, kind, values, fields):
    client = as_user(world.lead)
    before = Subject.objects.count()
    response = client.post(
        reverse("casework:subject-new", kwargs={"kind": kind}), {"action": "check", **values}
    )
    assert response.status_code == 200
    assert named(response, *fields), summary(response)
    assert Subject.objects.count() == before


def test_a_vehicle_place_and_group_are_each_checked_then_created(world, as_user):
    client = as_user(world.lead)
    for kind, values, name in [
        ("vehicle", {"vrm": "ab12 cde", "make": "Ford", "colour": "Blue"}, "AB12 CDE"),
        (
            "place",
            {"place_type": "park", "name": "Northbrook Rec", "postcode": "NB1 3XX"},
            "Northbrook Rec, NB1 3XX",
        ),
        ("group", {"group_type": "gang", "name": "The Quarry Lane crew"}, "The Quarry Lane crew"),
    ]:
        response = client.post(
            reverse("casework:subject-new", kwargs={"kind": kind}), {"action": "check", **values}
        )
        assert response.status_code == 302, summary(response)
        assert Subject.objects.filter(kind=kind, display_name=name).exists()
    # The same registration again, typed another way, is offered as similar.
    again = client.post(
        reverse("casework:subject-new", kwargs={"kind": "vehicle"}),
        {"action": "check", "vrm": "AB 12CDE"},
    )
    assert again.status_code == 200 and "AB12 CDE" in text(again)


def test_a_record_made_from_a_case_is_put_on_it_in_its_role(world, as_user):
    client = as_user(world.lead)
    response = client.post(
        f"{NEW_PERSON}?case={world.case.pk}",
        {
            **person_form(given_names="Wyn", family_name="Witnessperson"),
            "case": world.case.pk,
            "role": "witness",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", kwargs={"pk": world.case.pk})
    assert world.case.case_subjects.filter(
        subject__display_name="Wyn Witnessperson", role="witness"
    ).exists()
    no_role = client.post(
        f"{NEW_PERSON}?case={world.case.pk}",
        {**person_form(family_name="Roleless"), "case": world.case.pk},
    )
    assert named(no_role, "role")


def test_a_record_cannot_be_made_for_a_case_the_user_may_not_add_to(world, as_user):
    client = as_user(world.housing_worker)
    response = client.get(f"{NEW_PERSON}?case={world.case.pk}")
    assert response.status_code == 403


def test_the_subject_page_in_full_with_special_category_only_where_the_policy_allows(
    world, agreement, as_user
):
    subjects.set_special_category(
        world.victim, SpecialCategoryEntry(ethnicity=Ethnicity.WHITE_IRISH), by=world.lead
    )
    url = reverse("casework:subject", kwargs={"pk": world.victim.pk})
    lead = text(as_user(world.lead).get(url))
    assert "Born 4 March 1990" in lead and "White: Irish" in lead
    assert "Change the special category data" in lead
    give(world, agreement, Scope.WHOLE)
    granted = text(as_user(world.council_worker).get(url))
    assert "Born 4 March 1990" in granted
    assert "White: Irish" not in granted and "Special category data" not in granted
    assert "Change the details" not in granted  # grantees read, the lead agency changes
    seen = AuditEntry.objects.filter(
        object_type="subjects.Subject", object_id=str(world.victim.pk), action="view"
    ).latest("id")
    assert seen.actor == world.council_worker and seen.changes["special_category"] is False
    assert seen.changes["purpose"] == "Joint problem-solving on Alder Court"


def test_the_subject_page_of_a_locked_subject_shows_only_the_locked_view(world, as_user):
    response = as_user(world.housing_worker).get(
        reverse("casework:subject", kwargs={"pk": world.victim.pk})
    )
    page = text(response)
    assert "Ada Testperson" in page and "Locked" in page
    assert "Anti-social behaviour" in page and "Eastmere Police (fictional)" in page
    assert "1990" not in page and "Alder Court" not in page
    assert reverse("casework:request-access", kwargs={"pk": world.case.pk}) in (
        response.content.decode()
    )


def test_links_are_listed_and_drawn_from_the_same_data(world, as_user):
    hidden = subjects.create_person(name=NameEntry("Hal", "Hiddenperson"), by=world.housing_worker)
    from saferhub.cases import services as cases
    from tests.cases.conftest import person

    housing_lead = person("hl@homes.example", world.housing, "practitioner")
    theirs = cases.create_case(
        housing_lead,
        business_area=world.area,
        title="Theirs",
        opened_on=date(2026, 11, 1),
        extra={"asb_category": "Nuisance"},
    )
    cases.add_subject(housing_lead, theirs, hidden, "associate")
    subjects.add_link(
        world.victim, world.perpetrator, LinkEntry(LinkType.SIBLING_OF), by=world.lead
    )
    subjects.add_link(hidden, world.victim, LinkEntry(LinkType.PARENT_OF), by=housing_lead)
    response = as_user(world.lead).get(reverse("casework:subject", kwargs={"pk": world.victim.pk}))
    html = response.content.decode()
    rows = re.findall(
        r"<tr class=\"govuk-table__row\">(.*?)</tr>",
        html.split('id="links"')[1].split("</table>")[0],
        re.S,
    )
    listed = [re.sub(r"<[^>]+>", "", r) for r in rows[1:]]
    assert any("Sibling of" in r and "Bram Examplename" in r for r in listed)
    assert any("Child of" in r and "Locked person" in r for r in listed)
    assert not any("Hiddenperson" in r for r in listed)
    src = re.search(
        r'<img class="govuk-!-width-full" src="data:image/svg\+xml;base64,([^"]+)"', html
    ).group(1)
    drawn = base64.b64decode(src).decode()
    assert "Bram Examplename" in drawn and "Locked person" in drawn and "Sibling of" in drawn
    assert "Hiddenperson" not in drawn
    assert "style=" not in drawn and "<script" not in drawn


def test_a_stale_edit_of_a_person_is_refused_with_the_other_change_shown(world, as_user):
    client = as_user(world.lead)
    url = reverse("casework:subject-edit", kwargs={"pk": world.victim.pk})
    opened = world.victim.version
    assert client.get(url).status_code == 200
    subjects.update_person(
        world.victim,
        details=PersonDetails(date_of_birth=date(1990, 3, 5)),
        version=opened,
        by=world.colleague,
    )
    response = client.post(
        url, {"date_of_birth": "1991-01-01", "gender": "female", "version": opened}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Someone else changed this record" in page
    assert "cal.colleague@police.example changed date of birth" in page
    assert Person.objects.get(subject=world.victim).date_of_birth == date(1990, 3, 5)
    assert f'name="version" value="{opened + 1}"' in response.content.decode()


@pytest.mark.parametrize(
    ("part", "values", "fields"),
    [
        ("flag", {"type": "other", "description": ""}, ["description"]),
        (
            "flag",
            {"type": "weapons", "valid_from": "2026-11-20", "valid_to": "2026-11-01"},
            ["valid_to"],
        ),
        ("identifier", {"type": "nhs", "value": "943 476 5918"}, ["value"]),
        ("contact", {"type": "email", "value": "not an email"}, ["value"]),
        ("name", {"family_name": "", "type": "alias"}, ["family_name"]),
        ("address", {"postcode": "ZZZ"}, ["postcode"]),
        ("link", {"type": "parent_of", "other": "999999"}, ["other"]),
    ],
)
def test_bad_details_are_named_and_nothing_is_added(world, as_user, part, values, fields):
    client = as_user(world.lead)
    before = world.victim.version
    response = client.post(
        reverse("casework:subject-add", kwargs={"pk": world.victim.pk, "part": part}),
        {**values, "version": before},
    )
    assert response.status_code == 200 and named(response, *fields), summary(response)
    world.victim.refresh_from_db()
    assert world.victim.version == before


def test_a_link_to_a_record_the_user_cannot_see_is_refused(world, as_user):
    hidden = subjects.create_person(name=NameEntry("Hal", "Hiddenperson"), by=world.housing_worker)
    response = as_user(world.lead).post(
        reverse("casework:subject-add", kwargs={"pk": world.victim.pk, "part": "link"}),
        {"type": "associate_of", "other": hidden.pk, "version": world.victim.version},
    )
    assert named(response, "other")
    assert not world.victim.links_out.exists()


def test_merging_two_records_and_an_admin_undoing_it(world, as_user):
    twin = subjects.create_person(
        name=NameEntry("Ada", "Testpersen"),
        details=PersonDetails(date_of_birth=date(1990, 3, 4)),
        by=world.lead,
    )
    client = as_user(world.lead)
    choose = client.get(reverse("casework:subject-merge", kwargs={"pk": world.victim.pk}))
    assert f"?other={twin.pk}" in choose.content.decode()
    url = reverse("casework:subject-merge", kwargs={"pk": world.victim.pk}) + f"?other={twin.pk}"
    empty = client.post(
        url,
        {
            "keep": "this",
            "reason": "",
            "version": world.victim.version,
            "other_version": twin.version,
        },
    )
    assert named(empty, "reason")
    merged = client.post(
        url,
        {
            "keep": "this",
            "reason": "Same person, surname misspelt",
            "version": world.victim.version,
            "other_version": twin.version,
        },
    )
    assert merged.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into_id == world.victim.pk
    record = MergeRecord.objects.get()
    refused = as_user(world.lead).get(reverse("casework:unmerge", kwargs={"pk": record.pk}))
    assert refused.status_code == 403
    admin = as_user(world.admin)
    assert str(record.pk) in text(admin.get(reverse("casework:merges")))
    undone = admin.post(
        reverse("casework:unmerge", kwargs={"pk": record.pk}), {"reason": "They are twins"}
    )
    assert undone.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into_id is None


def test_merging_with_a_record_of_another_kind_is_refused(world, as_user):
    group = subjects.create_group(GroupDetails("gang", "The Quarry crew"), by=world.lead)
    response = as_user(world.lead).get(
        reverse("casework:subject-merge", kwargs={"pk": world.victim.pk}) + f"?other={group.pk}"
    )
    assert named(response, "other") and "only records of one kind" in text(response)


def test_a_form_that_shows_a_record_or_a_case_is_a_read_on_the_record(world, as_user):
    client = as_user(world.lead)
    before = AuditEntry.objects.count()
    client.get(reverse("casework:subject-edit", kwargs={"pk": world.victim.pk}))
    read = AuditEntry.objects.filter(id__gt=before, object_type="subjects.Subject").get()
    assert read.action == "view" and read.changes["purpose"] == "lead agency"
    before = AuditEntry.objects.count()
    client.get(reverse("casework:entry-add", kwargs={"pk": world.case.pk}))
    read = AuditEntry.objects.filter(id__gt=before, object_type="cases.Case").get()
    assert read.changes["page"] == "add entry" and read.changes["purpose"] == "lead agency"
