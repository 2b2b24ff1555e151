"""`saferhub plan …` as a coordinator runs it, in its own process on a fresh site database:
import (with --dry-run and bad files), list, health, export, board report, rollover."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from saferhub.plans.demo import demo_plan
from saferhub.plans.exporting import plan_to_docx


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-site")
    return folder, fresh_site(folder)[0]


def fresh_site(folder: Path):
    """A new site database and store in `folder`, initialised with its first admin: the
    runner of `saferhub` commands against it, and their environment."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "SAFERHUB_SECRET_KEY": "cli-test-only",
        "SAFERHUB_STORE": str(folder / "evidence.duckdb"),
        "SAFERHUB_ADMIN_EMAIL": "admin@eastmere.example",
        "SAFERHUB_ADMIN_PASSWORD": "a long enough password",
    }
    run = make_runner(env)
    assert run("init", "--noinput").returncode == 0
    return run, env


def make_runner(env):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "saferhub.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    return run


def test_plan_commands_end_to_end(site):
    folder, run = site
    path = folder / "eastmere-plan.docx"
    path.write_bytes(plan_to_docx(demo_plan(date(2026, 11, 24))))

    dry = run("plan", "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "4 objectives, 5 measures, 7 actions, 7 updates" in dry.stdout
    assert "nothing stored" in dry.stdout and run("plan", "list").stdout == ""

    imported = run("plan", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    plan_id = imported.stdout.strip().split()[-1]
    assert run("plan", "list").stdout.startswith(f"{plan_id}\tDemo Community Safety")

    health = run("plan", "health", plan_id, "--as-at", "2026-11-24")
    assert health.returncode == 1 and health.stdout.strip().endswith("8 findings")

    out = folder / "board.pdf"
    report = run("plan", "report", plan_id, "--output", str(out), "--as-at", "2026-11-24")
    assert report.returncode == 0, report.stderr
    assert out.read_bytes().startswith(b"%PDF")

    xlsx = folder / "plan.xlsx"
    assert run("plan", "export", plan_id, "--output", str(xlsx)).returncode == 0
    again = run("plan", "import", str(xlsx), "--dry-run")
    assert "4 objectives, 5 measures, 7 actions, 7 updates" in again.stdout

    refused = run("plan", "rollover", plan_id)
    assert refused.returncode == 2 and "3 actions have no year-end disposition" in refused.stderr

    # Import, health check, report and export are each on the record, and the chain holds.
    with sqlite3.connect(folder / "site.sqlite3") as db:
        entries = db.execute(
            "select action, changes from audit_auditentry where object_type = 'plans.Strategy'"
        ).fetchall()
    assert [action for action, _ in entries] == ["create", "view", "export", "export"]
    assert json.loads(entries[2][1]) == {"board_report": "pdf", "by": "cli"}
    assert "audit log intact" in run("audit", "verify").stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4", "plan.pdf"),
        ("plan.docx", b"not a zip", "plan.docx"),
        (
            "plan.csv",
            b"Objective,Objective title,Action,RAG\nSO1,Burglary,Patrol,Purple\n",
            "row 2, column RAG",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(site, name, content, message):
    folder, run = site
    before = run("plan", "list").stdout
    path = folder / name
    path.write_bytes(content)
    result = run("plan", "import", str(path), "--starts", "2026-04-01", "--ends", "2027-03-31")
    assert result.returncode == 2
    assert message in result.stderr
    assert run("plan", "list").stdout == before


def test_a_plan_without_a_period_asks_for_one(site):
    folder, run = site
    path = Path(folder / "undated.csv")
    path.write_text("Objective,Objective title,Action\nSO1,Burglary,Patrol the high street\n")
    result = run("plan", "import", str(path))
    assert result.returncode == 2 and "give --starts and --ends" in result.stderr


def test_unknown_plan_and_bad_output_names(site):
    _, run = site
    assert "no plan with id 999" in run("plan", "export", "999", "--output", "x.docx").stderr
    bad = run("plan", "report", "1", "--output", "board.docx")
    assert bad.returncode == 2 and "written as .html or .pdf" in bad.stderr
