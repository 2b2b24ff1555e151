"""Read a youth justice case-level extract (CSV or XLSX) into `Outcome`s, all or nothing.

Youth offending services export one row per outcome or intervention from their case systems.
The columns are found by header, whatever the spelling ("Person ID", "person_id", "DOB",
"Disposal date", ...; case, spaces and punctuation ignored) and extra columns are ignored.

A figure computed from half a file is worse than no figure, so a file is either read whole or
rejected whole: `ExtractError.problems` lists every problem found, each naming the file, the
row as the user sees it in a spreadsheet (the header is row 1) and the column.

Rows whose age at offence is 18 or over are not errors and are kept: an extract holds the
whole case history, and the measures (see `youth_justice.py`) take age where the national
definitions do. An outcome for an offence at 18 puts no one in a cohort, but it is a
reoffence for a child already in one; a sentence given at 18 is not a child's custody. Only
an age under 10 at the offence (below the age of criminal responsibility) is an error.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

from .. import uploads
from ..uploads import EXTRACT, Tally, UploadRefused

# Canonical outcome type -> kind. Substantive outcomes (proven offences) are the kinds
# caution, court and custody; see youth_justice.SUBSTANTIVE.
OUTCOME_KINDS: dict[str, str] = {
    "Triage": "triage",
    "Youth Caution": "caution",
    "Youth Conditional Caution": "caution",
    "Referral Order": "court",
    "Youth Rehabilitation Order": "court",
    "DTO custody": "custody",
    "DTO licence": "licence",
    "Section 90/91": "custody",
    "Remand": "remand",
    "Bail": "bail",
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "Triage": ("Youth triage", "Diversion", "Triage/diversion"),
    "Youth Caution": ("YC",),
    "Youth Conditional Caution": ("YCC",),
    "Referral Order": ("RO",),
    "Youth Rehabilitation Order": ("YRO",),
    "DTO custody": ("DTO", "Detention and Training Order"),
    "DTO licence": ("DTO license",),
    "Section 90/91": (
        "S90/91",
        "Section 90",
        "Section 91",
        "Section 250",
        "Section 259",
        "S250",
        "S259",
    ),
    "Remand": ("Remand to youth detention accommodation", "Custodial remand"),
    "Bail": ("Bail supervision", "Bail support"),
}


def _key(text: str) -> str:
    """Lower case, letters and digits only: 'Person_ID ' -> 'personid'."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _type_key(text: str) -> str:
    """Outcome types keep '/' apart ('S90/91' is not 'S9091'), otherwise as `_key`."""
    words = " ".join(re.sub(r"[^0-9a-z/]+", " ", text.lower()).split())
    return words.replace(" /", "/").replace("/ ", "/")


OUTCOME_TYPES: dict[str, str] = {}  # normalised name or alias -> canonical name
for _canonical, _names in _ALIASES.items():
    for _name in (_canonical, *_names):
        OUTCOME_TYPES[_type_key(_name)] = _canonical

# Field -> accepted headers (compared as `_key`), in the order problems are reported.
COLUMNS: dict[str, tuple[str, ...]] = {
    "person_id": ("Person ID", "person_id", "Client ID", "YJ ID", "ID"),
    "date_of_birth": ("Date of birth", "DOB"),
    "sex": ("Sex", "Gender"),
    "ethnicity": ("Ethnicity", "Ethnic group"),
    "outcome_type": ("Outcome", "Outcome type", "Intervention type", "Intervention", "Disposal"),
    "outcome_date": ("Outcome date", "Disposal date", "Sentence date", "Intervention date"),
    "offence_date": ("Offence date", "Date of offence"),
}
_HEADER_FIELD = {_key(name): field for field, names in COLUMNS.items() for name in names}
_LABELS = {
    "person_id": "person id",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "outcome_type": "outcome type",
    "outcome_date": "outcome date",
    "offence_date": "offence date",
}
_BLANK_ALLOWED = {"sex", "ethnicity"}  # blank means "Not known"
_DATE_FIELDS = ("date_of_birth", "outcome_date", "offence_date")
_SEXES = {"m": "Male", "male": "Male", "f": "Female", "female": "Female"}
_UNKNOWN = {"", "unknown", "not known", "notknown", "u", "nk", "not stated", "n/a"}
MAX_LISTED = 100  # problems listed one by one; beyond that, counts per column
MIN_AGE = 10


