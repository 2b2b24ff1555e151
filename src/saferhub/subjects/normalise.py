"""Normalising and checking what people type about subjects: pure functions, no database.

Each checker takes the text as entered and returns the stored form, or raises Django's
`ValidationError` keyed by the field it was given, so a form shows the message beside the
field and an import names the column. The matching keys (phonetic name keys, the look-alike
VRM) are worked out here too, once, when a row is written: the similar-subject check then
looks them up in indexed columns instead of scoring every row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import jellyfish
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .vocabulary import IdentifierType

# ---------------------------------------------------------------------------------------------
# Errors


def invalid(field: str, message: str) -> ValidationError:
    """A problem with one field, keyed by the field's name."""
    return ValidationError({field: [message]})


class Problems:
    """Every problem with one entry, gathered so a form or an import row shows them all at
    once: `check` runs a checker and keeps its error, `done` raises them together."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(self.prefix + field, []).append(message)

    def check(self, checker, *args, **kwargs):
        try:
            return checker(*args, **kwargs)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add(field, message)
            return None

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# ---------------------------------------------------------------------------------------------
# Text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")


def text(value: str | None, field: str, *, max_length: int, required: bool = False) -> str:
    """Trimmed text with runs of spaces made one; control characters and over-long text
    refused."""
    value = _SPACE.sub(" ", (value or "")).strip()
    if _CONTROL.search(value):
        raise invalid(field, "Remove the control characters (pasted from another system?)")
    if required and not value:
        raise invalid(field, "Enter a value")
    if len(value) > max_length:
        raise invalid(field, f"Must be {max_length} characters or fewer")
    return value


def fold(value: str) -> str:
    """Lower case without accents: "Siân O'Brien" → "sian o'brien"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_LETTER = re.compile(r"[^a-z]+")


def name_tokens(value: str) -> list[str]:
    """The words of a name as letters only: "O'Brien-Smith" → ["obrien", "smith"]."""
    folded = _APOSTROPHES.sub("", fold(value))
    return [t for t in _NOT_LETTER.split(folded) if t]


def search_name(given_names: str, family_name: str) -> str:
    """A name as one folded string ("jonathan paul whitaker"), for trigram and fuzzy matching."""
    return " ".join([*name_tokens(given_names), *name_tokens(family_name)])


# ---------------------------------------------------------------------------------------------
# Names: phonetic keys

# Common English short forms, read as the full name when names are compared and keyed, so
# "Bill Smith" is found for "William Smith".
NICKNAMES: dict[str, str] = {
    short: full
    for full, shorts in {
        "william": "bill billy will willy liam",
        "robert": "bob bobby rob robbie bert",
        "james": "jim jimmy jamie",
        "michael": "mike mick mickey micky",
        "david": "dave davey",
        "thomas": "tom tommy",
        "anthony": "tony",
        "christopher": "chris",
        "catherine": "kate katie cathy kathy",
        "elizabeth": "liz lizzie beth betty bess",
        "margaret": "maggie meg peggy",
        "jennifer": "jen jenny",
        "samuel": "sam sammy",
        "daniel": "dan danny",
        "matthew": "matt",
        "stephen": "steve stevie",
        "nicholas": "nick nicky",
        "benjamin": "ben benny",
        "alexander": "alex",
        "andrew": "andy drew",
        "peter": "pete",
        "joseph": "joe joey",
        "edward": "ed eddie ted teddy",
        "susan": "sue suzy",
        "deborah": "debbie debs",
        "rebecca": "becky becca",
        "victoria": "vicky vicki tori",
        "patricia": "pat patty trish",
        "richard": "rich richie dick",
        "charles": "charlie chas",
        "frederick": "fred freddie",
        "jacqueline": "jackie",
        "kimberley": "kim",
        "abigail": "abby abbie",
    }.items()
    for short in shorts.split()
}


def given_form(token: str) -> str:
    """The full form of a first name's short form (itself otherwise)."""
    return NICKNAMES.get(token, token)


def metaphone(token: str) -> str:
    return (jellyfish.metaphone(token) or token)[:16].upper()


def nysiis(token: str) -> str:
    return (jellyfish.nysiis(token) or token)[:16].upper()


def _given_code(token: str, code) -> str:
    # An initial keys as itself ("=J"), so "J Smith" is found from "John Smith" without
    # every Smith whose first name merely sounds like a J.
    return f"={token.upper()}" if len(token) == 1 else code(token)


