"""Ending a subject's detail, removing one entered in error, correcting a name and working a
place's ward and LSOA out again, through the pages: each changes what it says, with its audit
entry; bad input is named by field; another agency (even one the case is shared with) gets
403, on the record; a save over someone else's change is refused and shows theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditEntry
from saferhub.evidence import Store
from saferhub.sharing.models import Scope
from saferhub.subjects import services as subjects
from saferhub.subjects.entries import (
    AddressEntry,
    ContactEntry,
    FlagEntry,
    IdentifierEntry,
    NameEntry,
    PlaceDetails,
)
from saferhub.subjects.models import (
    ContactDetail,
    Flag,
    Identifier,
    PersonAddress,
    PersonName,
    Place,
    Subject,
)
from saferhub.subjects.vocabulary import (
    AreaStatus,
    ContactType,
    FlagType,
    IdentifierType,
    NameType,
    PlaceType,
)
from tests.conftest import ingest, write_geojson

from .conftest import TODAY, enter, give
from .pages import named, summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

STARTED = TODAY - timedelta(days=300)
ENDED = TODAY - timedelta(days=10)


def add(world, part: str):
    """One detail of `part` on the victim, recorded by the lead officer."""
    victim, by = world.victim, world.lead
    if part == "name":
        entry = NameEntry("Ada", "Oldname", NameType.PREVIOUS, used_from=STARTED)
        return subjects.add_name(victim, entry, by=by)
    if part == "address":
        entry = AddressEntry(line_1="4 Alder Court", postcode="NB1 2AA", lived_from=STARTED)
        return subjects.add_address(victim, entry, by=by)
    if part == "contact":
        return subjects.add_contact(
            victim, ContactEntry(ContactType.EMAIL, "ada@example.org"), by=by
        )
    if part == "identifier":
        entry = IdentifierEntry(IdentifierType.PNC, "19/0012345G")
        return subjects.add_identifier(victim, entry, by=by)
    entry = FlagEntry(FlagType.VIOLENT_TO_STAFF, "Shouted at a visiting officer", STARTED)
    return subjects.add_flag(victim, entry, by=by)


MODELS = {
    "name": PersonName,
    "address": PersonAddress,
    "contact": ContactDetail,
    "identifier": Identifier,
    "flag": Flag,
}
END_FIELDS = {"name": "used_to", "address": "lived_to", "flag": "valid_to"}
ANCHORS = {
    "name": "names",
    "address": "addresses",
    "contact": "identifiers",
    "identifier": "identifiers",
    "flag": "flag-list",
}


def end_url(world, part, row) -> str:
    return reverse(
        "casework:subject-detail-end", kwargs={"pk": world.victim.pk, "part": part, "row": row.pk}
    )


def remove_url(world, part, row) -> str:
    return reverse(
        "casework:subject-detail-remove",
        kwargs={"pk": world.victim.pk, "part": part, "row": row.pk},
    )


def correct_url(world, row) -> str:
    return reverse("casework:subject-name-correct", kwargs={"pk": world.victim.pk, "row": row.pk})


def latest(subject, **where) -> AuditEntry:
    return AuditEntry.objects.filter(
        object_type="subjects.Subject", object_id=str(subject.pk), **where
    ).latest("id")


def version(subject) -> int:
    return Subject.objects.values_list("version", flat=True).get(pk=subject.pk)


# --- the subject's page offers each change beside its detail ----------------------------------


def test_the_subject_page_links_each_change_beside_its_detail(world, agreement, as_user):
    rows = {part: add(world, part) for part in MODELS}
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    page = as_user(world.lead).get(reverse("casework:subject", kwargs={"pk": world.victim.pk}))
    html = page.content.decode()
    for part, row in rows.items():
        assert f'href="{remove_url(world, part, row)}"' in html, part
        if part in END_FIELDS:
            assert f'href="{end_url(world, part, row)}"' in html, part
    assert f'href="{correct_url(world, main)}"' in html
    # The main name is corrected, never removed; contacts and identifiers have no end date.
    assert f'href="{remove_url(world, "name", main)}"' not in html
    assert f'href="{end_url(world, "name", main)}"' not in html
    for part in ("contact", "identifier"):
        assert f"/{part}/{rows[part].pk}/end/" not in html
    # Someone who may only read the record is offered none of it.
    give(world, agreement, Scope.WHOLE, agency=world.council)
    seen = as_user(world.council_worker).get(
        reverse("casework:subject", kwargs={"pk": world.victim.pk})
    )
    assert seen.status_code == 200 and "/remove/" not in seen.content.decode()


# --- ending -----------------------------------------------------------------------------------


@pytest.mark.parametrize("part", sorted(END_FIELDS))
def test_ending_a_detail_keeps_it_with_its_end_date_and_audits_it(world, as_user, part):
    row = add(world, part)
    client = as_user(world.lead)
    url = end_url(world, part, row)
    assert client.get(url).status_code == 200
    response = client.post(url, {"ended_on": ENDED.isoformat(), "version": version(world.victim)})
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("casework:subject", kwargs={"pk": world.victim.pk}) + f"#{ANCHORS[part]}"
    )
    row.refresh_from_db()
    assert getattr(row, END_FIELDS[part]) == ENDED
    entry = latest(world.victim)
    assert entry.action == "update" and entry.actor == world.lead
    assert entry.changes["part"] == part and entry.changes["row"] == row.pk
    assert entry.changes["fields"] == [END_FIELDS[part]]


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        ("", "Enter the date it ended"),
        ("2026-13-40", "Enter a real date"),
        ((STARTED - timedelta(days=1)).isoformat(), "same as or after the start date"),
        ((TODAY + timedelta(days=1)).isoformat(), "today or in the past"),
    ],
)
def test_a_bad_end_date_is_named_and_nothing_changes(world, as_user, ended_on, message):
    row = add(world, "flag")
    before = version(world.victim)
    response = as_user(world.lead).post(
        end_url(world, "flag", row), {"ended_on": ended_on, "version": before}
    )
    assert response.status_code == 200 and named(response, "ended_on"), summary(response)
    assert message in summary(response)
    row.refresh_from_db()
    assert row.valid_to is None and version(world.victim) == before


def test_contacts_and_identifiers_have_no_end_page(world, as_user):
    client = as_user(world.lead)
    for part in ("contact", "identifier"):
        assert client.get(end_url(world, part, add(world, part))).status_code == 404


def test_a_detail_of_another_record_is_not_found_through_this_one(world, as_user):
    other = subjects.add_flag(world.perpetrator, FlagEntry(FlagType.WEAPONS), by=world.lead)
    response = as_user(world.lead).get(end_url(world, "flag", other))
    assert response.status_code == 404


# --- removing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("part", sorted(MODELS))
def test_removing_a_detail_entered_in_error_deletes_it_with_the_reason_audited(
    world, as_user, part
):
    row = add(world, part)
    client = as_user(world.lead)
    url = remove_url(world, part, row)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "Typed on the wrong record", "version": version(world.victim)}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{ANCHORS[part]}")
    assert not MODELS[part].objects.filter(pk=row.pk).exists()
    entry = latest(world.victim)
    assert entry.action == "delete" and entry.actor == world.lead
    assert entry.changes["part"] == part and entry.changes["row"] == row.pk
    assert entry.changes["reason"] == "Typed on the wrong record"


def test_a_removal_without_a_reason_is_named_and_nothing_is_removed(world, as_user):
    row = add(world, "identifier")
    before = version(world.victim)
    response = as_user(world.lead).post(
        remove_url(world, "identifier", row), {"reason": " ", "version": before}
    )
    assert response.status_code == 200 and named(response, "reason"), summary(response)
    assert Identifier.objects.filter(pk=row.pk).exists() and version(world.victim) == before


def test_the_main_name_is_never_removed(world, as_user):
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    client = as_user(world.lead)
    url = remove_url(world, "name", main)
    assert "correct it instead" in text(client.get(url))
    response = client.post(url, {"reason": "Wrong name", "version": version(world.victim)})
    assert response.status_code == 200
    assert "A person always has a main name" in summary(response)
    assert PersonName.objects.filter(pk=main.pk).exists()


# --- correcting a name ------------------------------------------------------------------------


def test_correcting_a_name_changes_it_and_the_records_name_and_audits_it(world, as_user):
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    client = as_user(world.lead)
    url = correct_url(world, main)
    form = client.get(url)
    assert 'value="Testperson"' in form.content.decode()
    response = client.post(
        url,
        {
            "given_names": "Ada",
            "family_name": "Testpersson",
            "type": NameType.MAIN,
            "version": version(world.victim),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#names")
    main.refresh_from_db()
    world.victim.refresh_from_db()
    assert main.family_name == "Testpersson"
    assert world.victim.display_name == "Ada Testpersson"
    entry = latest(world.victim)
    assert entry.action == "update" and entry.changes["part"] == "name"
    assert entry.changes["fields"] == ["family_name"] and entry.changes["row"] == main.pk
    assert "Testpersson" not in str(entry.changes)  # the log names fields, never values


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"family_name": ""}, "family_name"),
        ({"family_name": "123"}, "family_name"),
        ({"used_from": "2026-11-20", "used_to": "2026-11-01"}, "used_to"),
        ({"type": "nickname-ish"}, "type"),
    ],
)
def test_a_bad_correction_is_named_and_the_name_is_unchanged(world, as_user, values, field):
    row = add(world, "name")
    before = version(world.victim)
    posted = {
        "given_names": "Ada",
        "family_name": "Oldname",
        "type": NameType.PREVIOUS,
        "version": before,
        **values,
    }
    response = as_user(world.lead).post(correct_url(world, row), posted)
    assert response.status_code == 200 and named(response, field), summary(response)
    row.refresh_from_db()
    assert row.family_name == "Oldname" and version(world.victim) == before


def test_the_main_name_cannot_be_corrected_into_an_alias(world, as_user):
    main = PersonName.objects.get(subject=world.victim, type=NameType.MAIN)
    response = as_user(world.lead).post(
        correct_url(world, main),
        {"family_name": "Testperson", "type": NameType.ALIAS, "version": version(world.victim)},
    )
    assert response.status_code == 200 and "Add the new main name first" in summary(response)
    main.refresh_from_db()
    assert main.type == NameType.MAIN


# --- another agency ---------------------------------------------------------------------------


def pages_of(world) -> dict[str, str]:
    """Every new page of the victim's record (its details added first)."""
    rows = {part: add(world, part) for part in MODELS}
    return {
        "end": end_url(world, "flag", rows["flag"]),
        "remove": remove_url(world, "contact", rows["contact"]),
        "correct": correct_url(world, rows["name"]),
    }


