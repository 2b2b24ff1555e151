"""Every change to a subject, each in one transaction with its audit entry.

Pages, imports and the CLI call these and nothing else writes subject tables. Each takes
cleaned entries (`entries.py`: call `entry.cleaned(today)` first, which names every bad
field), the user making the change and, for edits, the subject `version` the editor saw:
if someone changed the subject since, `StaleEdit` says who changed what and nothing is
written. Audit entries are written against the Subject (so one subject's history is one
query) and name the part and the fields changed, never the values (names, addresses and
identifiers stay out of the log).

Merging and unmerging are in `merging.py` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..audit.log import record
from ..audit.models import Action, AuditEntry
from . import areas, hooks
from . import normalise as n
from .entries import (
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
from .errors import Change, StaleEdit, SubjectError
from .geography import grid_to_wgs84, wgs84_to_grid
from .models import (
    ContactDetail,
    DistinctName,
    Flag,
    Group,
    Identifier,
    Link,
    NameKey,
    Person,
    PersonAddress,
    PersonName,
    Place,
    SpecialCategory,
    Subject,
    Vehicle,
)
from .vocabulary import LINK_RULES, AreaStatus, Kind, LinkType, NameType

T = TypeVar("T")

__all__ = [
    "StaleEdit",
    "SubjectError",
    "add_address",
    "add_contact",
    "add_flag",
    "add_identifier",
    "add_link",
    "add_name",
    "create_group",
    "create_person",
    "create_place",
    "create_vehicle",
    "end_detail",
    "merge",
    "relocate_place",
    "remove_detail",
    "set_special_category",
    "unmerge",
    "update_group",
    "update_name",
    "update_person",
    "update_place",
    "update_vehicle",
]


def _edits(service: Callable[..., T]) -> Callable[..., T]:
    """A service that changes a stored subject: it first asks the edit check sharing
    registers (`hooks.register_edit_check`; none registered refuses), whoever calls it (a
    page, an import, a command). The subject is the first argument, or the owner of the
    detail row given first. A refusal is on the audit log and writes nothing."""

    @wraps(service)
    def checked(first, *args, by, request=None, **kwargs):
        subject = first if isinstance(first, Subject) else _owner(first)
        if not hooks.may_edit(by, subject):
            with transaction.atomic():
                record(
                    action=Action.VIEW,
                    request=request,
                    actor=by if getattr(by, "is_authenticated", False) else None,
                    obj=subject,
                    changes={"refused": "edit subject", "service": service.__name__},
                )
            raise PermissionDenied("not allowed to change this subject")
        return service(first, *args, by=by, request=request, **kwargs)

    return checked


def today() -> date:
    return timezone.localdate()


def clean(entry, prefix: str = ""):
    """An entry checked and normalised again here, so nothing reaches a table unchecked
    whoever called (cleaning a cleaned entry changes nothing)."""
    return entry.cleaned(today(), prefix)


def _raise(exc: Exception):
    raise exc


def _clean_lists(**lists) -> dict[str, list]:
    """Each list of entries cleaned, every problem of every row gathered into one
    ValidationError keyed like a formset ("identifiers-0-value")."""
    problems = n.Problems()
    cleaned: dict[str, list] = {}
    for label, entries in lists.items():
        cleaned[label] = [
            problems.check(clean, entry, f"{label}-{i}-") for i, entry in enumerate(entries)
        ]
    problems.done()
    return cleaned


# ---------------------------------------------------------------------------------------------
# Versions and audit


def changes_since(subject_id: int, seen: int) -> list[Change]:
    """What the audit log says happened to a subject after version `seen`."""
    entries = AuditEntry.objects.filter(
        object_type=Subject._meta.label, object_id=str(subject_id)
    ).order_by("-id")[:50]
    found = []
    for entry in entries:
        version = entry.changes.get("version") if isinstance(entry.changes, dict) else None
        if isinstance(version, int) and version > seen:
            found.append(
                Change(
                    at=entry.at,
                    by=entry.actor_label,
                    action=entry.action,
                    part=str(entry.changes.get("part", "")),
                    fields=tuple(entry.changes.get("fields", ())),
                    version=version,
                )
            )
    return sorted(found, key=lambda c: c.version)


def advance(subject: Subject, seen: int | None) -> int:
    """Move the subject to its next version (refusing with StaleEdit if it is no longer at
    `seen`, or SubjectError if it has been merged away); returns the new version."""
    current = Subject.objects.filter(pk=subject.pk).values_list("version", "merged_into").first()
    if current is None:
        raise SubjectError("This subject no longer exists")
    if current[1] is not None:
        raise SubjectError(
            f"This subject was merged into subject {current[1]}: make the change there"
        )
    matching = Subject.objects.filter(pk=subject.pk)
    if seen is not None:
        matching = matching.filter(version=seen)
    if not matching.update(version=F("version") + 1):
        raise StaleEdit(subject.pk, seen or 0, current[0], changes_since(subject.pk, seen or 0))
    if seen is None:  # another writer may have moved it too: read it back
        subject.version = Subject.objects.values_list("version", flat=True).get(pk=subject.pk)
    else:
        subject.version = seen + 1
    return subject.version


def audit(subject: Subject, action: str, *, by, request=None, **changes) -> None:
    record(
        action=action,
        request=request,
        actor=by,
        obj=subject,
        changes={"kind": subject.kind, "version": subject.version, **changes},
    )


def _changed(row, values: dict) -> list[str]:
    return sorted(k for k, v in values.items() if getattr(row, k) != v)


def _require(subject: Subject, *kinds: str) -> None:
    if subject.kind not in kinds:
        wanted = " or ".join(Kind(k).label.lower() for k in kinds)
        raise SubjectError(f"This is a {subject.get_kind_display().lower()}, not a {wanted}")


def _new_subject(kind: str, display_name: str, by) -> Subject:
    return Subject.objects.create(kind=kind, display_name=display_name[:300], created_by=by)


# ---------------------------------------------------------------------------------------------
# People


def _write_keys(subject: Subject, name: PersonName) -> None:
    NameKey.objects.filter(name=name).delete()
    NameKey.objects.bulk_create(
        NameKey(subject=subject, name=name, key=key)
        for key in sorted(n.name_keys(name.given_names, name.family_name))
    )


def _save_name(subject: Subject, entry: NameEntry, by, row: PersonName | None = None):
    row = row or PersonName(subject=subject, created_by=by)
    row.given_names = entry.given_names
    row.family_name = entry.family_name
    row.type = entry.type
    row.used_from = entry.used_from
    row.used_to = entry.used_to
    row.search_name = n.search_name(entry.given_names, entry.family_name)[:210]
    row.save()
    _write_keys(subject, row)
    _note_distinct(row.search_name)
    return row


def _note_distinct(search_name: str) -> None:
    """Record `search_name` among the distinct names trigram matching runs on (a no-op when
    it is there already). Never removed when a name is corrected, merged or removed: a
    distinct name no row carries any longer only costs a lookup that finds nothing."""
    DistinctName.objects.bulk_create([DistinctName(text=search_name)], ignore_conflicts=True)


def _refresh_person_display(subject: Subject) -> None:
    main = (
        PersonName.objects.filter(subject=subject, type=NameType.MAIN).order_by("-id").first()
        or PersonName.objects.filter(subject=subject).order_by("id").first()
    )
    if main is not None:
        name = " ".join(p for p in (main.given_names, main.family_name) if p)
        Subject.objects.filter(pk=subject.pk).update(display_name=name[:300])
        subject.display_name = name[:300]


def _demote_main(subject: Subject, keep: PersonName | None, since: date | None) -> list[int]:
    """A new main name makes the old main name a previous name (ending when the new began)."""
    demoted = PersonName.objects.filter(subject=subject, type=NameType.MAIN)
    if keep is not None:
        demoted = demoted.exclude(pk=keep.pk)
    ids = list(demoted.values_list("pk", flat=True))
    demoted.filter(used_to__isnull=True).update(used_to=since)
    PersonName.objects.filter(pk__in=ids).update(type=NameType.PREVIOUS)
    return ids


def create_person(
    *,
    name: NameEntry,
    details: PersonDetails | None = None,
    by,
    request=None,
    other_names: tuple[NameEntry, ...] | list[NameEntry] = (),
    addresses: tuple[AddressEntry, ...] | list[AddressEntry] = (),
    contacts: tuple[ContactEntry, ...] | list[ContactEntry] = (),
    identifiers: tuple[IdentifierEntry, ...] | list[IdentifierEntry] = (),
    flags: tuple[FlagEntry, ...] | list[FlagEntry] = (),
) -> Subject:
    """A new person with a main name and whatever else is known, in one transaction."""
    problems = n.Problems()
    main = problems.check(clean, replace(name, type=NameType.MAIN))
    details = problems.check(clean, details or PersonDetails())
    try:
        lists = _clean_lists(
            other_names=other_names,
            addresses=addresses,
            contacts=contacts,
            identifiers=identifiers,
            flags=flags,
        )
    except ValidationError as exc:
        problems.check(_raise, exc)
    problems.done()
    other_names, addresses = lists["other_names"], lists["addresses"]
    contacts, identifiers, flags = lists["contacts"], lists["identifiers"], lists["flags"]
    with transaction.atomic():
        subject = _new_subject(Kind.PERSON, main.full_name, by)
        Person.objects.create(subject=subject, **details.__dict__)
        _save_name(subject, main, by)
        for entry in other_names:
            if entry.type == NameType.MAIN:
                raise SubjectError("A person has one main name: record the others as aliases")
            _save_name(subject, entry, by)
        for entry in addresses:
            _save_address(subject, entry, by)
        for entry in contacts:
            ContactDetail.objects.create(subject=subject, created_by=by, **entry.__dict__)
        for entry in identifiers:
            Identifier.objects.create(subject=subject, created_by=by, **entry.__dict__)
        for entry in flags:
            Flag.objects.create(subject=subject, created_by=by, **entry.__dict__)
        audit(
            subject,
            Action.CREATE,
            by=by,
            request=request,
            names=1 + len(other_names),
            addresses=len(addresses),
            contacts=len(contacts),
            identifiers=len(identifiers),
            flags=len(flags),
        )
    return subject


@_edits
def update_person(
    subject: Subject, *, details: PersonDetails, version: int, by, request=None
) -> Subject:
    """Change a person's date of birth, estimated age or gender."""
    _require(subject, Kind.PERSON)
    details = clean(details)
    with transaction.atomic():
        person = Person.objects.get(subject=subject)
        values = details.__dict__
        fields = _changed(person, values)
        advance(subject, version)
        for key, value in values.items():
            setattr(person, key, value)
        person.save()
        audit(subject, Action.UPDATE, by=by, request=request, part="person", fields=fields)
    return subject


