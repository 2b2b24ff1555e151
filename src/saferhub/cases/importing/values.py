"""One cell into one value, as partners write them: dates, genders, roles, kinds of record,
place and group types, case statuses. Pure functions; each raises `ValueError` with a message
that says what was expected and what was found (the row and column are added by rows.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from ...subjects.vocabulary import Gender, GroupType, Kind, PlaceType
from ..models import Role, Status


def key(text: object) -> str:
    """Text as compared with a list of words: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def cell_text(value: object) -> str:
    """A cell's value as text. A whole number stays whole (Excel stores 12345 as 12345.0);
    a date without a time is written as a date; a formula is its own text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | int | float):
        return str(value)
    return str(getattr(value, "text", None) or value).strip()  # openpyxl's array formulas


def is_formula(value: object) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or hasattr(value, "text")


# --- dates -------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([a-z]+)\.?,?[\s\-/]+(\d{2}|\d{4})")
DATE_FORMS = "DD/MM/YYYY, YYYY-MM-DD or 4 March 1990"


def parse_date(value: object) -> date | None:
    """A date from a spreadsheet's own date, YYYY-MM-DD, DD/MM/YYYY (also with - or .), or
    "4 March 1990" / "4-Mar-1990"; None for a blank cell. Day first, as in the UK: 03/04/1990
    is 3 April. A two-digit year is refused: 05/06/07 could be 1907 or 2007."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError(
            f"expected a date ({DATE_FORMS}); found the number {cell_text(value)}: format the "
            "column as dates in Excel, or write the dates out"
        )
    text = " ".join(cell_text(value).lower().split())
    if not text:
        return None
    year = month = day = None
    if m := _ISO.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _NUMERIC.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), m[3]
    elif (m := _WORDS.fullmatch(text)) and m[2] in MONTHS:
        day, month, year = int(m[1]), MONTHS[m[2]], m[3]
    if year is None:
        raise ValueError(f"expected a date ({DATE_FORMS}); found “{cell_text(value)}”")
    if isinstance(year, str):
        if len(year) == 2:
            raise ValueError(
                f"“{cell_text(value)}” has a two-digit year: write the year in full (DD/MM/YYYY)"
            )
        year = int(year)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"“{cell_text(value)}” is not a real date (day first: {DATE_FORMS})"
        ) from None


def extra_value(spec, value: object) -> object:
    """A business area field's cell as `cases.schema.clean_values` takes it: a date read as
    partners write dates, a choice matched whatever its case, Y/N as yes/no."""
    kind = str(spec.type)
    if kind == "date":
        return parse_date(value)
    if kind == "choice":
        text = cell_text(value)
        return next((c for c in spec.choices if key(c) == key(text)), text)
    if kind == "bool" and isinstance(value, str):
        return {"y": "yes", "n": "no"}.get(key(value), value)
    return value


def parse_int(value: object) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,3}", text):
        raise ValueError(f"expected a whole number of years; found “{text}”")
    return int(text)


def parse_number(value: object) -> float | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"expected a number; found “{text}”") from None


# --- words -------------------------------------------------------------------------------------


def _lookup(words: dict[str, str], choices, what: str):
    """A parser for one vocabulary: each choice by its value and label, plus `words`."""
    table = {key(v): v for v in choices.values}
    table |= {key(label): v for v, label in choices.choices}
    table |= {key(w): v for w, v in words.items()}
    accepted = ", ".join(label for _, label in choices.choices)

    def parse(value: object) -> str:
        text = cell_text(value)
        if not text:
            return ""
        found = table.get(key(text))
        if found is None:
            raise ValueError(f"expected {what} ({accepted}); found “{text}”")
        return found

    return parse


parse_gender = _lookup(
    {
        "m": Gender.MALE,
        "man": Gender.MALE,
        "f": Gender.FEMALE,
        "woman": Gender.FEMALE,
        "nb": Gender.NON_BINARY,
        "nonbinary": Gender.NON_BINARY,
        "u": Gender.NOT_KNOWN,
        "unknown": Gender.NOT_KNOWN,
        "nk": Gender.NOT_KNOWN,
        "notstated": Gender.NOT_STATED,
        "prefernottosay": Gender.NOT_STATED,
        "declined": Gender.NOT_STATED,
    },
    Gender,
    "a gender",
)