def _family_forms(family_name: str) -> list[str]:
    """The family name whole and, when it has parts ("Smith-Jones"), each part."""
    tokens = name_tokens(family_name)
    if not tokens:
        return []
    return list(dict.fromkeys(["".join(tokens), *tokens]))


def _given_tokens(given_names: str) -> list[str]:
    return list(dict.fromkeys(given_form(t) for t in name_tokens(given_names)))


def name_keys(given_names: str, family_name: str) -> set[str]:
    """The keys one stored name is found by (each an indexed `NameKey` row):

    - `f:` / `fn:` the family name's metaphone / NYSIIS code: a search by surname alone;
    - `p:` / `pn:` family code + one first name's code, for every first name: the similar-
      subject check, so "Paul Jonathan Whittaker" finds "Jonathan Paul Whitaker";
    - `pi:` family code + a first name's initial: a search for "J Whitaker".
    """
    keys: set[str] = set()
    given = _given_tokens(given_names)
    for family in _family_forms(family_name):
        m, n = metaphone(family), nysiis(family)
        keys |= {f"f:{m}", f"fn:{n}"}
        for token in given:
            keys.add(f"p:{m}:{_given_code(token, metaphone)}")
            keys.add(f"pn:{n}:{_given_code(token, nysiis)}")
            keys.add(f"pi:{m}:{token[0].upper()}")
    return keys


def query_name_keys(given_names: str, family_name: str) -> set[str]:
    """The keys to look up for a name being checked or searched for: its family + first name
    pairs both ways round (a surname typed as a first name still matches), each first name's
    initial against stored initials, and the family name alone only when no first name is
    given (a surname alone is a broad search, the check never needs it)."""
    given = _given_tokens(given_names)
    families = _family_forms(family_name)
    if not given:
        keys = set()
        for family in families:
            keys |= {f"f:{metaphone(family)}", f"fn:{nysiis(family)}"}
        return keys
    keys = set()
    for family in families:
        m, n = metaphone(family), nysiis(family)
        for token in given:
            if len(token) == 1:
                keys.add(f"pi:{m}:{token.upper()}")
                continue
            keys |= {f"p:{m}:{metaphone(token)}", f"pn:{n}:{nysiis(token)}"}
            keys.add(f"p:{m}:={token[0].upper()}")
    # Given and family the wrong way round.
    for token in given:
        if len(token) > 1:
            for family in families:
                keys.add(f"p:{metaphone(token)}:{_given_code(family, metaphone)}")
    return keys


def group_name_keys(name: str) -> set[str]:
    """A group's name keyed whole (`gw:`) and by each longer word (`gt:`)."""
    tokens = name_tokens(name)
    if not tokens:
        return set()
    keys = {f"gw:{metaphone(''.join(tokens))}"}
    keys |= {f"gt:{metaphone(t)}" for t in tokens if len(t) >= 4}
    return keys


# ---------------------------------------------------------------------------------------------
# Dates

MAX_AGE = 120


def birth_date(value: date | None, field: str = "date_of_birth", *, today: date) -> date | None:
    """A date of birth: not in the future, not more than 120 years ago."""
    if value is None:
        return None
    if value > today:
        raise invalid(field, "Date of birth must be today or in the past")
    if (today.year - value.year) > MAX_AGE:
        raise invalid(field, f"Date of birth must be within the last {MAX_AGE} years")
    return value


def estimated_age(
    age: int | None,
    estimated_on: date | None,
    *,
    today: date,
    field: str = "estimated_age",
    on_field: str = "age_estimated_on",
) -> tuple[int | None, date | None]:
    """An estimated age and the day it was estimated (needed: an age goes out of date)."""
    if age is None:
        if estimated_on is not None:
            raise invalid(field, "Enter the estimated age, or remove the date it was estimated")
        return None, None
    if isinstance(age, bool) or not isinstance(age, int):
        raise invalid(field, "Estimated age must be a whole number of years")
    if not 0 <= age <= MAX_AGE:
        raise invalid(field, f"Estimated age must be between 0 and {MAX_AGE}")
    if estimated_on is None:
        raise invalid(on_field, "Enter the date the age was estimated")
    if estimated_on > today:
        raise invalid(on_field, "The date the age was estimated must be today or in the past")
    return age, estimated_on


def birth_years(age: int, estimated_on: date) -> tuple[int, int]:
    """The years of birth an estimated age allows, a year either side for the estimate."""
    latest = estimated_on.year - age
    return latest - 2, latest + 1


