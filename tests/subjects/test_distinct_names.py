"""Trigram name matching runs on the distinct folded names (`DistinctName`), then finds the
people by equality: the names written by every path are there, the migration's backfill fills
the table from names stored before it, and the answers are those of matching every name."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from saferhub.cases.importing import apply, plan
from saferhub.cases.importing.command import policy_sight
from saferhub.subjects import services, trigram
from saferhub.subjects.entries import NameEntry
from saferhub.subjects.models import DistinctName, PersonName
from saferhub.subjects.vocabulary import NameType
from tests.cases.conftest import AT, world  # noqa: F401  (the import test's fixture)

from .conftest import TODAY, person

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm is a PostgreSQL extension"
)

MIGRATION = importlib.import_module("saferhub.subjects.migrations.0004_distinct_names")


def found(value: str, limit: int = 50) -> list[int]:
    return [pk for pk, _ in trigram.similar(trigram.NAME, value, limit=limit)]


def stored_names() -> set[str]:
    return set(PersonName.objects.values_list("search_name", flat=True))


def test_every_name_written_is_a_distinct_name_once(officer):
    first = person(officer, "Tomasz", "Kowalski")
    person(officer, "Tomasz", "Kowalski")
    services.add_name(
        first,
        NameEntry("Tom", "Kowalski", type=NameType.ALIAS).cleaned(TODAY),
        by=officer,
        version=first.version,
    )
    texts = list(DistinctName.objects.values_list("text", flat=True))
    assert sorted(texts) == ["tom kowalski", "tomasz kowalski"]


def test_the_backfill_fills_the_table_from_existing_names(officer):
    person(officer, "Tomasz", "Kowalski")
    person(officer, "Priya", "Raman")
    person(officer, "Priya", "Raman")
    DistinctName.objects.all().delete()  # as before the migration
    DistinctName.objects.create(text="priya raman")  # one already there is kept, once
    MIGRATION.backfill(None, SimpleNamespace(connection=connection))
    texts = list(DistinctName.objects.values_list("text", flat=True))
    assert sorted(texts) == ["priya raman", "tomasz kowalski"] == sorted(stored_names())


@on_postgresql
def test_the_migration_made_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'subjects_distinctname_text_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]


@on_postgresql
def test_a_new_and_a_corrected_name_are_found_by_trigrams(officer):
    stored = person(officer, "Tomasz", "Kowalski")
    assert found("tomasz kovalski") == [stored.pk]
    name = PersonName.objects.get(subject=stored)
    services.update_name(
        name, NameEntry("Teodor", "Wiśniewski").cleaned(TODAY), by=officer, version=1
    )
    assert found("teodor wisniewsky") == [stored.pk]
    # The old spelling stays a distinct name, but no longer finds anyone.
    assert DistinctName.objects.filter(text="tomasz kowalski").exists()
    assert found("tomasz kovalski") == []


@on_postgresql
def test_an_imported_name_is_found_by_trigrams(world):  # noqa: F811
    head = "Case ref,Opened,Business area,ASB category,Role,Surname,First name,DOB,Postcode\n"
    data = (head + "Z1,02/11/2026,ASB,Personal,Victim,Crosby,Quentin,,NB1 2AB\n").encode()
    shown = plan.preview(
        data, "caseload.csv", user=world.lead, sight=policy_sight(world.lead), today=AT.date()
    )
    assert shown.ok, [str(p) for p in shown.problems]
    apply.apply(shown, user=world.lead, at=AT)
    imported = PersonName.objects.get(search_name="quentin crosby").subject_id
    assert found("quentin crosbie") == [imported]


def _matching_every_name(value: str, limit: int) -> list[tuple[int, float]]:
    """The answer before `DistinctName`: trigram matching on every stored name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT subject_id, MAX(similarity(search_name, %s)) AS score "
            "FROM subjects_personname WHERE search_name %% %s "
            "GROUP BY subject_id ORDER BY score DESC, subject_id LIMIT %s",
            [value, value, limit],
        )
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


@on_postgresql
@pytest.mark.parametrize("batch", [1, 20])
def test_the_answers_are_those_of_matching_every_name(officer, monkeypatch, batch):
    """Ties in score (the same name on several people), people with several similar names,
    and limits that cut through a tie: subjects, scores and order all as before."""
    monkeypatch.setattr(trigram, "FIRST_BATCH", batch)
    for given, family in [
        ("Tomasz", "Kowalski"),
        ("Tomasz", "Kowalski"),
        ("Tomas", "Kowalsky"),
        ("Tom", "Kowalski"),
        ("Tomasz", "Kowal"),
        ("Anna", "Kowalska"),
        ("Priya", "Raman"),
    ]:
        person(officer, given, family)
    alias_of = person(officer, "Tomasz", "Nowak")
    services.add_name(
        alias_of,
        NameEntry("Tomasz", "Kowalsky", type=NameType.ALIAS).cleaned(TODAY),
        by=officer,
        version=alias_of.version,
    )
    for value in ["tomasz kovalski", "kowalski", "tomas kowalski", "priya ramen", "zzz"]:
        for limit in [1, 2, 3, 50]:
            expected = _matching_every_name(value, limit)
            assert trigram.similar(trigram.NAME, value, limit=limit) == expected, (value, limit)
    assert len(_matching_every_name("tomasz kovalski", 50)) >= 4  # the case is not empty
