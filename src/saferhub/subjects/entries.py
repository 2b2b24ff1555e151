"""What a person enters about a subject, as plain data, and its checks (no database).

Forms and importers build these; `cleaned(today)` returns the normalised entry or raises one
`ValidationError` naming every bad field (keyed as the field names below, with `prefix` for
an entry in a list: "identifiers-0-value", as a formset names it). The services take only
cleaned entries' values, and the matching profiles are built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from . import normalise as n
from .vocabulary import (
    ContactType,
    Disability,
    Ethnicity,
    FlagType,
    Gender,
    GroupType,
    IdentifierType,
    LinkType,
    NameType,
    PlaceType,
    Religion,
    SexualOrientation,
)

NAME_LENGTH = 100
LINE_LENGTH = 200
NOTE_LENGTH = 1000


def _choice(problems: n.Problems, field: str, value: str, choices, *, required: bool) -> None:
    if not value and not required:
        return
    if value not in choices.values:
        problems.add(field, "Choose one of the options" if value else "Choose an option")


@dataclass(frozen=True)
class NameEntry:
    given_names: str = ""
    family_name: str = ""
    type: str = NameType.MAIN
    used_from: date | None = None
    used_to: date | None = None

    def cleaned(self, today: date, prefix: str = "") -> NameEntry:
        p = n.Problems(prefix)
        given = p.check(n.text, self.given_names, "given_names", max_length=NAME_LENGTH)
        family = p.check(
            n.text, self.family_name, "family_name", max_length=NAME_LENGTH, required=True
        )
        if family and not n.name_tokens(family):
            p.add("family_name", "A family name needs at least one letter")
        _choice(p, "type", self.type, NameType, required=True)
        p.check(
            n.date_range,
            self.used_from,
            self.used_to,
            start_field="used_from",
            end_field="used_to",
            today=today,
        )
        p.done()
        return replace(self, given_names=given, family_name=family)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


@dataclass(frozen=True)
class PersonDetails:
    date_of_birth: date | None = None
    estimated_age: int | None = None
    age_estimated_on: date | None = None
    gender: str = ""
    gender_description: str = ""

    def cleaned(self, today: date, prefix: str = "") -> PersonDetails:
        p = n.Problems(prefix)
        p.check(n.birth_date, self.date_of_birth, today=today)
        age = p.check(n.estimated_age, self.estimated_age, self.age_estimated_on, today=today)
        if self.date_of_birth is not None and self.estimated_age is not None:
            p.add("estimated_age", "Give a date of birth or an estimated age, not both")
        _choice(p, "gender", self.gender, Gender, required=False)
        description = p.check(
            n.text, self.gender_description, "gender_description", max_length=NAME_LENGTH
        )
        if self.gender != Gender.SELF_DESCRIBED and description:
            description = ""
        p.done()
        estimated, on = age or (None, None)
        return replace(
            self, estimated_age=estimated, age_estimated_on=on, gender_description=description
        )


@dataclass(frozen=True)
class AddressEntry:
    """A person's address: a Place subject (`place_id`), or a free address with its postcode."""

    place_id: int | None = None
    line_1: str = ""
    line_2: str = ""
    town: str = ""
    postcode: str = ""
    lived_from: date | None = None
    lived_to: date | None = None

    def cleaned(self, today: date, prefix: str = "") -> AddressEntry:
        p = n.Problems(prefix)
        lines = [
            p.check(n.text, getattr(self, f), f, max_length=LINE_LENGTH)
            for f in ("line_1", "line_2", "town")
        ]
        code = p.check(n.postcode, self.postcode)
        if self.place_id is None and not (lines[0] or (self.postcode or "").strip()):
            p.add("line_1", "Enter the first line of the address or its postcode")
        p.check(
            n.date_range,
            self.lived_from,
            self.lived_to,
            start_field="lived_from",
            end_field="lived_to",
            today=today,
        )
        p.done()
        return replace(self, line_1=lines[0], line_2=lines[1], town=lines[2], postcode=code)


@dataclass(frozen=True)
class ContactEntry:
    type: str = ContactType.MOBILE
    value: str = ""
    note: str = ""

    def cleaned(self, today: date, prefix: str = "") -> ContactEntry:
        p = n.Problems(prefix)
        _choice(p, "type", self.type, ContactType, required=True)
        if self.type == ContactType.EMAIL:
            value = p.check(n.email, self.value)
        elif self.type in (ContactType.PHONE, ContactType.MOBILE):
            value = p.check(n.phone, self.value)
        else:
            value = p.check(n.text, self.value, "value", max_length=LINE_LENGTH, required=True)
        note = p.check(n.text, self.note, "note", max_length=LINE_LENGTH)
        p.done()
        return replace(self, value=value, note=note)


@dataclass(frozen=True)
class IdentifierEntry:
    """An identifier checked by its type: `issued_by` names the authority for a local
    authority id, `label` says what an "other" identifier is."""

    type: str = IdentifierType.OTHER
    value: str = ""
    issued_by: str = ""
    label: str = ""

    def cleaned(self, today: date, prefix: str = "") -> IdentifierEntry:
        p = n.Problems(prefix)
        value = p.check(n.identifier, self.type, self.value)
        issued_by = p.check(n.text, self.issued_by, "issued_by", max_length=NAME_LENGTH)
        label = p.check(n.text, self.label, "label", max_length=NAME_LENGTH)
        if self.type == IdentifierType.LOCAL_AUTHORITY and not issued_by:
            p.add("issued_by", "Enter the authority that issued this id")
        if self.type == IdentifierType.OTHER and not label:
            p.add("label", "Say what this identifier is")
        p.done()
        return replace(self, value=value, issued_by=issued_by, label=label)


