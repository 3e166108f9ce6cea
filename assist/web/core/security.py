"""Security headers: a per-request CSP nonce, and no caching of pages that may show answers; the
session cookie marked ``Secure`` whenever the request came over HTTPS; forms posted from other sites
refused; control characters dropped from what is typed."""

from __future__ import annotations

import io
import secrets

from flask import Flask, Request, current_app, g, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from ...engine.text import without_control

from .session import ServerSessionInterface


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

    @property
    def max_content_length(self) -> int | None:
        """The app's limit, raised to one evidence file's for a page that takes uploads."""
        limit = super().max_content_length
        if self.endpoint in UPLOAD_ENDPOINTS and (self.mimetype or "") == "multipart/form-data":
            upload = current_app.extensions["assist.config"].uploads.max_file_mb * 1024 * 1024
            return max(limit or 0, upload + UPLOAD_REQUEST_MARGIN)
        return limit

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        """Uploads stay in memory (bounded by the limit above): a resident's document never reaches the
        disk unencrypted."""
        return io.BytesIO()

    @cached_property
    def args(self) -> RequestValues:
        if not self.environ.get("QUERY_STRING"):
            return RequestValues()
        return _clean(super().args)


#: Room in an upload's request for everything besides the file (the other inputs, multipart framing).
UPLOAD_REQUEST_MARGIN = 256 * 1024
#: Endpoints whose pages take evidence files (the larger request limit applies to them only).
UPLOAD_ENDPOINTS: set[str] = set()


def accepts_uploads(endpoint: str) -> None:
    """Let ``endpoint`` take one evidence file per request, up to ``uploads.max_file_mb``."""
    UPLOAD_ENDPOINTS.add(endpoint)


def _clean(data: MultiDict) -> RequestValues:
    if isinstance(data, RequestValues) and all(
            key.isprintable() and all(value.isprintable() for value in values) for key, values in data.lists()):
        return data  # nothing to drop (the usual case): no copy
    return RequestValues([(without_control(key), without_control(value)) for key, value in data.items(multi=True)])


#: Requests that change something: they need the CSRF token, and must not come from another site.
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def init_app(app: Flask) -> None:
    """Add a CSP nonce to every request and security headers to every response."""
    app.session_interface = ServerSessionInterface()
    app.request_class = CleanInputRequest
    # Flask-WTF's HTTPS check wants a Referer from this site, which our Referrer-Policy (no-referrer)
    # never lets a browser send; the browser's Sec-Fetch-Site header takes its place (below).
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.before_request(_refuse_other_sites)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce


def _refuse_other_sites() -> None:
    """A form posted from another site (as the browser reports it) is refused like a bad CSRF token."""
    if request.method in STATE_CHANGING and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        raise CSRFError("The request came from another site.")


def allow_framing_by_this_site() -> None:
    """Let this site's own pages (and only them) show this response in a frame."""
    request.environ[_FRAMED_KEY] = True


def csp_nonce() -> str:
    """This request's CSP nonce, made on first use (error pages too, even before any hook ran)."""
    request_globals = g._get_current_object()
    nonce = request_globals.get("csp_nonce", None)
    if nonce is None:
        nonce = request_globals.csp_nonce = request.environ[_NONCE_KEY] = secrets.token_urlsafe(16)
    return nonce


_NONCE_KEY = "assist.csp_nonce"
_CSP = ("default-src 'self'; script-src 'self' 'nonce-{}'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_ALWAYS = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")]
#: Pages can show a resident's answers: never keep them in any cache.
_NOT_KEPT = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
#: A response this site's own pages may show in a frame (the resident's copy inside its print page).
_FRAMED_KEY = "assist.framed_by_this_site"
_CSP_FRAMED = _CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
_ALWAYS_FRAMED = [(name, "SAMEORIGIN" if name == "X-Frame-Options" else value) for name, value in _ALWAYS]
#: Browsers keep to HTTPS for a year once a response came over it (never sent over plain http).
_HSTS = ("Strict-Transport-Security", "max-age=31536000")
_MANAGED = {name.lower() for name, _value in [("Content-Security-Policy", ""), *_ALWAYS, *_NOT_KEPT, _HSTS]}


class SecurityHeaders:
    """WSGI middleware putting the security headers on every response, error pages included: the
    CSP with the nonce the page used, (except for assets) no caching, and HSTS on a response that
    came over HTTPS. A header of the same
    name set by a view is replaced. Added as the response starts, as plain strings made once."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            if not _MANAGED.isdisjoint(name.lower() for name, _value in headers):
                headers = [(name, value) for name, value in headers if name.lower() not in _MANAGED]
            nonce = environ.get(_NONCE_KEY) or secrets.token_urlsafe(16)
            framed = environ.get(_FRAMED_KEY)
            headers.append(("Content-Security-Policy", (_CSP_FRAMED if framed else _CSP).format(nonce)))
            headers.extend(_ALWAYS_FRAMED if framed else _ALWAYS)
            if not environ.get("PATH_INFO", "").startswith("/assets/"):
                headers.extend(_NOT_KEPT)
            if environ.get("wsgi.url_scheme") == "https":  # behind a proxy: as server.trusted_proxies lets it say
                headers.append(_HSTS)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)
