"""Loading questionnaire editions and completing assessments on cases, each write in one
transaction with its audit entry.

An assessment belongs to a case and a subject on it, so the case's policy decides who may
write one (those who may add to the chronology: the lead agency and agencies with a grant
that lets them add) and who may read it (those who see the case's sensitive parts). A draft
keeps whatever was answered and is never scored; completing it checks every answer against
its edition and scores it, and a completed assessment is never changed: reassessing makes a
new assessment pointing at the one before, so history is kept and the change can be shown.
Times are passed in (`at`) so tests never depend on the clock.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date, datetime
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..accounts.models import Role
from ..audit.log import record
from ..audit.models import Action as Audit
from ..cases import permissions as perms
from ..cases.errors import CaseError
from ..cases.models import CaseSubject
from ..cells import without_controls
from .models import Assessment, AssessmentStatus, Edition
from .questionnaire import (
    Questionnaire,
    QuestionnaireError,
    parse_questionnaire,
)
from .scoring import AnswerError, Comparison, Result, compare, score, validate_answers

MAX_EDITION_BYTES = 256 * 1024  # a questionnaire file; DASH is about 12 KB
MAX_ANSWER_CHARS = 2000  # one free-text answer
SHIPPED = ("dash-2009", "asb-victim-matrix", "asb-perpetrator-matrix", "channel-vaf")


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


@lru_cache(maxsize=64)
def _parsed(text: str, file: str) -> Questionnaire:
    return parse_questionnaire(tomllib.loads(text), file)


def questionnaire_of(edition: Edition) -> Questionnaire:
    """The questionnaire an edition holds (parsed once per text)."""
    return _parsed(edition.text, f"{edition.code}-{edition.version}.toml")


def _shipped_text(name: str) -> str | None:
    from importlib import resources

    resource = resources.files("saferhub.risk").joinpath("questionnaires", f"{name}.toml")
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def _store(text: str, file: str, user, at: datetime) -> Edition:
    """Check and keep one edition, current from now on; the same text again writes nothing."""
    if len(text.encode("utf-8")) > MAX_EDITION_BYTES:
        raise CaseError(
            f"{file}: the file is larger than {MAX_EDITION_BYTES // 1024} KB", field="file"
        )
    try:
        q = parse_questionnaire(tomllib.loads(text), file)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{file}: not a TOML file ({exc})", field="file") from exc
    except QuestionnaireError as exc:
        raise CaseError(str(exc), field="file") from exc
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        same = Edition.objects.filter(code=q.id, version=q.version).first()
        if same is not None:
            if same.sha256 != digest:
                raise CaseError(
                    f"{file}: version {q.version} of '{q.id}' is already loaded with different "
                    "content; give the new edition a new version",
                    field="file",
                )
            return same
        Edition.objects.filter(code=q.id, current=True).update(current=False)
        edition = Edition.objects.create(
            code=q.id, version=q.version, title=q.title[:200], text=text, sha256=digest,
            current=True, loaded_at=at, loaded_by=user,
        )  # fmt: skip
        record(
            action=Audit.CREATE, actor=user, obj=edition,
            changes={"code": q.id, "version": q.version, "sha256": digest},
        )  # fmt: skip
    return edition


def load_edition(user, text: str, *, file: str, at: datetime | None = None) -> Edition:
    """A partnership's own edition (a new version of a shipped form, or a local form): loaded
    by a coordinator or an admin, checked whole before anything is kept."""
    if not (user and user.is_active and user.role in {Role.COORDINATOR, Role.ADMIN}):
        raise PermissionDenied("Only a coordinator or an admin can load a questionnaire")
    return _store(text, file, user, _now(at))


def ensure_shipped(at: datetime | None = None) -> list[Edition]:
    """The questionnaires Safer Hub ships, loaded once (by nobody: they come with the
    release). A partnership edition loaded later of the same form stays current."""
    at = _now(at)
    loaded = []
    for name in SHIPPED:
        text = _shipped_text(name)
        if text is None:
            continue
        q = _parsed(text, f"{name}.toml")
        existing = Edition.objects.filter(code=q.id, version=q.version).first()
        if existing is not None:
            loaded.append(existing)
            continue
        had_current = Edition.objects.filter(code=q.id, current=True).exists()
        edition = _store(text, f"{name}.toml", None, at)
        if had_current:  # a local edition stays the one in use
            Edition.objects.filter(pk=edition.pk).update(current=False)
            edition.current = False
        loaded.append(edition)
    return loaded


def current_editions() -> list[Edition]:
    if not Edition.objects.exists():
        ensure_shipped()
    return list(Edition.objects.filter(current=True).order_by("title"))


# --- assessments -------------------------------------------------------------------------------


def _clean_answers(q: Questionnaire, answers: dict) -> dict:
    """Only the form's own ids, numbers as numbers, text bounded and without control
    characters: what a draft may keep."""
    kept: dict[str, str | int] = {}
    ids = {x.id for x in q.questions} | {j.id for j in q.judgements}
    for qid, value in answers.items():
        if qid not in ids:
            raise CaseError(f"'{qid}' is not a question in this form", field=qid)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            value = without_controls(value).strip()
            if len(value) > MAX_ANSWER_CHARS:
                raise CaseError(
                    f"The answer is longer than {MAX_ANSWER_CHARS} characters", field=qid
                )
            question = q.question(qid)
            if question is not None and question.answer_type == "number" and value:
                try:
                    value = int(value)
                except ValueError as exc:
                    raise CaseError("Enter a whole number", field=qid) from exc
        if value != "":
            kept[qid] = value
    return kept


def _check_subject(case, subject) -> None:
    if not CaseSubject.objects.filter(case=case, subject=subject).exists():
        raise CaseError("The person assessed must be on this case", field="subject")


def _result_fields(result: Result) -> dict:
    return {
        "score": result.score,
        "level": result.level,
        "level_label": result.level_label,
        "reasons": list(result.reasons),
        "met": list(result.met),
    }


def save_assessment(
    user,
    case,
    subject,
    edition: Edition,
    answers: dict,
    *,
    complete: bool,
    assessed_on: date,
    draft: Assessment | None = None,
    request=None,
    at: datetime | None = None,
) -> Assessment:
    """Save a draft (any answers, never scored) or complete the assessment (every answer
    checked, then scored). `draft` continues an earlier draft. A completed assessment of the
    same subject and form on the case becomes this one's `previous` (a reassessment)."""
    at = _now(at)
    why = perms.cleared(user, perms.ADD_ENTRY, case, at=at, request=request)
    # Writing one means reading the answers: chronology-only access may not.
    perms.require(user, perms.VIEW_SENSITIVE, case, at=at, request=request)
    if draft is not None and (
        draft.case_id != case.pk
        or draft.complete
        or draft.subject_id != subject.pk
        or draft.edition_id != edition.pk
    ):
        raise CaseError("Only a draft on this case can be continued", field="assessment")
    _check_subject(case, subject)
    if assessed_on > at.date():
        raise CaseError("The assessment date cannot be in the future", field="assessed_on")
    q = questionnaire_of(edition)
    kept = _clean_answers(q, answers)
    fields: dict = {"status": AssessmentStatus.DRAFT, "score": None, "level": "",
                    "level_label": "", "reasons": [], "met": []}  # fmt: skip
    if complete:
        try:
            result = score(q, validate_answers(q, kept))
        except AnswerError as exc:
            first = next(iter(exc.problems))
            raise CaseError(str(exc), field=first) from exc
        fields = {"status": AssessmentStatus.COMPLETE, **_result_fields(result)}
    with transaction.atomic():
        previous = (
            Assessment.objects.filter(
                case=case, subject=subject, edition__code=edition.code,
                status=AssessmentStatus.COMPLETE,
            ).exclude(pk=getattr(draft, "pk", None)).order_by("-assessed_on", "-id").first()
        )  # fmt: skip
        if draft is None:
            assessment = Assessment.objects.create(
                case=case, subject=subject, edition=edition, previous=previous, answers=kept,
                assessed_on=assessed_on, assessor=user, agency=user.agency, created_at=at,
                updated_at=at, **fields,
            )  # fmt: skip
            action = Audit.CREATE
        else:
            updated = Assessment.objects.filter(
                pk=draft.pk, version=draft.version, status=AssessmentStatus.DRAFT
            ).update(
                answers=kept, assessed_on=assessed_on, previous=previous, assessor=user,
                agency=user.agency, updated_at=at, version=draft.version + 1, **fields,
            )  # fmt: skip
            if not updated:
                raise CaseError(
                    "Someone else saved this draft since you opened it; open it again",
                    field="assessment",
                )
            assessment = Assessment.objects.get(pk=draft.pk)
            action = Audit.UPDATE
        record(
            action=action, request=request, actor=user, obj=assessment,
            changes={"case": case.pk, "form": f"{edition.code} {edition.version}",
                     "status": fields["status"], "score": fields["score"], "purpose": why},
        )  # fmt: skip
    return assessment


