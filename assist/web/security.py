"""Security headers: a per-request CSP nonce, and no caching of pages that may show answers; the
session cookie marked ``Secure`` whenever the request came over HTTPS; forms posted from other sites
refused; control characters dropped from what is typed."""

from __future__ import annotations

import secrets

from flask import Flask, Request, g, has_request_context, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from ..engine.text import without_control

from .session_cookie import SessionInterface


class CleanInputRequest(Request):
    """A request whose form fields and query string have no control characters (other than tab and
    line breaks), lone surrogates or noncharacters: whatever is typed can be shown back in a page."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _clean(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _clean(super().args)


def _clean(data: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict([(without_control(key), without_control(value)) for key, value in data.items(multi=True)])


class SessionCookies(SessionInterface):
    """Flask's signed-cookie sessions, with ``Secure`` set on the cookie when served over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


#: Requests that change something: they need the CSRF token, and must not come from another site.
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def init_app(app: Flask) -> None:
    """Add a CSP nonce to every request and security headers to every response."""
    app.session_interface = SessionCookies()
    app.request_class = CleanInputRequest
    # Flask-WTF's HTTPS check wants a Referer from this site, which our Referrer-Policy (no-referrer)
    # never lets a browser send; the browser's Sec-Fetch-Site header takes its place (below).
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.before_request(_refuse_other_sites)
    app.after_request(_add_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce


def _refuse_other_sites() -> None:
    """A form posted from another site (as the browser reports it) is refused like a bad CSRF token."""
    if request.method in STATE_CHANGING and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        raise CSRFError("The request came from another site.")


def csp_nonce() -> str:
    """This request's CSP nonce, made on first use (error pages too, even before any hook ran)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _add_headers(response):
    nonce = csp_nonce()
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith("/assets/"):
        # Pages can show a resident's answers: never keep them in any cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
