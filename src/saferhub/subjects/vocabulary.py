"""The words subjects are recorded in: the choices every model, form and import shares.

No model here, so the pure modules (`normalise`, `matching`) and the importers can use the same
vocabulary without a database.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    PERSON = "person", "Person"
    PLACE = "place", "Place"
    VEHICLE = "vehicle", "Vehicle"
    GROUP = "group", "Group"


class NameType(models.TextChoices):
    MAIN = "main", "Main name"
    ALIAS = "alias", "Alias"
    PREVIOUS = "previous", "Previous name"
    MAIDEN = "maiden", "Maiden name"
    NICKNAME = "nickname", "Nickname"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "Described another way"
    NOT_KNOWN = "not_known", "Not known"
    NOT_STATED = "not_stated", "Prefers not to say"


class ContactType(models.TextChoices):
    PHONE = "phone", "Phone"
    MOBILE = "mobile", "Mobile"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


class IdentifierType(models.TextChoices):
    PNC = "pnc", "PNC ID"
    CRO = "cro", "CRO number"
    NHS = "nhs", "NHS number"
    NINO = "nino", "National Insurance number"
    LOCAL_AUTHORITY = "local_authority", "Local authority id"
    OTHER = "other", "Other"


class FlagType(models.TextChoices):
    VIOLENT_TO_STAFF = "violent_to_staff", "Violent to staff"
    WEAPONS = "weapons", "Known to carry weapons"
    DO_NOT_VISIT_ALONE = "do_not_visit_alone", "Do not visit alone"
    INTERPRETER_NEEDED = "interpreter_needed", "Interpreter needed"
    VULNERABLE = "vulnerable", "Vulnerable"
    RISK_TO_CHILDREN = "risk_to_children", "Risk to children"
    SELF_HARM = "self_harm", "Risk of self-harm"
    DOG_ON_PREMISES = "dog_on_premises", "Dog on premises"
    OTHER = "other", "Other"


class PlaceType(models.TextChoices):
    DWELLING = "dwelling", "Dwelling"
    LICENSED_PREMISES = "licensed_premises", "Licensed premises"
    SHOP = "shop", "Shop"
    PARK = "park", "Park or open space"
    STREET = "street", "Street"
    OTHER = "other", "Other"


class AreaStatus(models.TextChoices):
    """How a place's ward and LSOA were (or were not) worked out: said plainly on its page."""

    LOCATED = "located", "Ward and LSOA from the loaded boundaries"
    PARTLY = "partly", "Only some of the ward and LSOA boundaries cover this point"
    OUTSIDE = "outside", "The point is outside every loaded boundary"
    NO_POINT = "no_point", "No point recorded"
    NO_BOUNDARIES = "no_boundaries", "No ward or LSOA boundaries are loaded"


class GroupType(models.TextChoices):
    GANG = "gang", "Gang"
    ORGANISED_CRIME_GROUP = "ocg", "Organised crime group"
    FAMILY = "family", "Family"
    HOUSEHOLD = "household", "Household"
    STREET_GROUP = "street_group", "Street group"
    OTHER = "other", "Other"


class LinkType(models.TextChoices):
    LIVES_AT = "lives_at", "Lives at"
    STAYS_AT = "stays_at", "Stays at"
    WORKS_AT = "works_at", "Works at"
    FREQUENTS = "frequents", "Frequents"
    OWNS = "owns", "Owns"
    ASSOCIATE_OF = "associate_of", "Associate of"
    PARTNER_OF = "partner_of", "Partner of"
    PARENT_OF = "parent_of", "Parent of"
    SIBLING_OF = "sibling_of", "Sibling of"
    CARER_OF = "carer_of", "Carer of"
    MEMBER_OF = "member_of", "Member of"
    KEEPER_OF = "keeper_of", "Keeper of"
    DRIVER_OF = "driver_of", "Driver of"
    OTHER = "other", "Other"


PERSON, PLACE, VEHICLE, GROUP = Kind.PERSON, Kind.PLACE, Kind.VEHICLE, Kind.GROUP
ANY = frozenset(Kind)

# Which kinds each link joins (from → to), and how it reads from the other end. A symmetric
# link reads the same both ways.
LINK_RULES: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    LinkType.LIVES_AT: (frozenset({PERSON, GROUP}), frozenset({PLACE}), "Home of"),
    LinkType.STAYS_AT: (frozenset({PERSON, GROUP}), frozenset({PLACE}), "Place stayed at by"),
    LinkType.WORKS_AT: (frozenset({PERSON}), frozenset({PLACE}), "Workplace of"),
    LinkType.FREQUENTS: (frozenset({PERSON, GROUP}), frozenset({PLACE}), "Frequented by"),
    LinkType.OWNS: (frozenset({PERSON, GROUP}), frozenset({PLACE, VEHICLE}), "Owned by"),
    LinkType.ASSOCIATE_OF: (frozenset({PERSON}), frozenset({PERSON}), "Associate of"),
    LinkType.PARTNER_OF: (frozenset({PERSON}), frozenset({PERSON}), "Partner of"),
    LinkType.PARENT_OF: (frozenset({PERSON}), frozenset({PERSON}), "Child of"),
    LinkType.SIBLING_OF: (frozenset({PERSON}), frozenset({PERSON}), "Sibling of"),
    LinkType.CARER_OF: (frozenset({PERSON}), frozenset({PERSON}), "Cared for by"),
    LinkType.MEMBER_OF: (frozenset({PERSON}), frozenset({GROUP}), "Has member"),
    LinkType.KEEPER_OF: (frozenset({PERSON, GROUP}), frozenset({VEHICLE}), "Kept by"),
    LinkType.DRIVER_OF: (frozenset({PERSON}), frozenset({VEHICLE}), "Driven by"),
    LinkType.OTHER: (ANY, ANY, "Linked to"),
}
SYMMETRIC_LINKS = frozenset({LinkType.ASSOCIATE_OF, LinkType.PARTNER_OF, LinkType.SIBLING_OF})


def link_label(link_type: str, *, from_end: bool) -> str:
    """The link's words read from one end: "Parent of" from the parent, "Child of" from the
    child."""
    if from_end or link_type in SYMMETRIC_LINKS:
        return LinkType(link_type).label
    return LINK_RULES[link_type][2]


# Special category data (UK GDPR Art 9), in the Census 2021 (England and Wales) categories so
# figures can be compared with the population.
class Ethnicity(models.TextChoices):
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other", "Any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class Disability(models.TextChoices):
    YES_LIMITED_A_LOT = "yes_a_lot", "Yes, day-to-day activities limited a lot"
    YES_LIMITED_A_LITTLE = "yes_a_little", "Yes, day-to-day activities limited a little"
    NO = "no", "No"
    NOT_STATED = "not_stated", "Not stated"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    NOT_STATED = "not_stated", "Not stated"


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    NOT_STATED = "not_stated", "Not stated"
