"""An audit entry in words: what the Changes column and the CSV's Description say.

Pure functions of (action, object_type, object_id, changes): no database, no request. The
shapes of `changes` are the ones the `record(...)` calls across saferhub write; anything else
falls back to "field: from → to" lines. Never the repr of a dict or a list.
"""

from __future__ import annotations

from collections.abc import Mapping

ARROW = "→"

# Object types in words. Anything else: the model name after the dot.
NOUNS = {
    "accounts.User": "User",
    "accounts.Agency": "Agency",
    "plans.Strategy": "Plan",
    "plans.Objective": "Objective",
    "plans.Measure": "Measure",
    "plans.Action": "Action",
    "plans.Update": "Update",
    "indicators.Indicator": "Indicator",
    "indicators.Value": "Indicator value",
    "indicators.YouthJusticeExtract": "Youth justice extract",
    "indicators.evidence_refresh": "Evidence refresh",
    "indicators.dashboard": "the indicator dashboard",
    "evidence.Assessment": "Assessment",
    "audit.AuditEntry": "the audit log",
    "subjects.Subject": "Subject",
    "subjects.search": "Subject search",
    "cases.Case": "Case",
    "cases.CaseSubject": "Case subject",
    "cases.ChronologyEntry": "Chronology entry",
    "cases.Task": "Task",
    "cases.Document": "Document",
    "cases.BusinessArea": "Business area",
    "sharing.Grant": "Grant",
    "sharing.AccessRequest": "Access request",
    "sharing.BreakGlass": "Break glass",
    "sharing.Consent": "Consent",
    "sharing.InformationSharingAgreement": "Information-sharing agreement",
}

# What a case read rested on (sharing.policy.Access.basis), in words.
BASES = {
    "lead_agency": "lead agency",
    "grants": "grant",
    "break_glass": "break glass",
    "sources": "listing",
}

# Field names in words; others have their underscores turned into spaces.
FIELDS = {
    "rag": "RAG",
    "full_name": "name",
    "is_active": "active",
    "plan_year": "plan year",
    "review_due": "review due",
    "review_kind": "review kind",
    "values_changed": "values changed",
    "sha256": "SHA-256",
}

STEPS = {"two-factor": "the two-factor step", "password": "the password step"}


def describe(action: str, object_type: str = "", object_id: str = "", changes=None) -> str:
    """One entry in words; several lines (joined by newlines) only for unknown shapes."""
    changes = changes if isinstance(changes, Mapping) else ({} if not changes else {"": changes})
    subject = _subject(object_type, object_id)
    words = _known(action, object_type, subject, dict(changes))
    if words is not None:
        return words
    return _fallback(action, subject, changes)


def describe_entry(entry) -> str:
    return describe(entry.action, entry.object_type, entry.object_id, entry.changes)


def one_line(text: str) -> str:
    """A description on one line, for a spreadsheet cell."""
    return "; ".join(line for line in text.splitlines() if line)


# --- the shapes saferhub writes --------------------------------------------------------------


def _known(action: str, object_type: str, subject: str, c: dict) -> str | None:
    by = c.pop("by", None)
    suffix = _by(by)
    handler = {
        "sign_in": _sign_in,
        "password_accepted": _password_accepted,
        "sign_out": _sign_out,
        "sign_in_failed": _sign_in_failed,
        "password_reset_requested": _reset_requested,
        "password_reset": _reset,
        "view": _view,
        "export": _export,
        "create": _create,
        "update": _update,
        "delete": _delete,
    }.get(action)
    if handler is None:
        return None
    words = handler(object_type, subject, c)
    return None if words is None else words + suffix


def _sign_in(object_type, subject, c):
    return "Signed in (password and two-factor code)" if not c else None


def _password_accepted(object_type, subject, c):
    return "Password accepted; two-factor code next" if not c else None


def _sign_out(object_type, subject, c):
    return "Signed out" if not c else None


def _sign_in_failed(object_type, subject, c):
    if set(c) - {"email", "step", "repeats"}:
        return None
    step = STEPS.get(str(c.get("step", "")), "sign-in")
    words = f"Sign-in failed at {step}" if "step" in c else "Sign-in failed"
    if c.get("email"):
        words += f" for {_text(c['email'])}"
    repeats = c.get("repeats")
    if repeats:
        words += f" ({_count(repeats, 'more failure')} since the last entry)"
    return words


def _reset_requested(object_type, subject, c):
    if set(c) - {"email"}:
        return None
    return "Password reset requested" + (f" for {_text(c['email'])}" if c.get("email") else "")


def _reset(object_type, subject, c):
    return "Password reset with an emailed link" if not c else None


