"""The importer against the corpus of real-world layouts in `layouts.py`: each file gives its
expected objectives, actions and updates, and the columns it kept; files it cannot read are
refused whole, naming the place, with nothing stored."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.urls import reverse

from saferhub.plans import convert, exporting
from saferhub.plans.commands import plan as plan_command
from saferhub.plans.importing import read_plan
from saferhub.plans.models import Strategy
from saferhub.plans.services import import_plan

from .layouts import LAYOUTS, Layout, file_name, word_group_cell_beside_objective_cell
from .plan_files import Table, write_docx, write_xlsx


def read_layout(layout: Layout, folder: Path):
    path = layout.write(folder / file_name(layout))
    plan, problems = read_plan(path)
    assert problems == [], [str(p) for p in problems]
    return plan


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_each_layout_reads_as_written(layout, tmp_path):
    plan = read_layout(layout, tmp_path)
    assert [(o.group, o.code, o.title) for o in plan.objectives] == layout.objectives
    for objective in plan.objectives:
        assert objective.aim == layout.aims.get(objective.code, "")
    assert {o.code: [a.text for a in o.actions] for o in plan.objectives} == layout.actions
    found = {a.text: [(u.on, u.rag and u.rag.value) for u in a.updates] for _, a in plan.actions()}
    assert found == layout.updates
    for text, extra in layout.extra.items():
        assert next(a for _, a in plan.actions() if a.text == text).extra == extra
    assert len(plan.warnings) == layout.warnings, [str(w) for w in plan.warnings]
    assert (plan.starts, plan.ends) == layout.period


def test_the_corpus_covers_the_layouts_asked_for():
    assert len(LAYOUTS) >= 12
    assert {layout.suffix for layout in LAYOUTS} == {"docx", "xlsx", "csv"}
    assert sum(bool(layout.extra) for layout in LAYOUTS) >= 3


def test_a_kept_column_is_noted_once_per_table_with_its_place(tmp_path):
    path = word_group_cell_beside_objective_cell(tmp_path / "plan.docx")
    plan, _ = read_plan(path)
    (warning,) = plan.warnings
    assert warning.where == "plan.docx, table 1, row 3, column Comments"
    assert "kept with each action" in warning.reason


def test_a_quarter_in_a_plan_of_several_years_is_kept_as_text_with_a_note(tmp_path):
    layout = next(x for x in LAYOUTS if x.name == "word-multi-year-plan-with-bare-quarters")
    plan = read_layout(layout, tmp_path)
    first = plan.objectives[0].actions[0].updates[0]
    assert first.text == "Agreement signed with the waste team.\nQ3: Thirty sites cleared."
    (warning,) = plan.warnings
    assert "'Q3' names a quarter but not its year" in warning.reason
    assert warning.where.endswith("table 1, row 3, column Update/Progress")


def test_the_period_given_dates_the_quarters(tmp_path):
    """--starts/--ends (and the site's period fields) date "Q3" as the title would."""
    layout = next(x for x in LAYOUTS if x.name == "word-multi-year-plan-with-bare-quarters")
    path = layout.write(tmp_path / "strategy.docx")
    plan, problems = read_plan(path, starts=date(2019, 4, 1), ends=date(2020, 3, 31))
    assert problems == [] and plan.warnings == []
    updates = plan.objectives[0].actions[0].updates
    assert [u.on for u in updates] == [None, date(2019, 10, 1), date(2020, 1, 1)]


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_kept_columns_round_trip_through_every_export(tmp_path, fmt):
    layouts = [x for x in LAYOUTS if x.extra]
    for layout in layouts:
        plan = read_layout(layout, tmp_path)
        write = exporting.FORMATS[fmt][0]
        path = tmp_path / f"again.{fmt}"
        path.write_bytes(write(plan))
        again, problems = read_plan(path, title=plan.title)
        assert problems == []
        assert [a.extra for _, a in again.actions()] == [a.extra for _, a in plan.actions()]
        assert [a.updates for _, a in again.actions()] == [a.updates for _, a in plan.actions()]


@pytest.mark.django_db
def test_kept_columns_are_stored_and_exported_from_the_site(tmp_path):
    layout = next(x for x in LAYOUTS if x.name == "word-group-cell-beside-objective-cell")
    strategy = import_plan(read_layout(layout, tmp_path), source="test")
    stored = convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk))
    assert [a.extra for _, a in stored.actions()] == [
        {"Comments": "Housing to lead; police to attend"},
        {},
    ]
    path = tmp_path / "export.xlsx"
    path.write_bytes(exporting.plan_to_xlsx(stored))
    again, problems = read_plan(path)
    assert problems == [] and again.actions()[0][1].extra == stored.actions()[0][1].extra


