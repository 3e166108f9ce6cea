"""Choosing the language of the interface: the resident's choice, else the browser's, else the council's."""

from __future__ import annotations

from functools import lru_cache

from urllib.parse import urlencode

from flask import Flask, current_app, g, redirect, request, session
from flask_babel import Babel, gettext
from babel import Locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ...i18n.formatting import format_date, format_money, format_number
from ...paths import translations_dir
from .resident import record_language

#: Scripts written right to left, by language code.
RTL_LANGUAGES = {"ar", "ur", "fa", "he", "ps", "ku", "yi"}


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the language switcher to ``app``."""
    Babel(app, locale_selector=current_language, default_translation_directories=str(translations_dir()))
    app.before_request(_switch_language)
    app.jinja_env.globals.update(
        current_language=current_language,
        language_choices=language_choices,
        text_direction=text_direction,
        t=form_text,
    )
    # Dates, numbers and money in the page's language: {{ day | local_date }}, {{ amount | money }}.
    app.jinja_env.filters.update(
        local_date=lambda value: format_date(value, current_language()),
        money=lambda value: format_money(value, current_language()),
        number=lambda value: format_number(value, current_language()),
    )


def _available() -> list[str]:
    return list(current_app.extensions["assist.config"].languages.available)


def current_language() -> str:
    """The language of this request, one of the configured languages (worked out once per request)."""
    chosen = session.get("lang")
    request_globals = g._get_current_object()  # one context lookup for the read and the write
    remembered = request_globals.get("_language", None)
    if remembered is not None and remembered[0] == chosen:
        return remembered[1]
    languages = current_app.extensions["assist.config"].languages
    if chosen in languages.available:
        language = chosen
    else:
        asked = request.headers.get("Accept-Language", "")
        language = _browser_choice(asked, tuple(languages.available)) or languages.default
    request_globals._language = (chosen, language)
    return language


@lru_cache(maxsize=256)
def _browser_choice(accept_language: str, available: tuple) -> str | None:
    """The best of ``available`` for an ``Accept-Language`` header (browsers send a handful of values)."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(available) if accept_language else None


def text_direction(code: str | None = None) -> str:
    """``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if (code or current_language()) in RTL_LANGUAGES else "ltr"


def language_choices() -> list[dict]:
    """Each configured language named in its own script, with a link that switches to it."""
    current = current_language()
    return [
        {
            "code": code,
            "name": language_name(code),
            "dir": text_direction(code),
            "current": code == current,
            "href": _url_with_language(code),
        }
        for code in _available()
    ]


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """The language's name in its own language and script: "Cymraeg", "Polski", "العربية", "ਪੰਜਾਬੀ"."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:]


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
        record_language(code)
    args = request.args.to_dict(flat=False)
    args.pop("lang", None)
    query = urlencode(args, doseq=True)
    return redirect(request.path + (f"?{query}" if query else ""))


def form_text(text: str | None) -> str:
    """Text from a form definition in the current language (no ``%`` formatting, escaped on output)."""
    return gettext(text) if text else ""
