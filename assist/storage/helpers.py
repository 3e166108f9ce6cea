"""Helpers (intermediaries), their PINs and lockout, and their signed-in sessions on tablets.

A PIN is 4 to 8 digits, kept only as a salted scrypt hash; it is never logged or returned.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from .secrets_hash import hash_secret, verify_secret

ROLES = ("helper", "venue_lead", "council_admin")
HOLDERS = ("helper", "resident")
_PIN = re.compile(r"^[0-9]{4,8}$")


def valid_pin(pin: str) -> bool:
    """Whether ``pin`` is 4 to 8 digits."""
    return bool(_PIN.match(pin or ""))


def name_key(name: str) -> str:
    """A name for comparing: case, accents' composition and runs of spaces ignored."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return " ".join(re.sub(r"[^\w\s'-]", " ", text).split())


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "helper"


@dataclass(frozen=True)
class PinCheck:
    """The outcome of :meth:`HelpersMixin.check_pin`."""

    outcome: str  # "ok" | "wrong" | "locked" | "inactive"
    locked_until: datetime | None = None
    attempts_left: int | None = None
    just_locked: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def _public(helper: dict | None) -> dict | None:
    if helper is None:
        return None
    helper = dict(helper)
    helper.pop("pin_hash", None)
    return helper


class HelpersMixin:
    """Helper and helper-session methods of :class:`assist.storage.Store`."""

    # --- helpers ------------------------------------------------------------------------

    def add_helper(self, display_name: str, pin: str, venues: list[str] | tuple[str, ...] = (),
                   role: str = "helper", helper_id: str | None = None) -> str:
        """Add a helper who works at ``venues``; returns the new helper's id."""
        display_name = " ".join((display_name or "").split())
        if not display_name:
            raise ValueError("a helper needs a display name")
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if not valid_pin(pin):
            raise ValueError("a PIN is 4 to 8 digits")
        pin_hash = hash_secret(pin)
        with self.transaction() as db:
            for venue_id in venues:
                if not db.execute("select 1 from venues where id = ?", [venue_id]).fetchone():
                    raise ValueError(f"unknown venue {venue_id!r}")
            if helper_id is None:
                base = _slug(display_name)
                helper_id, number = base, 1
                while db.execute("select 1 from helpers where id = ?", [helper_id]).fetchone():
                    number += 1
                    helper_id = f"{base}-{number}"
            elif db.execute("select 1 from helpers where id = ?", [helper_id]).fetchone():
                raise ValueError(f"a helper with id {helper_id!r} already exists")
            now = self._now()
            db["helpers"].insert(
                {"id": helper_id, "display_name": display_name, "name_key": name_key(display_name), "role": role,
                 "pin_hash": pin_hash, "active": 1, "failed_attempts": 0, "locked_until": None,
                 "created_at": now, "pin_changed_at": now}
            )
            for venue_id in venues:
                db["helper_venues"].insert({"helper_id": helper_id, "venue_id": venue_id}, ignore=True)
        return helper_id

    def get_helper(self, helper_id: str) -> dict | None:
        """The helper (without the PIN hash) with ``venues``: a list of venue ids."""
        rows = _rows(self.db.execute("select * from helpers where id = ?", [helper_id]))
        if not rows:
            return None
        helper = _public(rows[0])
        helper["venues"] = [r[0] for r in self.db.execute(
            "select venue_id from helper_venues where helper_id = ? order by venue_id", [helper_id])]
        return helper

    def list_helpers(self, venue_id: str | None = None, include_inactive: bool = False) -> list[dict]:
        """Helpers by name; only those working at ``venue_id`` when given."""
        where, params = [], []
        if not include_inactive:
            where.append("helpers.active = 1")
        if venue_id is not None:
            where.append("helpers.id in (select helper_id from helper_venues where venue_id = ?)")
            params.append(venue_id)
        sql = ("select helpers.*, (select group_concat(venue_id, ',') from helper_venues "
               "where helper_id = helpers.id) as venue_list from helpers")
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by display_name collate nocase"
        helpers = []
        for row in _rows(self.db.execute(sql, params)):
            row = _public(row)
            row["venues"] = sorted((row.pop("venue_list") or "").split(",")) if row.get("venue_list") else []
            row.pop("venue_list", None)
            helpers.append(row)
        return helpers

    def find_helpers_by_name(self, name: str, venue_id: str | None = None) -> list[dict]:
        """Active helpers whose display name matches ``name`` (case and spaces ignored)."""
        key = name_key(name)
        return [h for h in self.list_helpers(venue_id) if h["name_key"] == key]

    def set_pin(self, helper_id: str, pin: str) -> bool:
        """Give the helper a new PIN and lift any lockout. False if the helper is unknown."""
        if not valid_pin(pin):
            raise ValueError("a PIN is 4 to 8 digits")
        pin_hash = hash_secret(pin)
        with self.transaction() as db:
            cursor = db.execute(
                "update helpers set pin_hash = ?, failed_attempts = 0, locked_until = null, pin_changed_at = ? "
                "where id = ?",
                [pin_hash, self._now(), helper_id],
            )
        return cursor.rowcount == 1

    def deactivate_helper(self, helper_id: str) -> bool:
        """Stop the helper signing in, and end their sessions on every tablet. False if unknown."""
        with self.transaction() as db:
            cursor = db.execute("update helpers set active = 0 where id = ?", [helper_id])
            db.execute(
                "update helper_sessions set ended_at = ?, end_reason = 'deactivated' "
                "where helper_id = ? and ended_at is null",
                [self._now(), helper_id],
            )
        return cursor.rowcount == 1

    def check_pin(self, helper_id: str, pin: str, max_attempts: int = 5, lockout_minutes: int = 15) -> PinCheck:
        """Check a PIN, counting wrong ones: ``max_attempts`` wrong in a row lock the helper out
        for ``lockout_minutes``. While locked, the PIN is not even checked."""
        now = self._clock()
        row = self.db.execute(
            "select pin_hash, active, failed_attempts, locked_until from helpers where id = ?", [helper_id]
        ).fetchone()
        if row is None:
            verify_secret(pin or "", None)
            return PinCheck("wrong")
        pin_hash, active, failed, locked_until = row
        if not active:
            verify_secret(pin or "", None)
            return PinCheck("inactive")
        if locked_until:
            until = datetime.fromisoformat(locked_until.replace("Z", "+00:00"))
            if now < until:
                return PinCheck("locked", locked_until=until)
            failed = 0  # the lockout is over: a fresh set of attempts
        if verify_secret(pin or "", pin_hash):
            with self.transaction() as db:
                db.execute("update helpers set failed_attempts = 0, locked_until = null where id = ?", [helper_id])
            return PinCheck("ok")
        failed += 1
        with self.transaction() as db:
            if failed >= max_attempts:
                until = now + timedelta(minutes=lockout_minutes)
                db.execute("update helpers set failed_attempts = 0, locked_until = ? where id = ?",
                           [self._iso(until), helper_id])
                return PinCheck("locked", locked_until=until, attempts_left=0, just_locked=True)
            db.execute("update helpers set failed_attempts = ?, locked_until = null where id = ?",
                       [failed, helper_id])
        return PinCheck("wrong", attempts_left=max_attempts - failed)

    # --- helper sessions (a helper signed in on one tablet) ---------------------------------

    def start_helper_session(self, helper_id: str, venue_id: str) -> str:
        """Sign ``helper_id`` in at ``venue_id``; returns the session id (random, secret)."""
        session_id = secrets.token_urlsafe(32)
        now = self._now()
        with self.transaction() as db:
            db["helper_sessions"].insert(
                {"id": session_id, "helper_id": helper_id, "venue_id": venue_id, "started_at": now,
                 "last_activity_at": now, "ended_at": None, "end_reason": None, "journey_id": None,
                 "holder": "helper"}
            )
        return session_id

    def get_helper_session(self, session_id: str) -> dict | None:
        """The session if it exists and has not ended, else ``None``."""
        rows = _rows(self.db.execute(
            "select * from helper_sessions where id = ? and ended_at is null", [session_id or ""]))
        return rows[0] if rows else None

    def touch_helper_session(self, session_id: str) -> None:
        """Note activity on the tablet."""
        with self.transaction() as db:
            db.execute("update helper_sessions set last_activity_at = ? where id = ? and ended_at is null",
                       [self._now(), session_id])

    def end_helper_session(self, session_id: str, reason: str = "signed_out") -> dict | None:
        """Sign out; returns the session as it was (so the caller can end its resident session)."""
        with self.transaction() as db:
            rows = _rows(db.execute("select * from helper_sessions where id = ? and ended_at is null", [session_id]))
            if not rows:
                return None
            db.execute("update helper_sessions set ended_at = ?, end_reason = ? where id = ?",
                       [self._now(), reason, session_id])
        return rows[0]

    def set_session_resident(self, session_id: str, journey_id: str | None) -> None:
        """The resident session (journey) the helper is running on this tablet now; the helper holds it."""
        with self.transaction() as db:
            db.execute(
                "update helper_sessions set journey_id = ?, holder = 'helper', last_activity_at = ? where id = ?",
                [journey_id, self._now(), session_id],
            )

    def set_session_holder(self, session_id: str, holder: str) -> None:
        """Who has the tablet: ``helper`` or ``resident`` (private mode)."""
        if holder not in HOLDERS:
            raise ValueError(f"holder must be one of {HOLDERS}")
        with self.transaction() as db:
            db.execute("update helper_sessions set holder = ?, last_activity_at = ? where id = ?",
                       [holder, self._now(), session_id])
