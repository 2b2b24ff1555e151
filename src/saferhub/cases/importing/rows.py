"""The rows of a file into plain records, with every problem named by row and column.

Pure: what the database knows (business areas, agencies, officers, case references already
used) comes in a `Context` that plan.py builds. Each row becomes a `Record`: at most one
subject (a person, place, vehicle or group, as the subjects app's entries, cleaned by their
own `cleaned(today)`), the case it is on (rows sharing a case reference are one case) and its
role there, and any notes. Everything wrong with a row is a `Problem` naming the row as a
spreadsheet numbers it and the column by the file's own heading; one bad row never hides
another's problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from ...cells import without_controls
from ...subjects import normalise as n
from ...subjects.entries import (
    AddressEntry,
    ContactEntry,
    FlagEntry,
    GroupDetails,
    IdentifierEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    VehicleDetails,
)
from ...subjects.vocabulary import (
    ContactType,
    FlagType,
    GroupType,
    IdentifierType,
    Kind,
    NameType,
    PlaceType,
)
from ..models import Role, Status
from ..schema import FieldSpec, SchemaError, clean_values
from . import values as v
from .columns import BY_NAME, EXTRA, ColumnMap, holds_cases, label_of

MAX_TITLE = 200  # as cases.services
MAX_NOTE = 20_000
MAX_REFERENCE = 60


# --- what the database knows -------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    id: int
    code: str
    name: str
    schema: tuple[FieldSpec, ...]
    reasons: tuple[str, ...]
    active: bool = True


@dataclass(frozen=True)
class Officer:
    id: int
    email: str
    full_name: str
    agency_id: int | None
    practitioner: bool
    active: bool


@dataclass(frozen=True)
class Context:
    """What the rows are checked against, as plain data."""

    today: date
    file: str
    agency_id: int
    agency_name: str
    user_id: int
    areas: Mapping[str, Area] = field(default_factory=dict)  # key(code) and key(name)
    agencies: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # key(name)
    officers: Mapping[str, Officer] = field(default_factory=dict)  # email, lower case
    officer_names: Mapping[str, tuple[Officer, ...]] = field(default_factory=dict)
    used: Mapping[str, str] = field(default_factory=dict)  # ref_key -> where it is used
    defaults: Mapping[str, str] = field(default_factory=dict)  # business_area, role

    @property
    def area_list(self) -> str:
        seen = {a.code: a for a in self.areas.values() if a.active}
        return ", ".join(f"{a.code} ({a.name})" for a in sorted(seen.values(), key=_code))


def _code(area: Area) -> str:
    return area.code


def ref_key(reference: str) -> str:
    """A case reference as compared: spaces made one, case ignored."""
    return " ".join(reference.split()).casefold()


# The first chronology entry of an imported case keeps the file's own reference, where the
# people working the case see it; a later import finds the references used in these.
_IMPORTED = re.compile(
    r"^Imported from .+? \(rows? [^)]*\), where its case reference was “(.+)”\.$"
)


def import_note(file: str, rows: Sequence[int], reference: str) -> str:
    where = f"row {rows[0]}" if len(rows) == 1 else f"rows {_rows_text(rows)}"
    text = f"Imported from {file} ({where})"
    return f"{text}, where its case reference was “{reference}”." if reference else f"{text}."


def reference_in(note: str) -> str | None:
    """The file's case reference an import note records, if `note` is one."""
    found = _IMPORTED.match(note)
    return found.group(1) if found else None


# --- what comes out ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    row: int  # as a spreadsheet numbers it; 0 for the file as a whole
    column: str  # the file's heading; "" for the whole row or file
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        where = f"row {self.row}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SubjectRecord:
    """One subject as entered, cleaned; `home` is a person's address when it has a UPRN
    (kept as a place record, so the UPRN is matched and shared)."""

    kind: str
    label: str
    name: NameEntry | None = None
    details: object = None  # PersonDetails, PlaceDetails, VehicleDetails or GroupDetails
    other_names: tuple[NameEntry, ...] = ()
    addresses: tuple[AddressEntry, ...] = ()
    contacts: tuple[ContactEntry, ...] = ()
    identifiers: tuple[IdentifierEntry, ...] = ()
    flags: tuple[FlagEntry, ...] = ()
    home: PlaceDetails | None = None
    entered_vrm: str = ""