def _view(object_type, subject, c):
    if set(c) == {"refused"}:
        return f"Refused: {_text(c['refused']).replace('_', ' ')} on {_lower(subject)}"
    if object_type == "subjects.search" and {"terms", "results"} <= set(c):
        terms = c["terms"]
        by = ", ".join(_field(k) for k in terms) if isinstance(terms, Mapping) else ""
        locked = f", {_text(c['locked'])} locked" if c.get("locked") else ""
        return (
            f"Searched subjects{' by ' + by if by else ''}: "
            + _count(c["results"], "result")
            + locked
        )
    if "purpose" in c:
        return f"Viewed {_lower(subject)}" + _paren(_read_basis(c))
    if c.get("locked") is True:
        return f"Viewed {_lower(subject)} (locked view only)"
    if object_type == "audit.AuditEntry" and set(c) <= {"filters", "page", "entries"}:
        details = [_filters(c.get("filters"))] if c.get("filters") else []
        if c.get("page") == "home":
            details.append("on the home page")
        elif "page" in c:
            details.append(f"page {_text(c['page'])}")
        if "entries" in c:
            n = c["entries"]
            details.append(f"{_text(n)} {'entry' if n == 1 else 'entries'} shown")
        return "Viewed the audit log" + _paren(details)
    if not c:
        return f"Viewed {_lower(subject)}"
    if set(c) == {"listed", "count"}:
        return f"Viewed {_text(c['listed'])} ({_text(c['count'])} shown)"
    if set(c) == {"listed"}:
        return f"Viewed the list of {_lower(_plural(subject))} ({_text(c['listed'])} shown)"
    if set(c) <= {"actions_shown", "page"}:
        details = [f"page {_text(c['page'])}"] if "page" in c else []
        if "actions_shown" in c:
            details.append(f"{_count(c['actions_shown'], 'action')} shown")
        return f"Viewed {_lower(subject)}" + _paren(details)
    if set(c) == {"health_check"}:
        return (
            f"Viewed the health check of {_lower(subject)} ({_count(c['health_check'], 'finding')})"
        )
    if set(c) == {"period"}:
        return f"Viewed {_lower(subject)} for {_text(c['period'])}"
    return None


def _read_basis(c: dict) -> list[str]:
    """Why a case or subject was read: the purpose, and the grant, break glass or listing it
    rested on (DPA 2018 s62 asks for the justification of every consultation)."""
    details = [f"purpose: {_text(c['purpose'])}"] if c.get("purpose") else []
    for key, word in BASES.items():
        value = c.get(key)
        if value is True:
            details.append(word)
        elif isinstance(value, list) and value:
            details.append(f"{word} {', '.join(_text(v) for v in value)}")
        elif value:
            details.append(f"{word} {_text(value)}")
    return details


def _export(object_type, subject, c):
    if object_type == "audit.AuditEntry" and set(c) <= {"filters", "rows"}:
        details = [_filters(c.get("filters"))] if c.get("filters") else []
        if "rows" in c:
            rows = c["rows"]
            details.append(_count(rows, "row") if isinstance(rows, int) else f"{_text(rows)} rows")
        return "Exported the audit log" + _paren(details)
    if set(c) <= {"format", "period"} and "format" in c:
        words = f"Exported {_lower(subject)} as {_text(c['format'])}"
        return words + (f" for {_text(c['period'])}" if "period" in c else "")
    if set(c) <= {"board_report", "as_at"} and "board_report" in c:
        words = f"Exported the board report of {_lower(subject)} as {_text(c['board_report'])}"
        return words + (f" (as at {_text(c['as_at'])})" if "as_at" in c else "")
    if not c:
        return f"Exported {_lower(subject)}"
    return None


def _create(object_type, subject, c):
    if {"imported_from", "objectives", "actions"} <= set(c) and len(c) == 3:
        return (
            f"{subject} imported from {_text(c['imported_from'])} "
            f"({_count(c['objectives'], 'objective')}, {_count(c['actions'], 'action')})"
        )
    if "rolled_over_from" in c:
        rest = {k: v for k, v in c.items() if k != "rolled_over_from"}
        counts = [f"{_text(v)} {_field(k)}" for k, v in rest.items() if _simple(v)]
        if len(counts) != len(rest):
            return None
        source = f"plan {_text(c['rolled_over_from'])}"
        return f"{subject} created by rolling over {source}" + _paren(
            [", ".join(counts)] if counts else []
        )
    if object_type == "plans.Update" and set(c) <= {"plan_action", "rag", "on"}:
        target = f"Action {_text(c['plan_action'])}: " if "plan_action" in c else ""
        words = f"{target}update posted"
        if "rag" in c:
            words += f", RAG {_text(c['rag'])}"
        return words + (f" (dated {_text(c['on'])})" if "on" in c else "")
    if object_type == "plans.Action" and set(c) <= {"objective", "tags"} and "objective" in c:
        words = f"{subject} added to objective {_text(c['objective'])}"
        return words + (f" (tags: {_text(c['tags'])})" if c.get("tags") else "")
    if _is_value(c):
        return _value(subject, c)
    if set(c) == {"rows", "sha256", "values_changed"}:
        return (
            f"{subject} loaded ({_count(c['rows'], 'row')}, "
            f"{_count(c['values_changed'], 'value')} changed)"
        )
    if all(_simple(v) for v in c.values()):
        pairs = [f"{_field(k)}: {_text(v)}" for k, v in c.items() if k != "password"]
        if "password" in c:
            pairs.append("password set")
        return f"{subject} created" + _paren([", ".join(pairs)] if pairs else [])
    return None


