"""Assisted mode: helpers on shared tablets, and save and carry on later.

``sign_in`` (the tablet's venue, name and PIN, the PIN again after a hand-over), ``views`` (the
helper's home, a resident session from choosing the form to consent, hand-over and give-back,
finish and clear), ``carry_on`` (save and carry on later, at any venue, with or without a helper),
``guard`` (the hooks that keep a resident session private) and ``tablet`` (what they share).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask

from ..core import page_cache
from ..core.helper import helper_session

bp = Blueprint("assisted", __name__, url_prefix="/helpers")
carry_on_bp = Blueprint("carry_on", __name__, url_prefix="/carry-on")

from . import carry_on, guard, progress, sign_in, views  # noqa: E402,F401 - they add the routes

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Hooks, template globals, the blueprints and the venues of ``config.toml``."""
    app.before_request(guard.before_request)
    app.after_request(guard.after_request)
    app.context_processor(guard.template_globals)
    app.jinja_env.globals["question_progress"] = progress.question_progress
    # A signed-in helper's pages show their name, prompts and controls: never from the shared page cache.
    page_cache.veto_page_cache(app, lambda: helper_session() is not None)
    store = app.extensions["assist.store"]
    try:
        store.seed_venues(getattr(app.extensions["assist.config"], "venues", None) or ())
    except Exception:  # noqa: BLE001 - a bad venue in config must not stop the app; `assist venues list` shows it
        log.exception("Could not add the venues from config.toml")
    app.register_blueprint(bp)
    app.register_blueprint(carry_on_bp)
    app.extensions["assist.resume_lookup"] = carry_on.resume_lookup
