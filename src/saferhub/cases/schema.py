"""A business area's own case fields and closure reasons, as a small schema kept as data.

Each business area (ASB, MARAC, Channel...) adds fields to its cases without code: a list of
`{"name", "label", "type", "required", "choices"}` objects stored as JSON. These functions are
pure (no database), so the same checks serve the admin's form, an import and the services;
every error names the field it is about.

Values are stored JSON-ready: text and choices as strings, dates as ISO "YYYY-MM-DD", numbers
as decimal strings (no float rounding), yes/no as booleans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from ..cells import without_controls

NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_TEXT = 2_000
MAX_LABEL = 200
MAX_FIELDS = 50
MAX_CHOICES = 100
MAX_REASONS = 50


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"
    BOOL = "bool"


class SchemaError(ValueError):
    """A schema or a value that does not fit it. `errors` maps each field name (or "" for the
    schema as a whole) to what is wrong with it, in words."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()

    def as_json(self) -> dict:
        spec: dict = {
            "name": self.name,
            "label": self.label,
            "type": str(self.type),
            "required": self.required,
        }
        if self.type is FieldType.CHOICE:
            spec["choices"] = list(self.choices)
        return spec


def parse_schema(raw: object) -> tuple[FieldSpec, ...]:
    """The field list a business area stores, checked: names unique and machine-safe, types
    known, choices given (only) for choice fields. Raises `SchemaError` naming each bad field
    (by its name, or "field 3" when it has none)."""
    if not isinstance(raw, list):
        raise SchemaError({"": "the fields must be a list"})
    if len(raw) > MAX_FIELDS:
        raise SchemaError({"": f"a business area may have at most {MAX_FIELDS} fields"})
    errors: dict[str, str] = {}
    specs: list[FieldSpec] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        where = f"field {number}"
        if not isinstance(item, dict):
            errors[where] = "each field must be an object with a name, label and type"
            continue
        name = item.get("name")
        if isinstance(name, str) and name:
            where = name
        unknown = set(item) - {"name", "label", "type", "required", "choices"}
        problem = _spec_problem(item, name, seen, unknown)
        if problem:
            errors[where] = problem
            continue
        seen.add(name)
        kind = FieldType(item["type"])
        specs.append(
            FieldSpec(
                name=name,
                label=item["label"].strip(),
                type=kind,
                required=bool(item.get("required", False)),
                choices=tuple(c.strip() for c in item.get("choices", ())),
            )
        )
    if errors:
        raise SchemaError(errors)
    return tuple(specs)


def _spec_problem(item: dict, name: object, seen: set[str], unknown: set[str]) -> str:
    if unknown:
        return f"unknown keys {', '.join(sorted(unknown))}"
    if not isinstance(name, str) or not NAME.match(name):
        return (
            "the name must start with a lower-case letter and use only a-z, 0-9 and _ "
            "(at most 50 characters)"
        )
    if name in seen:
        return "this name is used by another field"
    label = item.get("label")
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        return f"the label must be text of 1 to {MAX_LABEL} characters"
    kind = item.get("type")
    if kind not in {t.value for t in FieldType}:
        return "the type must be one of " + ", ".join(t.value for t in FieldType)
    if not isinstance(item.get("required", False), bool):
        return "required must be true or false"
    choices = item.get("choices")
    if kind == FieldType.CHOICE:
        if not isinstance(choices, list) or not choices:
            return "a choice field needs a list of choices"
        if len(choices) > MAX_CHOICES:
            return f"a choice field may have at most {MAX_CHOICES} choices"
        if not all(isinstance(c, str) and c.strip() for c in choices):
            return "each choice must be non-empty text"
        stripped = [c.strip() for c in choices]
        if len(set(stripped)) != len(stripped):
            return "the choices must be different from each other"
    elif choices is not None:
        return "only a choice field has choices"
    return ""


def parse_reasons(raw: object) -> tuple[str, ...]:
    """A business area's closure reasons: a non-empty list of different, non-empty texts."""
    if not isinstance(raw, list) or not raw:
        raise SchemaError({"closure_reasons": "give at least one closure reason"})
    if len(raw) > MAX_REASONS:
        raise SchemaError({"closure_reasons": f"at most {MAX_REASONS} closure reasons"})
    if not all(isinstance(r, str) and r.strip() and len(r) <= MAX_LABEL for r in raw):
        raise SchemaError(
            {"closure_reasons": f"each closure reason must be text of 1 to {MAX_LABEL} characters"}
        )
    reasons = tuple(r.strip() for r in raw)
    if len(set(reasons)) != len(reasons):
        raise SchemaError({"closure_reasons": "each closure reason must be different"})
    return reasons


def clean_values(specs: tuple[FieldSpec, ...], values: dict) -> dict:
    """`values` (from a form: strings; or from code: dates, numbers, booleans) checked against
    the schema and made JSON-ready. Empty optional fields are left out. Raises `SchemaError`
    mapping each bad field's name to the problem; a name the schema does not hold is an
    error too (nothing is stored that the business area did not ask for)."""
    by_name = {spec.name: spec for spec in specs}
    errors = {
        name: "this business area has no such field" for name in values if name not in by_name
    }
    cleaned: dict = {}
    for spec in specs:
        raw = values.get(spec.name)
        if _empty(raw):
            if spec.required:
                errors[spec.name] = f"enter {spec.label}"
            continue
        try:
            cleaned[spec.name] = _clean(spec, raw)
        except ValueError as exc:
            errors[spec.name] = str(exc)
    if errors:
        raise SchemaError(errors)
    return cleaned


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(spec: FieldSpec, raw: object) -> str | bool:
    match spec.type:
        case FieldType.TEXT:
            if not isinstance(raw, str):
                raise ValueError(f"{spec.label} must be text")
            text = without_controls(raw).strip()
            if len(text) > MAX_TEXT:
                raise ValueError(f"{spec.label} must be at most {MAX_TEXT:,} characters")
            return text
        case FieldType.DATE:
            if isinstance(raw, date):
                return raw.isoformat()
            try:
                return date.fromisoformat(str(raw).strip()).isoformat()
            except ValueError:
                raise ValueError(f"{spec.label} must be a date (YYYY-MM-DD)") from None
        case FieldType.CHOICE:
            text = str(raw).strip()
            if text not in spec.choices:
                raise ValueError(f"{spec.label} must be one of: {', '.join(spec.choices)}")
            return text
        case FieldType.NUMBER:
            if isinstance(raw, bool):
                raise ValueError(f"{spec.label} must be a number")
            try:
                number = Decimal(str(raw).strip().replace(",", ""))
            except InvalidOperation:
                raise ValueError(f"{spec.label} must be a number") from None
            if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
                raise ValueError(f"{spec.label} must be a number below a million billion")
            return format(number.normalize(), "f")
        case FieldType.BOOL:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"yes", "true", "1", "on"}:
                return True
            if text in {"no", "false", "0", "off"}:
                return False
            raise ValueError(f"{spec.label} must be yes or no")
    raise ValueError(f"{spec.label}: unknown type")  # pragma: no cover
