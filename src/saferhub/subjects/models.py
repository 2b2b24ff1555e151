"""Subjects: the people, places, vehicles and groups that casework is about.

One `Subject` row per subject whatever its kind, so cases, links, merges and the sharing policy
point at one table; each kind's own details live in their own tables beside it. Subjects are
changed only through `services.py`, which writes each change and its audit entry together.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .vocabulary import (
    AreaStatus,
    ContactType,
    Disability,
    Ethnicity,
    FlagType,
    Gender,
    GroupType,
    IdentifierType,
    Kind,
    LinkType,
    NameType,
    PlaceType,
    Religion,
    SexualOrientation,
)

USER = settings.AUTH_USER_MODEL


class Subject(models.Model):
    """A person, place, vehicle or group. `display_name` is the name shown in lists and in the
    locked view (a person's main name, a place's address, a VRM, a group's name); a merged
    subject keeps its row and points at the subject it was merged into."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    display_name = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [models.Index(fields=["kind", "display_name"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Detail(models.Model):
    """A row that belongs to one subject (a name, an address, an identifier...): merges move
    these by re-pointing `subject`, and unmerges move them back."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk} of subject {self.subject_id}"


# ---------------------------------------------------------------------------------------------
# People


class Person(models.Model):
    """A person's own details. The date of birth is indexed: the similar-subject check looks it
    up (and its day/month transposition) directly."""

    subject = models.OneToOneField(
        Subject, primary_key=True, on_delete=models.CASCADE, related_name="person"
    )
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_estimated_on = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    gender_description = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"Person {self.subject_id}"


class PersonName(Detail):
    """One of a person's names: the main one, an alias, a previous or maiden name."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="names")
    given_names = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    type = models.CharField(max_length=10, choices=NameType.choices, default=NameType.MAIN)
    used_from = models.DateField(null=True, blank=True)
    used_to = models.DateField(null=True, blank=True)
    # Folded "given family" for fuzzy and (on PostgreSQL) trigram matching: migration 0003
    # gives it a GIN trigram index there.
    search_name = models.CharField(max_length=210, db_index=True)

    class Meta:
        ordering = ["subject", "id"]


class NameKey(models.Model):
    """An indexed phonetic key of a person's or a group's name (see `normalise.name_keys`):
    names are found by key equality, then scored, so no check scans the names table."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="name_keys")
    name = models.ForeignKey(
        PersonName, null=True, blank=True, on_delete=models.CASCADE, related_name="keys"
    )
    key = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["key", "subject"])]

    def __str__(self) -> str:
        return f"Name key {self.pk} of subject {self.subject_id}"


class DistinctName(models.Model):
    """Each distinct `PersonName.search_name` once, for trigram matching (PostgreSQL gives it a
    GIN trigram index, migration 0004): fewer rows to recheck than the names themselves, and
    the names a match finds are then looked up by equality on `search_name`'s own index.

    Written with every name (`services._save_name`), never removed: a stale value, one no
    name carries any longer, costs only a lookup that finds nothing, while removing it would
    need a check against every other name at each correction or merge."""

    text = models.CharField(max_length=210, unique=True)

    def __str__(self) -> str:
        return f"Distinct name {self.pk}"


class PersonAddress(Detail):
    """Where a person lives or lived: a Place subject, or a free address with its postcode.
    Postcode and UPRN are copied from the place so both kinds are found by one index."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="addresses")
    place = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.PROTECT, related_name="residents"
    )
    line_1 = models.CharField(max_length=200, blank=True)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField(max_length=12, blank=True, db_index=True)
    address_key = models.CharField(max_length=400, blank=True)
    lived_from = models.DateField(null=True, blank=True)
    lived_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["subject", "-lived_from", "id"]
        verbose_name = "address"


class ContactDetail(Detail):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="contacts")
    type = models.CharField(max_length=10, choices=ContactType.choices)
    value = models.CharField(max_length=254)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["subject", "id"]


class Identifier(Detail):
    """A typed identifier, stored in its checked form (`normalise.identifier`), indexed by
    type and value: the same NHS number on two people is the strongest duplicate sign."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="identifiers")
    type = models.CharField(max_length=20, choices=IdentifierType.choices)
    value = models.CharField(max_length=40)
    issued_by = models.CharField(max_length=100, blank=True)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["subject", "type", "id"]
        indexes = [models.Index(fields=["type", "value"])]


class Flag(Detail):
    """A warning shown with the subject ("violent to staff", "interpreter needed"), current
    while `valid_to` is empty or ahead."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="flags")
    type = models.CharField(max_length=30, choices=FlagType.choices)
    description = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["subject", "-valid_from", "id"]


class SpecialCategory(models.Model):
    """Special category data (UK GDPR Art 9) in its own table, so no query for a person's
    details reaches it by accident and the sharing policy can withhold it whole."""

    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, related_name="special_category"
    )
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, blank=True
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "special category data"

    def __str__(self) -> str:
        return f"Special category data {self.pk} of subject {self.subject_id}"


# ---------------------------------------------------------------------------------------------
# Places, vehicles, groups


class Place(models.Model):
    """An address or location. Ward and LSOA are worked out from the evidence store's
    boundaries when the place is saved (`areas.locate`); `area_status` says how."""

    subject = models.OneToOneField(
        Subject, primary_key=True, on_delete=models.CASCADE, related_name="place"
    )
    place_type = models.CharField(max_length=20, choices=PlaceType.choices)
    name = models.CharField(max_length=200, blank=True)
    line_1 = models.CharField(max_length=200, blank=True)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField(max_length=12, blank=True, db_index=True)
    address_key = models.CharField(max_length=400, blank=True, db_index=True)
    easting = models.FloatField(null=True, blank=True)
    northing = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ward_code = models.CharField(max_length=12, blank=True, db_index=True)
    ward_name = models.CharField(max_length=200, blank=True)
    lsoa_code = models.CharField(max_length=12, blank=True, db_index=True)
    lsoa_name = models.CharField(max_length=200, blank=True)
    area_status = models.CharField(
        max_length=20, choices=AreaStatus.choices, default=AreaStatus.NO_POINT
    )

    def __str__(self) -> str:
        return f"Place {self.subject_id}"


class Vehicle(models.Model):
    """A vehicle: `vrm` normalised (upper case, no spaces) and indexed, as entered kept too."""

    subject = models.OneToOneField(
        Subject, primary_key=True, on_delete=models.CASCADE, related_name="vehicle"
    )
    vrm = models.CharField(max_length=10, db_index=True)
    vrm_entered = models.CharField(max_length=20)
    vrm_lookalike = models.CharField(max_length=10, db_index=True)
    make = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"Vehicle {self.subject_id}"


class Group(models.Model):
    subject = models.OneToOneField(
        Subject, primary_key=True, on_delete=models.CASCADE, related_name="group"
    )
    group_type = models.CharField(max_length=20, choices=GroupType.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Group {self.subject_id}"


# ---------------------------------------------------------------------------------------------
# Links and merges


class Link(models.Model):
    """A dated link from one subject to another ("parent of", "lives at", "member of")."""

    from_subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links_out")
    to_subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links_in")
    type = models.CharField(max_length=20, choices=LinkType.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Link {self.pk}"


class MergeRecord(models.Model):
    """One merge: `moved` lists exactly what was re-pointed from the absorbed subject to the
    kept one (rows by model, link ends, details filled, each registered re-pointer's own
    record), so `services.unmerge` can put every one back."""

    kept = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="merges_kept")
    absorbed = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="merges_absorbed")
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    moved = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Merge {self.pk}"