# ---------------------------------------------------------------------------------------------
# Files with no objective the importer can recognise


HEADER = ["Measures and targets", "Action", "Review Point", "Lead", "Update/Progress", "RAG"]
ROW = ["Fewer fires", "Clear rubbish from alleys", "March 2019", "Wexcombe Council", "", ""]


def no_objective_docx(path: Path) -> Path:
    return write_docx(
        path,
        "Wexcombe Partnership Plan 2018/19",
        Table([HEADER, ROW], heading="Community safety actions for the year"),
    )


def no_objective_xlsx(path: Path) -> Path:
    return write_xlsx(path, Table([HEADER, ROW], heading="Actions agreed by the board"))


def test_a_word_file_with_no_objective_names_the_table_and_row(tmp_path):
    _, problems = read_plan(no_objective_docx(tmp_path / "plan.docx"))
    assert [str(p) for p in problems] == [
        "plan.docx, table 1, row 3: expected an objective heading ('Strategic Objective 1 – "
        "Title: aim') or an Objective column before this row; found none",
        "plan.docx: expected at least one action under an Action header; found none",
    ]


def test_an_excel_file_with_no_objective_names_the_sheet_and_row(tmp_path):
    _, problems = read_plan(no_objective_xlsx(tmp_path / "plan.xlsx"))
    assert problems[0].where == "plan.xlsx, sheet Plan, row 3"
    assert "expected an objective heading" in problems[0].reason


def test_a_sentence_naming_an_objective_is_not_a_heading(tmp_path):
    path = write_docx(
        tmp_path / "plan.docx",
        "Progress on Strategic Objective 1 – Burglary was reported to the board.",
        Table([HEADER, ROW]),
    )
    _, problems = read_plan(path)
    assert problems[0].where == "plan.docx, table 1, row 2"


@pytest.mark.django_db
def test_the_command_refuses_a_file_with_no_objective_and_stores_nothing(tmp_path):
    path = no_objective_docx(tmp_path / "plan.docx")
    result = CliRunner().invoke(plan_command, ["import", str(path)])
    assert result.exit_code == 2
    assert "cannot read plan.docx, table 1, row 3: expected an objective heading" in result.output
    assert "nothing imported" in result.output
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_the_command_notes_kept_columns_and_imports(tmp_path):
    path = word_group_cell_beside_objective_cell(tmp_path / "plan.docx")
    result = CliRunner().invoke(plan_command, ["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "note: plan.docx, table 1, row 3, column Comments" in result.output
    assert "1 objectives, 1 measures, 2 actions, 3 updates" in result.output
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_the_site_preview_refuses_a_file_with_no_objective(client, signed_in, tmp_path):
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(no_objective_docx(tmp_path / "plan.docx").read_bytes())
    upload.name = "plan.docx"
    page = client.post(reverse("plans:import"), {"file": upload}).content.decode()
    assert "could not be read" in page and "table 1, row 3" in page
    assert client.post(reverse("plans:import"), {"confirm": "1"}).status_code == 302
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_the_site_preview_shows_kept_columns_and_imports_them(client, signed_in, tmp_path):
    client, _ = signed_in("coordinator")
    upload = io.BytesIO(word_group_cell_beside_objective_cell(tmp_path / "p.docx").read_bytes())
    upload.name = "plan.docx"
    page = client.post(reverse("plans:import"), {"file": upload})
    text = page.content.decode()
    assert "Ready to import" in text and 'id="import-warnings"' in text
    assert "column Comments" in text and "High volume crime · SO3" in text
    client.post(reverse("plans:import"), {"confirm": "1", "digest": page.context["digest"]})
    action = Strategy.objects.get().objectives.get().actions.first()
    assert action.extra == {"Comments": "Housing to lead; police to attend"}
    detail = client.get(reverse("plans:action", args=[action.pk])).content.decode()
    assert "Housing to lead; police to attend" in detail
