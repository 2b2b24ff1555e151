"""THE visibility policy: who sees and works which case, subject and document, and why.

Every queryset, page, export, search and service asks this module, and nothing else decides
(ADR 11). The rules:

- Case content is for practitioners, the people who work cases. Other roles (admin, analyst,
  coordinator, board) and the data protection officer see no case by role: admins run the
  site, the DPO reviews break glass and the audit log, the board reads aggregates.
- A practitioner of the case's lead agency sees and works the whole case.
- A practitioner of another agency sees it through a live `Grant` to their agency (started,
  not expired, not revoked), in the grant's scope: the whole case; chronology and tasks only
  (no sensitive entries, business-area fields, subjects or documents); or named subjects
  only (those subjects and the case's header). Special category data only where the grant
  includes it. Grantees may add chronology entries (whole or chronology scope) and upload
  (whole); editing, closing, tasks, consent and sharing stay with the lead agency.
- A practitioner with a live `BreakGlass` reads the whole case, without special category
  data, and changes nothing.
- More sources of access (issue 15: panel listings) register an `ExtraSource`: a filter on
  cases, the scope it opens and the purpose it is recorded under.
- A closed case takes no new work (entries, tasks, subjects, documents, edits) until the
  lead agency reopens it; sharing and consent can still be changed.

All time comparisons take `at` (default: now), so tests pass the instant in. Querysets are
one query with EXISTS subqueries, never a loop over cases.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..accounts.models import Agency, Role
from ..cases import permissions as verbs
from ..cases.models import Case, CaseSubject, ChronologyEntry, Document, Status, Task
from ..subjects.models import Subject
from .models import AccessRequest, BreakGlass, Grant, GrantSubject, Scope

ALL = "all"  # every subject on the case (else a frozenset of subject ids)

LEAD_PURPOSE = "lead agency"

# --- extension point ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraSource:
    """A further way a practitioner comes to see a case (a panel listing, say). `cases`
    returns a filter on `Case` for the cases `user` sees through it at `at` (it may use
    `Exists(...)` with `OuterRef("pk")`); they see them as a grant of `scope` (whole case, or
    chronology and tasks) shows them and may add chronology entries, but never upload, edit
    or share, and never see special category data; recorded under `purpose`."""

    name: str
    cases: Callable[[object, datetime], Q]
    scope: str = Scope.WHOLE
    purpose: str = ""


_sources: dict[str, ExtraSource] = {}


def register_source(source: ExtraSource) -> None:
    """Add (or replace, by name) a source of access. Panels call this in their AppConfig."""
    if source.scope not in {Scope.WHOLE, Scope.CHRONOLOGY_AND_TASKS}:
        raise ValueError("an extra source opens the whole case, or chronology and tasks")
    _sources[source.name] = source


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def sources() -> tuple[ExtraSource, ...]:
    return tuple(_sources.values())


# --- building blocks ---------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def is_practitioner(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.PRACTITIONER
    )


def is_dpo(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_data_protection_officer
    )


def live_grants(at: datetime) -> QuerySet[Grant]:
    return Grant.objects.filter(revoked_at__isnull=True, starts_at__lte=at, expires_at__gt=at)


def live_break_glass(at: datetime) -> QuerySet[BreakGlass]:
    return BreakGlass.objects.filter(starts_at__lte=at, ends_at__gt=at)


# Which grant (and extra source) scopes show each part of a case.
SCOPES_SHOWING: dict[str, set[str]] = {
    verbs.VIEW: {Scope.WHOLE, Scope.CHRONOLOGY_AND_TASKS, Scope.NAMED_SUBJECTS},
    verbs.VIEW_SUBJECTS: {Scope.WHOLE, Scope.NAMED_SUBJECTS},
    verbs.VIEW_CHRONOLOGY: {Scope.WHOLE, Scope.CHRONOLOGY_AND_TASKS},
    verbs.VIEW_TASKS: {Scope.WHOLE, Scope.CHRONOLOGY_AND_TASKS},
    verbs.VIEW_SENSITIVE: {Scope.WHOLE},
    verbs.VIEW_DOCUMENTS: {Scope.WHOLE},
    verbs.DOWNLOAD: {Scope.WHOLE},
}


def _case_q(user, at: datetime, scopes: set[str], *, via: str = "") -> Q:
    """A filter on Case: lead agency, a live grant in one of `scopes`, a live break glass,
    or an extra source in one of `scopes`. Callers have checked `is_practitioner`. With
    `via`, the same test as a filter on a model whose foreign key `via` is the case (a
    case's subjects, say), without a subquery on the case itself: nested subqueries cost
    the ORM more to build than the database to run."""
    case = OuterRef(via or "pk")
    grants = live_grants(at).filter(case=case, agency_id=user.agency_id, scope__in=scopes)
    glass = live_break_glass(at).filter(case=case, user_id=user.pk)
    lead = f"{via}__lead_agency_id" if via else "lead_agency_id"
    q = Q(**{lead: user.agency_id}) | Q(Exists(grants)) | Q(Exists(glass))
    for source in _sources.values():
        if source.scope in scopes:
            on_case = source.cases(user, at)
            q |= Q(Exists(Case.objects.filter(on_case, pk=case))) if via else on_case
    return q


def visible_cases(user, *, at: datetime | None = None, showing: str = verbs.VIEW) -> QuerySet[Case]:
    """The cases `user` may open at `at`; with `showing` (a VIEW_* verb), only those whose
    that part they see (e.g. `VIEW_TASKS` for "my tasks"). One query."""
    if showing not in SCOPES_SHOWING:
        raise ValueError(f"showing must be one of {', '.join(sorted(SCOPES_SHOWING))}")
    if not is_practitioner(user):
        return Case.objects.none()
    return Case.objects.filter(_case_q(user, _now(at), SCOPES_SHOWING[showing]))


# --- one case ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What one user may see and do on one case at one instant, and why."""

    lead: bool = False
    grants: tuple[Grant, ...] = ()
    break_glass: BreakGlass | None = None
    sources: tuple[ExtraSource, ...] = ()
    named: frozenset[int] = field(default_factory=frozenset)  # named-subject grants' subjects
    named_special: frozenset[int] = field(default_factory=frozenset)  # of those, with special

    def _scopes(self) -> set[str]:
        return {g.scope for g in self.grants} | {s.scope for s in self.sources}

    @property
    def any(self) -> bool:
        return self.lead or bool(self.grants or self.break_glass or self.sources)

    @property
    def whole(self) -> bool:
        return self.lead or self.break_glass is not None or Scope.WHOLE in self._scopes()

    @property
    def chronology(self) -> bool:
        return self.whole or Scope.CHRONOLOGY_AND_TASKS in self._scopes()

    @property
    def subjects(self) -> str | frozenset[int]:
        return ALL if self.whole else self.named

    @property
    def special_category(self) -> str | frozenset[int]:
        """Subjects whose special category data is shown: not through break glass."""
        if self.lead or any(
            g.scope == Scope.WHOLE and g.include_special_category for g in self.grants
        ):
            return ALL
        return self.named_special

    @property
    def contributes(self) -> bool:
        """May add chronology entries: the lead, whole and chronology-scope grants."""
        scopes = {g.scope for g in self.grants} | {s.scope for s in self.sources}
        return self.lead or bool(scopes & {Scope.WHOLE, Scope.CHRONOLOGY_AND_TASKS})

    @property
    def uploads(self) -> bool:
        return self.lead or any(g.scope == Scope.WHOLE for g in self.grants)

    def covers(self, subject_id: int) -> bool:
        return self.subjects == ALL or subject_id in self.subjects

    def covers_special(self, subject_id: int) -> bool:
        special = self.special_category
        return special == ALL or subject_id in special

    @property
    def purpose(self) -> str:
        """Why the user works the case, as the audit log records it."""
        parts = [LEAD_PURPOSE] if self.lead else []
        parts += [g.purpose for g in self.grants]
        if self.break_glass is not None:
            parts.append(f"break glass: {self.break_glass.reason}")
        parts += [s.purpose or s.name for s in self.sources]
        return "; ".join(parts)

    def basis(self) -> dict:
        """The grants, break glass and sources the access rests on (ids), for audit entries."""
        out: dict = {}
        if self.lead:
            out["lead_agency"] = True
        if self.grants:
            out["grants"] = [g.pk for g in self.grants]
        if self.break_glass is not None:
            out["break_glass"] = self.break_glass.pk
        if self.sources:
            out["sources"] = [s.name for s in self.sources]
        return out


NO_ACCESS = Access()


def access(user, case: Case, *, at: datetime | None = None) -> Access:
    """Everything `user` may do on `case` at `at`, with the grants behind it."""
    if not is_practitioner(user):
        return NO_ACCESS
    at = _now(at)
    lead = case.lead_agency_id == user.agency_id
    grants = tuple(live_grants(at).filter(case=case, agency_id=user.agency_id).order_by("id"))
    glass = live_break_glass(at).filter(case=case, user_id=user.pk).order_by("-ends_at").first()
    extra = tuple(
        s for s in _sources.values() if Case.objects.filter(s.cases(user, at), pk=case.pk).exists()
    )
    named: set[int] = set()
    named_special: set[int] = set()
    named_grants = [g for g in grants if g.scope == Scope.NAMED_SUBJECTS]
    if named_grants:
        special_ids = {g.pk for g in named_grants if g.include_special_category}
        for grant_id, subject_id in GrantSubject.objects.filter(grant__in=named_grants).values_list(
            "grant_id", "subject_id"
        ):
            named.add(subject_id)
            if grant_id in special_ids:
                named_special.add(subject_id)
    return Access(
        lead=lead,
        grants=grants,
        break_glass=glass,
        sources=extra,
        named=frozenset(named),
        named_special=frozenset(named_special),
    )


def purpose(user, case: Case, *, at: datetime | None = None) -> str:
    return access(user, case, at=at).purpose


CASE_READS = {
    verbs.VIEW: lambda a: a.any,
    verbs.VIEW_SUBJECTS: lambda a: a.subjects == ALL or bool(a.subjects),
    verbs.VIEW_CHRONOLOGY: lambda a: a.chronology,
    verbs.VIEW_TASKS: lambda a: a.chronology,
    verbs.VIEW_SENSITIVE: lambda a: a.whole,
    verbs.VIEW_DOCUMENTS: lambda a: a.whole,
    verbs.DOWNLOAD: lambda a: a.whole,
    verbs.VIEW_SPECIAL_CATEGORY: lambda a: a.special_category == ALL or bool(a.special_category),
}
# Work on an open case.
CASE_WORK = {
    verbs.EDIT: lambda a: a.lead,
    verbs.ADD_SUBJECT: lambda a: a.lead,
    verbs.MANAGE_TASKS: lambda a: a.lead,
    verbs.ADD_ENTRY: lambda a: a.contributes,
    verbs.UPLOAD: lambda a: a.uploads,
}
# Open or closed.
CASE_STEWARD = {
    verbs.CLOSE: lambda a: a.lead,
    verbs.GRANT: lambda a: a.lead,
    verbs.RECORD_CONSENT: lambda a: a.lead,
}


def allowed_on_case(user, verb: str, case: Case, a: Access) -> bool:
    """Whether `a` (the user's access to `case`, from `access`) allows `verb` on it."""
    if verb == verbs.REQUEST_ACCESS:
        return (
            is_practitioner(user)
            and not a.lead
            and not any(g.scope == Scope.WHOLE for g in a.grants)
        )
    if verb == verbs.BREAK_GLASS:
        return is_practitioner(user) and not a.whole
    if verb in CASE_READS:
        return CASE_READS[verb](a)
    if verb in CASE_WORK:
        return case.status != Status.CLOSED and CASE_WORK[verb](a)
    if verb in CASE_STEWARD:
        return CASE_STEWARD[verb](a)
    return False


def _can_case(user, verb: str, case: Case, at: datetime) -> bool:
    return allowed_on_case(user, verb, case, access(user, case, at=at))


def can(user, verb: str, obj, *, at: datetime | None = None) -> bool:
    """Whether `user` may `verb` (a constant of `saferhub.cases.permissions`) `obj` at
    `at`: a Case, ChronologyEntry, Task, Document, CaseSubject, Subject, AccessRequest,
    BreakGlass, Agency (CREATE_CASE) or None (SEARCH). Unknown verbs raise ValueError."""
    if verb not in verbs.VERBS:
        raise ValueError(f"unknown verb {verb!r}")
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    at = _now(at)
    if isinstance(obj, Case):
        return _can_case(user, verb, obj, at)
    if isinstance(obj, ChronologyEntry):
        return _can_entry(user, verb, obj, at)
    if isinstance(obj, Task):
        return _can_task(user, verb, obj, at)
    if isinstance(obj, Document):
        if verb in {verbs.VIEW, verbs.VIEW_DOCUMENTS, verbs.DOWNLOAD}:
            return access(user, obj.case, at=at).whole
        return False
    if isinstance(obj, CaseSubject):
        a = access(user, obj.case, at=at)
        if verb in {verbs.VIEW, verbs.VIEW_SUBJECTS}:
            return a.covers(obj.subject_id)
        if verb == verbs.VIEW_SPECIAL_CATEGORY:
            return a.covers_special(obj.subject_id)
        return False
    if isinstance(obj, Subject):
        if verb in {verbs.VIEW, verbs.VIEW_SUBJECTS}:
            return visible_subjects(user, at=at).filter(pk=obj.pk).exists()
        if verb == verbs.VIEW_SPECIAL_CATEGORY:
            return special_category_subjects(user, at=at).filter(pk=obj.pk).exists()
        return False
    if isinstance(obj, Agency):
        return verb == verbs.CREATE_CASE and is_practitioner(user) and obj.pk == user.agency_id
    if isinstance(obj, BreakGlass):
        return verb == verbs.REVIEW and is_dpo(user) and obj.user_id != user.pk
    if isinstance(obj, AccessRequest):
        return (
            verb == verbs.GRANT
            and obj.requester_id != user.pk
            and access(user, obj.case, at=at).lead
        )
    if obj is None:
        return verb == verbs.SEARCH and (is_practitioner(user) or is_dpo(user))
    return False


def _can_entry(user, verb: str, entry: ChronologyEntry, at: datetime) -> bool:
    a = access(user, entry.case, at=at)
    if verb in {verbs.VIEW, verbs.VIEW_CHRONOLOGY}:
        return a.chronology and (not entry.sensitive or a.whole)
    if verb == verbs.CORRECT:
        return (
            entry.case.status != Status.CLOSED
            and a.contributes
            and (not entry.sensitive or a.whole)
            and (entry.author_id == user.pk or a.lead)
        )
    return False


def _can_task(user, verb: str, task: Task, at: datetime) -> bool:
    a = access(user, task.case, at=at)
    if verb in {verbs.VIEW, verbs.VIEW_TASKS}:
        return a.chronology
    if verb == verbs.COMPLETE:
        owner = task.owner_user_id == user.pk or task.owner_agency_id == user.agency_id
        return task.case.status != Status.CLOSED and a.chronology and (owner or a.lead)
    if verb == verbs.MANAGE_TASKS:
        return task.case.status != Status.CLOSED and a.lead
    return False


# --- subjects ----------------------------------------------------------------------------------


def seen_case_subjects(user, *, at: datetime | None = None) -> QuerySet[CaseSubject]:
    """The subject-on-case rows `user` may see: every row of a case they see whole, and the
    named subjects of their named-subject grants."""
    if not is_practitioner(user):
        return CaseSubject.objects.none()
    return CaseSubject.objects.filter(_seen_rows_q(user, _now(at)))


def _seen_rows_q(user, at: datetime, *, special: bool = False) -> Q:
    """A filter on CaseSubject; with `special`, only rows whose special category data the
    user sees (lead, grants including it; not break glass or extra sources)."""
    named = GrantSubject.objects.filter(
        grant__case=OuterRef("case"),
        grant__agency_id=user.agency_id,
        grant__scope=Scope.NAMED_SUBJECTS,
        grant__revoked_at__isnull=True,
        grant__starts_at__lte=at,
        grant__expires_at__gt=at,
        subject=OuterRef("subject"),
    )
    if special:
        whole = Q(case__lead_agency_id=user.agency_id) | Q(
            Exists(
                live_grants(at).filter(
                    case=OuterRef("case"),
                    agency_id=user.agency_id,
                    scope=Scope.WHOLE,
                    include_special_category=True,
                )
            )
        )
        named = named.filter(grant__include_special_category=True)
    else:
        # Tested on the row's own case, not `case IN (every case the user sees)`, which
        # PostgreSQL answers by listing all of those cases first.
        whole = _case_q(user, at, {Scope.WHOLE}, via="case")
    return whole | Q(Exists(named))


def _subjects(user, at: datetime, *, special: bool) -> QuerySet[Subject]:
    if not is_practitioner(user):
        return Subject.objects.none()
    # A merged record is seen by whoever sees the record it was merged into (`merged_into`):
    # the rows of both are tested in one subquery, so its tree is built (and run) once,
    # and correlated, so no query lists every subject the user sees.
    seen = CaseSubject.objects.filter(
        Q(subject=OuterRef("pk")) | Q(subject=OuterRef("merged_into")),
        _seen_rows_q(user, at, special=special),
    )
    # A record on no case yet is its own agency's (so it can be put on one); so is a record
    # merged into such a record.
    own = Q(
        ~Exists(CaseSubject.objects.filter(subject=OuterRef("pk"))),
        created_by__agency_id=user.agency_id,
        merged_into__isnull=True,
    )
    kept_own = Q(
        ~Exists(CaseSubject.objects.filter(subject=OuterRef("merged_into"))),
        merged_into__isnull=False,
        merged_into__created_by__agency_id=user.agency_id,
        merged_into__merged_into__isnull=True,
    )
    return Subject.objects.filter(Q(Exists(seen)) | own | kept_own)


def visible_subjects(user, *, at: datetime | None = None) -> QuerySet[Subject]:
    """The subjects `user` may open in full at `at`. One query."""
    return _subjects(user, _now(at), special=False)


def special_category_subjects(user, *, at: datetime | None = None) -> QuerySet[Subject]:
    """The subjects whose special category data `user` may see at `at`."""
    return _subjects(user, _now(at), special=True)


@dataclass(frozen=True)
class LockedCase:
    """A case holding the subject that the user cannot see: enough to ask for access."""

    case_id: int
    business_area: str
    lead_agency: str
    pending_request: bool  # the user has already asked and is waiting


@dataclass(frozen=True)
class LockedView:
    """What someone who cannot see a subject's cases is told: the name, the business areas
    and the lead agencies (whom to ask), never the case's content or the subject's details."""

    subject_id: int
    kind: str
    display_name: str
    business_areas: tuple[str, ...]
    agencies: tuple[str, ...]
    cases: tuple[LockedCase, ...]


def locked_views(
    user, subjects: Iterable[Subject], *, at: datetime | None = None
) -> dict[int, LockedView | None]:
    """The locked view of each subject (None when the user sees it and it is on no case
    they cannot see). Four queries for any number of subjects."""
    return subject_views(user, subjects, at=at)[1]


def subject_views(
    user, subjects: Iterable[Subject], *, at: datetime | None = None
) -> tuple[frozenset[int], dict[int, LockedView | None]]:
    """Which of `subjects` the user may open in full (`visible_subjects`), and the locked
    view of each (`locked_views`): both answers from the same four queries, for a page that
    shows both (search results, a subject's page)."""
    at = _now(at)
    subjects = list(subjects)
    ids = [s.pk for s in subjects]
    hidden = CaseSubject.objects.filter(subject_id__in=ids)
    if is_practitioner(user):
        hidden = hidden.exclude(_seen_rows_q(user, at))
    rows = list(
        hidden.values_list(
            "subject_id", "case_id", "case__business_area__name", "case__lead_agency__name"
        ).order_by("case_id")
    )
    visible = frozenset(
        visible_subjects(user, at=at).filter(pk__in=ids).values_list("pk", flat=True)
    )
    pending = set(
        AccessRequest.objects.filter(
            requester_id=getattr(user, "pk", None),
            status="pending",
            case_id__in={r[1] for r in rows},
        ).values_list("case_id", flat=True)
    )
    by_subject: dict[int, dict[int, LockedCase]] = {}
    for subject_id, case_id, area, agency in rows:
        by_subject.setdefault(subject_id, {})[case_id] = LockedCase(
            case_id, area, agency, case_id in pending
        )
    creators = dict(
        Subject.objects.filter(pk__in=ids).values_list("pk", "created_by__agency__name")
    )
    views: dict[int, LockedView | None] = {}
    for subject in subjects:
        cases = tuple(by_subject.get(subject.pk, {}).values())
        if not cases and subject.pk in visible:
            views[subject.pk] = None
            continue
        agencies = {c.lead_agency for c in cases}
        if not cases and creators.get(subject.pk):
            agencies.add(creators[subject.pk])
        views[subject.pk] = LockedView(
            subject_id=subject.pk,
            kind=subject.kind,
            display_name=subject.display_name,
            business_areas=tuple(sorted({c.business_area for c in cases})),
            agencies=tuple(sorted(agencies)),
            cases=cases,
        )
    return visible, views


def locked_view(user, subject: Subject, *, at: datetime | None = None) -> LockedView | None:
    """The locked view of one subject (see `locked_views`)."""
    return locked_views(user, [subject], at=at)[subject.pk]


def install() -> None:
    """Make this module the policy every case service asks (SharingConfig.ready)."""
    verbs.install(sys.modules[__name__])