def _update(object_type, subject, c):
    if not c:
        return f"{subject} updated"
    if _is_value(c):
        return _value(subject, c)
    if set(c) == {"status", "rolled_over_to"}:
        return f"{subject} {_text(c['status'])}: rolled over to plan {_text(c['rolled_over_to'])}"
    if set(c) == {"indicators", "values_changed", "problems"}:
        return (
            f"{subject}: {_count(c['indicators'], 'indicator')} recomputed, "
            f"{_count(c['values_changed'], 'value')} changed, "
            f"{_count(c['problems'], 'problem')}"
        )
    parts = []
    for name, value in c.items():
        part = _change(name, value)
        if part is None:
            return None
        parts.append(part)
    return f"{subject}: " + "; ".join(parts)


def _delete(object_type, subject, c):
    return f"{subject} deleted" if not c else None


def _is_value(c: dict) -> bool:
    return set(c) == {"period", "value"} and _is_from_to(c["value"])


def _value(subject: str, c: dict) -> str:
    old, new = c["value"].get("from"), c["value"].get("to")
    period = _text(c["period"])
    if old is None:
        return f"{subject}: value for {period} set to {_text(new)}"
    return f"{subject}: value for {period} {_text(old)} {ARROW} {_text(new)}"


def _change(name: str, value) -> str | None:
    """One changed field: "RAG Amber → Red", "text changed", "role set to coordinator"."""
    field = _field(name)
    if _is_from_to(value):
        old, new = value.get("from"), value.get("to")
        if old is None:
            return f"{field} set to {_text(new)}"
        return f"{field} {_text(old)} {ARROW} {_text(new)}"
    if value == "changed":
        return f"{field} changed"
    if (
        name == "leads"
        and isinstance(value, Mapping)
        and set(value) <= {"count", "linked_accounts"}
    ):
        words = f"leads changed ({_count(value.get('count', 0), 'lead')}"
        linked = value.get("linked_accounts") or []
        if linked:
            words += f"; linked accounts: {_text(linked)}"
        return words + ")"
    if _simple(value):
        return f"{field} set to {_text(value)}"
    return None


# --- the fallback ------------------------------------------------------------------------------


def _fallback(action: str, subject: str, changes: Mapping) -> str:
    head = f"{subject}: {action.replace('_', ' ')}" if subject else action.replace("_", " ")
    return "\n".join([head[:1].upper() + head[1:], *_lines(changes)])


def _lines(changes: Mapping, prefix: str = "") -> list[str]:
    lines = []
    for name, value in changes.items():
        field = f"{prefix}{_field(str(name))}" if name != "" else prefix.rstrip() or "details"
        if _is_from_to(value):
            lines.append(f"{field}: {_text(value.get('from'))} {ARROW} {_text(value.get('to'))}")
        elif isinstance(value, Mapping) and value:
            lines.extend(_lines(value, prefix=f"{field} "))
        else:
            lines.append(f"{field}: {_text(value)}")
    return lines


# --- words -------------------------------------------------------------------------------------


def _subject(object_type: str, object_id: str) -> str:
    noun = NOUNS.get(object_type) or (object_type.rsplit(".", 1)[-1] if object_type else "")
    noun = noun.replace("_", " ")
    if object_id:
        return f"{noun[:1].upper() + noun[1:]} {object_id}" if noun else f"Object {object_id}"
    return noun


def _lower(subject: str) -> str:
    """ "Action 12" inside a sentence: "action 12"; "the audit log" stays as it is."""
    return subject[:1].lower() + subject[1:] if subject else "a page"


def _plural(noun: str) -> str:
    return noun if noun.endswith("s") else noun + "s"


def _field(name: str) -> str:
    return FIELDS.get(name, name.replace("_", " "))


def _is_from_to(value) -> bool:
    return isinstance(value, Mapping) and set(value) <= {"from", "to"} and bool(value)


def _simple(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _count(n, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _filters(filters) -> str:
    if isinstance(filters, Mapping) and set(filters) == {"invalid"}:
        return f"invalid filters: {_text(filters['invalid'])}"
    n = len(filters) if isinstance(filters, Mapping | list) else 1
    return _count(n, "filter")


def _paren(details: list[str]) -> str:
    details = [d for d in details if d]
    return f" ({', '.join(details)})" if details else ""


def _by(by) -> str:
    if by is None:
        return ""
    if by == "cli":
        return ", from the command line"
    if by == "init":
        return ", by saferhub init"
    return f", by {_text(by)}"


def _text(value) -> str:
    """Any value as words: lists joined by commas, mappings as "key: value" pairs."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{_field(str(k))}: {_text(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple | set):
        return ", ".join(_text(v) for v in value) or "none"
    return str(value)
