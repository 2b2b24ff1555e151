"""The column map: which column of a partner's file holds what.

Partners' files have a heading row (not always the first: a title or a note often sits above
it), spelt as each system or person wrote it: "Surname", "Last name", "Family name"; "DOB",
"D.O.B.", "Date of birth"; "VRM", "Registration"; "Case ref", "Case no". Headings are compared
as letters and digits only, case ignored ("Forename(s)" is "forenames"). A business area's
own fields are recognised by their label ("ASB category", "Risk level"). An explicit map
(`Heading=field`, from the command line or the preview page) overrides what is recognised;
`Heading=` leaves a column out.

`recognise` finds the heading row and maps it; `required` names the columns the file needs
for what it holds (with the headings found, so a person sees what was read).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .values import cell_text, key

EXTRA = "extra."  # a business area's own field: "extra.asb_category"
SKIP = ""  # an explicit map's "not imported"
HEADER_SEARCH = 20  # rows looked at for the heading row


@dataclass(frozen=True)
class Field:
    """Something a column can hold. `group` says what it belongs to: a person, a place, a
    vehicle, a group, any subject ("subject"), the person's or place's address ("address"),
    or the case."""

    name: str
    label: str
    group: str
    headings: tuple[str, ...]
    several: bool = False  # several columns may hold it (aliases, flags, notes)
    hint: str = ""


def _f(name, label, group, *headings, several=False, hint=""):
    return Field(name, label, group, (label, name, *headings), several, hint)


FIELDS: tuple[Field, ...] = (
    _f(
        "kind",
        "Type of record",
        "subject",
        "Type",
        "Subject type",
        "Record type",
        "Kind",
        "Subject kind",
        "Entity type",
        hint="person, place, vehicle or group (worked out from the row when there is none)",
    ),
    _f(
        "family_name",
        "Surname",
        "person",
        "Last name",
        "Family name",
        "Lastname",
        "Surname/Family name",
    ),
    _f(
        "given_names",
        "First names",
        "person",
        "Forename",
        "Forenames",
        "Forename(s)",
        "First name",
        "First name(s)",
        "Firstname",
        "Given name",
        "Given names",
        "Christian name",
    ),
    _f(
        "name",
        "Name",
        "subject",
        "Full name",
        "Nominal",
        "Nominal name",
        "Person",
        "Client name",
        "Subject name",
        "Individual",
        hint="a person's whole name (“SMITH, John” or “John Smith”), a place's or group's name",
    ),
    _f(
        "aliases",
        "Aliases",
        "person",
        "Alias",
        "AKA",
        "A.K.A.",
        "Also known as",
        "Other names",
        several=True,
        hint="several separated by ;",
    ),
    _f(
        "date_of_birth",
        "Date of birth",
        "person",
        "DOB",
        "D.O.B.",
        "Birth date",
        "Birthdate",
        "Born",
    ),
    _f("gender", "Gender", "person", "Sex"),
    _f(
        "phone",
        "Phone",
        "person",
        "Telephone",
        "Tel",
        "Tel no",
        "Phone number",
        "Telephone number",
        "Contact number",
        "Landline",
    ),
    _f("mobile", "Mobile", "person", "Mobile number", "Mobile phone", "Mob", "Mobile no"),
    _f("email", "Email", "person", "E-mail", "Email address", "E-mail address"),
    _f("pnc", "PNC ID", "person", "PNC", "PNC number", "PNC no", "PNCID", "PNC ref"),
    _f("cro", "CRO number", "person", "CRO", "CRO no"),
    _f("nhs", "NHS number", "person", "NHS No", "NHS", "NHS num", "NHS no."),
    _f(
        "nino",
        "National Insurance number",
        "person",
        "NI number",
        "NI no",
        "NINO",
        "NI",
        "National insurance no",
    ),
    _f(
        "local_id",
        "Local authority id",
        "person",
        "Council ID",
        "Council reference",
        "Council ref",
        "LA ID",
        "LA reference",
        "Local ID",
        hint="issued by the importing agency",
    ),
    _f(
        "flags",
        "Flags",
        "person",
        "Flag",
        "Warning markers",
        "Warning marker",
        "Warnings",
        "Markers",
        "Risk flags",
        "Alerts",
        several=True,
        hint="several separated by ;",
    ),
    _f(
        "address_line_1",
        "Address line 1",
        "address",
        "Address",
        "Address 1",
        "Addr 1",
        "Line 1",
        "Street address",
        "House and street",
        "Street",
        "First line of address",
        "Home address",
        "Current address",
    ),
    _f("address_line_2", "Address line 2", "address", "Address 2", "Addr 2", "Line 2", "Locality"),
    _f("town", "Town", "address", "Town/City", "City", "Post town", "Town or city"),
    _f("postcode", "Postcode", "address", "Post code", "Postal code", "PCode", "Post_code"),
    _f("uprn", "UPRN", "address", "Property reference", "UPRN number", "UPRN no"),
    _f(
        "place_name",
        "Place name",
        "place",
        "Premises name",
        "Location name",
        "Premises",
        "Business name",
        "Venue",
        "Name of premises",
    ),
    _f("place_type", "Place type", "place", "Premises type", "Location type", "Property type"),
    _f("easting", "Easting", "place", "X", "Grid easting"),
    _f("northing", "Northing", "place", "Y", "Grid northing"),
    _f("latitude", "Latitude", "place", "Lat"),
    _f("longitude", "Longitude", "place", "Long", "Lon", "Lng"),
    _f(
        "vrm",
        "VRM",
        "vehicle",
        "Registration",
        "Reg",
        "Reg no",
        "Reg number",
        "Registration number",
        "Registration mark",
        "Vehicle registration",
        "VRN",
        "Number plate",
        "Vehicle reg",
    ),
    _f("make", "Make", "vehicle", "Vehicle make", "Manufacturer"),
    _f("model", "Model", "vehicle", "Vehicle model"),
    _f("colour", "Colour", "vehicle", "Color", "Vehicle colour"),
    _f("group_name", "Group name", "group", "Gang name", "Group", "Gang", "OCG name", "OCG"),
    _f("group_type", "Group type", "group", "Type of group"),
    _f(
        "case_ref",
        "Case reference",
        "case",
        "Case ref",
        "Case no",
        "Case number",
        "Case ID",
        "Case",
        "Reference",
        "Ref",
        "Ref no",
        "Our ref",
        "Case ref no",
        hint="rows with one reference are one case",
    ),
    _f(
        "business_area",
        "Business area",
        "case",
        "Case type",
        "Type of case",
        "Area of work",
        "Workstream",
        "Scheme",
        "Business area code",
    ),
    _f("title", "Case title", "case", "Title", "Case name", "Case summary", "Summary"),
    _f(
        "lead_agency",
        "Lead agency",
        "case",
        "Agency",
        "Owning agency",
        "Lead organisation",
        "Organisation",
    ),
    _f(
        "lead_officer",
        "Lead officer email",
        "case",
        "Lead officer",
        "Officer email",
        "Case officer email",
        "Case officer",
        "Officer",
        "Allocated officer",
        "Owner email",
        "Lead officer e-mail",
        "Assigned to",
        "Lead professional",
        hint="an email address, or the full name of one of the agency's practitioners",
    ),
    _f(
        "role",
        "Role",
        "case",
        "Role on case",
        "Role on the case",
        "Involvement",
        "Subject role",
        "Party type",
        "Relationship to case",
        "Type of involvement",
    ),
    _f(
        "opened_on",
        "Date opened",
        "case",
        "Opened",
        "Open date",
        "Opened on",
        "Start date",
        "Date referred",
        "Referral date",
        "Referred",
        "Date of referral",
        "Case opened",
        "Date adopted",
        "Adopted",
        "Date started",
    ),
    _f("status", "Status", "case", "Case status"),
    _f(
        "closed_on",
        "Date closed",
        "case",
        "Closed",
        "Closed on",
        "Close date",
        "End date",
        "Closure date",
        "Date ended",
    ),
    _f(
        "closure_reason",
        "Closure reason",
        "case",
        "Reason closed",
        "Reason for closure",
        "Close reason",
        "Closing reason",
    ),
    _f(
        "notes",
        "Notes",
        "case",
        "Note",
        "Comments",
        "Comment",
        "Latest update",
        "Update",
        "Case notes",
        several=True,
        hint="a chronology note on the case",
    ),
    _f(
        "note_date",
        "Date of note",
        "case",
        "Note date",
        "Update date",
        "Last updated",
        "Date of update",
    ),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
BUILT_IN: dict[str, str] = {}  # heading key -> field name
for _field in FIELDS:
    for _heading in _field.headings:
        BUILT_IN.setdefault(key(_heading), _field.name)

SUBJECT_FIELDS = frozenset(f.name for f in FIELDS if f.group != "case") - {"kind"}
CASE_FIELDS = frozenset(f.name for f in FIELDS if f.group == "case")


def label_of(name: str, extras: Mapping[str, str] | None = None) -> str:
    if name.startswith(EXTRA):
        return (extras or {}).get(name, name[len(EXTRA) :].replace("_", " ").capitalize())
    return BY_NAME[name].label


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the row
    heading: str  # as the file writes it
    field: str  # a field name, "extra.<name>", or "" (not imported)
    chosen: bool = False  # set by an explicit map, not recognised


@dataclass(frozen=True)
class ColumnMap:
    """The heading row and what each of its columns holds."""

    sheet: str
    header_row: int
    columns: tuple[Column, ...]
    extras: Mapping[str, str] = field(default_factory=dict)  # extra.<name> -> label

    def indexes(self, name: str) -> list[int]:
        return [c.index for c in self.columns if c.field == name]

    def heading(self, name: str) -> str:
        """The file's heading for a field (the first, when several columns hold it)."""
        return next((c.heading for c in self.columns if c.field == name), "")

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(c.field for c in self.columns if c.field)

    @property
    def ignored(self) -> list[Column]:
        return [c for c in self.columns if not c.field and c.heading]

    def as_map(self) -> dict[str, str]:
        """The map as `Heading=field` pairs, as an explicit map writes it."""
        return {c.heading: c.field for c in self.columns if c.heading}