def _audit_added(subject: Subject, row, part: str, *, by, request, **noted) -> None:
    """The audit entry of a detail added to a subject: which part, which row, what kind."""
    audit(
        subject, Action.UPDATE, by=by, request=request, part=part, row=row.pk, added=True, **noted
    )


def _add_row(subject: Subject, model, entry, part: str, *, by, version, request):
    """Add a detail kept as given (a contact, identifier or flag), audited with its type."""
    with transaction.atomic():
        advance(subject, version)
        row = model.objects.create(subject=subject, created_by=by, **entry.__dict__)
        _audit_added(subject, row, part, by=by, request=request, **{f"{part}_type": entry.type})
    return row


@_edits
def add_name(
    subject: Subject, entry: NameEntry, *, by, version: int | None = None, request=None
) -> PersonName:
    """Another name (an alias, a previous or maiden name); a new main name makes the current
    one a previous name."""
    _require(subject, Kind.PERSON)
    entry = clean(entry)
    with transaction.atomic():
        advance(subject, version)
        row = _save_name(subject, entry, by)
        demoted = _demote_main(subject, row, entry.used_from) if entry.type == NameType.MAIN else []
        _refresh_person_display(subject)
        _audit_added(
            subject, row, "name", by=by, request=request, name_type=entry.type, demoted=demoted
        )
    return row


