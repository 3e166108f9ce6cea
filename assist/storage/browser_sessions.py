"""Browser sessions kept on the server: the cookie holds a random id, this table holds the rest.

A row is found by a hash of the id, never the id itself, so a copy of the database opens no
browser's session. What a session holds (which journeys, a confirmation, a just-saved code, the
device's choices) is encrypted like answers. Deleting the row ends the session everywhere at once:
any copy of the old cookie then finds nothing.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from .database import iso_utc, parse_moment

_TABLE = "browser_sessions"


def session_key(session_id: str) -> str:
    """The stored key of a session id: its SHA-256 (the id is 256 random bits, so no salt is needed)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def new_session_id() -> str:
    """A new random session id for the cookie."""
    return secrets.token_urlsafe(32)


class BrowserSessionsMixin:
    """Browser-session methods of :class:`assist.storage.Store`."""

    def load_browser_session(self, session_id: str, idle: timedelta) -> tuple[dict | None, str | None, bool]:
        """``(contents, last seen, expired)`` of the session ``session_id``.

        A session not seen for longer than ``idle`` is deleted here and comes back as
        ``(contents, None, True)``, so the caller can say what timed out; an unknown id as
        ``(None, None, False)``.
        """
        key = session_key(session_id)
        row = self.db.execute(f"select data, last_seen_at from {_TABLE} where id = ?", [key]).fetchone()  # nosec B608
        if row is None:
            return None, None, False
        data, last_seen = row
        contents = json.loads(self._open(_TABLE, "data", key, data))
        if parse_moment(last_seen) < self.now() - idle:
            self.end_browser_session(session_id)
            return contents, None, True
        return contents, last_seen, False

    def save_browser_session(self, session_id: str, contents: dict) -> str:
        """Store ``contents`` under ``session_id`` (new or replaced), seen now; returns the time."""
        key = session_key(session_id)
        now = self._now()
        sealed = self._seal(_TABLE, "data", key, json.dumps(contents, separators=(",", ":"), sort_keys=True))
        with self.transaction() as db:
            db.execute(
                f"insert into {_TABLE} (id, data, created_at, last_seen_at) values (?, ?, ?, ?) "  # nosec B608
                "on conflict (id) do update set data = excluded.data, last_seen_at = excluded.last_seen_at",
                [key, sealed, now, now])
        return now

    def touch_browser_session(self, session_id: str) -> str:
        """Note that the session is in use now; returns the time."""
        now = self._now()
        with self.transaction() as db:
            db.execute(f"update {_TABLE} set last_seen_at = ? where id = ?", [now, session_key(session_id)])  # nosec B608
        return now

    def end_browser_session(self, session_id: str) -> None:
        """Delete the session: every copy of its cookie is dead from now on."""
        with self.transaction() as db:
            db.execute(f"delete from {_TABLE} where id = ?", [session_key(session_id)])  # nosec B608

    def expire_browser_sessions(self, idle: timedelta) -> int:
        """Delete every session not seen for longer than ``idle``; returns how many."""
        cutoff = iso_utc(self.now() - idle)
        with self.transaction() as db:
            return db.execute(f"delete from {_TABLE} where last_seen_at < ?", [cutoff]).rowcount  # nosec B608

    def count_browser_sessions(self) -> int:
        """How many browser sessions are open (for tests and the admin figures)."""
        return self.db.execute(f"select count(*) from {_TABLE}").fetchone()[0]  # nosec B608
