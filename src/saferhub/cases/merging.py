"""Cases follow a subject merge: the absorbed subject's case roles move to the subject kept,
and back again when an admin undoes the merge.

The subjects app owns merging and knows nothing of cases: `CasesConfig.ready` registers these
as the "cases" re-pointer (`saferhub.subjects.hooks`), which the merge runs inside its own
transaction, so the subject and its case roles move together or not at all. What moved is
returned as JSON and kept on the merge record; the unmerge hands it back. A moved row
remembers the subject it was added as (`merged_from`), and a role the kept subject already
holds on the same case stays as a second row (the constraint allows it for moved rows):
nothing is lost, and the unmerge puts each row back exactly.
"""

from __future__ import annotations

from .models import CaseSubject


def repoint_subject(keep, absorbed) -> dict:
    """Move `absorbed`'s case roles to `keep`; the ids moved (rows first added as
    `absorbed` apart from rows it had itself taken over in an earlier merge)."""
    rows = CaseSubject.objects.filter(subject=absorbed)
    own = list(rows.filter(merged_from__isnull=True).values_list("pk", flat=True))
    carried = list(rows.filter(merged_from__isnull=False).values_list("pk", flat=True))
    CaseSubject.objects.filter(pk__in=own).update(subject=keep, merged_from=absorbed)
    CaseSubject.objects.filter(pk__in=carried).update(subject=keep)
    return {"case_subjects": own, "carried_case_subjects": carried}


def restore_subject(keep, absorbed, moved: dict) -> None:
    """Undo `repoint_subject`: the rows it moved go back to `absorbed`."""
    CaseSubject.objects.filter(pk__in=moved.get("case_subjects", []), subject=keep).update(
        subject=absorbed, merged_from=None
    )
    CaseSubject.objects.filter(pk__in=moved.get("carried_case_subjects", []), subject=keep).update(
        subject=absorbed
    )


def register() -> None:
    from ..subjects.hooks import register_repointer

    register_repointer("cases", repoint=repoint_subject, restore=restore_subject)
