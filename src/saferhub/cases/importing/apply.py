"""Carrying out a previewed import: everything in one transaction, or nothing.

Every record, case, role and note is written by the subjects and cases services, so each has
its own audit entry and passes the same checks as a page (the visibility policy included).
One more audit entry records the import as a whole: the file's name, its SHA-256, the rows
read and what was made. Any refusal (a service's, a record merged away since the preview, a
second confirm of the same preview) rolls the whole import back and names the row.

An existing record chosen for a row that goes on a case must be one the user's agency holds
(`permissions.may_attach`, the rule `cases.services.add_subject` asks too): seeing it through
a grant is not enough, and the refusal names the row and the column that describes the
subject, before anything of that row is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ...accounts.models import User
from ...audit.log import record
from ...audit.models import Action as Audit
from ...audit.models import AuditEntry
from ...subjects import services as subjects
from ...subjects.entries import AddressEntry
from ...subjects.errors import SubjectError
from ...subjects.models import Subject
from ...subjects.vocabulary import Kind
from .. import permissions as perms
from .. import services as cases
from ..errors import CaseError
from ..models import BusinessArea, EntryType, Status
from . import rows as r
from .plan import EXISTING, NEW, SAME_AS, Preview, resolve
from .rows import Problem

IMPORT_TYPE = "cases.import"  # the audit entry of an import as a whole
# The fields that say who or what a row's subject is, first found named in a refusal.
IDENTITY = (
    "name",
    "family_name",
    "given_names",
    "place_name",
    "vrm",
    "group_name",
    "uprn",
    "address_line_1",
)


class ImportFailed(ValueError):
    """Nothing was imported; `problem` names the row (and column) that stopped it."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class AlreadyImported(ImportFailed):
    """This preview was confirmed before (a second click, or two at once)."""

    def __init__(self):
        super().__init__(Problem(0, "", "this file was imported already from this preview"))


@dataclass
class Result:
    entry_id: int
    cases: list[tuple[int, str, str]] = field(default_factory=list)  # id, reference, theirs
    created: dict[str, int] = field(default_factory=dict)  # kind -> new records
    existing: int = 0
    notes: int = 0

    def as_json(self) -> dict:
        return {
            "entry_id": self.entry_id,
            "cases": [list(c) for c in self.cases],
            "created": self.created,
            "existing": self.existing,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict) -> Result:
        return cls(
            entry_id=data["entry_id"],
            cases=[tuple(c) for c in data["cases"]],
            created=dict(data["created"]),
            existing=data["existing"],
            notes=data["notes"],
        )


