"""The `saferhub` command as a user runs it: real process, real exit codes, real files."""

import csv
import io
import json

import pytest

from tests.conftest import run_cli as run
from tests.evidence.fixtures import borough_csv, population_csv, ward_csv


@pytest.fixture
def loaded(tmp_path):
    store = tmp_path / "cli.duckdb"
    result = run(
        store,
        "ingest",
        str(population_csv(tmp_path)),
        str(borough_csv(tmp_path)),
        str(ward_csv(tmp_path)),
    )
    assert result.returncode == 0, result.stderr
    assert "loaded 10 rows as mps-borough, months 2017-10..2018-03" in result.stdout
    return store


def test_assess_json_has_the_documented_shape(loaded):
    result = run(
        loaded,
        "assess",
        "--area",
        "Alderby",
        "--period",
        "2018Q1",
        "--compare",
        "Brookfield,Carrow",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    a = json.loads(result.stdout)
    assert set(a) >= {
        "area",
        "period",
        "previous_period",
        "population",
        "categories",
        "comparators",
        "wards",
    }
    total = a["categories"][0]
    assert set(total) >= {
        "key",
        "label",
        "count",
        "previous",
        "change",
        "change_pct",
        "rate",
        "previous_rate",
        "rate_change",
        "london_rank_by_count",
        "london_rank_by_rate",
        "monthly",
    }
    assert [c["name"] for c in a["comparators"]] == ["Alderby", "Brookfield", "Carrow", "London"]
    assert set(a["wards"][0]["categories"]["total"]) >= {"count", "previous", "change"}


def test_assess_csv_and_table_show_the_same_figures(loaded):
    as_csv = run(loaded, "assess", "--area", "Alderby", "--period", "2018Q1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    total = next(r for r in rows if r["table"] == "area" and r["category"] == "total")
    assert (total["count"], total["previous"], total["change_pct"], total["rate"]) == (
        "49",
        "44",
        "11.4",
        "4.9",
    )
    table = run(loaded, "assess", "--area", "Alderby", "--period", "2018Q1").stdout
    line = next(x for x in table.splitlines() if x.startswith("Total recorded crime"))
    assert line.split()[3:8] == ["49", "44", "+5", "+11.4%", "4.90"]


def test_output_file_written_whole(loaded, tmp_path):
    target = tmp_path / "out" / "a.json"
    target.parent.mkdir()
    result = run(
        loaded,
        "assess",
        "--area",
        "Alderby",
        "--period",
        "2018Q1",
        "--format",
        "json",
        "--output",
        str(target),
    )
    assert result.returncode == 0
    assert json.loads(target.read_text())["area"]["name"] == "Alderby"
    assert [p.name for p in target.parent.iterdir()] == ["a.json"]


def test_unwritable_output_fails_cleanly(loaded, tmp_path):
    target = tmp_path / "missing-folder" / "a.json"
    result = run(
        loaded, "assess", "--area", "Alderby", "--period", "2018Q1", "--output", str(target)
    )
    assert result.returncode == 2
    assert f"cannot write {target}" in result.stderr
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "Aldrby", "--period", "2018Q1"], "did you mean Alderby"),
        (["--area", "Alderby", "--period", "2020"], "loaded months are 2017-10..2018-03"),
        (["--area", "Alderby", "--period", "spring"], "not a period"),
    ],
)
def test_assess_errors_exit_non_zero_with_message(loaded, args, message):
    result = run(loaded, "assess", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_ingest_stops_at_a_bad_file_keeping_earlier_ones(tmp_path):
    store = tmp_path / "s.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text("MajorText,MinorText,BoroughName,201801\nBURGLARY,X,Alderby,lots\n")
    result = run(store, "ingest", str(population_csv(tmp_path)), str(bad))
    assert result.returncode == 2
    assert f"{bad}: row 2, column 201801" in result.stderr
    sources = run(store, "sources")
    assert "population-simple" in sources.stdout and "bad.csv" not in sources.stdout


def test_assess_without_a_store_explains(tmp_path):
    result = run(tmp_path / "none.duckdb", "assess", "--area", "X", "--period", "2018")
    assert result.returncode == 2
    assert "saferhub ingest" in result.stderr


def test_sources_output_ends_with_a_newline_even_when_nothing_is_loaded(tmp_path):
    from saferhub.evidence import Store

    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    result = run(empty, "sources")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("\n")
    assert "no files loaded" in result.stdout


def test_assess_loads_neither_django_nor_plotting(loaded, tmp_path):
    """`saferhub assess` starts in a blink: only what it uses is imported."""
    import subprocess
    import sys

    probe = (
        "import sys, runpy; sys.argv = ['saferhub', '--store', sys.argv[1], 'assess', "
        "'--area', 'Alderby', '--period', '2018Q1', '--format', 'json']\n"
        "try:\n    runpy.run_module('saferhub.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = {'django', 'matplotlib', 'jinja2', 'shapely', 'numpy', 'tqdm'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(loaded)], capture_output=True, text=True
    )
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr


def test_format_choices_are_the_renderers():
    from saferhub.cli import FORMATS
    from saferhub.evidence.output import RENDERERS

    assert sorted(FORMATS) == sorted(RENDERERS)


@pytest.mark.parametrize("command", [("plan", "list"), ("indicators", "list")])
def test_site_command_on_an_empty_database_says_run_init(tmp_path, command):
    """A fresh, empty SQLite file: one line saying what to do, exit 2, no traceback."""
    import os
    import subprocess
    import sys

    database = tmp_path / "new.sqlite3"
    database.touch()
    result = subprocess.run(
        [sys.executable, "-m", "saferhub.cli", *command],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "SAFERHUB_SECRET_KEY": "test-only-not-secret",
        },
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr == (
        f"error: The site database at {database} is not set up: run `saferhub init` first.\n"
    )
    assert "Traceback" not in result.stderr + result.stdout