@_edits
def update_name(row: PersonName, entry: NameEntry, *, by, version: int, request=None) -> PersonName:
    """Correct a name (its keys are worked out again)."""
    entry = clean(entry)
    subject = row.subject
    if row.type == NameType.MAIN and entry.type != NameType.MAIN:
        raise SubjectError("Add the new main name first: a person always has a main name")
    with transaction.atomic():
        fields = _changed(row, entry.__dict__)
        advance(subject, version)
        _save_name(subject, entry, by, row)
        if entry.type == NameType.MAIN:
            _demote_main(subject, row, entry.used_from)
        _refresh_person_display(subject)
        audit(
            subject, Action.UPDATE, by=by, request=request, part="name", row=row.pk, fields=fields
        )
    return row


def _save_address(subject: Subject, entry: AddressEntry, by) -> PersonAddress:
    row = PersonAddress(
        subject=subject,
        created_by=by,
        lived_from=entry.lived_from,
        lived_to=entry.lived_to,
    )
    if entry.place_id is not None:
        place = Place.objects.filter(subject_id=entry.place_id).first()
        if place is None:
            raise SubjectError("The address must be a place (choose one, or type the address)")
        if place.subject.merged_into_id is not None:
            raise SubjectError(
                f"That place was merged into place {place.subject.merged_into_id}: use that"
            )
        row.place_id = entry.place_id
        row.postcode, row.uprn, row.address_key = place.postcode, place.uprn, place.address_key
    else:
        row.line_1, row.line_2, row.town = entry.line_1, entry.line_2, entry.town
        row.postcode = entry.postcode
        row.address_key = n.address_key(entry.line_1, entry.line_2, entry.postcode)[:400]
    row.save()
    return row


