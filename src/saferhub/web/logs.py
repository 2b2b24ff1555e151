"""What the site writes to its logs about a request, made safe to log.

Two rules, for gunicorn's access log and Django's own log lines alike:

- a password-reset link is a password: its path (`/accounts/password-reset/<uid>/<token>/`
  and the `…/set-password/` step) is written as `/accounts/password-reset/[redacted]`;
- a request path is text an attacker chooses: control characters (CR and LF forge log lines),
  Unicode line and paragraph separators and backslashes are escaped (`\\r`, `\\x1b`, `\\u2028`,
  `\\\\`), so one request is always one line and an escaped line reads back unambiguously.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from gunicorn.glogging import Logger

RESET_PATH = re.compile(
    r"(/password-reset/)(?!(?:sent|done)/?(?=$|[?#\s]))[^?#\s]+", flags=re.IGNORECASE
)
REDACTED = r"\1[redacted]"
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\\": "\\\\"}


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029]")


def escape_controls(text: str) -> str:
    """`text` on one line: every control character, line separator and backslash escaped."""
    return _UNSAFE.sub(lambda m: _escaped(m.group()), text)


def redact(text: str) -> str:
    """`text` with password-reset link paths replaced by `[redacted]`."""
    return RESET_PATH.sub(REDACTED, text)


def safe(text: str) -> str:
    """A request path (or request line, or header) as it may be logged."""
    return escape_controls(redact(text))


# The request's text in gunicorn's atoms: request line, path, query, referrer, user agent.
REQUEST_ATOMS = ("r", "U", "q", "f", "a")


class AccessLogger(Logger):
    """gunicorn's logger, with each request's own text made safe before it is formatted
    (set as `logger_class` in saferhub.web.gunicorn_conf)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and (key in REQUEST_ATOMS or key.endswith(("}i", "}e"))):
                atoms[key] = safe(value)
        return atoms


def _bare(kind) -> bool:
    """Whether an exception of this type can be made without arguments, to log its type."""
    try:
        kind.__new__(kind)
    except Exception:
        return False
    return True


class SafeFormatter(logging.Formatter):
    """Django's log lines ("Internal Server Error: /path"): the message is escaped to one
    line and reset links are redacted everywhere, tracebacks included (a traceback keeps its
    line breaks; any other control character in it is escaped)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = safe(record.message)
        return super().formatMessage(record)

    def formatException(self, ei) -> str:
        """The traceback's frames, and the exception's type without its message: a message
        can quote what a user typed or a person's name (a KeyError of a name, a parser's
        complaint about a cell), and no user text goes to a log."""
        kind, _, trace = ei
        withheld = (kind, kind.__new__(kind), trace) if _bare(kind) else ei
        return "\n".join(safe(line) for line in super().formatException(withheld).split("\n"))

    def formatStack(self, stack_info: str) -> str:
        return "\n".join(safe(line) for line in super().formatStack(stack_info).split("\n"))