class _Writer:
    """The writes of one import, in file order, each refusal named by its row."""

    def __init__(self, preview: Preview, choices: dict[int, str], user, request, at):
        self.preview = preview
        self.choices = choices
        self.user = user
        self.request = request
        self.at = at
        self.subjects: dict[int, Subject] = {}  # row -> the record it is
        self.existing: dict[int, Subject] = {}  # records chosen, by id
        self.places: dict[str, Subject] = {}  # UPRN -> a place made by this import
        self.result = Result(entry_id=0, created={k: 0 for k in Kind.values})
        self.row = 0
        self.column = ""

    def fail(self, message: str, column: str = "") -> ImportFailed:
        return ImportFailed(Problem(self.row, column or self.column, message))

    def identity_column(self) -> str:
        """The file's heading for the row's subject (its name, VRM, ...)."""
        columns = self.preview.columns
        if columns is None:
            return ""
        return next((h for name in IDENTITY if (h := columns.heading(name))), "")

    # --- subjects ------------------------------------------------------------------------

    def subject_for(self, plan) -> Subject:
        choice = self.choices[plan.row]
        if choice.startswith(EXISTING):
            found = self.existing.get(int(choice.split(":")[1]))
            if found is None or found.merged_into_id is not None:
                raise self.fail(
                    "the record chosen for this row has been merged or removed since the "
                    "preview: preview the file again"
                )
            if plan.record.case_key is not None and not perms.may_attach(
                self.user, found, at=self.at
            ):
                raise self.fail(
                    f"record {found.pk} is not held by your agency, so it cannot go on your "
                    "case: choose a new record, or ask the agency that leads its case",
                    self.identity_column(),
                )
            self.result.existing += 1
            return found
        if choice.startswith(SAME_AS):
            return self.subjects[int(choice.split(":")[1])]
        return self.create(plan)

    def home(self, plan) -> Subject:
        """The place record of a person's UPRN address: the existing one the preview found,
        else one this import makes (once per UPRN)."""
        uprn = plan.subject.home.uprn
        if plan.home.startswith(EXISTING):
            found = self.existing.get(int(plan.home.split(":")[1]))
            if found is not None and found.merged_into_id is None:
                return found
        if uprn not in self.places:
            self.places[uprn] = subjects.create_place(
                plan.subject.home, by=self.user, request=self.request
            )
            self.result.created[Kind.PLACE] += 1
        return self.places[uprn]

    def create(self, plan) -> Subject:
        user, request, subject = self.user, self.request, plan.subject
        if subject.kind == Kind.PERSON:
            addresses = list(subject.addresses)
            if subject.home is not None:
                place = self.home(plan)
                addresses = [AddressEntry(place_id=place.pk)]
            made = subjects.create_person(
                name=subject.name,
                details=subject.details,
                other_names=subject.other_names,
                addresses=addresses,
                contacts=subject.contacts,
                identifiers=subject.identifiers,
                flags=subject.flags,
                by=user,
                request=request,
            )
        elif subject.kind == Kind.PLACE:
            uprn = subject.details.uprn
            if uprn and uprn in self.places:
                return self.places[uprn]
            made = subjects.create_place(subject.details, by=user, request=request)
            if uprn:
                self.places[uprn] = made
        elif subject.kind == Kind.VEHICLE:
            made = subjects.create_vehicle(
                subject.details, by=user, entered_vrm=subject.entered_vrm, request=request
            )
        else:
            made = subjects.create_group(subject.details, by=user, request=request)
        self.result.created[subject.kind] += 1
        return made

    # --- the run -------------------------------------------------------------------------

    def run(self) -> None:
        preview = self.preview
        wanted = {int(c.split(":")[1]) for c in self.choices.values() if c.startswith(EXISTING)} | {
            int(p.home.split(":")[1]) for p in preview.subjects if p.home.startswith(EXISTING)
        }
        self.existing = Subject.objects.in_bulk(sorted(wanted))
        for plan in preview.subjects:
            self.row, self.column = plan.row, ""
            self.subjects[plan.row] = self.subject_for(plan)
        areas = BusinessArea.objects.in_bulk([c.area.id for c in preview.cases])
        officers = User.objects.select_related("agency").in_bulk(
            [c.lead_officer_id for c in preview.cases]
        )
        by_case: dict[str, list] = {}
        for plan in preview.rows:
            if plan.record.case_key is not None:
                by_case.setdefault(plan.record.case_key, []).append(plan)
        heading = preview.columns.heading if preview.columns else (lambda name: "")
        for case_record in preview.cases:
            self.row, self.column = case_record.first_row, ""
            area = areas.get(case_record.area.id)
            if area is None:
                raise self.fail("its business area has been removed since the preview")
            case = cases.create_case(
                self.user,
                business_area=area,
                title=case_record.title,
                opened_on=case_record.opened_on,
                lead_officer=officers.get(case_record.lead_officer_id),
                extra=case_record.extra,
                request=self.request,
                at=self.at,
            )
            cases.add_entry(
                self.user,
                case,
                type=EntryType.NOTE,
                text=r.import_note(preview.filename, case_record.rows, case_record.reference),
                event_date=case_record.opened_on,
                request=self.request,
                at=self.at,
            )
            placed: set[tuple[int, str]] = set()
            for plan in by_case.get(case_record.key, ()):
                self.row = plan.row
                subject = self.subjects.get(plan.row)
                if subject is not None and (subject.pk, plan.record.role) not in placed:
                    self.column = heading("role")
                    placed.add((subject.pk, plan.record.role))
                    cases.add_subject(
                        self.user, case, subject, plan.record.role, request=self.request, at=self.at
                    )
                for note in plan.record.notes:
                    self.column = heading("notes")
                    cases.add_entry(
                        self.user,
                        case,
                        type=EntryType.NOTE,
                        text=note.text,
                        event_date=note.event_date or case_record.opened_on,
                        request=self.request,
                        at=self.at,
                    )
                    self.result.notes += 1
            self.row, self.column = case_record.first_row, heading("status")
            if case_record.status != Status.OPEN:
                case = cases.set_status(
                    self.user,
                    case,
                    version=case.version,
                    status=case_record.status,
                    reason=case_record.closure_reason,
                    on=case_record.closed_on,
                    request=self.request,
                    at=self.at,
                )
            self.result.cases.append((case.pk, case.reference, case_record.reference))


