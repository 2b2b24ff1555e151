"""Benchmark: how long each upload-bomb attack file now takes to be refused, against reading a
normal file of the same kind (saferhub.uploads bounds every reader).

The attack files are the ones tests/test_uploads.py builds: the 5 KB workbook whose only cells
are A1, B1 and XFD1048576, a Word file of 100,000 paragraphs, one whose document part unpacks
to 200 MB, one merged range A1:XFD1048576, 2,500 zip members. The normal files are the
400-action plan of bench_plans.py in each format and the demo youth justice extract.

    .venv/bin/python bench/bench_uploads.py [--runs 3]

Prints, per file: its size, the outcome (read, or the start of the refusal) and the best of
--runs wall-clock times, and the ratio of each refusal to the normal file's read.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import openpyxl  # noqa: E402
from tests.test_uploads import (  # noqa: E402
    big_member_docx,
    many_entries_docx,
    merge_bomb_xlsx,
    paragraphs_docx,
    three_cell_xlsx,
)

from bench_plans import synthetic_plan  # noqa: E402
from saferhub.indicators import demo_extract  # noqa: E402
from saferhub.indicators.extract import ExtractError, read_extract_bytes  # noqa: E402
from saferhub.plans.exporting import plan_to_csv, plan_to_docx, plan_to_xlsx  # noqa: E402
from saferhub.plans.importing import PlanFileError, read_plan  # noqa: E402

TODAY = date(2026, 11, 24)
EXTRACT_HEADER = list(demo_extract.HEADER[:7])  # the reader's columns, without "Team"


def timed(function, runs: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(runs):
        start = time.perf_counter()
        try:
            result = function()
            outcome = f"read ({result})"
        except (PlanFileError, ExtractError) as error:
            outcome = "refused: " + str(error).split("\n")[-1].lstrip("- ")[:90] + "…"
        best = min(best, time.perf_counter() - start)
    return best, outcome


def plan_reader(folder: Path, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)

    def read() -> str:
        plan, problems = read_plan(path)
        return f"{len(plan.actions())} actions, {len(problems)} problems"

    return read


def extract_reader(name: str, data: bytes):
    def read() -> str:
        return f"{len(read_extract_bytes(data, name, today=TODAY)):,} rows"

    return read


def far_cell_extract() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Extract"
    sheet.append(EXTRACT_HEADER)
    sheet.append(["YJ-1", "2010-03-03", "M", "White", "Youth Caution", "2024-05-01", "2024-04-20"])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def extract_xlsx(csv_path: Path) -> bytes:
    import csv

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Extract")
    with csv_path.open(newline="") as source:
        for row in csv.reader(source):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    plan = synthetic_plan(400)
    normal_plans = {
        "plan 400 actions .docx": plan_reader(folder, "plan.docx", plan_to_docx(plan)),
        "plan 400 actions .xlsx": plan_reader(folder, "plan.xlsx", plan_to_xlsx(plan)),
        "plan 400 actions .csv": plan_reader(folder, "plan.csv", plan_to_csv(plan)),
    }
    attack_plans = {
        "xlsx A1, B1, XFD1048576": ("plan 400 actions .xlsx", three_cell_xlsx()),
        "xlsx merged A1:XFD1048576": ("plan 400 actions .xlsx", merge_bomb_xlsx()),
        "docx 100,000 paragraphs": ("plan 400 actions .docx", paragraphs_docx(100_000)),
        "docx 200 MB of paragraphs": ("plan 400 actions .docx", big_member_docx(200)),
        "docx 2,500 zip members": ("plan 400 actions .docx", many_entries_docx(2_500)),
    }
    demo = demo_extract.write_demo_extract(folder / "extract.csv", today=TODAY)
    normal_extracts = {
        "extract demo .csv": extract_reader("extract.csv", demo.read_bytes()),
        "extract demo .xlsx": extract_reader("extract.xlsx", extract_xlsx(demo)),
    }
    attack_extracts = {
        "xlsx A1, B1, XFD1048576": (
            "extract demo .xlsx",
            three_cell_xlsx("Person ID", "Date of birth"),
        ),
        "xlsx good rows + XFD1048576": ("extract demo .xlsx", far_cell_extract()),
        "xlsx 200 MB sheet part": ("extract demo .xlsx", big_member_docx(200)),
    }

    sizes: dict[str, int] = {}
    print(f"{'file':34} {'bytes':>10} {'best s':>8} {'× normal':>9}  outcome")
    for title, normals, attacks, make in (
        ("delivery plan importer", normal_plans, attack_plans, "plan"),
        ("youth justice extract reader", normal_extracts, attack_extracts, "extract"),
    ):
        print(f"-- {title}")
        base: dict[str, float] = {}
        for name, read in normals.items():
            seconds, outcome = timed(read, args.runs)
            base[name] = seconds
            print(f"{name:34} {'':>10} {seconds:8.3f} {'':>9}  {outcome}")
        for name, (normal, data) in attacks.items():
            sizes[name] = len(data)
            suffix = ".xlsx" if name.startswith("xlsx") else ".docx"
            if make == "plan":
                read = plan_reader(folder, f"attack{suffix}", data)
            else:
                read = extract_reader(f"attack{suffix}", data)
            seconds, outcome = timed(read, args.runs)
            ratio = seconds / base[normal]
            print(f"{name:34} {len(data):10,} {seconds:8.3f} {ratio:8.2f}×  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
