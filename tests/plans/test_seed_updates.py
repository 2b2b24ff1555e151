"""The update-splitting rules against the progress cells of a real delivery plan: the
2018/19 plan in the shared seed documents (a text extraction of a council report, read for
its shape; nothing of it is copied here). The line ranges below are the progress cells as
found by reading the extraction; each assertion is the split a reader makes of that cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from saferhub.plans.draft import Rag
from saferhub.plans.importing import Period, split_updates

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
PLAN = SEEDS / "000_d13dd5cf499e1699.txt"
YEAR = Period(date(2018, 4, 1), date(2019, 3, 31))  # the plan's year, 2018/19

pytestmark = pytest.mark.skipif(
    not PLAN.is_file(), reason=f"the seed documents are not here ({PLAN} is absent)"
)


def cell(first: int, last: int) -> str:
    """Lines first..last (1-based, inclusive) of the extraction, as one cell's paragraphs."""
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.strip() for line in lines[first - 1 : last])


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # Objective 1: undated progress, then "UPDATE <day> <month> <year> Green".
        (7955, 8018, [(None, None), (date(2019, 1, 10), Rag.GREEN)]),
        # Objective 3: undated progress, then two "<day> <Mon> <yy> update:" paragraphs.
        (8404, 8438, [(None, None), (date(2019, 2, 25), None), (date(2019, 5, 17), None)]),
        # Objective 4b: a table of quarterly rates inside the cell ("Q2: <period> <rate>%"):
        # figures, not updates, so the cell stays one undated update.
        (10435, 10476, [(None, None)]),
    ],
)
def test_the_seed_plans_progress_cells_split_as_a_reader_splits_them(first, last, expected):
    updates, undatable = split_updates(cell(first, last), YEAR)
    assert [(u.on, u.rag) for u in updates] == expected
    assert undatable == []
    assert all(u.text for u in updates)


def test_the_quarter_lines_of_the_seed_cell_are_kept_in_its_text():
    (update,) = split_updates(cell(10435, 10476), YEAR)[0]
    quarters = [line for line in update.text.splitlines() if line.startswith("Q")]
    assert len(quarters) == 6