@dataclass(frozen=True)
class CaseRecord:
    key: str
    reference: str  # as the file writes it; "" when the file has no references
    first_row: int
    rows: tuple[int, ...]
    area: Area
    title: str
    opened_on: date
    lead_officer_id: int
    extra: dict
    status: str = Status.OPEN
    closed_on: date | None = None
    closure_reason: str = ""


@dataclass(frozen=True)
class Note:
    text: str
    event_date: date | None  # None: the date the case opened


@dataclass(frozen=True)
class Record:
    row: int
    subject: SubjectRecord | None
    case_key: str | None
    role: str
    notes: tuple[Note, ...] = ()


@dataclass
class Parsed:
    records: list[Record] = field(default_factory=list)
    cases: dict[str, CaseRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: int = 0  # data rows with something to import
    blank: int = 0  # rows skipped as blank


# --- one row -----------------------------------------------------------------------------------

PERSON_ONLY = {
    "family_name",
    "given_names",
    "aliases",
    "date_of_birth",
    "gender",
    "phone",
    "mobile",
    "email",
    "pnc",
    "cro",
    "nhs",
    "nino",
    "local_id",
    "flags",
}
PLACE_ONLY = {"place_name", "place_type", "easting", "northing", "latitude", "longitude"}
ADDRESS = {"address_line_1", "address_line_2", "town", "postcode", "uprn"}
VEHICLE_ONLY = {"vrm", "make", "model", "colour"}
GROUP_ONLY = {"group_name", "group_type"}
ALLOWED = {
    Kind.PERSON: PERSON_ONLY | ADDRESS | {"name"},
    Kind.PLACE: PLACE_ONLY | ADDRESS | {"name"},
    Kind.VEHICLE: VEHICLE_ONLY,
    Kind.GROUP: GROUP_ONLY | {"name"},
}
CASE_LEVEL = (
    "business_area",
    "opened_on",
    "title",
    "lead_agency",
    "lead_officer",
    "status",
    "closed_on",
    "closure_reason",
)
IDENTIFIERS = {
    "pnc": IdentifierType.PNC,
    "cro": IdentifierType.CRO,
    "nhs": IdentifierType.NHS,
    "nino": IdentifierType.NINO,
    "local_id": IdentifierType.LOCAL_AUTHORITY,
}
CONTACTS = {"phone": ContactType.PHONE, "mobile": ContactType.MOBILE, "email": ContactType.EMAIL}
FLAGS = {v.key(value): value for value in FlagType.values} | {
    v.key(label): value for value, label in FlagType.choices
}
DEFAULT_ROLES = {Kind.PLACE: Role.LOCATION, Kind.VEHICLE: Role.VEHICLE}


class RowReader:
    """One row's cells by field, and the problems found in it."""

    def __init__(self, number: int, cells: list, columns: ColumnMap, out: Parsed):
        self.number = number
        self.columns = columns
        self.out = out
        self.values: dict[str, list] = {}
        self.headings: dict[str, str] = {}
        self.bad = False
        for column in columns.columns:
            if not column.field:
                continue
            value = cells[column.index] if column.index < len(cells) else None
            self.headings.setdefault(column.field, column.heading)
            if v.cell_text(value):
                self.values.setdefault(column.field, []).append(value)
                if v.is_formula(value):
                    out.warnings.append(
                        Problem(
                            number,
                            column.heading,
                            "holds a formula: read as its text, not worked out",
                        )
                    )

    def raw(self, name: str):
        found = self.values.get(name)
        return found[0] if found else None

    def text(self, name: str) -> str:
        return v.cell_text(self.raw(name))

    def texts(self, name: str) -> list[str]:
        return [v.cell_text(x) for x in self.values.get(name, ())]

    def filled(self, names) -> list[str]:
        return [name for name in names if name in self.values]

    def problem(self, name: str, message: str) -> None:
        self.bad = True
        heading = self.headings.get(name, "") if name else ""
        if name and not heading:
            message = f"{label_of(name, self.columns.extras)}: {message}"
        self.out.problems.append(Problem(self.number, heading, _sentence(message)))

    def parse(self, name: str, parser):
        try:
            return parser(self.raw(name))
        except ValueError as exc:
            self.problem(name, str(exc))
            return None

    def entry(self, entry, fields: Mapping[str, str], today: date):
        """`entry.cleaned(today)`, each error put on the column its field came from
        (`fields`: entry field -> import field; others onto `fields[""]`)."""
        try:
            return entry.cleaned(today)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                target = fields.get(name, fields.get("", ""))
                for message in messages:
                    self.problem(target, message)
            return None


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _kind(row: RowReader) -> tuple[str | None, str, str]:
    """The row's kind of record, and a place or group type a "Type" cell gave instead."""
    if "kind" in row.values:
        text = row.text("kind")
        try:
            kind = v.parse_kind(text)
        except ValueError as exc:
            for parser, kind in ((v.parse_place_type, Kind.PLACE), (v.parse_group_type, None)):
                try:
                    found = parser(text)
                except ValueError:
                    continue
                return (kind or Kind.GROUP), found if kind else "", "" if kind else found
            row.problem("kind", str(exc))
            return None, "", ""
        group_type = v.GROUP_WORDS.get(v.key(text), "") if kind == Kind.GROUP else ""
        return kind, "", group_type
    personal = row.filled(PERSON_ONLY)
    place_only = row.filled(PLACE_ONLY)
    if personal or (
        "name" in row.values and not row.filled(VEHICLE_ONLY | GROUP_ONLY | PLACE_ONLY)
    ):
        return Kind.PERSON, "", ""
    if row.filled(VEHICLE_ONLY):
        return Kind.VEHICLE, "", ""
    if row.filled(GROUP_ONLY):
        return Kind.GROUP, "", ""
    if place_only or row.filled(ADDRESS) or "name" in row.values:
        return Kind.PLACE, "", ""
    return None, "", ""


def _misplaced(row: RowReader, kind: str) -> None:
    for name in row.filled(set(row.values) - ALLOWED[kind] - {"kind"} - _CASE_FIELDS):
        if name.startswith(EXTRA):
            continue
        row.problem(
            name,
            f"this row is a {Kind(kind).label.lower()}, which has no "
            f"{label_of(name)}: give it a row of its own (with its type of record), or leave "
            "the cell empty",
        )


_CASE_FIELDS = {*CASE_LEVEL, "case_ref", "role", "notes", "note_date"}


def _person(row: RowReader, ctx: Context) -> SubjectRecord | None:
    today = ctx.today
    if "family_name" in row.values or "given_names" in row.values:
        given, family = row.text("given_names"), row.text("family_name")
        name_fields = {
            "given_names": "given_names",
            "family_name": "family_name",
            "": "family_name",
        }
        if not family and "name" in row.values:
            given2, family = v.split_name(row.text("name"))
            given = given or given2
            name_fields["family_name"] = "name"
    else:
        given, family = v.split_name(row.text("name"))
        name_fields = {"given_names": "name", "family_name": "name", "": "name"}
    if not family:
        row.problem("family_name" if "family_name" in row.headings else "name", "enter the surname")
        name = None
    else:
        name = row.entry(NameEntry(given, family), name_fields, today)
    others = []
    for text in (t for cell in row.texts("aliases") for t in v.split_list(cell)):
        alias_given, alias_family = v.split_name(text)
        alias = row.entry(
            NameEntry(alias_given, alias_family, NameType.ALIAS), {"": "aliases"}, today
        )
        if alias is not None:
            others.append(alias)
    born = row.parse("date_of_birth", v.parse_date)
    gender = row.parse("gender", v.parse_gender)
    details = row.entry(
        PersonDetails(date_of_birth=born, gender=gender or ""),
        {"date_of_birth": "date_of_birth", "gender": "gender", "": "date_of_birth"},
        today,
    )
    addresses, home = [], None
    if row.filled(ADDRESS):
        if "uprn" in row.values:
            home = _place_details(row, today, PlaceType.DWELLING, with_name=False)
        else:
            address = row.entry(
                AddressEntry(
                    line_1=row.text("address_line_1"),
                    line_2=row.text("address_line_2"),
                    town=row.text("town"),
                    postcode=row.text("postcode"),
                ),
                {
                    "line_1": "address_line_1",
                    "line_2": "address_line_2",
                    "town": "town",
                    "postcode": "postcode",
                    "": "address_line_1",
                },
                today,
            )
            if address is not None:
                addresses.append(address)
    contacts = []
    for name_, kind in CONTACTS.items():
        if name_ in row.values:
            found = row.entry(ContactEntry(kind, row.text(name_)), {"": name_}, today)
            if found is not None:
                contacts.append(found)
    identifiers = []
    for name_, kind in IDENTIFIERS.items():
        if name_ in row.values:
            issued = ctx.agency_name[:100] if kind == IdentifierType.LOCAL_AUTHORITY else ""
            found = row.entry(
                IdentifierEntry(kind, row.text(name_), issued_by=issued), {"": name_}, today
            )
            if found is not None:
                identifiers.append(found)
    flags = []
    for text in (t for cell in row.texts("flags") for t in v.split_list(cell)):
        kind = FLAGS.get(v.key(text))
        entry = FlagEntry(kind, "") if kind else FlagEntry(FlagType.OTHER, text)
        found = row.entry(entry, {"": "flags"}, today)
        if found is not None:
            flags.append(found)
    if name is None or details is None:
        return None
    label = name.full_name + (
        f", born {details.date_of_birth:%d/%m/%Y}" if details.date_of_birth else ""
    )
    return SubjectRecord(
        kind=Kind.PERSON,
        label=label,
        name=name,
        details=details,
        other_names=tuple(others),
        addresses=tuple(addresses),
        contacts=tuple(contacts),
        identifiers=tuple(identifiers),
        flags=tuple(flags),
        home=home,
    )


def _place_details(
    row: RowReader, today: date, place_type: str, *, with_name: bool = True
) -> PlaceDetails | None:
    numbers = {}
    for name in ("easting", "northing", "latitude", "longitude"):
        numbers[name] = row.parse(name, v.parse_number)
    name = (row.text("place_name") or row.text("name")) if with_name else ""
    fields = {
        "name": "place_name" if "place_name" in row.values else "name",
        "line_1": "address_line_1",
        "line_2": "address_line_2",
        "town": "town",
        "postcode": "postcode",
        "uprn": "uprn",
        "place_type": "place_type",
        **{k: k for k in numbers},
        "": "address_line_1",
    }
    return row.entry(
        PlaceDetails(
            place_type=place_type,
            name=name,
            line_1=row.text("address_line_1"),
            line_2=row.text("address_line_2"),
            town=row.text("town"),
            postcode=row.text("postcode"),
            uprn=row.text("uprn"),
            **numbers,
        ),
        fields,
        today,
    )


def _place(row: RowReader, ctx: Context, place_type: str) -> SubjectRecord | None:
    if "place_type" in row.values:
        place_type = row.parse("place_type", v.parse_place_type) or ""
    details = _place_details(row, ctx.today, place_type or PlaceType.OTHER)
    if details is None:
        return None
    label = details.label or (f"UPRN {details.uprn}" if details.uprn else "a point")
    return SubjectRecord(kind=Kind.PLACE, label=label, details=details)


def _vehicle(row: RowReader, ctx: Context) -> SubjectRecord | None:
    entered = row.text("vrm")
    details = row.entry(
        VehicleDetails(
            vrm=entered, make=row.text("make"), model=row.text("model"), colour=row.text("colour")
        ),
        {"vrm": "vrm", "make": "make", "model": "model", "colour": "colour", "": "vrm"},
        ctx.today,
    )
    if details is None:
        return None
    return SubjectRecord(
        kind=Kind.VEHICLE, label=n.vrm_display(details.vrm), details=details, entered_vrm=entered
    )


def _group(row: RowReader, ctx: Context, group_type: str) -> SubjectRecord | None:
    if "group_type" in row.values:
        group_type = row.parse("group_type", v.parse_group_type) or ""
    source = "group_name" if "group_name" in row.values else "name"
    details = row.entry(
        GroupDetails(group_type=group_type or GroupType.OTHER, name=row.text(source)),
        {"name": source, "group_type": "group_type", "": source},
        ctx.today,
    )
    if details is None:
        return None
    return SubjectRecord(kind=Kind.GROUP, label=details.name, details=details)


def _subject(row: RowReader, ctx: Context) -> tuple[str | None, SubjectRecord | None]:
    kind, place_type, group_type = _kind(row)
    if kind is None:
        return None, None
    _misplaced(row, kind)
    if kind == Kind.PERSON:
        return kind, _person(row, ctx)
    if kind == Kind.PLACE:
        return kind, _place(row, ctx, place_type)
    if kind == Kind.VEHICLE:
        return kind, _vehicle(row, ctx)
    return kind, _group(row, ctx, group_type)


# --- the case part ----------------------------------------------------------------------------


@dataclass
class _CaseDraft:
    """A case as its rows give it: each case-level value with the row that first gave it."""

    key: str
    reference: str
    first_row: int
    rows: list[int] = field(default_factory=list)
    given: dict[str, tuple[object, str, int]] = field(default_factory=dict)  # value, text, row
    tried: set[str] = field(default_factory=set)  # case-level cells given, readable or not


def _case_values(row: RowReader, ctx: Context) -> dict[str, tuple[object, str]]:
    """The row's case-level cells, each parsed (a cell that cannot be is a problem)."""
    out: dict[str, tuple[object, str]] = {}
    for name in CASE_LEVEL:
        if name not in row.values:
            continue
        text = row.text(name)
        value: object = text
        if name in ("opened_on", "closed_on"):
            value = row.parse(name, v.parse_date)
        elif name == "status":
            value = row.parse(name, v.parse_status)
        elif name == "business_area":
            value = _area(row, ctx, text)
        elif name == "lead_agency":
            value = _agency(row, ctx, text)
        elif name == "lead_officer":
            value = _officer(row, ctx, text)
        if value is not None:
            out[name] = (value, text)
    for name in sorted(f for f in row.values if f.startswith(EXTRA)):
        raw = row.raw(name)
        out[name] = (raw if not isinstance(raw, str) else raw.strip(), row.text(name))
    return out


def _area(row: RowReader, ctx: Context, text: str) -> Area | None:
    area = ctx.areas.get(v.key(text))
    if area is None:
        row.problem(
            "business_area", f"there is no business area “{text}”; the areas are: {ctx.area_list}"
        )
        return None
    if not area.active:
        row.problem("business_area", f"the business area {area.name} is no longer in use")
        return None
    return area


def _agency(row: RowReader, ctx: Context, text: str) -> int | None:
    found = ctx.agencies.get(v.key(text))
    if found is None:
        row.problem("lead_agency", f"there is no agency called “{text}” in Safer Hub")
        return None
    if found[0] != ctx.agency_id:
        row.problem(
            "lead_agency",
            f"you can import only cases your own agency ({ctx.agency_name}) leads; this case "
            f"is led by {found[1]}: they import it, and can share it with you by a grant",
        )
        return None
    return found[0]


def _officer(row: RowReader, ctx: Context, text: str) -> int | None:
    if "@" in text:
        officer = ctx.officers.get(text.strip().lower())
        if officer is None:
            row.problem("lead_officer", f"no one in Safer Hub has the email address {text}")
            return None
    else:
        found = ctx.officer_names.get(v.key(text), ())
        if len(found) != 1:
            row.problem(
                "lead_officer",
                f"{'more than one' if found else 'no'} practitioner of {ctx.agency_name} is "
                f"called “{text}”: give the lead officer's email address",
            )
            return None
        officer = found[0]
    if officer.agency_id != ctx.agency_id:
        row.problem("lead_officer", f"{text} is not in {ctx.agency_name}, the case's lead agency")
        return None
    if not officer.active or not officer.practitioner:
        row.problem(
            "lead_officer",
            f"{text} is not an active practitioner: the lead officer must be one",
        )
        return None
    return officer.id


def _merge(draft: _CaseDraft, row: RowReader, given: dict[str, tuple[object, str]]) -> None:
    for name, (value, text) in given.items():
        seen = draft.given.get(name)
        if seen is None:
            draft.given[name] = (value, text, row.number)
        elif seen[0] != value:
            row.problem(
                name,
                f"“{text}” differs from row {seen[2]} (“{seen[1]}”), where case "
                f"{draft.reference} first gives its {label_of(name, row.columns.extras).lower()}: "
                "the rows of one case must agree, or leave the cell empty",
            )


def _finish_case(
    draft: _CaseDraft, ctx: Context, columns: ColumnMap, out: Parsed, missing: dict
) -> CaseRecord | None:
    """The case its rows give, checked as a whole; problems on the row that gave the value
    (the case's first row for what none gave)."""
    problems = len(out.problems)

    def problem(name: str, message: str, row: int | None = None) -> None:
        heading = columns.heading(name) if name else ""
        if name and not heading:
            message = f"{label_of(name, columns.extras)}: {message}"
        out.problems.append(Problem(row or draft.first_row, heading, _sentence(message)))

    def get(name: str):
        found = draft.given.get(name)
        return (found[0], found[2]) if found else (None, draft.first_row)

    area, _ = get("business_area")
    if area is None and "business_area" not in draft.tried:
        default = ctx.defaults.get("business_area", "")
        area = ctx.areas.get(v.key(default)) if default else None
        if area is None:
            problem("business_area", "enter the business area")
    opened, opened_row = get("opened_on")
    if opened is None and "opened_on" not in draft.tried:
        problem("opened_on", "enter the date the case was opened")
    elif opened is not None and opened > ctx.today:
        problem("opened_on", f"the date opened ({opened:%d/%m/%Y}) is in the future", opened_row)
        opened = None
    if draft.reference:
        where = ctx.used.get(ref_key(draft.reference))
        if where:
            problem(
                "case_ref",
                f"the case reference “{draft.reference}” is already used: {where}",
            )
        if len(draft.reference) > MAX_REFERENCE:
            problem("case_ref", f"a case reference may be at most {MAX_REFERENCE} characters")
    title, title_row = get("title")
    if title:
        title = " ".join(without_controls(str(title)).split())
        if len(title) > MAX_TITLE:
            problem("title", f"a case title may be at most {MAX_TITLE} characters", title_row)
    else:
        title = (
            f"{draft.reference} (imported)"
            if draft.reference
            else f"Imported from {ctx.file}, row {draft.first_row}"
        )[:MAX_TITLE]
    officer, _ = get("lead_officer")
    status, status_row = get("status")
    status = status or Status.OPEN
    closed_on, closed_row = get("closed_on")
    reason_text, reason_row = get("closure_reason")
    reason = ""
    if status == Status.CLOSED:
        if closed_on is None and "closed_on" not in draft.tried:
            problem("closed_on", "enter the date the case closed", status_row)
        elif closed_on is not None and (closed_on > ctx.today or (opened and closed_on < opened)):
            problem(
                "closed_on", "the date closed must be between the date opened and today", closed_row
            )
        if area is not None:
            wanted = {v.key(r): r for r in area.reasons}
            reason = wanted.get(v.key(reason_text or ""), "")
            if not reason and "closure_reason" in draft.given:
                problem(
                    "closure_reason",
                    f"“{reason_text}” is not a closure reason of {area.name}; they are: "
                    + "; ".join(area.reasons),
                    reason_row,
                )
            elif not reason:
                problem("closure_reason", "a closed case needs its closure reason", status_row)
    elif "closed_on" in draft.given or "closure_reason" in draft.given:
        which = "closed_on" if "closed_on" in draft.given else "closure_reason"
        problem(
            which,
            "the case is not closed: leave this empty, or give the status Closed",
            closed_row if which == "closed_on" else reason_row,
        )
    extra: dict = {}
    if area is not None:
        specs = {spec.name: spec for spec in area.schema}
        raw = {}
        for name, (value, text, row) in draft.given.items():
            if not name.startswith(EXTRA):
                continue
            bare = name[len(EXTRA) :]
            if bare not in specs:
                problem(name, f"{area.name} cases have no such field (found “{text}”)", row)
                continue
            try:
                raw[bare] = v.extra_value(specs[bare], value)
            except ValueError as exc:
                problem(name, str(exc), row)
        try:
            extra = clean_values(area.schema, raw)
        except SchemaError as exc:
            for bare, message in exc.errors.items():
                name = EXTRA + bare
                if name in columns.fields:
                    problem(name, message, draft.given.get(name, (None, "", None))[2])
                else:
                    spec = next(s for s in area.schema if s.name == bare)
                    missing.setdefault((area.name, spec.label, spec.choices), []).append(
                        draft.first_row
                    )
    if len(out.problems) > problems or area is None or opened is None:
        return None
    return CaseRecord(
        key=draft.key,
        reference=draft.reference,
        first_row=draft.first_row,
        rows=tuple(draft.rows),
        area=area,
        title=title,
        opened_on=opened,
        lead_officer_id=officer or ctx.user_id,
        extra=extra,
        status=status,
        closed_on=closed_on if status == Status.CLOSED else None,
        closure_reason=reason,
    )


def _cases_of(rows: Sequence[int]) -> str:
    return (
        f"the case of row {rows[0]}" if len(rows) == 1 else f"the cases of rows {_rows_text(rows)}"
    )


def _rows_text(rows: Sequence[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (f" and {len(rows) - 10:,} more" if len(rows) > 10 else "")


# --- the whole file ----------------------------------------------------------------------------


def parse_rows(rows: Sequence[tuple[int, list]], columns: ColumnMap, ctx: Context) -> Parsed:
    """Every row under the heading row, read and checked; problems for all of them."""
    out = Parsed()
    fields = columns.fields
    with_cases = holds_cases(fields, ctx.defaults)
    by_reference = "case_ref" in fields
    drafts: dict[str, _CaseDraft] = {}
    previous = columns.header_row
    for number, cells in rows:
        if number <= columns.header_row:
            continue
        out.blank += number - previous - 1  # rows with no value at all are never read
        previous = number
        row = RowReader(number, cells, columns, out)
        if not row.values:
            if not any(v.cell_text(c) for c in cells):
                out.blank += 1
            else:
                out.warnings.append(
                    Problem(number, "", "has values only in columns that are not imported: skipped")
                )
            continue
        out.rows += 1
        kind, subject = _subject(row, ctx)
        case_key = None
        role = ""
        if with_cases:
            given = _case_values(row, ctx)
            reference = row.text("case_ref") if by_reference else ""
            if by_reference and not reference:
                if given or row.filled(("role", "notes", "note_date")):
                    row.problem("case_ref", "enter the case reference (rows of one case share it)")
            else:
                case_key = ref_key(reference) if by_reference else f"row {number}"
                draft = drafts.get(case_key)
                if draft is None:
                    draft = drafts[case_key] = _CaseDraft(case_key, reference, number)
                draft.rows.append(number)
                draft.tried.update(row.filled(CASE_LEVEL))
                _merge(draft, row, given)
            role = _role(row, ctx, kind, case_key)
        notes = _notes(row, ctx, case_key)
        if not row.bad:
            out.records.append(Record(number, subject, case_key, role, notes))
    missing: dict = {}
    for draft in drafts.values():
        record = _finish_case(draft, ctx, columns, out, missing)
        if record is not None:
            out.cases[draft.key] = record
    for (area, label, choices), at in missing.items():
        among = f" (one of: {', '.join(choices)})" if choices else ""
        out.problems.append(
            Problem(
                0,
                "",
                f"{area} cases need “{label}”{among}, and no column holds it: add a column "
                f"headed “{label}” ({_cases_of(at)})",
            )
        )
    if not out.rows and not out.problems:
        out.problems.append(
            Problem(
                0, "", f"there are no rows to import under the headings (row {columns.header_row})"
            )
        )
    order = {c.heading: c.index for c in reversed(columns.columns)}
    out.problems.sort(key=lambda p: (p.row, order.get(p.column, -1), p.message))
    return out


def _role(row: RowReader, ctx: Context, kind: str | None, case_key: str | None) -> str:
    role = row.parse("role", v.parse_role) if "role" in row.values else ""
    if case_key is None:
        return ""
    if kind is None:
        if role:
            row.problem("role", "a role needs a person, place, vehicle or group on the row")
        return ""
    role = role or DEFAULT_ROLES.get(kind, "") or ctx.defaults.get("role", "")
    if not role and "role" not in row.values:
        row.problem("role", f"enter this {Kind(kind).label.lower()}'s role on the case")
    return role


def _notes(row: RowReader, ctx: Context, case_key: str | None) -> tuple[Note, ...]:
    texts = [t for t in row.texts("notes") if t]
    on = row.parse("note_date", v.parse_date) if "note_date" in row.values else None
    if on is not None and on > ctx.today:
        row.problem("note_date", f"the date of the note ({on:%d/%m/%Y}) is in the future")
    if not texts:
        return ()
    if case_key is None:
        row.problem("notes", "a note is kept on a case: give the row's case reference")
        return ()
    notes = []
    for text in texts:
        clean = without_controls(text).strip()
        if len(clean) > MAX_NOTE:
            row.problem("notes", f"a note may be at most {MAX_NOTE:,} characters")
            continue
        notes.append(Note(clean, on))
    return tuple(notes)


__all__ = [
    "BY_NAME",
    "Area",
    "CaseRecord",
    "Context",
    "Note",
    "Officer",
    "Parsed",
    "Problem",
    "Record",
    "SubjectRecord",
    "parse_rows",
    "ref_key",
]