def apply(
    preview: Preview,
    choices: dict[int, str] | None = None,
    *,
    user,
    request=None,
    via: str = "site",
    claim: str = "",
    at: datetime | None = None,
) -> Result:
    """Import what `preview` shows, with the user's `choices` (row -> "new",
    "existing:<id>", "row:<n>"; the proposed choice for rows not given). `claim`, when
    given, makes the import happen at most once for it (a preview's token digest)."""
    if not preview.ok:
        raise ImportFailed(Problem(0, "", "the preview has problems: nothing can be imported"))
    # The cases are led by the user's agency: the policy's question for opening any case,
    # asked (and a refusal audited) before anything is written.
    perms.require(user, perms.CREATE_CASE, user.agency, request=request)
    chosen = resolve(preview, choices or {})
    at = at or timezone.now()
    writer = _Writer(preview, chosen, user, request, at)
    try:
        with transaction.atomic():
            if claim:
                # Confirms of one user's previews wait for each other here, so the second
                # finds the first's entry and stops.
                User.objects.select_for_update().filter(pk=user.pk).first()
                if AuditEntry.objects.filter(object_type=IMPORT_TYPE, object_id=claim).exists():
                    raise AlreadyImported()
            writer.run()
            counts = preview.counts(chosen)
            entry = record(
                action=Audit.CREATE,
                request=request,
                actor=user,
                object_type=IMPORT_TYPE,
                object_id=claim,
                changes={
                    "file": preview.filename,
                    "sha256": preview.sha256,
                    "bytes": preview.size,
                    "sheet": preview.sheet,
                    "rows": preview.data_rows,
                    "cases": [pk for pk, _, _ in writer.result.cases],
                    "created": writer.result.created,
                    "existing": writer.result.existing,
                    "same_as_earlier_row": counts["same"],
                    "notes": writer.result.notes,
                    "via": via,
                },
            )
    except ImportFailed:
        raise
    except (CaseError, SubjectError) as exc:
        column = writer.column
        if isinstance(exc, CaseError) and exc.field and preview.columns:
            column = preview.columns.heading(exc.field) or column
        raise ImportFailed(Problem(writer.row, column, str(exc))) from exc
    except ValidationError as exc:
        raise ImportFailed(Problem(writer.row, writer.column, "; ".join(exc.messages))) from exc
    except PermissionDenied as exc:
        raise ImportFailed(
            Problem(writer.row, "", f"refused: you are {exc} (nothing was imported)")
        ) from exc
    writer.result.entry_id = entry.pk
    return writer.result


__all__ = ["IMPORT_TYPE", "NEW", "AlreadyImported", "ImportFailed", "Result", "apply"]
