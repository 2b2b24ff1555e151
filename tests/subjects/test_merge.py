"""Merging two records of one person keeps both histories and re-points everything; an
admin's unmerge restores exactly what the merge moved, including what a registered
re-pointer (the cases app's hook) moved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from saferhub.audit.models import AuditEntry
from saferhub.subjects import hooks, services
from saferhub.subjects.entries import (
    AddressEntry,
    FlagEntry,
    IdentifierEntry,
    LinkEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    SpecialCategoryEntry,
    VehicleDetails,
)
from saferhub.subjects.errors import MergeError
from saferhub.subjects.models import (
    Flag,
    Identifier,
    Link,
    MergeRecord,
    NameKey,
    Person,
    PersonAddress,
    PersonName,
    SpecialCategory,
    Subject,
)
from saferhub.subjects.search import by_name

from .conftest import TODAY, person

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def state(*subjects: Subject) -> dict:
    """Everything that says which subject a row belongs to, for an exact before/after."""
    ids = [s.pk for s in subjects]
    return {
        "subjects": sorted(
            Subject.objects.filter(pk__in=ids).values_list("pk", "merged_into", "display_name")
        ),
        "names": sorted(
            PersonName.objects.filter(subject__in=ids).values_list("pk", "subject", "type")
        ),
        "keys": sorted(NameKey.objects.filter(subject__in=ids).values_list("pk", "subject")),
        "addresses": sorted(
            PersonAddress.objects.all().values_list("pk", "subject", "place", "postcode", "uprn")
        ),
        "identifiers": sorted(Identifier.objects.values_list("pk", "subject")),
        "flags": sorted(Flag.objects.values_list("pk", "subject")),
        "links": sorted(Link.objects.values_list("pk", "from_subject", "to_subject")),
        "special": sorted(SpecialCategory.objects.values_list("pk", "subject")),
        "people": sorted(
            Person.objects.filter(subject__in=ids).values_list("subject", "date_of_birth", "gender")
        ),
    }


@pytest.fixture
def case_subjects():
    """A stand-in for the cases app: case subject rows held in a dictionary, moved by a
    re-pointer registered exactly as the cases app registers its own."""
    rows: dict[int, int] = {}

    def repoint(keep, absorbed) -> dict:
        moved = sorted(pk for pk, subject in rows.items() if subject == absorbed.pk)
        for pk in moved:
            rows[pk] = keep.pk
        return {"case_subjects": moved}

    def restore(keep, absorbed, moved: dict) -> None:
        for pk in moved["case_subjects"]:
            if rows.get(pk) == keep.pk:
                rows[pk] = absorbed.pk

    hooks.register_repointer("test-cases", repoint=repoint, restore=restore)
    yield rows
    hooks.unregister_repointer("test-cases")


@pytest.fixture
def pair(officer, tmp_path):
    """One person entered twice, each record with its own history, plus others linked in."""
    keep = person(officer, "Jonathan Paul", "Whitaker", date(1990, 3, 4))
    absorb = services.create_person(
        name=NameEntry("Paul Jonathon", "Whittaker").cleaned(TODAY),
        details=PersonDetails(gender="male"),
        other_names=[NameEntry("JP", "Whit", type="alias").cleaned(TODAY)],
        addresses=[AddressEntry(line_1="4 Mill Road", postcode="NB1 2AB").cleaned(TODAY)],
        identifiers=[IdentifierEntry("pnc", "12/1234567C").cleaned(TODAY)],
        flags=[FlagEntry("violent_to_staff").cleaned(TODAY)],
        by=officer,
    )
    services.set_special_category(absorb, SpecialCategoryEntry(religion="none"), by=officer)
    friend = person(officer, "Oliver", "Hartley")
    car = services.create_vehicle(VehicleDetails(vrm="AB12CDE"), by=officer)
    services.add_link(absorb, car, LinkEntry("keeper_of").cleaned(TODAY), by=officer)
    services.add_link(friend, absorb, LinkEntry("associate_of").cleaned(TODAY), by=officer)
    services.add_link(keep, absorb, LinkEntry("associate_of").cleaned(TODAY), by=officer)
    services.add_flag(keep, FlagEntry("interpreter_needed").cleaned(TODAY), by=officer)
    keep.refresh_from_db()
    absorb.refresh_from_db()
    return keep, absorb, friend, car


def test_merge_re_points_everything_and_keeps_both_histories(officer, pair, case_subjects):
    keep, absorb, friend, car = pair
    case_subjects.update({101: absorb.pk, 102: keep.pk, 103: friend.pk})
    record = services.merge(
        keep,
        absorb,
        by=officer,
        reason="Same PNC ID on both",
        keep_version=keep.version,
        absorb_version=absorb.version,
    )
    absorb.refresh_from_db()
    assert absorb.merged_into == keep  # the absorbed row stays, pointing at the kept one
    assert keep.names.count() == 3
    assert set(keep.names.values_list("type", flat=True)) == {"main", "alias"}
    assert keep.identifiers.get().value == "12/1234567C"
    assert keep.flags.count() == 2 and keep.addresses.count() == 1
    assert SpecialCategory.objects.get().subject == keep
    assert Link.objects.get(to_subject=car).from_subject == keep
    assert Link.objects.get(from_subject=friend).to_subject == keep
    # The link between the two is left as it was: it would join the kept subject to itself.
    assert Link.objects.filter(from_subject=keep, to_subject=absorb).count() == 1
    # The kept person's empty gender is filled from the absorbed one; its DOB is its own.
    assert Person.objects.get(subject=keep).gender == "male"
    assert record.moved["filled"] == {
        "gender": {"was": "", "now": "male"},
    }
    assert case_subjects == {101: keep.pk, 102: keep.pk, 103: friend.pk}
    assert record.moved["hooks"]["test-cases"] == {"case_subjects": [101]}
    # Searching the absorbed record's names now finds the kept subject only.
    assert list(by_name("JP Whit")) == [keep]
    entries = AuditEntry.objects.filter(object_type="subjects.Subject").order_by("-id")[:2]
    kept_entry = next(e for e in entries if e.object_id == str(keep.pk))
    assert kept_entry.changes["part"] == "merge"
    assert kept_entry.changes["reason"] == "Same PNC ID on both"
    assert kept_entry.changes["moved"]["names"] == 2


def test_unmerge_restores_exactly(officer, admin, pair, case_subjects):
    keep, absorb, friend, car = pair
    case_subjects.update({101: absorb.pk, 102: keep.pk})
    before = state(keep, absorb, friend, car)
    record = services.merge(keep, absorb, by=officer, reason="Looked the same")
    # Something added to the kept subject after the merge stays with it.
    later = services.add_flag(keep, FlagEntry("vulnerable").cleaned(TODAY), by=officer)
    services.unmerge(record, by=admin, reason="Different people: PNC was mistyped")
    after = state(keep, absorb, friend, car)
    later_flag = (later.pk, keep.pk)
    assert after["flags"] == sorted([*before["flags"], later_flag])
    assert {k: v for k, v in after.items() if k != "flags"} == {
        k: v for k, v in before.items() if k != "flags"
    }
    assert case_subjects == {101: absorb.pk, 102: keep.pk}
    record.refresh_from_db()
    assert record.undone_by == admin and record.undone_at is not None
    assert list(by_name("JP Whit")) == [absorb]
    with pytest.raises(MergeError, match="already been undone"):
        services.unmerge(record, by=admin)


def test_only_an_admin_can_unmerge(officer, pair):
    keep, absorb, *_ = pair
    record = services.merge(keep, absorb, by=officer, reason="Same person")
    with pytest.raises(PermissionDenied):
        services.unmerge(record, by=officer)
    assert MergeRecord.objects.get().undone_at is None
    assert Subject.objects.get(pk=absorb.pk).merged_into_id == keep.pk


def test_filled_date_of_birth_is_cleared_on_unmerge_unless_changed_since(officer, admin):
    keep = person(officer, "Grace", "Adeyemi")
    absorb = person(officer, "Grace", "Adeyemi", date(1985, 2, 1))
    record = services.merge(keep, absorb, by=officer, reason="Same person")
    assert Person.objects.get(subject=keep).date_of_birth == date(1985, 2, 1)
    services.unmerge(record, by=admin)
    assert Person.objects.get(subject=keep).date_of_birth is None
    assert Person.objects.get(subject=absorb).date_of_birth == date(1985, 2, 1)

    record = services.merge(keep, absorb, by=officer, reason="Same person after all")
    keep.refresh_from_db()
    services.update_person(
        keep,
        details=PersonDetails(date_of_birth=date(1985, 2, 2)),
        version=keep.version,
        by=officer,
    )
    services.unmerge(record, by=admin)
    assert Person.objects.get(subject=keep).date_of_birth == date(1985, 2, 2)


def test_merge_refusals(officer, admin, tmp_path):
    a = person(officer, "Grace", "Adeyemi")
    b = person(officer, "Grace", "Adeyemi")
    c = person(officer, "Grace", "Adeyemi")
    place = services.create_place(
        PlaceDetails(line_1="1 Mill Road").cleaned(TODAY), by=officer, store_path=tmp_path / "x"
    )
    with pytest.raises(MergeError, match="itself"):
        services.merge(a, a, by=officer, reason="x")
    with pytest.raises(MergeError, match="one kind"):
        services.merge(a, place, by=officer, reason="x")
    with pytest.raises(ValidationError) as no_reason:
        services.merge(a, b, by=officer, reason=" ")
    assert list(no_reason.value.message_dict) == ["reason"]
    with pytest.raises(services.StaleEdit):
        services.merge(a, b, by=officer, reason="x", keep_version=a.version + 1)
    first = services.merge(a, b, by=officer, reason="Same person")
    with pytest.raises(MergeError, match="already merged"):
        services.merge(c, b, by=officer, reason="x")
    # Merged on into another: the first merge cannot be undone before the second.
    second = services.merge(c, a, by=officer, reason="Same person again")
    assert Subject.objects.get(pk=b.pk).merged_into_id == c.pk  # followed to the new keeper
    with pytest.raises(MergeError, match="undo that merge first"):
        services.unmerge(first, by=admin)
    services.unmerge(second, by=admin)
    assert Subject.objects.get(pk=b.pk).merged_into_id == a.pk
    services.unmerge(first, by=admin)
    assert Subject.objects.get(pk=b.pk).merged_into_id is None


def test_a_failing_re_pointer_rolls_the_whole_merge_back(officer, pair):
    keep, absorb, *_ = pair
    before = state(*pair)

    def broken(keep, absorbed):
        raise RuntimeError("cases app unavailable")

    hooks.register_repointer("broken", repoint=broken, restore=lambda *a: None)
    try:
        with pytest.raises(RuntimeError):
            services.merge(keep, absorb, by=officer, reason="Same person")
    finally:
        hooks.unregister_repointer("broken")
    assert state(*pair) == before
    assert not MergeRecord.objects.exists()


def test_merged_signal_is_sent_after_commit(officer, pair, django_capture_on_commit_callbacks):
    keep, absorb, *_ = pair
    heard = []

    def listener(sender, record, kept, absorbed, **kwargs):
        heard.append((record.pk, kept.pk, absorbed.pk))

    hooks.subject_merged.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            record = services.merge(keep, absorb, by=officer, reason="Same person")
    finally:
        hooks.subject_merged.disconnect(listener)
    assert heard == [(record.pk, keep.pk, absorb.pk)]


def test_merging_places_moves_their_residents(officer, admin, tmp_path):
    kept_place = services.create_place(
        PlaceDetails(line_1="4 Mill Road", postcode="NB1 2AB", uprn="555").cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "x",
    )
    copy = services.create_place(
        PlaceDetails(line_1="4 Mill Rd", postcode="NB1 2AB").cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "x",
    )
    resident = person(officer, "Sam", "Kerr")
    address = services.add_address(resident, AddressEntry(place_id=copy.pk), by=officer)
    record = services.merge(kept_place, copy, by=officer, reason="One house")
    address.refresh_from_db()
    assert (address.place_id, address.uprn) == (kept_place.pk, "555")
    services.unmerge(record, by=admin)
    address.refresh_from_db()
    assert (address.place_id, address.uprn) == (copy.pk, "")
