import pytest

from saferhub.evidence import EvidenceError, load_taxonomy

REQUIRED_KEYS = [
    "total",
    "burglary",
    "residential_burglary",
    "business_burglary",
    "robbery",
    "personal_robbery",
    "violence_against_the_person",
    "violence_with_injury",
    "violence_without_injury",
    "sexual_offences",
    "theft",
    "shoplifting",
    "vehicle_offences",
    "theft_of_motor_vehicle",
    "theft_from_motor_vehicle",
    "criminal_damage_arson",
    "drug_offences",
    "possession_of_weapons",
    "public_order",
    "asb",
]


def test_shipped_taxonomy_has_every_required_key():
    assert set(REQUIRED_KEYS) <= set(load_taxonomy().keys())


@pytest.mark.parametrize(
    ("major", "minor", "key"),
    [
        ("BURGLARY", "DOMESTIC BURGLARY", "residential_burglary"),
        ("BURGLARY", "RES BURGLARY OF A HOME", "residential_burglary"),
        ("BURGLARY", "RES BURGLARY OF UNCONNECTED BUILDING", "residential_burglary"),
        ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY", "personal_robbery"),
        ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", "violence_with_injury"),
        ("VEHICLE OFFENCES", "THEFT OR UNAUTH TAKING OF A MOTOR VEH", "theft_of_motor_vehicle"),
        ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE", "theft_from_motor_vehicle"),
    ],
)
def test_named_minor_categories_map(major, minor, key):
    keys = {k for _, _, k in load_taxonomy().mps_pairs([(major, minor)])}
    assert {key, "total"} <= keys


def test_residential_is_not_business_burglary():
    keys = {k for _, _, k in load_taxonomy().mps_pairs([("BURGLARY", "DOMESTIC BURGLARY")])}
    assert "business_burglary" not in keys
    assert "burglary" in keys


def test_asb_comes_from_police_uk_records():
    taxonomy = load_taxonomy()
    assert taxonomy.policeuk_types(["Anti-social behaviour"]) == [("Anti-social behaviour", "asb")]
    assert not taxonomy.get("asb").from_mps


def test_unmapped_categories_are_found():
    taxonomy = load_taxonomy()
    assert taxonomy.unmapped_mps([("NEW MAJOR", "NEW MINOR"), ("BURGLARY", "X")]) == [
        ("NEW MAJOR", "NEW MINOR")
    ]
    assert taxonomy.unmapped_policeuk(["Burglary", "Cybercrime"]) == ["Cybercrime"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[categories.total]\nall = true\n", "missing 'label'"),
        ("[categories.x]\nlabel = 'X'\nmps_major = ['A']\n", "must define a 'total'"),
        ("[categories.total]\nlabel = 'T'\nall = true\ncolour = 'red'\n", "unknown field"),
        (
            "[categories.total]\nlabel = 'T'\nall = true\n[categories.y]\nlabel = 'Y'\n",
            "maps no source category",
        ),
        ("[categories.total\n", "not valid TOML"),
        (
            "[categories.total]\nlabel='T'\nall=true\n[categories.y]\nlabel='Y'\nmps_major='A'\n",
            "expected a list of strings",
        ),
    ],
)
def test_bad_taxonomy_files(tmp_path, text, message):
    path = tmp_path / "taxonomy.toml"
    path.write_text(text)
    with pytest.raises(EvidenceError) as error:
        load_taxonomy(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)