class ExtractError(ValueError):
    """The extract cannot be used; `problems` lists every reason, each naming the file."""

    def __init__(self, filename: str, problems: Sequence[str]):
        self.filename = filename
        self.problems: list[str] = list(problems)
        lines = [f"{filename} cannot be read ({_plural(len(self.problems), 'problem')}):"]
        lines += [f"- {p}" for p in self.listed]
        lines += [f"… {line}" for line in self.summary()]
        super().__init__("\n".join(lines))

    @property
    def listed(self) -> list[str]:
        """The first problems, one by one: enough to see what is wrong without a page of a
        million lines when every row of a large file is."""
        return self.problems[:MAX_LISTED]

    def summary(self) -> list[str]:
        """When more problems were found than are listed, how many there are of each column
        (or of the file as a whole)."""
        if len(self.problems) <= MAX_LISTED:
            return []
        counts = Counter(
            found.group(1) if (found := _COLUMN.search(p)) else "the file" for p in self.problems
        )
        return [f"{len(self.problems) - MAX_LISTED:,} more not listed; in all:"] + [
            f"{_plural(n, 'problem')} in {where if where == 'the file' else f'column {where!r}'}"
            for where, n in counts.most_common()
        ]


_COLUMN = re.compile(r"column '([^']+)'")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years on `day`. Someone born on 29 February turns a year older on 1 March in a
    year without one (the UK rule), which the (month, day) comparison gives."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


@dataclass(frozen=True)
class Outcome:
    """One row of the extract: one outcome or intervention for one child."""

    row: int  # as the user sees it in a spreadsheet (header = row 1)
    person_id: str
    date_of_birth: date
    sex: str
    ethnicity: str
    outcome_type: str  # canonical name, a key of OUTCOME_KINDS
    kind: str  # triage, caution, court, custody, licence, remand or bail
    outcome_date: date
    offence_date: date

    @property
    def age_at_offence(self) -> int:
        """The age that makes an offence a youth offence (first-time entry, the reoffending
        cohort): an offence at 17 sentenced at 18 is one, an offence committed at 18 is not."""
        return age_on(self.date_of_birth, self.offence_date)

    @property
    def age_at_outcome(self) -> int:
        """The age on the outcome date: custody counts sentences given at 10 to 17."""
        return age_on(self.date_of_birth, self.outcome_date)


