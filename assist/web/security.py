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


class RequestValues(ImmutableMultiDict):
    """Werkzeug's multi-dict for a request's fields, query and cookies; ``get`` of a name that was
    not sent returns the default straight away (Werkzeug's raises and catches an HTTP error object
    to get there, which costs more than the lookup on every request)."""

    def get(self, key, default=None, type=None):  # noqa: A002 - Werkzeug's signature
        if not dict.__contains__(self, key):
            return default
        return super().get(key, default, type)


class CleanInputRequest(Request):
    """A request whose form fields and query string have no control characters (other than tab and
    line breaks), lone surrogates or noncharacters: whatever is typed can be shown back in a page."""

    parameter_storage_class = RequestValues
    dict_storage_class = RequestValues

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _clean(self.__dict__["form"])

    @cached_property
    def args(self) -> RequestValues:
        if not self.environ.get("QUERY_STRING"):
            return RequestValues()
        return _clean(super().args)


def _clean(data: MultiDict) -> RequestValues:
    return RequestValues([(without_control(key), without_control(value)) for key, value in data.items(multi=True)])


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
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


_CSP = ("default-src 'self'; script-src 'self' 'nonce-{}'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
#: Pages can show a resident's answers: never keep them in any cache.
_NOT_KEPT = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_MANAGED = {name.lower() for name in ("Content-Security-Policy", *_ALWAYS, *_NOT_KEPT)}


def _add_headers(response):
    headers = response.headers
    # Appending is cheaper than replacing; a view that set one of these itself gets it replaced.
    replace = not _MANAGED.isdisjoint(name.lower() for name in headers.keys())
    set_header = headers.set if replace else headers.add
    set_header("Content-Security-Policy", _CSP.format(csp_nonce()))
    for name, value in _ALWAYS.items():
        set_header(name, value)
    if not request.path.startswith("/assets/"):
        for name, value in _NOT_KEPT.items():
            set_header(name, value)
    return response
