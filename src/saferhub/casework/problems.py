"""Service refusals onto the form that asked: each message beside the field it names.

The services below raise their own errors (`ValidationError` keyed by field from the subjects
app's entries, `CaseError.field` from cases and sharing, `SchemaError.errors` from a business
area's fields, `UploadRefused` for a file). A page turns any of them into form errors here, so
the error summary names the field and links to it, whatever layer refused.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ..cases.errors import CaseError
from ..cases.errors import StaleEdit as CaseStale
from ..cases.schema import SchemaError
from ..subjects.errors import StaleEdit as SubjectStale
from ..subjects.errors import SubjectError
from ..uploads import UploadRefused


def put(form: forms.Form, field: str, message: str, *, aliases: dict | None = None) -> None:
    """One error on `field` (or its form name in `aliases`); on the form as a whole when the
    form has no such field."""
    name = (aliases or {}).get(field, field)
    if name in form.fields:
        if name not in form.errors or message not in form.errors[name]:
            form.add_error(name, message)
    else:
        form.add_error(None, message)


def onto(form: forms.Form, exc: Exception, *, aliases: dict | None = None, file_field="") -> None:
    """Put a service's refusal on `form`."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                put(form, field, message, aliases=aliases)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    elif isinstance(exc, SchemaError):
        for field, message in exc.errors.items():
            put(form, field, _sentence(message), aliases=aliases)
    elif isinstance(exc, UploadRefused):
        put(form, file_field or "file", f"{exc.filename}: {exc.reason}", aliases=aliases)
    elif isinstance(exc, CaseError):
        put(form, exc.field, str(exc), aliases=aliases)
    elif isinstance(exc, SubjectError):
        form.add_error(None, str(exc))
    else:  # pragma: no cover - callers pass only the errors above
        raise exc


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def stale_lines(exc: Exception) -> list[str]:
    """What the other people changed, one sentence each, for the page to show."""
    if isinstance(exc, CaseStale):
        return [o.sentence() for o in exc.others] or ["Someone else saved it"]
    if isinstance(exc, SubjectStale):
        return [c.describe() for c in exc.changes] or ["Someone else changed it"]
    return []


def moved_on(form, exc: Exception) -> list[str]:
    """A stale edit on `form`: its message at the top, the form moved to the version now
    stored (what the editor typed is kept, so they can look and save again), and what the
    other people changed, for the page to show."""
    form.add_error(None, str(exc))
    data = form.data.copy()
    data["version"] = str(exc.current)
    form.data = data
    return stale_lines(exc)


REFUSALS = (ValidationError, SchemaError, UploadRefused, CaseError, SubjectError)
