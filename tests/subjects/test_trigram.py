"""Trigram similarity (pg_trgm) finds the misspellings no phonetic key shares, on PostgreSQL.

"Kovalski" for "Kowalski" differs in both its metaphone (KFLSK / KWLSK) and NYSIIS codes, so
only trigrams find it. These run in CI's PostgreSQL stage (`-m relational_db`); on SQLite the
first shows the check says so rather than pretending.
"""

from __future__ import annotations

import pytest
from django.db import connection

from saferhub.subjects import normalise as n
from saferhub.subjects import search, services, trigram
from saferhub.subjects.duplicates import similar_subjects
from saferhub.subjects.entries import NameEntry, PlaceDetails
from saferhub.subjects.matching import person_profile

from .conftest import TODAY, person

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm is a PostgreSQL extension"
)


def test_the_misspelling_shares_no_phonetic_key():
    assert not n.name_keys("Tomasz", "Kowalski") & n.query_name_keys("Tomasz", "Kovalski")


def test_without_pg_trgm_the_keys_alone_answer(officer):
    if connection.vendor == "postgresql":
        pytest.skip("this database has trigram matching")
    person(officer, "Tomasz", "Kowalski")
    assert trigram.available() is False
    assert trigram.similar(trigram.NAME, "tomasz kovalski") == []
    assert similar_subjects(person_profile(NameEntry("Tomasz", "Kovalski"))) == []


@on_postgresql
def test_migration_made_the_extension_and_indexes():
    assert trigram.available()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = 'subjects_personname_search_trgm'"
        )
        assert cursor.fetchone() is not None


@on_postgresql
def test_similar_subjects_finds_a_misspelling_by_trigrams(officer):
    stored = person(officer, "Tomasz", "Kowalski")
    person(officer, "Priya", "Raman")
    [match] = similar_subjects(person_profile(NameEntry("Tomasz", "Kovalski").cleaned(TODAY)))
    assert match.subject == stored
    assert match.reason_texts == ["surname spelt similarly", "same first names"]


@on_postgresql
def test_name_search_and_place_addresses_by_trigrams(officer, tmp_path):
    stored = person(officer, "Tomasz", "Kowalski")
    assert list(search.by_name("Tomasz Kovalski")) == [stored]
    shop = services.create_place(
        PlaceDetails(line_1="Kowalski Delicatessen, 12 High St", postcode="NB1 3DF").cleaned(TODAY),
        by=officer,
        store_path=tmp_path / "none",
    )
    found = trigram.similar(
        trigram.PLACE_ADDRESS, n.address_key("Kovalski Delicatessen 12 High St")
    )
    assert [pk for pk, _ in found] == [shop.pk]
