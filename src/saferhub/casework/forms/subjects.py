"""Forms for people, places, vehicles and groups, and the details added to them.

Field names are the subjects app's entry fields (with the entry's prefix: `address_postcode`
is `AddressEntry.postcode` cleaned with prefix "address_"), so the errors the entries raise
land on the fields that caused them. The forms check shape only (dates are dates, lengths);
the entries' `cleaned(today)` are the one source of every rule."""

from __future__ import annotations

from django import forms

from ...govuk_forms import GovukForm
from ...subjects.entries import (
    AddressEntry,
    ContactEntry,
    FlagEntry,
    GroupDetails,
    IdentifierEntry,
    LinkEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    SpecialCategoryEntry,
    VehicleDetails,
)
from ...subjects.vocabulary import (
    ContactType,
    Disability,
    Ethnicity,
    FlagType,
    Gender,
    GroupType,
    IdentifierType,
    LinkType,
    NameType,
    PlaceType,
    Religion,
    SexualOrientation,
)
from . import fields as f


def _v(form: forms.Form, name: str, default=""):
    value = form.cleaned_data.get(name)
    return default if value is None else value


class PersonForm(f.Grouped, GovukForm):
    """A new person: a main name, a date of birth or an estimated age, and what else is known
    at the door (one address, one identifier, one other name); the rest is added after."""

    GROUPS = (
        ("Name", ("given_names", "family_name")),
        ("Age and gender", ("date_of_birth", "estimated_age", "gender", "gender_description")),
        (
            "Another name they use (optional)",
            ("alias_given_names", "alias_family_name", "alias_type"),
        ),
        (
            "Address (optional)",
            ("address_line_1", "address_line_2", "address_town", "address_postcode"),
        ),
        (
            "Identifier (optional)",
            ("identifier_type", "identifier_value", "identifier_issued_by", "identifier_label"),
        ),
    )

    given_names = f.text("First and middle names", max_length=100)
    family_name = f.text("Family name", required=True, max_length=100)
    date_of_birth = f.day("Date of birth", help_text="Leave empty if it is not known")
    estimated_age = forms.IntegerField(
        label="Estimated age in years",
        required=False,
        min_value=0,
        max_value=130,
        help_text="Only when the date of birth is not known",
        widget=forms.NumberInput(attrs=f.NUMBER),
    )
    gender = f.choice("Gender", Gender.choices, required=False, blank="Not recorded")
    gender_description = f.text(
        "Gender, in their words",
        max_length=100,
        help_text="When they describe their gender another way",
    )
    alias_given_names = f.text("Other first names", max_length=100)
    alias_family_name = f.text(
        "Other family name", max_length=100, help_text="An alias, a previous or maiden name"
    )
    alias_type = f.choice(
        "This other name is", [c for c in NameType.choices if c[0] != NameType.MAIN], required=False
    )
    address_line_1 = f.text("Address line 1")
    address_line_2 = f.text("Address line 2")
    address_town = f.text("Town or city")
    address_postcode = f.text("Postcode", max_length=10, short=True)
    identifier_type = f.choice(
        "Identifier type", IdentifierType.choices, required=False, blank="No identifier"
    )
    identifier_value = f.text(
        "Identifier", max_length=40, short=True, help_text="For example an NHS number or a PNC ID"
    )
    identifier_issued_by = f.text(
        "Issued by", max_length=100, help_text="For a local authority id: which authority"
    )
    identifier_label = f.text(
        "What the identifier is", max_length=100, help_text="For another kind of identifier"
    )

    def entries(self, today) -> dict:
        """The entries this form holds, for `create_person` and the similar-subject check."""
        age = self.cleaned_data.get("estimated_age")
        out = {
            "name": NameEntry(_v(self, "given_names"), _v(self, "family_name")),
            "details": PersonDetails(
                date_of_birth=self.cleaned_data.get("date_of_birth"),
                estimated_age=age,
                age_estimated_on=today if age is not None else None,
                gender=_v(self, "gender"),
                gender_description=_v(self, "gender_description"),
            ),
            "other_names": [],
            "addresses": [],
            "identifiers": [],
        }
        if _v(self, "alias_family_name") or _v(self, "alias_given_names"):
            out["other_names"].append(
                NameEntry(
                    _v(self, "alias_given_names"),
                    _v(self, "alias_family_name"),
                    _v(self, "alias_type") or NameType.ALIAS,
                )
            )
        address = AddressEntry(
            line_1=_v(self, "address_line_1"),
            line_2=_v(self, "address_line_2"),
            town=_v(self, "address_town"),
            postcode=_v(self, "address_postcode"),
        )
        if any((address.line_1, address.line_2, address.town, address.postcode)):
            out["addresses"].append(address)
        if _v(self, "identifier_type") or _v(self, "identifier_value"):
            out["identifiers"].append(
                IdentifierEntry(
                    type=_v(self, "identifier_type") or IdentifierType.OTHER,
                    value=_v(self, "identifier_value"),
                    issued_by=_v(self, "identifier_issued_by"),
                    label=_v(self, "identifier_label"),
                )
            )
        return out

    # Where the entries' own error keys land on this form.
    ALIASES = {
        "other_names-0-given_names": "alias_given_names",
        "other_names-0-family_name": "alias_family_name",
        "other_names-0-type": "alias_type",
        "addresses-0-line_1": "address_line_1",
        "addresses-0-line_2": "address_line_2",
        "addresses-0-town": "address_town",
        "addresses-0-postcode": "address_postcode",
        "identifiers-0-type": "identifier_type",
        "identifiers-0-value": "identifier_value",
        "identifiers-0-issued_by": "identifier_issued_by",
        "identifiers-0-label": "identifier_label",
        "postcode": "address_postcode",
        "age_estimated_on": "estimated_age",
    }


