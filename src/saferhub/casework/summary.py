"""What casework tells one person first, on the home page and the casework page alike: their
cases and tasks (overdue ones marked), access requests waiting for their agency, decisions on
their own requests, their live break glass, and for the data protection officer the break
glass to review. Built once from `sharing.notices`; the pages only show it. Listing cases is
a read of them: `record` writes its audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..sharing import notices, policy
from ..sharing.reading import record_listing

SHOWN = 10  # of each list; the full lists are a click away


@dataclass(frozen=True)
class TaskLine:
    task: object  # cases.models.Task
    overdue: bool


@dataclass
class Summary:
    practitioner: bool
    dpo: bool
    cases: list = field(default_factory=list)
    more_cases: bool = False
    tasks: list[TaskLine] = field(default_factory=list)
    more_tasks: bool = False
    overdue: int = 0
    waiting: list = field(default_factory=list)  # access requests awaiting the user's agency
    decisions: list = field(default_factory=list)  # decisions on the user's own requests
    glass: list = field(default_factory=list)  # the user's live break glass
    to_review: list = field(default_factory=list)  # break glass for the DPO

    @property
    def listed_cases(self) -> list:
        seen = {c.pk: c for c in self.cases}
        for line in self.tasks:
            seen.setdefault(line.task.case_id, line.task.case)
        for asked in self.waiting:
            seen.setdefault(asked.case_id, asked.case)
        for glass in self.glass:
            seen.setdefault(glass.case_id, glass.case)
        return list(seen.values())


def for_user(user, on: date) -> Summary | None:
    """The summary for `user`, or None when casework has nothing for them."""
    practitioner, dpo = policy.is_practitioner(user), policy.is_dpo(user)
    if not (practitioner or dpo):
        return None
    out = Summary(practitioner=practitioner, dpo=dpo)
    if practitioner:
        cases = list(notices.my_cases(user)[: SHOWN + 1])
        out.cases, out.more_cases = cases[:SHOWN], len(cases) > SHOWN
        tasks = list(notices.my_tasks(user)[: SHOWN + 1])
        out.tasks = [TaskLine(t, t.overdue(on)) for t in tasks[:SHOWN]]
        out.more_tasks = len(tasks) > SHOWN
        out.overdue = notices.overdue_count(user, on)
        out.waiting = list(notices.pending_access_requests(user)[:SHOWN])
        out.decisions = list(notices.access_request_notices(user))
        out.glass = list(notices.my_break_glass(user))
    if dpo:
        out.to_review = list(notices.break_glass_to_review(user)[:SHOWN])
    return out


def record(user, summary: Summary, *, page: str, request=None) -> None:
    """The audit entry of the cases the summary lists (their references are case content)."""
    listed = summary.listed_cases
    if listed:
        record_listing(user, listed, what=page, request=request)