parse_role = _lookup(
    {
        "victims": Role.VICTIM,
        "injuredparty": Role.VICTIM,
        "ip": Role.VICTIM,
        "survivor": Role.VICTIM,
        "allegedperpetrator": Role.PERPETRATOR,
        "ap": Role.PERPETRATOR,
        "perp": Role.PERPETRATOR,
        "offender": Role.PERPETRATOR,
        "suspect": Role.PERPETRATOR,
        "nominal": Role.PERPETRATOR,
        "reporter": Role.COMPLAINANT,
        "reportingperson": Role.COMPLAINANT,
        "caller": Role.COMPLAINANT,
        "associatedperson": Role.ASSOCIATE,
        "linkedperson": Role.ASSOCIATE,
        "place": Role.LOCATION,
        "address": Role.LOCATION,
        "premises": Role.LOCATION,
    },
    Role,
    "a role on the case",
)

parse_kind = _lookup(
    {
        "people": Kind.PERSON,
        "individual": Kind.PERSON,
        "nominal": Kind.PERSON,
        "client": Kind.PERSON,
        "location": Kind.PLACE,
        "premises": Kind.PLACE,
        "address": Kind.PLACE,
        "property": Kind.PLACE,
        "car": Kind.VEHICLE,
        "van": Kind.VEHICLE,
        "motorbike": Kind.VEHICLE,
        "motorcycle": Kind.VEHICLE,
        "gang": Kind.GROUP,
        "ocg": Kind.GROUP,
        "family": Kind.GROUP,
        "household": Kind.GROUP,
    },
    Kind,
    "the type of record",
)

parse_place_type = _lookup(
    {
        "house": PlaceType.DWELLING,
        "flat": PlaceType.DWELLING,
        "home": PlaceType.DWELLING,
        "residential": PlaceType.DWELLING,
        "residence": PlaceType.DWELLING,
        "pub": PlaceType.LICENSED_PREMISES,
        "bar": PlaceType.LICENSED_PREMISES,
        "club": PlaceType.LICENSED_PREMISES,
        "nightclub": PlaceType.LICENSED_PREMISES,
        "licensed": PlaceType.LICENSED_PREMISES,
        "retail": PlaceType.SHOP,
        "store": PlaceType.SHOP,
        "openspace": PlaceType.PARK,
        "park": PlaceType.PARK,
        "road": PlaceType.STREET,
        "alley": PlaceType.STREET,
        "alleyway": PlaceType.STREET,
    },
    PlaceType,
    "a type of place",
)

parse_group_type = _lookup(
    {"organisedcrimegroup": GroupType.ORGANISED_CRIME_GROUP, "streetgang": GroupType.GANG},
    GroupType,
    "a type of group",
)

parse_status = _lookup(
    {
        "live": Status.OPEN,
        "active": Status.OPEN,
        "current": Status.OPEN,
        "new": Status.OPEN,
        "review": Status.UNDER_REVIEW,
        "inreview": Status.UNDER_REVIEW,
        "pendingreview": Status.UNDER_REVIEW,
        "complete": Status.CLOSED,
        "completed": Status.CLOSED,
        "finished": Status.CLOSED,
        "ended": Status.CLOSED,
        "archived": Status.CLOSED,
    },
    Status,
    "a case status",
)

# Which kind of record a group type word makes, when a "Type" column says "Family".
GROUP_WORDS = {"family": GroupType.FAMILY, "household": GroupType.HOUSEHOLD, "gang": GroupType.GANG}


def split_name(text: str) -> tuple[str, str]:
    """(given names, family name) from one "Name" cell: "SMITH, John Paul" (the police's
    order, surname first before a comma) or "John Paul Smith" (the last word the surname)."""
    text = " ".join(text.split())
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip(), family.strip()
    words = text.split(" ")
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def split_list(text: str) -> list[str]:
    """The items of a cell that holds several ("Violent to staff; Interpreter needed")."""
    return [part.strip() for part in re.split(r"[;\n|]", text) if part.strip()]
