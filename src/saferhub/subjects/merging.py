"""Merging two records of one subject, and undoing it exactly.

A merge keeps both histories: the absorbed subject's row stays (pointing at the kept one by
`merged_into`), and every row that belonged to it — names, name keys, addresses, contact
details, identifiers, flags, links at either end, people whose address it was, subjects
merged into it earlier, its special category data when the kept one has none, and whatever
each registered re-pointer moves (cases: `hooks.py`) — is re-pointed to the kept subject.
The kept person's empty date of birth, estimated age and gender are filled from the absorbed
one. The `MergeRecord` stores exactly what moved and what was filled, so `unmerge` (a
partnership admin only) moves back those rows and clears those fields, leaving alone anything
added to the kept subject since.

Both ask the merge check sharing registers (`hooks.register_merge_check`) before writing, so a
page, the command line or an import is refused alike; with no check registered both refuse.
A refusal is on the audit log.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..accounts.models import Role
from ..audit.log import record
from ..audit.models import Action
from . import hooks
from . import normalise as n
from .errors import MergeError
from .models import (
    ContactDetail,
    Flag,
    Group,
    Identifier,
    Link,
    MergeRecord,
    NameKey,
    Person,
    PersonAddress,
    PersonName,
    SpecialCategory,
    Subject,
)
from .vocabulary import NameType

# Rows that belong to a subject through their `subject` column, by the name MergeRecord keeps.
MOVED_ROWS = {
    "names": PersonName,
    "name_keys": NameKey,
    "addresses": PersonAddress,
    "contacts": ContactDetail,
    "identifiers": Identifier,
    "flags": Flag,
}
_DATES = {"date_of_birth", "age_estimated_on"}


def _json(field: str, value):
    return value.isoformat() if field in _DATES and value is not None else value


def _from_json(field: str, value):
    return date.fromisoformat(value) if field in _DATES and value is not None else value


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def _locked(*pks: int) -> dict[int, Subject]:
    """The subjects, re-read inside the transaction (and row-locked on PostgreSQL)."""
    return Subject.objects.select_for_update().in_bulk(list(pks))


def _fill_person(keep: Subject, absorb: Subject) -> dict:
    kept = Person.objects.filter(subject=keep).first()
    absorbed = Person.objects.filter(subject=absorb).first()
    if kept is None or absorbed is None:
        return {}
    fields: list[str] = []
    if kept.date_of_birth is None and kept.estimated_age is None:
        if absorbed.date_of_birth is not None:
            fields.append("date_of_birth")
        elif absorbed.estimated_age is not None:
            fields += ["estimated_age", "age_estimated_on"]
    if not kept.gender and absorbed.gender:
        fields += ["gender", "gender_description"]
    filled = {}
    for field in fields:
        value = getattr(absorbed, field)
        if value not in (None, ""):
            filled[field] = {"was": _json(field, getattr(kept, field)), "now": _json(field, value)}
            setattr(kept, field, value)
    if filled:
        kept.save()
    return filled


def _refused(by, what: str, obj, request, message: str = "") -> PermissionDenied:
    """The refused attempt on the audit log (in its own transaction, so it stays), and the
    error to raise."""
    with transaction.atomic():
        record(
            action=Action.VIEW,
            request=request,
            actor=by if getattr(by, "is_authenticated", False) else None,
            obj=obj,
            changes={"refused": what},
        )
    return PermissionDenied(message or f"not allowed to {what}")


def merge(
    keep: Subject,
    absorb: Subject,
    *,
    by,
    reason: str,
    request=None,
    keep_version: int | None = None,
    absorb_version: int | None = None,
) -> MergeRecord:
    """Merge `absorb` into `keep` (both histories kept, every case and link re-pointed),
    audited on both with the reason; reversible with `unmerge`. Refused (PermissionDenied,
    audited) unless the merge check allows `by` to merge the two."""
    from .services import advance, audit

    reason = n.text(reason, "reason", max_length=1000, required=True)
    if keep.pk == absorb.pk:
        raise MergeError("A subject cannot be merged with itself")
    if not hooks.may_merge(by, keep, absorb):
        raise _refused(by, "merge", absorb, request, "You may merge only records your agency holds")
    with transaction.atomic():
        subjects = _locked(keep.pk, absorb.pk)
        keep, absorb = subjects[keep.pk], subjects[absorb.pk]
        if keep.kind != absorb.kind:
            raise MergeError(
                f"Only subjects of one kind can be merged (a {keep.get_kind_display().lower()} "
                f"and a {absorb.get_kind_display().lower()})"
            )
        for subject in (keep, absorb):
            if subject.merged_into_id is not None:
                raise MergeError(
                    f"Subject {subject.pk} was already merged into subject {subject.merged_into_id}"
                )
        advance(keep, keep_version)
        advance(absorb, absorb_version)

        moved: dict = {"rows": {}}
        for label, model in MOVED_ROWS.items():
            rows = model.objects.filter(subject=absorb)
            moved["rows"][label] = _ids(rows)
            rows.update(subject=keep)
        moved["renamed"] = _ids(
            PersonName.objects.filter(pk__in=moved["rows"]["names"], type=NameType.MAIN)
        )
        PersonName.objects.filter(pk__in=moved["renamed"]).update(type=NameType.ALIAS)

        # Links at either end; a link between the two stays as it was (it would join the
        # kept subject to itself).
        outgoing = Link.objects.filter(from_subject=absorb).exclude(to_subject=keep)
        incoming = Link.objects.filter(to_subject=absorb).exclude(from_subject=keep)
        moved["links_from"], moved["links_to"] = _ids(outgoing), _ids(incoming)
        outgoing.update(from_subject=keep)
        Link.objects.filter(pk__in=moved["links_to"]).update(to_subject=keep)

        # People whose address the absorbed place was, with the copies of its keys they held.
        residents = PersonAddress.objects.filter(place=absorb)
        moved["residents"] = {
            str(pk): [postcode, uprn, key]
            for pk, postcode, uprn, key in residents.values_list(
                "pk", "postcode", "uprn", "address_key"
            )
        }
        kept_place = getattr(keep, "place", None)
        residents.update(
            place=keep,
            **(
                {
                    "postcode": kept_place.postcode,
                    "uprn": kept_place.uprn,
                    "address_key": kept_place.address_key,
                }
                if kept_place is not None
                else {}
            ),
        )

        earlier = Subject.objects.filter(merged_into=absorb)
        moved["merged_from"] = _ids(earlier)
        earlier.update(merged_into=keep)

        moved["special_category"] = None
        if not SpecialCategory.objects.filter(subject=keep).exists():
            row = SpecialCategory.objects.filter(subject=absorb).first()
            if row is not None:
                moved["special_category"] = row.pk
                SpecialCategory.objects.filter(pk=row.pk).update(subject=keep)

        moved["filled"] = _fill_person(keep, absorb)
        moved["hooks"] = {r.name: r.repoint(keep, absorb) for r in hooks.repointers()}

        Subject.objects.filter(pk=absorb.pk).update(merged_into=keep)
        absorb.merged_into = keep
        merge_record = MergeRecord.objects.create(
            kept=keep, absorbed=absorb, by=by, reason=reason, moved=moved
        )
        counts = {label: len(ids) for label, ids in moved["rows"].items()}
        audit(
            keep,
            Action.UPDATE,
            by=by,
            request=request,
            part="merge",
            merge=merge_record.pk,
            absorbed=absorb.pk,
            reason=reason,
            moved=counts,
            links=len(moved["links_from"]) + len(moved["links_to"]),
            fields=sorted(moved["filled"]),
        )
        audit(
            absorb,
            Action.UPDATE,
            by=by,
            request=request,
            part="merged_into",
            merge=merge_record.pk,
            kept=keep.pk,
            reason=reason,
        )
        transaction.on_commit(
            lambda: hooks.subject_merged.send(
                sender=MergeRecord, record=merge_record, kept=keep, absorbed=absorb
            )
        )
    return merge_record


def unmerge(merge_record: MergeRecord, *, by, reason: str = "", request=None) -> MergeRecord:
    """Undo a merge exactly (a partnership admin only): every row the merge moved goes back
    to the absorbed subject, the names it made aliases are main names again, the details it
    filled are emptied (unless changed since), each re-pointer restores what it moved."""
    from .services import advance, audit, group_keys

    if getattr(by, "role", None) != Role.ADMIN or not hooks.may_unmerge(by, merge_record):
        raise _refused(
            by, "unmerge", merge_record, request, "Only a partnership admin can undo a merge"
        )
    reason = n.text(reason, "reason", max_length=1000)
    with transaction.atomic():
        merge_record = MergeRecord.objects.select_for_update().get(pk=merge_record.pk)
        if merge_record.undone_at is not None:
            raise MergeError("This merge has already been undone")
        subjects = _locked(merge_record.kept_id, merge_record.absorbed_id)
        keep, absorb = subjects[merge_record.kept_id], subjects[merge_record.absorbed_id]
        if keep.merged_into_id is not None:
            raise MergeError(
                f"The kept subject has since been merged into subject {keep.merged_into_id}: "
                "undo that merge first"
            )
        if absorb.merged_into_id != keep.pk:
            raise MergeError("The absorbed subject is no longer merged into the kept one")
        moved = merge_record.moved

        for name, data in reversed(list(moved.get("hooks", {}).items())):
            repointer = hooks.repointer(name)
            if repointer is None:
                raise MergeError(
                    f"What the “{name}” app moved cannot be restored: it has no re-pointer "
                    "registered"
                )
            repointer.restore(keep, absorb, data)

        Subject.objects.filter(pk=absorb.pk).update(merged_into=None)
        absorb.merged_into = None
        for label, model in MOVED_ROWS.items():
            model.objects.filter(pk__in=moved["rows"].get(label, []), subject=keep).update(
                subject=absorb
            )
        PersonName.objects.filter(
            pk__in=moved.get("renamed", []), subject=absorb, type=NameType.ALIAS
        ).update(type=NameType.MAIN)
        Link.objects.filter(pk__in=moved.get("links_from", []), from_subject=keep).update(
            from_subject=absorb
        )
        Link.objects.filter(pk__in=moved.get("links_to", []), to_subject=keep).update(
            to_subject=absorb
        )
        for pk, (postcode, uprn, key) in moved.get("residents", {}).items():
            PersonAddress.objects.filter(pk=int(pk), place=keep).update(
                place=absorb, postcode=postcode, uprn=uprn, address_key=key
            )
        # A name key follows its name, even one re-keyed since the merge; a group's keys are
        # worked out again from its name.
        NameKey.objects.filter(name__subject=absorb).update(subject=absorb)
        for group in Group.objects.filter(subject__in=[keep, absorb]):
            group_keys(group.subject, group.name)
        Subject.objects.filter(pk__in=moved.get("merged_from", []), merged_into=keep).update(
            merged_into=absorb
        )
        if moved.get("special_category"):
            SpecialCategory.objects.filter(pk=moved["special_category"], subject=keep).update(
                subject=absorb
            )
        restored = []
        if filled := moved.get("filled"):
            person = Person.objects.get(subject=keep)
            for field, change in filled.items():
                if getattr(person, field) == _from_json(field, change["now"]):
                    setattr(person, field, _from_json(field, change["was"]))
                    restored.append(field)
            person.save()

        advance(keep, None)
        advance(absorb, None)
        merge_record.undone_at = timezone.now()
        merge_record.undone_by = by
        merge_record.undo_reason = reason
        merge_record.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        for subject, other in ((keep, absorb), (absorb, keep)):
            audit(
                subject,
                Action.UPDATE,
                by=by,
                request=request,
                part="unmerge",
                merge=merge_record.pk,
                other=other.pk,
                reason=reason,
                fields=restored if subject is keep else [],
            )
        transaction.on_commit(
            lambda: hooks.subject_unmerged.send(
                sender=MergeRecord, record=merge_record, kept=keep, absorbed=absorb
            )
        )
    return merge_record
