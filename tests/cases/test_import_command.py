"""`saferhub casework import` as a person runs it (click's runner, in this process, on the
test database): the map, the problems by row and column, the proposals, the dry run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from saferhub.audit.models import AuditEntry
from saferhub.cases.importing.apply import IMPORT_TYPE
from saferhub.cases.importing.command import casework
from saferhub.cases.models import Case
from saferhub.subjects.models import Subject

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "casework"


def run(*args):
    return CliRunner().invoke(casework, ["import", *map(str, args)], catch_exceptions=False)


def stored():
    return (Subject.objects.count(), Case.objects.count(), AuditEntry.objects.count())


def test_a_dry_run_prints_the_map_the_proposals_and_stores_nothing(world):
    before = stored()
    result = run(EXAMPLES / "asb-unit-caseload.xlsx", "--as", world.lead.email, "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "asb-unit-caseload.xlsx (xlsx, sheet Open cases): 7 rows to read" in out
    assert "  Case No → Case reference (case_ref, recognised)" in out
    assert "  ASB Category → ASB category (extra.asb_category, recognised)" in out
    assert "  row 4: Ada Testperson, born 04/03/1990" in out
    assert f"→ use record {world.victim.pk}" in out
    assert "→ the same record as row 7" in out
    assert "would create: 4 people, 3 places; 3 cases (Anti-social behaviour 3); 3 notes" in out
    assert "dry run: nothing stored" in out
    subjects, cases_, audit = stored()
    assert (subjects, cases_) == before[:2]
    assert audit == before[2] + 1  # the similar-record check, as a search is


def test_an_import_with_a_map_and_defaults(world, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(
        'Offender,Cohort,Adopted\n"CROSBY, Quentin",Fixed,01/10/2026\n', encoding="utf-8"
    )
    result = run(
        path,
        "--as",
        world.lead.email.upper(),
        "--map",
        "Offender=name,Cohort=IOM cohort",
        "--default",
        "business_area=IOM,role=perpetrator",
    )
    assert result.exit_code == 0, result.output
    assert "  Offender → Name (name, chosen)" in result.stdout
    assert "imported: 1 cases: IOM-2026-000001" in result.stdout
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry.changes["via"] == "cli" and entry.actor == world.lead
    case = Case.objects.get(reference="IOM-2026-000001")
    assert case.extra == {"cohort": "Fixed"}


def test_problems_go_to_stderr_by_row_and_column_and_nothing_is_stored(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "Case ref,Opened,Business area,ASB category,Role,Surname,DOB\n"
        "A1,02/11/2026,ASB,Personal,Victim,Testperson,31/02/1990\n"
        "A2,02/11/2026,Parking,Personal,Victim,Crosby,\n",
        encoding="utf-8",
    )
    before = stored()
    result = run(path, "--as", world.lead.email)
    assert result.exit_code == 2
    err = result.stderr
    assert "cannot import bad.csv: row 2, column “DOB”: “31/02/1990” is not a real date" in err
    assert "cannot import bad.csv: row 3, column “Business area”: There is no business area" in err
    assert "error: 2 problems in bad.csv: nothing imported" in err
    assert stored() == before


def test_a_file_that_is_not_what_it_claims_is_refused(world, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_text("Surname\nTestperson\n")
    result = run(path, "--as", world.lead.email)
    assert result.exit_code == 2 and "but it is not one" in result.stderr


def test_only_a_practitioner_may_import_and_the_refusal_is_audited(world):
    before = AuditEntry.objects.count()
    result = run(EXAMPLES / "iom-cohort.csv", "--as", world.analyst.email)
    assert result.exit_code == 2 and "may not import" in result.stderr
    assert AuditEntry.objects.count() == before + 1
    assert run(EXAMPLES / "iom-cohort.csv", "--as", "nobody@x.example").exit_code == 2


def test_a_choice_on_the_command_line(world):
    before = Subject.objects.count()
    result = run(EXAMPLES / "asb-unit-caseload.xlsx", "--as", world.lead.email, "--choose", "4=new")
    assert result.exit_code == 0, result.output
    assert "→ a new record" in result.stdout
    assert Subject.objects.count() == before + 8  # Ada made again, as chosen
    bad = run(
        EXAMPLES / "iom-cohort.csv",
        "--as",
        world.lead.email,
        "--default",
        "role=victim",
        "--choose",
        "2=existing:999",
    )
    assert bad.exit_code == 2 and "--choose: row 2" in bad.stderr
