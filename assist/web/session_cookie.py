"""Flask's signed session cookie and Flask-WTF's CSRF token, with their signers set up once.

The cookie, the token, their signatures and contents are exactly Flask's (``SecureCookieSessionInterface``)
and Flask-WTF's (``generate_csrf``): only the ``itsdangerous`` serializers and the HMAC keys derived
from the secret key are kept between requests. They change when the secret key (or
``SECRET_KEY_FALLBACKS``) changes.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
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


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; the signing serializer is made once per set of secret keys, and an
    unchanged session is left alone without working out the cookie's settings."""

    #: SHA-1 as Flask uses it, given as OpenSSL's constructor so ``hmac`` takes its fast path.
    digest_method = staticmethod(hashlib.sha1)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        return _serializer(self, app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))

    def save_session(self, app: Flask, session, response) -> None:
        if not self.should_set_cookie(app, session):  # unchanged: no cookie to send, as in Flask
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


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
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    if field not in g:
        raw = session.get(field)
        if not isinstance(raw, str):
            raw = session[field] = hashlib.sha1(os.urandom(64), usedforsecurity=False).hexdigest()
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        setattr(g, field, _csrf_serializer(secret).dumps(raw))
    return getattr(g, field)


@lru_cache(maxsize=8)
def _csrf_serializer(secret_key) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token", signer=_KeptKeySigner,
                                  signer_kwargs={"digest_method": hashlib.sha1})
