"""The subject services on a real database: each write with its audit entry, version checks,
places located from a real evidence store, links and the network around a subject."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from saferhub.accounts.models import User
from saferhub.audit.log import verify
from saferhub.audit.models import AuditEntry
from saferhub.evidence import Store
from saferhub.subjects import services
from saferhub.subjects.entries import (
    AddressEntry,
    ContactEntry,
    FlagEntry,
    GroupDetails,
    IdentifierEntry,
    LinkEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    SpecialCategoryEntry,
    VehicleDetails,
)
from saferhub.subjects.models import (
    NameKey,
    Person,
    PersonAddress,
    PersonName,
    Place,
    SpecialCategory,
    Subject,
    Vehicle,
)
from saferhub.subjects.network import layout, network
from saferhub.subjects.vocabulary import AreaStatus
from tests.conftest import ingest, write_geojson

from .conftest import TODAY, person

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def entries_for(subject: Subject) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="subjects.Subject", object_id=str(subject.pk)
        ).order_by("id")
    )


def test_create_person_with_everything_in_one_audited_write(officer):
    subject = services.create_person(
        name=NameEntry("Ann Marie", "Okafor").cleaned(TODAY),
        details=PersonDetails(date_of_birth=date(1990, 3, 4), gender="female").cleaned(TODAY),
        other_names=[NameEntry("Annie", "Oak", type="alias").cleaned(TODAY)],
        addresses=[AddressEntry(line_1="4 Mill Road", postcode="nb1 2ab").cleaned(TODAY)],
        contacts=[ContactEntry("mobile", "07700 900123").cleaned(TODAY)],
        identifiers=[IdentifierEntry("nhs", "943 476 5919").cleaned(TODAY)],
        flags=[FlagEntry("interpreter_needed").cleaned(TODAY)],
        by=officer,
    )
    assert subject.kind == "person" and subject.display_name == "Ann Marie Okafor"
    assert subject.person.date_of_birth == date(1990, 3, 4)
    assert subject.names.count() == 2
    assert subject.addresses.get().postcode == "NB1 2AB"
    assert subject.identifiers.get().value == "9434765919"
    assert NameKey.objects.filter(subject=subject, key="p:OKFR:ANMR").exists() is False
    assert NameKey.objects.filter(subject=subject, key__startswith="p:OKFR:").count() == 2
    [entry] = entries_for(subject)
    assert entry.action == "create" and entry.actor == officer
    assert entry.changes == {
        "kind": "person",
        "version": 1,
        "names": 2,
        "addresses": 1,
        "contacts": 1,
        "identifiers": 1,
        "flags": 1,
    }
    # No personal data in the audit log's entry, and the chain still verifies.
    assert "Okafor" not in entry.content() and "9434765919" not in entry.content()
    assert verify().ok


def test_update_person_checks_the_version_and_says_what_changed(officer):
    colleague = User.objects.create_user(
        "asb.colleague@northbrook.example",
        "correct horse battery staple",
        agency=officer.agency,
        role=officer.role,
    )
    subject = person(officer, "Grace", "Adeyemi", date(1985, 2, 1))
    services.update_person(
        subject,
        details=PersonDetails(date_of_birth=date(1985, 1, 2), gender="female"),
        version=1,
        by=colleague,
    )
    assert Subject.objects.get(pk=subject.pk).version == 2
    with pytest.raises(services.StaleEdit) as stale:
        services.update_person(
            subject, details=PersonDetails(date_of_birth=date(1985, 2, 2)), version=1, by=officer
        )
    assert stale.value.seen == 1 and stale.value.current == 2
    [change] = stale.value.changes
    assert change.by == colleague.email and change.fields == ("date_of_birth", "gender")
    assert "date of birth, gender" in str(stale.value)
    # Nothing of the refused edit was written.
    assert Person.objects.get(subject=subject).date_of_birth == date(1985, 1, 2)
    assert len(entries_for(subject)) == 2


def test_a_new_main_name_makes_the_old_one_previous(officer):
    subject = person(officer, "Grace", "Adeyemi")
    services.add_name(
        subject,
        NameEntry("Grace", "Mensah", used_from=date(2024, 6, 1)).cleaned(TODAY),
        by=officer,
        version=1,
    )
    names = {n.family_name: n for n in PersonName.objects.filter(subject=subject)}
    assert names["Mensah"].type == "main"
    assert names["Adeyemi"].type == "previous" and names["Adeyemi"].used_to == date(2024, 6, 1)
    assert Subject.objects.get(pk=subject.pk).display_name == "Grace Mensah"
    assert entries_for(subject)[-1].changes["demoted"] == [names["Adeyemi"].pk]


def test_correcting_a_name_rewrites_its_keys(officer):
    subject = person(officer, "Grace", "Adyemi")
    name = subject.names.get()
    services.update_name(name, NameEntry("Grace", "Adeyemi").cleaned(TODAY), by=officer, version=1)
    keys = set(NameKey.objects.filter(name=name).values_list("key", flat=True))
    assert "f:ATYM" in keys and "f:ATM" not in keys
    with pytest.raises(services.SubjectError, match="main name"):
        services.update_name(
            name, NameEntry("Grace", "Adeyemi", type="alias").cleaned(TODAY), by=officer, version=2
        )


def test_details_added_ended_and_removed(officer):
    subject = person(officer, "Grace", "Adeyemi")
    flag = services.add_flag(
        subject,
        FlagEntry("violent_to_staff", valid_from=date(2026, 1, 5)).cleaned(TODAY),
        by=officer,
    )
    services.end_detail(flag, date(2026, 6, 1), by=officer)
    flag.refresh_from_db()
    assert flag.valid_to == date(2026, 6, 1)
    with pytest.raises(ValidationError) as bad:
        services.end_detail(flag, date(2025, 1, 1), by=officer)
    assert list(bad.value.message_dict) == ["valid_to"]
    identifier = services.add_identifier(
        subject, IdentifierEntry("pnc", "12/1234567C").cleaned(TODAY), by=officer
    )
    with pytest.raises(services.SubjectError, match="already has that identifier"):
        services.add_identifier(
            subject, IdentifierEntry("pnc", "2012/1234567 c").cleaned(TODAY), by=officer
        )
    services.remove_detail(identifier, by=officer, reason="Typed on the wrong person")
    assert not subject.identifiers.exists()
    removal = entries_for(subject)[-1]
    assert removal.action == "delete"
    assert removal.changes["part"] == "identifier"
    assert removal.changes["reason"] == "Typed on the wrong person"
    with pytest.raises(services.SubjectError, match="main name"):
        services.remove_detail(subject.names.get(), by=officer, reason="x")
    with pytest.raises(ValidationError):
        services.remove_detail(flag, by=officer, reason="  ")
    assert Subject.objects.get(pk=subject.pk).version == 5


def test_special_category_data_is_kept_apart_and_audited_by_field(officer):
    subject = person(officer, "Grace", "Adeyemi")
    services.set_special_category(
        subject, SpecialCategoryEntry(ethnicity="black_african", religion="christian"), by=officer
    )
    services.set_special_category(
        subject, SpecialCategoryEntry(ethnicity="black_african", religion="none"), by=officer
    )
    row = SpecialCategory.objects.get(subject=subject)
    assert row.religion == "none" and row.recorded_by == officer
    first, second = entries_for(subject)[-2:]
    assert first.changes["fields"] == ["ethnicity", "religion"]
    assert second.changes["fields"] == ["religion"]
    assert "christian" not in second.content()
    # Not on the person's own row: reading a person's details never reads it.
    assert not any(f.name == "ethnicity" for f in Person._meta.get_fields())
    vehicle = services.create_vehicle(VehicleDetails(vrm="AB12CDE"), by=officer)
    with pytest.raises(services.SubjectError, match="not a person"):
        services.set_special_category(vehicle, SpecialCategoryEntry(), by=officer)


@pytest.fixture
def boundaries(tmp_path):
    square = [[-0.3, 51.4], [0.0, 51.4], [0.0, 51.6], [-0.3, 51.6], [-0.3, 51.4]]
    wards = write_geojson(
        tmp_path / "wards.geojson",
        [({"WD22CD": "E05900011", "WD22NM": "Alderby Central", "LAD22CD": "E09900001"}, square)],
    )
    lsoas = write_geojson(
        tmp_path / "lsoas.geojson",
        [({"LSOA21CD": "E01900001", "LSOA21NM": "Alderby 001A"}, square)],
    )
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        ingest(store, wards, lsoas)
    return path


def test_place_located_in_its_ward_and_lsoa(officer, boundaries):
    subject = services.create_place(
        PlaceDetails(
            place_type="licensed_premises",
            name="The Red Lion",
            line_1="2 High St",
            postcode="nb1 3df",
            uprn="0010001",
            easting=530000,
            northing=180000,
        ).cleaned(TODAY),
        by=officer,
        store_path=boundaries,
    )
    place = Place.objects.get(subject=subject)
    assert subject.display_name == "The Red Lion, 2 High St, NB1 3DF"
    assert (place.ward_code, place.lsoa_code) == ("E05900011", "E01900001")
    assert place.area_status == AreaStatus.LOCATED
    assert place.latitude == pytest.approx(51.504, abs=0.001) and place.uprn == "10001"
    assert place.address_key == "the red lion 2 high street nb1 3df"
    assert entries_for(subject)[0].changes["area_status"] == "located"


def test_place_without_boundaries_or_point_says_so(officer, tmp_path):
    no_store = services.create_place(
        PlaceDetails(line_1="1 Mill Road", latitude=51.5, longitude=-0.1).cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "none.duckdb",
    )
    assert Place.objects.get(subject=no_store).area_status == AreaStatus.NO_BOUNDARIES
    assert Place.objects.get(subject=no_store).easting == pytest.approx(531980, abs=20)
    no_point = services.create_place(
        PlaceDetails(line_1="1 Mill Road").cleaned(TODAY), by=officer, store_path=tmp_path / "x"
    )
    assert Place.objects.get(subject=no_point).area_status == AreaStatus.NO_POINT


def test_relocating_after_boundaries_are_loaded(officer, boundaries, tmp_path):
    subject = services.create_place(
        PlaceDetails(line_1="1 Mill Road", latitude=51.5, longitude=-0.1).cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "none.duckdb",
    )
    place = services.relocate_place(subject, by=officer, store_path=boundaries)
    assert place.area_status == AreaStatus.LOCATED and place.ward_name == "Alderby Central"
    assert entries_for(subject)[-1].changes["fields"] == [
        "area_status",
        "lsoa_code",
        "lsoa_name",
        "ward_code",
        "ward_name",
    ]


def test_an_address_at_a_place_follows_the_place(officer, tmp_path):
    place = services.create_place(
        PlaceDetails(line_1="4 Mill Road", postcode="NB1 2AB").cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "none",
    )
    resident = person(officer, "Grace", "Adeyemi")
    address = services.add_address(
        resident, AddressEntry(place_id=place.pk).cleaned(TODAY), by=officer
    )
    assert (address.place_id, address.postcode) == (place.pk, "NB1 2AB")
    services.update_place(
        place,
        PlaceDetails(line_1="4 Mill Road", postcode="NB1 2AD", uprn="555").cleaned(TODAY),
        version=1,
        by=officer,
        store_path=tmp_path / "none",
    )
    address.refresh_from_db()
    assert (address.postcode, address.uprn) == ("NB1 2AD", "555")
    with pytest.raises(services.SubjectError, match="must be a place"):
        services.add_address(resident, AddressEntry(place_id=resident.pk), by=officer)


def test_vehicle_keeps_the_mark_as_entered(officer):
    subject = services.create_vehicle(
        VehicleDetails(vrm="ab12 cde", make="Ford", colour="Blue").cleaned(TODAY),
        entered_vrm="ab12 cde",
        by=officer,
    )
    vehicle = Vehicle.objects.get(subject=subject)
    assert (vehicle.vrm, vehicle.vrm_entered, vehicle.vrm_lookalike) == (
        "AB12CDE",
        "ab12 cde",
        "A812CDE",
    )
    assert subject.display_name == "AB12 CDE"
    with pytest.raises(services.StaleEdit):
        services.update_vehicle(subject, VehicleDetails(vrm="AB12CDF"), version=7, by=officer)


def test_group_keys_follow_its_name(officer):
    subject = services.create_group(
        GroupDetails(group_type="street_group", name="Mill Road Crew").cleaned(TODAY), by=officer
    )
    assert set(NameKey.objects.filter(subject=subject).values_list("key", flat=True)) == {
        "gw:MLRTKR",
        "gt:ML",
        "gt:RT",
        "gt:KR",
    }
    services.update_group(
        subject,
        GroupDetails(group_type="gang", name="Mill Boys").cleaned(TODAY),
        version=1,
        by=officer,
    )
    assert "gw:MLBS" in set(NameKey.objects.filter(subject=subject).values_list("key", flat=True))
    assert Subject.objects.get(pk=subject.pk).display_name == "Mill Boys"


def test_links_join_the_right_kinds_and_are_audited_on_both_ends(officer, tmp_path):
    parent = person(officer, "Grace", "Adeyemi")
    child = person(officer, "Toby", "Adeyemi")
    home = services.create_place(
        PlaceDetails(line_1="4 Mill Road").cleaned(TODAY), by=officer, store_path=tmp_path / "x"
    )
    car = services.create_vehicle(VehicleDetails(vrm="AB12CDE"), by=officer)
    services.add_link(parent, child, LinkEntry("parent_of").cleaned(TODAY), by=officer)
    services.add_link(parent, home, LinkEntry("lives_at").cleaned(TODAY), by=officer)
    link = services.add_link(parent, car, LinkEntry("keeper_of").cleaned(TODAY), by=officer)
    assert entries_for(car)[-1].changes["other"] == parent.pk
    with pytest.raises(services.SubjectError, match="cannot be “lives at” a vehicle"):
        services.add_link(parent, car, LinkEntry("lives_at"), by=officer)
    with pytest.raises(services.SubjectError, match="itself"):
        services.add_link(parent, parent, LinkEntry("associate_of"), by=officer)
    services.end_detail(link, TODAY, by=officer)

    net = network(child, depth=2)
    assert [n.subject_id for n in net.nodes] == [child.pk, parent.pk, home.pk, car.pk]
    assert [n.depth for n in net.nodes] == [0, 1, 2, 2]
    edge = next(e for e in net.edges if e.to_id == child.pk)
    assert (edge.label, edge.reverse_label) == ("Parent of", "Child of")
    ended = next(e for e in net.edges if e.to_id == car.pk)
    assert not ended.current(date(2026, 12, 1)) and ended.current(TODAY)
    assert len(network(child, depth=1).nodes) == 2
    small = network(child, depth=2, max_nodes=3)
    assert small.truncated and len(small.nodes) == 3
    positions = layout(net)
    assert positions[child.pk] == (300.0, 300.0)
    assert len(set(positions.values())) == 4


def test_a_merged_subject_cannot_be_edited(officer):
    keep = person(officer, "Grace", "Adeyemi")
    gone = person(officer, "Grace", "Adeyemi")
    services.merge(keep, gone, by=officer, reason="Same person: same NHS number")
    gone.refresh_from_db()
    with pytest.raises(services.SubjectError, match=f"merged into subject {keep.pk}"):
        services.add_flag(gone, FlagEntry("vulnerable"), by=officer)
    with pytest.raises(services.SubjectError, match="merged into"):
        services.add_link(keep, gone, LinkEntry("associate_of"), by=officer)
    assert PersonAddress.objects.count() == 0


def test_bad_input_to_a_service_names_every_field_and_stores_nothing(officer):
    with pytest.raises(ValidationError) as bad:
        services.create_person(
            name=NameEntry("Ann", ""),
            details=PersonDetails(date_of_birth=date(2027, 1, 1)),
            identifiers=[
                IdentifierEntry("nhs", "943 476 5919"),
                IdentifierEntry("nhs", "943 476 5918"),
            ],
            addresses=[AddressEntry(postcode="NB1")],
            by=officer,
        )
    assert set(bad.value.message_dict) == {
        "family_name",
        "date_of_birth",
        "identifiers-1-value",
        "addresses-0-postcode",
    }
    assert not Subject.objects.exists() and not AuditEntry.objects.exists()
    subject = person(officer, "Ann", "Okafor")
    with pytest.raises(ValidationError) as nhs:
        services.add_identifier(subject, IdentifierEntry("nhs", "943 476 5918"), by=officer)
    assert list(nhs.value.message_dict) == ["value"]
    # Entries the caller did not clean are cleaned here: stored in their normal form.
    row = services.add_identifier(subject, IdentifierEntry("nhs", "943 476 5919"), by=officer)
    assert row.value == "9434765919"