class MapError(ValueError):
    """An explicit map that cannot be used (an unknown field or heading)."""


def extra_fields(schemas: Iterable[Sequence]) -> dict[str, str]:
    """`extra.<name>` -> label for every business area's own fields (`FieldSpec`s)."""
    out: dict[str, str] = {}
    for specs in schemas:
        for spec in specs:
            out.setdefault(EXTRA + spec.name, spec.label)
    return out


def _extra_headings(extras: Mapping[str, str]) -> dict[str, str]:
    """Heading key -> extra field: by label, and by name where no built-in heading is it."""
    out: dict[str, str] = {}
    for name, label in extras.items():
        out.setdefault(key(label), name)
    for name in extras:
        bare = key(name[len(EXTRA) :])
        if bare not in BUILT_IN:
            out.setdefault(bare, name)
    return out


def field_named(text: str, extras: Mapping[str, str]) -> str:
    """The field an explicit map names: by name ("family_name", "extra.cohort") or label
    ("Surname", "IOM cohort"); "" or "-" for not imported."""
    text = text.strip()
    if text in ("", "-"):
        return SKIP
    if text in BY_NAME or text in extras:
        return text
    wanted = key(text)
    for f in FIELDS:
        if wanted in (key(f.name), key(f.label)):
            return f.name
    for name, label in extras.items():
        if wanted in (key(name), key(name[len(EXTRA) :]), key(label)):
            return name
    names = ", ".join(f.name for f in FIELDS)
    raise MapError(f"“{text}” is not something Safer Hub imports; the fields are: {names}")


