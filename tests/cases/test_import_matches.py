"""The whole-file similar-record check gives, for every row, what the subjects app's own
check (`duplicates.similar_subjects`) gives row by row: the same records, scores and
reasons, from far fewer queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.cases.importing.matches import similar_many
from saferhub.subjects import duplicates, matching, services
from saferhub.subjects.entries import (
    AddressEntry,
    GroupDetails,
    IdentifierEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    VehicleDetails,
)
from saferhub.subjects.vocabulary import GroupType, IdentifierType, NameType

from .conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.relational_db]


def person(by, given, family, born=None, postcode="", nhs="", alias=None):
    return services.create_person(
        name=NameEntry(given, family),
        details=PersonDetails(date_of_birth=born),
        other_names=[NameEntry(*alias, NameType.ALIAS)] if alias else [],
        addresses=[AddressEntry(line_1="1 Alder Court", postcode=postcode)] if postcode else [],
        identifiers=[IdentifierEntry(IdentifierType.NHS, nhs)] if nhs else [],
        by=by,
    )


def test_the_batched_check_agrees_with_the_row_by_row_check(world):
    by = world.lead
    person(by, "Jonathan Paul", "Whitaker", date(1985, 6, 1), "NB1 2AB")
    person(by, "Paul Jonathan", "Whittaker", date(1985, 1, 6))  # twin-ish: day/month swapped
    person(by, "Ada", "Testperson", date(1990, 3, 4), nhs="9434765919")
    person(by, "Ada", "Testperson", date(1990, 3, 4))  # the twins with one date of birth
    person(by, "Bill", "Smith", postcode="NB1 2AB", alias=("Billy", "Smyth"))
    services.create_place(PlaceDetails(line_1="12 High St", postcode="NB1 2AB", uprn="1234"), by=by)
    services.create_place(PlaceDetails(name="The Red Lion", postcode="NB2 4DL"), by=by)
    services.create_vehicle(VehicleDetails(vrm="AB12CDE", make="Ford"), by=by)
    services.create_group(GroupDetails(GroupType.GANG, "Alder Court Crew"), by=by)
    candidates = [
        matching.person_profile(NameEntry("Jon", "Whitaker"), PersonDetails(date(1985, 6, 1))),
        matching.person_profile(
            NameEntry("Paul", "Whitacre"),
            PersonDetails(date(1985, 1, 6)),
            addresses=[AddressEntry(line_1="x", postcode="NB1 2AB")],
        ),
        matching.person_profile(
            NameEntry("Ada", "Testperson"),
            identifiers=[IdentifierEntry(IdentifierType.NHS, "9434765919")],
        ),
        matching.person_profile(NameEntry("William", "Smyth")),
        matching.person_profile(NameEntry("Testperson", "Ada")),  # names swapped
        matching.person_profile(NameEntry("Nobody", "Atall")),
        matching.place_profile(
            PlaceDetails(line_1="12 High Street", postcode="NB1 2AB").cleaned(TODAY)
        ),
        matching.place_profile(PlaceDetails(uprn="1234").cleaned(TODAY)),
        matching.vehicle_profile(VehicleDetails(vrm="A812CDE").cleaned(TODAY)),
        matching.group_profile(GroupDetails(GroupType.GANG, "Alder Crt Crew")),
    ]
    one_by_one = [duplicates.similar_subjects(p, limit=5) for p in candidates]
    with CaptureQueriesContext(connection) as batched_queries:
        batched = similar_many(candidates, limit=5)

    def shape(found):
        return [[(m.subject_id, m.score, m.reason_texts) for m in ms] for ms in found]

    assert shape(batched) == shape(one_by_one)
    assert sum(map(len, batched)) >= 10  # the check found real work to do
    assert all(m.subject is not None for ms in batched for m in ms)
    lookups = [q for q in batched_queries if "similarity(" not in q["sql"]]
    assert len(lookups) < 25  # a few per lookup, not a dozen per row (pg_trgm's are per name)


def test_no_candidates_no_queries(db):
    with CaptureQueriesContext(connection) as queries:
        assert similar_many([]) == []
    assert len(queries) == 0
