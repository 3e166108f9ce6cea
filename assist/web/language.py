"""Choosing the language of the interface: the resident's choice, else the browser's, else the council's."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, redirect, request, session
from flask_babel import Babel, gettext
from babel import Locale

#: Scripts written right to left, by language code.
RTL_LANGUAGES = {"ar", "ur", "fa", "he", "ps", "ku", "yi"}


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the language switcher to ``app``."""
    Babel(app, locale_selector=current_language)
    app.before_request(_switch_language)
    app.jinja_env.globals.update(
        current_language=current_language,
        language_choices=language_choices,
        text_direction=text_direction,
        t=form_text,
    )


def _available() -> list[str]:
    return list(current_app.extensions["assist.config"].languages.available)


def current_language() -> str:
    """The language of this request, one of the configured languages."""
    available = _available()
    chosen = session.get("lang")
    if chosen in available:
        return chosen
    best = request.accept_languages.best_match(available) if request else None
    return best or current_app.extensions["assist.config"].languages.default


def text_direction(code: str | None = None) -> str:
    """``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if (code or current_language()) in RTL_LANGUAGES else "ltr"


def language_choices() -> list[dict]:
    """Each configured language named in its own script, with a link that switches to it."""
    choices = []
    for code in _available():
        choices.append(
            {
                "code": code,
                "name": Locale.parse(code).get_display_name(code).capitalize() if code else code,
                "current": code == current_language(),
                "href": _url_with_language(code),
            }
        )
    return choices


def _url_with_language(code: str) -> str:
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def _switch_language():
    code = request.args.get("lang")
    if code is None or request.method != "GET":
        return None
    if code in _available():
        session["lang"] = code
        from .resident import record_language

        record_language(code)
    args = request.args.to_dict(flat=False)
    args.pop("lang", None)
    query = urlencode(args, doseq=True)
    return redirect(request.path + (f"?{query}" if query else ""))


def form_text(text: str | None) -> str:
    """Text from a form definition in the current language (no ``%`` formatting, escaped on output)."""
    return gettext(text) if text else ""
