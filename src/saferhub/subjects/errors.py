"""What the subject services refuse, each with a message a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class SubjectError(ValueError):
    """A change that cannot be made (wrong kind, merged subject, a link that makes no sense)."""


class MergeError(SubjectError):
    """A merge or unmerge that cannot be done as asked."""


@dataclass(frozen=True)
class Change:
    """One change someone else made since the editor opened the subject (from the audit log:
    who, when, which part and fields; never the values)."""

    at: datetime
    by: str
    action: str
    part: str
    fields: tuple[str, ...]
    version: int

    def describe(self) -> str:
        what = ", ".join(f.replace("_", " ") for f in self.fields) or self.part.replace("_", " ")
        when = f"{self.at:%H:%M} on {self.at.day} {self.at:%b %Y}"
        return f"{self.by or 'someone'} changed {what} at {when}"


class StaleEdit(SubjectError):
    """The subject moved on since the editor saw it: their change is refused, not merged
    silently over someone else's. `changes` lists what happened in between."""

    def __init__(self, subject_id: int, seen: int, current: int, changes: list[Change]):
        self.subject_id = subject_id
        self.seen = seen
        self.current = current
        self.changes = changes
        happened = "; ".join(c.describe() for c in changes) or "it was changed"
        super().__init__(
            f"Someone else changed this record after you opened it ({happened}). "
            "Your change has not been saved: check the record as it is now and make it again."
        )
