"""The preview of an import: what it would create, and the similar records for every row.

`preview` reads the file (files.py), finds and maps its heading row (columns.py), builds the
`Context` of what Safer Hub knows (business areas, agencies, officers, case references already
used), reads every row (rows.py) and, when no row has a problem, looks for each row's subject
among the records already in Safer Hub (`subjects.duplicates.similar_subjects`, with its
reasons) and among the rows above it in the file. Each row gets a proposed choice: use the
existing record when one is a strong match the user may see, the same record as an earlier
row when that row is a strong match, otherwise a new record. The user may change any choice
to one of those offered (`resolve`); apply.py carries them out.

The preview stores nothing but its audit entry (the similar-record check consults the
subjects, as a search does). Which matches the user sees in full and which only as a locked
view is the sharing policy's answer, passed in as a `Sight` (the cases app does not import
sharing; the command line and the page give it).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from ...accounts.models import Agency, Role, User
from ...audit.log import record
from ...audit.models import Action as Audit
from ...subjects import matching
from ...subjects import normalise as n
from ...subjects.matching import Profile
from ...subjects.models import Place, Subject
from ...subjects.vocabulary import Kind
from ..models import BusinessArea, Case, ChronologyEntry, EntryType
from ..models import Role as CaseRole
from . import columns as cols
from . import matches
from . import rows as r
from . import values as v
from .files import IMPORT, Table, read_table
from .rows import Problem

NEW = "new"
EXISTING = "existing"
SAME_AS = "row"
EARLIER_PER_KEY = 50  # earlier rows one key brings into comparison
SHOWN_MATCHES = 5

# (visible subject ids, locked views by subject id) for a list of subjects
Sight = Callable[[list[Subject]], tuple[set[int], Mapping[int, object]]]


@dataclass(frozen=True)
class Offer:
    """A record in Safer Hub that may be the row's subject."""

    subject_id: int
    kind: str
    label: str
    score: int
    strength: str
    reasons: tuple[str, ...]
    visible: bool  # the user sees it in full and may choose it
    business_areas: tuple[str, ...] = ()  # a locked one's, to know whom to ask
    agencies: tuple[str, ...] = ()

    @property
    def choice(self) -> str:
        return f"{EXISTING}:{self.subject_id}"


@dataclass(frozen=True)
class Earlier:
    """A row above this one that may describe the same subject."""

    row: int
    label: str
    score: int
    strength: str
    reasons: tuple[str, ...]

    @property
    def choice(self) -> str:
        return f"{SAME_AS}:{self.row}"


@dataclass
class RowPlan:
    record: r.Record
    offers: list[Offer] = field(default_factory=list)
    earlier: list[Earlier] = field(default_factory=list)
    proposed: str = NEW
    home: str = ""  # a person's UPRN address: "existing:<place id>", "new" or "row:<n>"

    @property
    def row(self) -> int:
        return self.record.row

    @property
    def subject(self) -> r.SubjectRecord | None:
        return self.record.subject

    @property
    def role_label(self) -> str:
        return CaseRole(self.record.role).label if self.record.role else ""

    @property
    def choices(self) -> list[str]:
        """What the user may choose for this row."""
        return [
            NEW,
            *(o.choice for o in self.offers if o.visible),
            *(e.choice for e in self.earlier),
        ]

    @property
    def has_matches(self) -> bool:
        return bool(self.offers or self.earlier)


