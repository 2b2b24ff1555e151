"""Sessions in the database, renewed at most once a minute.

Every request of a signed-in user renews the session's 30-minute idle expiry
(SESSION_SAVE_EVERY_REQUEST). Writing the row each time costs a signed, compressed encoding
and a write transaction, which SQLite grants one at a time across all the workers. So a save
that would change nothing but the expiry is skipped while the row was renewed less than
RENEW_AFTER ago: the idle timeout is then between 29 and 30 minutes. Any change to the
session's contents (sign-in steps, a new key) is written at once, as before.

The row stays the only truth: every request still reads it, so a session deleted (signed
out, flushed by the site) ends at once on every worker. (Signed-cookie sessions, or a cache
per worker in front of the table, could not be revoked that way.)

SESSION_ENGINE = "saferhub.accounts.sessions".
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.backends import db

RENEW_AFTER = timedelta(minutes=1)


class SessionStore(db.SessionStore):
    _stored_expiry = None  # the row's expire_date as read, None when not read

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self._stored_expiry = row.expire_date if row is not None else None
        return row

    def renewed_recently(self) -> bool:
        """Whether saving now would move the row's expiry by less than RENEW_AFTER."""
        self._get_session()  # read the row, if this request has not yet
        if self._stored_expiry is None:
            return False
        return self.get_expiry_date() - self._stored_expiry < RENEW_AFTER

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        self._stored_expiry = row.expire_date  # what this save writes
        return row

    def save(self, must_create: bool = False) -> None:
        if not (must_create or self.modified or not self.session_key) and self.renewed_recently():
            return  # nothing changed, and the row's expiry is less than a minute old
        super().save(must_create=must_create)
