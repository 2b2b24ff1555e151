"""What a case change can fail with, in words a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class CaseError(ValueError):
    """A change that cannot be made. `field` names the input it is about, when there is one."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class OtherChange:
    """One change someone else saved since the editor opened the record."""

    by: str  # the person's name and agency, as the page shows it
    at: datetime
    version: int
    changes: dict  # field -> {"from": ..., "to": ...} as the audit entry holds it

    def sentence(self) -> str:
        fields = ", ".join(
            f"{name.replace('_', ' ')} from {_shown(c.get('from'))} to {_shown(c.get('to'))}"
            if isinstance(c, dict)
            else name.replace("_", " ")
            for name, c in self.changes.items()
        )
        return f"{self.by} changed {fields or 'it'} at {self.at:%H:%M on %d %B %Y}"


def _shown(value) -> str:
    return "nothing" if value in (None, "") else f"“{value}”"


class StaleEdit(CaseError):
    """The record moved on since the editor opened it (their `version` is old). Nothing was
    saved; `others` lists what the other people changed, newest last, so the page can show
    them before the editor tries again."""

    def __init__(self, *, what: str, seen: int, current: int, others: list[OtherChange]):
        self.seen = seen
        self.current = current
        self.others = others
        told = "; ".join(o.sentence() for o in others) or "someone else saved it"
        super().__init__(
            f"This {what} was changed since you opened it ({told}). Your change was not "
            "saved: look at theirs, then make yours again."
        )