class PersonDetailsForm(GovukForm):
    date_of_birth = PersonForm.base_fields["date_of_birth"]
    estimated_age = PersonForm.base_fields["estimated_age"]
    gender = PersonForm.base_fields["gender"]
    gender_description = PersonForm.base_fields["gender_description"]
    version = f.version()

    def entry(self, today) -> PersonDetails:
        age = self.cleaned_data.get("estimated_age")
        return PersonDetails(
            date_of_birth=self.cleaned_data.get("date_of_birth"),
            estimated_age=age,
            age_estimated_on=today if age is not None else None,
            gender=_v(self, "gender"),
            gender_description=_v(self, "gender_description"),
        )


class PlaceForm(f.Grouped, GovukForm):
    GROUPS = (
        ("The place", ("place_type", "name")),
        ("Address", ("line_1", "line_2", "town", "postcode", "uprn")),
        ("Where it is (optional)", ("latitude", "longitude")),
    )

    place_type = f.choice("Type of place", PlaceType.choices, radios=True)
    name = f.text("Name of the place", help_text="For example the name of a pub, shop or park")
    line_1 = f.text("Address line 1")
    line_2 = f.text("Address line 2")
    town = f.text("Town or city")
    postcode = f.text("Postcode", max_length=10, short=True)
    uprn = f.text(
        "UPRN",
        max_length=12,
        short=True,
        help_text="The Unique Property Reference Number, when known",
    )
    latitude = forms.FloatField(
        label="Latitude", required=False, widget=forms.NumberInput(attrs={**f.SHORT, "step": "any"})
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        widget=forms.NumberInput(attrs={**f.SHORT, "step": "any"}),
        help_text="With the latitude: the ward and LSOA are worked out",
    )

    def entry(self, today) -> PlaceDetails:
        return PlaceDetails(
            place_type=_v(self, "place_type"),
            name=_v(self, "name"),
            line_1=_v(self, "line_1"),
            line_2=_v(self, "line_2"),
            town=_v(self, "town"),
            postcode=_v(self, "postcode"),
            uprn=_v(self, "uprn"),
            latitude=self.cleaned_data.get("latitude"),
            longitude=self.cleaned_data.get("longitude"),
        )

    ALIASES: dict = {}


class PlaceEditForm(PlaceForm):
    version = f.version()


class VehicleForm(GovukForm):
    vrm = f.text(
        "Registration mark (VRM)",
        required=True,
        max_length=20,
        short=True,
        help_text="With or without spaces, for example AB12 CDE",
    )
    make = f.text("Make", max_length=100)
    model = f.text("Model", max_length=100)
    colour = f.text("Colour", max_length=100)

    def entry(self, today) -> VehicleDetails:
        return VehicleDetails(
            vrm=_v(self, "vrm"),
            make=_v(self, "make"),
            model=_v(self, "model"),
            colour=_v(self, "colour"),
        )

    ALIASES: dict = {}


class VehicleEditForm(VehicleForm):
    version = f.version()


class GroupForm(GovukForm):
    group_type = f.choice("Type of group", GroupType.choices, radios=True)
    name = f.text("Name of the group", required=True)
    description = f.area("Description", required=False, max_length=1000)

    def entry(self, today) -> GroupDetails:
        return GroupDetails(
            group_type=_v(self, "group_type"),
            name=_v(self, "name"),
            description=_v(self, "description"),
        )

    ALIASES: dict = {}


class GroupEditForm(GroupForm):
    version = f.version()


# --- details added to a subject ----------------------------------------------------------------


class NameForm(GovukForm):
    given_names = f.text("First and middle names", max_length=100)
    family_name = f.text("Family name", required=True, max_length=100)
    type = f.choice("This name is", NameType.choices, radios=True)
    used_from = f.day("Used from")
    used_to = f.day("Used until")
    version = f.version()

    def entry(self, today) -> NameEntry:
        return NameEntry(
            _v(self, "given_names"),
            _v(self, "family_name"),
            _v(self, "type"),
            self.cleaned_data.get("used_from"),
            self.cleaned_data.get("used_to"),
        )


class AddressForm(GovukForm):
    line_1 = f.text("Address line 1")
    line_2 = f.text("Address line 2")
    town = f.text("Town or city")
    postcode = f.text("Postcode", max_length=10, short=True)
    lived_from = f.day("Lived there from")
    lived_to = f.day("Lived there until", help_text="Leave empty if they live there now")
    version = f.version()

    def entry(self, today) -> AddressEntry:
        return AddressEntry(
            line_1=_v(self, "line_1"),
            line_2=_v(self, "line_2"),
            town=_v(self, "town"),
            postcode=_v(self, "postcode"),
            lived_from=self.cleaned_data.get("lived_from"),
            lived_to=self.cleaned_data.get("lived_to"),
        )