def parse_map(text: str, extras: Mapping[str, str] | None = None) -> dict[str, str]:
    """`"Nominal=name,Cohort=extra.cohort,Ward="` → {heading: field}."""
    extras = extras or {}
    out: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        heading, sep, target = part.partition("=")
        if not sep or not heading.strip():
            raise MapError(f"“{part.strip()}”: write each pair as Heading=field")
        out[heading.strip()] = field_named(target, extras)
    return out


def _recognised(cells: Sequence, extras_by_heading: Mapping[str, str]) -> int:
    return sum(
        1 for c in cells if (k := key(cell_text(c))) and (k in BUILT_IN or k in extras_by_heading)
    )


def find_header(
    rows: Sequence[tuple[int, list]], explicit: Mapping[str, str], extras: Mapping[str, str]
) -> tuple[int, list] | None:
    """The heading row: among the first rows with values, the row holding every heading an
    explicit map names, else the first with two or more recognised headings, else the first
    with one."""
    wanted = {key(h) for h in explicit}
    by_heading = _extra_headings(extras)
    first = rows[:HEADER_SEARCH]
    if wanted:
        for number, cells in first:
            if wanted <= {key(cell_text(c)) for c in cells}:
                return number, cells
    for least in (2, 1):
        for number, cells in first:
            if _recognised(cells, by_heading) >= least:
                return number, cells
    return None