@_edits
def add_address(
    subject: Subject, entry: AddressEntry, *, by, version: int | None = None, request=None
) -> PersonAddress:
    _require(subject, Kind.PERSON, Kind.GROUP)
    entry = clean(entry)
    with transaction.atomic():
        advance(subject, version)
        row = _save_address(subject, entry, by)
        _audit_added(subject, row, "address", by=by, request=request, place=row.place_id)
    return row


@_edits
def add_contact(
    subject: Subject, entry: ContactEntry, *, by, version: int | None = None, request=None
) -> ContactDetail:
    entry = clean(entry)
    return _add_row(
        subject, ContactDetail, entry, "contact", by=by, version=version, request=request
    )


@_edits
def add_identifier(
    subject: Subject, entry: IdentifierEntry, *, by, version: int | None = None, request=None
) -> Identifier:
    """A typed identifier; the same identifier twice on one subject is refused."""
    entry = clean(entry)
    with transaction.atomic():
        if Identifier.objects.filter(subject=subject, type=entry.type, value=entry.value).exists():
            raise SubjectError("This subject already has that identifier")
        return _add_row(
            subject, Identifier, entry, "identifier", by=by, version=version, request=request
        )


@_edits
def add_flag(
    subject: Subject, entry: FlagEntry, *, by, version: int | None = None, request=None
) -> Flag:
    entry = clean(entry)
    return _add_row(subject, Flag, entry, "flag", by=by, version=version, request=request)


@_edits
def set_special_category(
    subject: Subject,
    entry: SpecialCategoryEntry,
    *,
    by,
    version: int | None = None,
    request=None,
) -> SpecialCategory:
    """Record or change a person's special category data (audited as its own part, so the
    log shows every change to it)."""
    _require(subject, Kind.PERSON)
    entry = clean(entry)
    with transaction.atomic():
        row = SpecialCategory.objects.filter(subject=subject).first()
        values = entry.__dict__
        fields = _changed(row, values) if row else sorted(k for k, v in values.items() if v)
        advance(subject, version)
        if row is None:
            row = SpecialCategory(subject=subject)
        for key, value in values.items():
            setattr(row, key, value)
        row.recorded_by = by
        row.save()
        audit(
            subject,
            Action.UPDATE,
            by=by,
            request=request,
            part="special_category",
            fields=fields,
        )
    return row