@dataclass
class Preview:
    filename: str
    sha256: str
    size: int
    kind: str  # csv or xlsx
    sheet: str = ""
    columns: cols.ColumnMap | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    cases: list[r.CaseRecord] = field(default_factory=list)
    data_rows: int = 0
    blank_rows: int = 0
    headings: list[str] = field(default_factory=list)  # the heading row as found

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows or self.cases)

    @property
    def subjects(self) -> list[RowPlan]:
        return [p for p in self.rows if p.subject is not None]

    @property
    def with_matches(self) -> list[RowPlan]:
        return [p for p in self.subjects if p.has_matches]

    def counts(self, choices: Mapping[int, str] | None = None) -> dict[str, int]:
        """What the import would make: new records of each kind, records used again, cases,
        notes. One source for the page, the command line and the import's audit entry."""
        chosen = resolve(self, choices or {}) if self.ok else {}
        out = {"person": 0, "place": 0, "vehicle": 0, "group": 0, "existing": 0, "same": 0}
        places: set[str] = set()  # new places, one per UPRN (as apply.py makes them)
        for plan in self.subjects:
            choice = chosen.get(plan.row, plan.proposed)
            subject = plan.subject
            if choice == NEW:
                if subject.kind == Kind.PLACE:
                    places.add(
                        f"uprn:{subject.details.uprn}"
                        if subject.details.uprn
                        else f"row:{plan.row}"
                    )
                else:
                    out[subject.kind] += 1
                if plan.home and not plan.home.startswith(EXISTING):
                    places.add(f"uprn:{subject.home.uprn}")
            elif choice.startswith(EXISTING):
                out["existing"] += 1
            else:
                out["same"] += 1
        out["place"] = len(places)
        out["cases"] = len(self.cases)
        out["notes"] = sum(len(p.record.notes) for p in self.rows)
        out["on_cases"] = sum(1 for p in self.subjects if p.record.case_key)
        return out

    def by_area(self) -> list[tuple[str, int]]:
        found: dict[str, int] = defaultdict(int)
        for case in self.cases:
            found[case.area.name] += 1
        return sorted(found.items())

    def problem_summary(self, listed: int = 200) -> list[tuple[str, int]]:
        """When there are more problems than `listed`, how many there are in each column."""
        if len(self.problems) <= listed:
            return []
        found: dict[str, int] = defaultdict(int)
        for p in self.problems:
            found[p.column or "the row or file"] += 1
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))

    @property
    def fingerprint(self) -> str:
        """What the preview showed, as a digest: a confirm is refused when a fresh preview
        of the same file would show something else (a new similar record, say)."""
        state = {
            "sha256": self.sha256,
            "map": self.columns.as_map() if self.columns else {},
            "defaults": self.defaults,
            "problems": [str(p) for p in self.problems],
            "rows": [
                [
                    p.row,
                    p.proposed,
                    p.home,
                    [[o.subject_id, o.visible] for o in p.offers],
                    [e.row for e in p.earlier],
                ]
                for p in self.rows
            ],
            "cases": [[c.key, c.area.id, c.lead_officer_id] for c in self.cases],
        }
        text = json.dumps(state, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


class ChoiceError(ValueError):
    """A choice that is not one of those the preview offered the row."""

    def __init__(self, row: int, message: str):
        self.row = row
        super().__init__(f"row {row}: {message}")


def resolve(preview: Preview, choices: Mapping[int, str]) -> dict[int, str]:
    """Every subject row's choice: the user's where given (checked against what the row was
    offered), else the proposed one."""
    out: dict[int, str] = {}
    for plan in preview.subjects:
        choice = choices.get(plan.row) or plan.proposed
        if choice not in plan.choices:
            raise ChoiceError(
                plan.row,
                "that record was not offered for this row: preview the file again and choose "
                "from the records it offers",
            )
        out[plan.row] = choice
    return out


# --- what Safer Hub knows ----------------------------------------------------------------------


def areas() -> list[r.Area]:
    return [
        r.Area(a.pk, a.code, a.name, a.schema, a.reasons, a.active)
        for a in BusinessArea.objects.order_by("code")
    ]


def used_references(agency_id: int, references: Iterable[str]) -> dict[str, str]:
    """Case references already in use: the file's own references of the agency's earlier
    imports (kept in each imported case's first note), and Safer Hub's own references."""
    used: dict[str, str] = {}
    notes = ChronologyEntry.objects.filter(
        case__lead_agency_id=agency_id, type=EntryType.NOTE, text__startswith="Imported from "
    ).values_list("text", "case__reference", "recorded_at")
    for text, case_reference, at in notes.iterator():
        found = r.reference_in(text)
        if found:
            used.setdefault(
                r.ref_key(found),
                f"it was imported on {timezone.localtime(at):%d/%m/%Y} as case {case_reference}",
            )
    wanted = {x.strip() for x in references if x.strip()}
    wanted |= {x.upper() for x in wanted}
    for reference in Case.objects.filter(reference__in=sorted(wanted)).values_list(
        "reference", flat=True
    ):
        used.setdefault(r.ref_key(reference), f"it is the reference of case {reference}")
    return used


def context(
    user, *, file: str, today: date, defaults: Mapping[str, str], references: Iterable[str]
) -> r.Context:
    found = areas()
    by_key = {}
    for area in found:
        by_key.setdefault(v.key(area.code), area)
        by_key.setdefault(v.key(area.name), area)
    officers, names = {}, defaultdict(list)
    for pk, email, full_name, agency_id, role, active in User.objects.filter(
        agency_id=user.agency_id
    ).values_list("pk", "email", "full_name", "agency_id", "role", "is_active"):
        officer = r.Officer(pk, email, full_name, agency_id, role == Role.PRACTITIONER, active)
        officers[email.lower()] = officer
        if officer.practitioner and active:
            names[v.key(full_name)].append(officer)
    return r.Context(
        today=today,
        file=file,
        agency_id=user.agency_id,
        agency_name=user.agency.name if user.agency_id else "",
        user_id=user.pk,
        areas=by_key,
        agencies={v.key(name): (pk, name) for pk, name in Agency.objects.values_list("pk", "name")},
        officers=_OfficerLookup(officers),
        officer_names={k: tuple(x) for k, x in names.items()},
        used=used_references(user.agency_id, references),
        defaults=dict(defaults),
    )


class _OfficerLookup(dict):
    """The agency's users by email; someone of another agency is looked up when named."""

    def get(self, email, default=None):
        if email in self:
            return self[email]
        found = (
            User.objects.filter(email__iexact=email)
            .values_list("pk", "email", "full_name", "agency_id", "role", "is_active")
            .first()
        )
        if found is None:
            return default
        pk, address, full_name, agency_id, role, active = found
        officer = r.Officer(pk, address, full_name, agency_id, role == Role.PRACTITIONER, active)
        self[email] = officer
        return officer


# --- the preview -------------------------------------------------------------------------------


def _file_problem(message: str) -> Problem:
    return Problem(0, "", message)


def _headings(cells: list) -> str:
    return ", ".join(f"“{v.cell_text(c)}”" for c in cells if v.cell_text(c)) or "none"


def _map(explicit: Mapping[str, str], extras: Mapping[str, str]) -> dict[str, str]:
    return {heading: cols.field_named(target, extras) for heading, target in explicit.items()}


def _defaults(defaults: Mapping[str, str], found: list[r.Area]) -> list[Problem]:
    problems = []
    area = defaults.get("business_area", "")
    if area and not any(v.key(area) in (v.key(a.code), v.key(a.name)) for a in found):
        problems.append(_file_problem(f"there is no business area “{area}” (the default given)"))
    role = defaults.get("role", "")
    if role:
        try:
            v.parse_role(role)
        except ValueError as exc:
            problems.append(_file_problem(f"the default role: {exc}"))
    return problems


def preview(
    data: bytes,
    filename: str,
    *,
    user,
    sight: Sight,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    today: date | None = None,
    request=None,
    via: str = "site",
    limits=IMPORT,
) -> Preview:
    """What importing `data` would do, for `user`. Raises files.ImportFileError when the file
    cannot be read at all; every other problem is in the preview's `problems`."""
    table = read_table(data, filename, limits)
    today = today or timezone.localdate()
    defaults = {k: val.strip() for k, val in (defaults or {}).items() if val and val.strip()}
    if defaults.get("role") and _readable_role(defaults):
        defaults["role"] = v.parse_role(defaults["role"])
    out = Preview(
        filename=table.filename,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        kind=table.kind,
        defaults=defaults,
        notes=list(table.notes),
    )
    found_areas = areas()
    extras = cols.extra_fields(a.schema for a in found_areas)
    try:
        explicit = _map(mapping or {}, extras)
    except cols.MapError as exc:
        out.problems.append(_file_problem(f"the column map: {exc}"))
        return out
    out.problems += _defaults(defaults, found_areas)
    sheet, header = _header(table, explicit, extras)
    if header is None:
        first = next((cells for s in table.sheets for _, cells in s.rows[:1]), [])
        out.problems.append(
            _file_problem(
                "no row of headings was found in the first rows of "
                f"{'any sheet' if table.kind == 'xlsx' else 'the file'}: expected headings "
                "such as Surname, First name, Date of birth, Postcode, VRM, Case ref, Business "
                f"area, Date opened, Role; the first row holds: {_headings(first)}"
            )
        )
        return out
    out.sheet = sheet.name
    out.headings = [v.cell_text(c) for c in header[1]]
    if sheet.name and len(table.sheets) > 1:
        out.notes.append(f"read sheet {sheet.name}; the other sheets are not imported")
    if header[0] > sheet.rows[0][0]:
        out.notes.append(f"the headings are in row {header[0]}: the rows above them are not read")
    try:
        columns = cols.recognise(sheet.name, header, explicit, extras)
    except cols.MapError as exc:
        out.problems.append(_file_problem(f"the column map: {exc}"))
        return out
    out.columns = columns
    missing = cols.required(columns, defaults)
    if missing:
        out.problems.append(
            _file_problem(
                f"missing required column{'s' if len(missing) > 1 else ''}: "
                + "; ".join(missing)
                + f". The headings found (row {header[0]}): {_headings(header[1])}"
            )
        )
    if out.problems:
        return out
    references = []
    for index in columns.indexes("case_ref"):
        references += [v.cell_text(cells[index]) for _, cells in sheet.rows if index < len(cells)]
    ctx = context(user, file=table.filename, today=today, defaults=defaults, references=references)
    parsed = r.parse_rows(sheet.rows, columns, ctx)
    out.problems, out.warnings = parsed.problems, parsed.warnings
    out.data_rows, out.blank_rows = parsed.rows, parsed.blank
    if parsed.problems:
        return out
    out.cases = list(parsed.cases.values())
    out.rows = [RowPlan(record) for record in parsed.records]
    _match(out, sight)
    _homes(out, sight)
    _audit(out, user, request=request, via=via)
    return out


def _readable_role(defaults: Mapping[str, str]) -> bool:
    try:
        v.parse_role(defaults["role"])
    except ValueError:
        return False
    return True


def _header(table: Table, explicit, extras):
    for sheet in table.sheets:
        if not sheet.rows:
            continue
        header = cols.find_header(sheet.rows, explicit, extras)
        if header is not None:
            return sheet, header
    return table.sheets[0], None


# --- similar records ---------------------------------------------------------------------------


def profile(subject: r.SubjectRecord) -> Profile:
    """The matching profile of a row's subject (a person's UPRN address included)."""
    if subject.kind == Kind.PERSON:
        base = matching.person_profile(
            subject.name,
            subject.details,
            other_names=subject.other_names,
            addresses=subject.addresses,
            identifiers=subject.identifiers,
        )
        home = subject.home
        if home is None:
            return base
        key = n.address_key(home.line_1, home.line_2, home.postcode)
        return Profile(
            **{
                **base.__dict__,
                "uprns": frozenset({home.uprn}),
                "postcodes": base.postcodes | ({home.postcode} - {""}),
                "address_keys": base.address_keys | ({key} - {""}),
            }
        )
    builder = {
        Kind.PLACE: matching.place_profile,
        Kind.VEHICLE: matching.vehicle_profile,
        Kind.GROUP: matching.group_profile,
    }[subject.kind]
    return builder(subject.details)


def _keys(p: Profile, *, probe: bool) -> set[str]:
    """The keys a profile is indexed (or looked up) by, for matching rows within the file:
    the same keys the stored records are found by."""
    keys: set[str] = set()
    if p.kind == Kind.PERSON:
        for name in p.names:
            keys |= (n.query_name_keys if probe else n.name_keys)(
                name.given_names, name.family_name
            )
        for born in (p.date_of_birth, n.transposed(p.date_of_birth) if probe else None):
            if born:
                keys.add(f"dob:{born.isoformat()}")
        keys |= {f"id:{k}:{val}" for k, val in p.identifiers}
    elif p.kind == Kind.VEHICLE:
        keys |= {f"vrm:{p.vrm}", f"vrml:{p.vrm_lookalike}"} if p.vrm else set()
    elif p.kind == Kind.GROUP:
        keys |= n.group_name_keys(p.group_name)
    keys |= {f"uprn:{u}" for u in p.uprns} | {f"pc:{c}" for c in p.postcodes}
    keys |= {f"ak:{a}" for a in p.address_keys}
    return {f"{p.kind}|{k}" for k in keys}


def _match(out: Preview, sight: Sight) -> None:
    index: dict[str, list[int]] = defaultdict(list)
    profiles: dict[int, Profile] = {}
    labels: dict[int, str] = {}
    by_row: dict[int, Profile] = {p.row: profile(p.subject) for p in out.subjects}
    unique = list(dict.fromkeys(by_row.values()))
    # Stored records: the check a page makes before a create, for every row at once.
    found_for = dict(zip(unique, matches.similar_many(unique, limit=SHOWN_MATCHES), strict=True))
    all_matches = {row: found_for[p] for row, p in by_row.items()}
    for plan in out.subjects:
        p = by_row[plan.row]
        # Rows above this one: their profiles numbered by row, scored alike.
        numbered = Profile(**{**p.__dict__, "subject_id": plan.row})
        candidates: set[int] = set()
        for key in _keys(p, probe=True):
            candidates.update(index.get(key, ()))
        found = [
            m for row in candidates if (m := matching.compare(numbered, profiles[row])) is not None
        ]
        found.sort(key=lambda m: (-m.score, m.subject_id))
        plan.earlier = [
            Earlier(m.subject_id, labels[m.subject_id], m.score, m.strength, tuple(m.reason_texts))
            for m in found[:SHOWN_MATCHES]
        ]
        profiles[plan.row] = numbered
        labels[plan.row] = plan.subject.label
        for key in _keys(p, probe=False):
            rows = index[key]
            if len(rows) < EARLIER_PER_KEY:
                rows.append(plan.row)
    subjects = {m.subject.pk: m.subject for ms in all_matches.values() for m in ms}
    visible, locked = sight(list(subjects.values())) if subjects else (set(), {})
    for plan in out.subjects:
        for m in all_matches[plan.row]:
            view = locked.get(m.subject_id)
            plan.offers.append(
                Offer(
                    subject_id=m.subject_id,
                    kind=m.kind,
                    label=m.subject.display_name,
                    score=m.score,
                    strength=m.strength,
                    reasons=tuple(m.reason_texts),
                    visible=m.subject_id in visible,
                    business_areas=tuple(getattr(view, "business_areas", ()) or ()),
                    agencies=tuple(getattr(view, "agencies", ()) or ()),
                )
            )
        plan.proposed = _propose(plan)


def _propose(plan: RowPlan) -> str:
    """Use a strong match the user sees; else the same record as a strong earlier row."""
    for offer in plan.offers:
        if offer.visible and offer.strength == "strong":
            return offer.choice
    for earlier in plan.earlier:
        if earlier.strength == "strong":
            return earlier.choice
    return NEW


def _homes(out: Preview, sight: Sight) -> None:
    """A person's UPRN address is the place record with that UPRN: an existing one the
    importer may use (`sight`, as for the row's own record: a place on another agency's case
    is neither linked to nor revealed), or one made by the first row that gives the UPRN."""
    uprns = sorted({p.subject.home.uprn for p in out.subjects if p.subject.home})
    places = list(
        Subject.objects.filter(
            place__uprn__in=uprns, merged_into__isnull=True, kind=Kind.PLACE
        ).order_by("pk")
    )
    usable = sight(places)[0] if places else set()
    existing: dict[str, int] = {}
    for pk, uprn in (
        Place.objects.filter(subject_id__in=usable)
        .order_by("subject_id")
        .values_list("subject_id", "uprn")
    ):
        existing.setdefault(uprn, pk)
    first: dict[str, int] = {}
    for plan in out.subjects:
        home = plan.subject.home
        if home is None:
            continue
        if home.uprn in existing:
            plan.home = f"{EXISTING}:{existing[home.uprn]}"
        elif home.uprn in first:
            plan.home = f"{SAME_AS}:{first[home.uprn]}"
        else:
            first[home.uprn] = plan.row
            plan.home = NEW


def _audit(out: Preview, user, *, request, via: str) -> None:
    """The similar-record check consulted the subjects: on the record as a search is."""
    ids = sorted({o.subject_id for p in out.rows for o in p.offers})
    with transaction.atomic():
        record(
            action=Audit.VIEW,
            request=request,
            actor=user,
            object_type="subjects.search",
            changes={
                "duplicate_check": "import",
                "file_sha256": out.sha256,
                "rows": out.data_rows,
                "results": sum(len(p.offers) for p in out.rows),
                "full": sum(o.visible for p in out.rows for o in p.offers),
                "locked": sum(not o.visible for p in out.rows for o in p.offers),
                "subjects": ids,
                "via": via,
            },
        )
