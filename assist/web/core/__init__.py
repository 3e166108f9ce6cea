"""What every area of the web layer uses.

The browser session kept on the server (``session``), CSRF (``csrf``), security headers
(``security``), the language of a page (``language``), error pages (``errors``), the page cache
(``page_cache``); the resident's journeys in this browser (``resident``), the signed-in helper
(``helper``) and the kind of device (``device``); pages of questions as forms (``page_forms``,
``fields``, ``answers``); the app's settings, store and forms (``app``), times (``times``), safe
redirects (``redirects``) and PDFs in the browser (``pdf``).
"""

from __future__ import annotations

from flask import Flask

from . import errors, language, page_cache, security
from .app import config
from .csrf import KeptTokenCSRFProtect
from .device import shared_device
from .fields import subfields

csrf = KeptTokenCSRFProtect()


def init_app(app: Flask) -> None:
    """Bind CSRF, the language, security headers, error pages, the page cache and the template
    helpers every page uses to ``app``."""
    csrf.init_app(app)
    language.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    page_cache.init_app(app)
    app.context_processor(_template_globals)
    app.jinja_env.globals["subfields"] = subfields
    _check_sync_once(app)


def _check_sync_once(app: Flask) -> None:
    """Flask asks of every hook and view, on every request, whether it is a coroutine function:
    the answer for a given function never changes, so keep it."""
    ensure_sync = app.ensure_sync
    checked: dict = {}

    def kept(func):
        try:
            return checked[func]
        except KeyError:
            checked[func] = ensure_sync(func)
            return checked[func]
        except TypeError:  # not hashable: ask each time
            return ensure_sync(func)

    app.ensure_sync = kept


def _template_globals() -> dict:
    # Browser autofill stays on for a resident's own device; shared devices (kiosks, assisted tablets:
    # the device's configuration, never the resident's choice) switch it off.
    return {"council": config().council, "autofill": not shared_device()}
