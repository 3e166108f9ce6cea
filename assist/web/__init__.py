"""The web layer: Flask blueprints that put the form engine on screen."""

from __future__ import annotations

from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

from . import errors, home, journey, language, repeats, security  # noqa: F401 - repeats adds routes
from .fields import subfields

csrf = CSRFProtect()


def register(app: Flask) -> None:
    """Bind extensions, hooks, template helpers and blueprints to ``app``."""
    csrf.init_app(app)
    language.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(journey.bp)
    app.context_processor(_template_globals)
    app.jinja_env.globals["subfields"] = subfields


def _template_globals() -> dict:
    # Browser autofill stays on for a resident's own device; shared devices switch it off.
    return {"council": current_app.extensions["assist.config"].council, "autofill": True}


def config():
    """The loaded :class:`assist.config.Config` of the running app."""
    return current_app.extensions["assist.config"]


def store():
    """The :class:`assist.storage.Store` of the running app."""
    return current_app.extensions["assist.store"]


def forms() -> dict:
    """Loaded form definitions by id."""
    return current_app.extensions["assist.forms"]
