"""The web layer: Flask blueprints that put the form engine on screen."""

from __future__ import annotations

from flask import Flask, current_app

from . import accessibility, errors, fragments, home, journey, language, printing, repeats, security  # noqa: F401 - repeats adds routes
from .fields import subfields
from .session_cookie import KeptTokenCSRFProtect

csrf = KeptTokenCSRFProtect()


def register(app: Flask) -> None:
    """Bind extensions, hooks, template helpers and blueprints to ``app``."""
    csrf.init_app(app)
    language.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    fragments.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(accessibility.bp)
    app.register_blueprint(journey.bp)
    app.register_blueprint(printing.bp)
    from . import assisted  # helpers on shared tablets; save and carry on later

    assisted.init_app(app)
    from . import kiosk  # kiosks at venues; shared-device privacy (after assisted: its hooks run first)

    kiosk.init_app(app)
    from . import deliveries, offline, paper  # paper forms keyed in, the offline tablet, deliveries for admins

    paper.init_app(app)
    offline.init_app(app)
    deliveries.init_app(app)
    from . import admin  # council admins and venue leads: dashboard, exports, people, submissions, audit

    admin.init_app(app)
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
    from .kiosk import shared_device

    return {"council": current_app.extensions["assist.config"].council, "autofill": not shared_device()}


def config():
    """The loaded :class:`assist.config.Config` of the running app."""
    return current_app.extensions["assist.config"]


def store():
    """The :class:`assist.storage.Store` of the running app."""
    return current_app.extensions["assist.store"]


def forms() -> dict:
    """Loaded form definitions by id."""
    return current_app.extensions["assist.forms"]
