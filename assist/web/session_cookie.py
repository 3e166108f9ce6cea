"""Flask's signed session cookie and Flask-WTF's CSRF token, with their signers set up once.

The cookie, the token, their signatures and contents are exactly Flask's (``SecureCookieSessionInterface``)
and Flask-WTF's (``generate_csrf``): only the ``itsdangerous`` serializers and the HMAC keys derived
from the secret key are kept between requests. They change when the secret key (or
``SECRET_KEY_FALLBACKS``) changes.

Checking a signature and decoding a cookie costs more than most of a page, and a browser sends the
same cookie on every request until the session changes. So a cookie that has been verified is
remembered (by its whole signed value, for its signer) with its contents and signing time: the next
request carrying it is checked against its age limit and given a fresh copy, without verifying it
again. Likewise a session's signed CSRF token is reused for a minute instead of signed afresh.
Only signed session contents (random ids, the language, a reference) are kept, never answers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from functools import lru_cache

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer


class _KeptKeySigner(TimestampSigner):
    """A timestamp signer that derives each secret key's HMAC key once."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else secret_key
        return _derived_key(key if isinstance(key, bytes) else key.encode(), self.salt, self.key_derivation,
                            self.digest_method)


@lru_cache(maxsize=16)
def _derived_key(secret_key: bytes, salt: bytes, key_derivation: str, digest_method) -> bytes:
    return TimestampSigner.derive_key(
        TimestampSigner(secret_key, salt=salt, key_derivation=key_derivation, digest_method=digest_method))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; the signing serializer is made once per set of secret keys, and an
    unchanged session is left alone without working out the cookie's settings."""

    #: SHA-1 as Flask uses it, given as OpenSSL's constructor so ``hmac`` takes its fast path.
    digest_method = staticmethod(hashlib.sha1)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        return _serializer(self, app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))

    def open_session(self, app: Flask, request):
        """Flask's ``open_session``, with a cookie already verified taken from memory (see above)."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(app.config["SESSION_COOKIE_NAME"])
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = _verified.get((serializer, value))
        if known is not None and 0 <= time.time() - known[1] <= max_age:
            return self.session_class(_copy(known[0]))
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if len(_verified) >= _MAX_VERIFIED:
            _verified.clear()
        _verified[serializer, value] = (_copy(data), signed_at.timestamp())
        return self.session_class(data)

    def save_session(self, app: Flask, session, response) -> None:
        if not self.should_set_cookie(app, session):  # unchanged: no cookie to send, as in Flask
            if session.accessed:
                _vary_on_cookie(response)
            return
        super().save_session(app, session, response)


def _vary_on_cookie(response) -> None:
    """``response.vary.add("Cookie")``, without parsing a ``Vary`` header when there is none yet."""
    if any(name.lower() == "vary" for name in response.headers.keys()):
        response.vary.add("Cookie")
    else:
        response.headers.add("Vary", "Cookie")


#: Cookies verified lately: ``(serializer, cookie) -> (contents, signed at)``; emptied when full.
_verified: dict = {}
_MAX_VERIFIED = 4096


def _copy(value):
    """A copy of decoded session contents that shares nothing mutable with ``value``."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)
    return value


@lru_cache(maxsize=8)
def _serializer(interface: SessionInterface, secret_key, fallbacks: tuple) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        [*fallbacks, secret_key],  # itsdangerous expects the current key last
        salt=interface.salt,
        serializer=interface.serializer,
        signer=_KeptKeySigner,
        signer_kwargs={"key_derivation": interface.key_derivation, "digest_method": interface.digest_method},
    )


def csrf_token() -> str:
    """This request's signed CSRF token, made as ``flask_wtf.csrf.generate_csrf()`` makes it (which then
    returns this one, and ``CSRFProtect`` checks it), with a kept serializer."""
    field, serializer = _csrf_settings(current_app)
    request_globals = g._get_current_object()
    token = request_globals.get(field, None)
    if token is None:
        raw = session.get(field)
        if not isinstance(raw, str):
            raw = session[field] = hashlib.sha1(os.urandom(64), usedforsecurity=False).hexdigest()
        token = _signed_csrf(serializer, raw)
        setattr(request_globals, field, token)
    return token


def _csrf_settings(app: Flask) -> tuple[str, URLSafeTimedSerializer]:
    """Flask-WTF's settings: the name of the token (field and session key) and its signing serializer."""
    config = app.config
    return (config.get("WTF_CSRF_FIELD_NAME") or "csrf_token",
            _csrf_serializer(config.get("WTF_CSRF_SECRET_KEY") or app.secret_key))


#: Signed CSRF tokens lately made: ``(serializer, raw token) -> (signed, signed at)``; emptied when full.
_signed: dict = {}
#: How long a signed CSRF token is reused (tokens carry no time limit of their own here:
#: ``WTF_CSRF_TIME_LIMIT`` is ``None``, so a token lives as long as its session).
CSRF_REUSE_SECONDS = 60


def _signed_csrf(serializer: URLSafeTimedSerializer, raw: str) -> str:
    made = _signed.get((serializer, raw))
    now = time.time()
    if made is not None and 0 <= now - made[1] < CSRF_REUSE_SECONDS:
        return made[0]
    token = serializer.dumps(raw)
    if len(_signed) >= _MAX_VERIFIED:
        _signed.clear()
    _signed[serializer, raw] = (token, now)
    return token


@lru_cache(maxsize=8)
def _csrf_serializer(secret_key) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token", signer=_KeptKeySigner,
                                  signer_kwargs={"digest_method": hashlib.sha1})


class KeptTokenCSRFProtect(CSRFProtect):
    """Flask-WTF's ``CSRFProtect``; a posted token that is exactly the one this app signed lately for
    the session's own token (see :func:`csrf_token`) needs no signature check to be known good.
    Anything else, and any token when ``WTF_CSRF_TIME_LIMIT`` is set, is checked by Flask-WTF."""

    def protect(self, apply_exemptions: bool = False):
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return None  # nothing to check (Flask-WTF would look up exemptions first, to the same end)
        if config.get("WTF_CSRF_TIME_LIMIT") is None:
            field, serializer = _csrf_settings(current_app)
            raw = session.get(field)
            kept = _signed.get((serializer, raw)) if isinstance(raw, str) else None
            posted = request.form.get(field)
            if kept is not None and posted and hmac.compare_digest(kept[0].encode(), posted.encode()):
                g.csrf_valid = True
                return None
        return super().protect(apply_exemptions)
