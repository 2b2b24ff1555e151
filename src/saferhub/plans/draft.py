"""A delivery plan as plain data: what an import reads, what an export writes, what the
health check and the board report inspect.

The Django models are the stored plan; these dataclasses are the same plan with no database,
so that reading and writing files, checking plan health and comparing two plans are pure
functions that tests can run on their own. `plans.convert` maps between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Rag(StrEnum):
    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"


class Disposition(StrEnum):
    """What happens to an action at year end."""

    CONTINUE = "Continue"
    COMPLETE = "Complete"
    REMOVE = "Remove"


class ReviewKind(StrEnum):
    """The structure read from a review point or deadline as it was entered."""

    DATE = "date"  # a day: 31/03/2020
    MONTH = "month"  # a month: March 2020 (due by its last day)
    ONGOING = "ongoing"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"
    UNKNOWN = "unknown"  # text we keep but could not read as a point in time
    NONE = "none"  # left blank


NEW_ACTION = "NEW ACTION"

# The RAG definitions most partnerships use; a plan may carry its own.
DEFAULT_RAG_DEFINITIONS: dict[str, str] = {
    Rag.RED: "There are problems that need addressing; close monitoring required.",
    Rag.AMBER: "Some work is required; the action is slightly behind target.",
    Rag.GREEN: "The action is on track or completed.",
}


def plan_year(starts: date, ends: date) -> str:
    """ "2026/27" for a plan from April 2026 to March 2027; "2026" within one calendar year."""
    if starts.year == ends.year:
        return str(starts.year)
    return f"{starts.year}/{str(ends.year)[-2:]}"


@dataclass
class ReviewPoint:
    """A review point or deadline: the text as entered, and what it means.

    `due` is the day the point falls due (the last day of a month for MONTH), None for
    ONGOING, QUARTERLY, ANNUALLY, UNKNOWN and NONE. A disposition or plan year written inside
    the same cell ("March 2019 / CONTINUE 2019/20") is read out into `disposition` and
    `carried_to`, and `text` keeps the cell as entered.
    """

    text: str = ""
    kind: ReviewKind = ReviewKind.NONE
    due: date | None = None
    disposition: Disposition | None = None
    carried_to: str = ""  # "2019/20" from "CONTINUE 2019/20"


@dataclass
class Lead:
    """One lead: a named person and/or an agency (at least one of the two)."""

    person: str = ""
    agency: str = ""

    def label(self) -> str:
        if self.person and self.agency:
            return f"{self.person} ({self.agency})"
        return self.person or self.agency


@dataclass
class Update:
    """One progress update. `on` is None only for undated text found in an imported cell."""

    on: date | None
    text: str
    rag: Rag | None = None
    author: str = ""


@dataclass
class Action:
    text: str
    measure: int | None = None  # index into the objective's measures, None if not under one
    leads: list[Lead] = field(default_factory=list)
    partners: str = ""
    review: ReviewPoint = field(default_factory=ReviewPoint)
    tags: list[str] = field(default_factory=list)
    plan_year: str = ""
    disposition: Disposition | None = None
    updates: list[Update] = field(default_factory=list)  # oldest first
    key: int | None = None  # the stored action's id, when the draft came from the database
    source: str = ""  # where an imported action was read: "table 2, row 4"
    # Columns of the imported file a plan has no place for ("Comments"), by header: kept and
    # written back in the plan's exports.
    extra: dict[str, str] = field(default_factory=dict)

    def _by_date(self) -> list[Update]:
        """Updates oldest first: undated text first, then by date, ties in the order posted
        (so a same-day correction counts as the later one)."""
        order = sorted(enumerate(self.updates), key=lambda p: (p[1].on is not None, p[1].on, p[0]))
        return [update for _, update in order]

    @property
    def latest(self) -> Update | None:
        updates = self._by_date()
        return updates[-1] if updates else None

    @property
    def rag(self) -> Rag | None:
        """The current RAG: the latest update's that has one."""
        return next((u.rag for u in reversed(self._by_date()) if u.rag is not None), None)


@dataclass
class Measure:
    text: str
    indicator: str = ""  # a linked indicator's name or code, when there is one
    key: int | None = None


@dataclass
class Objective:
    code: str  # "SO1", "SO4a"
    title: str
    aim: str = ""
    group: str = ""  # "High volume crime"
    measures: list[Measure] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    key: int | None = None

    def heading(self) -> str:
        """How the objective is written above its table, and read back by the importer."""
        text = f"{self.code} – {self.title}"
        return f"{text}: {self.aim}" if self.aim else text


@dataclass
class Plan:
    title: str
    starts: date | None = None  # first day of the plan period
    ends: date | None = None  # last day of the plan period
    rag_definitions: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RAG_DEFINITIONS))
    objectives: list[Objective] = field(default_factory=list)
    # What an import kept with a note (an extra column, a quarter it could not date): shown in
    # the preview, never a reason to refuse the file. Not part of the plan itself.
    warnings: list[Problem] = field(default_factory=list, compare=False, repr=False)

    def actions(self) -> list[tuple[Objective, Action]]:
        return [(o, a) for o in self.objectives for a in o.actions]


@dataclass
class Problem:
    """A part of a file the importer could not read, and why; the import stops on any."""

    where: str  # "plan.docx, table 2, row 4, column Lead"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"
