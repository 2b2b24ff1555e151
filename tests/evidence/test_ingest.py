import pytest

from saferhub.evidence import EvidenceError, provenance
from tests.conftest import ingest, snapshot
from tests.evidence.fixtures import BOROUGH_ROWS, MONTHS, borough_csv, population_csv


def test_provenance_is_recorded(store, tmp_path):
    path = borough_csv(tmp_path)
    ingest(store, path)
    (row,) = provenance(store)
    assert row["file"] == str(path.resolve())
    assert len(row["sha256"]) == 64
    assert row["rows"] == len(BOROUGH_ROWS)
    assert row["months"] == ["2017-10", "2017-11", "2017-12", "2018-01", "2018-02", "2018-03"]
    assert row["kind"] == "mps-borough"


def test_same_file_twice_changes_nothing(store, tmp_path):
    path = borough_csv(tmp_path)
    ingest(store, path)
    before = snapshot(store)
    (result,) = ingest(store, path)
    assert result.status == "unchanged"
    assert snapshot(store) == before


def test_newer_vintage_replaces_the_months_it_covers(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path))
    revised = {("BURGLARY", "RES BURGLARY OF A HOME", "Alderby"): [100, 200]}
    (result,) = ingest(
        store, borough_csv(tmp_path, name="revised.csv", rows=revised, months=["201802", "201803"])
    )
    assert any("replaces" in n and "borough.csv" in n for n in result.notes)
    alderby = dict(
        store.con.execute(
            """select strftime(month, '%Y%m'), sum(count) from offences
           where area_name = 'Alderby' group by 1"""
        ).fetchall()
    )
    # Months the revision covers hold only its figures; other months are untouched.
    assert (alderby["201802"], alderby["201803"]) == (100, 200)
    assert alderby["201801"] == sum(
        v[MONTHS.index("201801")] for (_, _, b), v in BOROUGH_ROWS.items() if b == "Alderby"
    )
    # Other boroughs' rows for the revised months stay.
    assert (
        store.con.execute(
            "select count(*) from offences where area_name = 'Carrow' and month = '2018-02-01'"
        ).fetchone()[0]
        == 3
    )


def test_default_store_is_under_the_project_var(monkeypatch, tmp_path):
    from pathlib import Path

    from saferhub.evidence import default_store_path

    monkeypatch.delenv("SAFERHUB_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    project = Path(__file__).resolve().parents[2]
    assert default_store_path() == project / "var" / "evidence.duckdb"
    monkeypatch.setenv("SAFERHUB_STORE", str(tmp_path / "x.duckdb"))
    assert default_store_path() == tmp_path / "x.duckdb"


def test_aggregates_are_stored_with_each_ingest_and_built_for_older_stores(tmp_path):
    from saferhub.evidence import Evidence, Store
    from saferhub.evidence.aggregates import TABLES, VERSION

    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        ingest(store, population_csv(tmp_path), borough_csv(tmp_path))
        stored = {
            r[0]
            for r in store.con.execute(
                "select table_name from duckdb_tables() where not temporary"
            ).fetchall()
        }
        assert set(TABLES) <= stored
        total = store.con.execute("select sum(count) from agg_boroughs").fetchone()[0]
        assert total == store.con.execute("select sum(count) from offences").fetchone()[0]
        # A store written before the aggregates existed: no marker, no tables.
        store.con.execute("drop table evidence_meta")
        for table in TABLES:
            store.con.execute(f"drop table {table}")
    with Store(path, read_only=True) as store:
        assert store.con.execute(
            "select value from evidence_meta where key = 'aggregates_version'"
        ).fetchone() == (VERSION,)
        a = Evidence(store).assess(area="Alderby", period="2018Q1")
        assert a["categories"][0]["count"] == 49


def test_a_failed_ingest_leaves_the_aggregates_as_they_were(store, tmp_path):
    ingest(store, population_csv(tmp_path), borough_csv(tmp_path))
    before = store.con.execute("select count(*), sum(count) from agg_boroughs").fetchone()
    bad = borough_csv(
        tmp_path, name="bad.csv", rows={("BURGLARY", "RES BURGLARY OF A HOME", "Carrow"): ["x"] * 6}
    )
    with pytest.raises(EvidenceError):
        ingest(store, bad)
    assert store.con.execute("select count(*), sum(count) from agg_boroughs").fetchone() == before