class ContactForm(GovukForm):
    type = f.choice("Type", ContactType.choices, radios=True)
    value = f.text("Number or address", required=True, max_length=254)
    note = f.text("Note", help_text="For example: only after 6pm")
    version = f.version()

    def entry(self, today) -> ContactEntry:
        return ContactEntry(_v(self, "type"), _v(self, "value"), _v(self, "note"))


class IdentifierForm(GovukForm):
    type = f.choice("Identifier type", IdentifierType.choices)
    value = f.text("Identifier", required=True, max_length=40, short=True)
    issued_by = PersonForm.base_fields["identifier_issued_by"]
    label = PersonForm.base_fields["identifier_label"]
    version = f.version()

    def entry(self, today) -> IdentifierEntry:
        return IdentifierEntry(
            _v(self, "type"), _v(self, "value"), _v(self, "issued_by"), _v(self, "label")
        )


class FlagForm(GovukForm):
    type = f.choice("Flag", FlagType.choices)
    description = f.text("Description", help_text="Needed for an “Other” flag")
    valid_from = f.day("From")
    valid_to = f.day("Until", help_text="Leave empty while it applies")
    version = f.version()

    def entry(self, today) -> FlagEntry:
        return FlagEntry(
            _v(self, "type"),
            _v(self, "description"),
            self.cleaned_data.get("valid_from"),
            self.cleaned_data.get("valid_to"),
        )


class SpecialCategoryForm(GovukForm):
    ethnicity = f.choice("Ethnicity", Ethnicity.choices, required=False, blank="Not recorded")
    disability = f.choice("Disability", Disability.choices, required=False, blank="Not recorded")
    religion = f.choice("Religion", Religion.choices, required=False, blank="Not recorded")
    sexual_orientation = f.choice(
        "Sexual orientation", SexualOrientation.choices, required=False, blank="Not recorded"
    )
    version = f.version()

    def entry(self, today) -> SpecialCategoryEntry:
        return SpecialCategoryEntry(
            _v(self, "ethnicity"),
            _v(self, "disability"),
            _v(self, "religion"),
            _v(self, "sexual_orientation"),
        )


class LinkForm(GovukForm):
    type = f.choice("Link", LinkType.choices)
    other = forms.IntegerField(
        label="Record number of the other subject",
        min_value=1,
        help_text="The number at the top of its page (search for it first)",
        widget=forms.NumberInput(attrs=f.SHORT),
    )
    reverse = f.yes(
        "Read the link from the other subject",
        help_text="For example: the other subject is the parent of this one",
    )
    started_on = f.day("Started on")
    ended_on = f.day("Ended on")
    note = f.text("Note")
    version = f.version()

    def entry(self, today) -> LinkEntry:
        return LinkEntry(
            _v(self, "type"),
            self.cleaned_data.get("started_on"),
            self.cleaned_data.get("ended_on"),
            _v(self, "note"),
        )


DETAIL_FORMS = {
    "name": (NameForm, "Add a name"),
    "address": (AddressForm, "Add an address"),
    "contact": (ContactForm, "Add a contact detail"),
    "identifier": (IdentifierForm, "Add an identifier"),
    "flag": (FlagForm, "Add a flag"),
    "link": (LinkForm, "Link to another subject"),
}


class MergeChoiceForm(GovukForm):
    other = forms.IntegerField(
        label="Record number of the other record",
        min_value=1,
        widget=forms.NumberInput(attrs=f.SHORT),
        help_text="One of the similar records below, or the number of another",
    )


class MergeForm(GovukForm):
    keep = f.choice(
        "Which record is kept",
        [("this", "Keep this record"), ("other", "Keep the other record")],
        radios=True,
        help_text="The other is merged into it: its names, addresses, cases and links move "
        "to the one kept, and both histories stay",
    )
    reason = f.area("Why these are the same", max_length=1000)
    version = f.version()
    other_version = f.version()


class UnmergeForm(GovukForm):
    reason = f.area("Why the merge is undone", max_length=1000)


# --- ending, removing and correcting details ---------------------------------------------------


class EndDetailForm(GovukForm):
    """The day a name, address or flag stopped being true (it stays, as history)."""

    ended_on = f.day("Ended on", required=True, help_text="Today or a day in the past")
    version = f.version()

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["ended_on"].label = label
            self.fields["ended_on"].error_messages["required"] = "Enter the date it ended"


class RemoveDetailForm(GovukForm):
    """A detail entered in error is deleted; why is kept in the audit log."""

    reason = f.area(
        "Why it was entered in error",
        max_length=500,
        rows=3,
        help_text="For example: typed on the wrong record. Something that was true and has "
        "ended is ended, not removed",
    )
    version = f.version()


class ConfirmForm(GovukForm):
    """A confirmation with nothing to type: only the version the person saw."""

    version = f.version()
