"""Which subjects an agency holds, and the checks the apps below sharing ask through hooks.

Seeing a subject is the policy's question (`policy.visible_subjects`). Putting an existing
subject on a case asks more: that the user's agency holds it, because it leads a case the
subject is on or recorded it, or that the lead agency of a case the subject is on has shared
that case whole with the user's agency (a live grant of scope "whole case"). Such a grant is
the lead agency's deliberate disclosure of the case, subjects included, under an agreement and
a lawful basis, so the grantee may go on to work the same person on a case of its own (the
person known to the police and to probation is one record, not two). Seeing a subject through
a narrower grant, break glass or a panel listing is not enough: putting it on one's own case
would turn that time-limited, scoped or emergency access into the agency's own, for ever and
with special category data. Merging asks that the user's agency holds both records in the
narrow sense (recorded, or leads a case): a merge moves every row of one onto the other.

The cases and subjects apps sit below sharing and may not import it, so `register` (called
from `SharingConfig.ready`) installs these rules into their hooks; with none installed their
services refuse. The pages ask the same functions first, for a good message: one rule.

`register` also installs `POLICY`, the visibility policy as the case services ask it: the
same answers as `policy.can`, plus `decide`, which gives a case's verb and the purpose the
write is audited under from one computation of the user's access (asking `can` and then
`purpose` computed it twice, which was about 40% of an import's time).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ..accounts.models import Role
from ..cases import permissions as verbs
from ..cases.models import Case, CaseSubject
from ..subjects import hooks
from ..subjects.models import MergeRecord, Subject
from . import policy
from .models import Scope


def attachable(user, subject: Subject, *, at: datetime | None = None) -> bool:
    """Whether `user` may put the existing `subject` on a case: they hold it (`held`), or a
    case it is on is shared whole with their agency by a live grant."""
    if held(user, subject, at=at):
        return True
    if not policy.is_practitioner(user):
        return False
    return (
        policy.live_grants(at or timezone.now())
        .filter(
            agency_id=user.agency_id,
            scope=Scope.WHOLE,
            case__in=CaseSubject.objects.filter(subject_id=subject.pk).values("case_id"),
        )
        .exists()
    )


def held(user, subject: Subject, *, at: datetime | None = None) -> bool:
    """Whether `user`'s agency holds `subject`: they see it in full and their agency recorded
    it or leads a case it is on.

    Asked for every subject an import places, so the common answers come from two small
    queries and the full `visible_subjects` test (costly to build) only from the rest: a
    lead agency sees its cases whole, so a subject on one is seen; a record of one's own on
    no case and not merged is seen (the policy's own-record rule)."""
    if not policy.is_practitioner(user):
        return False
    agency = user.agency_id
    leads = set(
        CaseSubject.objects.filter(subject_id=subject.pk).values_list(
            "case__lead_agency_id", flat=True
        )
    )
    if agency in leads:
        return True
    merged = list(
        Subject.objects.filter(pk=subject.pk, created_by__agency_id=agency).values_list(
            "merged_into_id", flat=True
        )
    )
    if not merged:  # not recorded by the user's agency, nor on a case it leads
        return False
    if not leads and merged[0] is None:
        return True
    return policy.visible_subjects(user, at=at).filter(pk=subject.pk).exists()


def may_merge(user, keep: Subject, absorb: Subject, *, at: datetime | None = None) -> bool:
    """Whether `user` may merge `absorb` into `keep`: their agency holds both records (a
    merge moves every row of one record onto the other, so seeing one through a grant would
    otherwise put its details on a record the user keeps)."""
    return held(user, keep, at=at) and held(user, absorb, at=at)


def may_unmerge(user, merge_record: MergeRecord) -> bool:
    """Only an active partnership admin undoes a merge (a site-running job, as ADR 11 leaves
    to roles: it moves rows back exactly as recorded, and shows no case content)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.ADMIN
    )


class _CasePolicy:
    """`sharing.policy` as `cases.permissions` asks it, with `decide` for one-look checks."""

    def can(self, user, verb: str, obj, *, at: datetime | None = None) -> bool:
        return policy.can(user, verb, obj, at=at)

    def purpose(self, user, case, *, at: datetime | None = None) -> str:
        return policy.purpose(user, case, at=at)

    def decide(
        self, user, verb: str, obj, *, at: datetime | None = None
    ) -> tuple[bool, str | None]:
        """`(can(user, verb, obj), purpose)`; the purpose only for a Case (else None), both
        from one `policy.access`, asked exactly as `policy.can` asks it for a case."""
        if not isinstance(obj, Case):
            return self.can(user, verb, obj, at=at), None
        if verb not in verbs.VERBS:
            raise ValueError(f"unknown verb {verb!r}")
        if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
            return False, None
        a = policy.access(user, obj, at=at)
        return policy.allowed_on_case(user, verb, obj, a), a.purpose


POLICY = _CasePolicy()


def register() -> None:
    """Install the policy and these rules into the apps below sharing."""
    verbs.install(POLICY)
    verbs.install_attach_check(attachable)
    hooks.register_merge_check(merge=may_merge, unmerge=may_unmerge)
