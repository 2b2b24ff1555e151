"""A bounded fuzz run of the plan importer and the youth justice extract reader: random bytes,
and valid .csv/.docx/.xlsx files with bytes flipped, cut or inserted (the file itself, or the
document or sheet part inside its zip). The only outcomes allowed are a parsed result or the
reader's own error (`PlanFileError`, `ExtractError`): never another exception.

Derandomized, so CI runs the same examples each time; no deadline, since a slow example is
the limits' business (tests/test_uploads.py), not this run's."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhub.indicators.extract import ExtractError, read_extract_bytes
from saferhub.plans.demo import demo_plan
from saferhub.plans.exporting import plan_to_csv, plan_to_docx, plan_to_xlsx
from saferhub.plans.importing import PlanFileError, read_plan
from tests.test_uploads import rows_xlsx

TODAY = date(2026, 11, 24)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_PLAN = demo_plan(TODAY)
PLAN_FILES = {
    ".csv": plan_to_csv(_PLAN),
    ".docx": plan_to_docx(_PLAN),
    ".xlsx": plan_to_xlsx(_PLAN),
}
_EXTRACT_ROWS = [
    [
        "Person ID",
        "Date of birth",
        "Sex",
        "Ethnicity",
        "Outcome type",
        "Outcome date",
        "Date of offence",
    ],
    ["YJ-1", "2010-03-03", "M", "White", "Youth Caution", "2024-05-01", "2024-04-20"],
    ["YJ-2", "2011-01-01", "F", "", "Triage", "2025-06-01", "2025-04-01"],
]
EXTRACT_FILES = {
    ".csv": "\n".join(",".join(row) for row in _EXTRACT_ROWS).encode(),
    ".xlsx": rows_xlsx(_EXTRACT_ROWS, "Extract"),
}
# The part of each zip format a parser reads most of.
MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml"}


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (kind, position, bytes) edits: 0 overwrites, 1 inserts, 2 cuts there."""
    out = bytearray(data)
    for kind, position, chunk in edits:
        at = position % (len(out) + 1)
        if kind == 0:
            out[at : at + len(chunk)] = chunk
        elif kind == 1:
            out[at:at] = chunk
        else:
            del out[at : at + len(chunk) * 64]
    return bytes(out)


def _mutate_part(data: bytes, suffix: str, edits) -> bytes:
    """The zip with its main part mutated (so the XML parser, not the zip reader, sees it)."""
    name = MAIN_PART[suffix]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            target.writestr(member, _mutate(content, edits) if member.filename == name else content)
    return out.getvalue()


edits = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2**20), st.binary(min_size=1, max_size=16)),
    min_size=1,
    max_size=6,
)


def _plan_outcome(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{suffix}"
        path.write_bytes(data)
        try:
            plan, problems = read_plan(path)
        except PlanFileError as error:
            assert str(error).startswith(f"plan{suffix}")
        else:
            assert isinstance(problems, list) and plan is not None


def _extract_outcome(data: bytes, suffix: str) -> None:
    try:
        outcomes = read_extract_bytes(data, f"extract{suffix}", today=TODAY)
    except ExtractError as error:
        assert error.problems and str(error).startswith(f"extract{suffix}")
    else:
        assert isinstance(outcomes, list)


@pytest.mark.parametrize("suffix", [".csv", ".docx", ".xlsx"])
def test_the_fixtures_read(suffix):
    plan, problems = read_plan_bytes(PLAN_FILES[suffix], suffix)
    assert plan.actions() and not problems
    if suffix in EXTRACT_FILES:
        assert len(read_extract_bytes(EXTRACT_FILES[suffix], f"x{suffix}", today=TODAY)) == 2


def read_plan_bytes(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{suffix}"
        path.write_bytes(data)
        return read_plan(path)


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".docx", ".xlsx"]))
def test_plan_importer_on_random_bytes(data, suffix):
    _plan_outcome(data, suffix)


@FUZZ
@given(
    suffix=st.sampled_from([".csv", ".docx", ".xlsx"]),
    inside=st.booleans(),
    changes=edits,
)
def test_plan_importer_on_mutated_plans(suffix, inside, changes):
    data = PLAN_FILES[suffix]
    if inside and suffix in MAIN_PART:
        data = _mutate_part(data, suffix, changes)
    else:
        data = _mutate(data, changes)
    _plan_outcome(data, suffix)


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ""]))
def test_extract_reader_on_random_bytes(data, suffix):
    _extract_outcome(data, suffix)


@FUZZ
@given(suffix=st.sampled_from([".csv", ".xlsx"]), inside=st.booleans(), changes=edits)
def test_extract_reader_on_mutated_extracts(suffix, inside, changes):
    data = EXTRACT_FILES[suffix]
    if inside and suffix in MAIN_PART:
        data = _mutate_part(data, suffix, changes)
    else:
        data = _mutate(data, changes)
    _extract_outcome(data, suffix)
