"""Helpers (intermediaries), their PINs, the waits after wrong PINs, and their signed-in sessions on tablets.

A PIN is 4 to 8 digits, kept only as a salted scrypt hash; it is never logged or returned.
Wrong PINs are counted per venue and typed name (``sign_in_attempts``), so a name nobody has is
slowed down exactly like a helper's; a streak of wrong PINs is forgotten a day after its last wait.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..moments import parse_moment
from .secrets_hash import hash_secret, verify_secret

ROLES = ("helper", "venue_lead", "council_admin")
#: Who has the tablet: the helper, the resident (private mode), or the helper again after the resident
#: gave it back (journey pages only until the PIN is entered).
HOLDERS = ("helper", "resident", "returned")
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


#: A streak of wrong PINs is forgotten this long after its last wrong PIN (or the end of its wait).
FORGET_AFTER = timedelta(hours=24)
#: Sign-in attempts that count against ``helpers``: their own name, at a venue they work at (any, for a council admin).
_OWN_ATTEMPTS = ("sign_in_attempts.name_key = helpers.name_key and (helpers.role = 'council_admin' or "
                 "sign_in_attempts.venue_id in (select venue_id from helper_venues where helper_id = helpers.id))")


@dataclass(frozen=True)
class PinLimits:
    """Wrong PINs allowed in a row before each further try must wait ``delay_minutes``, the wait
    doubling with every further wrong PIN up to ``max_delay_minutes``."""

    attempts: int = 5
    delay_minutes: int = 1
    max_delay_minutes: int = 60

    def wait(self, failures: int) -> timedelta | None:
        """The wait before the next try after ``failures`` wrong PINs in a row (``None``: no wait)."""
        if failures < self.attempts:
            return None
        doubled = self.delay_minutes * 2 ** min(failures - self.attempts, 32)
        return timedelta(minutes=min(doubled, self.max_delay_minutes))


@dataclass(frozen=True)
class PinCheck:
    """The outcome of :meth:`HelpersMixin.sign_in_helper` and :meth:`HelpersMixin.check_pin`."""

    outcome: str  # "ok" | "wrong" | "wait" (the PIN was not checked, or was wrong and started a wait)
    helper_id: str | None = None  # whose name it was, for the audit log (None: nobody's, or several helpers')
    wait_until: datetime | None = None
    attempts_left: int | None = None
    wait_started: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _at_venues(venues: list[str] | None) -> tuple[str, list[str]]:
    """A condition keeping ``sign_in_attempts`` at ``venues`` (none: every venue), and its parameters."""
    if venues is None:
        return "", []
    return f" and sign_in_attempts.venue_id in ({', '.join('?' * len(venues))})", list(venues)


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
                 "pin_hash": pin_hash, "active": 1, "created_at": now, "pin_changed_at": now}
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
        """Give the helper a new PIN and lift any wait after wrong PINs. False if the helper is unknown."""
        if not valid_pin(pin):
            raise ValueError("a PIN is 4 to 8 digits")
        pin_hash = hash_secret(pin)
        with self.transaction() as db:
            cursor = db.execute("update helpers set pin_hash = ?, pin_changed_at = ? where id = ?",
                                [pin_hash, self._now(), helper_id])
            self._forget_attempts(db, helper_id)
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

    def sign_in_helper(self, venue_id: str, name: str, pin: str, limits: PinLimits = PinLimits()) -> PinCheck:
        """Sign in with a typed name and a PIN at ``venue_id``: the active helper of that name who works
        there (or any council admin). Attempts are counted per venue and typed name whether or not the
        name is a helper's, and an unknown name has its PIN checked against nothing, just as slowly."""
        matches = [h for h in self.find_helpers_by_name(name)
                   if venue_id in h["venues"] or h["role"] == "council_admin"]
        helper_id = matches[0]["id"] if len(matches) == 1 else None
        return self._check_attempt(venue_id, name_key(name), helper_id, pin, limits)

    def check_pin(self, helper_id: str, venue_id: str, pin: str, limits: PinLimits = PinLimits()) -> PinCheck:
        """Check a signed-in helper's PIN at ``venue_id`` (unlocking the tablet), counted with their sign-ins
        there. A deactivated or unknown helper's PIN is never right."""
        row = self.db.execute("select name_key from helpers where id = ? and active = 1", [helper_id]).fetchone()
        if row is None:
            verify_secret(pin or "", None)
            return PinCheck("wrong")
        return self._check_attempt(venue_id, row[0], helper_id, pin, limits)

    def _check_attempt(self, venue_id: str, key: str, helper_id: str | None, pin: str, limits: PinLimits) -> PinCheck:
        """Claim the attempt first (one write transaction), then run scrypt: guesses sent at the same
        moment get at most ``limits.attempts`` checks between them. A right PIN wipes the count."""
        now = self._clock().replace(microsecond=0)  # as stored
        with self.transaction() as db:
            db.execute("delete from sign_in_attempts where forget_at <= ?", [self._iso(now)])
            row = db.execute("select failures, wait_until from sign_in_attempts where venue_id = ? and name_key = ?",
                             [venue_id, key]).fetchone()
            failures, wait_until = row if row else (0, None)
            if wait_until and now < parse_moment(wait_until):
                return PinCheck("wait", helper_id=helper_id, wait_until=parse_moment(wait_until))
            failures += 1
            wait = limits.wait(failures)
            until = now + wait if wait else None
            db.execute(
                "insert into sign_in_attempts (venue_id, name_key, failures, wait_until, forget_at) "
                "values (?, ?, ?, ?, ?) on conflict (venue_id, name_key) do update set failures = excluded.failures, "
                "wait_until = excluded.wait_until, forget_at = excluded.forget_at",
                [venue_id, key, failures, self._iso(until) if until else None, self._iso((until or now) + FORGET_AFTER)],
            )
            pin_hash = db.execute("select pin_hash from helpers where id = ? and active = 1",
                                  [helper_id or ""]).fetchone()
        if verify_secret(pin or "", pin_hash[0] if pin_hash else None):
            with self.transaction() as db:
                db.execute("delete from sign_in_attempts where venue_id = ? and name_key = ?", [venue_id, key])
            return PinCheck("ok", helper_id=helper_id)
        if until:
            return PinCheck("wait", helper_id=helper_id, wait_until=until, attempts_left=0, wait_started=True)
        return PinCheck("wrong", helper_id=helper_id, attempts_left=limits.attempts - failures)

    def pin_waits(self, venues: list[str] | None = None) -> dict[str, datetime]:
        """Helpers who must wait after wrong PINs at one of their venues (of ``venues``, if given):
        ``{helper_id: until}``."""
        where, params = _at_venues(venues)
        cursor = self.db.execute(
            f"select helpers.id, max(wait_until) from helpers join sign_in_attempts on {_OWN_ATTEMPTS} "
            f"where wait_until > ?{where} group by helpers.id", [self._now(), *params])
        return {helper_id: parse_moment(until) for helper_id, until in cursor.fetchall()}

    def clear_pin_wait(self, helper_id: str, venues: list[str] | None = None) -> bool:
        """Let the helper try their PIN again at once, with a fresh count, at every one of their venues
        (of ``venues``, if given). False if the helper is unknown."""
        with self.transaction() as db:
            if not db.execute("select 1 from helpers where id = ?", [helper_id]).fetchone():
                return False
            self._forget_attempts(db, helper_id, venues)
        return True

    @staticmethod
    def _forget_attempts(db, helper_id: str, venues: list[str] | None = None) -> None:
        where, params = _at_venues(venues)
        db.execute(f"delete from sign_in_attempts where rowid in (select sign_in_attempts.rowid from helpers "
                   f"join sign_in_attempts on {_OWN_ATTEMPTS} where helpers.id = ?{where})", [helper_id, *params])

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