# ---------------------------------------------------------------------------------------------
# Ending and removing details

# The date field that ends each kind of dated row.
_ENDS = {
    PersonName: ("used_from", "used_to"),
    PersonAddress: ("lived_from", "lived_to"),
    Flag: ("valid_from", "valid_to"),
    Link: ("started_on", "ended_on"),
}
_PARTS = {
    PersonName: "name",
    PersonAddress: "address",
    ContactDetail: "contact",
    Identifier: "identifier",
    Flag: "flag",
    Link: "link",
}


def _owner(row) -> Subject:
    return row.from_subject if isinstance(row, Link) else row.subject


@_edits
def end_detail(row, ended_on: date, *, by, version: int | None = None, request=None):
    """Mark a name, address, flag or link as ended on `ended_on` (kept, as history)."""
    if type(row) not in _ENDS:
        raise SubjectError("Only names, addresses, flags and links have an end date")
    start_field, end_field = _ENDS[type(row)]
    n.date_range(
        getattr(row, start_field),
        ended_on,
        start_field=start_field,
        end_field=end_field,
        today=today(),
    )
    if ended_on > today():
        raise n.invalid(end_field, "The end date must be today or in the past")
    subject = _owner(row)
    with transaction.atomic():
        advance(subject, version)
        setattr(row, end_field, ended_on)
        row.save(update_fields=[end_field])
        audit(
            subject,
            Action.UPDATE,
            by=by,
            request=request,
            part=_PARTS[type(row)],
            row=row.pk,
            fields=[end_field],
        )
    return row


@_edits
def remove_detail(row, *, by, reason: str, version: int | None = None, request=None) -> None:
    """Delete a detail entered by mistake (not the main name), with the reason audited.
    Something that was true and has ended is ended (`end_detail`), not removed."""
    if type(row) not in _PARTS:
        raise SubjectError("That is not a detail of a subject")
    if isinstance(row, PersonName) and row.type == NameType.MAIN:
        raise SubjectError("A person always has a main name: correct it instead")
    reason = n.text(reason, "reason", max_length=500, required=True)
    subject, part, pk = _owner(row), _PARTS[type(row)], row.pk
    with transaction.atomic():
        advance(subject, version)
        row.delete()
        audit(subject, Action.DELETE, by=by, request=request, part=part, row=pk, reason=reason)


# ---------------------------------------------------------------------------------------------
# Places


def _point_fields(details: PlaceDetails) -> dict:
    """Both forms of the point, whichever was given (latitude/longitude preferred)."""
    lat, lon, east, north = details.latitude, details.longitude, details.easting, details.northing
    if lat is not None and lon is not None and east is None:
        east, north = (round(v, 1) for v in wgs84_to_grid(lat, lon))
    elif east is not None and north is not None and lat is None:
        lat, lon = (round(v, 6) for v in grid_to_wgs84(east, north))
    return {"latitude": lat, "longitude": lon, "easting": east, "northing": north}


def area_fields(latitude: float | None, longitude: float | None, *, store_path=None) -> dict:
    """Ward, LSOA and how they were found, for a point (the place's `area_status`)."""
    blank = {"ward_code": "", "ward_name": "", "lsoa_code": "", "lsoa_name": ""}
    if latitude is None or longitude is None:
        return {**blank, "area_status": AreaStatus.NO_POINT}
    try:
        found = areas.locate(areas.Point(longitude, latitude), store_path=store_path)
    except areas.NoBoundaries:
        return {**blank, "area_status": AreaStatus.NO_BOUNDARIES}
    if found is None:
        return {**blank, "area_status": AreaStatus.OUTSIDE}
    status = AreaStatus.LOCATED if found.complete else AreaStatus.PARTLY
    return {**found.__dict__, "area_status": status}