@dataclass(frozen=True)
class FlagEntry:
    type: str = FlagType.OTHER
    description: str = ""
    valid_from: date | None = None
    valid_to: date | None = None

    def cleaned(self, today: date, prefix: str = "") -> FlagEntry:
        p = n.Problems(prefix)
        _choice(p, "type", self.type, FlagType, required=True)
        description = p.check(n.text, self.description, "description", max_length=LINE_LENGTH)
        if self.type == FlagType.OTHER and not description:
            p.add("description", "Describe the flag")
        p.check(
            n.date_range,
            self.valid_from,
            self.valid_to,
            start_field="valid_from",
            end_field="valid_to",
            today=today,
        )
        p.done()
        return replace(self, description=description)


@dataclass(frozen=True)
class SpecialCategoryEntry:
    """UK GDPR Article 9 data, kept in its own table so the sharing policy can withhold it."""

    ethnicity: str = ""
    disability: str = ""
    religion: str = ""
    sexual_orientation: str = ""

    def cleaned(self, today: date, prefix: str = "") -> SpecialCategoryEntry:
        p = n.Problems(prefix)
        _choice(p, "ethnicity", self.ethnicity, Ethnicity, required=False)
        _choice(p, "disability", self.disability, Disability, required=False)
        _choice(p, "religion", self.religion, Religion, required=False)
        _choice(p, "sexual_orientation", self.sexual_orientation, SexualOrientation, required=False)
        p.done()
        return self


@dataclass(frozen=True)
class PlaceDetails:
    """A place: an address, a UPRN, a point (grid reference and/or latitude and longitude), or
    any of them together."""

    place_type: str = PlaceType.DWELLING
    name: str = ""  # "The Red Lion", "Northbrook Park"
    line_1: str = ""
    line_2: str = ""
    town: str = ""
    postcode: str = ""
    uprn: str = ""
    easting: float | None = None
    northing: float | None = None
    latitude: float | None = None
    longitude: float | None = None

    def cleaned(self, today: date, prefix: str = "") -> PlaceDetails:
        p = n.Problems(prefix)
        _choice(p, "place_type", self.place_type, PlaceType, required=True)
        name, line_1, line_2, town = (
            p.check(n.text, getattr(self, f), f, max_length=LINE_LENGTH)
            for f in ("name", "line_1", "line_2", "town")
        )
        code = p.check(n.postcode, self.postcode)
        number = p.check(n.uprn, self.uprn)
        easting = p.check(n.coordinate, self.easting, "easting", n.EASTING_RANGE)
        northing = p.check(n.coordinate, self.northing, "northing", n.NORTHING_RANGE)
        latitude = p.check(n.coordinate, self.latitude, "latitude", n.LATITUDE_RANGE)
        longitude = p.check(n.coordinate, self.longitude, "longitude", n.LONGITUDE_RANGE)
        if (self.easting is None) != (self.northing is None):
            p.add("northing" if self.northing is None else "easting", "Enter both or neither")
        if (self.latitude is None) != (self.longitude is None):
            p.add("longitude" if self.longitude is None else "latitude", "Enter both or neither")
        located = self.easting is not None or self.latitude is not None
        if not p.errors and not (name or line_1 or code or number or located):
            p.add("line_1", "Enter an address, a postcode, a UPRN or a point")
        p.done()
        return replace(
            self,
            name=name,
            line_1=line_1,
            line_2=line_2,
            town=town,
            postcode=code,
            uprn=number,
            easting=easting,
            northing=northing,
            latitude=latitude,
            longitude=longitude,
        )

    @property
    def label(self) -> str:
        parts = (self.name, self.line_1, self.line_2, self.town, self.postcode)
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class VehicleDetails:
    vrm: str = ""
    make: str = ""
    model: str = ""
    colour: str = ""

    def cleaned(self, today: date, prefix: str = "") -> VehicleDetails:
        p = n.Problems(prefix)
        mark = p.check(n.vrm, self.vrm)
        make, model, colour = (
            p.check(n.text, getattr(self, f), f, max_length=NAME_LENGTH)
            for f in ("make", "model", "colour")
        )
        p.done()
        return replace(self, vrm=mark, make=make, model=model, colour=colour)


@dataclass(frozen=True)
class GroupDetails:
    group_type: str = GroupType.OTHER
    name: str = ""
    description: str = ""

    def cleaned(self, today: date, prefix: str = "") -> GroupDetails:
        p = n.Problems(prefix)
        _choice(p, "group_type", self.group_type, GroupType, required=True)
        name = p.check(n.text, self.name, "name", max_length=LINE_LENGTH, required=True)
        if name and not n.name_tokens(name):
            p.add("name", "A group's name needs at least one letter")
        description = p.check(n.text, self.description, "description", max_length=NOTE_LENGTH)
        p.done()
        return replace(self, name=name, description=description)


@dataclass(frozen=True)
class LinkEntry:
    type: str = LinkType.ASSOCIATE_OF
    started_on: date | None = None
    ended_on: date | None = None
    note: str = ""

    def cleaned(self, today: date, prefix: str = "") -> LinkEntry:
        p = n.Problems(prefix)
        _choice(p, "type", self.type, LinkType, required=True)
        note = p.check(n.text, self.note, "note", max_length=LINE_LENGTH)
        p.check(
            n.date_range,
            self.started_on,
            self.ended_on,
            start_field="started_on",
            end_field="ended_on",
            today=today,
        )
        p.done()
        return replace(self, note=note)