def recognise(
    sheet: str,
    header: tuple[int, list],
    explicit: Mapping[str, str],
    extras: Mapping[str, str],
) -> ColumnMap:
    """Map the heading row: explicit pairs first (by heading, case and spacing ignored),
    then the recognised spellings; a heading seen twice maps only its first column (unless the
    field takes several), and a field two headings claim goes to the first of them."""
    number, cells = header
    by_heading = _extra_headings(extras)
    chosen = {key(h): f for h, f in explicit.items()}
    headings = [cell_text(c) for c in cells]
    missing = [h for h in explicit if key(h) not in {key(x) for x in headings}]
    if missing:
        found = ", ".join(f"“{h}”" for h in headings if h) or "none"
        raise MapError(
            f"the map names {', '.join(f'“{h}”' for h in missing)}, which "
            f"{'is not a heading' if len(missing) == 1 else 'are not headings'} of the file "
            f"(row {number}); the headings are: {found}"
        )
    taken: set[str] = set()
    columns = []
    for index, heading in enumerate(headings):
        k = key(heading)
        if k in chosen:
            target, was_chosen = chosen[k], True
        else:
            target, was_chosen = BUILT_IN.get(k) or by_heading.get(k, SKIP), False
        several = target in BY_NAME and BY_NAME[target].several
        if target and target in taken and not several:
            target = SKIP
        if target:
            taken.add(target)
        columns.append(Column(index, heading, target, was_chosen))
    return ColumnMap(sheet, number, tuple(columns), dict(extras))


# --- what a file needs -------------------------------------------------------------------------

IDENTITY = {
    "family_name",
    "name",
    "vrm",
    "group_name",
    "place_name",
    "address_line_1",
    "postcode",
    "uprn",
    "easting",
    "latitude",
}


def holds_cases(fields: frozenset[str], defaults: Mapping[str, str]) -> bool:
    return bool(fields & (CASE_FIELDS - {"notes", "note_date"})) or bool(
        defaults.get("business_area")
    )


def _wanted(name: str) -> str:
    f = BY_NAME[name]
    examples = " / ".join(dict.fromkeys([f.label, *f.headings[2:4]]))
    return f"{f.label} (headed e.g. {examples})"


def required(columns: ColumnMap, defaults: Mapping[str, str]) -> list[str]:
    """The columns this file needs and does not have, each in words; [] when it has them."""
    fields = columns.fields
    missing: list[str] = []
    if not fields & IDENTITY and not holds_cases(fields, defaults):
        missing.append(
            "a column saying who or what each row is: "
            + "; ".join(_wanted(n) for n in ("family_name", "name", "vrm", "postcode"))
        )
    if "given_names" in fields and not fields & {"family_name", "name"}:
        missing.append(_wanted("family_name"))
    if holds_cases(fields, defaults):
        if "business_area" not in fields and not defaults.get("business_area"):
            missing.append(_wanted("business_area") + ", or a business area for every row")
        if "opened_on" not in fields:
            missing.append(_wanted("opened_on"))
        people = fields & {"family_name", "name", "given_names", "group_name"} or "kind" in fields
        if people and "role" not in fields and not defaults.get("role"):
            missing.append(_wanted("role") + ", or a role for every person")
    elif fields & {"role", "notes", "note_date"}:
        missing.append(
            _wanted("case_ref") + f": a {'role' if 'role' in fields else 'note'} is on a case"
        )
    return missing