def _place_values(details: PlaceDetails, store_path) -> dict:
    point = _point_fields(details)
    return {
        "place_type": details.place_type,
        "name": details.name,
        "line_1": details.line_1,
        "line_2": details.line_2,
        "town": details.town,
        "postcode": details.postcode,
        "uprn": details.uprn,
        "address_key": n.address_key(
            details.name, details.line_1, details.line_2, details.postcode
        )[:400],
        **point,
        **area_fields(point["latitude"], point["longitude"], store_path=store_path),
    }


def _place_label(details: PlaceDetails) -> str:
    if details.label:
        return details.label
    if details.uprn:
        return f"UPRN {details.uprn}"
    if details.easting is not None:
        return f"Grid reference {details.easting:.0f}, {details.northing:.0f}"
    return f"Point {details.latitude:.5f}, {details.longitude:.5f}"


def create_place(details: PlaceDetails, *, by, request=None, store_path=None) -> Subject:
    """A new place, its ward and LSOA worked out from the evidence store (`store_path`, else
    the default store) when it has a point."""
    details = clean(details)
    values = _place_values(details, store_path)
    with transaction.atomic():
        subject = _new_subject(Kind.PLACE, _place_label(details), by)
        Place.objects.create(subject=subject, **values)
        audit(subject, Action.CREATE, by=by, request=request, area_status=values["area_status"])
    return subject


@_edits
def update_place(
    subject: Subject, details: PlaceDetails, *, version: int, by, request=None, store_path=None
) -> Subject:
    """Change a place; the people whose address it is keep their link and its new postcode."""
    _require(subject, Kind.PLACE)
    details = clean(details)
    values = _place_values(details, store_path)
    with transaction.atomic():
        place = Place.objects.get(subject=subject)
        fields = _changed(place, values)
        advance(subject, version)
        for key, value in values.items():
            setattr(place, key, value)
        place.save()
        PersonAddress.objects.filter(place=subject).update(
            postcode=place.postcode, uprn=place.uprn, address_key=place.address_key
        )
        subject.display_name = _place_label(details)[:300]
        Subject.objects.filter(pk=subject.pk).update(display_name=subject.display_name)
        audit(subject, Action.UPDATE, by=by, request=request, part="place", fields=fields)
    return subject


@_edits
def relocate_place(subject: Subject, *, by, request=None, store_path=None) -> Place:
    """Work out a place's ward and LSOA again (after new boundaries were loaded)."""
    _require(subject, Kind.PLACE)
    with transaction.atomic():
        place = Place.objects.get(subject=subject)
        values = area_fields(place.latitude, place.longitude, store_path=store_path)
        fields = _changed(place, values)
        for key, value in values.items():
            setattr(place, key, value)
        place.save()
        if fields:
            advance(subject, None)
        audit(subject, Action.UPDATE, by=by, request=request, part="area", fields=fields)
    return place


# ---------------------------------------------------------------------------------------------
# Vehicles and groups


def _vehicle_values(details: VehicleDetails, entered: str) -> dict:
    return {
        "vrm": details.vrm,
        "vrm_entered": (entered or details.vrm).strip()[:20],
        "vrm_lookalike": n.vrm_lookalike(details.vrm),
        "make": details.make,
        "model": details.model,
        "colour": details.colour,
    }


def create_vehicle(details: VehicleDetails, *, by, entered_vrm: str = "", request=None) -> Subject:
    """A new vehicle; the mark is kept as typed (`entered_vrm`, else `details.vrm` as given)
    and normalised."""
    entered_vrm = entered_vrm or details.vrm
    details = clean(details)
    with transaction.atomic():
        subject = _new_subject(Kind.VEHICLE, n.vrm_display(details.vrm), by)
        Vehicle.objects.create(subject=subject, **_vehicle_values(details, entered_vrm))
        audit(subject, Action.CREATE, by=by, request=request)
    return subject