@pytest.mark.parametrize("who", ["housing_worker", "council_worker"])
def test_another_agency_gets_403_on_every_page_and_the_attempt_is_recorded(
    world, agreement, as_user, who
):
    """The housing association has no grant; the council has the whole case shared with it,
    which lets it read the record but not change it."""
    give(world, agreement, Scope.WHOLE, agency=world.council)
    urls = pages_of(world)
    before = version(world.victim)
    client = as_user(getattr(world, who))
    for name, url in urls.items():
        start = AuditEntry.objects.count()
        assert client.get(url).status_code == 403, name
        posted = {"ended_on": ENDED.isoformat(), "reason": "Not theirs to remove"}
        posted |= {"family_name": "Changed", "type": NameType.PREVIOUS, "version": before}
        assert client.post(url, posted).status_code == 403, name
        refused = AuditEntry.objects.filter(id__gt=start, changes__refused="subject_edit")
        assert refused.count() == 2, name
        assert {e.actor for e in refused} == {getattr(world, who)}
        assert {e.object_id for e in refused} == {str(world.victim.pk)}
    assert version(world.victim) == before
    assert Flag.objects.get(subject=world.victim).valid_to is None
    assert ContactDetail.objects.filter(subject=world.victim).exists()
    assert PersonName.objects.filter(subject=world.victim, family_name="Oldname").exists()