def result_of(assessment: Assessment) -> Result:
    """A completed assessment as the scorer's `Result` (what `compare` takes)."""
    if not assessment.complete:
        raise CaseError("A draft has no score", field="assessment")
    return Result(
        questionnaire_id=assessment.edition.code,
        version=assessment.edition.version,
        answers=dict(assessment.answers),
        score=assessment.score or 0,
        level=assessment.level,
        level_label=assessment.level_label,
        reasons=tuple(assessment.reasons),
        raised_by=(),
        met=tuple(assessment.met),
    )


def change_from_previous(assessment: Assessment) -> Comparison | None:
    """What changed since the assessment before (None for a first assessment or a draft)."""
    if not assessment.complete or assessment.previous_id is None:
        return None
    return compare(result_of(assessment.previous), result_of(assessment))


def assessments_on(user, case, *, request=None, at: datetime | None = None) -> list[Assessment]:
    """A case's assessments, newest first, for a user who may see its sensitive parts; the
    read is recorded."""
    at = _now(at)
    why = perms.cleared(user, perms.VIEW_SENSITIVE, case, at=at, request=request)
    rows = list(
        Assessment.objects.filter(case=case)
        .select_related("edition", "subject", "assessor", "agency", "previous")
        .order_by("-assessed_on", "-id")
    )
    if rows:
        record(
            action=Audit.VIEW, request=request, actor=user, object_type="risk.Assessment",
            object_id=",".join(str(r.pk) for r in rows)[:200],
            changes={"case": case.pk, "purpose": why},
        )  # fmt: skip
    return rows


def latest_complete(case, subject, code: str) -> Assessment | None:
    """The newest completed assessment of `subject` on `case` with form `code` (e.g. the
    DASH a MARAC referral rests on). Callers have already passed the case's policy."""
    return (
        Assessment.objects.filter(
            case=case, subject=subject, edition__code=code, status=AssessmentStatus.COMPLETE
        )
        .select_related("edition")
        .order_by("-assessed_on", "-id")
        .first()
    )
