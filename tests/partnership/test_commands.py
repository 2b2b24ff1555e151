"""`saferhub site` in its own process on a fresh site (the real clock: only what holds on any
day is asserted), and `saferhub demo` setting the demo's area."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests.partnership.conftest import demo_store
from tests.plans.test_commands import fresh_site, make_runner


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-site")
    store = demo_store(tmp_path_factory.mktemp("cli-site-evidence"))
    shutil.copy(store, folder / "evidence.duckdb")
    run, _ = fresh_site(folder)
    return folder, run


def _audit(folder) -> list[tuple]:
    with sqlite3.connect(folder / "site.sqlite3") as db:
        return db.execute(
            "select action, object_type, changes from audit_auditentry "
            "where object_type = 'partnership.PartnershipSettings' order by id"
        ).fetchall()


def test_show_set_change_and_refuse(site):
    folder, run = site
    shown = run("site")
    assert shown.returncode == 0
    assert "The partnership's area is not set" in shown.stdout

    done = run("site", "--area", "northbrook", "--compare", "Eastmere, westford")
    assert done.returncode == 0, done.stderr
    assert "area: Northbrook (borough E09900001)" in done.stdout
    assert "comparators: Eastmere, Westford" in done.stdout
    assert "by The command line (saferhub site)" in done.stdout

    # --compare alone keeps the area; '' clears the comparators.
    assert "comparators: Southvale" in run("site", "--compare", "Southvale").stdout
    cleared = run("site", "--compare", "")
    assert "comparators: none (London only)" in cleared.stdout
    assert "area: Northbrook" in run("site").stdout

    unknown = run("site", "--area", "Northbrok")
    assert unknown.returncode == 2
    assert "No area called “Northbrok” is in the loaded data." in unknown.stderr
    assert "Did you mean: Northbrook" in unknown.stderr
    ward = run("site", "--compare", "Northbrook Park")
    assert ward.returncode == 2 and "is a ward: comparators are boroughs" in ward.stderr
    assert "area: Northbrook" in run("site").stdout  # refused changes changed nothing

    actions = [(a, t) for a, t, _ in _audit(folder)]
    assert (
        actions
        == [("create", "partnership.PartnershipSettings")]
        + [("update", "partnership.PartnershipSettings")] * 2
    )
    assert all('"by": "cli"' in changes for _, _, changes in _audit(folder))


def test_without_an_evidence_store_the_area_cannot_be_set(tmp_path):
    run, _ = fresh_site(tmp_path)
    result = run("site", "--area", "Northbrook")
    assert result.returncode == 2
    assert "no evidence store at" in result.stderr and "saferhub ingest" in result.stderr


def test_demo_sets_the_demo_area_once(tmp_path):
    env = {
        **fresh_site(tmp_path)[1],
        "SAFERHUB_DEMO_PASSWORD": "demo password for the partnership test",
        "SAFERHUB_DATA": str(tmp_path / "no-published-data"),
    }
    run = make_runner(env)
    loaded = run("demo")
    assert loaded.returncode == 0
    # Every demo user is listed, the casework ones and the data protection officer included,
    # and all of them sign in with the one demo password.
    assert "data.protection@casework.demo.saferhub.invalid" in loaded.stdout
    assert "housing.officer@casework.demo.saferhub.invalid" in loaded.stdout
    with sqlite3.connect(tmp_path / "site.sqlite3") as db:
        hashes = dict(
            db.execute(
                "select email, password from accounts_user where email like '%.saferhub.invalid'"
            ).fetchall()
        )
        dpo = db.execute(
            "select role, is_data_protection_officer from accounts_user where email like 'data.%'"
        ).fetchone()
    assert dpo == ("board", 1)
    from django.contrib.auth.hashers import check_password

    assert len(hashes) == 5 + 6
    assert all(check_password(env["SAFERHUB_DEMO_PASSWORD"], hashed) for hashed in hashes.values())
    shown = run("site").stdout
    assert "area: Northbrook" in shown and "comparators: Eastmere, Southvale, Westford" in shown
    # A second demo run keeps what an admin set since.
    assert run("site", "--area", "Westford", "--compare", "").returncode == 0
    assert run("demo").returncode == 0
    assert "area: Westford" in run("site").stdout


def test_an_unknown_agency_is_refused_naming_it(site):
    folder, run = site
    before = _audit(folder)
    refused = run("site", "--agency", "Nowhere Council", "--area", "Northbrook")
    assert refused.returncode == 2
    assert "no agency called 'Nowhere Council'" in refused.stderr
    assert _audit(folder) == before