def test_a_post_without_the_csrf_token_changes_nothing(world):
    row = add(world, "flag")
    client = Client(enforce_csrf_checks=True)
    enter(client, world.lead)
    form = client.get(remove_url(world, "flag", row))
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()
    posted = {"reason": "Typed on the wrong record", "version": version(world.victim)}
    assert client.post(remove_url(world, "flag", row), posted).status_code == 403
    assert Flag.objects.filter(pk=row.pk).exists()


# --- someone else saved first -----------------------------------------------------------------


def colleague_changes(world) -> None:
    subjects.add_contact(
        world.victim,
        ContactEntry(ContactType.MOBILE, "07700 900123"),
        by=world.colleague,
        version=version(world.victim),
    )


@pytest.mark.parametrize("page", ["end", "remove", "correct"])
def test_a_stale_save_is_refused_and_shows_the_other_change(world, as_user, page):
    rows = {part: add(world, part) for part in ("flag", "identifier", "name")}
    url, posted = {
        "end": (end_url(world, "flag", rows["flag"]), {"ended_on": ENDED.isoformat()}),
        "remove": (
            remove_url(world, "identifier", rows["identifier"]),
            {"reason": "Typed on the wrong record"},
        ),
        "correct": (
            correct_url(world, rows["name"]),
            {"family_name": "Oldnamme", "type": NameType.PREVIOUS},
        ),
    }[page]
    client = as_user(world.lead)
    opened = version(world.victim)
    assert client.get(url).status_code == 200
    colleague_changes(world)
    response = client.post(url, {**posted, "version": opened})
    assert response.status_code == 200
    assert "Someone else changed this record" in summary(response)
    assert "cal.colleague@police.example changed" in text(response)
    assert f'name="version" value="{opened + 1}"' in response.content.decode()
    for row in rows.values():  # nothing of the refused save was written
        row.refresh_from_db()
    assert rows["flag"].valid_to is None and rows["name"].family_name == "Oldname"
    assert Identifier.objects.filter(pk=rows["identifier"].pk).exists()
    assert version(world.victim) == opened + 1