def transposed(value: date | None) -> date | None:
    """The date with day and month swapped (3 April for 4 March), when that is a date and
    differs; a common keying error."""
    if value is None or value.day > 12 or value.day == value.month:
        return None
    try:
        return value.replace(month=value.day, day=value.month)
    except ValueError:
        return None


def date_range(
    start: date | None, end: date | None, *, start_field: str, end_field: str, today: date
) -> None:
    """A from/to pair of dates: the start not in the future, the end not before the start."""
    if start is not None and start > today:
        raise invalid(start_field, "The start date must be today or in the past")
    if start is not None and end is not None and end < start:
        raise invalid(end_field, "The end date must be the same as or after the start date")


# ---------------------------------------------------------------------------------------------
# Places


_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_OUTWARD_ONLY = re.compile(rf"^{_OUTWARD}$")


def postcode(value: str | None, field: str = "postcode") -> str:
    """A UK postcode as Royal Mail writes it ("NB1 2AB"), from any spacing or case; "" when
    blank."""
    compact = re.sub(r"\s+", "", (value or "")).upper()
    if not compact:
        return ""
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if not match:
        raise invalid(field, "Enter a real UK postcode, like NB1 2AB")
    return f"{match.group(1)} {match.group(2)}"


def postcode_or_blank(value: str) -> str:
    """The postcode when `value` is one, else "" (no error)."""
    try:
        return postcode(value)
    except ValidationError:
        return ""


def outward_code(value: str) -> str | None:
    """The outward part ("NB1") when that is all `value` is, for searching a district."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return compact if _OUTWARD_ONLY.match(compact) else None


def uprn(value: str | int | None, field: str = "uprn") -> str:
    """A Unique Property Reference Number: 1 to 12 digits, stored without leading zeros."""
    raw = re.sub(r"\s+", "", str(value if value is not None else ""))
    if not raw:
        return ""
    if not raw.isdigit() or not raw.isascii():
        raise invalid(field, "UPRN must be digits only (up to 12)")
    digits = raw.lstrip("0")
    if not digits or len(digits) > 12:
        raise invalid(field, "UPRN must be a number of 1 to 12 digits, not zero")
    return digits


_ABBREVIATIONS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "flt": "flat",
    "apt": "flat",
    "apartment": "flat",
    "ho": "house",
}
_ADDRESS_WORD = re.compile(r"[a-z0-9]+")


def address_key(*lines: str) -> str:
    """An address as folded words with the usual abbreviations written out ("12 high st" →
    "12 high street"), for matching and searching."""
    words = _ADDRESS_WORD.findall(fold(" ".join(lines)))
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


# Great Britain's extent in the British National Grid, and in latitude and longitude.
EASTING_RANGE = (0.0, 700_000.0)
NORTHING_RANGE = (0.0, 1_300_000.0)
LATITUDE_RANGE = (49.8, 61.0)
LONGITUDE_RANGE = (-8.7, 1.8)


def coordinate(value: float | str | None, field: str, bounds: tuple[float, float]) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise invalid(field, "Enter a number") from None
    if not bounds[0] <= number <= bounds[1]:
        raise invalid(field, f"Must be between {bounds[0]:g} and {bounds[1]:g} (Great Britain)")
    return number


# ---------------------------------------------------------------------------------------------
# Vehicles

_VRM = re.compile(r"^[A-Z0-9]{1,10}$")
_LOOKALIKE = str.maketrans({"O": "0", "Q": "0", "I": "1", "S": "5", "B": "8", "Z": "2"})


def vrm(value: str | None, field: str = "vrm") -> str:
    """A vehicle registration mark as one upper-case run ("ab12 cde" → "AB12CDE")."""
    compact = re.sub(r"[\s\-]+", "", value or "").upper()
    if not compact:
        raise invalid(field, "Enter the registration mark (VRM)")
    if not _VRM.match(compact):
        raise invalid(field, "A registration mark has letters and numbers only, up to 10")
    return compact


def vrm_lookalike(normalised: str) -> str:
    """The VRM with look-alike characters made one (O and Q → 0, I → 1, S → 5, B → 8, Z → 2):
    "AB12 CDE" misread as "A812 CDE" still matches."""
    return normalised.translate(_LOOKALIKE)


def vrm_display(normalised: str) -> str:
    """A current-style UK mark with its space ("AB12CDE" → "AB12 CDE"); others as they are."""
    if re.match(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$", normalised):
        return f"{normalised[:4]} {normalised[4:]}"
    return normalised


# ---------------------------------------------------------------------------------------------
# Identifiers

PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"  # the PNC and CRO check characters: mod 23 into these


def _check_letter(number: str) -> str:
    return PNC_LETTERS[int(number) % 23]


def nhs_number(value: str, field: str = "value") -> str:
    """An NHS number: 10 digits whose last is the modulus 11 check digit of the first nine
    (weights 10 down to 2). Stored as the 10 digits."""
    digits = re.sub(r"[\s\-]+", "", value or "")
    if not (len(digits) == 10 and digits.isdigit() and digits.isascii()):
        raise invalid(field, "An NHS number is 10 digits, like 943 476 5919")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise invalid(field, "This is not a valid NHS number: check the digits")
    return digits


def nhs_display(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


_PNC = re.compile(r"^(\d{2}|\d{4})/?(\d{1,7})([A-Z])$")


def pnc_id(value: str, field: str = "value") -> str:
    """A Police National Computer ID, written YY/NNNNNNNX: the year, a serial number of up to
    seven digits (padded with zeros) and a check letter. A four-digit year is accepted and
    written as two."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = _PNC.match(compact)
    if not match:
        raise invalid(field, "A PNC ID is written like 12/1234567X (year / number, check letter)")
    year, serial, letter = match.group(1)[-2:], match.group(2).zfill(7), match.group(3)
    if _check_letter(year + serial) != letter:
        raise invalid(field, "This is not a valid PNC ID: the check letter does not match")
    return f"{year}/{serial}{letter}"


