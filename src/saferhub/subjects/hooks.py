"""How apps above subjects take part in a merge without subjects importing them.

Cases point at subjects (a case's subjects in their roles) but subjects may not import cases.
So an app registers a **re-pointer** (usually in its `AppConfig.ready`):

    from saferhub.subjects.hooks import register_repointer

    def repoint(keep, absorbed) -> dict:        # inside the merge's transaction
        ids = list(CaseSubject.objects.filter(subject=absorbed).values_list("pk", flat=True))
        CaseSubject.objects.filter(pk__in=ids).update(subject=keep)
        return {"case_subjects": ids}           # JSON: stored on the MergeRecord

    def restore(keep, absorbed, moved: dict) -> None:   # inside the unmerge's transaction
        CaseSubject.objects.filter(pk__in=moved["case_subjects"], subject=keep).update(
            subject=absorbed
        )

    register_repointer("cases", repoint=repoint, restore=restore)

`merge` calls every re-pointer in the order registered and keeps what each returned under its
name in `MergeRecord.moved["hooks"]`; `unmerge` hands that back to the same name's `restore`
(in reverse order). An exception in either rolls the whole merge or unmerge back.

The signals `subject_merged` and `subject_unmerged` are sent after the change commits, with
`record` (the MergeRecord), `kept` and `absorbed`: for notifications, never for writes that
must be undone (use a re-pointer for those).

Who may merge two records, or undo a merge, is the sharing policy's question, which subjects
may not import either. So sharing registers a **merge check** (`register_merge_check`):
`merge(user, keep, absorb) -> bool` and `unmerge(user, merge_record) -> bool`. `merge` and
`unmerge` ask it before they write, whichever page, command or import calls them, and with
no check registered they refuse (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

subject_merged = Signal()
subject_unmerged = Signal()


@dataclass(frozen=True)
class Repointer:
    name: str
    repoint: Callable[..., dict]
    restore: Callable[..., None]


_registry: dict[str, Repointer] = {}


def register_repointer(
    name: str, *, repoint: Callable[..., dict], restore: Callable[..., None]
) -> None:
    """Register (or replace, by name) the re-pointer an app runs in every merge."""
    _registry[name] = Repointer(name, repoint, restore)


def unregister_repointer(name: str) -> None:
    _registry.pop(name, None)


def repointers() -> list[Repointer]:
    return list(_registry.values())


def repointer(name: str) -> Repointer | None:
    return _registry.get(name)


@dataclass(frozen=True)
class MergeCheck:
    merge: Callable[..., bool]
    unmerge: Callable[..., bool]


_merge_checks: list[MergeCheck] = []


def register_merge_check(*, merge: Callable[..., bool], unmerge: Callable[..., bool]) -> None:
    """Make these the checks every merge and unmerge asks (replacing any registered)."""
    _merge_checks[:] = [MergeCheck(merge, unmerge)]


def unregister_merge_check() -> None:
    _merge_checks.clear()


def may_merge(user, keep, absorb) -> bool:
    """Whether `user` may merge `absorb` into `keep`; False when no check is registered."""
    return bool(_merge_checks and _merge_checks[0].merge(user, keep, absorb))


def may_unmerge(user, merge_record) -> bool:
    """Whether `user` may undo `merge_record`; False when no check is registered."""
    return bool(_merge_checks and _merge_checks[0].unmerge(user, merge_record))


# --- changing a subject's details --------------------------------------------------------------

_edit_checks: list[Callable[..., bool]] = []


def register_edit_check(check: Callable[..., bool]) -> None:
    """Make `check(user, subject)` the rule every change to a stored subject's details asks
    (`subjects.services`; replacing any registered). Sharing registers its rule."""
    _edit_checks[:] = [check]


def unregister_edit_check() -> None:
    _edit_checks.clear()


def may_edit(user, subject) -> bool:
    """Whether `user` may change `subject`'s details; False when no check is registered."""
    return bool(_edit_checks and _edit_checks[0](user, subject))