# --- re-locating a place ----------------------------------------------------------------------


def rectangle(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


@pytest.fixture
def boundaries(tmp_path, monkeypatch):
    """An evidence store with one ward and one LSOA (the default store, as the site's)."""
    wards = write_geojson(
        tmp_path / "wards.geojson",
        [
            (
                {"WD22CD": "E05900011", "WD22NM": "Alderby North", "LAD22CD": "E09900001"},
                rectangle(-0.3, 51.5, 0.0, 51.6),
            )
        ],
    )
    lsoas = write_geojson(
        tmp_path / "lsoas.geojson",
        [({"LSOA21CD": "E01900001", "LSOA21NM": "Alderby 001A"}, rectangle(-0.3, 51.5, 0.0, 51.6))],
    )
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        ingest(store, wards, lsoas)
    monkeypatch.setenv("SAFERHUB_STORE", str(path))
    return path


@pytest.fixture
def place(world, tmp_path) -> Subject:
    """A place with a point, recorded before any boundaries were loaded."""
    return subjects.create_place(
        PlaceDetails(
            place_type=PlaceType.DWELLING,
            name="Alder Court (fictional)",
            postcode="NB1 2AA",
            latitude=51.55,
            longitude=-0.2,
        ),
        by=world.lead,
        store_path=tmp_path / "no-store-yet.duckdb",
    )


def relocate_url(place) -> str:
    return reverse("casework:subject-relocate", kwargs={"pk": place.pk})


def test_relocating_a_place_shows_before_and_after_then_saves_and_audits_it(
    world, as_user, place, boundaries
):
    assert Place.objects.get(subject=place).area_status == AreaStatus.NO_BOUNDARIES
    client = as_user(world.lead)
    subject_page = client.get(reverse("casework:subject", kwargs={"pk": place.pk}))
    assert f'href="{relocate_url(place)}"' in subject_page.content.decode()
    shown = client.get(relocate_url(place))
    table = text(shown).split("Before and after")[1]
    assert "Ward None Alderby North (E05900011)" in table
    assert "LSOA None Alderby 001A (E01900001)" in table
    assert "No ward or LSOA boundaries are loaded" in table
    assert Place.objects.get(subject=place).ward_code == ""  # looking changes nothing

    response = client.post(relocate_url(place), {"version": version(place)}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#details")
    found = Place.objects.get(subject=place)
    assert (found.ward_code, found.lsoa_code) == ("E05900011", "E01900001")
    assert found.area_status == AreaStatus.LOCATED
    page = text(response)
    assert "Before: No ward or LSOA boundaries are loaded." in page
    assert "Now: Alderby North; Alderby 001A." in page
    entry = latest(place, action="update")  # the page followed to is a read after it
    assert entry.actor == world.lead
    assert entry.changes["part"] == "area" and "ward_code" in entry.changes["fields"]


def test_relocating_needs_a_version_and_only_places_have_one(world, as_user, place, boundaries):
    client = as_user(world.lead)
    response = client.post(relocate_url(place), {})
    assert response.status_code == 200 and "There is a problem" in text(response)
    assert Place.objects.get(subject=place).ward_code == ""
    person = reverse("casework:subject-relocate", kwargs={"pk": world.victim.pk})
    assert client.get(person).status_code == 404


def test_relocating_a_place_another_agency_leads_is_refused_and_recorded(
    world, as_user, place, boundaries
):
    client = as_user(world.housing_worker)
    start = AuditEntry.objects.count()
    assert client.get(relocate_url(place)).status_code == 403
    assert client.post(relocate_url(place), {"version": version(place)}).status_code == 403
    refused = AuditEntry.objects.filter(id__gt=start, changes__refused="subject_edit")
    assert refused.count() == 2 and {e.object_id for e in refused} == {str(place.pk)}
    assert Place.objects.get(subject=place).ward_code == ""


def test_a_stale_relocation_is_refused_and_shows_the_other_change(
    world, as_user, place, boundaries
):
    client = as_user(world.lead)
    opened = version(place)
    assert client.get(relocate_url(place)).status_code == 200
    subjects.add_flag(place, FlagEntry(FlagType.WEAPONS), by=world.colleague, version=opened)
    response = client.post(relocate_url(place), {"version": opened})
    assert response.status_code == 200
    assert "Someone else changed this record" in summary(response)
    assert "cal.colleague@police.example changed flag" in text(response)
    assert f'name="version" value="{opened + 1}"' in response.content.decode()
    assert Place.objects.get(subject=place).ward_code == ""
