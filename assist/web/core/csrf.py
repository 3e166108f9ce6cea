"""Flask-WTF's CSRF token, with its signer set up once.

The token, its signature and contents are exactly Flask-WTF's (``generate_csrf``): only the
``itsdangerous`` serializer and the HMAC key derived from the secret key are kept between requests.
A session's signed token is reused for a minute instead of signed afresh; the raw token lives in
the server-side session (:mod:`assist.web.core.session`), never in a cookie of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from functools import lru_cache

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import CSRFProtect
from itsdangerous import TimestampSigner, URLSafeTimedSerializer


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


#: How many signed tokens are kept at most (emptied when full).
_MAX_SIGNED = 4096
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
    if len(_signed) >= _MAX_SIGNED:
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
