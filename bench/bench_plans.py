"""Benchmark: a large delivery plan through every stage, and the health check against a
straightforward reference.

Builds a fictional plan of --actions actions (10 objectives, several measures, 4 dated updates
each, one in ten a near-copy of another), then times: writing and reading it as Word, Excel and
CSV (checking the read-back plan equals the original), the health check, and the board report
as HTML and PDF. The duplicate check is compared with the obvious reference (difflib's
`ratio()` on every pair), and both must find the same pairs.

    .venv/bin/python bench/bench_plans.py [--actions 400]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from difflib import SequenceMatcher
from pathlib import Path

from saferhub.plans import board, health
from saferhub.plans.draft import Action, Lead, Measure, Objective, Plan, Rag, Update
from saferhub.plans.exporting import plan_to_csv, plan_to_docx, plan_to_xlsx
from saferhub.plans.importing import read_plan
from saferhub.plans.review import parse_review_point
from saferhub.reports.board_report import render_board_html, render_board_pdf

WORDS = [
    "deliver",
    "review",
    "patrol",
    "engage",
    "train",
    "fund",
    "publish",
    "map",
    "visit",
    "support",
    "coordinate",
    "commission",
    "victims",
    "schools",
    "hotspots",
    "wards",
    "youth",
    "housing",
    "licensing",
    "partners",
    "campaign",
    "panel",
    "scheme",
    "town",
    "centre",
    "night",
    "economy",
    "officers",
    "residents",
    "businesses",
    "workshops",
    "outreach",
    "referrals",
]
AS_AT = date(2026, 11, 24)


def synthetic_plan(actions: int, seed: int = 3) -> Plan:
    rng = random.Random(seed)
    objectives = []
    per = max(1, actions // 10)
    texts: list[str] = []
    for o in range(10):
        items = []
        for i in range(per):
            if texts and rng.random() < 0.1:
                text = texts[rng.randrange(len(texts))] + " again"  # a near-duplicate
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
            texts.append(text)
            updates = [
                Update(
                    AS_AT - timedelta(days=30 * k + rng.randint(0, 20)),
                    " ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + ".",
                    rng.choice(list(Rag)),
                    f"Officer {rng.randint(1, 40)}",
                )
                for k in range(4, 0, -1)
            ]
            items.append(
                Action(
                    text=text,
                    measure=i % 3,
                    leads=[Lead(person=f"Officer {rng.randint(1, 40)}", agency="Eastmere Police")],
                    review=parse_review_point(
                        rng.choice(
                            ["March 2027", "Ongoing", "Quarterly", "30/09/2026", "Q3 2026/27"]
                        )
                    ),
                    updates=updates,
                    plan_year="2026/27",
                )
            )
        objectives.append(
            Objective(
                code=f"SO{o + 1}",
                title=f"Objective {o + 1}",
                aim="To reduce harm.",
                group="High volume crime" if o < 5 else "High harm crime",
                measures=[Measure(f"Measure {o + 1}.{m + 1}") for m in range(3)],
                actions=items,
            )
        )
    return Plan(
        title="Eastmere Delivery Plan 2026/27 (fictional)",
        starts=date(2026, 4, 1),
        ends=date(2027, 3, 31),
        objectives=objectives,
    )


def reference_duplicates(plan: Plan) -> int:
    """Every pair through difflib's full ratio, the same orientation as the health check:
    obviously right, and slow."""
    texts = [health.words(a.text) for _, a in plan.actions()]
    found = 0
    for i, these in enumerate(texts):
        for those in texts[i + 1 :]:
            ratio = SequenceMatcher(None, those, these, autojunk=False).ratio()
            found += ratio >= health.NEAR_DUPLICATE
    return found


def timed(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - start
    print(f"{label:<34}{seconds * 1000:>10.0f} ms")
    return result, seconds


def strip_sources(plan: Plan) -> Plan:
    return replace(
        plan,
        objectives=[
            replace(o, actions=[replace(a, source="") for a in o.actions]) for o in plan.objectives
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=400)
    args = parser.parse_args()
    plan = synthetic_plan(args.actions)
    n = len(plan.actions())
    print(f"plan: {len(plan.objectives)} objectives, {n} actions, {4 * n} updates")
    with tempfile.TemporaryDirectory() as folder:
        for ext, write in (("docx", plan_to_docx), ("xlsx", plan_to_xlsx), ("csv", plan_to_csv)):
            content, _ = timed(f"write .{ext}", write, plan)
            path = Path(folder) / f"plan.{ext}"
            path.write_bytes(content)
            (back, problems), seconds = timed(f"read .{ext}", read_plan, path)
            same = not problems and strip_sources(back).objectives == plan.objectives
            print(f"{'':<34}{n / seconds:>10,.0f} actions/s; round trip identical: {same}")
    findings, ours = timed("health check (all rules)", lambda: health.check(plan, today=AS_AT))
    pairs = sum(f.rule == "duplicate" for f in findings)
    reference, theirs = timed("reference duplicates (all pairs)", reference_duplicates, plan)
    print(
        f"{'':<34}{pairs} duplicate findings, reference {reference} pairs; "
        f"reference / ours = {theirs / ours:.1f}x"
    )
    if pairs != reference:
        raise SystemExit("duplicate findings differ from the reference")
    report, _ = timed("board report model", lambda: board.build(plan, as_at=AS_AT))
    timed("board report HTML", render_board_html, report)
    timed("board report PDF", render_board_pdf, report)


if __name__ == "__main__":
    main()