_CRO = re.compile(r"^(\d{1,6})/(\d{2})([A-Z])$")
_CRO_SF = re.compile(r"^SF(\d{2})/(\d{1,6})([A-Z])$")


def cro_number(value: str, field: str = "value") -> str:
    """A Criminal Records Office number: NNNNNN/YYX (serial, year, check letter), or the
    SF form (SFYY/NNNNNNX) for records made without fingerprints."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if match := _CRO.match(compact):
        serial, year, letter = match.group(1).zfill(6), match.group(2), match.group(3)
        if _check_letter(year + serial) == letter:
            return f"{serial}/{year}{letter}"
    elif match := _CRO_SF.match(compact):
        year, serial, letter = match.group(1), match.group(2).lstrip("0") or "0", match.group(3)
        if _check_letter(year + serial) == letter:
            return f"SF{year}/{serial.zfill(6)}{letter}"
    else:
        raise invalid(field, "A CRO number is written like 123456/12X or SF12/123456X")
    raise invalid(field, "This is not a valid CRO number: the check letter does not match")


_NINO = re.compile(r"^([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$")
_NINO_UNUSED_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino(value: str, field: str = "value") -> str:
    """A National Insurance number: two letters, six digits, a letter A to D."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = _NINO.match(compact)
    if not match or match.group(1) in _NINO_UNUSED_PREFIXES:
        raise invalid(field, "A National Insurance number is written like QQ 12 34 56 C")
    return compact


_LOCAL_ID = re.compile(r"^[A-Z0-9][A-Z0-9/\-.]{0,39}$")


def local_id(value: str, field: str = "value") -> str:
    """An id from an agency's own system (a council's case number): letters, digits, / - .,
    upper case, up to 40."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        raise invalid(field, "Enter the identifier")
    if not _LOCAL_ID.match(compact):
        raise invalid(field, "Use letters, numbers, / - and . only (up to 40 characters)")
    return compact


def identifier(kind: str, value: str, field: str = "value") -> str:
    """An identifier of `kind` (an IdentifierType) in its stored form."""
    checkers = {
        IdentifierType.NHS: nhs_number,
        IdentifierType.PNC: pnc_id,
        IdentifierType.CRO: cro_number,
        IdentifierType.NINO: nino,
        IdentifierType.LOCAL_AUTHORITY: local_id,
        IdentifierType.OTHER: local_id,
    }
    if kind not in checkers:
        raise invalid("type", "Choose the kind of identifier")
    return checkers[kind](value, field)


# ---------------------------------------------------------------------------------------------
# Contact details

_PHONE = re.compile(r"^\+?[0-9]{10,15}$")


def phone(value: str, field: str = "value") -> str:
    """A phone number as digits (a leading + kept): spaces, dashes and brackets dropped."""
    compact = re.sub(r"[\s\-().]+", "", value or "")
    if not _PHONE.match(compact):
        raise invalid(field, "Enter a phone number of 10 to 15 digits, like 01632 960123")
    return compact


def email(value: str, field: str = "value") -> str:
    address = (value or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise invalid(field, "Enter an email address like name@example.org") from None
    return address.lower()