def read_extract(path: Path, *, today: date) -> list[Outcome]:
    """Read an extract file; raise `ExtractError` with every problem found."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(path.name, [f"{path.name}: cannot be opened ({exc.strerror})"]) from exc
    return read_extract_bytes(data, path.name, today=today)


def read_extract_bytes(data: bytes, filename: str, *, today: date) -> list[Outcome]:
    """Read an uploaded extract: XLSX when the bytes are a zip (PK) file, CSV otherwise (by
    extension .csv, .txt or none); anything else is rejected. Reading is bounded by
    `uploads.EXTRACT` (size, the zip's directory, rows, cells, characters, time): a file over
    a limit is refused whole, with the limit named."""
    suffix = Path(filename).suffix.lower()
    try:
        uploads.check_size(len(data), filename, EXTRACT)
        tally = Tally(filename, EXTRACT)
        if data[:4] == b"PK\x03\x04":
            uploads.check_zip(data, filename, EXTRACT)
            rows = _xlsx_rows(data, filename, tally)
        elif suffix in (".xlsx", ".xlsm"):
            raise ExtractError(filename, [f"{filename}: is not a valid Excel (.xlsx) workbook"])
        elif suffix in (".csv", ".txt", "") and b"\x00" not in data[:4096]:
            rows = _csv_rows(data, filename, tally)
        else:
            raise ExtractError(
                filename,
                [f"{filename}: is not a CSV or Excel (.xlsx) file; export the extract as one"],
            )
        return _outcomes(rows, filename, today)
    except UploadRefused as refused:
        raise ExtractError(filename, [str(refused)]) from None


def _csv_rows(data: bytes, filename: str, tally: Tally) -> Iterator[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # some exports use ; or tabs
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            where = f"row {number}"
            width = len(cells)
            while width and not cells[width - 1].strip():
                width -= 1  # Excel pads every line to the widest: not cells of this one
            if not width:
                continue  # a blank line costs nothing and is skipped anyway
            tally.row(where)
            tally.add_cells(width, where)
            yield number, cells[:width]
    except csv.Error as exc:
        raise ExtractError(filename, [f"{filename}: not a readable CSV file ({exc})"]) from exc


def _xlsx_rows(data: bytes, filename: str, tally: Tally) -> Iterator[tuple[int, list]]:
    """The extract sheet's rows with values, read cell by cell as stored (never to the
    dimension the sheet declares) against the caps: `uploads.sheet_rows`."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is no workbook (e.g. .docx) or a corrupt file
        raise ExtractError(
            filename, [f"{filename}: is not a readable Excel (.xlsx) workbook ({exc})"]
        ) from exc
    try:
        if not book.worksheets:
            raise ExtractError(filename, [f"{filename}: the workbook has no sheets"])
        sheet = book.worksheets[0]
        for candidate in book.worksheets:
            if any(word in _key(candidate.title) for word in ("extract", "data")):
                sheet = candidate
                break
        yield from uploads.sheet_rows(sheet, tally, label=f"sheet {sheet.title}")
    except (ExtractError, UploadRefused):
        raise
    except Exception as exc:  # a sheet whose XML breaks off, or holds what is no cell
        raise ExtractError(
            filename, [f"{filename}: is not a readable Excel (.xlsx) workbook ({exc})"]
        ) from exc
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()  # an Excel date: shown as a date, not a datetime
    return str(value).strip()


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")


