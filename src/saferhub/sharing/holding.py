"""Which subjects an agency holds, and the checks the apps below sharing ask through hooks.

Seeing a subject is the policy's question (`policy.visible_subjects`). Putting an existing
subject on a case, or merging it with another record, asks more: that the user's agency holds
it, because it leads a case the subject is on or recorded it. Seeing it through a grant (even
of a whole case), break glass or a panel listing is not enough: putting it on one's own case
(or merging it into one's own record) would make the agency a lead of a case the subject is
on, and so turn that time-limited, scoped access into its own for ever, special category data
included (which a lead sees), and let it share the record onward and rewrite it. An agency
that works a person another agency holds records its own record of them (the similar-record
check shows the other's, saying why it cannot be used); each agency's record is shared by
grants, never transferred.

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

from ..accounts.models import Role
from ..cases import permissions as verbs
from ..cases.models import Case, CaseSubject, Status
from ..subjects import hooks
from ..subjects.models import MergeRecord, Subject
from . import policy


def attachable(user, subject: Subject, *, at: datetime | None = None) -> bool:
    """Whether `user` may put the existing `subject` on a case: their agency holds it."""
    return held(user, subject, at=at)


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


def may_edit(user, subject: Subject) -> bool:
    """Who may change a stored subject's details: someone who sees it in full and either leads
    an open case it is on, or (when it is on no case yet) whose agency recorded it. Grantees,
    break glass and panel members read a subject but do not change it, as on the case. The
    subject services ask it (`hooks.register_edit_check`), and the pages first."""
    if not policy.is_practitioner(user):
        return False
    if not policy.visible_subjects(user).filter(pk=subject.pk).exists():
        return False
    cases = [row.case for row in CaseSubject.objects.filter(subject=subject).select_related("case")]
    if not cases:
        return True
    return any(policy.can(user, verbs.EDIT, c) for c in cases if c.status != Status.CLOSED)


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
    hooks.register_edit_check(may_edit)