@_edits
def update_vehicle(
    subject: Subject,
    details: VehicleDetails,
    *,
    version: int,
    by,
    entered_vrm: str = "",
    request=None,
) -> Subject:
    _require(subject, Kind.VEHICLE)
    entered_vrm = entered_vrm or details.vrm
    details = clean(details)
    values = _vehicle_values(details, entered_vrm)
    with transaction.atomic():
        vehicle = Vehicle.objects.get(subject=subject)
        fields = _changed(vehicle, values)
        advance(subject, version)
        for key, value in values.items():
            setattr(vehicle, key, value)
        vehicle.save()
        subject.display_name = n.vrm_display(details.vrm)
        Subject.objects.filter(pk=subject.pk).update(display_name=subject.display_name)
        audit(subject, Action.UPDATE, by=by, request=request, part="vehicle", fields=fields)
    return subject


def group_keys(subject: Subject, name: str) -> None:
    NameKey.objects.filter(subject=subject, name__isnull=True).delete()
    NameKey.objects.bulk_create(
        NameKey(subject=subject, key=key) for key in sorted(n.group_name_keys(name))
    )


def create_group(details: GroupDetails, *, by, request=None) -> Subject:
    details = clean(details)
    with transaction.atomic():
        subject = _new_subject(Kind.GROUP, details.name, by)
        Group.objects.create(subject=subject, **details.__dict__)
        group_keys(subject, details.name)
        audit(subject, Action.CREATE, by=by, request=request)
    return subject


@_edits
def update_group(
    subject: Subject, details: GroupDetails, *, version: int, by, request=None
) -> Subject:
    _require(subject, Kind.GROUP)
    details = clean(details)
    with transaction.atomic():
        group = Group.objects.get(subject=subject)
        fields = _changed(group, details.__dict__)
        advance(subject, version)
        for key, value in details.__dict__.items():
            setattr(group, key, value)
        group.save()
        group_keys(subject, details.name)
        subject.display_name = details.name[:300]
        Subject.objects.filter(pk=subject.pk).update(display_name=subject.display_name)
        audit(subject, Action.UPDATE, by=by, request=request, part="group", fields=fields)
    return subject


# ---------------------------------------------------------------------------------------------
# Links


def check_link(from_subject: Subject, to_subject: Subject, link_type: str) -> None:
    """Refuse a link between the wrong kinds ("lives at" a vehicle), to itself, or to a
    merged subject."""
    if from_subject.pk == to_subject.pk:
        raise SubjectError("A subject cannot be linked to itself")
    for end in (from_subject, to_subject):
        if end.merged_into_id is not None:
            raise SubjectError(
                f"Subject {end.pk} was merged into subject {end.merged_into_id}: link that one"
            )
    froms, tos, _ = LINK_RULES[link_type]
    if from_subject.kind not in froms or to_subject.kind not in tos:
        label = LinkType(link_type).label.lower()
        raise SubjectError(
            f"A {from_subject.get_kind_display().lower()} cannot be “{label}” a "
            f"{to_subject.get_kind_display().lower()}"
        )


@_edits
def add_link(
    from_subject: Subject,
    to_subject: Subject,
    entry: LinkEntry,
    *,
    by,
    version: int | None = None,
    request=None,
) -> Link:
    """A dated link between two subjects, audited on both."""
    entry = clean(entry)
    check_link(from_subject, to_subject, entry.type)
    with transaction.atomic():
        advance(from_subject, version)
        link = Link.objects.create(
            from_subject=from_subject, to_subject=to_subject, created_by=by, **entry.__dict__
        )
        for end, other in ((from_subject, to_subject), (to_subject, from_subject)):
            _audit_added(
                end, link, "link", by=by, request=request, link_type=entry.type, other=other.pk
            )
    return link


from .merging import merge, unmerge  # noqa: E402  (merging uses the helpers above)