def parse_date(value) -> date | None:
    """An ISO (YYYY-MM-DD) or UK (DD/MM/YYYY) date, or a native Excel date; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _outcomes(rows: Iterable[tuple[int, list]], filename: str, today: date) -> list[Outcome]:
    rows = iter(rows)
    header: list | None = None
    header_row = 1
    for header_row, cells in rows:  # noqa: B007 (the header's row number is kept)
        if any(_cell_text(c) for c in cells):
            header = cells
            break
    if header is None:
        raise ExtractError(filename, [f"{filename}: the file is empty"])
    headers = [_cell_text(h) for h in header]
    where: dict[str, int] = {}
    for index, name in enumerate(headers):
        field = _HEADER_FIELD.get(_key(name))
        if field and field not in where:
            where[field] = index
    missing = [field for field in COLUMNS if field not in where]
    if missing:
        wanted = "; ".join(f"{_LABELS[f]} (e.g. {' / '.join(COLUMNS[f][:3])})" for f in missing)
        found = ", ".join(f"'{h}'" for h in headers if h) or "none"
        raise ExtractError(
            filename,
            [f"{filename}: missing required columns: {wanted}. Headers found: {found}"],
        )
    column = {field: headers[index] for field, index in where.items()}
    order = list(COLUMNS)
    indexes = [where[field] for field in order]
    pick = itemgetter(*indexes)
    width = max(indexes) + 1
    required = [i for i, field in enumerate(order) if field not in _BLANK_ALLOWED]
    date_fields = [(order.index(f), f) for f in _DATE_FIELDS]
    problems: list[str] = []
    out: list[Outcome] = []
    dates: dict[str, date | None] = {}  # the same texts recur often: read each once
    types: dict[str, str | None] = {}
    first_dob: dict[str, tuple[date, int]] = {}
    accepted = ", ".join(OUTCOME_KINDS)

    def problem(number: int, field: str, text: str) -> None:
        problems.append(f"{filename}: row {number}, column '{column[field]}': {text}")

    for number, cells in rows:
        raw = pick(cells) if len(cells) >= width else pick([*cells, *[None] * width])
        texts = [v.strip() if v.__class__ is str else _cell_text(v) for v in raw]
        if not any(texts):
            continue  # a blank line, e.g. at the end of the file
        for i in required:
            if not texts[i]:
                problem(number, order[i], f"blank {_LABELS[order[i]]}")
        parsed: dict[str, date] = {}
        for i, field in date_fields:
            text = texts[i]
            if not text:
                continue
            value = raw[i]
            if value.__class__ is str:
                day = dates.get(text, False)
                if day is False:
                    day = dates[text] = parse_date(text)
            else:
                day = parse_date(value)
            if day is None:
                problem(number, field, f"'{text}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
            elif day > today:
                problem(
                    number,
                    field,
                    f"{_LABELS[field]} {day:%d/%m/%Y} is in the future (after "
                    f"{today:%d/%m/%Y})" + ("" if text == f"{day:%d/%m/%Y}" else f": '{text}'"),
                )
            else:
                parsed[field] = day
        canonical = None
        if type_text := texts[4]:
            canonical = types.get(type_text, False)
            if canonical is False:
                canonical = types[type_text] = OUTCOME_TYPES.get(_type_key(type_text))
            if canonical is None:
                problem(
                    number,
                    "outcome_type",
                    f"unknown outcome type '{type_text}'; accepted types: {accepted}",
                )
        dob = parsed.get("date_of_birth")
        offence = parsed.get("offence_date")
        outcome_day = parsed.get("outcome_date")
        if offence and outcome_day and offence > outcome_day:
            problem(
                number,
                "offence_date",
                f"offence date {offence:%d/%m/%Y} is after the outcome date {outcome_day:%d/%m/%Y}",
            )
        if dob and offence:
            if dob > offence:
                problem(
                    number,
                    "date_of_birth",
                    f"date of birth {dob:%d/%m/%Y} is after the offence date {offence:%d/%m/%Y}",
                )
            elif (age := age_on(dob, offence)) < MIN_AGE:
                problem(
                    number,
                    "date_of_birth",
                    f"age {age} at the offence date {offence:%d/%m/%Y} (born {dob:%d/%m/%Y}) is "
                    f"below the age of criminal responsibility ({MIN_AGE})",
                )
        person = texts[0]
        if person and dob:
            seen = first_dob.get(person)
            if seen is None:
                first_dob[person] = (dob, number)
            elif seen[0] != dob:
                problem(
                    number,
                    "date_of_birth",
                    f"person '{person}' has date of birth {dob:%d/%m/%Y} here but "
                    f"{seen[0]:%d/%m/%Y} in row {seen[1]}",
                )
        if problems:
            continue  # once anything is wrong, only problems are collected
        out.append(
            Outcome(
                number,
                person,
                dob,
                _sex(texts[2]),
                texts[3] or "Not known",
                canonical,
                OUTCOME_KINDS[canonical],
                outcome_day,
                offence,
            )
        )
    if not problems and not out:
        problems.append(f"{filename}: no data rows under the header (row {header_row})")
    if problems:
        raise ExtractError(filename, problems)
    return out


def _sex(text: str) -> str:
    if text == "Male" or text == "Female":
        return text
    lowered = text.lower()
    if lowered in _SEXES:
        return _SEXES[lowered]
    if lowered in _UNKNOWN:
        return "Not known"
    return text
