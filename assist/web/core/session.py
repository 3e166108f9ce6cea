"""The browser's session, kept on the server: the cookie carries one random id and nothing else.

Everything ``flask.session`` holds (which journeys this browser is on, a confirmation, a code just
saved, the helper-session id, the device's choices, the CSRF secret) is stored in the database
under a hash of that id, encrypted like answers (:mod:`assist.storage.browser_sessions`).

* **Ending.** ``session.clear()`` ends the session on the server: the old id is deleted when the
  response is sent, and anything set afterwards goes under a new id. Finish and clear, sign-out,
  a new resident and the kiosk's wipe all clear the session, so any copy of the old cookie is dead
  everywhere at once.
* **Rotating.** :func:`rotate` keeps what the session holds under a new id (hand-over, give-back,
  saving for later): the old cookie stops working, the tablet carries on.
* **Idle expiry.** A session not used for longer than the longest idle limit of ``[sessions]`` is
  deleted on its next use (and swept when new sessions start); when it held journeys, the fresh
  session says so (``timed_out``), as an expired draft does.

The cookie is a browser-session cookie (no expiry date), ``HttpOnly``, ``SameSite=Lax``, and
``Secure`` when served over HTTPS.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import Flask, has_request_context, request, session
from flask.sessions import SecureCookieSession, SessionInterface

from ...moments import parse_moment
from ...storage import StorageUnwritable
from ...storage.browser_sessions import new_session_id

log = logging.getLogger(__name__)

#: What a session id looks like (``secrets.token_urlsafe(32)``); anything else is not looked up.
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")
#: How often a session in use is noted as seen (each note is a durable write).
SEEN_INTERVAL = timedelta(seconds=60)


class ServerSession(SecureCookieSession):
    """``flask.session``: a dict, with the id it is stored under and the ids it ends when saved."""

    def __init__(self, initial=None, session_id: str | None = None, last_seen: str | None = None):
        super().__init__(initial)
        self.session_id = session_id
        self.last_seen = last_seen
        self.ended: list[str] = []
        #: An id this request's cookie named that is no longer live (expired, or ended by another
        #: request): removed on the server, but the cookie is left alone, as the browser may already
        #: hold a newer one from a request that ran at the same time (a rotation).
        self.stale: str | None = None

    def clear(self) -> None:
        """Empty the session and end it on the server: the next value set starts a new one."""
        self._end_id()
        super().clear()
        self.modified = True

    def rotate(self) -> None:
        """Keep the contents under a new id; the old id ends when the response is sent."""
        self._end_id()
        self.modified = True

    def _end_id(self) -> None:
        if self.session_id:
            self.ended.append(self.session_id)
        self.session_id = None


def rotate() -> None:
    """A privilege change (hand-over, give-back, saving for later): same contents, a new id, the old
    cookie dead."""
    session.rotate()


def idle_limit(app: Flask) -> timedelta:
    """How long a browser session may go unused: the longest idle limit of ``[sessions]``."""
    sessions = app.extensions["assist.config"].sessions
    return timedelta(minutes=max(sessions.online_idle_minutes, sessions.assisted_idle_minutes,
                                 sessions.kiosk_idle_minutes))


class ServerSessionInterface(SessionInterface):
    """Flask's session interface over :class:`ServerSession` and the store's ``browser_sessions``."""

    session_class = ServerSession

    def open_session(self, app: Flask, request) -> ServerSession:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not _SESSION_ID.fullmatch(value):
            return ServerSession()
        try:
            contents, last_seen, expired = _store(app).load_browser_session(value, idle_limit(app))
        except Exception:  # noqa: BLE001 - an error page must render even when the database is down
            log.warning("Could not read a browser session", exc_info=True)
            return ServerSession()
        if contents is None or expired:
            fresh = ServerSession()
            fresh.stale = value
            if expired and contents.get("journeys"):
                fresh["timed_out"] = True
            return fresh
        return ServerSession(contents, session_id=value, last_seen=last_seen)

    def save_session(self, app: Flask, session: ServerSession, response) -> None:
        try:
            self._save_session(app, session, response)
        except StorageUnwritable:
            # The database cannot be written (logged once by the store): the browser keeps the cookie it
            # had, for the session as last saved; the response already says whether its page was saved.
            pass

    def _save_session(self, app: Flask, session: ServerSession, response) -> None:
        store = _store(app)
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        for ended in session.ended + ([session.stale] if session.stale else []):
            store.end_browser_session(ended)
        if session.accessed or session.ended or session.stale:
            response.vary.add("Cookie")
        if not session:
            if session.ended or session.session_id:
                if session.session_id:
                    store.end_browser_session(session.session_id)
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       httponly=True, samesite=self.get_cookie_samesite(app))
            return
        if session.session_id is None:
            session.session_id = new_session_id()
            store.expire_browser_sessions(idle_limit(app))
            store.save_browser_session(session.session_id, dict(session))
            response.set_cookie(name, session.session_id, domain=domain, path=path, httponly=True,
                                secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))
        elif session.modified:
            store.save_browser_session(session.session_id, dict(session))
        elif _seen_long_ago(store, session.last_seen):
            store.touch_browser_session(session.session_id)

    def get_cookie_secure(self, app: Flask) -> bool:
        """``Secure`` when configured, and whenever the page was served over HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def _seen_long_ago(store, last_seen: str | None) -> bool:
    if not last_seen:
        return True
    return store.now() - parse_moment(last_seen) >= SEEN_INTERVAL


def _store(app: Flask):
    return app.extensions["assist.store"]
