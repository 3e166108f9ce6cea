"""Rendered HTML kept in memory: only what never holds personal data.

GOV.UK Frontend's macros are the main cost of a page. The header, navigation, footer, the
fields of a page with no answer and no error, and whole question pages in that state come out
the same for everyone who sees them in a language, so they are rendered once per key. A question
page showing text a resident typed (a name, a date, an address; no choices) is kept with a
stand-in where each answer goes, and the answers are filled in, escaped, for each request: what
is kept is still the same for everyone. Anything showing an error, a ticked choice, or a
helper's view is never cached.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g, render_template
from markupsafe import Markup, escape

from .csrf import csrf_token as real_csrf_token  # Flask-WTF's token, signed once per session
from .security import csp_nonce


def init_app(app: Flask) -> None:
    """Give ``app`` a fragment cache and the ``cached`` template call."""
    app.extensions["assist.fragments"] = {}
    app.extensions["assist.pages"] = {}
    app.jinja_env.globals["cached"] = cached
    def csrf_token() -> str:
        # Inside a shared page every form gets the stand-in, filled with each requester's own token.
        return _CSRF_HOLE if g.get("shared_render") else real_csrf_token()

    # Flask-WTF also puts ``csrf_token`` in every template's context, which wins over the global:
    # this context processor, registered after Flask-WTF's, puts the stand-in-aware one back.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})


def cached(*key, caller) -> Markup:
    """``{% call cached(key...) %}...{% endcall %}``: the body rendered once per key, then reused."""
    fragments = current_app.extensions["assist.fragments"]
    html = fragments.get(key)
    if html is None:
        html = fragments[key] = Markup(caller())  # nosec B704 # caller() is template output, already autoescaped
    return html


#: Stand-ins for the per-request parts of a cached page; filled in on every response.
_HOLE = "assist-hole-{}-" + secrets.token_hex(8)
_NONCE_HOLE = _HOLE.format("nonce")
_CSRF_HOLE = _HOLE.format("csrf")
_ANSWER_HOLE = _HOLE.format("answer") + "[{}]"
_MAX_PAGES = 2048


def page_cache_allowed() -> bool:
    """Whether this request may share whole pages: no vetoes (e.g. a helper is signed in) apply
    (asked once per request)."""
    request_globals = g._get_current_object()
    allowed = request_globals.get("_page_cache_allowed", None)
    if allowed is None:
        allowed = request_globals._page_cache_allowed = not any(
            veto() for veto in current_app.extensions.get("assist.page_cache_vetoes", []))
    return allowed


def veto_page_cache(app: Flask, veto) -> None:
    """Register ``veto()``: when it returns true, pages are rendered afresh (they show per-person state)."""
    app.extensions.setdefault("assist.page_cache_vetoes", []).append(veto)


def shared_page(key: tuple, template: str, context, typed: dict | None = None) -> str:
    """A whole page without personal data, rendered once per ``key`` and served to everyone with this
    request's CSRF token, CSP nonce and ``typed`` answers (raw inputs by field name) filled in.

    ``context(stand_ins)`` gives the template's context, its fields holding ``stand_ins`` (a stand-in
    for each input of ``typed`` holding something): it is called only when the page is not kept yet.
    """
    pages = current_app.extensions["assist.pages"]
    html = pages.get(key)
    if html is None:
        stand_ins = {name: _ANSWER_HOLE.format(name) if value else value for name, value in (typed or {}).items()}
        nonce, g.csp_nonce, g.shared_render = csp_nonce(), _NONCE_HOLE, True
        try:
            html = render_template(template, **context(stand_ins), csrf_value=_CSRF_HOLE)
        finally:
            g.csp_nonce, g.shared_render = nonce, False
        if len(pages) >= _MAX_PAGES:
            pages.clear()
        pages[key] = html
    return _fill(html, real_csrf_token(), typed)


def _fill(html: str, csrf: str, typed: dict | None) -> str:
    html = html.replace(_NONCE_HOLE, csp_nonce()).replace(_CSRF_HOLE, csrf)
    for name, value in (typed or {}).items():  # last: nothing typed can become a stand-in itself
        if value:
            html = html.replace(_ANSWER_HOLE.format(name), str(escape(value)))
    return html
